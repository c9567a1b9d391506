using System.Buffers.Binary;
using System.IO.Compression;

namespace EnergyRegression.Hdf5.Filters;

/// <summary>
/// zlib streams (RFC 1950: header, deflate data, Adler-32 of the decompressed bytes): HDF5's deflate filter
/// and blosc's zlib codec. The Adler-32 is recomputed and compared, so a damaged stream is an error, never
/// wrong values.
/// </summary>
internal static class Zlib
{
    public static byte[] Decode(byte[] input, int limit)
    {
        byte[] output = new byte[limit + 1];
        int n = Decode(input, 0, input.Length, output);
        if (n > limit)
        {
            throw new FilterException($"it decompresses to more than the {limit - 64} bytes of a chunk: the data is damaged");
        }
        return output.AsSpan(0, n).ToArray();
    }

    /// <summary>
    /// Decodes the stream in input[start..start+length) into <paramref name="output"/>; returns the byte
    /// count. When the stream holds more than fits, returns output.Length without checking the Adler-32
    /// (the caller reports the excess).
    /// </summary>
    public static int Decode(byte[] input, int start, int length, Span<byte> output)
    {
        if (length < 6)
        {
            throw new FilterException($"a zlib stream of {length} bytes is too short: the data is damaged");
        }
        int cmf = input[start];
        int flg = input[start + 1];
        if ((cmf & 0x0f) != 8 || (cmf >> 4) > 7 || ((cmf << 8) | flg) % 31 != 0)
        {
            throw new FilterException("no zlib header: the data is damaged");
        }
        if ((flg & 0x20) != 0)
        {
            throw new FilterException("a zlib stream with a preset dictionary cannot be decoded");
        }
        int n = 0;
        using (var memory = new MemoryStream(input, start + 2, length - 6, writable: false))
        using (var inflate = new DeflateStream(memory, CompressionMode.Decompress))
        {
            while (n < output.Length)
            {
                int read = inflate.Read(output[n..]);
                if (read == 0)
                {
                    break;
                }
                n += read;
            }
        }
        uint stored = BinaryPrimitives.ReadUInt32BigEndian(input.AsSpan(start + length - 4));
        if (n < output.Length)
        {
            uint computed = Adler32(output[..n]);
            if (computed != stored)
            {
                throw new FilterException($"zlib's Adler-32 check fails (stored 0x{stored:x8}, computed 0x{computed:x8}): the data is damaged");
            }
        }
        return n;
    }

    /// <summary>Adler-32 (RFC 1950 section 8.2).</summary>
    public static uint Adler32(ReadOnlySpan<byte> data)
    {
        const uint Mod = 65521;
        const int Block = 5552; // the most bytes before the sums can overflow 32 bits
        uint a = 1, b = 0;
        while (data.Length > 0)
        {
            int n = Math.Min(Block, data.Length);
            ReadOnlySpan<byte> block = data[..n];
            int i = 0;
            for (; i + 4 <= n; i += 4)
            {
                a += block[i];
                b += a;
                a += block[i + 1];
                b += a;
                a += block[i + 2];
                b += a;
                a += block[i + 3];
                b += a;
            }
            for (; i < n; i++)
            {
                a += block[i];
                b += a;
            }
            a %= Mod;
            b %= Mod;
            data = data[n..];
        }
        return (b << 16) | a;
    }
}

/// <summary>HDF5's shuffle filter (ID 2): byte k of every element stored together; undone here.</summary>
internal static class ShuffleFilter
{
    public static byte[] Unshuffle(byte[] data, int elementSize)
    {
        if (elementSize <= 1 || data.Length < elementSize)
        {
            return data;
        }
        int n = data.Length / elementSize;
        byte[] output = new byte[data.Length];
        Unshuffle(data, output, elementSize, n);
        Array.Copy(data, n * elementSize, output, n * elementSize, data.Length - (n * elementSize));
        return output;
    }

    /// <summary>Un-shuffles <paramref name="n"/> elements of <paramref name="size"/> bytes.</summary>
    public static void Unshuffle(ReadOnlySpan<byte> input, Span<byte> output, int size, int n)
    {
        if (size == 4)
        {
            ReadOnlySpan<byte> s0 = input[..n], s1 = input.Slice(n, n), s2 = input.Slice(2 * n, n), s3 = input.Slice(3 * n, n);
            Span<uint> o = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(output[..(4 * n)]);
            for (int i = 0; i < n; i++)
            {
                o[i] = s0[i] | ((uint)s1[i] << 8) | ((uint)s2[i] << 16) | ((uint)s3[i] << 24);
            }
            return;
        }
        for (int b = 0; b < size; b++)
        {
            ReadOnlySpan<byte> plane = input.Slice(b * n, n);
            for (int i = 0; i < n; i++)
            {
                output[(i * size) + b] = plane[i];
            }
        }
    }
}

