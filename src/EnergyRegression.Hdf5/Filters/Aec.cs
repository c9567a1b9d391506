namespace EnergyRegression.Hdf5.Filters;

/// <summary>
/// Adaptive Entropy Coding decoder (CCSDS 121.0-B-2 "Lossless Data Compression", the algorithm of szip and
/// libaec), with the szip conventions of libaec's SZ compatibility layer: 32- and 64-bit pixels coded as
/// byte-interleaved 8-bit samples, scanlines padded to whole blocks, the options mask's MSB (16) and
/// nearest-neighbour preprocessing (32) flags.
/// </summary>
internal static class Aec
{
    private const int MsbOption = 16;
    private const int NearestNeighbourOption = 32;

    public static byte[] DecodeSzip(ReadOnlySpan<byte> input, int size, int optionsMask, int pixelsPerBlock, int bitsPerPixel, int pixelsPerScanline)
    {
        if (pixelsPerBlock is not (8 or 10 or 16 or 32 or 64) || bitsPerPixel is < 1 or > 64 || pixelsPerScanline <= 0)
        {
            throw new FilterException($"its parameters (block {pixelsPerBlock}, {bitsPerPixel} bits, scanline {pixelsPerScanline}) are impossible: the file is damaged");
        }
        bool interleave = bitsPerPixel is 32 or 64;
        int bits = interleave ? 8 : bitsPerPixel;
        if (bits > 32)
        {
            throw new FilterException($"{bitsPerPixel}-bit szip samples are not supported");
        }
        int sampleBytes = bits <= 8 ? 1 : bits <= 16 ? 2 : 4;
        int rsi = (pixelsPerScanline + pixelsPerBlock - 1) / pixelsPerBlock;
        int pad = pixelsPerScanline % pixelsPerBlock;
        int decodedBytes = size;
        if (pad != 0)
        {
            long scanlines = ((size / sampleBytes) + pixelsPerScanline - 1) / pixelsPerScanline;
            decodedBytes = checked((int)(rsi * pixelsPerBlock * sampleBytes * scanlines));
        }
        byte[] decoded = new byte[decodedBytes];
        Decode(input, decoded, bits, pixelsPerBlock, rsi, (optionsMask & MsbOption) != 0, (optionsMask & NearestNeighbourOption) != 0);
        byte[] unpadded = decoded;
        if (pad != 0)
        {
            unpadded = new byte[size];
            int line = pixelsPerScanline * sampleBytes;
            int padding = ((rsi * pixelsPerBlock) - pixelsPerScanline) * sampleBytes;
            for (int from = 0, to = 0; to < size; from += line + padding, to += line)
            {
                decoded.AsSpan(from, Math.Min(line, size - to)).CopyTo(unpadded.AsSpan(to));
            }
        }
        if (!interleave)
        {
            return unpadded;
        }
        int word = bitsPerPixel / 8;
        return ShuffleFilter.Unshuffle(unpadded, word);
    }

