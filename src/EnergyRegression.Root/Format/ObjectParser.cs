using EnergyRegression.Root.IO;

namespace EnergyRegression.Root.Format;

/// <summary>
/// Reads ROOT's streamed objects: the versioned members of TObject, TNamed, TObjArray, TList, TTree,
/// TBranch(Element), TLeaf* and TBasket, and object pointers written by TBufferFile::WriteObjectAny
/// (a byte count, then a tag: 0 null, kNewClassTag 0xFFFFFFFF + class name, kClassMask|ref for a class
/// seen before, or a reference to an object seen before; positions in the reference map are the
/// displacement from the key start plus kMapOffset = 2 — per TBufferFile::ReadObjectAny/ReadClass and
/// uproot deserialization.py). One parser per object record: the reference map is per buffer.
/// </summary>
internal sealed class ObjectParser
{
    private const uint ByteCountMask = 0x40000000;
    private const uint ClassMask = 0x80000000;
    private const uint NewClassTag = 0xFFFFFFFF;
    private const int MapOffset = 2;
    private const uint IsReferenced = 1 << 4;
    private const int MaxDepth = 64;
    private const int MaxArrayObjects = 1 << 20;
    private const int MaxBaskets = 1 << 24;

    private readonly Dictionary<long, object> _refs = [];
    private readonly Func<string, int, RootStreamerInfo?>? _streamerInfo;
    private int _depth;

    /// <summary>A parser; <paramref name="streamerInfo"/> finds the file's streamer info of a class version (for TTree/TBranch versions without a fixed layout here).</summary>
    public ObjectParser(Func<string, int, RootStreamerInfo?>? streamerInfo = null)
    {
        _streamerInfo = streamerInfo;
    }

    /// <summary>Names of the classes seen, by their reference position (for class tags).</summary>
    private readonly Dictionary<long, string> _classes = [];

    public object? ReadObjectAny(ref BigEndianReader r)
    {
        if (++_depth > MaxDepth)
        {
            throw r.Error("objects nested too deeply");
        }
        try
        {
            return ReadObjectAnyCore(ref r);
        }
        finally
        {
            _depth--;
        }
    }

    private object? ReadObjectAnyCore(ref BigEndianReader r)
    {
        int beg = r.Position;
        uint first = r.ReadUInt32();
        uint tag;
        int end = -1;
        int tagPosition;
        if ((first & ByteCountMask) == 0 || first == NewClassTag)
        {
            tag = first;
            tagPosition = beg;
        }
        else
        {
            long count = first & ~ByteCountMask;
            if (count < 4 || count > r.Remaining + 0L)
            {
                throw r.Error($"object byte count {count} exceeds the {r.Remaining} bytes that remain");
            }
            end = r.Position + (int)count;
            tagPosition = r.Position;
            tag = r.ReadUInt32();
        }

        if ((tag & ClassMask) == 0)
        {
            if (tag == 0)
            {
                return null;
            }
            if (_refs.TryGetValue(tag, out object? seen))
            {
                return seen;
            }
            if (end >= 0)
            {
                r.Seek(end);
                return null;
            }
            throw r.Error($"reference to unknown object {tag}");
        }

        string className;
        if (tag == NewClassTag)
        {
            className = r.ReadCString();
            _classes[tagPosition + r.Displacement + MapOffset] = className;
        }
        else
        {
            long classRef = tag & ~ClassMask;
            if (!_classes.TryGetValue(classRef, out string? known))
            {
                if (end < 0)
                {
                    throw r.Error($"reference to unknown class {classRef}");
                }
                r.Seek(end);
                object placeholder = new UnknownObject("?");
                _refs[beg + r.Displacement + MapOffset] = placeholder;
                return placeholder;
            }
            className = known;
        }

        object obj = ReadByClass(ref r, className, end, beg);
        _refs[beg + r.Displacement + MapOffset] = obj;
        if (end >= 0)
        {
            r.SkipTo(end);
        }
        return obj;
    }

