namespace EnergyRegression.Root.Format;

/// <summary>A TLeaf (layout per uproot models/TLeaf.py, ROOT TLeaf v2): fLen, fLenType, fOffset, fIsRange, fIsUnsigned, fLeafCount.</summary>
internal sealed class LeafModel
{
    public required string ClassName { get; init; }
    public required string Name { get; init; }
    public required string Title { get; init; }
    public int Len { get; init; }
    public int LenType { get; init; }
    public bool IsUnsigned { get; init; }
    public LeafModel? Count { get; init; }
    /// <summary>TLeafElement::fType: the streamer type code of the element (TVirtualStreamerInfo::EReadWrite).</summary>
    public int ElementType { get; init; } = -1;
    /// <summary>TLeafObject::fVirtual: each entry starts with the object's class name (a length byte and the characters).</summary>
    public bool IsVirtual { get; init; }
}

/// <summary>A TBasket stored inside its TBranch's fBaskets array (written with the tree, never on its own key).</summary>
internal sealed class EmbeddedBasket
{
    public required int KeyLen { get; init; }
    public required int Entries { get; init; }
    public required byte[] Data { get; init; }
    public int[]? Offsets { get; init; }
    /// <summary>Bytes the basket takes inside the TBranch record (key, header, data, entry offsets).</summary>
    public int StoredBytes { get; init; }
}

/// <summary>A TBranch / TBranchElement / TBranchObject (layout per uproot models/TBranch.py, ROOT TBranch v10–13, TBranchElement v8–10; other versions by the file's streamer infos).</summary>
internal sealed class BranchModel
{
    public required string ClassName { get; init; }
    public string Name { get; set; } = "";
    public string Title { get; set; } = "";
    public int Version { get; set; }
    public int EntryOffsetLen { get; set; }
    public int WriteBasket { get; set; }
    public int MaxBaskets { get; set; }
    public long Entries { get; set; }
    public long TotBytes { get; set; }
    public long ZipBytes { get; set; }
    public int[] BasketBytes { get; set; } = [];
    public long[] BasketEntry { get; set; } = [];
    public long[] BasketSeek { get; set; } = [];
    public List<BranchModel> Branches { get; } = [];
    public List<LeafModel> Leaves { get; } = [];
    public List<EmbeddedBasket> Embedded { get; } = [];

    /// <summary>Why the branch cannot be read at all (a damaged or unknown branch object, skipped by its byte count), else null.</summary>
    public string? Problem { get; set; }

    /// <summary>When the branch's record is damaged (rather than of an unknown kind): the error reading it.</summary>
    public RootFormatException? Damage { get; set; }

    // TBranchElement members.
    public string? ElementClassName { get; set; }
    public int Id { get; set; }
    public int Type { get; set; }
    public int StreamerType { get; set; } = -1;
    public BranchModel? BranchCount { get; set; }
    /// <summary>fBranchCount2: the branch of the counter member sizing a pointer-array member of a split collection.</summary>
    public BranchModel? BranchCount2 { get; set; }
    /// <summary>fClassVersion: the version of <see cref="ElementClassName"/> whose streamer info describes the branch (−1 when unknown).</summary>
    public int ClassVersion { get; set; } = -1;
    /// <summary>fClonesName: the class of the objects of a TClonesArray or STL collection branch.</summary>
    public string ClonesName { get; set; } = "";
}

/// <summary>A TTree (layout per uproot models/TTree.py, ROOT TTree v16–20).</summary>
internal sealed class TreeModel
{
    public required string Name { get; init; }
    public required string Title { get; init; }
    public required long Entries { get; init; }
    public required int Version { get; init; }
    public required List<BranchModel> Branches { get; init; }
}

/// <summary>A TStreamerInfo: the class it describes and its members (fElements).</summary>
internal sealed record StreamerInfoModel(string ClassName, int ClassVersion, uint CheckSum, IReadOnlyList<RootStreamerElement> Elements);

/// <summary>An object of a class this reader does not model, skipped by its byte count.</summary>
internal sealed record UnknownObject(string ClassName);
