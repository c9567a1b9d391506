using EnergyRegression.Root;

namespace EnergyRegression.Plugins.Root;

/// <summary>
/// An RNTuple seen as the TTree the root reader would read (docs/formats/rntuple.md, "The root reader"): every field
/// that can become a column of an event batch becomes a branch of the same layout.
/// <list type="bullet">
/// <item>Fundamental types (also inside <c>std::atomic</c> and enums), fixed-size arrays of them and bitsets: event
/// columns (<see cref="RootBranchLayout.Fixed"/>), named as the field; members of records as <c>record.member</c>.</item>
/// <item>A collection of numbers (or of fixed-size arrays of numbers), <c>std::vector&lt;float&gt;</c>: a jagged
/// column; NanoAOD-style, <c>X_y</c> belongs to collection <c>X</c> when a counter <c>nX</c> exists (an integer field or
/// an <c>RNTupleCardinality</c>), else it is a collection of its own (<see cref="RootBranchLayout.Vector"/>).</item>
/// <item>A collection of records (<c>std::vector&lt;LV&gt;</c>, CMS's untyped collections): collection <c>X</c> whose
/// members are the columns <c>X_member</c>, counted by <c>nX</c> (the file's counter, or one made from the collection).</item>
/// <item>Fields that projected fields present (CMS's <c>_collection0</c> behind <c>Muon_pt</c> and <c>nMuon</c>) are read
/// through the projections; strings, variants and nested collections cannot be batch columns.</item>
/// </list>
/// </summary>
internal sealed class NtupleSource : ISourceTree
{
    private readonly RootNtuple _ntuple;
    private readonly List<ISourceBranch> _branches = [];
    private readonly Dictionary<string, ISourceBranch> _byName = new(StringComparer.Ordinal);

    public NtupleSource(RootNtuple ntuple)
    {
        _ntuple = ntuple;
        var presented = new HashSet<RootNtupleField>(ReferenceEqualityComparer.Instance);
        foreach (RootNtupleField projected in ntuple.AllFields.Where(f => f.Source is not null))
        {
            for (RootNtupleField? f = projected.Source; f is not null; f = f.Parent)
            {
                presented.Add(f);
            }
        }
        foreach (RootNtupleField field in ntuple.Fields)
        {
            if (presented.Contains(field))
            {
                Add(new Unreadable(this, field.Name, field.TypeName, $"its values are read through the projected fields that present it"));
                continue;
            }
            AddField(field, field.Name);
        }
    }

    public string Description => $"RNTuple {_ntuple.Name}";

    public string Noun => "field";

    public long Entries => _ntuple.Entries;

    public IReadOnlyList<ISourceBranch> Branches => _branches;

    public ISourceBranch GetBranch(string name) =>
        _byName.TryGetValue(name, out ISourceBranch? b) ? b : throw new KeyNotFoundException($"RNTuple '{_ntuple.Name}' has no field '{name}'");

    private void Add(ISourceBranch branch)
    {
        if (_byName.TryAdd(branch.Name, branch))
        {
            _branches.Add(branch);
        }
    }

    private static RootNtupleField Unwrap(RootNtupleField field) =>
        field.Kind == RootNtupleFieldKind.Wrapper ? Unwrap(field.Children[0]) : field;

    /// <summary>A field with one value per entry, named <paramref name="name"/>.</summary>
    private void AddField(RootNtupleField field, string name)
    {
        RootNtupleField inner = Unwrap(field);
        if (!field.IsReadable)
        {
            Add(new Unreadable(this, name, field.TypeName, field.UnsupportedReason ?? "not readable"));
            return;
        }
        switch (inner.Kind)
        {
            case RootNtupleFieldKind.Record:
                foreach (RootNtupleField member in inner.Children)
                {
                    AddField(member, $"{name}.{member.Name}");
                }
                return;
            case RootNtupleFieldKind.Collection:
                AddCollection(field, inner, name);
                return;
            default:
                Add(Values(inner) is { } shape
                    ? new EventBranch(this, name, field, shape)
                    : new Unreadable(this, name, field.TypeName, Why(inner)));
                return;
        }
    }

