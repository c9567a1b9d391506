using System.Globalization;
using EnergyRegression.Root.RNTuple.Format;

namespace EnergyRegression.Root;

/// <summary>How a field's values are stored and read (BinaryFormatSpecification.md, "Mapping of C++ Types to Fields and Columns").</summary>
public enum RootNtupleFieldKind
{
    /// <summary>A fundamental type (bool, char, std::byte, integers, float, double): one column.</summary>
    Value,

    /// <summary><c>std::string</c>: an offset column and a character column.</summary>
    String,

    /// <summary>A collection of its one subfield: <c>std::vector</c>, <c>RVec</c>, sets, maps (of <c>std::pair</c>), <c>std::optional</c>, <c>std::unique_ptr</c>, untyped collections.</summary>
    Collection,

    /// <summary><c>std::array&lt;T,N&gt;</c> or <c>T[N]</c>: N of its one subfield per element.</summary>
    FixedArray,

    /// <summary><c>std::bitset&lt;N&gt;</c>: N bits per element.</summary>
    Bitset,

    /// <summary>A class, struct, <c>std::pair</c>, <c>std::tuple</c> or untyped record: its subfields (base classes as <c>:_0</c>, <c>:_1</c>, …).</summary>
    Record,

    /// <summary><c>std::variant</c>: one of its subfields per element, or none.</summary>
    Variant,

    /// <summary><c>std::atomic&lt;T&gt;</c> or an enum: the value of its one subfield.</summary>
    Wrapper,

    /// <summary><c>ROOT::RNTupleCardinality&lt;SizeT&gt;</c>: the number of items of a collection (a projected field).</summary>
    Cardinality,

    /// <summary>Something this library cannot read (see <see cref="RootNtupleField.UnsupportedReason"/>).</summary>
    Unsupported,
}

/// <summary>A column of a field: its type on storage and its place among the field's representations.</summary>
public sealed class RootNtupleColumn
{
    internal RootNtupleColumn(ColumnDescriptor descriptor) => Descriptor = descriptor;

    internal ColumnDescriptor Descriptor { get; }

    /// <summary>The physical column's ID (for an alias column: the ID of the column it presents).</summary>
    public int Id => Descriptor.PhysicalId;

    /// <summary>The column type's name in the specification, e.g. "SplitReal32", "Real32Trunc", "SplitIndex64".</summary>
    public string Type => ColumnTypes.Name(Descriptor.Type);

    /// <summary>Bits per element on storage.</summary>
    public int BitsOnStorage => Descriptor.BitsOnStorage;

    /// <summary>Which of the field's column representations this column belongs to (0, 1, …).</summary>
    public int Representation => Descriptor.RepresentationIndex;

    /// <summary>An alias column of a projected field: the data is the physical column's.</summary>
    public bool IsAlias => Descriptor.IsAlias;

    /// <summary>For a column added while writing: the index of its first stored element (earlier ones read as zeros).</summary>
    public long FirstElement => Descriptor.FirstElement;

    /// <summary>The value range of a quantized column.</summary>
    public (double Min, double Max)? Range => Descriptor.Range;

    /// <summary>"SplitReal32", "Real32Quant(12 bits, -2..3)", "Real32Trunc(16 bits)".</summary>
    public string Description => Descriptor.Type switch
    {
        ColumnType.Real32Trunc => string.Create(CultureInfo.InvariantCulture, $"{Type}({BitsOnStorage} bits)"),
        ColumnType.Real32Quant => string.Create(CultureInfo.InvariantCulture, $"{Type}({BitsOnStorage} bits, {Range?.Min}..{Range?.Max})"),
        _ => Type,
    };

    /// <inheritdoc />
    public override string ToString() => Description;
}

/// <summary>
/// A field of an RNTuple: its name and C++ type, how it is stored (<see cref="Kind"/>), its subfields and columns.
/// Top-level fields are <see cref="RootNtuple.Fields"/>; read them with <see cref="RootNtuple.Read(RootNtupleField, long, long)"/>.
/// </summary>
public sealed class RootNtupleField
{
    private static readonly Dictionary<string, Type> _fundamental = new(StringComparer.Ordinal)
    {
        ["bool"] = typeof(bool),
        ["char"] = typeof(sbyte),
        ["std::byte"] = typeof(byte),
        ["std::int8_t"] = typeof(sbyte),
        ["std::uint8_t"] = typeof(byte),
        ["std::int16_t"] = typeof(short),
        ["std::uint16_t"] = typeof(ushort),
        ["std::int32_t"] = typeof(int),
        ["std::uint32_t"] = typeof(uint),
        ["std::int64_t"] = typeof(long),
        ["std::uint64_t"] = typeof(ulong),
        ["float"] = typeof(float),
        ["double"] = typeof(double),
    };

