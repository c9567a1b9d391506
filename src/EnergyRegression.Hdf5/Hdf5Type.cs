using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using PureHDF;

namespace EnergyRegression.Hdf5;

/// <summary>What an HDF5 datatype becomes.</summary>
public enum Hdf5TypeKind
{
    /// <summary>A number (integer, float) or a boolean: one column.</summary>
    Number,

    /// <summary>A compound (record) of number members: one column per member.</summary>
    Compound,

    /// <summary>Strings, references, variable-length, opaque, bit fields, arrays, other floats: not readable as columns.</summary>
    Unsupported,
}

/// <summary>One member of a compound type: its name, byte offset in the record and type.</summary>
public sealed record Hdf5Member(string Name, int Offset, Hdf5Type Type);

/// <summary>
/// An HDF5 datatype as this library reads it: the CLR element type a number becomes, its size and byte
/// order, or the members of a compound. Values are read as the file's raw bytes and converted here
/// (byte swap, h5py's FALSE/TRUE enum to bool), so any byte order reads the same.
/// </summary>
public sealed class Hdf5Type
{
    private Hdf5Type(Hdf5TypeKind kind, Type? elementType, int size, bool bigEndian, bool isBool, IReadOnlyList<Hdf5Member> members, string name)
    {
        Kind = kind;
        ElementType = elementType;
        Size = size;
        BigEndian = bigEndian;
        IsBool = isBool;
        Members = members;
        Name = name;
    }

    /// <summary>Number, compound or unsupported.</summary>
    public Hdf5TypeKind Kind { get; }

    /// <summary>The CLR type of a number (float, double, sbyte … ulong, bool); null otherwise.</summary>
    public Type? ElementType { get; }

    /// <summary>Size of one element (or record) in the file, bytes.</summary>
    public int Size { get; }

    /// <summary>True when the file stores the number big-endian.</summary>
    public bool BigEndian { get; }

    /// <summary>True for a boolean: h5py's enum {FALSE = 0, TRUE = 1} over an 8-bit integer.</summary>
    public bool IsBool { get; }

    /// <summary>The members of a compound, in file order; empty otherwise.</summary>
    public IReadOnlyList<Hdf5Member> Members { get; }

    /// <summary>A short description: <c>float32</c>, <c>int32 (big-endian)</c>, <c>bool</c>, <c>compound {e: float32, n: int16}</c>, <c>string</c>.</summary>
    public string Name { get; }

    /// <summary>Why the type cannot become a column, or null when it can.</summary>
    public string? Unsupported { get; private init; }

    /// <summary>Maps a PureHDF datatype.</summary>
    public static Hdf5Type Of(IH5DataType type)
    {
        switch (type.Class)
        {
            case H5DataTypeClass.FixedPoint:
            {
                bool signed = type.FixedPoint.IsSigned;
                Type? clr = (type.Size, signed) switch
                {
                    (1, true) => typeof(sbyte),
                    (1, false) => typeof(byte),
                    (2, true) => typeof(short),
                    (2, false) => typeof(ushort),
                    (4, true) => typeof(int),
                    (4, false) => typeof(uint),
                    (8, true) => typeof(long),
                    (8, false) => typeof(ulong),
                    _ => null,
                };
                string bits = (type.Size * 8).ToString(CultureInfo.InvariantCulture);
                return clr is null
                    ? Unsupportable($"{(signed ? "int" : "uint")}{bits}", type.Size, $"{bits}-bit integers are not supported")
                    : Number(clr, type.Size, PureHdfInternals.IsBigEndian(type), isBool: false);
            }
            case H5DataTypeClass.FloatingPoint:
                return type.Size switch
                {
                    4 => Number(typeof(float), 4, PureHdfInternals.IsBigEndian(type), isBool: false),
                    8 => Number(typeof(double), 8, PureHdfInternals.IsBigEndian(type), isBool: false),
                    _ => Unsupportable($"float{type.Size * 8}", type.Size, $"{type.Size * 8}-bit floats are not supported (only 32 and 64 bits)"),
                };
            case H5DataTypeClass.Enumerated:
            {
                Hdf5Type baseType = Of(type.Enumeration.BaseType);
                if (baseType.Size == 1 && baseType.Kind == Hdf5TypeKind.Number && IsFalseTrue(type.Enumeration, baseType.ElementType == typeof(sbyte)))
                {
                    return Number(typeof(bool), 1, bigEndian: false, isBool: true);
                }
                // Any other enum reads as its integer values.
                return baseType;
            }
            case H5DataTypeClass.Compound:
            {
                var members = new List<Hdf5Member>();
                foreach (CompoundMember m in type.Compound.Members)
                {
                    members.Add(new Hdf5Member(m.Name, m.Offset, Of(m.Type)));
                }
                string name = "compound {" + string.Join(", ", members.Select(m => $"{m.Name}: {m.Type.Name}")) + "}";
                return new Hdf5Type(Hdf5TypeKind.Compound, null, type.Size, false, false, members, name);
            }
            default:
            {
                string name = type.Class switch
                {
                    H5DataTypeClass.String => "string",
                    H5DataTypeClass.VariableLength => "variable-length",
                    H5DataTypeClass.Reference => "reference",
                    H5DataTypeClass.Opaque => "opaque",
                    H5DataTypeClass.BitField => "bitfield",
                    H5DataTypeClass.Array => "array",
                    H5DataTypeClass.Time => "time",
                    _ => type.Class.ToString().ToLowerInvariant(),
                };
                return Unsupportable(name, type.Size, $"{name} values cannot become columns");
            }
        }
    }

