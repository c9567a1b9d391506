using System.Text.RegularExpressions;
using EnergyRegression.Root.Format;
using EnergyRegression.Root.Streamers;


namespace EnergyRegression.Root.Reading;

/// <summary>The type of one stored value.</summary>
internal enum ValueKind { Bool, Int8, UInt8, Int16, UInt16, Int32, UInt32, Int64, UInt64, Float32, Float64, String }

/// <summary>How the values of one entry are laid out in a basket.</summary>
internal enum Layout
{
    /// <summary>A fixed number of bytes per entry (scalars, fixed arrays, one leaf of a leaf list).</summary>
    Fixed,
    /// <summary>A C-style array sized by a counter leaf (<c>x[n]</c>), optionally with fixed inner dimensions.</summary>
    Counted,
    /// <summary>std::vector&lt;number&gt;: per entry a byte count + version header, an int32 size, the values.</summary>
    Vector,
    /// <summary>std::vector&lt;std::vector&lt;number&gt;&gt;: a header, an int32 outer size, per inner vector an int32 size and values.</summary>
    VectorVector,
    /// <summary>A TLeafC string: a length byte (255 → int32 length) and the characters.</summary>
    String,
    /// <summary>
    /// Decoded by the streamer-driven object reader (<see cref="ObjectLayout"/>): objects, STL containers of
    /// anything, split-collection members, into one or more columns.
    /// </summary>
    Object,
    /// <summary>Not readable; see <see cref="Interpretation.Unsupported"/>.</summary>
    None,
}

/// <summary>What a branch holds and how to decode it, worked out from its class and leaves.</summary>
internal sealed partial class Interpretation
{
    public Layout Layout { get; private init; }
    public ValueKind Kind { get; private init; }
    public int[] Shape { get; private init; } = [];
    public int EntryBytes { get; private init; }
    public int FieldOffset { get; private init; }
    public int FieldBytes { get; private init; }
    public string TypeName { get; private init; } = "";
    public string? Unsupported { get; private init; }
    public LeafModel? CounterLeaf { get; private init; }

    /// <summary>How an <see cref="Layout.Object"/> branch is decoded, else null.</summary>
    public ObjectLayout? Object { get; private init; }

    /// <summary>
    /// The branch has sub-branches (a split object or collection): it is no column itself. A split collection's
    /// branch (fType 3 TClonesArray, 4 STL) still reads as its int32 object counts, which size its members.
    /// </summary>
    public bool IsGroup { get; private init; }

    /// <summary>Double32_t / Float16_t storage, when the values are packed.</summary>
    public PackedFloat? Packed { get; private init; }

    /// <summary>Bytes before each entry's values of a counted array (1 for a split <c>T* x; //[n]</c> member).</summary>
    public int EntryHeaderBytes { get; private init; }

    /// <summary>Each string is preceded by a byte count + version header (a split <c>std::string</c> member).</summary>
    public bool StringHeader { get; private init; }

    /// <summary>Bytes of one stored value (1 for bool and strings' characters; 3 or 4 for packed floats).</summary>
    public int ValueSize => Packed?.StoredBytes ?? SizeOf(Kind);

    public static int SizeOf(ValueKind k) => k switch
    {
        ValueKind.Bool or ValueKind.Int8 or ValueKind.UInt8 or ValueKind.String => 1,
        ValueKind.Int16 or ValueKind.UInt16 => 2,
        ValueKind.Int32 or ValueKind.UInt32 or ValueKind.Float32 => 4,
        _ => 8,
    };

    public static string NameOf(ValueKind k) => k switch
    {
        ValueKind.Bool => "bool",
        ValueKind.Float32 => "float32",
        ValueKind.Float64 => "float64",
        ValueKind.String => "string",
        _ => k.ToString().ToLowerInvariant(),
    };

    public static Type ClrType(ValueKind k) => k switch
    {
        ValueKind.Bool => typeof(bool),
        ValueKind.Int8 => typeof(sbyte),
        ValueKind.UInt8 => typeof(byte),
        ValueKind.Int16 => typeof(short),
        ValueKind.UInt16 => typeof(ushort),
        ValueKind.Int32 => typeof(int),
        ValueKind.UInt32 => typeof(uint),
        ValueKind.Int64 => typeof(long),
        ValueKind.UInt64 => typeof(ulong),
        ValueKind.Float32 => typeof(float),
        ValueKind.Float64 => typeof(double),
        _ => typeof(string),
    };

