using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using K4os.Compression.LZ4;
using SharpCompress.Compressors.Xz;

namespace EnergyRegression.Root.Compression;

/// <summary>
/// ROOT's compressed records (layout per ROOT's R__unzip / core/zip/src/RZip.cxx, and uproot's
/// compression.py): a sequence of blocks, each a 9-byte header — a 2-character algorithm tag
/// ("ZL" zlib, "XZ" xz/LZMA, "L4" LZ4, "ZS" Zstandard, "CS" ROOT's pre-zlib algorithm), one method
/// byte, the compressed size and the uncompressed size as 3-byte little-endian integers — followed
/// by the payload. Blocks hold at most 16 MiB − 1 and are concatenated until the record's
/// uncompressed size is reached. An LZ4 payload starts with the 8-byte big-endian XXH64 (seed 0)
/// of the compressed bytes that follow it.
/// </summary>
internal static class RootDecompressor
{
    public const int HeaderSize = 9;
    private const int Lz4ChecksumSize = 8;

    /// <summary>
    /// Decompresses <paramref name="source"/> into exactly <paramref name="destination"/>.Length bytes.
    /// Walks the block headers first so that sizes are validated before any work. "ZS" blocks use
    /// <paramref name="zstd"/>, by default <see cref="ZstdDecoder.Default"/> (native libzstd when available).
    /// </summary>
    public static void Decompress(ReadOnlySpan<byte> source, Span<byte> destination, string file, string structure, long offset,
        ZstdImplementation? zstd = null)
    {
        ValidateBlocks(source, destination.Length, file, structure, offset);
        int src = 0;
        int dst = 0;
        while (dst < destination.Length)
        {
            ReadOnlySpan<byte> header = source.Slice(src, HeaderSize);
            int compressed = header[3] | (header[4] << 8) | (header[5] << 16);
            int uncompressed = header[6] | (header[7] << 8) | (header[8] << 16);
            ReadOnlySpan<byte> payload = source.Slice(src + HeaderSize, compressed);
            Span<byte> target = destination.Slice(dst, uncompressed);
            long blockOffset = offset + src;
            if (header[0] == (byte)'Z' && header[1] == (byte)'S')
            {
                zstd ??= ZstdDecoder.Default;
            }
            int produced;
            try
            {
                produced = (header[0], header[1]) switch
                {
                    ((byte)'Z', (byte)'L') => Inflate(payload, target),
                    ((byte)'X', (byte)'Z') => UnXz(payload, target),
                    ((byte)'L', (byte)'4') => UnLz4(payload, target, file, structure, blockOffset),
                    ((byte)'Z', (byte)'S') => ZstdDecoder.Decompress(payload, target, zstd!.Value),
                    _ => throw new InvalidOperationException("unreachable: tags are validated first"),
                };
            }
            catch (RootFormatException)
            {
                throw;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new RootFormatException(file, structure, blockOffset,
                    $"corrupt {(char)header[0]}{(char)header[1]} compressed block: {e.Message}", e);
            }
            if (produced != uncompressed)
            {
                throw new RootFormatException(file, structure, blockOffset,
                    $"compressed block expanded to {produced} bytes, its header says {uncompressed}");
            }
            src += HeaderSize + compressed;
            dst += uncompressed;
        }
    }

    /// <summary>Largest expansion of a compressed block accepted before decompressing it.</summary>
    internal const int MaxExpansion = 1 << 16;

