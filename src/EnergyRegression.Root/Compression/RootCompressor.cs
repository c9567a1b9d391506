using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using K4os.Compression.LZ4;

namespace EnergyRegression.Root.Compression;

/// <summary>
/// Writes ROOT compressed records (the inverse of <see cref="RootDecompressor"/>; layout per ROOT's
/// core/zip/src/RZip.cxx): blocks of at most 16 MiB − 1 uncompressed bytes, each a 9-byte header — tag,
/// method byte, compressed and uncompressed sizes as 3-byte little-endian integers — and the payload.
/// LZ4 payloads start with the big-endian XXH64 of the LZ4 data; XZ payloads are complete .xz streams
/// (liblzma, CRC32 check, as ROOT's R__zipLZMA writes them).
/// </summary>
internal static partial class RootCompressor
{
    public const int MaxBlock = 0xFFFFFF;

    /// <summary>The compressed record of <paramref name="data"/>, or null when compression would not make it smaller.</summary>
    public static byte[]? Compress(ReadOnlySpan<byte> data, RootCompression algorithm, int level)
    {
        if (algorithm == RootCompression.None || data.Length < 2 * RootDecompressor.HeaderSize)
        {
            return null;
        }
        // Output is abandoned as soon as it would not be smaller than the input.
        byte[] output = ArrayPool<byte>.Shared.Rent(data.Length);
        byte[] block = ArrayPool<byte>.Shared.Rent(RootDecompressor.HeaderSize + Math.Min(MaxBlock, data.Length) + 1024);
        try
        {
            int written = 0;
            for (int start = 0; start < data.Length; start += MaxBlock)
            {
                ReadOnlySpan<byte> chunk = data.Slice(start, Math.Min(MaxBlock, data.Length - start));
                Span<byte> payload = block.AsSpan(RootDecompressor.HeaderSize, chunk.Length);
                int n = algorithm switch
                {
                    RootCompression.Zlib => Deflate(chunk, payload, level),
                    RootCompression.Lz4 => Lz4(chunk, payload, level),
                    RootCompression.Zstd => Zstd(chunk, payload, level),
                    RootCompression.Lzma => Xz(chunk, payload, level),
                    _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
                };
                if (n < 0 || n >= chunk.Length || written + RootDecompressor.HeaderSize + n >= data.Length)
                {
                    return null;
                }
                (byte a, byte b, byte method) = algorithm switch
                {
                    RootCompression.Zlib => ((byte)'Z', (byte)'L', (byte)8),
                    RootCompression.Lz4 => ((byte)'L', (byte)'4', (byte)1),
                    RootCompression.Zstd => ((byte)'Z', (byte)'S', (byte)1),
                    _ => ((byte)'X', (byte)'Z', (byte)0),
                };
                block[0] = a;
                block[1] = b;
                block[2] = method;
                Write24(block.AsSpan(3), n);
                Write24(block.AsSpan(6), chunk.Length);
                block.AsSpan(0, RootDecompressor.HeaderSize + n).CopyTo(output.AsSpan(written));
                written += RootDecompressor.HeaderSize + n;
            }
            return output.AsSpan(0, written).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(output);
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    private static void Write24(Span<byte> to, int v)
    {
        to[0] = (byte)v;
        to[1] = (byte)(v >> 8);
        to[2] = (byte)(v >> 16);
    }

    private static unsafe int Deflate(ReadOnlySpan<byte> chunk, Span<byte> target, int level)
    {
        fixed (byte* p = target)
        {
            // A fixed-size stream over the target: a result that does not fit is not worth keeping.
            using var buffer = new UnmanagedMemoryStream(p, 0, target.Length, FileAccess.Write);
            try
            {
                using (var z = new ZLibStream(buffer, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true))
                {
                    z.Write(chunk);
                }
            }
            catch (NotSupportedException)
            {
                return -1;
            }
            return (int)buffer.Position;
        }
    }

    private static int Lz4(ReadOnlySpan<byte> chunk, Span<byte> target, int level)
    {
        LZ4Level l = level < 4 ? LZ4Level.L00_FAST : (LZ4Level)Math.Min(level, (int)LZ4Level.L12_MAX);
        int n = LZ4Codec.Encode(chunk, target[8..], l);
        if (n <= 0)
        {
            return -1;
        }
        BinaryPrimitives.WriteUInt64BigEndian(target, XxHash64.HashToUInt64(target.Slice(8, n)));
        return n + 8;
    }

    /// <summary>One ZSTD context per thread and level: creating one costs more than compressing a basket.</summary>
    [ThreadStatic]
    private static ZstdSharp.Compressor?[]? t_zstd;

    private static int Zstd(ReadOnlySpan<byte> chunk, Span<byte> target, int level)
    {
        t_zstd ??= new ZstdSharp.Compressor?[23];
        ZstdSharp.Compressor compressor = t_zstd[level] ??= new ZstdSharp.Compressor(level);
        return compressor.TryWrap(chunk, target, out int written) ? written : -1;
    }

    /// <summary>
    /// An .xz stream written with liblzma's streaming encoder (lzma_easy_encoder + lzma_code(LZMA_FINISH)), as
    /// ROOT's R__zipLZMA does: its block header carries no size fields, which some readers (JSROOT) rely on.
    /// lzma_stream is 136 bytes on 64-bit Linux: next_in, avail_in, total_in, next_out, avail_out, total_out,
    /// then allocator/internal pointers and reserved fields that LZMA_STREAM_INIT zeroes.
    /// </summary>
    private static unsafe int Xz(ReadOnlySpan<byte> chunk, Span<byte> target, int level)
    {
        const int streamSize = 136;
        const int lzmaOk = 0;
        const int lzmaStreamEnd = 1;
        const int lzmaFinish = 3;
        byte* stream = (byte*)NativeMemory.AllocZeroed(streamSize);
        try
        {
            if (LzmaEasyEncoder(stream, (uint)level, 1) != lzmaOk)
            {
                return -1;
            }
            try
            {
                fixed (byte* input = chunk)
                fixed (byte* output = target)
                {
                    *(byte**)(stream + 0) = input;
                    *(nuint*)(stream + 8) = (nuint)chunk.Length;
                    *(byte**)(stream + 24) = output;
                    *(nuint*)(stream + 32) = (nuint)target.Length;
                    int ret = LzmaCode(stream, lzmaFinish);
                    return ret == lzmaStreamEnd ? (int)*(ulong*)(stream + 40) : -1;
                }
            }
            finally
            {
                LzmaEnd(stream);
            }
        }
        finally
        {
            NativeMemory.Free(stream);
        }
    }

    [LibraryImport("liblzma.so.5", EntryPoint = "lzma_easy_encoder")]
    private static unsafe partial int LzmaEasyEncoder(byte* stream, uint preset, int check);

    [LibraryImport("liblzma.so.5", EntryPoint = "lzma_code")]
    private static unsafe partial int LzmaCode(byte* stream, int action);

    [LibraryImport("liblzma.so.5", EntryPoint = "lzma_end")]
    private static unsafe partial void LzmaEnd(byte* stream);
}