    private static Interpretation Fail(string typeName, string reason) => new() { Layout = Layout.None, TypeName = typeName, Unsupported = reason };

    /// <summary>
    /// Works out how to read <paramref name="b"/> (or one leaf of its leaf list). <paramref name="elementOf"/>
    /// finds the streamer element of a split-object member, or says why there is none.
    /// </summary>
    public static Interpretation For(BranchModel b, LeafModel? leafOfList, Func<BranchModel, (RootStreamerElement? Element, string? Problem)> elementOf,
        Func<StreamerReaders> streamers)
    {
        if (b.Problem is not null)
        {
            return Fail(b.ClassName, b.Problem);
        }
        if (leafOfList is not null)
        {
            return ForLeafOfList(b, leafOfList);
        }
        if (b.ClassName == "TBranch")
        {
            return b.Leaves.Count switch
            {
                0 when b.Branches.Count > 0 => new Interpretation { Layout = Layout.None, IsGroup = true, TypeName = "", Unsupported = "a group of branches: read its sub-branches" },
                0 => Fail("", "branch has no leaves"),
                1 => ForLeaf(b.Leaves[0]),
                _ => new Interpretation { Layout = Layout.None, IsGroup = true, TypeName = "leaflist", Unsupported = "a leaf list: read its leaves 'branch.leaf'" },
            };
        }
        if (b.ClassName == "TBranchElement")
        {
            return ForElement(b, elementOf, streamers);
        }
        if (b.ClassName == "TBranchObject")
        {
            return ForBranchObject(b, streamers);
        }
        return Fail(b.ClassName, $"branch class {b.ClassName} is not supported");
    }

    /// <summary>An object branch of ROOT's TBranchObject kind (TObject-derived classes, ROOT 3–5): split into TBranch members, or whole objects.</summary>
    private static Interpretation ForBranchObject(BranchModel b, Func<StreamerReaders> streamers)
    {
        string cls = CppType.Normalize(b.ElementClassName ?? "");
        if (b.Branches.Count > 0)
        {
            return new Interpretation { Layout = Layout.None, IsGroup = true, TypeName = cls, Unsupported = "split object: read its sub-branches" };
        }
        bool isVirtual = b.Leaves.Count == 1 && b.Leaves[0].IsVirtual;
        return General(cls, () => new ObjectLayout(streamers().ForType(cls, header: true), ObjectMode.Whole) { ClassNamePrefix = isVirtual });
    }

    /// <summary>The streamer-driven reader for a branch, or why there is none.</summary>
    private static Interpretation General(string typeName, Func<ObjectLayout> build)
    {
        try
        {
            ObjectLayout layout = build();
            string name = layout.Columns.Count switch
            {
                // Interfaces and containers of them (xAOD::AuxContainerBase, DataVector<xAOD::Jet_v1>): read, nothing in them.
                0 => $"{typeName} (no data members)",
                1 when layout.Columns[0].Path.Length == 0 => layout.Columns[0].TypeName,
                _ => typeName,
            };
            return new Interpretation { Layout = Layout.Object, Object = layout, TypeName = name };
        }
        catch (NotSupportedException e)
        {
            return Fail(typeName, e.Message.StartsWith("unsupported: ", StringComparison.Ordinal) ? e.Message["unsupported: ".Length..] : e.Message);
        }
    }

