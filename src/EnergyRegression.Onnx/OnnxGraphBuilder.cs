using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Google.Protobuf;

namespace EnergyRegression.Onnx;

/// <summary>
/// Builds an ONNX model: graph inputs, constant tensors (initializers), nodes in topological order (each node is added
/// after the values it reads), graph outputs; <see cref="ToBytes"/> serialises the <c>ModelProto</c>. Value names are
/// made unique by the builder (a hint plus a number), so exporters never clash with input names.
/// </summary>
/// <remarks>
/// Messages and field numbers: onnx.proto of the ONNX specification (IR version 8): ModelProto (ir_version 1,
/// producer_name 2, producer_version 3, doc_string 6, graph 7, opset_import 8, metadata_props 14), OperatorSetIdProto
/// (domain 1, version 2), GraphProto (node 1, name 2, initializer 5, doc_string 10, input 11, output 12), NodeProto
/// (input 1, output 2, name 3, op_type 4, attribute 5, domain 7), AttributeProto (name 1, f 2, i 3, s 4, floats 7,
/// ints 8, strings 9, type 20), TensorProto (dims 1, data_type 2, name 8, raw_data 9: little-endian), ValueInfoProto
/// (name 1, type 2), TypeProto (tensor_type 1) → Tensor (elem_type 1, shape 2) → TensorShapeProto (dim 1) → Dimension
/// (dim_value 1, dim_param 2), StringStringEntryProto (key 1, value 2). Repeated scalars of proto2 without
/// <c>packed</c> are written one field per element, as declared.
/// </remarks>
public sealed class OnnxGraphBuilder(string name)
{
    /// <summary>The IR version written (IR 8: ONNX 1.10–1.12, opsets up to 17; every ONNX Runtime since 1.10 reads it).</summary>
    public const long IrVersion = 8;