    private readonly List<RootNtupleField> _children = [];

    internal RootNtupleField(FieldDescriptor descriptor, RootNtupleField? parent, IReadOnlyList<ColumnDescriptor> columns)
    {
        Descriptor = descriptor;
        Parent = parent;
        Path = parent is null ? descriptor.Name : $"{parent.Path}.{descriptor.Name}";
        Columns = [.. columns.Select(c => new RootNtupleColumn(c))];
        Representations = [.. columns.GroupBy(c => c.RepresentationIndex).OrderBy(g => g.Key).Select(g => g.ToArray())];
    }

    internal FieldDescriptor Descriptor { get; }

    /// <summary>The columns of each representation, by representation index.</summary>
    internal IReadOnlyList<ColumnDescriptor[]> Representations { get; }

    /// <summary>The field's ID (its index in the header's and the schema extension's field lists).</summary>
    public int Id => Descriptor.Id;

    /// <summary>The field's own name: "pt", or "_0" for the item of a collection, ":_0" for a base class.</summary>
    public string Name => Descriptor.Name;

    /// <summary>The names from the top-level field down, joined with '.': "four_v_LVs._0.pt".</summary>
    public string Path { get; }

    /// <summary>The normalized C++ type: "std::vector&lt;float&gt;", "std::int32_t", "LV"; empty for untyped records and collections.</summary>
    public string TypeName => Descriptor.TypeName;

    /// <summary>The type as the writer spelled it when different (e.g. "Double32_t"), else empty.</summary>
    public string TypeAlias => Descriptor.TypeAlias;

    /// <summary>The field's description.</summary>
    public string Description => Descriptor.Description;

    /// <summary>How the field is stored.</summary>
    public RootNtupleFieldKind Kind { get; private set; }

    /// <summary>The CLR type of a value of a <see cref="RootNtupleFieldKind.Value"/>, <see cref="RootNtupleFieldKind.Bitset"/> (bool) or <see cref="RootNtupleFieldKind.Cardinality"/> field; string for strings; else null.</summary>
    public Type? ValueType { get; private set; }

    /// <summary>The parent field (null at the top).</summary>
    public RootNtupleField? Parent { get; }

    /// <summary>The subfields.</summary>
    public IReadOnlyList<RootNtupleField> Children => _children;

    /// <summary>Every column attached to the field, all representations.</summary>
    public IReadOnlyList<RootNtupleColumn> Columns { get; }

    /// <summary>N of a <see cref="RootNtupleFieldKind.FixedArray"/> or <see cref="RootNtupleFieldKind.Bitset"/> field.</summary>
    public int ArraySize { get; private set; }

    /// <summary>A projected field: it presents the data of <see cref="Source"/> under another name or type.</summary>
    public bool IsProjected => Descriptor.SourceFieldId is not null;

    /// <summary>The field a projected field presents.</summary>
    public RootNtupleField? Source { get; private set; }

    /// <summary>Added while the RNTuple was written (the footer's schema extension): entries before it read as zeros.</summary>
    public bool IsLateAdded => Descriptor.InExtension;

    /// <summary>Why the field (or a subfield) cannot be read; null when it can.</summary>
    public string? UnsupportedReason { get; private set; }

    /// <summary>Whether <see cref="RootNtuple.Read(RootNtupleField, long, long)"/> can read the field.</summary>
    public bool IsReadable => UnsupportedReason is null;

    /// <summary>The fields below this one, depth first.</summary>
    public IEnumerable<RootNtupleField> Descendants() => _children.SelectMany(c => c.Descendants().Prepend(c));

    /// <inheritdoc />
    public override string ToString() => $"{Path} ({TypeName})";