    /// <summary>Decodes samples of <paramref name="bits"/> bits into <paramref name="output"/> until it is full.</summary>
    public static void Decode(ReadOnlySpan<byte> input, Span<byte> output, int bits, int blockSize, int rsi, bool msb, bool preprocess)
    {
        int sampleBytes = bits <= 8 ? 1 : bits <= 16 ? 2 : 4;
        long samples = output.Length / sampleBytes;
        int idLength = bits > 16 ? 5 : bits > 8 ? 4 : 3;
        int uncompressedId = (1 << idLength) - 1;
        ulong xmax = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        var reader = new LsbFirstSafe(input);
        var block = new ulong[blockSize];
        long written = 0;
        ulong last = 0;
        while (written < samples)
        {
            for (int b = 0; b < rsi && written < samples; b++)
            {
                bool reference = preprocess && b == 0;
                int id = (int)reader.Read(idLength);
                int start = reference ? 1 : 0;
                if (id == 0)
                {
                    bool secondExtension = reader.Read(1) == 1;
                    if (reference)
                    {
                        block[0] = reader.Read(bits);
                    }
                    if (secondExtension)
                    {
                        for (int i = start; i < blockSize;)
                        {
                            ulong m = reader.FundamentalSequence();
                            // m = β(β+1)/2 + δ codes the pair (β − δ, δ).
                            ulong beta = (ulong)((Math.Sqrt((8.0 * m) + 1) - 1) / 2);
                            while (beta * (beta + 1) / 2 > m)
                            {
                                beta--;
                            }
                            while ((beta + 1) * (beta + 2) / 2 <= m)
                            {
                                beta++;
                            }
                            ulong delta = m - (beta * (beta + 1) / 2);
                            if (delta > beta)
                            {
                                throw new FilterException("a second-extension code is impossible: the data is damaged");
                            }
                            if ((i & 1) == 0)
                            {
                                block[i++] = beta - delta;
                            }
                            block[i++] = delta;
                        }
                        Emit(block, reference, preprocess, output, ref written, samples, ref last, xmax, sampleBytes, msb);
                    }
                    else
                    {
                        ulong fs = reader.FundamentalSequence();
                        long zeroBlocks = (long)fs + 1;
                        if (zeroBlocks == 5)
                        {
                            zeroBlocks = Math.Min(rsi - b, 64 - (b % 64));
                        }
                        else if (zeroBlocks > 5)
                        {
                            zeroBlocks--;
                        }
                        if (zeroBlocks > rsi - b)
                        {
                            throw new FilterException("a run of zero blocks runs past its interval: the data is damaged");
                        }
                        for (long z = 0; z < zeroBlocks && written < samples; z++)
                        {
                            Array.Clear(block, start, blockSize - start);
                            Emit(block, reference && z == 0, preprocess, output, ref written, samples, ref last, xmax, sampleBytes, msb);
                            start = 0;
                        }
                        b += (int)zeroBlocks - 1;
                    }
                    continue;
                }
                if (reference)
                {
                    block[0] = reader.Read(bits);
                }
                if (id == uncompressedId)
                {
                    for (int i = start; i < blockSize; i++)
                    {
                        block[i] = reader.Read(bits);
                    }
                }
                else
                {
                    int k = id - 1;
                    if (k >= bits)
                    {
                        throw new FilterException($"a split of {k} bits for {bits}-bit samples is impossible: the data is damaged");
                    }
                    for (int i = start; i < blockSize; i++)
                    {
                        block[i] = reader.FundamentalSequence() << k;
                    }
                    for (int i = start; i < blockSize && k > 0; i++)
                    {
                        block[i] |= reader.Read(k);
                    }
                }
                Emit(block, reference, preprocess, output, ref written, samples, ref last, xmax, sampleBytes, msb);
            }
        }
    }

    /// <summary>Writes one block's samples, undoing the unit-delay predictor and its mapping when preprocessing is on.</summary>
    private static void Emit(ulong[] block, bool reference, bool preprocess, Span<byte> output, ref long written, long samples, ref ulong last, ulong xmax, int sampleBytes, bool msb)
    {
        for (int i = 0; i < block.Length && written < samples; i++)
        {
            ulong value = block[i];
            if (preprocess)
            {
                if (reference && i == 0)
                {
                    last = value;
                }
                else
                {
                    ulong d = value;
                    ulong theta = Math.Min(last, xmax - last);
                    if (d <= 2 * theta)
                    {
                        last = (d & 1) != 0 ? last - ((d + 1) / 2) : last + (d / 2);
                    }
                    else
                    {
                        last = theta == last ? d : xmax - d;
                    }
                    if (last > xmax)
                    {
                        throw new FilterException("a decoded sample is out of range: the data is damaged");
                    }
                }
                value = last;
            }
            else if (value > xmax)
            {
                throw new FilterException("a decoded sample is out of range: the data is damaged");
            }
            int at = (int)(written * sampleBytes);
            for (int k = 0; k < sampleBytes; k++)
            {
                output[at + (msb ? sampleBytes - 1 - k : k)] = (byte)(value >> (8 * k));
            }
            written++;
        }
    }

    /// <summary>An MSB-first bit reader that fails cleanly at the end of its input.</summary>
    private ref struct LsbFirstSafe(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private long _bit;

        public ulong Read(int bits)
        {
            if (_bit + bits > (long)_data.Length * 8)
            {
                throw new FilterException("the szip stream ends early: the data is damaged");
            }
            ulong v = 0;
            for (int i = 0; i < bits; i++, _bit++)
            {
                v = (v << 1) | (uint)((_data[(int)(_bit >> 3)] >> (7 - (int)(_bit & 7))) & 1);
            }
            return v;
        }

        /// <summary>A fundamental-sequence code: the number of zero bits before a one.</summary>
        public ulong FundamentalSequence()
        {
            ulong zeros = 0;
            while (true)
            {
                if (_bit >= (long)_data.Length * 8)
                {
                    throw new FilterException("the szip stream ends early: the data is damaged");
                }
                int bit = (_data[(int)(_bit >> 3)] >> (7 - (int)(_bit & 7))) & 1;
                _bit++;
                if (bit == 1)
                {
                    return zeros;
                }
                if (++zeros > 1UL << 40)
                {
                    throw new FilterException("an szip code is impossibly long: the data is damaged");
                }
            }
        }
    }
}
