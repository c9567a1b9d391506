namespace EnergyRegression.Hdf5.Format;

/// <summary>A chunk of a chunked dataset: its position (in chunks along each dimension), address, stored size and filter mask.</summary>
internal readonly record struct H5Chunk(ulong[] Scaled, ulong Address, ulong Size, uint FilterMask);

/// <summary>
/// Version-1 B-trees (spec III.A.1): type 0 indexes an old-style group's symbol table nodes, type 1 a
/// chunked dataset's chunks. Nodes are read depth first; a node visited twice (a loop) is an error.
/// </summary>
internal static class H5BTreeV1
{
    private const int MaxNodes = 10_000_000;

    /// <summary>The children of the leaves of a group B-tree: symbol table node addresses.</summary>
    public static List<ulong> GroupNodes(H5Source source, ulong root, string what)
    {
        var result = new List<ulong>();
        Walk(source, root, 0, 0, what, new HashSet<ulong>(), (key, child) => result.Add(child));
        return result;
    }

    /// <summary>Every chunk of a type-1 tree for a dataset of <paramref name="rank"/> dimensions.</summary>
    public static List<H5Chunk> Chunks(H5Source source, ulong root, int rank, ulong[] chunkDims, string what)
    {
        var result = new List<H5Chunk>();
        Walk(source, root, 1, rank + 1, what, new HashSet<ulong>(), (key, child) =>
        {
            var c = new H5Cursor(source, key, what);
            uint size = c.U32();
            uint mask = c.U32();
            var scaled = new ulong[rank];
            for (int d = 0; d < rank; d++)
            {
                ulong offset = c.U64();
                if (offset % chunkDims[d] != 0)
                {
                    throw source.Error(what, $"A chunk starts at element {offset} of dimension {d}, not a multiple of the chunk size {chunkDims[d]}: the file is damaged.");
                }
                scaled[d] = offset / chunkDims[d];
            }
            result.Add(new H5Chunk(scaled, child, size, mask));
        });
        return result;
    }

    private static void Walk(H5Source source, ulong address, int type, int dimensions, string what, HashSet<ulong> seen, Action<byte[], ulong> leaf)
    {
        string place = $"{what}, B-tree node at {H5Source.Hex(address)}";
        if (!seen.Add(address) || seen.Count > MaxNodes)
        {
            throw source.Error(place, "The B-tree's nodes form a loop: the file is damaged.");
        }
        int headerSize = 8 + 2 * source.OffsetSize;
        H5Cursor head = source.Cursor(address, headerSize, place);
        head.Signature("TREE");
        int nodeType = head.U8();
        int level = head.U8();
        int entries = head.U16();
        if (nodeType != type)
        {
            throw head.Fail($"A B-tree node of type {nodeType} where type {type} was expected: the file is damaged.");
        }
        int keySize = type == 0 ? source.LengthSize : 8 + 8 * dimensions;
        long size = headerSize + ((long)entries * (keySize + source.OffsetSize)) + keySize;
        var c = new H5Cursor(source, source.Read(address, size, place), place) { Position = headerSize };
        for (int i = 0; i < entries; i++)
        {
            byte[] key = c.Bytes(keySize).ToArray();
            ulong child = c.Offset();
            if (level > 0)
            {
                Walk(source, child, type, dimensions, what, seen, leaf);
            }
            else
            {
                leaf(key, child);
            }
        }
    }
}