    private static Interpretation ForLeaf(LeafModel leaf)
    {
        ValueKind? kind = KindOfLeaf(leaf);
        if (kind is null)
        {
            return Fail(leaf.ClassName, $"leaf class {leaf.ClassName} is not supported");
        }
        ValueKind k = kind.Value;
        PackedFloat? packed = leaf.ClassName switch
        {
            "TLeafD32" => PackedFloat.FromTitle(leaf.Title, isFloat16: false),
            "TLeafF16" => PackedFloat.FromTitle(leaf.Title, isFloat16: true),
            _ => null,
        };
        int valueSize = packed?.StoredBytes ?? SizeOf(k);
        string typeName = packed?.Describe() ?? NameOf(k);
        var dims = Dimensions(leaf.Title.Length > 0 && leaf.Title.Contains('[', StringComparison.Ordinal) ? leaf.Title : leaf.Name)
            .Where(d => !d.Contains(',', StringComparison.Ordinal)).ToList();
        if (k == ValueKind.String)
        {
            return leaf.Count is null
                ? new Interpretation { Layout = Layout.String, Kind = k, TypeName = "string" }
                : Fail("string[]", "arrays of strings are not supported");
        }
        if (leaf.Count is not null)
        {
            if (dims.Count == 0 || int.TryParse(dims[0], out _))
            {
                return Fail(leaf.Title, "counter leaf set but the title has no [counter] dimension");
            }
            int[] inner = [.. dims.Skip(1).Select(d => int.TryParse(d, out int v) && v > 0 ? v : -1)];
            if (inner.Any(v => v < 0))
            {
                return Fail(leaf.Title, "variable inner dimensions are not supported");
            }
            return new Interpretation
            {
                Layout = Layout.Counted, Kind = k, Shape = inner, CounterLeaf = leaf.Count, Packed = packed,
                FieldBytes = valueSize * inner.Aggregate(1, (a, c) => a * c),
                TypeName = typeName + $"[{leaf.Count.Name}]" + string.Concat(inner.Select(v => $"[{v}]")),
            };
        }
        int[] shape = FixedShape(dims, leaf.Len);
        int bytes = valueSize * Math.Max(1, leaf.Len);
        return new Interpretation
        {
            Layout = Layout.Fixed, Kind = k, Shape = shape, EntryBytes = bytes, FieldBytes = bytes, Packed = packed,
            TypeName = typeName + string.Concat(shape.Select(v => $"[{v}]")),
        };
    }

    private static int[] FixedShape(List<string> dims, int len)
    {
        int[] shape = [.. dims.Select(d => int.TryParse(d, out int v) ? v : -1)];
        if (shape.Length > 0 && shape.All(v => v > 0) && shape.Aggregate(1, (a, c) => a * c) == Math.Max(1, len))
        {
            return shape;
        }
        return len > 1 ? [len] : [];
    }

    private static Interpretation ForLeafOfList(BranchModel b, LeafModel target)
    {
        int offset = 0;
        int targetOffset = -1;
        foreach (LeafModel leaf in b.Leaves)
        {
            ValueKind? k = KindOfLeaf(leaf);
            if (k is null || k == ValueKind.String || leaf.Count is not null)
            {
                return Fail(leaf.ClassName, $"leaf list with a variable-size or unsupported leaf '{leaf.Name}'");
            }
            if (ReferenceEquals(leaf, target))
            {
                targetOffset = offset;
            }
            offset += ForLeaf(leaf).EntryBytes;
        }
        Interpretation single = ForLeaf(target);
        return new Interpretation
        {
            Layout = Layout.Fixed, Kind = single.Kind, Shape = single.Shape, EntryBytes = offset, FieldOffset = targetOffset,
            FieldBytes = single.FieldBytes, TypeName = single.TypeName, Packed = single.Packed,
        };
    }

    private static Interpretation ForElement(BranchModel b, Func<BranchModel, (RootStreamerElement? Element, string? Problem)> elementOf, Func<StreamerReaders> streamers)
    {
        string cls = (b.ElementClassName ?? "").Replace(" ", "", StringComparison.Ordinal);
        if (b.Type is ClonesNode or StlNode && (b.Branches.Count > 0 || b.Id >= 0))
        {
            // The master branch of a split TClonesArray / STL collection: per entry the int32 number of objects
            // (TBranchElement::FillLeavesClones / FillLeavesCollection), which sizes every member branch.
            return new Interpretation
            {
                Layout = Layout.Fixed, Kind = ValueKind.Int32, EntryBytes = 4, FieldBytes = 4, TypeName = "int32", IsGroup = b.Branches.Count > 0,
                Unsupported = b.Branches.Count > 0 ? "a split collection: read its members' branches" : null,
            };
        }
        if (b.Branches.Count > 0)
        {
            return new Interpretation { Layout = Layout.None, IsGroup = true, TypeName = cls, Unsupported = "split object: read its sub-branches" };
        }
        if (b.Id < 0)
        {
            // A whole object on its own branch: the class says what it is.
            if (ForClass(cls, header: false) is { } simple)
            {
                return simple;
            }
            if (cls == "TClonesArray")
            {
                string content = CppType.Normalize(b.ClonesName);
                return General(cls, () => new ObjectLayout(new ClonesReader(streamers().Object(content)), ObjectMode.Whole));
            }
            string top = CppType.Normalize(b.ElementClassName ?? "");
            return General(top, () =>
            {
                StreamerReaders readers = streamers();
                ValueReader reader = top == "string" ? new StringValueReader(false) : readers.ForType(top, header: true);
                return new ObjectLayout(reader is ObjectReader whole ? new HeaderlessObjectReader(readers.Object(top, b.ClassVersion), b.ClassVersion) : reader, ObjectMode.Whole);
            });
        }
        if (b.Type is ClonesMember or StlMember)
        {
            return ForCollectionMember(b, cls, elementOf, streamers);
        }
        if (b.Type is not (0 or 1 or 2))
        {
            return Fail(cls, $"branch type fType {b.Type} is not supported");
        }
        Interpretation fast = ForMember(b, cls, elementOf);
        return fast.Layout != Layout.None ? fast : GeneralMember(b, cls, elementOf, streamers, ObjectMode.Whole) ?? fast;
    }