    private void AddCollection(RootNtupleField field, RootNtupleField collection, string name)
    {
        RootNtupleField item = Unwrap(collection.Children[0]);
        if (Values(item) is { } shape)
        {
            // Electron_pt with a counter nElectron: a member of collection Electron, as a counter-sized TTree array.
            int underscore = name.IndexOf('_', StringComparison.Ordinal);
            ISourceBranch? counter = underscore > 0 ? CounterNamed("n" + name[..underscore]) : null;
            Add(new JaggedBranch(this, name, field, collection, item, shape, counter));
            return;
        }
        if (item.Kind != RootNtupleFieldKind.Record || field.Parent is not null)
        {
            Add(new Unreadable(this, name, field.TypeName,
                field.Parent is not null ? "collections inside records are not supported by event batches yet" : Why(item)));
            return;
        }
        // A collection of records: collection "name", columns name_member, counted by nName.
        ISourceBranch counterBranch = CounterNamed("n" + name) ?? new SizeBranch(this, "n" + name, collection);
        foreach ((RootNtupleField member, string memberName) in Members(item, name + "_"))
        {
            RootNtupleField inner = Unwrap(member);
            Add(Values(inner) is { } memberShape
                ? new JaggedBranch(this, memberName, member, collection, inner, memberShape, counterBranch)
                : new Unreadable(this, memberName, member.TypeName, Why(inner)));
        }
    }

    /// <summary>The members of a record, records inside it flattened as <c>prefix + sub.member</c>.</summary>
    private static IEnumerable<(RootNtupleField Field, string Name)> Members(RootNtupleField record, string prefix)
    {
        foreach (RootNtupleField member in record.Children)
        {
            RootNtupleField inner = Unwrap(member);
            if (inner.Kind == RootNtupleFieldKind.Record)
            {
                foreach ((RootNtupleField f, string n) in Members(inner, $"{prefix}{member.Name}."))
                {
                    yield return (f, n);
                }
            }
            else
            {
                yield return (member, prefix + member.Name);
            }
        }
    }

    /// <summary>A top-level integer or cardinality field of that name, which counts a collection.</summary>
    private ISourceBranch? CounterNamed(string name)
    {
        RootNtupleField? field = _ntuple.Fields.FirstOrDefault(f => f.Name == name);
        if (field is null || !field.IsReadable)
        {
            return null;
        }
        RootNtupleField inner = Unwrap(field);
        bool integer = inner.Kind is RootNtupleFieldKind.Value or RootNtupleFieldKind.Cardinality
            && inner.ValueType is { } t && (t == typeof(int) || t == typeof(uint) || t == typeof(long) || t == typeof(ulong)
                || t == typeof(short) || t == typeof(ushort) || t == typeof(byte) || t == typeof(sbyte));
        if (!integer)
        {
            return null;
        }
        if (!_byName.TryGetValue(name, out ISourceBranch? branch))
        {
            branch = new EventBranch(this, name, field, []);
            Add(branch);
        }
        return branch;
    }

    /// <summary>The per-item shape of a field of numbers (scalar, fixed-size arrays, bitsets), or null for anything else.</summary>
    private static int[]? Values(RootNtupleField field) => field.Kind switch
    {
        RootNtupleFieldKind.Value or RootNtupleFieldKind.Cardinality => [],
        RootNtupleFieldKind.Bitset => [field.ArraySize],
        RootNtupleFieldKind.FixedArray => Values(Unwrap(field.Children[0])) is { } inner ? [field.ArraySize, .. inner] : null,
        _ => null,
    };

    private static string Why(RootNtupleField field) => field.Kind switch
    {
        RootNtupleFieldKind.String => "strings are not supported by event batches yet",
        RootNtupleFieldKind.Variant => "variants are not supported by event batches",
        RootNtupleFieldKind.Collection => "collections of collections are not supported by event batches yet",
        RootNtupleFieldKind.Unsupported => field.UnsupportedReason ?? "not readable",
        _ => $"a {field.Kind.ToString().ToLowerInvariant()} of type {field.TypeName} cannot become a column",
    };

