using EnergyRegression.Root.Format;

namespace EnergyRegression.Root.Writing;

/// <summary>
/// The class layouts the writer declares in a file's streamer-info list: ROOT's own descriptions of the
/// classes a TTree file is made of, as ROOT 6 writes them (TTree 20, TBranch 13, TLeaf 2, TBranchElement 10,
/// ...). They were read with <see cref="RootFile.StreamerInfos"/> from files of the scikit-hep test-data
/// corpus (nanoAOD_2015_CMS_Open_Data_ttbar.root; TLeafS from uproot-sample-5.30.00-zlib.root; TLeafD and
/// TLeafC from uproot-Zmumu-lz4.root; TBranchElement and TLeafElement from uproot-nesteddirs.root), and a
/// test compares this table with those files element by element.
/// </summary>
internal static class StreamerCatalog
{
    /// <summary>
    /// ROOT::RNTuple, the anchor of an RNTuple (class version 2), as ROOT 6.34+ writes it next to every RNTuple (read
    /// from ../shared/testdata/rntuple/test_int_float_rntuple_v1-0-0-0.root): readers such as JSROOT stream the anchor by it.
    /// </summary>
    public static readonly StreamerInfoModel NtupleAnchor = new("ROOT::RNTuple", 2, 0x4ba21bf5u,
    [
        .. new[] { "fVersionEpoch", "fVersionMajor", "fVersionMinor", "fVersionPatch" }
            .Select(n => new RootStreamerElement("TStreamerBasicType", n, "", 12, "unsigned short", 2, [], null, 0, 0, 0)),
        .. new[] { "fSeekHeader", "fNBytesHeader", "fLenHeader", "fSeekFooter", "fNBytesFooter", "fLenFooter", "fMaxKeySize" }
            .Select(n => new RootStreamerElement("TStreamerBasicType", n, "", 17, "ULong64_t", 8, [], null, 0, 0, 0)),
    ]);