    // TBranchElement::fType (TBranchElement.h): 3/4 TClonesArray/STL collection split, 31/41 their members.
    private const int ClonesNode = 3;
    private const int StlNode = 4;
    private const int ClonesMember = 31;
    private const int StlMember = 41;

    /// <summary>
    /// A member of a split TClonesArray / STL collection (fType 31/41): per entry the member of each of the
    /// collection's n objects (n from the collection's branch, fBranchCount), one after the other.
    /// </summary>
    private static Interpretation ForCollectionMember(BranchModel b, string cls, Func<BranchModel, (RootStreamerElement? Element, string? Problem)> elementOf, Func<StreamerReaders> streamers)
    {
        if (b.BranchCount is null)
        {
            return Fail(cls, $"member {b.Name} of a split collection has no collection branch (fBranchCount)");
        }
        int st = b.StreamerType;
        int basic = st is > 20 and < 40 ? st - 20 : st;
        LeafModel? count = b.Leaves.Count == 1 ? b.Leaves[0].Count : null;
        if (count is not null && st is > 0 and < 40 && basic is not (7 or 0))
        {
            // Numbers (or fixed arrays of numbers) of each object: a counted array, sized by the collection.
            (RootStreamerElement? element, string? problem) = elementOf(b);
            PackedFloat? packing = null;
            if (basic is Double32 or Float16)
            {
                if (element is null)
                {
                    return Fail(cls, $"member {b.Name} of class {cls}: {problem}");
                }
                packing = PackedFloat.FromTitle(element.Title, isFloat16: basic == Float16);
            }
            ValueKind? k = packing is null ? KindOfStreamerType(basic) : packing.IsFloat16 ? ValueKind.Float32 : ValueKind.Float64;
            if (k is not null)
            {
                int[] inner = st < 20 ? [] : element is { Dimensions.Count: > 0 } e ? [.. e.Dimensions] : FixedShape(Dimensions(b.Leaves[0].Title), b.Leaves[0].Len);
                int n = Math.Max(1, inner.Aggregate(1, (a, c) => a * c));
                return new Interpretation
                {
                    Layout = Layout.Counted, Kind = k.Value, Shape = inner, CounterLeaf = count, Packed = packing,
                    FieldBytes = (packing?.StoredBytes ?? SizeOf(k.Value)) * n,
                    TypeName = (packing?.Describe() ?? NameOf(k.Value)) + $"[{count.Name}]" + string.Concat(inner.Select(v => $"[{v}]")),
                };
            }
        }
        return GeneralMember(b, cls, elementOf, streamers, ObjectMode.CollectionMember) ?? Fail(cls, $"member {b.Name} of a split collection cannot be read");
    }

