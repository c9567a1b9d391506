using System.Buffers.Binary;

namespace EnergyRegression.Hdf5.Filters;

/// <summary>
/// The blosc filter (ID 32001; PyTables' and pandas' favourite), blosc 1 format: a 16-byte header (format
/// version, codec version, flags, type size, uncompressed bytes, block size, compressed bytes), the start of
/// every block, then the blocks — each split into one stream per byte of the type (or one stream), each
/// stream compressed by the codec the flags name (blosclz, lz4/lz4hc, snappy, zlib, zstd) or stored, and
/// the block byte- or bit-shuffled (c-blosc's README_HEADER.rst describes the layout).
/// </summary>
internal static class BloscFilter
{
    private const int HeaderSize = 16;

    public static byte[] Decode(byte[] data, int limit)
    {
        if (data.Length < HeaderSize)
        {
            throw new FilterException("the blosc header is missing: the data is damaged");
        }
        int version = data[0];
        int flags = data[2];
        int typeSize = Math.Max(1, (int)data[3]);
        int nbytes = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(4));
        int blockSize = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(8));
        int cbytes = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(12));
        if (version is 0 or > 4 || nbytes < 0 || nbytes > limit || cbytes != data.Length || (nbytes > 0 && blockSize <= 0))
        {
            throw new FilterException($"the blosc header is impossible (format {version}, {nbytes} bytes in {cbytes}, blocks of {blockSize}): the data is damaged");
        }
        byte[] output = new byte[nbytes];
        if ((flags & 0x02) != 0)
        {
            // Stored without compression ("memcpyed").
            if (HeaderSize + nbytes > data.Length)
            {
                throw new FilterException("a stored blosc buffer is cut: the data is damaged");
            }
            data.AsSpan(HeaderSize, nbytes).CopyTo(output);
            return output;
        }
        int codec = flags >> 5;
        bool dontSplit = (flags & 0x10) != 0;
        int blocks = nbytes == 0 ? 0 : (nbytes + blockSize - 1) / blockSize;
        if (HeaderSize + (4L * blocks) > data.Length)
        {
            throw new FilterException("the blosc block starts are cut: the data is damaged");
        }
        byte[] shuffled = new byte[blockSize];
        for (int b = 0; b < blocks; b++)
        {
            int start = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(HeaderSize + (4 * b)));
            bool leftover = b == blocks - 1 && nbytes % blockSize != 0;
            int size = leftover ? nbytes % blockSize : blockSize;
            int streams = !dontSplit && typeSize <= 16 && blockSize / typeSize >= 128 && !leftover ? typeSize : 1;
            int streamSize = size / streams;
            if (start < HeaderSize || start > data.Length)
            {
                throw new FilterException($"blosc block {b} starts outside the buffer: the data is damaged");
            }
            int at = start;
            bool shuffle = (flags & 0x01) != 0 || (flags & 0x04) != 0;
            Span<byte> target = shuffle ? shuffled.AsSpan(0, size) : output.AsSpan(b * blockSize, size);
            for (int s = 0; s < streams; s++)
            {
                if (at + 4 > data.Length)
                {
                    throw new FilterException($"blosc block {b} is cut: the data is damaged");
                }
                int compressed = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(at));
                at += 4;
                Span<byte> destination = target.Slice(s * streamSize, streamSize);
                if (compressed < 0 || compressed > data.Length - at)
                {
                    throw new FilterException($"a stream of blosc block {b} runs past the buffer: the data is damaged");
                }
                if (compressed == streamSize)
                {
                    data.AsSpan(at, compressed).CopyTo(destination);
                }
                else
                {
                    int n = codec switch
                    {
                        0 => Codecs.BloscLz(data.AsSpan(at, compressed), destination),
                        1 => Codecs.Lz4Block(data.AsSpan(at, compressed), destination),
                        2 => Codecs.Snappy(data.AsSpan(at, compressed), destination),
                        3 => Zlib.Decode(data, at, compressed, destination),
                        4 => Codecs.Zstd(data.AsSpan(at, compressed), destination),
                        _ => throw new FilterException($"blosc codec {codec} is unknown (0 blosclz, 1 lz4, 2 snappy, 3 zlib, 4 zstd)"),
                    };
                    if (n != streamSize)
                    {
                        throw new FilterException($"a stream of blosc block {b} gives {n} of its {streamSize} bytes: the data is damaged");
                    }
                }
                at += compressed;
            }
            if ((flags & 0x01) != 0)
            {
                int elements = size / typeSize;
                ShuffleFilter.Unshuffle(shuffled, output.AsSpan(b * blockSize), typeSize, elements);
                shuffled.AsSpan(elements * typeSize, size - (elements * typeSize)).CopyTo(output.AsSpan((b * blockSize) + (elements * typeSize)));
            }
            else if ((flags & 0x04) != 0)
            {
                int elements = size / typeSize;
                elements -= elements % 8;
                BitshuffleFilter.Unshuffle(shuffled, output.AsSpan(b * blockSize), typeSize, elements);
                shuffled.AsSpan(elements * typeSize, size - (elements * typeSize)).CopyTo(output.AsSpan((b * blockSize) + (elements * typeSize)));
            }
        }
        return output;
    }
}

/// <summary>
/// Bit shuffling (Masui's bitshuffle, as blosc applies it to a block): for n elements (a multiple of 8) of
/// s bytes, bit k of byte j of element i is bit (i mod 8) of byte (8j + k)·n/8 + i/8.
/// </summary>
internal static class BitshuffleFilter
{
    public static void Unshuffle(ReadOnlySpan<byte> input, Span<byte> output, int size, int n)
    {
        if (n == 0)
        {
            return;
        }
        output[..(n * size)].Clear();
        int rowBytes = n / 8;
        for (int j = 0; j < size; j++)
        {
            for (int k = 0; k < 8; k++)
            {
                ReadOnlySpan<byte> row = input.Slice(((8 * j) + k) * rowBytes, rowBytes);
                byte bit = (byte)(1 << k);
                for (int q = 0; q < rowBytes; q++)
                {
                    int v = row[q];
                    if (v == 0)
                    {
                        continue;
                    }
                    int element = 8 * q;
                    for (int m = 0; m < 8; m++)
                    {
                        if ((v & (1 << m)) != 0)
                        {
                            output[((element + m) * size) + j] |= bit;
                        }
                    }
                }
            }
        }
    }
}
