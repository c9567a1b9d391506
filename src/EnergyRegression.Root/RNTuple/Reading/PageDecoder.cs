using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
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
    /// <summary>
    /// Decodes <paramref name="count"/> elements of <paramref name="column"/> from <paramref name="page"/> (exactly their
    /// bytes) into a pooled array of at least <paramref name="count"/> elements (<see cref="PagePool"/>).
    /// </summary>
    public static Array Decode(ColumnDescriptor column, ReadOnlySpan<byte> page, int count)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("RNTuple pages are decoded on little-endian machines only");
        }
        switch (column.Type)
        {
            case ColumnType.Bit: return UnpackBits(page, count);
            case ColumnType.Byte or ColumnType.UInt8: return Plain<byte>(page, count);
            case ColumnType.Char or ColumnType.Int8: return Plain<sbyte>(page, count);
            case ColumnType.Int16: return Plain<short>(page, count);
            case ColumnType.UInt16: return Plain<ushort>(page, count);
            case ColumnType.Int32: return Plain<int>(page, count);
            case ColumnType.UInt32: return Plain<uint>(page, count);
            case ColumnType.Int64: return Plain<long>(page, count);
            case ColumnType.UInt64: return Plain<ulong>(page, count);
            case ColumnType.Real32: return Plain<float>(page, count);
            case ColumnType.Real64: return Plain<double>(page, count);
            case ColumnType.Real16: return Halves(page, count, split: false);
            case ColumnType.SplitReal16: return Halves(page, count, split: true);
            case ColumnType.SplitInt16:
            {
                short[] r = Unsplit<short>(page, count);
                Span<ushort> u = MemoryMarshal.Cast<short, ushort>(r.AsSpan(0, count));
                for (int i = 0; i < u.Length; i++)
                {
                    r[i] = (short)((u[i] >> 1) ^ -(u[i] & 1));
                }
                return r;
            }
            case ColumnType.SplitUInt16: return Unsplit<ushort>(page, count);
            case ColumnType.SplitInt32:
            {
                int[] r = Unsplit<int>(page, count);
                for (int i = 0; i < count; i++)
                {
                    uint u = (uint)r[i];
                    r[i] = (int)(u >> 1) ^ -(int)(u & 1);
                }
                return r;
            }
            case ColumnType.SplitUInt32: return Unsplit<uint>(page, count);
            case ColumnType.SplitInt64:
            {
                long[] r = Unsplit<long>(page, count);
                for (int i = 0; i < count; i++)
                {
                    ulong u = (ulong)r[i];
                    r[i] = (long)(u >> 1) ^ -(long)(u & 1);
                }
                return r;
            }
            case ColumnType.SplitUInt64: return Unsplit<ulong>(page, count);
            case ColumnType.SplitReal32: return Unsplit<float>(page, count);
            case ColumnType.SplitReal64: return Unsplit<double>(page, count);
            case ColumnType.Index32: return Offsets32(page, count, split: false);
            case ColumnType.SplitIndex32: return Offsets32(page, count, split: true);
            case ColumnType.Index64: return Offsets64(Plain<long>(page, count), count, delta: false);
            case ColumnType.SplitIndex64: return Offsets64(Unsplit<long>(page, count), count, delta: true);
            case ColumnType.Switch: return Switches(page, count);
            case ColumnType.Real32Trunc: return Truncated(page, count, column.BitsOnStorage);
            case ColumnType.Real32Quant: return Quantized(page, count, column.BitsOnStorage, column.Range!.Value);
            default: throw new NotSupportedException($"not supported: column type {ColumnTypes.Name(column.Type)}");
        }
    }

    private static T[] Plain<T>(ReadOnlySpan<byte> page, int count) where T : unmanaged
    {
        T[] r = PagePool.Rent<T>(count);
        page[..(count * Unsafe.SizeOf<T>())].CopyTo(MemoryMarshal.AsBytes(r.AsSpan(0, count)));
        return r;
    }

    /// <summary>Undoes the byte split: byte b of element i is at b × count + i.</summary>
    internal static T[] Unsplit<T>(ReadOnlySpan<byte> page, int count) where T : unmanaged
    {
        T[] result = PagePool.Rent<T>(count);
        Span<byte> bytes = MemoryMarshal.AsBytes(result.AsSpan(0, count));
        int width = Unsafe.SizeOf<T>();
        page = page[..(width * count)];
        // Whole elements composed from their planes (one store per element instead of one per byte); the stored byte
        // order is little-endian, as the host's.
        if (BitConverter.IsLittleEndian && width is 4 or 8)
        {
            if (width == 4)
            {
                Unsplit4(page, MemoryMarshal.Cast<byte, uint>(bytes));
            }
            else
            {
                Unsplit8(page, MemoryMarshal.Cast<byte, ulong>(bytes));
            }
            return result;
        }
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

    private static void Unsplit4(ReadOnlySpan<byte> page, Span<uint> into)
    {
        int n = into.Length;
        ReadOnlySpan<byte> p0 = page[..n], p1 = page.Slice(n, n), p2 = page.Slice(2 * n, n), p3 = page.Slice(3 * n, n);
        for (int i = 0; i < into.Length; i++)
        {
            into[i] = p0[i] | (uint)p1[i] << 8 | (uint)p2[i] << 16 | (uint)p3[i] << 24;
        }
    }

    private static void Unsplit8(ReadOnlySpan<byte> page, Span<ulong> into)
    {
        int n = into.Length;
        ReadOnlySpan<byte> p0 = page[..n], p1 = page.Slice(n, n), p2 = page.Slice(2 * n, n), p3 = page.Slice(3 * n, n);
        ReadOnlySpan<byte> p4 = page.Slice(4 * n, n), p5 = page.Slice(5 * n, n), p6 = page.Slice(6 * n, n), p7 = page.Slice(7 * n, n);
        for (int i = 0; i < into.Length; i++)
        {
            into[i] = p0[i] | (ulong)p1[i] << 8 | (ulong)p2[i] << 16 | (ulong)p3[i] << 24
                | (ulong)p4[i] << 32 | (ulong)p5[i] << 40 | (ulong)p6[i] << 48 | (ulong)p7[i] << 56;
        }
    }

    private static float[] Halves(ReadOnlySpan<byte> page, int count, bool split)
    {
        ushort[] bits = split ? Unsplit<ushort>(page, count) : Plain<ushort>(page, count);
        float[] r = PagePool.Rent<float>(count);
        for (int i = 0; i < count; i++)
        {
            r[i] = (float)BitConverter.UInt16BitsToHalf(bits[i]);
        }
        PagePool.Return(bits);
        return r;
    }

    private static long[] Offsets32(ReadOnlySpan<byte> page, int count, bool split)
    {
        uint[] v = split ? Unsplit<uint>(page, count) : Plain<uint>(page, count);
        long[] r = PagePool.Rent<long>(count);
        long sum = 0;
        for (int i = 0; i < count; i++)
        {
            // Delta encoding restarts at every page: the first element is stored as it is.
            sum = split ? sum + v[i] : v[i];
            r[i] = sum;
        }
        PagePool.Return(v);
        return r;
    }

    /// <summary>Index64 values in place: summed when delta-encoded; one beyond 2^63 (damage, offsets index a cluster) becomes −1.</summary>
    private static long[] Offsets64(long[] v, int count, bool delta)
    {
        ulong sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum = delta ? sum + (ulong)v[i] : (ulong)v[i];
            v[i] = sum <= long.MaxValue ? (long)sum : -1;
        }
        return v;
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
        bool[] r = PagePool.Rent<bool>(count);
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
        float[] r = PagePool.Rent<float>(count);
        for (int i = 0; i < count; i++)
        {
            r[i] = BitConverter.UInt32BitsToSingle(BitField(page, i, bits) << (32 - bits));
        }
        return r;
    }

    /// <summary>Real32Quant: an integer q of <paramref name="bits"/> bits standing for min + q × (max − min) / (2^bits − 1).</summary>
    private static double[] Quantized(ReadOnlySpan<byte> page, int count, int bits, (double Min, double Max) range)
    {
        double[] r = PagePool.Rent<double>(count);
        double scale = (range.Max - range.Min) / ((1UL << bits) - 1);
        for (int i = 0; i < count; i++)
        {
            r[i] = BitField(page, i, bits) * scale + range.Min;
        }
        return r;
    }
}

