using Google.Protobuf;

namespace EnergyRegression.Onnx;

/// <summary>
/// What an ONNX model file says about itself, read without running it: IR version, producer, the operator sets it
/// imports, the graph's inputs and outputs with their types and shapes, and <c>metadata_props</c>. Field numbers as
/// in <see cref="OnnxGraphBuilder"/>; every other field is skipped, so models of any producer are read.
/// </summary>
public sealed record OnnxModelInfo(
    long IrVersion, string Producer, string ProducerVersion, IReadOnlyList<OnnxOpset> Opsets,
    IReadOnlyList<OnnxValueInfo> Inputs, IReadOnlyList<OnnxValueInfo> Outputs, IReadOnlyDictionary<string, string> Metadata, int Nodes)
{
    /// <summary>Reads a model file; a file that is not an ONNX model is an <see cref="InvalidDataException"/> saying why.</summary>
    public static OnnxModelInfo Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        try
        {
            return Parse(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"not an ONNX model (protobuf: {e.Message})", e);
        }
    }

    /// <summary>Parses a serialised <c>ModelProto</c>.</summary>
    public static OnnxModelInfo Parse(byte[] model)
    {
        ArgumentNullException.ThrowIfNull(model);
        long ir = 0;
        string producer = "", producerVersion = "";
        var opsets = new List<OnnxOpset>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var inputs = new List<OnnxValueInfo>();
        var outputs = new List<OnnxValueInfo>();
        var initializers = new HashSet<string>(StringComparer.Ordinal);
        int nodes = 0;
        bool hasGraph = false;
        var input = new CodedInputStream(model);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint:
                    ir = input.ReadInt64();
                    break;
                case 2:
                    producer = input.ReadString();
                    break;
                case 3:
                    producerVersion = input.ReadString();
                    break;
                case 7:
                    hasGraph = true;
                    ReadGraph(input.ReadBytes(), inputs, outputs, initializers, ref nodes);
                    break;
                case 8:
                    opsets.Add(ReadOpset(input.ReadBytes()));
                    break;
                case 14:
                    (string key, string value) = ReadEntry(input.ReadBytes());
                    metadata[key] = value;
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        if (!hasGraph || ir == 0)
        {
            throw new InvalidDataException(hasGraph ? "not an ONNX model (no ir_version)" : "not an ONNX model (no graph)");
        }
        // Initializers listed as inputs (IR < 4 style) are constants, not inputs a caller feeds.
        inputs.RemoveAll(i => initializers.Contains(i.Name));
        return new OnnxModelInfo(ir, producer, producerVersion, opsets, inputs, outputs, metadata, nodes);
    }

    private static void ReadGraph(ByteString graph, List<OnnxValueInfo> inputs, List<OnnxValueInfo> outputs, HashSet<string> initializers, ref int nodes)
    {
        var input = new CodedInputStream(graph.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    nodes++;
                    input.SkipLastField();
                    break;
                case 5:
                    initializers.Add(ReadTensorName(input.ReadBytes()));
                    break;
                case 11:
                    inputs.Add(ReadValueInfo(input.ReadBytes()));
                    break;
                case 12:
                    outputs.Add(ReadValueInfo(input.ReadBytes()));
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
    }

    private static string ReadTensorName(ByteString tensor)
    {
        var input = new CodedInputStream(tensor.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 8)
            {
                return input.ReadString();
            }
            input.SkipLastField();
        }
        return "";
    }

    private static OnnxOpset ReadOpset(ByteString message)
    {
        var input = new CodedInputStream(message.ToByteArray());
        string domain = "";
        long version = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    domain = input.ReadString();
                    break;
                case 2:
                    version = input.ReadInt64();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return new OnnxOpset(domain, version);
    }

    private static (string Key, string Value) ReadEntry(ByteString message)
    {
        var input = new CodedInputStream(message.ToByteArray());
        string key = "", value = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    key = input.ReadString();
                    break;
                case 2:
                    value = input.ReadString();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return (key, value);
    }

    private static OnnxValueInfo ReadValueInfo(ByteString message)
    {
        var input = new CodedInputStream(message.ToByteArray());
        string name = "";
        var type = OnnxElementType.Undefined;
        var shape = new List<OnnxDimension>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    name = input.ReadString();
                    break;
                case 2:
                    ReadType(input.ReadBytes(), ref type, shape);
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return new OnnxValueInfo(name, type, shape);
    }

    /// <summary>TypeProto → tensor_type (1) → elem_type (1), shape (2) → dim (1) → dim_value (1) | dim_param (2).</summary>
    private static void ReadType(ByteString message, ref OnnxElementType type, List<OnnxDimension> shape)
    {
        var input = new CodedInputStream(message.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) != 1)
            {
                input.SkipLastField();
                continue;
            }
            var tensor = new CodedInputStream(input.ReadBytes().ToByteArray());
            uint t;
            while ((t = tensor.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(t))
                {
                    case 1:
                        type = (OnnxElementType)tensor.ReadInt32();
                        break;
                    case 2:
                        var dims = new CodedInputStream(tensor.ReadBytes().ToByteArray());
                        uint d;
                        while ((d = dims.ReadTag()) != 0)
                        {
                            if (WireFormat.GetTagFieldNumber(d) == 1)
                            {
                                shape.Add(ReadDimension(dims.ReadBytes()));
                            }
                            else
                            {
                                dims.SkipLastField();
                            }
                        }
                        break;
                    default:
                        tensor.SkipLastField();
                        break;
                }
            }
        }
    }

    private static OnnxDimension ReadDimension(ByteString message)
    {
        var input = new CodedInputStream(message.ToByteArray());
        var dimension = new OnnxDimension(null, null);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    dimension = new OnnxDimension(input.ReadInt64(), null);
                    break;
                case 2:
                    dimension = new OnnxDimension(null, input.ReadString());
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return dimension;
    }

    /// <summary>The metadata key under which exported models carry the energyreg model card they were made from (JSON).</summary>
    public const string CardKey = "energyreg.card";

    /// <summary>The metadata key that says how the graph's output relates to the inputs (the target transform), in words.</summary>
    public const string TargetKey = "energyreg.target";

    /// <summary>The producer name of models the project writes.</summary>
    public const string ProducerName = "energyreg";
}
