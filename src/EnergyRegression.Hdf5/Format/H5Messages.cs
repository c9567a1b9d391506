using System.Text;

namespace EnergyRegression.Hdf5.Format;

/// <summary>The dataspace message (spec IV.A.2.b): scalar, null or simple with dimensions.</summary>
internal sealed record H5Dataspace(bool IsScalar, bool IsNull, ulong[] Dimensions, ulong[]? MaxDimensions)
{
    public static readonly H5Dataspace Scalar = new(true, false, [], null);

    public ulong Elements => IsNull ? 0 : Dimensions.Aggregate(1UL, (a, d) => checked(a * d));

    public static H5Dataspace Parse(H5Cursor c)
    {
        int version = c.U8();
        int rank = c.U8();
        int flags = c.U8();
        bool isNull = false;
        bool scalar;
        if (version == 1)
        {
            c.Skip(5);
            scalar = rank == 0;
        }
        else if (version == 2)
        {
            int type = c.U8();
            scalar = type == 0;
            isNull = type == 2;
        }
        else
        {
            throw c.Fail($"Dataspace version {version} is unknown: the file is damaged.");
        }
        if (rank > 32)
        {
            throw c.Fail($"A dataspace of rank {rank} is impossible (HDF5 allows 32): the file is damaged.");
        }
        var dims = new ulong[rank];
        for (int i = 0; i < rank; i++)
        {
            dims[i] = c.Length();
        }
        ulong[]? max = null;
        if ((flags & 1) != 0)
        {
            max = new ulong[rank];
            for (int i = 0; i < rank; i++)
            {
                max[i] = c.Length();
            }
        }
        var space = new H5Dataspace(scalar && !isNull, isNull, scalar || isNull ? [] : dims, max);
        try
        {
            _ = space.Elements;
        }
        catch (OverflowException)
        {
            throw c.Fail($"Dimensions {string.Join(" × ", dims)} overflow: the file is damaged.");
        }
        return space;
    }
}

internal enum H5LayoutClass
{
    Compact = 0,
    Contiguous = 1,
    Chunked = 2,
    Virtual = 3,
}

/// <summary>How a chunked dataset finds its chunks (layout message version 4; version 3 uses a version-1 B-tree).</summary>
internal enum H5ChunkIndex
{
    BTreeV1 = 0,
    SingleChunk = 1,
    Implicit = 2,
    FixedArray = 3,
    ExtensibleArray = 4,
    BTreeV2 = 5,
}

/// <summary>The data layout message (spec IV.A.2.i), versions 1–4.</summary>
internal sealed class H5Layout
{
    public H5LayoutClass Class { get; private init; }

    /// <summary>Contiguous: the data's address; chunked: the chunk index's address.</summary>
    public ulong Address { get; private init; }

    /// <summary>Contiguous: the data's size in bytes.</summary>
    public ulong Size { get; private init; }

    public byte[] CompactData { get; private init; } = [];

    /// <summary>Chunk dimensions in elements (the dataset's rank; the element-size dimension dropped).</summary>
    public ulong[] ChunkDimensions { get; private init; } = [];

    public H5ChunkIndex Index { get; private init; }

    /// <summary>Version 4 flag: partial edge chunks are stored without filters.</summary>
    public bool UnfilteredEdgeChunks { get; private init; }

    public bool SingleChunkFiltered { get; private init; }

    public ulong SingleChunkSize { get; private init; }

    public uint SingleChunkFilterMask { get; private init; }

    public int PageBits { get; private init; }

    public (int MaxBits, int IndexElements, int MinPointers, int MinElements, int PageBits) ExtensibleArray { get; private init; }

    public uint BTreeNodeSize { get; private init; }

    /// <summary>Virtual: the global heap collection and object index of the mappings.</summary>
    public (ulong Collection, uint Index) VirtualHeap { get; private init; }

