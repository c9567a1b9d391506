namespace EnergyRegression.Hdf5.Format;

/// <summary>
/// The links of a group: old style (symbol table message → version-1 B-tree → symbol table nodes "SNOD"
/// with names in a local heap, spec III.A.1/III.C), compact (link messages in the object header) or dense
/// (link info message → fractal heap + version-2 B-tree of names, spec IV.A.2.c). In file order: compact
/// links in the order of their messages (the order they were created in), the others by name.
/// </summary>
internal static class H5Group
{
    public static bool IsGroup(H5ObjectHeader header) =>
        header.Has(H5MessageType.SymbolTable) || header.Has(H5MessageType.LinkInfo) || header.Has(H5MessageType.Link)
        || !(header.Has(H5MessageType.Layout) || header.Has(H5MessageType.Datatype) || header.Has(H5MessageType.Dataspace));

    public static List<H5Link> Links(H5Source source, H5ObjectHeader header, string what, (ulong BTree, ulong Heap)? cachedTable = null)
    {
        var links = new List<H5Link>();
        H5Message? table = header.First(H5MessageType.SymbolTable);
        // The superblock's cached symbol table of the root is only a cache: a root group converted to the new
        // style (by adding an external link, say) keeps a stale one.
        bool newStyle = header.Has(H5MessageType.Link) || header.Has(H5MessageType.LinkInfo);
        if (table is not null || (cachedTable is not null && !newStyle))
        {
            ulong btree, heapAddress;
            if (table is not null)
            {
                var c = new H5Cursor(source, table.Body, what);
                btree = c.Offset();
                heapAddress = c.Offset();
            }
            else
            {
                (btree, heapAddress) = cachedTable!.Value;
            }
            var heap = H5LocalHeap.Read(source, heapAddress, what);
            foreach (ulong node in H5BTreeV1.GroupNodes(source, btree, what))
            {
                ReadSymbolNode(source, node, heap, what, links);
            }
        }
        else
        {
            foreach (H5Message message in header.All(H5MessageType.Link))
            {
                links.Add(H5Link.Parse(source, message.Body, what));
            }
            if (header.First(H5MessageType.LinkInfo) is { } info)
            {
                var storage = H5DenseStorage.Parse(source, info.Body, what, links: true);
                if (!source.IsUndefined(storage.Heap) && !source.IsUndefined(storage.NameIndex))
                {
                    var heap = new H5FractalHeap(source, storage.Heap, what);
                    (int type, List<byte[]> records) = H5BTreeV2.Records(source, storage.NameIndex, what);
                    if (type != 5)
                    {
                        throw source.Error(what, $"Its link name index is a v2 B-tree of type {type}, not 5: the file is damaged.");
                    }
                    var dense = new List<H5Link>();
                    foreach (byte[] record in records)
                    {
                        dense.Add(H5Link.Parse(source, heap.Get(record.AsSpan(4)), what));
                    }
                    dense.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                    links.AddRange(dense);
                }
            }
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (H5Link link in links)
        {
            if (!names.Add(link.Name))
            {
                throw source.Error(what, $"It has two links named '{link.Name}': the file is damaged.");
            }
        }
        return links;
    }

    private static void ReadSymbolNode(H5Source source, ulong address, H5LocalHeap heap, string what, List<H5Link> links)
    {
        string place = $"{what}, symbol table node at {H5Source.Hex(address)}";
        H5Cursor head = source.Cursor(address, 8, place);
        head.Signature("SNOD");
        head.Skip(2);
        int count = head.U16();
        int entrySize = (2 * source.OffsetSize) + 24;
        var c = new H5Cursor(source, source.Read(address, 8 + ((long)count * entrySize), place), place) { Position = 8 };
        for (int i = 0; i < count; i++)
        {
            ulong nameOffset = c.Offset();
            ulong header = c.Offset();
            uint cacheType = c.U32();
            c.Skip(4);
            ReadOnlySpan<byte> scratch = c.Bytes(16);
            string name = heap.String(nameOffset, place);
            if (cacheType == 2)
            {
                // A soft link: the scratch pad holds the offset of its value in the local heap.
                uint valueOffset = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(scratch);
                links.Add(new H5Link(name, H5LinkKind.Soft, 0, heap.String(valueOffset, place), ""));
            }
            else
            {
                links.Add(new H5Link(name, H5LinkKind.Hard, header, "", ""));
            }
        }
    }

    /// <summary>The attributes of an object: attribute messages and dense attribute storage.</summary>
    public static List<H5Attribute> Attributes(H5Source source, H5ObjectHeader header, string what)
    {
        var result = new List<H5Attribute>();
        foreach (H5Message message in header.All(H5MessageType.Attribute))
        {
            result.Add(H5Attribute.Parse(source, message.Body, what));
        }
        if (header.First(H5MessageType.AttributeInfo) is { } info)
        {
            var dense = H5DenseStorage.Parse(source, info.Body, what, links: false);
            if (!source.IsUndefined(dense.Heap) && !source.IsUndefined(dense.NameIndex))
            {
                var heap = new H5FractalHeap(source, dense.Heap, what);
                (int type, List<byte[]> records) = H5BTreeV2.Records(source, dense.NameIndex, what);
                if (type != 8)
                {
                    throw source.Error(what, $"Its attribute name index is a v2 B-tree of type {type}, not 8: the file is damaged.");
                }
                foreach (byte[] record in records)
                {
                    // Record: heap ID (8 bytes), flags, creation order, name hash.
                    result.Add(H5Attribute.Parse(source, heap.Get(record.AsSpan(0, 8)), what));
                }
            }
        }
        return result;
    }
}