/// <summary>
/// Version-2 B-trees (spec III.A.2): header "BTHD", internal nodes "BTIN", leaves "BTLF", every one with a
/// lookup3 checksum verified here. <see cref="Records"/> gives every record's bytes; the caller decodes
/// them by the tree's type (5: link names, 8: attribute names, 10/11: chunks, 1: huge heap objects).
/// </summary>
internal static class H5BTreeV2
{
    public static (int Type, List<byte[]> Records) Records(H5Source source, ulong address, string what)
    {
        string place = $"{what}, v2 B-tree at {H5Source.Hex(address)}";
        H5Cursor c = source.Cursor(address, 4 + 1 + 1 + 4 + 2 + 2 + 1 + 1 + source.OffsetSize + 2 + source.LengthSize + 4, place);
        c.Signature("BTHD");
        int version = c.U8();
        if (version != 0)
        {
            throw c.Fail($"v2 B-tree version {version} is unknown: the file is damaged.");
        }
        int type = c.U8();
        uint nodeSize = c.U32();
        int recordSize = c.U16();
        int depth = c.U16();
        c.Skip(2);
        ulong root = c.Offset();
        int rootRecords = c.U16();
        ulong total = c.Length();
        c.Checksum();
        if (nodeSize is < 16 or > 1 << 24 || recordSize == 0 || recordSize > nodeSize || depth > 64)
        {
            throw c.Fail($"A v2 B-tree with {nodeSize}-byte nodes, {recordSize}-byte records and depth {depth} is impossible: the file is damaged.");
        }
        var records = new List<byte[]>();
        if (source.IsUndefined(root) || total == 0)
        {
            return (type, records);
        }
        // Node capacities as HDF5 computes them (H5B2__hdr_init): leaves hold (node size − 10) / record size
        // records; an internal node's child pointers have an address, a record count and (above depth 1) a
        // total count, each count in as few bytes as its maximum needs.
        const int Prefix = 10;
        var maxRecords = new long[depth + 1];
        var cumulative = new long[depth + 1];
        var cumulativeSize = new int[depth + 1];
        maxRecords[0] = (nodeSize - Prefix) / recordSize;
        cumulative[0] = maxRecords[0];
        int countSize = EncodedSize((ulong)maxRecords[0]);
        for (int d = 1; d <= depth; d++)
        {
            int pointer = source.OffsetSize + countSize + (d > 1 ? cumulativeSize[d - 1] : 0);
            maxRecords[d] = (nodeSize - (Prefix + pointer)) / (recordSize + pointer);
            cumulative[d] = checked(((maxRecords[d] + 1) * cumulative[d - 1]) + maxRecords[d]);
            cumulativeSize[d] = EncodedSize((ulong)cumulative[d]);
        }
        var seen = new HashSet<ulong>();
        Node(source, root, rootRecords, depth, type, nodeSize, recordSize, countSize, cumulativeSize, maxRecords, place, seen, records);
        if ((ulong)records.Count != total)
        {
            throw source.Error(place, $"It holds {records.Count} records but its header says {total}: the file is damaged.");
        }
        return (type, records);
    }

    /// <summary>Bytes needed for a count up to <paramref name="max"/> (H5VM_limit_enc_size).</summary>
    public static int EncodedSize(ulong max) => (Log2(max) / 8) + 1;

    public static int Log2(ulong n) => n == 0 ? 0 : 63 - System.Numerics.BitOperations.LeadingZeroCount(n);

    private static void Node(H5Source source, ulong address, int count, int depth, int type, uint nodeSize, int recordSize, int countSize,
        int[] cumulativeSize, long[] maxRecords, string what, HashSet<ulong> seen, List<byte[]> records)
    {
        string place = $"{what}, node at {H5Source.Hex(address)}";
        if (!seen.Add(address))
        {
            throw source.Error(place, "The B-tree's nodes form a loop: the file is damaged.");
        }
        if (count > maxRecords[depth])
        {
            throw source.Error(place, $"It claims {count} records, more than a node holds ({maxRecords[depth]}): the file is damaged.");
        }
        var c = new H5Cursor(source, source.Read(address, nodeSize, place), place);
        c.Signature(depth == 0 ? "BTLF" : "BTIN");
        c.Skip(1);
        if (c.U8() != type)
        {
            throw c.Fail("A node's type differs from its tree's: the file is damaged.");
        }
        int recordsStart = c.Position;
        c.Skip(count * recordSize);
        var children = new List<(ulong Address, int Count)>();
        if (depth > 0)
        {
            for (int i = 0; i <= count; i++)
            {
                ulong child = c.Offset();
                int n = (int)Math.Min(int.MaxValue, c.Unsigned(countSize));
                if (depth > 1)
                {
                    c.Unsigned(cumulativeSize[depth - 1]);
                }
                children.Add((child, n));
            }
        }
        c.Checksum();
        for (int i = 0; i < count; i++)
        {
            records.Add(c.Data.AsSpan(recordsStart + (i * recordSize), recordSize).ToArray());
        }
        foreach ((ulong child, int n) in children)
        {
            Node(source, child, n, depth - 1, type, nodeSize, recordSize, countSize, cumulativeSize, maxRecords, what, seen, records);
        }
    }
}

