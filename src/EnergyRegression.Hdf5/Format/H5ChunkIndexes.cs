namespace EnergyRegression.Hdf5.Format;

/// <summary>
/// Lists the chunks of a chunked dataset from any of HDF5's chunk indexes (spec IV.A.2.i, layout version
/// 3 and 4): version-1 B-tree, single chunk, implicit, fixed array ("FAHD"/"FADB", spec III.H), extensible
/// array ("EAHD"/"EAIB"/"EASB"/"EADB", spec III.I) and version-2 B-tree (record types 10 and 11). Every
/// checksummed structure is verified.
/// </summary>
internal static class H5ChunkIndexes
{
    public static List<H5Chunk> Read(H5Source source, H5Layout layout, ulong[] dims, ulong[] maxDims, int elementSize, bool filtered, string what)
    {
        int rank = dims.Length;
        ulong[] chunk = layout.ChunkDimensions;
        ulong chunkBytes = chunk.Aggregate((ulong)elementSize, (a, d) => a * d);
        if (layout.Index != H5ChunkIndex.BTreeV1 && source.IsUndefined(layout.Address))
        {
            return [];
        }
        switch (layout.Index)
        {
            case H5ChunkIndex.BTreeV1:
                return source.IsUndefined(layout.Address) ? [] : H5BTreeV1.Chunks(source, layout.Address, rank, chunk, what);
            case H5ChunkIndex.SingleChunk:
                return [new H5Chunk(new ulong[rank], layout.Address, layout.SingleChunkFiltered ? layout.SingleChunkSize : chunkBytes, layout.SingleChunkFilterMask)];
            case H5ChunkIndex.Implicit:
            {
                ulong[] grid = Grid(maxDims, chunk);
                ulong total = grid.Aggregate(1UL, (a, g) => checked(a * g));
                var result = new List<H5Chunk>();
                for (ulong i = 0; i < total; i++)
                {
                    result.Add(new H5Chunk(Unravel(i, grid), layout.Address + (i * chunkBytes), chunkBytes, 0));
                }
                return result;
            }
            case H5ChunkIndex.FixedArray:
                return FixedArray(source, layout.Address, Grid(maxDims, chunk), ChunkSizeLength(chunkBytes), filtered, what);
            case H5ChunkIndex.ExtensibleArray:
                return ExtensibleArray(source, layout.Address, maxDims, chunk, ChunkSizeLength(chunkBytes), filtered, what);
            case H5ChunkIndex.BTreeV2:
            {
                (int type, List<byte[]> records) = H5BTreeV2.Records(source, layout.Address, what);
                if (type is not (10 or 11))
                {
                    throw source.Error(what, $"Its chunk index is a v2 B-tree of type {type}, not 10 or 11: the file is damaged.");
                }
                var result = new List<H5Chunk>(records.Count);
                int sizeLength = ChunkSizeLength(chunkBytes);
                foreach (byte[] record in records)
                {
                    var c = new H5Cursor(source, record, what);
                    ulong address = c.Offset();
                    ulong size = chunkBytes;
                    uint mask = 0;
                    if (type == 11)
                    {
                        size = c.Unsigned(sizeLength);
                        mask = c.U32();
                    }
                    var scaled = new ulong[rank];
                    for (int d = 0; d < rank; d++)
                    {
                        scaled[d] = c.U64();
                    }
                    result.Add(new H5Chunk(scaled, address, size, mask));
                }
                return result;
            }
            default:
                throw source.Error(what, $"Chunk index type {layout.Index} is not supported.");
        }
    }

    /// <summary>Bytes of a filtered chunk's size in fixed/extensible arrays and v2 B-trees (H5D chunk index code).</summary>
    private static int ChunkSizeLength(ulong chunkBytes) => Math.Min(8, 1 + ((H5BTreeV2.Log2(chunkBytes) + 8) / 8));

    /// <summary>Chunks along each dimension.</summary>
    public static ulong[] Grid(ulong[] dims, ulong[] chunk)
    {
        var grid = new ulong[dims.Length];
        for (int d = 0; d < dims.Length; d++)
        {
            grid[d] = (dims[d] + chunk[d] - 1) / chunk[d];
        }
        return grid;
    }