    private object ReadByClass(ref BigEndianReader r, string className, int end, int beg)
    {
        switch (className)
        {
            case "TObjArray":
                return ReadObjArray(ref r);
            case "TList":
                return ReadList(ref r);
            case "TBranch" or "TBranchElement" or "TBranchObject":
                {
                    var b = new BranchModel { ClassName = className };
                    // Register before members so that leaves pointing back to it resolve.
                    _refs[beg + r.Displacement + MapOffset] = b;
                    ReadBranchGuarded(ref r, b, end);
                    return b;
                }
            case "TBasket":
                return ReadEmbeddedBasket(ref r);
            case "TStreamerInfo":
                return ReadStreamerInfo(ref r);
            case "TStreamerBase" or "TStreamerBasicType" or "TStreamerBasicPointer" or "TStreamerLoop" or "TStreamerObject"
                or "TStreamerObjectPointer" or "TStreamerObjectAny" or "TStreamerObjectAnyPointer" or "TStreamerString"
                or "TStreamerSTL" or "TStreamerSTLstring" or "TStreamerArtificial":
                return ReadStreamerElement(ref r, className);
            default:
                if (className.StartsWith("TLeaf", StringComparison.Ordinal))
                {
                    return ReadLeaf(ref r, className);
                }
                if (className.StartsWith("TBranch", StringComparison.Ordinal) && end >= 0)
                {
                    // Another branch class (TBranchClones, TBranchSTL, ...): its TBranch part for the name and
                    // sub-branches, and a reason why it cannot itself be read.
                    var other = new BranchModel { ClassName = className };
                    _refs[beg + r.Displacement + MapOffset] = other;
                    ReadBranchGuarded(ref r, other, end);
                    other.Problem ??= $"branch class {className} is not supported";
                    return other;
                }
                if (end < 0)
                {
                    throw r.Error($"cannot skip an object of class {className} without a byte count");
                }
                r.Seek(end);
                return new UnknownObject(className);
        }
    }

    /// <summary>
    /// Reads a branch object; when it is damaged or of a layout this reader does not know, the branch keeps the
    /// reason (<see cref="BranchModel.Problem"/>) and the reader skips it by its byte count, so that the rest of the
    /// tree stays readable.
    /// </summary>
    private void ReadBranchGuarded(ref BigEndianReader r, BranchModel b, int end)
    {
        int start = r.Position;
        try
        {
            switch (b.ClassName)
            {
                case "TBranch":
                    ReadBranch(ref r, b);
                    break;
                case "TBranchElement":
                    ReadBranchElement(ref r, b);
                    break;
                case "TBranchObject":
                    ReadBranchObject(ref r, b);
                    break;
                default:
                    r.ReadVersion(out _);
                    ReadBranch(ref r, b);
                    break;
            }
        }
        catch (Exception e) when (e is RootFormatException or NotSupportedException && end >= 0)
        {
            b.Problem = e is RootFormatException f ? $"the branch's own record is malformed ({f.Detail})" : e.Message.Replace("unsupported: ", "", StringComparison.Ordinal);
            b.Damage = e as RootFormatException;
            if (b.Name.Length == 0)
            {
                b.Name = NameOfBranch(ref r, start, end) ?? $"?{start}";
            }
            b.WriteBasket = 0;
            b.Embedded.Clear();
            r.Seek(end);
        }
    }

    /// <summary>The fName of a branch record (TBranchElement / TBranch headers, then TNamed), or null.</summary>
    private static string? NameOfBranch(ref BigEndianReader r, int start, int end)
    {
        try
        {
            r.Seek(start);
            r.ReadVersion(out _);
            if (r.PeekInt32() is int next && (next & 0x40000000) != 0 && r.Position + 10 < end)
            {
                int save = r.Position;
                r.ReadVersion(out _);
                if (r.PeekInt32() is int inner && (inner & 0x40000000) == 0)
                {
                    r.Seek(save); // the header read was the TNamed's
                }
            }
            return ReadTNamed(ref r).Name;
        }
        catch (RootFormatException)
        {
            return null;
        }
    }

    /// <summary>TObject: version, fUniqueID, fBits, and a 2-byte process id when kIsReferenced (per TObject::Streamer).</summary>
    public static void ReadTObject(ref BigEndianReader r)
    {
        r.ReadVersion(out int end);
        r.ReadUInt32();
        uint bits = r.ReadUInt32();
        if ((bits & IsReferenced) != 0)
        {
            r.Skip(2);
        }
        r.SkipTo(end);
    }