    /// <summary>A split member (whole, or of each object of a split collection) read by the streamer-driven reader of its element.</summary>
    private static Interpretation? GeneralMember(BranchModel b, string cls, Func<BranchModel, (RootStreamerElement? Element, string? Problem)> elementOf,
        Func<StreamerReaders> streamers, ObjectMode mode)
    {
        (RootStreamerElement? element, string? problem) = elementOf(b);
        if (element is null)
        {
            return Fail(cls, $"member {b.Name} of class {cls}: {problem}");
        }
        return General(element.TypeName, () =>
        {
            StreamerReaders readers = streamers();
            int slot = -1;
            ValueReader reader = element.ElementClass == "TStreamerBase"
                ? readers.Object(element.Name)
                : readers.ForMember(element, cls, out slot);
            return new ObjectLayout(reader, mode) { CounterSlot = slot, CounterName = element.CountName };
        });
    }

    /// <summary>A data member of a split object (fType 0), by its streamer type code (TVirtualStreamerInfo::EReadWrite).</summary>
    private static Interpretation ForMember(BranchModel b, string cls, Func<BranchModel, (RootStreamerElement? Element, string? Problem)> elementOf)
    {
        int st = b.StreamerType;
        int basic = st is > 20 and < 60 ? st % 20 : st;
        bool packed = basic is Double32 or Float16;
        RootStreamerElement? element = null;
        if (packed || st == Stl)
        {
            (element, string? problem) = elementOf(b);
            if (element is null)
            {
                return Fail(cls, $"member {b.Name} of class {cls}: {problem}");
            }
        }
        PackedFloat? packing = packed ? PackedFloat.FromTitle(element!.Title, isFloat16: basic == Float16) : null;
        ValueKind? k = packing is null ? KindOfStreamerType(basic) : packing.IsFloat16 ? ValueKind.Float32 : ValueKind.Float64;
        string typeName = packing?.Describe() ?? (k is { } known ? NameOf(known) : "");
        if (k is not null && b.Leaves.Count == 1 && st is >= 1 and < 40)
        {
            // A scalar (st < 20) or a fixed array (st = 20 + basic, kOffsetL).
            int[] shape = st < 20 ? [] : FixedShape(Dimensions(b.Leaves[0].Title), b.Leaves[0].Len);
            int n = Math.Max(1, shape.Aggregate(1, (a, c) => a * c));
            int bytes = (packing?.StoredBytes ?? SizeOf(k.Value)) * n;
            return new Interpretation
            {
                Layout = Layout.Fixed, Kind = k.Value, Shape = shape, EntryBytes = bytes, FieldBytes = bytes, Packed = packing,
                TypeName = typeName + string.Concat(shape.Select(v => $"[{v}]")),
            };
        }
        if (k is not null && b.Leaves.Count == 1 && st is > 40 and < 60)
        {
            // T* x; //[n] (kOffsetP): per entry one byte (0 for no array), then n values.
            LeafModel? count = b.Leaves[0].Count;
            if (count is null)
            {
                return Fail(cls, $"member {b.Name} is a pointer array without a counter leaf");
            }
            return new Interpretation
            {
                Layout = Layout.Counted, Kind = k.Value, CounterLeaf = count, Packed = packing, EntryHeaderBytes = 1,
                FieldBytes = packing?.StoredBytes ?? SizeOf(k.Value), TypeName = typeName + $"[{count.Name}]",
            };
        }
        if (st == TString)
        {
            return new Interpretation { Layout = Layout.String, Kind = ValueKind.String, TypeName = "string" };
        }
        if (st == Stl)
        {
            string type = element!.TypeName.Replace(" ", "", StringComparison.Ordinal);
            return ForClass(type, header: true)
                ?? Fail(type, $"member {b.Name} of class {cls} has type '{type}', which is not supported");
        }
        return Fail(cls, $"member {b.Name} of class {cls} (fStreamerType {st}) is not supported");
    }

    /// <summary>
    /// Strings and std::vectors of numbers or strings, from the C++ type name. <paramref name="header"/>: a
    /// std::string that is a member of a split object carries a byte count + version before its characters.
    /// </summary>
    private static Interpretation? ForClass(string cls, bool header)
    {
        if (cls is "string" or "std::string" or "TString")
        {
            return new Interpretation { Layout = Layout.String, Kind = ValueKind.String, StringHeader = header && cls != "TString", TypeName = "string" };
        }
        if (Container(cls) is not (string outer, string inner))
        {
            return null;
        }
        if (Container(inner) is (string middle, string innermost))
        {
            ValueKind? k2 = KindOfCppName(innermost);
            return k2 is null ? null : new Interpretation
            {
                Layout = Layout.VectorVector, Kind = k2.Value, TypeName = $"std::{outer}<std::{middle}<{NameOf(k2.Value)}>>",
            };
        }
        ValueKind? k = KindOfCppName(inner);
        return k is null ? null : new Interpretation { Layout = Layout.Vector, Kind = k.Value, TypeName = $"std::{outer}<{NameOf(k.Value)}>" };
    }

