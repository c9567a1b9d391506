using System.Buffers.Binary;
using System.Runtime.InteropServices;
using EnergyRegression.Root.RNTuple.Format;

namespace EnergyRegression.Root.RNTuple.Reading;

/// <summary>A Switch column element: the index of the value within the active alternative's column, and the alternative's tag (1…n; 0: none).</summary>
internal readonly record struct SwitchElement(long Index, int Tag);

/// <summary>
/// Turns an uncompressed page into its elements (BinaryFormatSpecification.md, "Column Description"): little-endian
/// values; "split" types store all first bytes, then all second bytes, …, per page; signed split integers are
/// zigzag-encoded (x → 2x or −(2x+1)); split index columns hold deltas to the previous element of the page; Bit columns
/// and the variable-width Real32Trunc / Real32Quant columns are bit streams, least significant bit first. Each column
/// type decodes to one element type (its "canonical" array): Bit → bool, Byte/UInt8 → byte, Char/Int8 → sbyte,
/// (Split)Int16 … UInt64 → the integer of that width, Real16/Real32/Real32Trunc → float, Real32Quant and Real64 → double,
/// index columns → long (offsets within the cluster), Switch → <see cref="SwitchElement"/>.
/// </summary>
internal static class PageDecoder
{
    /// <summary>Decodes <paramref name="count"/> elements of <paramref name="column"/> from <paramref name="page"/> (exactly their bytes).</summary>
    public static Array Decode(ColumnDescriptor column, ReadOnlySpan<byte> page, int count)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("RNTuple pages are decoded on little-endian machines only");
        }
        return column.Type switch
        {
            ColumnType.Bit => UnpackBits(page, count),
            ColumnType.Byte or ColumnType.UInt8 => page[..count].ToArray(),
            ColumnType.Char or ColumnType.Int8 => MemoryMarshal.Cast<byte, sbyte>(page[..count]).ToArray(),
            ColumnType.Int16 => Plain<short>(page, count),
            ColumnType.UInt16 => Plain<ushort>(page, count),
            ColumnType.Int32 => Plain<int>(page, count),
            ColumnType.UInt32 => Plain<uint>(page, count),
            ColumnType.Int64 => Plain<long>(page, count),
            ColumnType.UInt64 => Plain<ulong>(page, count),
            ColumnType.Real32 => Plain<float>(page, count),
            ColumnType.Real64 => Plain<double>(page, count),
            ColumnType.Real16 => Halves(Plain<ushort>(page, count)),
            ColumnType.SplitInt16 => Zigzag16(Unsplit<ushort>(page, count)),
            ColumnType.SplitUInt16 => Unsplit<ushort>(page, count),
            ColumnType.SplitInt32 => Zigzag32(Unsplit<uint>(page, count)),
            ColumnType.SplitUInt32 => Unsplit<uint>(page, count),
            ColumnType.SplitInt64 => Zigzag64(Unsplit<ulong>(page, count)),
            ColumnType.SplitUInt64 => Unsplit<ulong>(page, count),
            ColumnType.SplitReal16 => Halves(Unsplit<ushort>(page, count)),
            ColumnType.SplitReal32 => Unsplit<float>(page, count),
            ColumnType.SplitReal64 => Unsplit<double>(page, count),
            ColumnType.Index32 => Offsets32(Plain<uint>(page, count), delta: false),
            ColumnType.Index64 => Offsets64(Plain<ulong>(page, count), delta: false),
            ColumnType.SplitIndex32 => Offsets32(Unsplit<uint>(page, count), delta: true),
            ColumnType.SplitIndex64 => Offsets64(Unsplit<ulong>(page, count), delta: true),
            ColumnType.Switch => Switches(page, count),
            ColumnType.Real32Trunc => Truncated(page, count, column.BitsOnStorage),
            ColumnType.Real32Quant => Quantized(page, count, column.BitsOnStorage, column.Range!.Value),
            _ => throw new NotSupportedException($"not supported: column type {ColumnTypes.Name(column.Type)}"),
        };
    }

    private static T[] Plain<T>(ReadOnlySpan<byte> page, int count) where T : unmanaged =>
        MemoryMarshal.Cast<byte, T>(page[..(count * Marshal.SizeOf<T>())]).ToArray();

    /// <summary>Undoes the byte split: byte b of element i is at b × count + i.</summary>
    internal static T[] Unsplit<T>(ReadOnlySpan<byte> page, int count) where T : unmanaged
    {
        var result = new T[count];
        Span<byte> bytes = MemoryMarshal.AsBytes(result.AsSpan());
        int width = bytes.Length / Math.Max(1, count);
        for (int b = 0; b < width; b++)
        {
            ReadOnlySpan<byte> plane = page.Slice(b * count, count);
            for (int i = 0; i < count; i++)
            {
                bytes[i * width + b] = plane[i];
            }
        }
        return result;
    }

    private static short[] Zigzag16(ushort[] v)
    {
        var r = new short[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            r[i] = (short)((v[i] >> 1) ^ -(v[i] & 1));
        }
        return r;
    }

    private static int[] Zigzag32(uint[] v)
    {
        var r = new int[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            r[i] = (int)(v[i] >> 1) ^ -(int)(v[i] & 1);
        }
        return r;
    }

    private static long[] Zigzag64(ulong[] v)
    {
        var r = new long[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            r[i] = (long)(v[i] >> 1) ^ -(long)(v[i] & 1);
        }
        return r;
    }

    private static float[] Halves(ushort[] bits)
    {
        var r = new float[bits.Length];
        for (int i = 0; i < bits.Length; i++)
        {
            r[i] = (float)BitConverter.UInt16BitsToHalf(bits[i]);
        }
        return r;
    }

    private static long[] Offsets32(uint[] v, bool delta)
    {
        var r = new long[v.Length];
        long sum = 0;
        for (int i = 0; i < v.Length; i++)
        {
            // Delta encoding restarts at every page: the first element is stored as it is.
            sum = delta ? sum + v[i] : v[i];
            r[i] = sum;
        }
        return r;
    }

    private static long[] Offsets64(ulong[] v, bool delta)
    {
        var r = new long[v.Length];
        ulong sum = 0;
        for (int i = 0; i < v.Length; i++)
        {
            sum = delta ? sum + v[i] : v[i];
            // Offsets index elements within a cluster; a value beyond 2^63 is damage, not data.
            r[i] = sum <= long.MaxValue ? (long)sum : -1;
        }
        return r;
    }

    private static SwitchElement[] Switches(ReadOnlySpan<byte> page, int count)
    {
        var r = new SwitchElement[count];
        for (int i = 0; i < count; i++)
        {
            ulong index = BinaryPrimitives.ReadUInt64LittleEndian(page[(12 * i)..]);
            uint tag = BinaryPrimitives.ReadUInt32LittleEndian(page[(12 * i + 8)..]);
            r[i] = new SwitchElement(index <= long.MaxValue ? (long)index : -1, tag <= int.MaxValue ? (int)tag : -1);
        }
        return r;
    }

    private static bool[] UnpackBits(ReadOnlySpan<byte> page, int count)
    {
        var r = new bool[count];
        for (int i = 0; i < count; i++)
        {
            r[i] = ((page[i >> 3] >> (i & 7)) & 1) != 0;
        }
        return r;
    }

    /// <summary>The <paramref name="index"/>-th <paramref name="bits"/>-bit value of a least-significant-bit-first bit stream.</summary>
    internal static uint BitField(ReadOnlySpan<byte> page, long index, int bits)
    {
        long bit = index * bits;
        int at = (int)(bit >> 3);
        int shift = (int)(bit & 7);
        // At most 32 + 7 bits: five bytes, fewer at the end of the page.
        ulong window = 0;
        int available = Math.Min(5, page.Length - at);
        for (int k = 0; k < available; k++)
        {
            window |= (ulong)page[at + k] << (8 * k);
        }
        ulong mask = bits == 32 ? 0xFFFF_FFFFUL : (1UL << bits) - 1;
        return (uint)((window >> shift) & mask);
    }

    /// <summary>Real32Trunc: the top <paramref name="bits"/> bits of an IEEE-754 float (sign, exponent, leading mantissa), the rest zero.</summary>
    private static float[] Truncated(ReadOnlySpan<byte> page, int count, int bits)
    {
        var r = new float[count];
        for (int i = 0; i < count; i++)
        {
            r[i] = BitConverter.UInt32BitsToSingle(BitField(page, i, bits) << (32 - bits));
        }
        return r;
    }

    /// <summary>Real32Quant: an integer q of <paramref name="bits"/> bits standing for min + q × (max − min) / (2^bits − 1).</summary>
    private static double[] Quantized(ReadOnlySpan<byte> page, int count, int bits, (double Min, double Max) range)
    {
        var r = new double[count];
        double scale = (range.Max - range.Min) / ((1UL << bits) - 1);
        for (int i = 0; i < count; i++)
        {
            r[i] = BitField(page, i, bits) * scale + range.Min;
        }
        return r;
    }
}
