using System.Text.RegularExpressions;
using EnergyRegression.Root.Format;

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

    /// <summary>Bytes of one value (1 for bool and strings' characters).</summary>
    public int ValueSize => SizeOf(Kind);

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

    public static Interpretation For(BranchModel b, LeafModel? leafOfList)
    {
        if (leafOfList is not null)
        {
            return ForLeafOfList(b, leafOfList);
        }
        if (b.ClassName == "TBranch")
        {
            return b.Leaves.Count switch
            {
                0 => Fail("", "branch has no leaves"),
                1 => ForLeaf(b.Leaves[0]),
                _ => Fail("leaflist", "leaf list: read each leaf as 'branch.leaf'"),
            };
        }
        if (b.ClassName == "TBranchElement")
        {
            return ForElement(b);
        }
        return Fail(b.ClassName, $"branch class {b.ClassName} is not supported");
    }

    private static Interpretation ForLeaf(LeafModel leaf)
    {
        ValueKind? kind = KindOfLeaf(leaf);
        if (kind is null)
        {
            return Fail(leaf.ClassName, $"leaf class {leaf.ClassName} is not supported");
        }
        ValueKind k = kind.Value;
        List<string> dims = Dimensions(leaf.Title.Length > 0 && leaf.Title.Contains('[', StringComparison.Ordinal) ? leaf.Title : leaf.Name);
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
                Layout = Layout.Counted, Kind = k, Shape = inner, CounterLeaf = leaf.Count,
                FieldBytes = SizeOf(k) * inner.Aggregate(1, (a, c) => a * c),
                TypeName = NameOf(k) + $"[{leaf.Count.Name}]" + string.Concat(inner.Select(v => $"[{v}]")),
            };
        }
        int[] shape = FixedShape(dims, leaf.Len);
        int bytes = SizeOf(k) * Math.Max(1, leaf.Len);
        return new Interpretation
        {
            Layout = Layout.Fixed, Kind = k, Shape = shape, EntryBytes = bytes, FieldBytes = bytes,
            TypeName = NameOf(k) + string.Concat(shape.Select(v => $"[{v}]")),
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
            offset += SizeOf(k.Value) * Math.Max(1, leaf.Len);
        }
        Interpretation single = ForLeaf(target);
        return new Interpretation
        {
            Layout = Layout.Fixed, Kind = single.Kind, Shape = single.Shape, EntryBytes = offset, FieldOffset = targetOffset,
            FieldBytes = single.FieldBytes, TypeName = single.TypeName,
        };
    }

    private static Interpretation ForElement(BranchModel b)
    {
        string cls = (b.ElementClassName ?? "").Replace(" ", "", StringComparison.Ordinal);
        if (b.Branches.Count > 0)
        {
            return Fail(cls, "split object or collection: read its sub-branches");
        }
        if (b.BranchCount is null && b.Type == 0 && b.StreamerType is >= 1 and <= 18)
        {
            ValueKind? k = KindOfStreamerType(b.StreamerType);
            if (k is not null && b.Leaves.Count == 1)
            {
                return new Interpretation
                {
                    Layout = Layout.Fixed, Kind = k.Value, EntryBytes = SizeOf(k.Value), FieldBytes = SizeOf(k.Value), TypeName = NameOf(k.Value),
                };
            }
        }
        if (b.BranchCount is null && b.Type == 0 && b.StreamerType is >= 21 and <= 38 && b.Leaves.Count == 1)
        {
            ValueKind? k = KindOfStreamerType(b.StreamerType - 20);
            if (k is not null)
            {
                int[] shape = FixedShape(Dimensions(b.Leaves[0].Title), b.Leaves[0].Len);
                int n = Math.Max(1, shape.Aggregate(1, (a, c) => a * c));
                return new Interpretation
                {
                    Layout = Layout.Fixed, Kind = k.Value, Shape = shape, EntryBytes = SizeOf(k.Value) * n, FieldBytes = SizeOf(k.Value) * n,
                    TypeName = NameOf(k.Value) + string.Concat(shape.Select(v => $"[{v}]")),
                };
            }
        }
        if (b.Id == -1 && b.StreamerType == -1 && cls.StartsWith("vector<", StringComparison.Ordinal))
        {
            string inner = cls["vector<".Length..^1];
            if (inner.StartsWith("vector<", StringComparison.Ordinal) && inner.EndsWith('>'))
            {
                ValueKind? k2 = KindOfCppName(inner["vector<".Length..^1]);
                if (k2 is not null)
                {
                    return new Interpretation { Layout = Layout.VectorVector, Kind = k2.Value, TypeName = $"std::vector<std::vector<{NameOf(k2.Value)}>>" };
                }
            }
            ValueKind? k = KindOfCppName(inner);
            if (k is not null)
            {
                return new Interpretation { Layout = Layout.Vector, Kind = k.Value, TypeName = $"std::vector<{NameOf(k.Value)}>" };
            }
        }
        return Fail(cls, $"TBranchElement of class '{cls}' (fType {b.Type}, fStreamerType {b.StreamerType}) is not supported");
    }

    private static ValueKind? KindOfLeaf(LeafModel leaf) => leaf.ClassName switch
    {
        "TLeafO" => ValueKind.Bool,
        "TLeafB" => leaf.IsUnsigned ? ValueKind.UInt8 : ValueKind.Int8,
        "TLeafS" => leaf.IsUnsigned ? ValueKind.UInt16 : ValueKind.Int16,
        "TLeafI" => leaf.IsUnsigned ? ValueKind.UInt32 : ValueKind.Int32,
        "TLeafL" or "TLeafG" => leaf.IsUnsigned ? ValueKind.UInt64 : ValueKind.Int64,
        "TLeafF" => ValueKind.Float32,
        "TLeafD" => ValueKind.Float64,
        "TLeafC" => ValueKind.String,
        "TLeafElement" => KindOfStreamerType(leaf.ElementType),
        _ => null,
    };

    /// <summary>Basic streamer type codes (TVirtualStreamerInfo::EReadWrite): 1 char … 18 bool; 9 Double32_t and 19 Float16_t are not plain.</summary>
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
        _ => null,
    };

    private static List<string> Dimensions(string title) => [.. DimensionPattern().Matches(title).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"\[([^\[\]]+)\]")]
    private static partial Regex DimensionPattern();
}
