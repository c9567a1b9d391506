using System.Text;

namespace EnergyRegression.Hdf5.Format;

/// <summary>HDF5 datatype classes (spec IV.A.2.d).</summary>
internal enum H5Class
{
    FixedPoint = 0,
    FloatingPoint = 1,
    Time = 2,
    String = 3,
    BitField = 4,
    Opaque = 5,
    Compound = 6,
    Reference = 7,
    Enumerated = 8,
    VariableLength = 9,
    Array = 10,
}

internal sealed record H5CompoundMember(string Name, int Offset, H5Datatype Type);

/// <summary>
/// A datatype message decoded (spec IV.A.2.d): class, size and the class's properties — byte order,
/// sign, bit offset and precision of numbers, the bit layout of floats, padding and character set of
/// strings, members of compounds, names and values of enums, the base type of enums, variable-length
/// and array types.
/// </summary>
internal sealed class H5Datatype
{
    public H5Class Class { get; private init; }

    public int Size { get; private init; }

    public bool BigEndian { get; private init; }

    public bool Signed { get; private init; }

    public int BitOffset { get; private init; }

    public int Precision { get; private init; }

    // Floating point: sign bit position, exponent and mantissa positions and sizes, exponent bias, and the
    // mantissa normalization (0 none, 1 most significant bit always set = explicit, 2 implied).
    public int SignLocation { get; private init; }

    public int ExponentLocation { get; private init; }

    public int ExponentSize { get; private init; }

    public int MantissaLocation { get; private init; }

    public int MantissaSize { get; private init; }

    public long ExponentBias { get; private init; }

    public int MantissaNormalization { get; private init; }

    /// <summary>String padding: 0 null-terminated, 1 null-padded, 2 space-padded.</summary>
    public int Padding { get; private init; }

    /// <summary>String character set: 0 ASCII, 1 UTF-8.</summary>
    public int CharacterSet { get; private init; }

    /// <summary>Variable-length: true for a string, false for a sequence of <see cref="BaseType"/>.</summary>
    public bool IsVariableString { get; private init; }

    public IReadOnlyList<H5CompoundMember> Members { get; private init; } = [];

    /// <summary>Base type of an enum, variable-length sequence or array.</summary>
    public H5Datatype? BaseType { get; private init; }

    public IReadOnlyList<string> EnumNames { get; private init; } = [];

    /// <summary>Enum values as the base type's raw bytes, one per name.</summary>
    public IReadOnlyList<byte[]> EnumValues { get; private init; } = [];

    public IReadOnlyList<int> ArrayDimensions { get; private init; } = [];

    public string OpaqueTag { get; private init; } = "";

    /// <summary>Decodes a datatype message body; a shared (committed) datatype is followed to its object.</summary>
    public static H5Datatype FromMessage(H5Source source, H5Message message, string what)
    {
        if (message.IsShared)
        {
            ulong address = SharedAddress(source, message.Body, what);
            H5Message real = source.ObjectHeader(address).First(H5MessageType.Datatype)
                ?? throw source.Error(what, $"Its committed datatype at {H5Source.Hex(address)} has no datatype message: the file is damaged.");
            return FromMessage(source, real, what);
        }
        var c = new H5Cursor(source, message.Body, what);
        return Parse(c, 0);
    }

    /// <summary>The object header address of a shared message (spec IV.A.2, "Shared Messages").</summary>
    public static ulong SharedAddress(H5Source source, byte[] body, string what)
    {
        var c = new H5Cursor(source, body, what);
        int version = c.U8();
        int type = c.U8();
        switch (version)
        {
            case 1:
                c.Skip(6);
                return c.Offset();
            case 2:
                return c.Offset();
            case 3 when type == 2:
                return c.Offset();
            case 3 when type == 1:
                throw c.Fail("A message shared through the file's shared-message table (SOHM) is not supported by this reader.");
            default:
                throw c.Fail($"Shared message version {version}, type {type} is unknown: the file is damaged.");
        }
    }