    /// <summary>Builds the field trees of <paramref name="fields"/> and classifies every field; returns the top-level fields.</summary>
    internal static List<RootNtupleField> BuildTree(IReadOnlyList<FieldDescriptor> fields, IReadOnlyList<List<ColumnDescriptor>> columnsOfField, out RootNtupleField[] byId)
    {
        byId = new RootNtupleField[fields.Count];
        var top = new List<RootNtupleField>();
        foreach (FieldDescriptor f in fields)
        {
            RootNtupleField? parent = f.IsTopLevel ? null : byId[f.ParentId];
            var field = new RootNtupleField(f, parent, columnsOfField[f.Id]);
            byId[f.Id] = field;
            if (parent is null)
            {
                top.Add(field);
            }
            else
            {
                parent._children.Add(field);
            }
        }
        foreach (RootNtupleField field in byId)
        {
            if (field.Descriptor.SourceFieldId is { } source)
            {
                field.Source = byId[source];
            }
        }
        foreach (RootNtupleField field in top)
        {
            field.Classify();
        }
        // A projected field is unreadable when its source is (the specification's rule for ignored fields).
        foreach (RootNtupleField field in byId.Where(f => f.Source is { IsReadable: false }))
        {
            field.UnsupportedReason ??= $"its source field {field.Source!.Path} cannot be read";
        }
        return top;
    }

    /// <summary>Sets <see cref="Kind"/> here and below; an unsupported subfield makes its top-level field unsupported.</summary>
    private void Classify()
    {
        foreach (RootNtupleField child in _children)
        {
            child.Classify();
        }
        (Kind, string? reason) = Determine();
        if (reason is not null)
        {
            Kind = RootNtupleFieldKind.Unsupported;
            UnsupportedReason = $"field {Path} of type {(TypeName.Length > 0 ? TypeName : "(untyped)")}: {reason}";
        }
        else if (_children.FirstOrDefault(c => !c.IsReadable) is { } bad)
        {
            UnsupportedReason = bad.UnsupportedReason;
        }
    }

    private (RootNtupleFieldKind, string?) Determine()
    {
        FieldDescriptor d = Descriptor;
        if (Columns.FirstOrDefault(c => !ColumnTypes.IsKnown(c.Descriptor.Type)) is { } unknown)
        {
            return (RootNtupleFieldKind.Unsupported, $"column {unknown.Descriptor.PhysicalId} has type 0x{(int)unknown.Descriptor.Type:x2}, which is not part of format 1.0");
        }
        if (Representations.Select(r => r.Length).Distinct().Count() > 1)
        {
            return (RootNtupleFieldKind.Unsupported, "its column representations have different numbers of columns");
        }
        int columns = Representations.Count == 0 ? 0 : Representations[0].Length;
        foreach (ColumnDescriptor c in Representations.SelectMany(r => r))
        {
            (int min, int max) = ColumnTypes.ValidBits(c.Type);
            if (c.BitsOnStorage < min || c.BitsOnStorage > max)
            {
                return (RootNtupleFieldKind.Unsupported, $"column {c.PhysicalId} of type {ColumnTypes.Name(c.Type)} declares {c.BitsOnStorage} bits (valid: {min}–{max})");
            }
            if (c.Type == ColumnType.Real32Quant && (c.Range is not { } range || !(range.Min < range.Max) || !double.IsFinite(range.Min) || !double.IsFinite(range.Max)))
            {
                return (RootNtupleFieldKind.Unsupported, $"quantized column {c.PhysicalId} has no valid value range");
            }
        }
        switch (d.Role)
        {
            case StructuralRole.Streamer:
                return (RootNtupleFieldKind.Unsupported, "objects stored with the ROOT streamer (structural role 0x04) are not supported");
            case StructuralRole.Collection:
                return _children.Count == 1 && columns == 1 && AllOf(ColumnTypes.IsIndex)
                    ? (RootNtupleFieldKind.Collection, null)
                    : (RootNtupleFieldKind.Unsupported, Expect("a collection", "one subfield and one index column", columns));
            case StructuralRole.Record:
                return columns == 0
                    ? (RootNtupleFieldKind.Record, null)
                    : (RootNtupleFieldKind.Unsupported, Expect("a record", "no columns", columns));
            case StructuralRole.Variant:
                if (_children.Count is 0 or > 125 || columns != 1 || !AllOf(t => t == ColumnType.Switch))
                {
                    return (RootNtupleFieldKind.Unsupported, Expect("a variant", "1 to 125 subfields and one Switch column", columns));
                }
                return (RootNtupleFieldKind.Variant, null);
            case StructuralRole.Leaf:
                return DetermineLeaf(columns);
            default:
                return (RootNtupleFieldKind.Unsupported, $"structural role 0x{(int)d.Role:x2} is not part of format 1.0");
        }
    }