/// <summary>
/// A fractal heap (spec III.G): the objects of a new-style group's dense links or an object's dense
/// attributes, found by heap ID — managed objects in the direct blocks of a doubling table (header
/// "FRHP", indirect blocks "FHIB", direct blocks "FHDB", all checksummed), tiny objects inside the ID,
/// huge objects at their own address.
/// </summary>
internal sealed class H5FractalHeap
{
    private readonly H5Source _source;
    private readonly string _what;
    private readonly int _idLength;
    private readonly int _filterLength;
    private readonly bool _checksumDirect;
    private readonly ulong _hugeTree;
    private readonly int _width;
    private readonly ulong _startBlock;
    private readonly ulong _maxDirect;
    private readonly int _offsetSize;
    private readonly int _lengthSize;
    private readonly ulong _root;
    private readonly int _rootRows;
    private readonly int _maxDirectRows;
    private readonly Dictionary<ulong, byte[]> _blocks = [];
    private Dictionary<ulong, (ulong Address, ulong Length)>? _huge;

    public H5FractalHeap(H5Source source, ulong address, string what)
    {
        _source = source;
        _what = $"{what}, fractal heap at {H5Source.Hex(address)}";
        H5Cursor c = source.Cursor(address, 512, _what);
        c.Signature("FRHP");
        if (c.U8() != 0)
        {
            throw c.Fail("Fractal heap version is unknown: the file is damaged.");
        }
        _idLength = c.U16();
        _filterLength = c.U16();
        int flags = c.U8();
        _checksumDirect = (flags & 2) != 0;
        uint maxManaged = c.U32();
        c.Length(); // next huge ID
        _hugeTree = c.Offset();
        c.Length(); // free space
        c.Offset(); // free-space manager
        c.Length(); // managed space
        c.Length(); // allocated managed space
        c.Length(); // direct block allocation iterator
        c.Length(); // managed objects
        c.Length(); // huge objects size
        c.Length(); // huge objects
        c.Length(); // tiny objects size
        c.Length(); // tiny objects
        _width = c.U16();
        _startBlock = c.Length();
        _maxDirect = c.Length();
        int maxHeapBits = c.U16();
        c.U16(); // starting rows of the root indirect block
        _root = c.Offset();
        _rootRows = c.U16();
        if (_filterLength > 0)
        {
            c.Length();
            c.U32();
            c.Skip(_filterLength);
        }
        c.Checksum();
        if (_width is 0 or > 65536 || _startBlock == 0 || (_startBlock & (_startBlock - 1)) != 0 || _maxDirect < _startBlock
            || (_maxDirect & (_maxDirect - 1)) != 0 || maxHeapBits is 0 or > 64 || _idLength is 0 or > 4096)
        {
            throw c.Fail("Its doubling table is impossible: the file is damaged.");
        }
        _offsetSize = (maxHeapBits + 7) / 8;
        _lengthSize = Math.Min((H5BTreeV2.Log2(_maxDirect) + 7) / 8, H5BTreeV2.EncodedSize(maxManaged));
        _maxDirectRows = H5BTreeV2.Log2(_maxDirect) - H5BTreeV2.Log2(_startBlock) + 2;
    }