    /// <summary>The innermost values of a (possibly nested) fixed-size array or bitset, flattened.</summary>
    private static Array Flat(NtupleArray array) => array switch
    {
        NtupleLeafArray leaf => leaf.Values,
        NtupleFixedArray fixedArray => Flat(fixedArray.Content),
        _ => throw new InvalidOperationException($"unexpected {array.GetType().Name} for a column of numbers"),
    };

    private abstract class Branch(NtupleSource source, string name, string typeName) : ISourceBranch
    {
        protected NtupleSource Source => source;

        public string Name => name;

        public string TypeName => typeName;

        public abstract RootBranchLayout Layout { get; }

        public abstract Type ElementType { get; }

        public abstract IReadOnlyList<int> Shape { get; }

        public virtual ISourceBranch? Counter => null;

        public virtual bool IsReadable => true;

        public virtual string? UnsupportedReason => null;

        public long Entries => source._ntuple.Entries;

        public abstract BranchValues Read(long start, long stop);
    }

    /// <summary>One value (or fixed-size array) per entry.</summary>
    private sealed class EventBranch(NtupleSource source, string name, RootNtupleField field, int[] shape) : Branch(source, name, field.TypeName)
    {
        private readonly RootNtupleField _values = ValuesOf(field);

        public override RootBranchLayout Layout => RootBranchLayout.Fixed;

        public override Type ElementType => LeafOf(_values).ValueType!;

        public override IReadOnlyList<int> Shape => shape;

        public override BranchValues Read(long start, long stop) =>
            new(ElementType, Flat(Source._ntuple.Read(field, start, stop)), shape, null);
    }

    /// <summary>The field whose leaf holds the values (atomics and enums unwrapped).</summary>
    private static RootNtupleField ValuesOf(RootNtupleField field) => Unwrap(field);

    private static RootNtupleField LeafOf(RootNtupleField field) =>
        field.Kind == RootNtupleFieldKind.FixedArray ? LeafOf(Unwrap(field.Children[0])) : field;

    /// <summary>A list of values (or fixed-size arrays) per entry: a collection of numbers, or a member of a collection of records.</summary>
    private sealed class JaggedBranch(NtupleSource source, string name, RootNtupleField field, RootNtupleField collection, RootNtupleField item,
        int[] shape, ISourceBranch? counter) : Branch(source, name, field == collection ? field.TypeName : $"{collection.TypeName}/{field.TypeName}")
    {
        public override RootBranchLayout Layout => counter is null ? RootBranchLayout.Vector : RootBranchLayout.Counted;

        public override Type ElementType => LeafOf(item).ValueType!;

        public override IReadOnlyList<int> Shape => shape;

        public override ISourceBranch? Counter => counter;

        public override BranchValues Read(long start, long stop)
        {
            var lists = (NtupleListArray)Source._ntuple.Read(field, start, stop);
            return new BranchValues(ElementType, Flat(lists.Content), shape, lists.Offsets);
        }
    }

    /// <summary>A counter made from a collection's sizes, when the file has none (nX for a collection of records X).</summary>
    private sealed class SizeBranch(NtupleSource source, string name, RootNtupleField collection) : Branch(source, name, "std::uint32_t")
    {
        public override RootBranchLayout Layout => RootBranchLayout.Fixed;

        public override Type ElementType => typeof(uint);

        public override IReadOnlyList<int> Shape => [];

        public override BranchValues Read(long start, long stop)
        {
            long[] offsets = Source._ntuple.ReadOffsets(collection, start, stop);
            uint[] sizes = new uint[offsets.Length - 1];
            for (int i = 0; i < sizes.Length; i++)
            {
                sizes[i] = checked((uint)(offsets[i + 1] - offsets[i]));
            }
            return new BranchValues(typeof(uint), sizes, [], null);
        }
    }

    /// <summary>A field that cannot become a column, with the reason.</summary>
    private sealed class Unreadable(NtupleSource source, string name, string typeName, string reason) : Branch(source, name, typeName)
    {
        public override RootBranchLayout Layout => RootBranchLayout.Unsupported;

        public override Type ElementType => typeof(object);

        public override IReadOnlyList<int> Shape => [];

        public override bool IsReadable => false;

        public override string? UnsupportedReason => reason;

        public override BranchValues Read(long start, long stop) => throw new NotSupportedException($"not supported: field {Name} ({reason})");
    }
}