    public static readonly IReadOnlyList<StreamerInfoModel> Classes =
    [
        new("TObject", 1, 0x901bc02du,
        [
            new("TStreamerBasicType", "fUniqueID", "object unique identifier", 13, "unsigned int", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fBits", "bit field status word", 15, "unsigned int", 4, [], null, 0, 0, 0),
        ]),
        new("TNamed", 1, 0xdfb74a3cu,
        [
            new("TStreamerBase", "TObject", "Basic ROOT object", 66, "BASE", 0, [], null, 0, 0, 1),
            new("TStreamerString", "fName", "object identifier", 65, "TString", 24, [], null, 0, 0, 0),
            new("TStreamerString", "fTitle", "object title", 65, "TString", 24, [], null, 0, 0, 0),
        ]),
        new("TAttLine", 2, 0x94074549u,
        [
            new("TStreamerBasicType", "fLineColor", "Line color", 2, "short", 2, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fLineStyle", "Line style", 2, "short", 2, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fLineWidth", "Line width", 2, "short", 2, [], null, 0, 0, 0),
        ]),
        new("TAttFill", 2, 0xffd92a92u,
        [
            new("TStreamerBasicType", "fFillColor", "Fill area color", 2, "short", 2, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fFillStyle", "Fill area style", 2, "short", 2, [], null, 0, 0, 0),
        ]),
        new("TAttMarker", 2, 0x291d8becu,
        [
            new("TStreamerBasicType", "fMarkerColor", "Marker color index", 2, "short", 2, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fMarkerStyle", "Marker style", 2, "short", 2, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fMarkerSize", "Marker size", 5, "float", 4, [], null, 0, 0, 0),
        ]),
        new("ROOT::TIOFeatures", 1, 0x1aa12f10u,
        [
            new("TStreamerBasicType", "fIOBits", "", 11, "unsigned char", 1, [], null, 0, 0, 0),
        ]),
        new("TCollection", 3, 0x57e3cb9cu,
        [
            new("TStreamerBase", "TObject", "Basic ROOT object", 66, "BASE", 0, [], null, 0, 0, 1),
            new("TStreamerString", "fName", "name of the collection", 65, "TString", 24, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fSize", "number of elements in collection", 3, "int", 4, [], null, 0, 0, 0),
        ]),
        new("TSeqCollection", 0, 0xfc6c3bc6u,
        [
            new("TStreamerBase", "TCollection", "Collection abstract base class", 0, "BASE", 0, [], null, 0, 0, 3),
        ]),
        new("TObjArray", 3, 0xa99e6552u,
        [
            new("TStreamerBase", "TSeqCollection", "Sequenceable collection ABC", 0, "BASE", 0, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fLowerBound", "Lower bound of the array", 3, "Int_t", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fLast", "Last element in array containing an object", 3, "Int_t", 4, [], null, 0, 0, 0),
        ]),
        new("TList", 5, 0x69c5c3bbu,
        [
            new("TStreamerBase", "TSeqCollection", "Sequenceable collection ABC", 0, "BASE", 0, [], null, 0, 0, 0),
        ]),
        new("TTree", 20, 0x7264e07fu,
        [
            new("TStreamerBase", "TNamed", "The basis for a named object (name, title)", 67, "BASE", 0, [], null, 0, 0, 1),
            new("TStreamerBase", "TAttLine", "Line attributes", 0, "BASE", 0, [], null, 0, 0, 2),
            new("TStreamerBase", "TAttFill", "Fill area attributes", 0, "BASE", 0, [], null, 0, 0, 2),
            new("TStreamerBase", "TAttMarker", "Marker attributes", 0, "BASE", 0, [], null, 0, 0, 2),
            new("TStreamerBasicType", "fEntries", "Number of entries", 16, "Long64_t", 8, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fTotBytes", "Total number of bytes in all branches before compression", 16, "Long64_t", 8, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fZipBytes", "Total number of bytes in all branches after compression", 16, "Long64_t", 8, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fSavedBytes", "Number of autosaved bytes", 16, "Long64_t", 8, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fFlushedBytes", "Number of auto-flushed bytes", 16, "Long64_t", 8, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fWeight", "Tree weight (see TTree::SetWeight)", 8, "double", 8, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fTimerInterval", "Timer interval in milliseconds", 3, "int", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fScanField", "Number of runs before prompting in Scan", 3, "int", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fUpdate", "Update frequency for EntryLoop", 3, "int", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fDefaultEntryOffsetLen", "Initial Length of fEntryOffset table in the basket buffers", 3, "int", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fNClusterRange", "Number of Cluster range in addition to the one defined by 'AutoFlush'", 6, "int", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fMaxEntries", "Maximum number of entries in case of circular buffers", 16, "Long64_t", 8, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fMaxEntryLoop", "Maximum number of entries to process", 16, "Long64_t", 8, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fMaxVirtualSize", "Maximum total size of buffers kept in memory", 16, "Long64_t", 8, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fAutoSave", "Autosave tree when fAutoSave entries written or -fAutoSave (compressed) bytes produced", 16, "Long64_t", 8, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fAutoFlush", "Auto-flush tree when fAutoFlush entries written or -fAutoFlush (compressed) bytes produced", 16, "Long64_t", 8, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fEstimate", "Number of entries to estimate histogram limits", 16, "Long64_t", 8, [], null, 0, 0, 0),
            new("TStreamerBasicPointer", "fClusterRangeEnd", "[fNClusterRange] Last entry of a cluster range.", 56, "Long64_t*", 8, [], "fNClusterRange", 0, 0, 0),
            new("TStreamerBasicPointer", "fClusterSize", "[fNClusterRange] Number of entries in each cluster for a given range.", 56, "Long64_t*", 8, [], "fNClusterRange", 0, 0, 0),
            new("TStreamerObjectAny", "fIOFeatures", "IO features to define for newly-written baskets and branches.", 62, "ROOT::TIOFeatures", 1, [], null, 0, 0, 0),
            new("TStreamerObject", "fBranches", "List of Branches", 61, "TObjArray", 64, [], null, 0, 0, 0),
            new("TStreamerObject", "fLeaves", "Direct pointers to individual branch leaves", 61, "TObjArray", 64, [], null, 0, 0, 0),
            new("TStreamerObjectPointer", "fAliases", "List of aliases for expressions based on the tree branches.", 64, "TList*", 8, [], null, 0, 0, 0),
            new("TStreamerObjectAny", "fIndexValues", "Sorted index values", 62, "TArrayD", 24, [], null, 0, 0, 0),
            new("TStreamerObjectAny", "fIndex", "Index of sorted values", 62, "TArrayI", 24, [], null, 0, 0, 0),
            new("TStreamerObjectPointer", "fTreeIndex", "Pointer to the tree Index (if any)", 64, "TVirtualIndex*", 8, [], null, 0, 0, 0),
            new("TStreamerObjectPointer", "fFriends", "pointer to list of friend elements", 64, "TList*", 8, [], null, 0, 0, 0),
            new("TStreamerObjectPointer", "fUserInfo", "pointer to a list of user objects associated to this Tree", 64, "TList*", 8, [], null, 0, 0, 0),
            new("TStreamerObjectPointer", "fBranchRef", "Branch supporting the TRefTable (if any)", 64, "TBranchRef*", 8, [], null, 0, 0, 0),
        ]),
        new("TBranch", 13, 0x10978aacu,
        [
            new("TStreamerBase", "TNamed", "The basis for a named object (name, title)", 67, "BASE", 0, [], null, 0, 0, 1),
            new("TStreamerBase", "TAttFill", "Fill area attributes", 0, "BASE", 0, [], null, 0, 0, 2),
            new("TStreamerBasicType", "fCompress", "Compression level and algorithm", 3, "int", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fBasketSize", "Initial Size of  Basket Buffer", 3, "int", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fEntryOffsetLen", "Initial Length of fEntryOffset table in the basket buffers", 3, "int", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fWriteBasket", "Last basket number written", 3, "int", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fEntryNumber", "Current entry number (last one filled in this branch)", 16, "Long64_t", 8, [], null, 0, 0, 0),
            new("TStreamerObjectAny", "fIOFeatures", "IO features for newly-created baskets.", 62, "ROOT::TIOFeatures", 1, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fOffset", "Offset of this branch", 3, "int", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fMaxBaskets", "Maximum number of Baskets so far", 6, "int", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fSplitLevel", "Branch split level", 3, "int", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fEntries", "Number of entries", 16, "Long64_t", 8, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fFirstEntry", "Number of the first entry in this branch", 16, "Long64_t", 8, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fTotBytes", "Total number of bytes in all leaves before compression", 16, "Long64_t", 8, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fZipBytes", "Total number of bytes in all leaves after compression", 16, "Long64_t", 8, [], null, 0, 0, 0),
            new("TStreamerObject", "fBranches", "-> List of Branches of this branch", 61, "TObjArray", 64, [], null, 0, 0, 0),
            new("TStreamerObject", "fLeaves", "-> List of leaves of this branch", 61, "TObjArray", 64, [], null, 0, 0, 0),
            new("TStreamerObject", "fBaskets", "-> List of baskets of this branch", 61, "TObjArray", 64, [], null, 0, 0, 0),
            new("TStreamerBasicPointer", "fBasketBytes", "[fMaxBaskets] Length of baskets on file", 43, "int*", 8, [], "fMaxBaskets", 0, 0, 0),
            new("TStreamerBasicPointer", "fBasketEntry", "[fMaxBaskets] Table of first entry in each basket", 56, "Long64_t*", 8, [], "fMaxBaskets", 0, 0, 0),
            new("TStreamerBasicPointer", "fBasketSeek", "[fMaxBaskets] Addresses of baskets on file", 56, "Long64_t*", 8, [], "fMaxBaskets", 0, 0, 0),
            new("TStreamerString", "fFileName", "Name of file where buffers are stored (\"\" if in same file as Tree header)", 65, "TString", 24, [], null, 0, 0, 0),
        ]),
        new("TLeaf", 2, 0x6d1e8152u,
        [
            new("TStreamerBase", "TNamed", "The basis for a named object (name, title)", 67, "BASE", 0, [], null, 0, 0, 1),
            new("TStreamerBasicType", "fLen", "Number of fixed length elements", 3, "int", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fLenType", "Number of bytes for this data type", 3, "int", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fOffset", "Offset in ClonesArray object (if one)", 3, "int", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fIsRange", "(=kTRUE if leaf has a range, kFALSE otherwise)", 18, "bool", 1, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fIsUnsigned", "(=kTRUE if unsigned, kFALSE otherwise)", 18, "bool", 1, [], null, 0, 0, 0),
            new("TStreamerObjectPointer", "fLeafCount", "Pointer to Leaf count if variable length (we do not own the counter)", 64, "TLeaf*", 8, [], null, 0, 0, 0),
        ]),
        new("TLeafO", 1, 0x02ae48d3u,
        [
            new("TStreamerBase", "TLeaf", "Leaf: description of a Branch data type", 0, "BASE", 0, [], null, 0, 0, 2),
            new("TStreamerBasicType", "fMinimum", "Minimum value if leaf range is specified", 18, "bool", 1, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fMaximum", "Maximum value if leaf range is specified", 18, "bool", 1, [], null, 0, 0, 0),
        ]),
        new("TLeafB", 1, 0x0f1e4b5eu,
        [
            new("TStreamerBase", "TLeaf", "Leaf: description of a Branch data type", 0, "BASE", 0, [], null, 0, 0, 2),
            new("TStreamerBasicType", "fMinimum", "Minimum value if leaf range is specified", 1, "char", 1, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fMaximum", "Maximum value if leaf range is specified", 1, "char", 1, [], null, 0, 0, 0),
        ]),
        new("TLeafS", 1, 0x4b789c5fu,
        [
            new("TStreamerBase", "TLeaf", "Leaf: description of a Branch data type", 0, "BASE", 0, [], null, 0, 0, 2),
            new("TStreamerBasicType", "fMinimum", "Minimum value if leaf range is specified", 2, "Short_t", 2, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fMaximum", "Maximum value if leaf range is specified", 2, "Short_t", 2, [], null, 0, 0, 0),
        ]),
        new("TLeafI", 1, 0x7e6aae19u,
        [
            new("TStreamerBase", "TLeaf", "Leaf: description of a Branch data type", 0, "BASE", 0, [], null, 0, 0, 2),
            new("TStreamerBasicType", "fMinimum", "Minimum value if leaf range is specified", 3, "int", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fMaximum", "Maximum value if leaf range is specified", 3, "int", 4, [], null, 0, 0, 0),
        ]),
        new("TLeafL", 1, 0xde320862u,
        [
            new("TStreamerBase", "TLeaf", "Leaf: description of a Branch data type", 0, "BASE", 0, [], null, 0, 0, 2),
            new("TStreamerBasicType", "fMinimum", "Minimum value if leaf range is specified", 16, "Long64_t", 8, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fMaximum", "Maximum value if leaf range is specified", 16, "Long64_t", 8, [], null, 0, 0, 0),
        ]),
        new("TLeafF", 1, 0x3add9d72u,
        [
            new("TStreamerBase", "TLeaf", "Leaf: description of a Branch data type", 0, "BASE", 0, [], null, 0, 0, 2),
            new("TStreamerBasicType", "fMinimum", "Minimum value if leaf range is specified", 5, "float", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fMaximum", "Maximum value if leaf range is specified", 5, "float", 4, [], null, 0, 0, 0),
        ]),
        new("TLeafD", 1, 0x118e8776u,
        [
            new("TStreamerBase", "TLeaf", "Leaf: description of a Branch data type", 0, "BASE", 0, [], null, 0, 0, 2),
            new("TStreamerBasicType", "fMinimum", "Minimum value if leaf range is specified", 8, "double", 8, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fMaximum", "Maximum value if leaf range is specified", 8, "double", 8, [], null, 0, 0, 0),
        ]),
        new("TLeafC", 1, 0xfbe3b2f3u,
        [
            new("TStreamerBase", "TLeaf", "Leaf: description of a Branch data type", 0, "BASE", 0, [], null, 0, 0, 2),
            new("TStreamerBasicType", "fMinimum", "Minimum value if leaf range is specified", 3, "int", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fMaximum", "Maximum value if leaf range is specified", 3, "int", 4, [], null, 0, 0, 0),
        ]),
        new("TBranchElement", 10, 0xe6037cafu,
        [
            new("TStreamerBase", "TBranch", "Branch descriptor", 0, "BASE", 0, [], null, 0, 0, 12),
            new("TStreamerString", "fClassName", "Class name of referenced object", 65, "TString", 24, [], null, 0, 0, 0),
            new("TStreamerString", "fParentName", "Name of parent class", 65, "TString", 24, [], null, 0, 0, 0),
            new("TStreamerString", "fClonesName", "Name of class in TClonesArray (if any)", 65, "TString", 24, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fCheckSum", "CheckSum of class", 13, "unsigned int", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fClassVersion", "Version number of class", 2, "short", 2, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fID", "element serial number in fInfo", 3, "int", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fType", "branch type", 3, "int", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fStreamerType", "branch streamer type", 3, "int", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fMaximum", "Maximum entries for a TClonesArray or variable array", 3, "int", 4, [], null, 0, 0, 0),
            new("TStreamerObjectPointer", "fBranchCount", "pointer to primary branchcount branch", 64, "TBranchElement*", 8, [], null, 0, 0, 0),
            new("TStreamerObjectPointer", "fBranchCount2", "pointer to secondary branchcount branch", 64, "TBranchElement*", 8, [], null, 0, 0, 0),
        ]),
        new("TLeafElement", 1, 0xa04f8893u,
        [
            new("TStreamerBase", "TLeaf", "Leaf: description of a Branch data type", 0, "BASE", 0, [], null, 0, 0, 2),
            new("TStreamerBasicType", "fID", "element serial number in fInfo", 3, "int", 4, [], null, 0, 0, 0),
            new("TStreamerBasicType", "fType", "leaf type", 3, "int", 4, [], null, 0, 0, 0),
        ]),
    ];

    public static StreamerInfoModel Get(string className) =>
        Classes.FirstOrDefault(c => c.ClassName == className) ?? throw new KeyNotFoundException($"no streamer info for {className} in the writer's catalog");
}