    private readonly List<byte[]> _nodes = [];
    private readonly List<byte[]> _initializers = [];
    private readonly List<byte[]> _inputs = [];
    private readonly List<byte[]> _outputs = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);
    private readonly List<OnnxValueInfo> _inputInfo = [];
    private readonly List<OnnxValueInfo> _outputInfo = [];

    /// <summary>The graph inputs added so far.</summary>
    public IReadOnlyList<OnnxValueInfo> Inputs => _inputInfo;

    /// <summary>The graph outputs added so far.</summary>
    public IReadOnlyList<OnnxValueInfo> Outputs => _outputInfo;

    /// <summary>Nodes added so far.</summary>
    public int NodeCount => _nodes.Count;

    /// <summary>Adds a graph input under exactly <paramref name="inputName"/> (a column name); returns it.</summary>
    public string Input(string inputName, OnnxElementType type, params OnnxDimension[] shape)
    {
        if (!_names.Add(inputName))
        {
            throw new ArgumentException($"the graph already has a value named '{inputName}'", nameof(inputName));
        }
        var info = new OnnxValueInfo(inputName, type, shape);
        _inputInfo.Add(info);
        _inputs.Add(ValueInfo(info));
        return inputName;
    }

    /// <summary>Makes <paramref name="value"/> a graph output named exactly <paramref name="outputName"/> (through an Identity node).</summary>
    public void Output(string value, string outputName, OnnxElementType type, params OnnxDimension[] shape)
    {
        if (!_names.Add(outputName))
        {
            throw new ArgumentException($"the graph already has a value named '{outputName}'", nameof(outputName));
        }
        _nodes.Add(NodeProto("Identity", "", [value], [outputName], []));
        var info = new OnnxValueInfo(outputName, type, shape);
        _outputInfo.Add(info);
        _outputs.Add(ValueInfo(info));
    }

    /// <summary>A float32 constant of shape <paramref name="dims"/> (row-major values).</summary>
    public string Constant(string hint, ReadOnlySpan<float> values, params long[] dims) =>
        Initializer(hint, OnnxElementType.Float, MemoryMarshal.AsBytes(values), dims, values.Length);

    /// <summary>A float64 constant.</summary>
    public string Constant(string hint, ReadOnlySpan<double> values, params long[] dims) =>
        Initializer(hint, OnnxElementType.Double, MemoryMarshal.AsBytes(values), dims, values.Length);

    /// <summary>An int64 constant.</summary>
    public string Constant(string hint, ReadOnlySpan<long> values, params long[] dims) =>
        Initializer(hint, OnnxElementType.Int64, MemoryMarshal.AsBytes(values), dims, values.Length);

    /// <summary>A float32 scalar (shape []).</summary>
    public string Scalar(string hint, float value) => Constant(hint, [value]);

    /// <summary>A float64 scalar (shape []).</summary>
    public string Scalar(string hint, double value) => Constant(hint, [value]);

    /// <summary>A 1-D int64 constant (shapes, axes, starts and ends of Slice, ...).</summary>
    public string Int64s(string hint, params long[] values) => Constant(hint, values.AsSpan(), values.Length);

    /// <summary>Adds a node of the default ONNX domain with one output; returns the output's name.</summary>
    public string Node(string op, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes) => Node(op, "", inputs, attributes);

    /// <summary>Adds a node of an operator domain (<c>ai.onnx.ml</c>) with one output; returns the output's name.</summary>
    public string Node(string op, string domain, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes)
    {
        string output = Unique(op.ToLowerInvariant());
        _nodes.Add(NodeProto(op, domain, inputs, [output], attributes));
        return output;
    }

    /// <summary>
    /// The model file: this graph with the operator sets it imports, the producer and metadata (key → value,
    /// <c>metadata_props</c>), as onnx.proto's <c>ModelProto</c>.
    /// </summary>
    public byte[] ToBytes(IReadOnlyList<OnnxOpset> opsets, string producer, string producerVersion, string doc,
        IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(opsets);
        ArgumentNullException.ThrowIfNull(metadata);
        byte[] graph = Message(o =>
        {
            foreach (byte[] node in _nodes)
            {
                WriteBytes(o, 1, node);
            }
            WriteString(o, 2, name);
            foreach (byte[] initializer in _initializers)
            {
                WriteBytes(o, 5, initializer);
            }
            foreach (byte[] input in _inputs)
            {
                WriteBytes(o, 11, input);
            }
            foreach (byte[] output in _outputs)
            {
                WriteBytes(o, 12, output);
            }
        });
        return Message(o =>
        {
            WriteInt64(o, 1, IrVersion);
            WriteString(o, 2, producer);
            WriteString(o, 3, producerVersion);
            WriteString(o, 6, doc);
            WriteBytes(o, 7, graph);
            foreach (OnnxOpset opset in opsets)
            {
                WriteBytes(o, 8, Message(m =>
                {
                    WriteString(m, 1, opset.Domain);
                    WriteInt64(m, 2, opset.Version);
                }));
            }
            foreach ((string key, string value) in metadata)
            {
                WriteBytes(o, 14, Message(m =>
                {
                    WriteString(m, 1, key);
                    WriteString(m, 2, value);
                }));
            }
        });
    }

    private string Unique(string hint)
    {
        int n = _counters.GetValueOrDefault(hint);
        string candidate;
        do
        {
            candidate = string.Create(CultureInfo.InvariantCulture, $"{hint}_{n++}");
        }
        while (!_names.Add(candidate));
        _counters[hint] = n;
        return candidate;
    }

    private string Initializer(string hint, OnnxElementType type, ReadOnlySpan<byte> data, long[] dims, int count)
    {
        long expected = dims.Aggregate(1L, (a, b) => a * b);
        if (expected != count)
        {
            throw new ArgumentException($"{count} values for a tensor of shape [{string.Join(",", dims)}]");
        }
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw tensor data is little-endian; this machine is not");
        }
        string tensorName = Unique(hint);
        byte[] raw = data.ToArray();
        _initializers.Add(Message(o =>
        {
            foreach (long d in dims)
            {
                WriteInt64(o, 1, d);
            }
            WriteInt64(o, 2, (long)type);
            WriteString(o, 8, tensorName);
            WriteBytes(o, 9, raw);
        }));
        return tensorName;
    }

    private static byte[] NodeProto(string op, string domain, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, IReadOnlyList<OnnxAttribute> attributes) => Message(o =>
    {
        foreach (string input in inputs)
        {
            WriteString(o, 1, input);
        }
        foreach (string output in outputs)
        {
            WriteString(o, 2, output);
        }
        WriteString(o, 3, outputs[0]);
        WriteString(o, 4, op);
        foreach (OnnxAttribute attribute in attributes)
        {
            WriteBytes(o, 5, Attribute(attribute));
        }
        if (domain.Length > 0)
        {
            WriteString(o, 7, domain);
        }
    });

    private static byte[] Attribute(OnnxAttribute a) => Message(o =>
    {
        WriteString(o, 1, a.Name);
        switch (a.Type)
        {
            case 1:
                o.WriteTag(2, WireFormat.WireType.Fixed32);
                o.WriteFloat(a.Floats[0]);
                break;
            case 2:
                WriteInt64(o, 3, a.Integers[0]);
                break;
            case 3:
                WriteBytes(o, 4, Encoding.UTF8.GetBytes(a.Strings[0]));
                break;
            case 6:
                foreach (float f in a.Floats)
                {
                    o.WriteTag(7, WireFormat.WireType.Fixed32);
                    o.WriteFloat(f);
                }
                break;
            case 7:
                foreach (long i in a.Integers)
                {
                    WriteInt64(o, 8, i);
                }
                break;
            case 8:
                foreach (string s in a.Strings)
                {
                    WriteBytes(o, 9, Encoding.UTF8.GetBytes(s));
                }
                break;
        }
        WriteInt64(o, 20, a.Type);
    });

    private static byte[] ValueInfo(OnnxValueInfo info)
    {
        byte[] shape = Message(o =>
        {
            foreach (OnnxDimension d in info.Shape)
            {
                WriteBytes(o, 1, Message(m =>
                {
                    if (d.Value is long v)
                    {
                        WriteInt64(m, 1, v);
                    }
                    else
                    {
                        WriteString(m, 2, d.Parameter ?? "");
                    }
                }));
            }
        });
        byte[] tensor = Message(o =>
        {
            WriteInt64(o, 1, (long)info.ElementType);
            WriteBytes(o, 2, shape);
        });
        return Message(o =>
        {
            WriteString(o, 1, info.Name);
            WriteBytes(o, 2, Message(m => WriteBytes(m, 1, tensor)));
        });
    }

    private static byte[] Message(Action<CodedOutputStream> body)
    {
        using var memory = new MemoryStream();
        using (var output = new CodedOutputStream(memory, leaveOpen: true))
        {
            body(output);
        }
        return memory.ToArray();
    }

    private static void WriteInt64(CodedOutputStream o, int field, long value)
    {
        o.WriteTag(field, WireFormat.WireType.Varint);
        o.WriteInt64(value);
    }

    private static void WriteString(CodedOutputStream o, int field, string value) => WriteBytes(o, field, Encoding.UTF8.GetBytes(value));

    private static void WriteBytes(CodedOutputStream o, int field, byte[] value)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(ByteString.CopyFrom(value));
    }
}