    /// <summary>Row-major chunk coordinates of linear index <paramref name="index"/>.</summary>
    private static ulong[] Unravel(ulong index, ulong[] grid)
    {
        var scaled = new ulong[grid.Length];
        for (int d = grid.Length - 1; d >= 0; d--)
        {
            ulong g = Math.Max(1, grid[d]);
            scaled[d] = index % g;
            index /= g;
        }
        return scaled;
    }

    private static H5Chunk Element(H5Cursor c, ulong[] scaled, int sizeLength, bool filtered, ulong defaultSize)
    {
        ulong address = c.Offset();
        if (!filtered)
        {
            return new H5Chunk(scaled, address, defaultSize, 0);
        }
        ulong size = c.Unsigned(sizeLength);
        uint mask = c.U32();
        return new H5Chunk(scaled, address, size, mask);
    }

    private static List<H5Chunk> FixedArray(H5Source source, ulong address, ulong[] grid, int sizeLength, bool filtered, string what)
    {
        string place = $"{what}, fixed array at {H5Source.Hex(address)}";
        H5Cursor h = source.Cursor(address, 4 + 4 + source.LengthSize + source.OffsetSize + 4, place);
        h.Signature("FAHD");
        h.Skip(1);
        int client = h.U8();
        int elementSize = h.U8();
        int pageBits = h.U8();
        ulong count = h.Length();
        ulong block = h.Offset();
        h.Checksum();
        CheckClient(h, client, filtered, elementSize, source.OffsetSize + (filtered ? sizeLength + 4 : 0));
        ulong expected = grid.Aggregate(1UL, (a, g) => a * g);
        if (count != expected || pageBits > 32)
        {
            throw h.Fail($"It has {count} entries for a grid of {expected} chunks: the file is damaged.");
        }
        var result = new List<H5Chunk>();
        if (source.IsUndefined(block))
        {
            return result;
        }
        ulong pageElements = 1UL << pageBits;
        bool paged = count > pageElements;
        ulong pages = paged ? (count + pageElements - 1) / pageElements : 0;
        int bitmap = (int)((pages + 7) / 8);
        int prefix = 4 + 1 + 1 + source.OffsetSize + bitmap;
        long blockSize = prefix + (paged ? 0 : (long)count * elementSize) + 4;
        string blockPlace = $"{what}, fixed array data block at {H5Source.Hex(block)}";
        var c = new H5Cursor(source, source.Read(block, blockSize, blockPlace), blockPlace);
        c.Signature("FADB");
        c.Skip(2);
        if (c.Offset() != address)
        {
            throw c.Fail("It points to another header than its own: the file is damaged.");
        }
        byte[] init = c.Bytes(bitmap).ToArray();
        ulong defaultSize = 0;
        if (!paged)
        {
            int start = c.Position;
            c.Skip((int)count * elementSize);
            c.Checksum();
            c.Position = start;
            for (ulong i = 0; i < count; i++)
            {
                Add(result, source, Element(c, Unravel(i, grid), sizeLength, filtered, defaultSize));
            }
            return result;
        }
        c.Checksum();
        ulong pageAt = block + (ulong)blockSize;
        for (ulong p = 0; p < pages; p++)
        {
            ulong n = Math.Min(pageElements, count - (p * pageElements));
            long pageBytes = ((long)n * elementSize) + 4;
            if ((init[p / 8] & (0x80 >> (int)(p % 8))) != 0)
            {
                string pagePlace = $"{what}, fixed array page at {H5Source.Hex(pageAt)}";
                var pc = new H5Cursor(source, source.Read(pageAt, pageBytes, pagePlace), pagePlace) { Position = (int)(n * (ulong)elementSize) };
                pc.Checksum();
                pc.Position = 0;
                for (ulong i = 0; i < n; i++)
                {
                    Add(result, source, Element(pc, Unravel((p * pageElements) + i, grid), sizeLength, filtered, defaultSize));
                }
            }
            pageAt += (ulong)((long)(pageElements * (ulong)elementSize) + 4);
        }
        return result;
    }

    private static void CheckClient(H5Cursor c, int client, bool filtered, int elementSize, int expectedSize)
    {
        if (client != (filtered ? 1 : 0) || elementSize != expectedSize)
        {
            throw c.Fail($"Its entries (client {client}, {elementSize} bytes) do not fit the dataset ({(filtered ? "filtered" : "unfiltered")} chunks of {expectedSize} bytes): the file is damaged.");
        }
    }

