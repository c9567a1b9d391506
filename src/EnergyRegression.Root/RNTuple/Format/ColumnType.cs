namespace EnergyRegression.Root.RNTuple.Format;

/// <summary>The column types of RNTuple binary format 1.0 (BinaryFormatSpecification.md, "Column Description").</summary>
internal enum ColumnType : ushort
{
    Bit = 0x00,
    Byte = 0x01,
    Char = 0x02,
    Int8 = 0x03,
    UInt8 = 0x04,
    Int16 = 0x05,
    UInt16 = 0x06,
    Int32 = 0x07,
    UInt32 = 0x08,
    Int64 = 0x09,
    UInt64 = 0x0A,
    Real16 = 0x0B,
    Real32 = 0x0C,
    Real64 = 0x0D,
    Index32 = 0x0E,
    Index64 = 0x0F,
    Switch = 0x10,
    SplitInt16 = 0x11,
    SplitUInt16 = 0x12,
    SplitInt32 = 0x13,
    SplitUInt32 = 0x14,
    SplitInt64 = 0x15,
    SplitUInt64 = 0x16,
    SplitReal16 = 0x17,
    SplitReal32 = 0x18,
    SplitReal64 = 0x19,
    SplitIndex32 = 0x1A,
    SplitIndex64 = 0x1B,
    Real32Trunc = 0x1C,
    Real32Quant = 0x1D,
}

/// <summary>Facts about column types: names, bits on storage, which are known to this reader.</summary>
internal static class ColumnTypes
{
    /// <summary>Whether <paramref name="type"/> is a v1 column type this library decodes.</summary>
    public static bool IsKnown(ColumnType type) => type <= ColumnType.Real32Quant;

    /// <summary>The spec's name: "SplitReal32", or "unknown type 0x42".</summary>
    public static string Name(ColumnType type) => IsKnown(type) ? type.ToString() : $"unknown type 0x{(int)type:x2}";

    /// <summary>The bits on storage a column type must declare: a fixed width, or the allowed range (Real32Trunc 10–31, Real32Quant 1–32).</summary>
    public static (int Min, int Max) ValidBits(ColumnType type) => type switch
    {
        ColumnType.Bit => (1, 1),
        ColumnType.Byte or ColumnType.Char or ColumnType.Int8 or ColumnType.UInt8 => (8, 8),
        ColumnType.Int16 or ColumnType.UInt16 or ColumnType.Real16 or ColumnType.SplitInt16 or ColumnType.SplitUInt16 or ColumnType.SplitReal16 => (16, 16),
        ColumnType.Int32 or ColumnType.UInt32 or ColumnType.Real32 or ColumnType.Index32 or ColumnType.SplitInt32 or ColumnType.SplitUInt32
            or ColumnType.SplitReal32 or ColumnType.SplitIndex32 => (32, 32),
        ColumnType.Int64 or ColumnType.UInt64 or ColumnType.Real64 or ColumnType.Index64 or ColumnType.SplitInt64 or ColumnType.SplitUInt64
            or ColumnType.SplitReal64 or ColumnType.SplitIndex64 => (64, 64),
        ColumnType.Switch => (96, 96),
        ColumnType.Real32Trunc => (10, 31),
        ColumnType.Real32Quant => (1, 32),
        _ => (0, 0),
    };

    /// <summary>Whether the column holds collection offsets (Index32/64, split or not).</summary>
    public static bool IsIndex(ColumnType type) => type is ColumnType.Index32 or ColumnType.Index64 or ColumnType.SplitIndex32 or ColumnType.SplitIndex64;

    /// <summary>Bytes of an uncompressed page of <paramref name="elements"/> elements of <paramref name="bits"/> bits (bit-packed types round up).</summary>
    public static long PageBytes(long elements, int bits) => (elements * bits + 7) / 8;
}