    private (RootNtupleFieldKind, string?) DetermineLeaf(int columns)
    {
        FieldDescriptor d = Descriptor;
        if (IsCardinality(TypeName))
        {
            ValueType = TypeName.Contains("std::uint64_t", StringComparison.Ordinal) ? typeof(ulong) : typeof(uint);
            return d.SourceFieldId is not null && columns == 1 && AllOf(ColumnTypes.IsIndex)
                ? (RootNtupleFieldKind.Cardinality, null)
                : (RootNtupleFieldKind.Unsupported, "a cardinality field must be projected from a collection and have one index column");
        }
        if (columns == 0)
        {
            if (_children.Count != 1)
            {
                return (RootNtupleFieldKind.Unsupported, $"a leaf field without columns must have one subfield (it has {_children.Count})");
            }
            if (d.IsRepetitive)
            {
                if (d.ArraySize is 0 or > int.MaxValue)
                {
                    return (RootNtupleFieldKind.Unsupported, $"array size {d.ArraySize} is out of range");
                }
                ArraySize = (int)d.ArraySize;
                return (RootNtupleFieldKind.FixedArray, null);
            }
            return (RootNtupleFieldKind.Wrapper, null);
        }
        if (_children.Count != 0)
        {
            return (RootNtupleFieldKind.Unsupported, "a leaf field with columns cannot have subfields");
        }
        if (TypeName == "std::string")
        {
            ValueType = typeof(string);
            return columns == 2 && Representations.All(r => ColumnTypes.IsIndex(r[0].Type) && r[1].Type == ColumnType.Char)
                ? (RootNtupleFieldKind.String, null)
                : (RootNtupleFieldKind.Unsupported, Expect("a string", "an index column and a Char column", columns));
        }
        if (d.IsRepetitive)
        {
            ValueType = typeof(bool);
            if (d.ArraySize is 0 or > int.MaxValue || columns != 1 || !AllOf(t => t == ColumnType.Bit))
            {
                return (RootNtupleFieldKind.Unsupported, Expect("a bitset", "a size and one Bit column", columns));
            }
            ArraySize = (int)d.ArraySize;
            return (RootNtupleFieldKind.Bitset, null);
        }
        if (!_fundamental.TryGetValue(TypeName, out Type? type) && !_fundamental.TryGetValue("std::" + TypeName, out type))
        {
            return (RootNtupleFieldKind.Unsupported, "not a fundamental type the format defines");
        }
        ValueType = type;
        if (columns != 1)
        {
            return (RootNtupleFieldKind.Unsupported, Expect("a fundamental type", "one column", columns));
        }
        foreach (ColumnDescriptor[] representation in Representations)
        {
            if (!Readable(type, representation[0].Type))
            {
                return (RootNtupleFieldKind.Unsupported, $"its values cannot be read from a {ColumnTypes.Name(representation[0].Type)} column");
            }
        }
        return (RootNtupleFieldKind.Value, null);
    }

    private bool AllOf(Func<ColumnType, bool> test) => Representations.All(r => r.Length > 0 && test(r[0].Type));

    private static string Expect(string what, string needs, int columns) => $"{what} needs {needs} (it has {columns} column(s) per representation)";

    internal static bool IsCardinality(string typeName) =>
        typeName.StartsWith("ROOT::RNTupleCardinality<", StringComparison.Ordinal) || typeName.StartsWith("ROOT::Experimental::RNTupleCardinality<", StringComparison.Ordinal);

    /// <summary>Which column types a fundamental type reads (the "W" and "R" marks of the specification's table).</summary>
    internal static bool Readable(Type type, ColumnType column)
    {
        bool integerColumn = column is ColumnType.Bit or ColumnType.Char or ColumnType.Int8 or ColumnType.UInt8 or ColumnType.Int16 or ColumnType.UInt16
            or ColumnType.Int32 or ColumnType.UInt32 or ColumnType.Int64 or ColumnType.UInt64 or ColumnType.SplitInt16 or ColumnType.SplitUInt16
            or ColumnType.SplitInt32 or ColumnType.SplitUInt32 or ColumnType.SplitInt64 or ColumnType.SplitUInt64;
        bool realColumn = column is ColumnType.Real16 or ColumnType.SplitReal16 or ColumnType.Real32 or ColumnType.SplitReal32 or ColumnType.Real64
            or ColumnType.SplitReal64 or ColumnType.Real32Trunc or ColumnType.Real32Quant;
        if (type == typeof(byte) && column == ColumnType.Byte)
        {
            return true;
        }
        return type == typeof(float) || type == typeof(double) ? realColumn : integerColumn;
    }
}
