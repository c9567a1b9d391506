using System.Buffers.Binary;

namespace EnergyRegression.Hdf5.Filters;

/// <summary>Reads values of any bit width from a stream packed most significant bit first (nbit, scale-offset).</summary>
internal ref struct MsbBitReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private long _bit;

    public ulong Read(int bits)
    {
        if (bits == 0)
        {
            return 0;
        }
        if (_bit + bits > (long)_data.Length * 8)
        {
            throw new FilterException("the packed values end early: the data is damaged");
        }
        ulong v = 0;
        for (int i = 0; i < bits; i++, _bit++)
        {
            v = (v << 1) | (uint)((_data[(int)(_bit >> 3)] >> (7 - (int)(_bit & 7))) & 1);
        }
        return v;
    }
}

/// <summary>
/// HDF5's n-bit filter (ID 5, H5Znbit.c): each value's significant bits (its precision, from its bit offset)
/// packed one after another, most significant first; compound members and array elements in order, no-op
/// types as whole bytes. The parameters describe the type: [count, no-compression flag, elements, class,
/// …] with classes 1 atomic (size, order, precision, offset), 2 array (size, base), 3 compound (size,
/// members, each offset + class …), 4 no-op (size).
/// </summary>
internal static class NBitFilter
{
    public static byte[] Decode(byte[] data, FilterContext context)
    {
        uint[] cd = context.ClientData;
        if (cd.Length < 5)
        {
            throw new FilterException("its parameters are missing: the file is damaged");
        }
        if (cd[1] != 0)
        {
            return data; // nothing was packed (every bit significant)
        }
        int elements = (int)cd[2];
        byte[] output = new byte[context.ChunkBytes];
        var reader = new MsbBitReader(data);
        int size = ElementSize(cd, 3);
        if ((long)elements * size != context.ChunkBytes)
        {
            throw new FilterException($"its parameters describe {elements} elements of {size} bytes, the chunk has {context.ChunkBytes} bytes: the file is damaged");
        }
        for (int e = 0; e < elements; e++)
        {
            int at = 3;
            Unpack(cd, ref at, ref reader, output.AsSpan(e * size, size));
        }
        return output;
    }

    private static int ElementSize(uint[] cd, int at) => at + 1 < cd.Length ? (int)cd[at + 1] : throw new FilterException("its parameters end early: the file is damaged");

    private static uint Next(uint[] cd, ref int at) => at < cd.Length ? cd[at++] : throw new FilterException("its parameters end early: the file is damaged");

    private static void Unpack(uint[] cd, ref int at, ref MsbBitReader reader, Span<byte> element)
    {
        uint cls = Next(cd, ref at);
        switch (cls)
        {
            case 1:
            {
                int size = (int)Next(cd, ref at);
                bool bigEndian = Next(cd, ref at) == 1;
                int precision = (int)Next(cd, ref at);
                int offset = (int)Next(cd, ref at);
                if (size > element.Length || size > 8 || precision + offset > size * 8)
                {
                    throw new FilterException("an atomic type's parameters are impossible: the file is damaged");
                }
                ulong v = reader.Read(precision) << offset;
                for (int k = 0; k < size; k++)
                {
                    element[bigEndian ? size - 1 - k : k] = (byte)(v >> (8 * k));
                }
                break;
            }
            case 2:
            {
                int size = (int)Next(cd, ref at);
                int baseAt = at;
                int baseSize = ElementSize(cd, baseAt);
                if (baseSize <= 0 || size % baseSize != 0 || size > element.Length)
                {
                    throw new FilterException("an array type's parameters are impossible: the file is damaged");
                }
                for (int i = 0; i < size / baseSize; i++)
                {
                    at = baseAt;
                    Unpack(cd, ref at, ref reader, element.Slice(i * baseSize, baseSize));
                }
                break;
            }
            case 3:
            {
                int size = (int)Next(cd, ref at);
                int members = (int)Next(cd, ref at);
                if (size > element.Length)
                {
                    throw new FilterException("a compound type's parameters are impossible: the file is damaged");
                }
                for (int m = 0; m < members; m++)
                {
                    int offset = (int)Next(cd, ref at);
                    int memberSize = ElementSize(cd, at);
                    if (offset + memberSize > size)
                    {
                        throw new FilterException("a compound member lies outside its record: the file is damaged");
                    }
                    Unpack(cd, ref at, ref reader, element.Slice(offset, memberSize));
                }
                break;
            }
            case 4:
            {
                int size = (int)Next(cd, ref at);
                for (int k = 0; k < size && k < element.Length; k++)
                {
                    element[k] = (byte)reader.Read(8);
                }
                break;
            }
            default:
                throw new FilterException($"type class {cls} in its parameters is unknown: the file is damaged");
        }
    }
}

/// <summary>
/// HDF5's scale-offset filter (ID 6, H5Zscaleoffset.c): a 21-byte header (the bit width "minbits" as 4
/// little-endian bytes, the minimum's size, the minimum as up to 8 little-endian bytes), then each value
/// minus the minimum in minbits bits, most significant first. Integers add the minimum back; floats
/// (D-scaling) are value / 10^D + minimum. The all-ones value is the fill value when one is defined.
/// Parameters: [scale type, scale factor, elements, class, size, sign, byte order, fill defined, fill …].
/// </summary>
internal static class ScaleOffsetFilter
{
    private const int HeaderSize = 21;

