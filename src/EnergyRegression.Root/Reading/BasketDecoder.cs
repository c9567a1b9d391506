using System.Buffers.Binary;
using System.Runtime.InteropServices;
using EnergyRegression.Root.IO;

namespace EnergyRegression.Root.Reading;

/// <summary>Turns the bytes of the baskets overlapping an entry range into a <see cref="RootArray"/>.</summary>
internal static class BasketDecoder
{
    private readonly record struct Segment(BasketData Basket, int Offset, int Length);

    public static RootArray Decode(string file, string branch, Interpretation it, BasketData[] baskets, long start, long stop, RootBranch? counter)
    {
        return it.Layout switch
        {
            Layout.Fixed => DecodeFixed(file, branch, it, baskets, start, stop),
            Layout.Counted => DecodeCounted(file, branch, it, baskets, start, stop, counter!),
            Layout.Vector or Layout.VectorVector => DecodeVector(file, branch, it, baskets, start, stop),
            Layout.String => DecodeStrings(file, branch, it, baskets, start, stop),
            _ => throw new NotSupportedException($"unsupported: branch {branch} ({it.Unsupported})"),
        };
    }

    private static RootFormatException Error(string file, string branch, BasketData b, string message) =>
        new(file, $"TBasket of branch {branch}", b.FileOffset, message);

    private static (long From, long To) Overlap(BasketData b, long start, long stop) =>
        (Math.Max(start, b.FirstEntry), Math.Min(stop, b.FirstEntry + b.Entries));

    private static RootArray DecodeFixed(string file, string branch, Interpretation it, BasketData[] baskets, long start, long stop)
    {
        foreach (BasketData b in baskets)
        {
            if ((long)b.Entries * it.EntryBytes > b.Length)
            {
                throw Error(file, branch, b, $"basket holds {b.Length} bytes, {b.Entries} entries of {it.EntryBytes} bytes need {(long)b.Entries * it.EntryBytes}");
            }
        }
        long total = (stop - start) * (long)it.FieldBytes;
        if (total > Array.MaxLength)
        {
            throw new NotSupportedException($"unsupported: {total} bytes in one read of branch {branch}; read a smaller entry range");
        }
        byte[] raw = new byte[total];
        int pos = 0;
        foreach (BasketData b in baskets)
        {
            (long from, long to) = Overlap(b, start, stop);
            ReadOnlySpan<byte> data = b.Data;
            if (it.FieldOffset == 0 && it.FieldBytes == it.EntryBytes)
            {
                int len = (int)(to - from) * it.EntryBytes;
                data.Slice((int)(from - b.FirstEntry) * it.EntryBytes, len).CopyTo(raw.AsSpan(pos));
                pos += len;
            }
            else
            {
                for (long e = from; e < to; e++)
                {
                    data.Slice((int)(e - b.FirstEntry) * it.EntryBytes + it.FieldOffset, it.FieldBytes).CopyTo(raw.AsSpan(pos));
                    pos += it.FieldBytes;
                }
            }
        }
        return new RootArray(Interpretation.ClrType(it.Kind), Convert(it, raw), it.Shape, null, null);
    }

    private static RootArray DecodeCounted(string file, string branch, Interpretation it, BasketData[] baskets, long start, long stop, RootBranch counter)
    {
        long[]? counts = null;
        long countsFrom = 0;
        if (baskets.Any(b => b.Offsets is null) && baskets.Length > 0)
        {
            countsFrom = baskets[0].FirstEntry;
            long countsTo = baskets[^1].FirstEntry + baskets[^1].Entries;
            counts = ToInt64(counter.ReadCounts(countsFrom, countsTo).Values);
        }
        var segments = new List<Segment>();
        long[] offsets = new long[stop - start + 1];
        int k = 0;
        long items = 0;
        long totalBytes = 0;
        foreach (BasketData b in baskets)
        {
            (long from, long to) = Overlap(b, start, stop);
            int position = 0;
            for (long e = b.FirstEntry; e < to; e++)
            {
                int begin;
                int length;
                int header = it.EntryHeaderBytes;
                if (b.Offsets is not null)
                {
                    begin = b.Offsets[e - b.FirstEntry];
                    length = b.Offsets[e - b.FirstEntry + 1] - begin;
                    position = begin + length;
                    if (length < header)
                    {
                        throw Error(file, branch, b, $"entry {e} holds {length} bytes, less than its {header}-byte header");
                    }
                    begin += header;
                    length -= header;
                }
                else
                {
                    long c = counts![e - countsFrom];
                    if (c < 0 || c * it.FieldBytes + header > b.Length - position)
                    {
                        throw Error(file, branch, b, $"counter value {c} at entry {e} runs past the basket's {b.Length} bytes");
                    }
                    begin = position + header;
                    length = (int)c * it.FieldBytes;
                    position = begin + length;
                }
                if (e < from)
                {
                    continue;
                }
                if (length % it.FieldBytes != 0)
                {
                    throw Error(file, branch, b, $"entry {e} holds {length} bytes, not a multiple of {it.FieldBytes}");
                }
                // Consecutive entries of a basket are contiguous: extend the last segment instead of adding one per entry.
                if (segments.Count > 0 && segments[^1] is { } last && ReferenceEquals(last.Basket, b) && last.Offset + last.Length == begin)
                {
                    segments[^1] = last with { Length = last.Length + length };
                }
                else
                {
                    segments.Add(new Segment(b, begin, length));
                }
                items += length / it.FieldBytes;
                totalBytes += length;
                offsets[++k] = items;
            }
        }
        byte[] raw = Gather(segments, totalBytes);
        return new RootArray(Interpretation.ClrType(it.Kind), Convert(it, raw), it.Shape, offsets, null);
    }