    public static H5Layout Parse(H5Cursor c)
    {
        int version = c.U8();
        if (version is 1 or 2)
        {
            int rank = c.U8();
            var cls = (H5LayoutClass)c.U8();
            c.Skip(5);
            ulong address = cls == H5LayoutClass.Compact ? ulong.MaxValue : c.Offset();
            var dims = new ulong[rank];
            for (int i = 0; i < rank; i++)
            {
                dims[i] = c.U32();
            }
            if (cls == H5LayoutClass.Chunked)
            {
                c.Skip(4); // element size
                return new H5Layout { Class = cls, Address = address, ChunkDimensions = dims[..^1], Index = H5ChunkIndex.BTreeV1 };
            }
            if (cls == H5LayoutClass.Compact)
            {
                int size = (int)c.U32();
                return new H5Layout { Class = cls, CompactData = c.Bytes(size).ToArray(), Size = (ulong)size };
            }
            return new H5Layout { Class = H5LayoutClass.Contiguous, Address = address, Size = ulong.MaxValue };
        }
        if (version is not (3 or 4))
        {
            throw c.Fail($"Layout message version {version} is unknown: the file is damaged.");
        }
        var layoutClass = (H5LayoutClass)c.U8();
        switch (layoutClass)
        {
            case H5LayoutClass.Compact:
            {
                int size = c.U16();
                return new H5Layout { Class = layoutClass, CompactData = c.Bytes(size).ToArray(), Size = (ulong)size };
            }
            case H5LayoutClass.Contiguous:
                return new H5Layout { Class = layoutClass, Address = c.Offset(), Size = c.Length() };
            case H5LayoutClass.Chunked when version == 3:
            {
                int rank = c.U8();
                ulong address = c.Offset();
                var dims = new ulong[rank];
                for (int i = 0; i < rank; i++)
                {
                    dims[i] = c.U32();
                }
                CheckChunk(c, dims);
                return new H5Layout { Class = layoutClass, Address = address, ChunkDimensions = dims[..^1], Index = H5ChunkIndex.BTreeV1 };
            }
            case H5LayoutClass.Chunked:
            {
                int flags = c.U8();
                int rank = c.U8();
                int encoded = c.U8();
                var dims = new ulong[rank];
                for (int i = 0; i < rank; i++)
                {
                    dims[i] = c.Unsigned(encoded);
                }
                CheckChunk(c, dims);
                var index = (H5ChunkIndex)c.U8();
                bool filtered = false;
                ulong size = 0;
                uint mask = 0;
                int pageBits = 0;
                (int, int, int, int, int) ea = default;
                uint nodeSize = 0;
                switch (index)
                {
                    case H5ChunkIndex.SingleChunk:
                        if ((flags & 2) != 0)
                        {
                            filtered = true;
                            size = c.Length();
                            mask = c.U32();
                        }
                        break;
                    case H5ChunkIndex.Implicit:
                        break;
                    case H5ChunkIndex.FixedArray:
                        pageBits = c.U8();
                        break;
                    case H5ChunkIndex.ExtensibleArray:
                        ea = (c.U8(), c.U8(), c.U8(), c.U8(), c.U8());
                        break;
                    case H5ChunkIndex.BTreeV2:
                        nodeSize = c.U32();
                        c.Skip(2);
                        break;
                    default:
                        throw c.Fail($"Chunk index type {(int)index} is unknown: the file is damaged.");
                }
                return new H5Layout
                {
                    Class = layoutClass, Address = c.Offset(), ChunkDimensions = dims[..^1], Index = index, UnfilteredEdgeChunks = (flags & 1) != 0,
                    SingleChunkFiltered = filtered, SingleChunkSize = size, SingleChunkFilterMask = mask, PageBits = pageBits, ExtensibleArray = ea, BTreeNodeSize = nodeSize,
                };
            }
            case H5LayoutClass.Virtual when version == 4:
                return new H5Layout { Class = layoutClass, VirtualHeap = (c.Offset(), c.U32()) };
            default:
                throw c.Fail($"Layout class {(int)layoutClass} is unknown: the file is damaged.");
        }
    }

    private static void CheckChunk(H5Cursor c, ulong[] dims)
    {
        if (dims.Length < 2 || dims.Any(d => d == 0) || dims.Aggregate(1.0, (a, d) => a * d) > int.MaxValue)
        {
            throw c.Fail($"Chunk dimensions {string.Join(" × ", dims)} are impossible: the file is damaged.");
        }
    }
}

/// <summary>One filter of a pipeline: its ID, name, flags and client data.</summary>
internal sealed record H5FilterInfo(int Id, string Name, bool Optional, uint[] ClientData);

