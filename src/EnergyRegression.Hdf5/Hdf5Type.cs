using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using EnergyRegression.Hdf5.Format;

namespace EnergyRegression.Hdf5;

/// <summary>What an HDF5 datatype becomes.</summary>
public enum Hdf5TypeKind
{
    /// <summary>A number (integer, float, bit field, enum) or a boolean, or a fixed array of them: one column.</summary>
    Number,

    /// <summary>A compound (record): one column per member.</summary>
    Compound,

    /// <summary>A fixed- or variable-length string: shown by dump, not a column of event batches.</summary>
    String,

    /// <summary>A variable-length sequence of numbers: a jagged column (its own collection).</summary>
    Sequence,

    /// <summary>References, opaque data, time, nested variable-length data: not readable as columns.</summary>
    Unsupported,
}

/// <summary>One member of a compound type: its name, byte offset in the record and type.</summary>
public sealed record Hdf5Member(string Name, int Offset, Hdf5Type Type);

/// <summary>
/// An HDF5 datatype as this library reads it: the CLR element type a number becomes, its size in the file,
/// the members of a compound, the base of a sequence. Values are read as the file's raw bytes and
/// converted here: byte swap, bit offset and precision of integers, h5py's FALSE/TRUE enum and 1-byte bit
/// fields to bool, any IEEE-like float layout (16-bit halves to float32, 80-bit long doubles rounded to
/// float64), so every byte order and layout reads the same.
/// </summary>
public sealed class Hdf5Type
{
    private readonly H5Datatype _type;

    private Hdf5Type(H5Datatype type, Hdf5TypeKind kind, string name)
    {
        _type = type;
        Kind = kind;
        Name = name;
        Size = type.Size;
    }

    /// <summary>Number, compound, string, sequence or unsupported.</summary>
    public Hdf5TypeKind Kind { get; }

    /// <summary>The CLR type of a number's values (float, double, sbyte … ulong, bool); null otherwise.</summary>
    public Type? ElementType { get; private init; }

    /// <summary>Size of one element (or record, or array) in the file, bytes.</summary>
    public int Size { get; }

    /// <summary>True when the file stores the number big-endian.</summary>
    public bool BigEndian => _type.BigEndian || (_type.BaseType?.BigEndian ?? false);

    /// <summary>True for a boolean: an enum {FALSE = 0, TRUE = 1} over 8 bits (h5py) or a 1-byte bit field (PyTables, pandas).</summary>
    public bool IsBool { get; private init; }

    /// <summary>For a fixed array of numbers (an array member of a compound): its dimensions; else empty.</summary>
    public int[] Shape { get; private init; } = [];

    /// <summary>The members of a compound, in file order; empty otherwise.</summary>
    public IReadOnlyList<Hdf5Member> Members { get; private init; } = [];

    /// <summary>The element type of a sequence (variable-length of numbers); null otherwise.</summary>
    public Hdf5Type? Base { get; private init; }

    /// <summary>An enum's names and values (as text), in file order; empty otherwise.</summary>
    public IReadOnlyList<(string Name, string Value)> EnumMembers { get; private init; } = [];

    /// <summary>A short description: <c>float32</c>, <c>int32 (big-endian)</c>, <c>bool</c>, <c>string[8]</c>, <c>compound {e: float32, n: int16}</c>.</summary>
    public string Name { get; }

    /// <summary>Why the type cannot become a column, or null when it can.</summary>
    public string? Unsupported { get; private init; }

    /// <summary>Bytes of one value in a column (the element type's size) times the array elements.</summary>
    public int ColumnSize => ElementType is null ? 0 : ClrSize(ElementType) * Math.Max(1, Shape.Aggregate(1, (a, d) => a * d));

    /// <summary>True when the file's bytes are the column's bytes after at most a byte swap in place.</summary>
    internal bool InPlace { get; private init; }

    internal H5Datatype Raw => _type;