    /// <summary>TNamed: versioned TObject + fName + fTitle.</summary>
    public static (string Name, string Title) ReadTNamed(ref BigEndianReader r)
    {
        r.ReadVersion(out int end);
        ReadTObject(ref r);
        string name = r.ReadTString();
        string title = r.ReadTString();
        r.SkipTo(end);
        return (name, title);
    }

    /// <summary>Any versioned member with a byte count, skipped whole (TAttLine, TAttFill, TIOFeatures...).</summary>
    public static void SkipVersioned(ref BigEndianReader r, string what)
    {
        r.ReadVersion(out int end);
        if (end < 0)
        {
            throw r.Error($"{what} has no byte count");
        }
        r.SkipTo(end);
    }

    /// <summary>TObjArray (v3): TObject, fName, nobjects, fLowerBound, then nobjects object pointers.</summary>
    public List<object?> ReadObjArray(ref BigEndianReader r)
    {
        short version = r.ReadVersion(out int end);
        if (version > 2)
        {
            ReadTObject(ref r);
        }
        if (version > 1)
        {
            r.ReadTString();
        }
        int n = r.CheckCount(r.ReadInt32(), 4, "TObjArray", MaxArrayObjects);
        r.ReadInt32(); // fLowerBound
        var items = new List<object?>(Math.Min(n, 1024));
        for (int i = 0; i < n; i++)
        {
            items.Add(ReadObjectAny(ref r));
        }
        r.SkipTo(end);
        return items;
    }

    /// <summary>TList (v5): TObject, fName, nobjects, then per object a pointer and an option string.</summary>
    public List<object?> ReadList(ref BigEndianReader r)
    {
        short version = r.ReadVersion(out int end);
        if (version > 3)
        {
            ReadTObject(ref r);
        }
        r.ReadTString();
        int n = r.CheckCount(r.ReadInt32(), 5, "TList", MaxArrayObjects);
        var items = new List<object?>(Math.Min(n, 1024));
        for (int i = 0; i < n; i++)
        {
            items.Add(ReadObjectAny(ref r));
            int option = r.ReadByte();
            if (option == 255)
            {
                option = r.ReadInt32();
            }
            r.Skip(r.CheckCount(option, 1, "TList option"));
        }
        r.SkipTo(end);
        return items;
    }

    /// <summary>TStreamerInfo (v9): TNamed, fCheckSum, fClassVersion, fElements (a TObjArray pointer).</summary>
    private StreamerInfoModel ReadStreamerInfo(ref BigEndianReader r)
    {
        r.ReadVersion(out int end);
        (string name, _) = ReadTNamed(ref r);
        uint checkSum = r.ReadUInt32();
        int classVersion = r.ReadInt32();
        var elements = ReadObjectAny(ref r) is List<object?> list ? list.OfType<RootStreamerElement>().ToList() : [];
        r.SkipTo(end);
        return new StreamerInfoModel(name, classVersion, checkSum, elements);
    }