    private static void Add(List<H5Chunk> result, H5Source source, H5Chunk chunk)
    {
        if (!source.IsUndefined(chunk.Address))
        {
            result.Add(chunk);
        }
    }

    private static List<H5Chunk> ExtensibleArray(H5Source source, ulong address, ulong[] maxDims, ulong[] chunk, int sizeLength, bool filtered, string what)
    {
        string place = $"{what}, extensible array at {H5Source.Hex(address)}";
        H5Cursor h = source.Cursor(address, 12 + (6 * source.LengthSize) + source.OffsetSize + 4, place);
        h.Signature("EAHD");
        h.Skip(1);
        int client = h.U8();
        int elementSize = h.U8();
        int maxBits = h.U8();
        int indexElements = h.U8();
        int minElements = h.U8();
        int minPointers = h.U8();
        int pageBits = h.U8();
        for (int i = 0; i < 4; i++)
        {
            h.Length();
        }
        ulong maxIndex = h.Length();
        h.Length();
        ulong indexBlock = h.Offset();
        h.Checksum();
        CheckClient(h, client, filtered, elementSize, source.OffsetSize + (filtered ? sizeLength + 4 : 0));
        if (maxBits is 0 or > 64 || minElements == 0 || (minElements & (minElements - 1)) != 0 || minPointers == 0
            || (minPointers & (minPointers - 1)) != 0 || pageBits > 32 || H5BTreeV2.Log2((ulong)minElements) > maxBits)
        {
            throw h.Fail("Its parameters are impossible: the file is damaged.");
        }
        // The unlimited dimension comes first in the linear chunk index ("swizzled"), the others follow with
        // their chunk counts from the maximum dimensions (H5D earray index).
        int unlimited = Array.FindIndex(maxDims, m => source.IsUndefined(m) || m == ulong.MaxValue);
        if (unlimited < 0)
        {
            unlimited = 0;
        }
        int rank = maxDims.Length;
        int[] order = [unlimited, .. Enumerable.Range(0, rank).Where(d => d != unlimited)];
        ulong[] grid = [.. order.Select(d => d == unlimited ? ulong.MaxValue : (maxDims[d] + chunk[d] - 1) / chunk[d])];
        ulong[] Scaled(ulong index)
        {
            var swizzled = new ulong[rank];
            for (int i = rank - 1; i >= 1; i--)
            {
                ulong g = Math.Max(1, grid[i]);
                swizzled[i] = index % g;
                index /= g;
            }
            swizzled[0] = index;
            var scaled = new ulong[rank];
            for (int i = 0; i < rank; i++)
            {
                scaled[order[i]] = swizzled[i];
            }
            return scaled;
        }

        var result = new List<H5Chunk>();
        if (source.IsUndefined(indexBlock) || maxIndex == 0)
        {
            return result;
        }
        // Super block s has 2^(s/2) data blocks of 2^((s+1)/2) × minElements elements; the index block
        // points straight at the data blocks of the first 2·log2(minPointers) super blocks.
        int superBlocks = 1 + maxBits - H5BTreeV2.Log2((ulong)minElements);
        int directSuperBlocks = Math.Min(superBlocks, 2 * H5BTreeV2.Log2((ulong)minPointers));
        int directBlocks = 2 * (minPointers - 1);
        int superAddresses = superBlocks - directSuperBlocks;
        int arrayOffsetSize = (maxBits + 7) / 8;
        string ibPlace = $"{what}, extensible array index block at {H5Source.Hex(indexBlock)}";
        long ibSize = 4 + 2 + source.OffsetSize + ((long)indexElements * elementSize) + ((long)(directBlocks + superAddresses) * source.OffsetSize) + 4;
        var ib = new H5Cursor(source, source.Read(indexBlock, ibSize, ibPlace), ibPlace);
        ib.Signature("EAIB");
        ib.Skip(2);
        ib.Offset();
        int elementsStart = ib.Position;
        ib.Position = (int)ibSize - 4;
        ib.Checksum();
        ib.Position = elementsStart;
        ulong index = 0;
        for (int i = 0; i < indexElements && index < maxIndex; i++, index++)
        {
            Add(result, source, Element(ib, Scaled(index), sizeLength, filtered, 0));
        }
        ib.Position = elementsStart + (indexElements * elementSize);
        var directAddresses = new ulong[directBlocks];
        for (int i = 0; i < directBlocks; i++)
        {
            directAddresses[i] = ib.Offset();
        }
        var superAddressList = new ulong[superAddresses];
        for (int i = 0; i < superAddresses; i++)
        {
            superAddressList[i] = ib.Offset();
        }
        ulong pageElements = 1UL << pageBits;
        int direct = 0;
        for (int s = 0; s < superBlocks && index < maxIndex; s++)
        {
            ulong blocks = 1UL << (s / 2);
            ulong blockElements = (1UL << ((s + 1) / 2)) * (ulong)minElements;
            ulong[] dataBlocks;
            byte[]? pageInit = null;
            int pageInitSize = 0;
            if (s < directSuperBlocks)
            {
                dataBlocks = new ulong[blocks];
                for (ulong b = 0; b < blocks; b++)
                {
                    dataBlocks[b] = direct < directAddresses.Length ? directAddresses[direct++] : ulong.MaxValue;
                }
            }
            else
            {
                ulong sb = superAddressList[s - directSuperBlocks];
                if (source.IsUndefined(sb))
                {
                    index += blocks * blockElements;
                    continue;
                }
                bool pagedBlocks = blockElements > pageElements;
                ulong blockPages = pagedBlocks ? blockElements / pageElements : 0;
                pageInitSize = (int)((blockPages + 7) / 8);
                string sbPlace = $"{what}, extensible array super block at {H5Source.Hex(sb)}";
                long sbSize = 4 + 2 + source.OffsetSize + arrayOffsetSize + ((long)blocks * pageInitSize) + ((long)blocks * source.OffsetSize) + 4;
                var sc = new H5Cursor(source, source.Read(sb, sbSize, sbPlace), sbPlace);
                sc.Signature("EASB");
                sc.Skip(2 + source.OffsetSize + arrayOffsetSize);
                pageInit = sc.Bytes((int)blocks * pageInitSize).ToArray();
                dataBlocks = new ulong[blocks];
                for (ulong b = 0; b < blocks; b++)
                {
                    dataBlocks[b] = sc.Offset();
                }
                sc.Checksum();
            }
            for (ulong b = 0; b < blocks && index < maxIndex; b++)
            {
                ulong db = dataBlocks[b];
                if (source.IsUndefined(db))
                {
                    index += blockElements;
                    continue;
                }
                bool paged = pageInit is not null && blockElements > pageElements;
                int prefix = 4 + 2 + source.OffsetSize + arrayOffsetSize;
                string dbPlace = $"{what}, extensible array data block at {H5Source.Hex(db)}";
                if (!paged)
                {
                    long size = prefix + ((long)blockElements * elementSize) + 4;
                    var dc = new H5Cursor(source, source.Read(db, size, dbPlace), dbPlace);
                    dc.Signature("EADB");
                    dc.Position = (int)size - 4;
                    dc.Checksum();
                    dc.Position = prefix;
                    for (ulong e = 0; e < blockElements; e++, index++)
                    {
                        H5Chunk element = Element(dc, Scaled(index), sizeLength, filtered, 0);
                        if (index < maxIndex)
                        {
                            Add(result, source, element);
                        }
                    }
                    continue;
                }
                var head = new H5Cursor(source, source.Read(db, prefix + 4, dbPlace), dbPlace);
                head.Signature("EADB");
                head.Position = prefix;
                head.Checksum();
                ulong pages = blockElements / pageElements;
                ulong pageAt = db + (ulong)prefix + 4;
                for (ulong p = 0; p < pages; p++)
                {
                    long pageBytes = ((long)pageElements * elementSize) + 4;
                    int bit = (int)((b * (ulong)pageInitSize * 8) + p);
                    if ((pageInit![bit / 8] & (0x80 >> (bit % 8))) != 0)
                    {
                        string pagePlace = $"{what}, extensible array page at {H5Source.Hex(pageAt)}";
                        var pc = new H5Cursor(source, source.Read(pageAt, pageBytes, pagePlace), pagePlace) { Position = (int)pageBytes - 4 };
                        pc.Checksum();
                        pc.Position = 0;
                        for (ulong e = 0; e < pageElements; e++)
                        {
                            H5Chunk element = Element(pc, Scaled(index + e), sizeLength, filtered, 0);
                            if (index + e < maxIndex)
                            {
                                Add(result, source, element);
                            }
                        }
                    }
                    index += pageElements;
                    pageAt += (ulong)pageBytes;
                }
            }
        }
        return result;
    }
}