/// <summary>
/// Pooled arrays for decoded pages: pages are up to megabytes, and fresh arrays of that size for every page would
/// keep the garbage collector busy with its large-object heap. Arrays may be longer than asked for.
/// </summary>
internal static class PagePool
{
    public static T[] Rent<T>(int count) => ArrayPool<T>.Shared.Rent(count);

    /// <summary>Returns an array <see cref="Rent{T}"/> gave out (by its exact type: the runtime lets byte[] pass as sbyte[]).</summary>
    public static void Return(Array array)
    {
        Type t = array.GetType();
        if (t == typeof(float[])) { ArrayPool<float>.Shared.Return((float[])array); }
        else if (t == typeof(double[])) { ArrayPool<double>.Shared.Return((double[])array); }
        else if (t == typeof(int[])) { ArrayPool<int>.Shared.Return((int[])array); }
        else if (t == typeof(uint[])) { ArrayPool<uint>.Shared.Return((uint[])array); }
        else if (t == typeof(long[])) { ArrayPool<long>.Shared.Return((long[])array); }
        else if (t == typeof(ulong[])) { ArrayPool<ulong>.Shared.Return((ulong[])array); }
        else if (t == typeof(short[])) { ArrayPool<short>.Shared.Return((short[])array); }
        else if (t == typeof(ushort[])) { ArrayPool<ushort>.Shared.Return((ushort[])array); }
        else if (t == typeof(byte[])) { ArrayPool<byte>.Shared.Return((byte[])array); }
        else if (t == typeof(sbyte[])) { ArrayPool<sbyte>.Shared.Return((sbyte[])array); }
        else if (t == typeof(bool[])) { ArrayPool<bool>.Shared.Return((bool[])array); }
        // Switch elements (variants) are not pooled.
    }
}
