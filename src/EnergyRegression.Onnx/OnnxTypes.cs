using System.Globalization;

namespace EnergyRegression.Onnx;

/// <summary>Element types of ONNX tensors (onnx.proto, <c>TensorProto.DataType</c>): the ones the project writes and reads.</summary>
public enum OnnxElementType
{
    /// <summary>Not set.</summary>
    Undefined = 0,

    /// <summary>float32.</summary>
    Float = 1,

    /// <summary>uint8.</summary>
    UInt8 = 2,

    /// <summary>int8.</summary>
    Int8 = 3,

    /// <summary>int32.</summary>
    Int32 = 6,

    /// <summary>int64.</summary>
    Int64 = 7,

    /// <summary>bool.</summary>
    Bool = 9,

    /// <summary>float64.</summary>
    Double = 11,
}

/// <summary>An operator set a model imports: the domain (<c>""</c> for ONNX's own, <c>ai.onnx.ml</c>) and its version.</summary>
public sealed record OnnxOpset(string Domain, long Version)
{
    /// <summary><c>ai.onnx 17</c>, <c>ai.onnx.ml 3</c>.</summary>
    public override string ToString() => $"{(Domain.Length == 0 ? "ai.onnx" : Domain)} {Version.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>One dimension of a tensor shape: a fixed size, or a named one (<c>N</c>, any size) when <see cref="Value"/> is null.</summary>
public readonly record struct OnnxDimension(long? Value, string? Parameter)
{
    /// <summary>A dimension of any size, named (<c>N</c> for the objects of a batch).</summary>
    public static OnnxDimension Named(string name) => new(null, name);

    /// <summary>A fixed size.</summary>
    public static implicit operator OnnxDimension(long value) => new(value, null);

    /// <summary>Converts a fixed size.</summary>
    public static OnnxDimension FromInt64(long value) => new(value, null);

    /// <summary>The size, the name, or <c>?</c>.</summary>
    public override string ToString() => Value?.ToString(CultureInfo.InvariantCulture) ?? Parameter ?? "?";
}

/// <summary>A graph input or output: name, element type and shape (empty shape: unknown rank).</summary>
public sealed record OnnxValueInfo(string Name, OnnxElementType ElementType, IReadOnlyList<OnnxDimension> Shape)
{
    /// <summary><c>name float[N,7,11]</c>.</summary>
    public override string ToString() => $"{Name} {TypeName(ElementType)}[{string.Join(",", Shape)}]";

    /// <summary>The ONNX spelling of an element type.</summary>
    public static string TypeName(OnnxElementType type) => type switch
    {
        OnnxElementType.Float => "float",
        OnnxElementType.Double => "double",
        OnnxElementType.Int64 => "int64",
        OnnxElementType.Int32 => "int32",
        OnnxElementType.Bool => "bool",
        OnnxElementType.UInt8 => "uint8",
        OnnxElementType.Int8 => "int8",
        _ => $"type {(int)type}",
    };
}

/// <summary>A node attribute (onnx.proto <c>AttributeProto</c>): one of int, ints, float, floats, string, strings.</summary>
public sealed class OnnxAttribute
{
    private OnnxAttribute(string name, int type)
    {
        Name = name;
        Type = type;
    }

    /// <summary>The attribute's name.</summary>
    public string Name { get; }

    /// <summary><c>AttributeProto.AttributeType</c>: FLOAT 1, INT 2, STRING 3, FLOATS 6, INTS 7, STRINGS 8.</summary>
    internal int Type { get; }

    internal long[] Integers { get; private init; } = [];

    internal float[] Floats { get; private init; } = [];

    internal string[] Strings { get; private init; } = [];

    /// <summary>An int attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, 2) { Integers = [value] };

    /// <summary>An ints attribute.</summary>
    public static OnnxAttribute Ints(string name, params long[] values) => new(name, 7) { Integers = values };

    /// <summary>A float attribute.</summary>
    public static OnnxAttribute Float(string name, float value) => new(name, 1) { Floats = [value] };

    /// <summary>A floats attribute.</summary>
    public static OnnxAttribute FloatList(string name, params float[] values) => new(name, 6) { Floats = values };

    /// <summary>A string attribute.</summary>
    public static OnnxAttribute String(string name, string value) => new(name, 3) { Strings = [value] };

    /// <summary>A strings attribute.</summary>
    public static OnnxAttribute StringList(string name, params string[] values) => new(name, 8) { Strings = values };
}