/// <summary>The filter pipeline message (spec IV.A.2.l), versions 1 and 2.</summary>
internal static class H5FilterPipeline
{
    public static H5FilterInfo[] Parse(H5Cursor c)
    {
        int version = c.U8();
        int count = c.U8();
        if (version == 1)
        {
            c.Skip(6);
        }
        else if (version != 2)
        {
            throw c.Fail($"Filter pipeline version {version} is unknown: the file is damaged.");
        }
        var filters = new H5FilterInfo[count];
        for (int i = 0; i < count; i++)
        {
            int id = c.U16();
            int nameLength = version == 1 || id >= 256 ? c.U16() : 0;
            int flags = c.U16();
            int values = c.U16();
            string name = "";
            if (nameLength > 0)
            {
                int start = c.Position;
                name = Encoding.ASCII.GetString(c.Bytes(nameLength)).TrimEnd('\0');
                if (version == 1)
                {
                    c.Align(8, start);
                }
            }
            var data = new uint[values];
            for (int v = 0; v < values; v++)
            {
                data[v] = c.U32();
            }
            if (version == 1 && values % 2 == 1)
            {
                c.Skip(4);
            }
            filters[i] = new H5FilterInfo(id, name, (flags & 1) != 0, data);
        }
        return filters;
    }
}

/// <summary>The fill value (spec IV.A.2.e/f): the bytes of one element, or null for the default (zeros).</summary>
internal static class H5FillValue
{
    public static byte[]? Parse(H5Cursor c, bool old)
    {
        if (old)
        {
            int size = (int)c.U32();
            return size == 0 ? null : c.Bytes(size).ToArray();
        }
        int version = c.U8();
        if (version is 1 or 2)
        {
            c.Skip(2);
            bool defined = c.U8() != 0;
            if (version == 1 || defined)
            {
                if (c.Remaining < 4)
                {
                    return null;
                }
                int size = (int)c.U32();
                return size == 0 ? null : c.Bytes(size).ToArray();
            }
            return null;
        }
        if (version == 3)
        {
            int flags = c.U8();
            if ((flags & 0x20) != 0)
            {
                int size = (int)c.U32();
                return size == 0 ? null : c.Bytes(size).ToArray();
            }
            return null;
        }
        throw c.Fail($"Fill value message version {version} is unknown: the file is damaged.");
    }
}

/// <summary>An attribute (spec IV.A.2.m): name, type, space and raw value bytes.</summary>
internal sealed record H5Attribute(string Name, H5Datatype Type, H5Dataspace Space, byte[] Data)
{
    public static H5Attribute Parse(H5Source source, byte[] body, string what)
    {
        var c = new H5Cursor(source, body, what);
        int version = c.U8();
        if (version is < 1 or > 3)
        {
            throw c.Fail($"Attribute message version {version} is unknown: the file is damaged.");
        }
        int flags = c.U8();
        int nameSize = c.U16();
        int typeSize = c.U16();
        int spaceSize = c.U16();
        if (version == 3)
        {
            c.Skip(1); // name character set
        }
        int pad = version == 1 ? 8 : 1;
        string name = Encoding.UTF8.GetString(c.Bytes(nameSize)).TrimEnd('\0');
        c.Skip(PadOf(nameSize, pad));
        byte[] typeBytes = c.Bytes(typeSize).ToArray();
        c.Skip(PadOf(typeSize, pad));
        byte[] spaceBytes = c.Bytes(spaceSize).ToArray();
        c.Skip(PadOf(spaceSize, pad));
        string place = $"{what}, attribute {name}";
        H5Datatype type = (flags & 1) != 0
            ? H5Datatype.FromMessage(source, new H5Message(H5MessageType.Datatype, 0x02, typeBytes), place)
            : H5Datatype.Parse(new H5Cursor(source, typeBytes, place), 0);
        H5Dataspace space = (flags & 2) != 0
            ? H5Dataspace.Scalar
            : H5Dataspace.Parse(new H5Cursor(source, spaceBytes, place));
        ulong bytes = checked(space.Elements * (ulong)type.Size);
        if (bytes > (ulong)c.Remaining)
        {
            throw c.Fail($"Attribute {name} needs {bytes} bytes of data but its message holds {c.Remaining}: the file is damaged.");
        }
        return new H5Attribute(name, type, space, c.Bytes((int)bytes).ToArray());
    }

    private static int PadOf(int size, int pad) => pad == 1 ? 0 : (pad - (size % pad)) % pad;
}

internal enum H5LinkKind
{
    Hard,
    Soft,
    External,
    Other,
}

