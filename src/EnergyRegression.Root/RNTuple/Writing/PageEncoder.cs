using System.Runtime.InteropServices;
using EnergyRegression.Root.RNTuple.Format;

namespace EnergyRegression.Root.RNTuple.Writing;

/// <summary>
/// Encodes a page of elements as its column type stores them (BinaryFormatSpecification.md, "Column Description"),
/// the inverse of <see cref="Reading.PageDecoder"/> for the types the writer uses: little-endian values; split types as
/// byte planes (all first bytes, then all second bytes, …), signed ones zigzag-encoded first, index columns as deltas
/// to the previous element of the page; Bit columns as a bit stream, least significant bit first.
/// </summary>
internal static class PageEncoder
{
    public static byte[] Encode(ColumnType type, Array values, int start, int count)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("RNTuple pages are encoded on little-endian machines only");
        }
        return type switch
        {
            ColumnType.Bit => PackBits(((bool[])values).AsSpan(start, count)),
            ColumnType.Int8 or ColumnType.UInt8 or ColumnType.Int16 or ColumnType.UInt16 or ColumnType.Int32 or ColumnType.UInt32
                or ColumnType.Int64 or ColumnType.UInt64 or ColumnType.Real32 or ColumnType.Real64 or ColumnType.Index64 => Plain(values, start, count),
            ColumnType.SplitInt16 => Split(Zigzag(((short[])values).AsSpan(start, count))),
            ColumnType.SplitUInt16 => Split(((ushort[])values).AsSpan(start, count)),
            ColumnType.SplitInt32 => Split(Zigzag(((int[])values).AsSpan(start, count))),
            ColumnType.SplitUInt32 => Split(((uint[])values).AsSpan(start, count)),
            ColumnType.SplitInt64 => Split(Zigzag(((long[])values).AsSpan(start, count))),
            ColumnType.SplitUInt64 => Split(((ulong[])values).AsSpan(start, count)),
            ColumnType.SplitReal32 => Split(((float[])values).AsSpan(start, count)),
            ColumnType.SplitReal64 => Split(((double[])values).AsSpan(start, count)),
            ColumnType.SplitIndex64 => Split(Deltas(((long[])values).AsSpan(start, count))),
            _ => throw new NotSupportedException($"the writer does not write {ColumnTypes.Name(type)} columns"),
        };
    }

    private static byte[] Plain(Array values, int start, int count)
    {
        int size = Marshal.SizeOf(values.GetType().GetElementType()!);
        byte[] bytes = new byte[count * size];
        Buffer.BlockCopy(values, start * size, bytes, 0, bytes.Length);
        return bytes;
    }

    /// <summary>Byte b of element i goes to b × count + i.</summary>
    internal static byte[] Split<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(values);
        int count = values.Length;
        int width = count == 0 ? 0 : bytes.Length / count;
        byte[] result = new byte[bytes.Length];
        for (int b = 0; b < width; b++)
        {
            Span<byte> plane = result.AsSpan(b * count, count);
            for (int i = 0; i < count; i++)
            {
                plane[i] = bytes[i * width + b];
            }
        }
        return result;
    }

    private static ushort[] Zigzag(ReadOnlySpan<short> v)
    {
        var r = new ushort[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            r[i] = (ushort)((v[i] << 1) ^ (v[i] >> 15));
        }
        return r;
    }

    private static uint[] Zigzag(ReadOnlySpan<int> v)
    {
        var r = new uint[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            r[i] = (uint)((v[i] << 1) ^ (v[i] >> 31));
        }
        return r;
    }

    private static ulong[] Zigzag(ReadOnlySpan<long> v)
    {
        var r = new ulong[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            r[i] = (ulong)((v[i] << 1) ^ (v[i] >> 63));
        }
        return r;
    }

    /// <summary>The first element as it is, every other one as the difference to the previous one.</summary>
    private static long[] Deltas(ReadOnlySpan<long> v)
    {
        var r = new long[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            r[i] = i == 0 ? v[0] : v[i] - v[i - 1];
        }
        return r;
    }

    private static byte[] PackBits(ReadOnlySpan<bool> v)
    {
        byte[] r = new byte[(v.Length + 7) / 8];
        for (int i = 0; i < v.Length; i++)
        {
            if (v[i])
            {
                r[i >> 3] |= (byte)(1 << (i & 7));
            }
        }
        return r;
    }
}