    /// <summary>A TStreamerElement subclass: its own version, the TStreamerElement base, then the subclass's members.</summary>
    private static RootStreamerElement ReadStreamerElement(ref BigEndianReader r, string className)
    {
        r.ReadVersion(out int end);
        if (className == "TStreamerSTLstring")
        {
            r.ReadVersion(out _); // the TStreamerSTL base, itself versioned
        }
        short version = r.ReadVersion(out int baseEnd);
        (string name, string title) = ReadTNamed(ref r);
        int type = r.ReadInt32();
        int size = r.ReadInt32();
        int arrayLength = r.ReadInt32();
        int arrayDim = r.ReadInt32();
        int[] maxIndex;
        if (version == 1)
        {
            maxIndex = ReadInt32Array(ref r, r.CheckCount(r.ReadInt32(), 4, "fMaxIndex", 5), "fMaxIndex");
        }
        else
        {
            maxIndex = ReadInt32Array(ref r, 5, "fMaxIndex");
        }
        string typeName = r.ReadTString();
        if (type == 11 && typeName is "Bool_t" or "bool")
        {
            type = 18; // as TStreamerElement::Streamer does
        }
        r.SkipTo(baseEnd);
        if (arrayDim is < 0 or > 5 || arrayLength < 0)
        {
            throw r.Error($"streamer element {name}: fArrayDim {arrayDim} / fArrayLength {arrayLength} out of range");
        }
        string? countName = null;
        int stlType = 0;
        int containedType = 0;
        int baseVersion = 0;
        if (className == "TStreamerBase" && r.Position < end)
        {
            baseVersion = r.ReadInt32();
        }
        else if (className is "TStreamerBasicPointer" or "TStreamerLoop")
        {
            r.ReadInt32(); // fCountVersion
            countName = r.ReadTString();
            r.ReadTString(); // fCountClass
        }
        else if (className is "TStreamerSTL" or "TStreamerSTLstring")
        {
            stlType = r.ReadInt32();
            containedType = r.ReadInt32();
        }
        r.SkipTo(end);
        return new RootStreamerElement(className, name, title, type, typeName, size, maxIndex[..arrayDim], countName, stlType, containedType, baseVersion);
    }

    /// <summary>TTree v16–20 (member order per uproot models/TTree.py / ROOT's TTree streamer info).</summary>
    public TreeModel ReadTree(ref BigEndianReader r)
    {
        short version = r.ReadVersion(out int end);
        if (version < 16 || version > 20)
        {
            return ReadTreeByStreamer(ref r, version, end);
        }
        (string name, string title) = ReadTNamed(ref r);
        SkipVersioned(ref r, "TAttLine");
        SkipVersioned(ref r, "TAttFill");
        SkipVersioned(ref r, "TAttMarker");
        long entries = r.ReadInt64();
        r.Skip(3 * 8); // fTotBytes, fZipBytes, fSavedBytes
        if (version >= 18)
        {
            r.Skip(8); // fFlushedBytes
        }
        r.Skip(8 + 3 * 4); // fWeight, fTimerInterval, fScanField, fUpdate
        if (version >= 17)
        {
            r.Skip(4); // fDefaultEntryOffsetLen
        }
        int clusterRanges = 0;
        if (version >= 19)
        {
            clusterRanges = r.ReadInt32();
        }
        r.Skip(4 * 8); // fMaxEntries, fMaxEntryLoop, fMaxVirtualSize, fAutoSave
        if (version >= 18)
        {
            r.Skip(8); // fAutoFlush
        }
        r.Skip(8); // fEstimate
        if (version >= 19)
        {
            for (int k = 0; k < 2; k++) // fClusterRangeEnd, fClusterSize: a presence byte + Long64_t[fNClusterRange]
            {
                if (r.ReadByte() != 0)
                {
                    r.Skip(r.CheckCount(clusterRanges, 8, "fClusterRangeEnd") * 8L);
                }
            }
        }
        if (version >= 20)
        {
            SkipVersioned(ref r, "TIOFeatures");
        }
        if (entries < 0)
        {
            throw r.Error($"negative fEntries {entries}");
        }
        var branches = ReadObjArray(ref r).OfType<BranchModel>().ToList();
        r.SkipTo(end); // fLeaves, fAliases, fIndexValues, fIndex, fTreeIndex, fFriends, fUserInfo, fBranchRef
        return new TreeModel { Name = name, Title = title, Entries = entries, Version = version, Branches = branches };
    }

    /// <summary>A TTree version without a fixed layout here, read by the file's streamer info for it.</summary>
    private TreeModel ReadTreeByStreamer(ref BigEndianReader r, short version, int end)
    {
        Dictionary<string, object?> m = ReadByStreamer(ref r, "TTree", version);
        r.SkipTo(end);
        long entries = StreamedMembers.Integer(m, "fEntries");
        if (entries < 0)
        {
            throw r.Error($"negative fEntries {entries}");
        }
        var branches = m.GetValueOrDefault("fBranches") is List<object?> list ? list.OfType<BranchModel>().ToList() : [];
        return new TreeModel
        {
            Name = m.GetValueOrDefault("fName") as string ?? "", Title = m.GetValueOrDefault("fTitle") as string ?? "",
            Entries = entries, Version = version, Branches = branches,
        };
    }