/// <summary>A link of a group (spec IV.A.2.g): hard (an object header address), soft (a path) or external (file + path).</summary>
internal sealed record H5Link(string Name, H5LinkKind Kind, ulong Address, string Target, string File)
{
    public static H5Link Parse(H5Source source, byte[] body, string what)
    {
        var c = new H5Cursor(source, body, what);
        int version = c.U8();
        if (version != 1)
        {
            throw c.Fail($"Link message version {version} is unknown: the file is damaged.");
        }
        int flags = c.U8();
        int type = (flags & 0x08) != 0 ? c.U8() : 0;
        if ((flags & 0x04) != 0)
        {
            c.Skip(8);
        }
        if ((flags & 0x10) != 0)
        {
            c.Skip(1);
        }
        int length = c.Count(c.Unsigned(1 << (flags & 3)), "name length", 1 << 20);
        string name = Encoding.UTF8.GetString(c.Bytes(length));
        switch (type)
        {
            case 0:
                return new H5Link(name, H5LinkKind.Hard, c.Offset(), "", "");
            case 1:
            {
                int n = c.U16();
                return new H5Link(name, H5LinkKind.Soft, 0, Encoding.UTF8.GetString(c.Bytes(n)), "");
            }
            case 64:
            {
                int n = c.U16();
                var value = new H5Cursor(source, c.Bytes(n).ToArray(), what);
                value.Skip(1); // version and flags
                string file = value.CString();
                string path = value.CString();
                return new H5Link(name, H5LinkKind.External, 0, path, file);
            }
            default:
                return new H5Link(name, H5LinkKind.Other, 0, $"user-defined link type {type}", "");
        }
    }
}

/// <summary>Where a new-style group or object keeps its links or attributes densely: a fractal heap and a name-index B-tree.</summary>
internal sealed record H5DenseStorage(ulong Heap, ulong NameIndex)
{
    /// <summary>A link info (0x02) or attribute info (0x15) message.</summary>
    public static H5DenseStorage Parse(H5Source source, byte[] body, string what, bool links)
    {
        var c = new H5Cursor(source, body, what);
        int version = c.U8();
        if (version != 0)
        {
            throw c.Fail($"{(links ? "Link" : "Attribute")} info message version {version} is unknown: the file is damaged.");
        }
        int flags = c.U8();
        if ((flags & 1) != 0)
        {
            c.Skip(links ? 8 : 2);
        }
        return new H5DenseStorage(c.Offset(), c.Offset());
    }
}

/// <summary>One slot of the external data files message (spec IV.A.2.h): a file, an offset in it and a size.</summary>
internal sealed record H5ExternalFile(string Name, ulong Offset, ulong Size)
{
    public static H5ExternalFile[] Parse(H5Source source, byte[] body, string what)
    {
        var c = new H5Cursor(source, body, what);
        int version = c.U8();
        if (version != 1)
        {
            throw c.Fail($"External data files message version {version} is unknown: the file is damaged.");
        }
        c.Skip(3);
        c.U16();
        int used = c.U16();
        ulong heap = c.Offset();
        var names = H5LocalHeap.Read(source, heap, what);
        var files = new H5ExternalFile[used];
        for (int i = 0; i < used; i++)
        {
            ulong nameOffset = c.Length();
            ulong offset = c.Length();
            ulong size = c.Length();
            files[i] = new H5ExternalFile(names.String(nameOffset, what), offset, size);
        }
        return files;
    }
}

/// <summary>A local heap (spec III.D): the names of an old-style group's links or of external files.</summary>
internal sealed class H5LocalHeap
{
    private readonly byte[] _data;
    private readonly H5Source _source;

    private H5LocalHeap(H5Source source, byte[] data)
    {
        _source = source;
        _data = data;
    }

    public static H5LocalHeap Read(H5Source source, ulong address, string what)
    {
        string place = $"{what}, local heap at {H5Source.Hex(address)}";
        H5Cursor c = source.Cursor(address, 8 + 3 * source.LengthSize + source.OffsetSize, place);
        c.Signature("HEAP");
        c.Skip(4);
        ulong size = c.Length();
        c.Length();
        ulong data = c.Offset();
        return new H5LocalHeap(source, source.Read(data, c.Count(size, "data segment size", 1 << 30), place));
    }

    public string String(ulong offset, string what)
    {
        if (offset >= (ulong)_data.Length)
        {
            throw _source.Error(what, $"A name at offset {offset} lies outside its local heap ({_data.Length} bytes): the file is damaged.");
        }
        int end = Array.IndexOf(_data, (byte)0, (int)offset);
        if (end < 0)
        {
            throw _source.Error(what, "A name in a local heap has no terminating null byte: the file is damaged.");
        }
        return Encoding.UTF8.GetString(_data, (int)offset, end - (int)offset);
    }
}