    /// <summary>The object a heap ID names.</summary>
    public byte[] Get(ReadOnlySpan<byte> id)
    {
        if (id.Length == 0)
        {
            throw _source.Error(_what, "An empty heap ID: the file is damaged.");
        }
        int type = (id[0] >> 4) & 3;
        switch (type)
        {
            case 0:
            {
                if (id.Length < 1 + _offsetSize + _lengthSize)
                {
                    throw _source.Error(_what, "A heap ID is too short: the file is damaged.");
                }
                ulong offset = H5Cursor.ReadUnsigned(id[1..], _offsetSize);
                ulong length = H5Cursor.ReadUnsigned(id[(1 + _offsetSize)..], _lengthSize);
                return Managed(offset, length);
            }
            case 1:
                return Huge(id);
            case 2:
            {
                bool extended = _idLength > 18;
                int length = extended ? (((id[0] & 0x0f) << 8) | id[1]) + 1 : (id[0] & 0x0f) + 1;
                int start = extended ? 2 : 1;
                if (start + length > id.Length)
                {
                    throw _source.Error(_what, "A tiny heap object is longer than its ID: the file is damaged.");
                }
                return id.Slice(start, length).ToArray();
            }
            default:
                throw _source.Error(_what, $"Heap ID type {type} is unknown: the file is damaged.");
        }
    }

    private byte[] Managed(ulong offset, ulong length)
    {
        if (_filterLength > 0)
        {
            throw _source.Error(_what, "Fractal heaps with filters (compressed link or attribute storage) are not supported by this reader.");
        }
        if (_source.IsUndefined(_root))
        {
            throw _source.Error(_what, "A heap object in an empty heap: the file is damaged.");
        }
        (ulong block, ulong blockOffset, ulong blockSize) = _rootRows == 0
            ? (_root, 0UL, _startBlock)
            : Locate(_root, _rootRows, offset, 0, 0);
        byte[] data = DirectBlock(block, blockOffset, blockSize);
        ulong at = offset - blockOffset;
        if (at + length > (ulong)data.Length || length > int.MaxValue)
        {
            throw _source.Error(_what, $"A heap object (offset {offset}, {length} bytes) runs past its block: the file is damaged.");
        }
        return data.AsSpan((int)at, (int)length).ToArray();
    }

    /// <summary>The direct block holding heap offset <paramref name="offset"/> below an indirect block of <paramref name="rows"/> rows starting at heap offset <paramref name="start"/>.</summary>
    private (ulong Address, ulong Offset, ulong Size) Locate(ulong indirect, int rows, ulong offset, ulong start, int depth)
    {
        if (depth > 64 || rows is <= 0 or > 64)
        {
            throw _source.Error(_what, "Its indirect blocks nest impossibly: the file is damaged.");
        }
        int directRows = Math.Min(rows, _maxDirectRows);
        int indirectRows = rows - directRows;
        int entries = (directRows + indirectRows) * _width;
        string place = $"{_what}, indirect block at {H5Source.Hex(indirect)}";
        long size = 4 + 1 + _source.OffsetSize + _offsetSize + ((long)entries * _source.OffsetSize) + 4;
        var c = new H5Cursor(_source, _source.Read(indirect, size, place), place);
        c.Signature("FHIB");
        c.Skip(1 + _source.OffsetSize);
        ulong blockOffset = c.Unsigned(_offsetSize);
        if (blockOffset != start)
        {
            throw c.Fail($"It says it starts at heap offset {blockOffset}, its parent at {start}: the file is damaged.");
        }
        int entriesStart = c.Position;
        c.Position = entriesStart + (entries * _source.OffsetSize);
        c.Checksum();
        ulong relative = offset - start;
        ulong rowStart = 0;
        for (int row = 0; row < rows; row++)
        {
            ulong blockSize = row <= 1 ? _startBlock : _startBlock << (row - 1);
            ulong rowSize = blockSize * (ulong)_width;
            if (relative < rowStart + rowSize)
            {
                int column = (int)((relative - rowStart) / blockSize);
                c.Position = entriesStart + (((row * _width) + column) * _source.OffsetSize);
                ulong child = c.Offset();
                ulong childStart = start + rowStart + ((ulong)column * blockSize);
                if (_source.IsUndefined(child))
                {
                    throw c.Fail($"Heap offset {offset} lies in a block that was never allocated: the file is damaged.");
                }
                if (row < _maxDirectRows)
                {
                    return (child, childStart, blockSize);
                }
                int childRows = H5BTreeV2.Log2(blockSize) - (H5BTreeV2.Log2(_startBlock) + H5BTreeV2.Log2((ulong)_width)) + 1;
                return Locate(child, childRows, offset, childStart, depth + 1);
            }
            rowStart += rowSize;
        }
        throw c.Fail($"Heap offset {offset} lies beyond the heap: the file is damaged.");
    }