/// <summary>
/// HDF5's fletcher32 filter (ID 3): a Fletcher checksum of the data's 16-bit big-endian words in the last 4
/// bytes (H5checksum.c's H5_checksum_fletcher32; stored little-endian, or with its 16-bit halves' bytes
/// swapped as HDF5 1.6.0–1.6.2 wrote it — both accepted, as HDF5 does).
/// </summary>
internal static class Fletcher32Filter
{
    public static byte[] Verify(byte[] data)
    {
        if (data.Length < 4)
        {
            throw new FilterException("no room for the fletcher32 checksum: the data is damaged");
        }
        int n = data.Length - 4;
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(n));
        uint computed = Checksum(data.AsSpan(0, n));
        uint swapped = ((computed & 0x00ff00ffu) << 8) | ((computed >> 8) & 0x00ff00ffu);
        if (stored != computed && stored != swapped)
        {
            throw new FilterException($"the fletcher32 checksum fails (stored 0x{stored:x8}, computed 0x{computed:x8}): the data is damaged");
        }
        return data.AsSpan(0, n).ToArray();
    }

    public static uint Checksum(ReadOnlySpan<byte> data)
    {
        uint sum1 = 0, sum2 = 0;
        int words = data.Length / 2;
        int at = 0;
        while (words > 0)
        {
            int t = Math.Min(360, words);
            words -= t;
            for (int i = 0; i < t; i++, at += 2)
            {
                sum1 += (uint)((data[at] << 8) | data[at + 1]);
                sum2 += sum1;
            }
            sum1 = (sum1 & 0xffff) + (sum1 >> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >> 16);
        }
        if (data.Length % 2 == 1)
        {
            sum1 += (uint)(data[at] << 8);
            sum2 += sum1;
            sum1 = (sum1 & 0xffff) + (sum1 >> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >> 16);
        }
        sum1 = (sum1 & 0xffff) + (sum1 >> 16);
        sum2 = (sum2 & 0xffff) + (sum2 >> 16);
        return (sum2 << 16) | sum1;
    }
}

/// <summary>The byte codecs of plugin filters and of blosc.</summary>
internal static class Codecs
{
    /// <summary>bzip2 (filter 307, PyTables and the HDF5 bzip2 plugin): one bzip2 stream; its CRCs are checked by SharpCompress.</summary>
    public static byte[] Bzip2(byte[] data, int limit)
    {
        using var memory = new MemoryStream(data, writable: false);
        using var stream = SharpCompress.Compressors.BZip2.BZip2Stream.Create(memory, SharpCompress.Compressors.CompressionMode.Decompress, false);
        return ReadAll(stream, limit);
    }

    private static byte[] ReadAll(Stream stream, int limit)
    {
        byte[] output = new byte[limit + 1];
        int n = 0;
        while (n < output.Length)
        {
            int read = stream.Read(output, n, output.Length - n);
            if (read == 0)
            {
                break;
            }
            n += read;
        }
        if (n > limit)
        {
            throw new FilterException("it decompresses to more than a chunk: the data is damaged");
        }
        return output.AsSpan(0, n).ToArray();
    }

    /// <summary>zstd (filter 32015): one zstd frame; ZstdSharp checks its content checksum when the frame has one.</summary>
    public static byte[] Zstd(byte[] data, int limit)
    {
        using var decompressor = new ZstdSharp.Decompressor();
        byte[] output = new byte[limit + 1];
        int n = decompressor.Unwrap(data, output);
        if (n > limit)
        {
            throw new FilterException("it decompresses to more than a chunk: the data is damaged");
        }
        return output.AsSpan(0, n).ToArray();
    }

    /// <summary>Raw zstd frame into <paramref name="output"/> (blosc's zstd codec).</summary>
    public static int Zstd(ReadOnlySpan<byte> data, Span<byte> output)
    {
        using var decompressor = new ZstdSharp.Decompressor();
        return decompressor.Unwrap(data, output);
    }