    /// <summary>
    /// Checks a compressed record's framing before its <paramref name="total"/>-byte output is allocated: known
    /// tags, blocks within the stored bytes whose uncompressed sizes add up to exactly fObjlen, and no block
    /// claiming to expand more than <see cref="MaxExpansion"/> times (plus 64 KiB) — the best ratios of the
    /// codecs ROOT uses are far lower (deflate about 1032, LZ4 about 255, zstd about 2^15 for a run of one byte),
    /// so a damaged size field cannot make the reader allocate gigabytes for a few bytes of input.
    /// </summary>
    internal static void ValidateBlocks(ReadOnlySpan<byte> source, int total, string file, string structure, long offset)
    {
        int src = 0;
        long dst = 0;
        while (dst < total)
        {
            if (source.Length - src < HeaderSize)
            {
                throw new RootFormatException(file, structure, offset + src,
                    $"compressed data ends after {dst} of {total} uncompressed bytes");
            }
            ReadOnlySpan<byte> h = source.Slice(src, HeaderSize);
            // The tag as a number, not a string: this runs once per basket.
            int tag = (h[0] << 8) | h[1];
            if (tag == Tag('C', 'S'))
            {
                throw new RootFormatException(file, structure, offset + src,
                    "compression algorithm 'CS' (ROOT's pre-zlib algorithm, unused for 20+ years) is not supported");
            }
            if (tag != Tag('Z', 'L') && tag != Tag('X', 'Z') && tag != Tag('L', '4') && tag != Tag('Z', 'S'))
            {
                throw new RootFormatException(file, structure, offset + src, $"unknown compression block tag 0x{h[0]:x2}{h[1]:x2}");
            }
            int compressed = h[3] | (h[4] << 8) | (h[5] << 16);
            int uncompressed = h[6] | (h[7] << 8) | (h[8] << 16);
            if (compressed > source.Length - src - HeaderSize || uncompressed == 0 || uncompressed > total - dst
                || (tag == Tag('L', '4') && compressed < Lz4ChecksumSize))
            {
                throw new RootFormatException(file, structure, offset + src,
                    $"compression block sizes out of range (compressed {compressed}, uncompressed {uncompressed}, {source.Length - src - HeaderSize} bytes and {total - dst} output bytes left)");
            }
            if (uncompressed > (long)compressed * MaxExpansion + (1 << 16))
            {
                throw new RootFormatException(file, structure, offset + src,
                    $"compressed block claims {uncompressed} bytes from {compressed}: more than any codec expands");
            }
            src += HeaderSize + compressed;
            dst += uncompressed;
        }
    }

    private static int Tag(char a, char b) => (a << 8) | b;

    private static unsafe int Inflate(ReadOnlySpan<byte> payload, Span<byte> target)
    {
        fixed (byte* p = payload)
        {
            using var input = new UnmanagedMemoryStream(p, payload.Length);
            using var z = new ZLibStream(input, CompressionMode.Decompress);
            return ReadFully(z, target);
        }
    }

    private static unsafe int UnXz(ReadOnlySpan<byte> payload, Span<byte> target)
    {
        fixed (byte* p = payload)
        {
            using var input = new UnmanagedMemoryStream(p, payload.Length);
            using var xz = new XZStream(input);
            return ReadFully(xz, target);
        }
    }

    private static int UnLz4(ReadOnlySpan<byte> payload, Span<byte> target, string file, string structure, long offset)
    {
        ulong expected = BinaryPrimitives.ReadUInt64BigEndian(payload);
        ReadOnlySpan<byte> data = payload[Lz4ChecksumSize..];
        ulong actual = XxHash64.HashToUInt64(data);
        if (expected != actual)
        {
            throw new RootFormatException(file, structure, offset,
                $"LZ4 block checksum mismatch (stored xxhash64 0x{expected:x16}, computed 0x{actual:x16})");
        }
        int n = LZ4Codec.Decode(data, target);
        if (n < 0)
        {
            throw new RootFormatException(file, structure, offset, "corrupt LZ4 block");
        }
        return n;
    }

    private static int ReadFully(Stream s, Span<byte> target)
    {
        int total = 0;
        while (total < target.Length)
        {
            int n = s.Read(target[total..]);
            if (n == 0)
            {
                break;
            }
            total += n;
        }
        // A block that holds more than its header says is corrupt as well.
        Span<byte> one = stackalloc byte[1];
        if (total == target.Length && s.Read(one) != 0)
        {
            return total + 1;
        }
        return total;
    }
}