    internal static Hdf5Type Of(H5Datatype type)
    {
        switch (type.Class)
        {
            case H5Class.FixedPoint:
            case H5Class.BitField:
            {
                bool bitField = type.Class == H5Class.BitField;
                if (bitField && type.Size == 1 && type.Precision is 1 or 8)
                {
                    return new Hdf5Type(type, Hdf5TypeKind.Number, "bool") { ElementType = typeof(bool), IsBool = true };
                }
                bool signed = type.Signed;
                Type? clr = (type.Size, signed) switch
                {
                    (1, true) => typeof(sbyte),
                    (1, false) => typeof(byte),
                    (2, true) => typeof(short),
                    (2, false) => typeof(ushort),
                    (3 or 4, true) => typeof(int),
                    (3 or 4, false) => typeof(uint),
                    (5 or 6 or 7 or 8, true) => typeof(long),
                    (5 or 6 or 7 or 8, false) => typeof(ulong),
                    _ => null,
                };
                string bits = (type.Size * 8).ToString(CultureInfo.InvariantCulture);
                string name = (bitField ? "bitfield" : signed ? "int" : "uint") + bits
                    + (type.Precision != type.Size * 8 || type.BitOffset != 0 ? $" ({type.Precision} bits at bit {type.BitOffset})" : "")
                    + (type.BigEndian && type.Size > 1 ? " (big-endian)" : "");
                if (clr is null)
                {
                    return Unsupportable(type, name, $"{bits}-bit integers are not supported");
                }
                bool plain = type.Precision == type.Size * 8 && type.BitOffset == 0 && type.Size is 1 or 2 or 4 or 8;
                return new Hdf5Type(type, Hdf5TypeKind.Number, name) { ElementType = clr, InPlace = plain };
            }
            case H5Class.FloatingPoint:
            {
                bool ieee32 = type.Size == 4 && IsIeee(type, 23, 8, 127);
                bool ieee64 = type.Size == 8 && IsIeee(type, 52, 11, 1023);
                string name = ieee32 ? "float32" : ieee64 ? "float64"
                    : type.Size == 2 && IsIeee(type, 10, 5, 15) ? "float16"
                    : $"float{type.Size * 8} ({type.Precision}-bit: {type.ExponentSize}-bit exponent, {type.MantissaSize}-bit mantissa)";
                if (type.BigEndian && type.Size > 1)
                {
                    name += " (big-endian)";
                }
                if (type.ExponentSize is 0 or > 30 || type.MantissaSize is 0 or > 64 || type.Size > 16)
                {
                    return Unsupportable(type, name, "this floating-point layout is not supported");
                }
                // Floats of up to 4 bytes become float32 (float16 exactly); larger ones float64 (long double rounded).
                Type clr = type.Size <= 4 && type.MantissaSize <= 23 && type.ExponentSize <= 8 ? typeof(float) : typeof(double);
                return new Hdf5Type(type, Hdf5TypeKind.Number, name) { ElementType = clr, InPlace = ieee32 || ieee64 };
            }
            case H5Class.Enumerated:
            {
                Hdf5Type baseType = Of(type.BaseType!);
                var members = new List<(string, string)>();
                for (int i = 0; i < type.EnumNames.Count; i++)
                {
                    members.Add((type.EnumNames[i], baseType.Kind == Hdf5TypeKind.Number ? baseType.Format(type.EnumValues[i], 0) : "?"));
                }
                if (baseType.Kind != Hdf5TypeKind.Number)
                {
                    return Unsupportable(type, "enum", "an enum over a non-integer type is not supported");
                }
                bool falseTrue = type.Size == 1 && members.Count == 2 && members.Contains(("FALSE", "0")) && members.Contains(("TRUE", "1"));
                if (falseTrue)
                {
                    return new Hdf5Type(type, Hdf5TypeKind.Number, "bool") { ElementType = typeof(bool), IsBool = true, EnumMembers = members };
                }
                // Any other enum reads as its integer values; inspect lists the names.
                IEnumerable<(string, string)> byValue = members.OrderBy(m => decimal.TryParse(m.Item2, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal v) ? v : 0);
                string name = $"enum {baseType.Name} {{{string.Join(", ", byValue.Select(m => $"{m.Item1} = {m.Item2}"))}}}";
                return new Hdf5Type(type, Hdf5TypeKind.Number, name) { ElementType = baseType.ElementType, InPlace = baseType.InPlace, EnumMembers = members };
            }
            case H5Class.Array:
            {
                Hdf5Type baseType = Of(type.BaseType!);
                string dims = string.Join("×", type.ArrayDimensions);
                if (baseType.Kind == Hdf5TypeKind.String && baseType.Raw.Class == H5Class.String)
                {
                    return new Hdf5Type(type, Hdf5TypeKind.String, $"{baseType.Name}[{dims}]") { Shape = [.. type.ArrayDimensions], Base = baseType };
                }
                if (baseType.Kind != Hdf5TypeKind.Number || baseType.Shape.Length > 0)
                {
                    return Unsupportable(type, $"{baseType.Name}[{dims}]", "arrays of anything but numbers are not supported");
                }
                return new Hdf5Type(type, Hdf5TypeKind.Number, $"{baseType.Name}[{dims}]")
                {
                    ElementType = baseType.ElementType, IsBool = baseType.IsBool, InPlace = baseType.InPlace, Shape = [.. type.ArrayDimensions],
                    Base = baseType,
                };
            }
            case H5Class.Compound:
            {
                var members = new List<Hdf5Member>();
                foreach (H5CompoundMember m in type.Members)
                {
                    members.Add(new Hdf5Member(m.Name, m.Offset, Of(m.Type)));
                }
                string name = "compound {" + string.Join(", ", members.Select(m => $"{m.Name}: {m.Type.Name}")) + "}";
                return new Hdf5Type(type, Hdf5TypeKind.Compound, name) { Members = members };
            }
            case H5Class.String:
                return new Hdf5Type(type, Hdf5TypeKind.String, $"string[{type.Size}]{(type.CharacterSet == 1 ? " (UTF-8)" : "")}");
            case H5Class.VariableLength when type.IsVariableString:
                return new Hdf5Type(type, Hdf5TypeKind.String, "string (variable length)" + (type.CharacterSet == 1 ? " (UTF-8)" : ""));
            case H5Class.VariableLength:
            {
                Hdf5Type baseType = Of(type.BaseType!);
                if (baseType.Kind != Hdf5TypeKind.Number || baseType.Shape.Length > 0)
                {
                    return Unsupportable(type, $"variable-length {baseType.Name}", "variable-length data of anything but numbers is not supported");
                }
                return new Hdf5Type(type, Hdf5TypeKind.Sequence, $"variable-length {baseType.Name}") { Base = baseType, ElementType = baseType.ElementType };
            }
            default:
            {
                string name = type.Class switch
                {
                    H5Class.Reference => "reference",
                    H5Class.Opaque => type.OpaqueTag.Length > 0 ? $"opaque ({type.OpaqueTag})" : "opaque",
                    H5Class.Time => "time",
                    _ => type.Class.ToString().ToLowerInvariant(),
                };
                return Unsupportable(type, name, $"{name} values cannot become columns");
            }
        }
    }