    private byte[] DirectBlock(ulong address, ulong offset, ulong size)
    {
        if (_blocks.TryGetValue(address, out byte[]? known))
        {
            return known;
        }
        string place = $"{_what}, direct block at {H5Source.Hex(address)}";
        var c = new H5Cursor(_source, _source.Read(address, (long)Math.Min(size, int.MaxValue / 2), place), place);
        c.Signature("FHDB");
        c.Skip(1 + _source.OffsetSize);
        ulong blockOffset = c.Unsigned(_offsetSize);
        if (blockOffset != offset)
        {
            throw c.Fail($"It says it starts at heap offset {blockOffset}, its parent at {offset}: the file is damaged.");
        }
        if (_checksumDirect)
        {
            // The checksum covers the whole block with its own 4 bytes as zeros (H5HF direct block cache).
            int at = c.Position;
            uint stored = c.U32();
            byte[] copy = (byte[])c.Data.Clone();
            Array.Clear(copy, at, 4);
            uint computed = Lookup3.Hash(copy);
            if (stored != computed)
            {
                throw c.Fail($"Its checksum does not match (stored 0x{stored:x8}, computed 0x{computed:x8}): the file is damaged.");
            }
        }
        _blocks[address] = c.Data;
        return c.Data;
    }

    private byte[] Huge(ReadOnlySpan<byte> id)
    {
        int o = _source.OffsetSize;
        int l = _source.LengthSize;
        if (_filterLength == 0 && id.Length - 1 >= o + l)
        {
            ulong address = H5Cursor.ReadUnsigned(id[1..], o);
            ulong length = H5Cursor.ReadUnsigned(id[(1 + o)..], l);
            return _source.Read(address, (long)Math.Min(length, int.MaxValue), _what);
        }
        if (_filterLength > 0)
        {
            throw _source.Error(_what, "Fractal heaps with filters (compressed link or attribute storage) are not supported by this reader.");
        }
        if (_huge is null)
        {
            _huge = [];
            (int type, List<byte[]> records) = H5BTreeV2.Records(_source, _hugeTree, _what);
            foreach (byte[] r in records)
            {
                var c = new H5Cursor(_source, r, _what);
                ulong address = c.Offset();
                ulong length = c.Length();
                ulong key = type == 1 ? c.Length() : 0;
                _huge[key] = (address, length);
            }
        }
        ulong wanted = H5Cursor.ReadUnsigned(id[1..], Math.Min(8, id.Length - 1));
        if (!_huge.TryGetValue(wanted, out var found))
        {
            throw _source.Error(_what, $"Huge heap object {wanted} is not in the heap's B-tree: the file is damaged.");
        }
        return _source.Read(found.Address, (long)Math.Min(found.Length, int.MaxValue), _what);
    }
}