    public static byte[] Decode(byte[] data, FilterContext context)
    {
        uint[] cd = context.ClientData;
        if (cd.Length < 8 || data.Length < HeaderSize)
        {
            throw new FilterException("its header or parameters are missing: the data is damaged");
        }
        int scaleType = (int)cd[0];
        int scaleFactor = (int)cd[1];
        int elements = (int)cd[2];
        bool isFloat = cd[3] == 1;
        int size = (int)cd[4];
        bool signed = cd[5] == 1;
        bool bigEndian = cd[6] == 1;
        bool fillDefined = cd[7] == 1;
        if (size is not (1 or 2 or 4 or 8) || (long)elements * size != context.ChunkBytes || (isFloat && size is not (4 or 8)))
        {
            throw new FilterException($"its parameters ({elements} elements of {size} bytes) do not fit the chunk of {context.ChunkBytes} bytes: the file is damaged");
        }
        if (isFloat && scaleType != 0)
        {
            throw new FilterException("floating-point E-scaling is not supported (HDF5 does not implement it either)");
        }
        int minbits = (int)BinaryPrimitives.ReadUInt32LittleEndian(data);
        int minSize = data[4];
        if (minbits > size * 8 || minSize > 8)
        {
            throw new FilterException($"a bit width of {minbits} for {size}-byte values is impossible: the data is damaged");
        }
        ulong min = 0;
        for (int i = 0; i < minSize; i++)
        {
            min |= (ulong)data[5 + i] << (8 * i);
        }
        byte[] fill = new byte[8];
        for (int i = 0; i < size && fillDefined; i++)
        {
            int word = 8 + (i / 4);
            if (word >= cd.Length)
            {
                throw new FilterException("its fill value is missing from its parameters: the file is damaged");
            }
            fill[i] = (byte)(cd[word] >> (8 * (i % 4)));
        }
        byte[] output = new byte[context.ChunkBytes];
        if (minbits == size * 8)
        {
            if (data.Length < HeaderSize + context.ChunkBytes)
            {
                throw new FilterException("the stored values end early: the data is damaged");
            }
            data.AsSpan(HeaderSize, context.ChunkBytes).CopyTo(output);
        }
        else
        {
            var reader = new MsbBitReader(data.AsSpan(HeaderSize));
            ulong allOnes = minbits == 64 ? ulong.MaxValue : (1UL << minbits) - 1;
            double scale = Math.Pow(10.0, scaleFactor);
            for (int e = 0; e < elements; e++)
            {
                ulong packed = reader.Read(minbits);
                Span<byte> target = output.AsSpan(e * size, size);
                if (fillDefined && minbits > 0 && packed == allOnes)
                {
                    fill.AsSpan(0, size).CopyTo(target);
                    continue;
                }
                ulong value;
                if (isFloat)
                {
                    // The packed value is a signed integer of the float's size (H5Z_scaleoffset_modify_4).
                    if (size == 4)
                    {
                        float result = (float)(((float)(int)(uint)packed / scale) + BitConverter.Int32BitsToSingle((int)(uint)min));
                        value = (uint)BitConverter.SingleToInt32Bits(result);
                    }
                    else
                    {
                        double result = ((double)(long)packed / scale) + BitConverter.Int64BitsToDouble((long)min);
                        value = (ulong)BitConverter.DoubleToInt64Bits(result);
                    }
                }
                else
                {
                    value = packed + (signed ? (ulong)SignExtend(min, size) : min);
                }
                for (int k = 0; k < size; k++)
                {
                    target[k] = (byte)(value >> (8 * k));
                }
            }
        }
        if (bigEndian && size > 1)
        {
            for (int e = 0; e < elements; e++)
            {
                output.AsSpan(e * size, size).Reverse();
            }
        }
        return output;
    }

    private static long SignExtend(ulong v, int size) => size == 8 ? (long)v : ((long)(v << (64 - (8 * size)))) >> (64 - (8 * size));
}

/// <summary>
/// HDF5's szip filter (ID 4): a 4-byte little-endian size of the decoded chunk, then a CCSDS 121.0-B
/// (adaptive Rice) stream as libaec's SZ_BufftoBuffCompress writes it. See <see cref="Aec"/>.
/// </summary>
internal static class SzipFilter
{
    public static byte[] Decode(byte[] data, FilterContext context)
    {
        if (data.Length < 4)
        {
            throw new FilterException("the szip size prefix is missing: the data is damaged");
        }
        int size = BinaryPrimitives.ReadInt32LittleEndian(data);
        if (size != context.ChunkBytes)
        {
            throw new FilterException($"its size prefix says {size} bytes, the chunk has {context.ChunkBytes}: the data is damaged");
        }
        uint[] cd = context.ClientData;
        if (cd.Length < 4)
        {
            throw new FilterException("its parameters are missing: the file is damaged");
        }
        return Aec.DecodeSzip(data.AsSpan(4), size, optionsMask: (int)cd[0], pixelsPerBlock: (int)cd[1], bitsPerPixel: (int)cd[2], pixelsPerScanline: (int)cd[3]);
    }
}