    /// <summary>A little-endian number type (what the writer stores).</summary>
    public static Hdf5Type Number(Type elementType, int size, bool bigEndian, bool isBool)
    {
        string name = isBool ? "bool" : ShortName(elementType) + (bigEndian ? " (big-endian)" : "");
        return new Hdf5Type(Hdf5TypeKind.Number, elementType, size, bigEndian, isBool, [], name);
    }

    private static Hdf5Type Unsupportable(string name, int size, string reason) =>
        new(Hdf5TypeKind.Unsupported, null, size, false, false, [], name) { Unsupported = reason };

    private static bool IsFalseTrue(IEnumerationType enumeration, bool signed)
    {
        // h5py stores numpy bool as enum {FALSE = 0, TRUE = 1} over int8.
        Dictionary<string, long> members = signed
            ? enumeration.GetMembers<sbyte>().ToDictionary(p => p.Key, p => (long)p.Value)
            : enumeration.GetMembers<byte>().ToDictionary(p => p.Key, p => (long)p.Value);
        return members.Count == 2 && members.TryGetValue("FALSE", out long f) && f == 0 && members.TryGetValue("TRUE", out long t) && t == 1;
    }

    /// <summary>The short type names of the project (<c>float32</c>, <c>int64</c>, <c>bool</c>, ...).</summary>
    public static string ShortName(Type type) => type switch
    {
        _ when type == typeof(bool) => "bool",
        _ when type == typeof(sbyte) => "int8",
        _ when type == typeof(byte) => "uint8",
        _ when type == typeof(short) => "int16",
        _ when type == typeof(ushort) => "uint16",
        _ when type == typeof(int) => "int32",
        _ when type == typeof(uint) => "uint32",
        _ when type == typeof(long) => "int64",
        _ when type == typeof(ulong) => "uint64",
        _ when type == typeof(float) => "float32",
        _ when type == typeof(double) => "float64",
        _ => type.Name,
    };

    /// <summary>
    /// Converts <paramref name="count"/> values of this number type from raw file bytes into
    /// <paramref name="destination"/>: value <c>i</c> is read at <c>offset + i * stride</c> (stride = record
    /// size for a compound member, else the element size). Swaps bytes of big-endian values; booleans
    /// become true for any non-zero byte.
    /// </summary>
    public void Decode(ReadOnlySpan<byte> raw, int offset, int stride, Span<byte> destination, int count)
    {
        if (Kind != Hdf5TypeKind.Number)
        {
            throw new InvalidOperationException($"{Name} is not a number type.");
        }
        int size = Size;
        if (destination.Length < count * size)
        {
            throw new ArgumentException("Destination too small.", nameof(destination));
        }
        if (stride == size && offset == 0)
        {
            raw[..(count * size)].CopyTo(destination);
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                raw.Slice(offset + (i * stride), size).CopyTo(destination.Slice(i * size, size));
            }
        }
        FixUp(destination[..(count * size)]);
    }

    /// <summary>In place: byte-swaps big-endian values, turns boolean bytes into 0/1.</summary>
    public void FixUp(Span<byte> values)
    {
        if (IsBool)
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = values[i] == 0 ? (byte)0 : (byte)1;
            }
            return;
        }
        if (!BigEndian || Size == 1)
        {
            return;
        }
        switch (Size)
        {
            case 2:
                Span<ushort> u16 = MemoryMarshal.Cast<byte, ushort>(values);
                BinaryPrimitives.ReverseEndianness(u16, u16);
                break;
            case 4:
                Span<uint> u32 = MemoryMarshal.Cast<byte, uint>(values);
                BinaryPrimitives.ReverseEndianness(u32, u32);
                break;
            case 8:
                Span<ulong> u64 = MemoryMarshal.Cast<byte, ulong>(values);
                BinaryPrimitives.ReverseEndianness(u64, u64);
                break;
            default:
                throw new InvalidOperationException($"Cannot swap {Size}-byte values.");
        }
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