    /// <summary>
    /// "vector&lt;T&gt;" or "set&lt;T&gt;" (std:: optional) → (container, T). Both stream alike object-wise: a byte
    /// count + version, an int32 size, the items in order (a set's sorted order).
    /// </summary>
    private static (string Container, string Item)? Container(string cls)
    {
        string c = cls.StartsWith("std::", StringComparison.Ordinal) ? cls[5..] : cls;
        foreach (string name in (string[])["vector", "set"])
        {
            if (c.StartsWith(name + "<", StringComparison.Ordinal) && c.EndsWith('>'))
            {
                return (name, c[(name.Length + 1)..^1]);
            }
        }
        return null;
    }

    // Streamer type codes (TVirtualStreamerInfo::EReadWrite) that need more than the basic table below.
    private const int Double32 = 9;
    private const int Float16 = 19;
    private const int TString = 65;
    private const int Stl = 300;

    private static ValueKind? KindOfLeaf(LeafModel leaf) => leaf.ClassName switch
    {
        "TLeafO" => ValueKind.Bool,
        "TLeafB" => leaf.IsUnsigned ? ValueKind.UInt8 : ValueKind.Int8,
        "TLeafS" => leaf.IsUnsigned ? ValueKind.UInt16 : ValueKind.Int16,
        "TLeafI" => leaf.IsUnsigned ? ValueKind.UInt32 : ValueKind.Int32,
        "TLeafL" or "TLeafG" => leaf.IsUnsigned ? ValueKind.UInt64 : ValueKind.Int64,
        "TLeafF" => ValueKind.Float32,
        "TLeafD" or "TLeafD32" => ValueKind.Float64,
        "TLeafF16" => ValueKind.Float32,
        "TLeafC" => ValueKind.String,
        "TLeafElement" => KindOfStreamerType(leaf.ElementType),
        _ => null,
    };

    /// <summary>Basic streamer type codes (TVirtualStreamerInfo::EReadWrite): 1 char … 18 bool; 9 Double32_t and 19 Float16_t are packed (see <see cref="PackedFloat"/>).</summary>
    private static ValueKind? KindOfStreamerType(int code) => code switch
    {
        1 => ValueKind.Int8,
        2 => ValueKind.Int16,
        3 or 6 => ValueKind.Int32,
        4 or 16 => ValueKind.Int64,
        5 => ValueKind.Float32,
        8 => ValueKind.Float64,
        11 => ValueKind.UInt8,
        12 => ValueKind.UInt16,
        13 or 15 => ValueKind.UInt32,
        14 or 17 => ValueKind.UInt64,
        18 => ValueKind.Bool,
        _ => null,
    };

    private static ValueKind? KindOfCppName(string name) => name switch
    {
        "bool" or "Bool_t" => ValueKind.Bool,
        "char" or "Char_t" or "int8_t" => ValueKind.Int8,
        "unsignedchar" or "UChar_t" or "uint8_t" => ValueKind.UInt8,
        "short" or "Short_t" or "int16_t" => ValueKind.Int16,
        "unsignedshort" or "UShort_t" or "uint16_t" => ValueKind.UInt16,
        "int" or "Int_t" or "int32_t" => ValueKind.Int32,
        "unsignedint" or "UInt_t" or "uint32_t" => ValueKind.UInt32,
        "long" or "Long_t" or "longlong" or "Long64_t" or "int64_t" => ValueKind.Int64,
        "unsignedlong" or "ULong_t" or "unsignedlonglong" or "ULong64_t" or "uint64_t" => ValueKind.UInt64,
        "float" or "Float_t" => ValueKind.Float32,
        "double" or "Double_t" => ValueKind.Float64,
        "string" or "std::string" or "TString" => ValueKind.String,
        _ => null,
    };

    private static List<string> Dimensions(string title) => [.. DimensionPattern().Matches(title).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"\[([^\[\]]+)\]")]
    private static partial Regex DimensionPattern();
}