    private Dictionary<string, object?> ReadByStreamer(ref BigEndianReader r, string className, short version)
    {
        if (_streamerInfo is null)
        {
            throw new NotSupportedException($"unsupported: {className} class version {version}");
        }
        return StreamedMembers.Read(ref r, this, className, version, _streamerInfo);
    }

    /// <summary>Fills a branch from members read by streamer info (old TBranch/TBranchElement versions).</summary>
    private static void FillBranch(ref BigEndianReader r, BranchModel b, Dictionary<string, object?> m, short version)
    {
        b.Version = version;
        b.Name = m.GetValueOrDefault("fName") as string ?? "";
        b.Title = m.GetValueOrDefault("fTitle") as string ?? "";
        b.EntryOffsetLen = (int)StreamedMembers.Integer(m, "fEntryOffsetLen");
        b.WriteBasket = (int)StreamedMembers.Integer(m, "fWriteBasket");
        b.MaxBaskets = (int)StreamedMembers.Integer(m, "fMaxBaskets");
        b.Entries = StreamedMembers.Integer(m, "fEntries");
        b.TotBytes = StreamedMembers.Integer(m, "fTotBytes");
        b.ZipBytes = StreamedMembers.Integer(m, "fZipBytes");
        if (b.MaxBaskets < 0 || b.MaxBaskets > MaxBaskets || b.WriteBasket < 0 || b.WriteBasket > b.MaxBaskets || b.Entries < 0)
        {
            throw r.Error($"branch counters out of range (fMaxBaskets {b.MaxBaskets}, fWriteBasket {b.WriteBasket}, fEntries {b.Entries})");
        }
        b.Branches.AddRange((m.GetValueOrDefault("fBranches") as List<object?> ?? []).OfType<BranchModel>());
        b.Leaves.AddRange((m.GetValueOrDefault("fLeaves") as List<object?> ?? []).OfType<LeafModel>());
        b.Embedded.AddRange((m.GetValueOrDefault("fBaskets") as List<object?> ?? []).OfType<EmbeddedBasket>());
        b.BasketBytes = [.. StreamedMembers.Integers(m, "fBasketBytes", b.MaxBaskets).Select(v => (int)v)];
        b.BasketEntry = StreamedMembers.Integers(m, "fBasketEntry", b.MaxBaskets);
        b.BasketSeek = StreamedMembers.Integers(m, "fBasketSeek", b.MaxBaskets);
        if (b.ClassName == "TBranchElement")
        {
            b.ElementClassName = m.GetValueOrDefault("fClassName") as string ?? "";
            b.ClonesName = m.GetValueOrDefault("fClonesName") as string ?? "";
            b.ClassVersion = (int)StreamedMembers.Integer(m, "fClassVersion", -1);
            b.Id = (int)StreamedMembers.Integer(m, "fID");
            b.Type = (int)StreamedMembers.Integer(m, "fType");
            b.StreamerType = (int)StreamedMembers.Integer(m, "fStreamerType", -1);
            b.BranchCount = m.GetValueOrDefault("fBranchCount") as BranchModel;
            b.BranchCount2 = m.GetValueOrDefault("fBranchCount2") as BranchModel;
        }
    }