    public static H5Datatype Parse(H5Cursor c, int depth)
    {
        if (depth > 32)
        {
            throw c.Fail("Its datatype nests deeper than 32 levels: the file is damaged.");
        }
        int start = c.Position;
        byte classAndVersion = c.U8();
        var cls = (H5Class)(classAndVersion & 0x0f);
        int version = classAndVersion >> 4;
        uint bits = c.U8() | ((uint)c.U8() << 8) | ((uint)c.U8() << 16);
        uint size = c.U32();
        if (size > 1 << 28 || version is < 1 or > 5)
        {
            throw c.Fail($"A datatype of class {(int)cls}, version {version}, size {size} is impossible: the file is damaged.");
        }
        int n = (int)size;
        switch (cls)
        {
            case H5Class.FixedPoint:
            case H5Class.BitField:
            {
                int offset = c.U16();
                int precision = c.U16();
                return new H5Datatype { Class = cls, Size = n, BigEndian = (bits & 1) != 0, Signed = cls == H5Class.FixedPoint && (bits & 0x08) != 0, BitOffset = offset, Precision = precision };
            }
            case H5Class.FloatingPoint:
            {
                int offset = c.U16();
                int precision = c.U16();
                int expLocation = c.U8();
                int expSize = c.U8();
                int mantLocation = c.U8();
                int mantSize = c.U8();
                uint bias = c.U32();
                bool vax = (bits & 0x40) != 0;
                if (vax)
                {
                    throw c.Fail("VAX-order floating point is not supported.");
                }
                return new H5Datatype
                {
                    Class = cls, Size = n, BigEndian = (bits & 1) != 0, BitOffset = offset, Precision = precision,
                    SignLocation = (int)((bits >> 8) & 0xff), ExponentLocation = expLocation, ExponentSize = expSize,
                    MantissaLocation = mantLocation, MantissaSize = mantSize, ExponentBias = bias, MantissaNormalization = (int)((bits >> 4) & 3),
                };
            }
            case H5Class.Time:
                c.Skip(2);
                return new H5Datatype { Class = cls, Size = n, BigEndian = (bits & 1) != 0 };
            case H5Class.String:
                return new H5Datatype { Class = cls, Size = n, Padding = (int)(bits & 0x0f), CharacterSet = (int)((bits >> 4) & 0x0f) };
            case H5Class.Opaque:
            {
                int tagLength = (int)(bits & 0xff);
                string tag = Encoding.ASCII.GetString(c.Bytes(tagLength)).TrimEnd('\0');
                return new H5Datatype { Class = cls, Size = n, OpaqueTag = tag };
            }
            case H5Class.Compound:
                return ParseCompound(c, version, (int)(bits & 0xffff), n, depth);
            case H5Class.Reference:
                return new H5Datatype { Class = cls, Size = n };
            case H5Class.Enumerated:
            {
                int count = (int)(bits & 0xffff);
                H5Datatype baseType = Parse(c, depth + 1);
                var names = new List<string>(count);
                for (int i = 0; i < count; i++)
                {
                    int nameStart = c.Position;
                    names.Add(c.CString());
                    if (version < 3)
                    {
                        c.Align(8, nameStart);
                    }
                }
                var values = new List<byte[]>(count);
                for (int i = 0; i < count; i++)
                {
                    values.Add(c.Bytes(baseType.Size).ToArray());
                }
                return new H5Datatype { Class = cls, Size = n, BaseType = baseType, EnumNames = names, EnumValues = values, BigEndian = baseType.BigEndian, Signed = baseType.Signed };
            }
            case H5Class.VariableLength:
            {
                H5Datatype baseType = Parse(c, depth + 1);
                return new H5Datatype
                {
                    Class = cls, Size = n, IsVariableString = (bits & 0x0f) == 1, Padding = (int)((bits >> 4) & 0x0f),
                    CharacterSet = (int)((bits >> 8) & 0x0f), BaseType = baseType,
                };
            }
            case H5Class.Array:
            {
                int rank = c.U8();
                if (version < 3)
                {
                    c.Skip(3);
                }
                var dims = new int[rank];
                for (int i = 0; i < rank; i++)
                {
                    dims[i] = c.Count(c.U32(), "array dimension", 1 << 28);
                }
                if (version < 3)
                {
                    c.Skip(4 * rank); // permutation indices
                }
                H5Datatype baseType = Parse(c, depth + 1);
                return new H5Datatype { Class = cls, Size = n, BaseType = baseType, ArrayDimensions = dims };
            }
            default:
                throw c.Fail($"Datatype class {(int)cls} is unknown (at byte {start}): the file is damaged.");
        }
    }

    private static H5Datatype ParseCompound(H5Cursor c, int version, int count, int size, int depth)
    {
        var members = new List<H5CompoundMember>(count);
        for (int i = 0; i < count; i++)
        {
            int nameStart = c.Position;
            string name = c.CString();
            int offset;
            H5Datatype type;
            if (version < 3)
            {
                c.Align(8, nameStart);
                offset = (int)c.U32();
                if (version == 1)
                {
                    int rank = c.U8();
                    c.Skip(3 + 4 + 4);
                    var dims = new int[4];
                    for (int d = 0; d < 4; d++)
                    {
                        dims[d] = (int)c.U32();
                    }
                    type = Parse(c, depth + 1);
                    if (rank > 0)
                    {
                        int[] arrayDims = dims[..Math.Min(rank, 4)];
                        long elements = arrayDims.Aggregate(1L, (a, d) => a * d);
                        type = new H5Datatype { Class = H5Class.Array, Size = checked((int)(elements * type.Size)), BaseType = type, ArrayDimensions = arrayDims };
                    }
                }
                else
                {
                    type = Parse(c, depth + 1);
                }
            }
            else
            {
                int offsetBytes = size < 1 << 8 ? 1 : size < 1 << 16 ? 2 : size < 1 << 24 ? 3 : 4;
                offset = (int)c.Unsigned(offsetBytes);
                type = Parse(c, depth + 1);
            }
            if (offset < 0 || offset + type.Size > size)
            {
                throw c.Fail($"Compound member '{name}' (bytes {offset}–{offset + type.Size - 1}) lies outside its {size}-byte record: the file is damaged.");
            }
            members.Add(new H5CompoundMember(name, offset, type));
        }
        return new H5Datatype { Class = H5Class.Compound, Size = size, Members = members };
    }
}