    /// <summary>
    /// The HDF5 LZ4 plugin (filter 32004): an 8-byte big-endian total size, a 4-byte big-endian block size,
    /// then per block a 4-byte big-endian compressed size and the LZ4 block (stored raw when it did not shrink).
    /// </summary>
    public static byte[] Lz4Plugin(byte[] data, int limit)
    {
        if (data.Length < 12)
        {
            throw new FilterException("the lz4 header is missing: the data is damaged");
        }
        long total = BinaryPrimitives.ReadInt64BigEndian(data);
        int blockSize = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(8));
        if (total < 0 || total > limit || blockSize <= 0)
        {
            throw new FilterException($"the lz4 header says {total} bytes in blocks of {blockSize}: the data is damaged");
        }
        byte[] output = new byte[total];
        int at = 12;
        int done = 0;
        while (done < total)
        {
            int expected = (int)Math.Min(blockSize, total - done);
            if (at + 4 > data.Length)
            {
                throw new FilterException("an lz4 block is missing: the data is damaged");
            }
            int size = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(at));
            at += 4;
            if (size < 0 || size > data.Length - at)
            {
                throw new FilterException($"an lz4 block of {size} bytes runs past the chunk: the data is damaged");
            }
            if (size == expected)
            {
                data.AsSpan(at, size).CopyTo(output.AsSpan(done));
            }
            else if (K4os.Compression.LZ4.LZ4Codec.Decode(data.AsSpan(at, size), output.AsSpan(done, expected)) != expected)
            {
                throw new FilterException("an lz4 block does not decode to its size: the data is damaged");
            }
            at += size;
            done += expected;
        }
        return output;
    }

    /// <summary>A raw LZ4 block (blosc's lz4 and lz4hc codecs) into exactly <paramref name="output"/>.Length bytes.</summary>
    public static int Lz4Block(ReadOnlySpan<byte> data, Span<byte> output) => K4os.Compression.LZ4.LZ4Codec.Decode(data, output);

    /// <summary>
    /// LZF (filter 32000, h5py's own): a control byte below 32 copies that many + 1 literal bytes; otherwise
    /// its top 3 bits are a match length − 2 (7: plus the next byte), its low 5 bits and the next byte a
    /// distance − 1 (liblzf's format).
    /// </summary>
    public static byte[] Lzf(byte[] data, int limit)
    {
        byte[] output = new byte[limit];
        int ip = 0, op = 0;
        while (ip < data.Length)
        {
            int ctrl = data[ip++];
            if (ctrl < 32)
            {
                int n = ctrl + 1;
                if (ip + n > data.Length || op + n > output.Length)
                {
                    throw new FilterException("an lzf literal run runs past the data: the data is damaged");
                }
                data.AsSpan(ip, n).CopyTo(output.AsSpan(op));
                ip += n;
                op += n;
                continue;
            }
            int length = ctrl >> 5;
            if (ip >= data.Length)
            {
                throw new FilterException("an lzf match is cut: the data is damaged");
            }
            if (length == 7)
            {
                length += data[ip++];
                if (ip >= data.Length)
                {
                    throw new FilterException("an lzf match is cut: the data is damaged");
                }
            }
            int reference = op - ((ctrl & 0x1f) << 8) - 1 - data[ip++];
            length += 2;
            if (reference < 0 || op + length > output.Length)
            {
                throw new FilterException("an lzf match points outside the data: the data is damaged");
            }
            for (int k = 0; k < length; k++)
            {
                output[op++] = output[reference++];
            }
        }
        return output.AsSpan(0, op).ToArray();
    }

    /// <summary>
    /// BloscLZ (blosc's own codec, derived from FastLZ): the first control byte's low 5 bits; a control below
    /// 32 copies that many + 1 literals; else a match of (top 3 bits) + 2 bytes (7: plus bytes up to one
    /// below 255) at a distance of (low 5 bits · 256 + next byte) + 1, or, when that is 255 with low bits 31,
    /// 8191 + a 16-bit big-endian distance + 1.
    /// </summary>
    public static int BloscLz(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (input.Length == 0)
        {
            return 0;
        }
        int ip = 0, op = 0;
        int ctrl = input[ip++] & 31;
        while (true)
        {
            if (ctrl >= 32)
            {
                int length = (ctrl >> 5) - 1;
                int offset = (ctrl & 31) << 8;
                if (length == 6)
                {
                    int code;
                    do
                    {
                        if (ip >= input.Length)
                        {
                            throw new FilterException("a blosclz match is cut: the data is damaged");
                        }
                        code = input[ip++];
                        length += code;
                    }
                    while (code == 255);
                }
                if (ip >= input.Length)
                {
                    throw new FilterException("a blosclz match is cut: the data is damaged");
                }
                int low = input[ip++];
                int distance = offset + low + 1;
                if (low == 255 && offset == 31 << 8)
                {
                    if (ip + 2 > input.Length)
                    {
                        throw new FilterException("a blosclz match is cut: the data is damaged");
                    }
                    distance = (input[ip] << 8) + input[ip + 1] + 8191 + 1;
                    ip += 2;
                }
                length += 3;
                int reference = op - distance;
                if (reference < 0 || op + length > output.Length)
                {
                    throw new FilterException("a blosclz match points outside the block: the data is damaged");
                }
                for (int k = 0; k < length; k++)
                {
                    output[op++] = output[reference++];
                }
            }
            else
            {
                int n = ctrl + 1;
                if (ip + n > input.Length || op + n > output.Length)
                {
                    throw new FilterException("a blosclz literal run runs past the block: the data is damaged");
                }
                input.Slice(ip, n).CopyTo(output[op..]);
                ip += n;
                op += n;
            }
            if (ip >= input.Length)
            {
                return op;
            }
            ctrl = input[ip++];
        }
    }

    /// <summary>
    /// Snappy's raw block format (blosc's snappy codec): a varint length, then literals (tag 00, length in the
    /// tag or the 1–4 bytes after it) and copies with 1-, 2- or 4-byte offsets (tags 01, 10, 11).
    /// </summary>
    public static int Snappy(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int ip = 0;
        ulong expected = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (ip >= input.Length || shift > 35)
            {
                throw new FilterException("a snappy length is damaged");
            }
            byte b = input[ip++];
            expected |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                break;
            }
        }
        if (expected > (ulong)output.Length)
        {
            throw new FilterException("a snappy block is larger than its output: the data is damaged");
        }
        int op = 0;
        while (ip < input.Length)
        {
            int tag = input[ip++];
            int length, offset;
            switch (tag & 3)
            {
                case 0:
                {
                    length = (tag >> 2) + 1;
                    if (length > 60)
                    {
                        int bytes = length - 60;
                        if (ip + bytes > input.Length)
                        {
                            throw new FilterException("a snappy literal is cut: the data is damaged");
                        }
                        length = 0;
                        for (int k = 0; k < bytes; k++)
                        {
                            length |= input[ip + k] << (8 * k);
                        }
                        length++;
                        ip += bytes;
                    }
                    if (length <= 0 || ip + length > input.Length || op + length > (int)expected)
                    {
                        throw new FilterException("a snappy literal runs past the block: the data is damaged");
                    }
                    input.Slice(ip, length).CopyTo(output[op..]);
                    ip += length;
                    op += length;
                    continue;
                }
                case 1:
                    if (ip >= input.Length)
                    {
                        throw new FilterException("a snappy copy is cut: the data is damaged");
                    }
                    length = 4 + ((tag >> 2) & 7);
                    offset = ((tag >> 5) << 8) | input[ip++];
                    break;
                case 2:
                    if (ip + 2 > input.Length)
                    {
                        throw new FilterException("a snappy copy is cut: the data is damaged");
                    }
                    length = (tag >> 2) + 1;
                    offset = BinaryPrimitives.ReadUInt16LittleEndian(input[ip..]);
                    ip += 2;
                    break;
                default:
                    if (ip + 4 > input.Length)
                    {
                        throw new FilterException("a snappy copy is cut: the data is damaged");
                    }
                    length = (tag >> 2) + 1;
                    offset = BinaryPrimitives.ReadInt32LittleEndian(input[ip..]);
                    ip += 4;
                    break;
            }
            int reference = op - offset;
            if (offset <= 0 || reference < 0 || op + length > (int)expected)
            {
                throw new FilterException("a snappy copy points outside the block: the data is damaged");
            }
            for (int k = 0; k < length; k++)
            {
                output[op++] = output[reference++];
            }
        }
        if (op != (int)expected)
        {
            throw new FilterException($"a snappy block gives {op} of its {expected} bytes: the data is damaged");
        }
        return op;
    }
}