    /// <summary>TBranch v10–13 (member order per uproot models/TBranch.py); other versions by the file's streamer info.</summary>
    private void ReadBranch(ref BigEndianReader r, BranchModel b)
    {
        short version = r.ReadVersion(out int end);
        if (version < 10 || version > 13)
        {
            FillBranch(ref r, b, ReadByStreamer(ref r, "TBranch", version), version);
            r.SkipTo(end);
            return;
        }
        b.Version = version;
        (b.Name, b.Title) = ReadTNamed(ref r);
        string saved = r.Structure;
        r.Structure = $"{saved}: TBranch {b.Name}";
        SkipVersioned(ref r, "TAttFill");
        r.ReadInt32(); // fCompress
        r.ReadInt32(); // fBasketSize
        b.EntryOffsetLen = r.ReadInt32();
        b.WriteBasket = r.ReadInt32();
        r.ReadInt64(); // fEntryNumber
        if (version >= 13)
        {
            SkipVersioned(ref r, "TIOFeatures");
        }
        r.ReadInt32(); // fOffset
        b.MaxBaskets = r.ReadInt32();
        r.ReadInt32(); // fSplitLevel
        b.Entries = r.ReadInt64();
        if (version >= 11)
        {
            r.ReadInt64(); // fFirstEntry
        }
        b.TotBytes = r.ReadInt64();
        b.ZipBytes = r.ReadInt64();
        if (b.MaxBaskets < 0 || b.MaxBaskets > MaxBaskets || b.WriteBasket < 0 || b.WriteBasket > b.MaxBaskets || b.Entries < 0)
        {
            throw r.Error($"branch counters out of range (fMaxBaskets {b.MaxBaskets}, fWriteBasket {b.WriteBasket}, fEntries {b.Entries})");
        }
        foreach (object? o in ReadObjArray(ref r))
        {
            if (o is BranchModel sub)
            {
                b.Branches.Add(sub);
            }
        }
        foreach (object? o in ReadObjArray(ref r))
        {
            if (o is LeafModel leaf)
            {
                b.Leaves.Add(leaf);
            }
        }
        foreach (object? o in ReadObjArray(ref r))
        {
            if (o is EmbeddedBasket basket)
            {
                b.Embedded.Add(basket);
            }
        }
        int n = b.MaxBaskets;
        // Each array is preceded by a presence byte (TStreamerBasicPointer); 0 means a null array.
        b.BasketBytes = r.ReadByte() != 0 ? ReadInt32Array(ref r, n, "fBasketBytes") : new int[n];
        b.BasketEntry = r.ReadByte() != 0 ? ReadInt64Array(ref r, n, "fBasketEntry") : new long[n];
        b.BasketSeek = r.ReadByte() != 0 ? ReadInt64Array(ref r, n, "fBasketSeek") : new long[n];
        r.ReadTString(); // fFileName
        r.SkipTo(end);
        r.Structure = saved;
    }

    /// <summary>TBranchElement v8–10: TBranch, fClassName, fParentName, fClonesName, fCheckSum, fClassVersion (int16 from v10), fID, fType, fStreamerType, fMaximum, fBranchCount, fBranchCount2.</summary>
    private void ReadBranchElement(ref BigEndianReader r, BranchModel b)
    {
        short version = r.ReadVersion(out int end);
        if (version < 8 || version > 10)
        {
            FillBranch(ref r, b, ReadByStreamer(ref r, "TBranchElement", version), version);
            r.SkipTo(end);
            return;
        }
        ReadBranch(ref r, b);
        b.ElementClassName = r.ReadTString();
        r.ReadTString(); // fParentName
        b.ClonesName = r.ReadTString();
        r.ReadUInt32(); // fCheckSum
        b.ClassVersion = version >= 10 ? r.ReadInt16() : r.ReadInt32();
        b.Id = r.ReadInt32();
        b.Type = r.ReadInt32();
        b.StreamerType = r.ReadInt32();
        r.ReadInt32(); // fMaximum
        b.BranchCount = ReadObjectAny(ref r) as BranchModel;
        b.BranchCount2 = ReadObjectAny(ref r) as BranchModel;
        r.SkipTo(end);
    }

    /// <summary>TBranchObject (ROOT's pre-TBranchElement object branch): TBranch, then fClassName.</summary>
    private void ReadBranchObject(ref BigEndianReader r, BranchModel b)
    {
        r.ReadVersion(out int end);
        ReadBranch(ref r, b);
        b.ElementClassName = r.ReadTString();
        b.Id = -1;
        r.SkipTo(end);
    }