    /// <summary>
    /// std::vector&lt;T&gt; and std::vector&lt;std::vector&lt;T&gt;&gt; (per TBufferFile::WriteFastArray in object-wise
    /// STL streaming): each entry is a byte count + version, an int32 size, then the items; an inner vector is an
    /// int32 size and its values. Strings are TString-encoded (length byte, 255 → int32 length).
    /// </summary>
    private static RootArray DecodeVector(string file, string branch, Interpretation it, BasketData[] baskets, long start, long stop)
    {
        bool nested = it.Layout == Layout.VectorVector;
        bool strings = it.Kind == ValueKind.String;
        int size = it.ValueSize;
        var segments = new List<Segment>();
        var texts = strings ? new List<string>() : null;
        long[] offsets = new long[stop - start + 1];
        var inner = nested ? new List<long> { 0 } : null;
        int k = 0;
        long outerItems = 0;
        long values = 0;
        long totalBytes = 0;
        foreach (BasketData b in baskets)
        {
            if (b.Offsets is null)
            {
                throw Error(file, branch, b, "std::vector basket has no entry offsets");
            }
            (long from, long to) = Overlap(b, start, stop);
            for (long e = from; e < to; e++)
            {
                int begin = b.Offsets[e - b.FirstEntry];
                int end = b.Offsets[e - b.FirstEntry + 1];
                var r = new BigEndianReader(b.Data[begin..end], file, $"TBasket of branch {branch}, entry {e}", b.FileOffset, 0, decompressed: true);
                if (end > begin)
                {
                    short version = r.ReadVersion(out int objectEnd);
                    if ((version & 0x4000) != 0)
                    {
                        throw new NotSupportedException($"unsupported: branch {branch} (member-wise streamed std::vector)");
                    }
                    int n = r.CheckCount(r.ReadInt32(), nested ? 4 : size, "std::vector size");
                    for (int j = 0; j < (nested ? n : 1); j++)
                    {
                        int m = nested ? r.CheckCount(r.ReadInt32(), size, "inner std::vector size") : n;
                        if (strings)
                        {
                            for (int i = 0; i < m; i++)
                            {
                                texts!.Add(r.ReadTString());
                            }
                        }
                        else
                        {
                            segments.Add(new Segment(b, begin + r.Position, m * size));
                            r.Skip(m * (long)size);
                            totalBytes += m * (long)size;
                        }
                        values += m;
                        inner?.Add(values);
                    }
                    outerItems += n;
                    r.SkipTo(objectEnd);
                }
                offsets[++k] = outerItems;
            }
        }
        Array result = strings ? texts!.ToArray() : Convert(it, Gather(segments, totalBytes));
        return new RootArray(Interpretation.ClrType(it.Kind), result, [], offsets, inner?.ToArray());
    }

    private static RootArray DecodeStrings(string file, string branch, Interpretation it, BasketData[] baskets, long start, long stop)
    {
        string[] result = new string[stop - start];
        int k = 0;
        foreach (BasketData b in baskets)
        {
            (long from, long to) = Overlap(b, start, stop);
            var r = new BigEndianReader(b.Data, file, $"TBasket of branch {branch}", b.FileOffset, 0, decompressed: true);
            for (long e = b.Offsets is not null ? from : b.FirstEntry; e < to; e++)
            {
                if (b.Offsets is not null)
                {
                    r.Seek(b.Offsets[e - b.FirstEntry]);
                }
                int objectEnd = -1;
                if (it.StringHeader)
                {
                    r.ReadVersion(out objectEnd);
                }
                string text = r.ReadTString();
                r.SkipTo(objectEnd);
                if (e >= from)
                {
                    result[k++] = text;
                }
            }
        }
        return new RootArray(typeof(string), result, [], null, null);
    }