    private static bool IsIeee(H5Datatype t, int mantissa, int exponent, long bias) =>
        t.MantissaSize == mantissa && t.MantissaLocation == 0 && t.ExponentSize == exponent && t.ExponentLocation == mantissa
        && t.SignLocation == mantissa + exponent && t.ExponentBias == bias && t.MantissaNormalization == 2 && t.BitOffset == 0 && t.Precision == t.Size * 8;

    private static Hdf5Type Unsupportable(H5Datatype type, string name, string reason) =>
        new(type, Hdf5TypeKind.Unsupported, name) { Unsupported = reason };

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

    internal static int ClrSize(Type t) => t == typeof(bool) ? 1 : Marshal.SizeOf(t);

    /// <summary>
    /// Converts <paramref name="count"/> values of this number type from raw file bytes into
    /// <paramref name="destination"/> (the element type's values, row-major; arrays element by element):
    /// value <c>i</c> is read at <c>offset + i * stride</c> of <paramref name="raw"/> (stride = record
    /// size for a compound member, else the size).
    /// </summary>
    public void Decode(ReadOnlySpan<byte> raw, int offset, int stride, Span<byte> destination, int count)
    {
        if (Kind != Hdf5TypeKind.Number)
        {
            throw new InvalidOperationException($"{Name} is not a number type.");
        }
        int columnSize = ColumnSize;
        if (destination.Length < count * columnSize)
        {
            throw new ArgumentException("Destination too small.", nameof(destination));
        }
        H5Datatype scalar = Base?.Raw ?? (_type.Class == H5Class.Enumerated ? _type.BaseType! : _type);
        int elements = Math.Max(1, Shape.Aggregate(1, (a, d) => a * d));
        int fileElement = scalar.Size;
        int clrElement = ClrSize(ElementType!);
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> source = raw.Slice(offset + (i * stride), Size);
            Span<byte> target = destination.Slice(i * columnSize, columnSize);
            if (InPlace && !IsBool)
            {
                source.CopyTo(target);
                continue;
            }
            for (int e = 0; e < elements; e++)
            {
                ConvertOne(scalar, source.Slice(e * fileElement, fileElement), target.Slice(e * clrElement, clrElement));
            }
        }
        FixUp(destination[..(count * columnSize)]);
    }

    /// <summary>In place, for values whose file bytes are already the column's: byte swap, booleans to 0/1.</summary>
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
        if (!InPlace || !BigEndian)
        {
            return;
        }
        switch (ClrSize(ElementType!))
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
        }
    }

    /// <summary>One value of a non-plain number type (bit offset/precision, padded sizes, any float layout) into its CLR value, little-endian.</summary>
    private void ConvertOne(H5Datatype t, ReadOnlySpan<byte> source, Span<byte> target)
    {
        if (IsBool)
        {
            bool any = false;
            foreach (byte b in source)
            {
                any |= b != 0;
            }
            target[0] = any ? (byte)1 : (byte)0;
            return;
        }
        if (t.Class == H5Class.FloatingPoint)
        {
            double v = Float(t, source);
            if (ElementType == typeof(float))
            {
                BinaryPrimitives.WriteSingleLittleEndian(target, (float)v);
            }
            else
            {
                BinaryPrimitives.WriteDoubleLittleEndian(target, v);
            }
            return;
        }
        // Integers: the precision bits at the bit offset, sign-extended for signed types.
        UInt128 bits = Bits(t, source);
        int precision = Math.Min(t.Precision, 64);
        ulong value = (ulong)(bits >> t.BitOffset) & (precision == 64 ? ulong.MaxValue : (1UL << precision) - 1);
        if (t.Signed && precision < 64 && (value & (1UL << (precision - 1))) != 0)
        {
            value |= ~((1UL << precision) - 1);
        }
        for (int k = 0; k < target.Length; k++)
        {
            target[k] = (byte)(value >> (8 * k));
        }
    }

    private static UInt128 Bits(H5Datatype t, ReadOnlySpan<byte> source)
    {
        UInt128 bits = 0;
        for (int k = 0; k < source.Length && k < 16; k++)
        {
            int index = t.BigEndian ? source.Length - 1 - k : k;
            bits |= (UInt128)source[index] << (8 * k);
        }
        return bits;
    }

    /// <summary>Any floating-point layout the datatype message describes, as a double (rounded once when it has more than 53 mantissa bits).</summary>
    internal static double Float(H5Datatype t, ReadOnlySpan<byte> source)
    {
        UInt128 bits = Bits(t, source);
        bool negative = ((bits >> t.SignLocation) & 1) != 0;
        ulong exponent = (ulong)(bits >> t.ExponentLocation) & ((1UL << t.ExponentSize) - 1);
        ulong mantissa = (ulong)(bits >> t.MantissaLocation) & (t.MantissaSize == 64 ? ulong.MaxValue : (1UL << t.MantissaSize) - 1);
        ulong maxExponent = (1UL << t.ExponentSize) - 1;
        double v;
        bool explicitLead = t.MantissaNormalization == 1;
        ulong fraction = explicitLead && t.MantissaSize > 0 ? mantissa & ((1UL << (t.MantissaSize - 1)) - 1) : mantissa;
        if (exponent == maxExponent)
        {
            v = fraction == 0 ? double.PositiveInfinity : double.NaN;
        }
        else if (t.MantissaNormalization == 2)
        {
            int fractionBits = t.MantissaSize;
            v = exponent == 0
                ? Math.ScaleB(mantissa, (int)(1 - t.ExponentBias - fractionBits))
                : Math.ScaleB((double)((1UL << fractionBits) | mantissa), (int)((long)exponent - t.ExponentBias - fractionBits));
        }
        else
        {
            // Explicit leading bit (x87 extended) or no normalization: mantissa · 2^(exponent − bias − (bits − 1)).
            int scale = (int)((long)Math.Max(exponent, 1) - t.ExponentBias - (t.MantissaSize - 1));
            v = Math.ScaleB((double)mantissa, scale);
        }
        return negative ? -v : v;
    }

    /// <summary>A value of this number type (raw file bytes at <paramref name="offset"/>) as text: for attributes and enum values.</summary>
    internal string Format(ReadOnlySpan<byte> raw, int offset)
    {
        byte[] value = new byte[ColumnSize];
        Decode(raw, offset, Size, value, 1);
        var parts = new List<string>();
        int size = ClrSize(ElementType!);
        for (int at = 0; at < value.Length; at += size)
        {
            ReadOnlySpan<byte> v = value.AsSpan(at, size);
            parts.Add(ElementType switch
            {
                _ when ElementType == typeof(bool) => v[0] != 0 ? "true" : "false",
                _ when ElementType == typeof(sbyte) => ((sbyte)v[0]).ToString(CultureInfo.InvariantCulture),
                _ when ElementType == typeof(byte) => v[0].ToString(CultureInfo.InvariantCulture),
                _ when ElementType == typeof(short) => BinaryPrimitives.ReadInt16LittleEndian(v).ToString(CultureInfo.InvariantCulture),
                _ when ElementType == typeof(ushort) => BinaryPrimitives.ReadUInt16LittleEndian(v).ToString(CultureInfo.InvariantCulture),
                _ when ElementType == typeof(int) => BinaryPrimitives.ReadInt32LittleEndian(v).ToString(CultureInfo.InvariantCulture),
                _ when ElementType == typeof(uint) => BinaryPrimitives.ReadUInt32LittleEndian(v).ToString(CultureInfo.InvariantCulture),
                _ when ElementType == typeof(long) => BinaryPrimitives.ReadInt64LittleEndian(v).ToString(CultureInfo.InvariantCulture),
                _ when ElementType == typeof(ulong) => BinaryPrimitives.ReadUInt64LittleEndian(v).ToString(CultureInfo.InvariantCulture),
                _ when ElementType == typeof(float) => BinaryPrimitives.ReadSingleLittleEndian(v).ToString("R", CultureInfo.InvariantCulture),
                _ => BinaryPrimitives.ReadDoubleLittleEndian(v).ToString("R", CultureInfo.InvariantCulture),
            });
        }
        return parts.Count == 1 ? parts[0] : "[" + string.Join(", ", parts) + "]";
    }

    /// <summary>A fixed-length string value (padding and terminator removed).</summary>
    internal string FixedString(ReadOnlySpan<byte> raw)
    {
        int end = raw.IndexOf((byte)0);
        if (end >= 0)
        {
            raw = raw[..end];
        }
        string s = Encoding.UTF8.GetString(raw);
        return _type.Padding == 2 ? s.TrimEnd(' ') : s;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