    /// <summary>TLeafX: versioned TLeaf base (TNamed, fLen, fLenType, fOffset, fIsRange, fIsUnsigned, fLeafCount), then fMinimum/fMaximum (skipped) or, for TLeafElement, fID and fType.</summary>
    private LeafModel ReadLeaf(ref BigEndianReader r, string className)
    {
        r.ReadVersion(out int end);
        r.ReadVersion(out int baseEnd);
        (string name, string title) = ReadTNamed(ref r);
        int len = r.ReadInt32();
        int lenType = r.ReadInt32();
        r.ReadInt32(); // fOffset
        r.ReadBool(); // fIsRange
        bool unsigned = r.ReadBool();
        var count = ReadObjectAny(ref r) as LeafModel;
        r.SkipTo(baseEnd);
        int elementType = -1;
        bool isVirtual = false;
        if (className == "TLeafElement")
        {
            r.ReadInt32(); // fID
            elementType = r.ReadInt32();
        }
        else if (className == "TLeafObject" && r.Position < end)
        {
            isVirtual = r.ReadBool(); // fVirtual: each entry starts with its class name
        }
        r.SkipTo(end);
        if (len > 1 << 28 || (len < 0 && className != "TLeafElement"))
        {
            throw r.Error($"leaf {name}: fLen {len} out of range");
        }
        return new LeafModel
        {
            ClassName = className, Name = name, Title = title, Len = len, LenType = lenType, IsUnsigned = unsigned,
            Count = count, ElementType = elementType, IsVirtual = isVirtual,
        };
    }

    /// <summary>
    /// A TBasket inside a TBranch's fBaskets (per TBasket::Streamer and uproot models/TBasket.py): the
    /// TKey fields, the TBasket fields (fVersion, fBufferSize, fNevBufSize, fNevBuf, fLast, flag), then
    /// optionally the entry offsets as an int32 count + fNevBuf int32s, a copy of the key header
    /// (fKeylen bytes), and fLast − fKeylen bytes of uncompressed data.
    /// </summary>
    private static EmbeddedBasket ReadEmbeddedBasket(ref BigEndianReader r)
    {
        int start = r.Position;
        var key = KeyHeader.Parse(ref r, 0, long.MaxValue, embedded: true);
        r.ReadInt16(); // fVersion
        r.ReadInt32(); // fBufferSize
        int nevBufSize = r.ReadInt32();
        int nevBuf = r.ReadInt32();
        int last = r.ReadInt32();
        r.ReadByte(); // flag
        r.Seek(start + key.KeyLen >= start && start + key.KeyLen <= r.Length ? start + key.KeyLen : throw r.Error("basket fKeylen out of range"));
        int border = last - key.KeyLen;
        if (nevBuf < 0 || border < 0 || nevBuf > 1 << 28)
        {
            throw r.Error($"embedded basket counters out of range (fNevBuf {nevBuf}, fLast {last}, fKeylen {key.KeyLen})");
        }
        int[]? offsets = null;
        if ((long)nevBufSize * nevBuf + key.KeyLen != last)
        {
            int n = r.ReadInt32();
            r.CheckCount(n, 4, "embedded basket entry offsets", 1 << 28);
            if (n < nevBuf)
            {
                throw r.Error($"embedded basket has {n} entry offsets for {nevBuf} entries");
            }
            offsets = new int[nevBuf + 1];
            int previous = 0;
            for (int i = 0; i < nevBuf; i++)
            {
                // Validated as BasketData.Load validates the offsets of free baskets: ordered, within the data.
                long v = (long)r.ReadInt32() - key.KeyLen;
                if (v < previous || v > border)
                {
                    throw r.Error($"embedded basket entry offset {i} = {v} is out of order or past the data ({border} bytes)");
                }
                offsets[i] = (int)v;
                previous = (int)v;
            }
            offsets[nevBuf] = border;
            r.Skip((n - nevBuf) * 4L);
        }
        r.Skip(key.KeyLen);
        byte[] data = r.ReadBytes(border).ToArray();
        return new EmbeddedBasket { KeyLen = key.KeyLen, Entries = nevBuf, Data = data, Offsets = offsets, StoredBytes = r.Position - start };
    }

    private static int[] ReadInt32Array(ref BigEndianReader r, int n, string what)
    {
        r.CheckCount(n, 4, what);
        int[] a = new int[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = r.ReadInt32();
        }
        return a;
    }

    private static long[] ReadInt64Array(ref BigEndianReader r, int n, string what)
    {
        r.CheckCount(n, 8, what);
        long[] a = new long[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = r.ReadInt64();
        }
        return a;
    }
}