    private static byte[] Gather(List<Segment> segments, long totalBytes)
    {
        if (totalBytes > Array.MaxLength)
        {
            throw new NotSupportedException($"unsupported: {totalBytes} bytes in one read; read a smaller entry range");
        }
        byte[] raw = new byte[totalBytes];
        int pos = 0;
        foreach (Segment s in segments)
        {
            s.Basket.Data.Slice(s.Offset, s.Length).CopyTo(raw.AsSpan(pos));
            pos += s.Length;
        }
        return raw;
    }

    private static long[] ToInt64(Array values) => values switch
    {
        int[] a => Array.ConvertAll(a, v => (long)v),
        uint[] a => Array.ConvertAll(a, v => (long)v),
        short[] a => Array.ConvertAll(a, v => (long)v),
        ushort[] a => Array.ConvertAll(a, v => (long)v),
        sbyte[] a => Array.ConvertAll(a, v => (long)v),
        byte[] a => Array.ConvertAll(a, v => (long)v),
        long[] a => a,
        _ => throw new InvalidOperationException("counter branch is not an integer"),
    };

    /// <summary>Stored big-endian bytes to a native array of the branch's value type.</summary>
    private static Array Convert(Interpretation it, byte[] raw) => it.Packed is { } packed ? packed.Decode(raw) : Convert(it.Kind, raw);

    /// <summary>Big-endian bytes to a native array of the value type (BinaryPrimitives.ReverseEndianness over spans).</summary>
    internal static Array Convert(ValueKind kind, byte[] raw)
    {
        switch (kind)
        {
            case ValueKind.Bool:
                {
                    bool[] b = new bool[raw.Length];
                    for (int i = 0; i < raw.Length; i++)
                    {
                        b[i] = raw[i] != 0;
                    }
                    return b;
                }
            case ValueKind.UInt8:
                return raw;
            case ValueKind.Int8:
                return Cast<sbyte>(raw);
            case ValueKind.Int16:
                {
                    short[] a = Cast<short>(raw);
                    Swap(a.AsSpan());
                    return a;
                }
            case ValueKind.UInt16:
                {
                    ushort[] a = Cast<ushort>(raw);
                    Swap(a.AsSpan());
                    return a;
                }
            case ValueKind.Int32:
                {
                    int[] a = Cast<int>(raw);
                    Swap(a.AsSpan());
                    return a;
                }
            case ValueKind.UInt32:
                {
                    uint[] a = Cast<uint>(raw);
                    Swap(MemoryMarshal.Cast<uint, int>(a.AsSpan()));
                    return a;
                }
            case ValueKind.Float32:
                {
                    float[] a = Cast<float>(raw);
                    Swap(MemoryMarshal.Cast<float, int>(a.AsSpan()));
                    return a;
                }
            case ValueKind.Int64:
                {
                    long[] a = Cast<long>(raw);
                    Swap(a.AsSpan());
                    return a;
                }
            case ValueKind.UInt64:
                {
                    ulong[] a = Cast<ulong>(raw);
                    Swap(MemoryMarshal.Cast<ulong, long>(a.AsSpan()));
                    return a;
                }
            case ValueKind.Float64:
                {
                    double[] a = Cast<double>(raw);
                    Swap(MemoryMarshal.Cast<double, long>(a.AsSpan()));
                    return a;
                }
            default:
                throw new InvalidOperationException($"no numeric conversion for {kind}");
        }
    }

    private static T[] Cast<T>(byte[] raw) where T : unmanaged
    {
        var a = new T[raw.Length / Marshal.SizeOf<T>()];
        raw.AsSpan(0, a.Length * Marshal.SizeOf<T>()).CopyTo(MemoryMarshal.AsBytes(a.AsSpan()));
        return a;
    }

    private static void Swap(Span<short> s)
    {
        if (BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(s, s);
        }
    }

    private static void Swap(Span<ushort> s)
    {
        if (BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(s, s);
        }
    }

    private static void Swap(Span<int> s)
    {
        if (BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(s, s);
        }
    }

    private static void Swap(Span<long> s)
    {
        if (BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(s, s);
        }
    }
}
