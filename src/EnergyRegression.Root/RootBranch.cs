using System.Globalization;
using System.Runtime.ExceptionServices;
using EnergyRegression.Root.Format;
using EnergyRegression.Root.Reading;
using EnergyRegression.Root.Streamers;

namespace EnergyRegression.Root;

/// <summary>
/// A branch of a tree: its type, its baskets, and <see cref="Read"/> to get its values. Branches of objects
/// (split or not) are also listed as their columns: one per member, named "branch.member" (see <see cref="Columns"/>).
/// </summary>
public sealed class RootBranch
{
    private readonly RootFile _file;
    private readonly RootTree _tree;
    private readonly BranchModel _model;
    private readonly Interpretation _interpretation;
    private readonly Lock _cacheLock = new();
    private (int Index, BasketData Data)? _lastBasket;
    private int _basketsLoaded;

    /// <summary>For a member column of an object branch: the branch and the column's index in its layout.</summary>
    private readonly RootBranch? _owner;
    private RootBranch? _columnOf;
    private readonly ColumnSpec? _spec;
    private readonly int _columnIndex;
    private List<RootBranch> _memberColumns = [];
    private readonly List<RootBranch> _subBranches = [];
    private (long Start, long Stop, List<ColumnData> Columns)? _lastColumns;
    private RootBranch? _count;
    private RootBranch? _count2;

    /// <summary>Below this many compressed bytes a read's baskets are loaded one after the other (benchmarks/README.md, "ROOT reading").</summary>
    private const long ParallelLoadBytes = 1 << 20;

    internal RootBranch(RootFile file, RootTree tree, BranchModel model, Interpretation interpretation, string name)
    {
        _file = file;
        _tree = tree;
        _model = model;
        _interpretation = interpretation;
        Name = name;
        if (interpretation.Object is { } layout && layout.Columns is [{ Path.Length: 0 } only])
        {
            _spec = only;
        }
    }

    /// <summary>A member column of an object branch.</summary>
    private RootBranch(RootBranch owner, int index, ColumnSpec spec)
        : this(owner._file, owner._tree, owner._model, owner._interpretation, $"{owner.Name}.{spec.Path}")
    {
        _owner = owner;
        _columnOf = owner;
        _columnIndex = index;
        _spec = spec;
    }

    /// <summary>The branch's full name (leaf-list members: "branch.leaf"; members of objects: "branch.member.member").</summary>
    public string Name { get; }

    /// <summary>
    /// The names of the branch's ancestors and its own, joined with '/' ("evt/P3/P3.Px"; member columns add
    /// ".member" to their branch's path): unique in the tree where <see cref="Name"/> may not be.
    /// </summary>
    public string Path { get; internal set; } = "";

    /// <summary>The branch's title, e.g. "Electron_pt[nElectron]/F".</summary>
    public string Title => _model.Title;

    /// <summary>The branch class: TBranch, TBranchElement or TBranchObject.</summary>
    public string ClassName => _model.ClassName;

    /// <summary>The C++ class of a TBranchElement / TBranchObject (the class holding a member for split members), else empty.</summary>
    public string ObjectClassName => _model.ElementClassName ?? "";

    /// <summary>
    /// The value type: "float32", "int32[28][28]", "float32[nElectron]", "std::vector&lt;float32&gt;",
    /// "std::vector&lt;std::vector&lt;float64&gt;&gt;", "string"; member columns "float32[]" (one [] per list level);
    /// object branches their class.
    /// </summary>
    public string TypeName => _spec?.TypeName ?? _interpretation.TypeName;

    /// <summary>How the values of one entry are laid out (what <see cref="Read"/> returns).</summary>
    public RootBranchLayout Layout => _spec is { } spec
        ? spec.Depth switch
        {
            0 => spec.Kind == ValueKind.String && spec.Shape.Length == 0 ? RootBranchLayout.String : RootBranchLayout.Fixed,
            1 => RootBranchLayout.Vector,
            2 => RootBranchLayout.VectorOfVectors,
            _ => RootBranchLayout.Nested,
        }
        : _interpretation.IsGroup || _interpretation.Layout == Reading.Layout.Object ? RootBranchLayout.Record
        : _interpretation.Layout switch
        {
            Reading.Layout.Fixed => RootBranchLayout.Fixed,
            Reading.Layout.Counted => RootBranchLayout.Counted,
            Reading.Layout.Vector => RootBranchLayout.Vector,
            Reading.Layout.VectorVector => RootBranchLayout.VectorOfVectors,
            Reading.Layout.String => RootBranchLayout.String,
            _ => RootBranchLayout.Unsupported,
        };

    /// <summary>The CLR type of one value (as <see cref="RootArray.ElementType"/> will be).</summary>
    public Type ElementType => Interpretation.ClrType(_spec?.Kind ?? _interpretation.Kind);

    /// <summary>Fixed dimensions per entry, or per item of a jagged branch (as <see cref="RootArray.Shape"/> will be).</summary>
    public IReadOnlyList<int> Shape => _spec?.Shape ?? _interpretation.Shape;

    /// <summary>The branch holding the counter of a C-style variable-length array (or a split collection's member), else null.</summary>
    public RootBranch? Counter { get; private set; }

    /// <summary>
    /// For a jagged column, the name of what its outer list counts: the counter branch of <c>x[nX]</c>, the split
    /// collection's branch of its members, the object branch of a member column of a collection; else null.
    /// </summary>
    public string? Collection { get; private set; }

    /// <summary>Number of entries (fEntries of the branch).</summary>
    public long Entries => _model.Entries;

    /// <summary>Number of baskets (on their own keys, plus those stored inside the tree).</summary>
    public int BasketCount => _model.BasketSeek.Take(_model.WriteBasket).Count(seek => seek != 0) + _model.Embedded.Count;

    /// <summary>Bytes of the baskets on disk (fZipBytes, plus the baskets stored inside the TBranch).</summary>
    public long CompressedBytes => _model.ZipBytes + _model.Embedded.Sum(e => (long)e.StoredBytes);

    /// <summary>Bytes of the baskets uncompressed (fTotBytes, plus the baskets stored inside the TBranch).</summary>
    public long UncompressedBytes => _model.TotBytes + _model.Embedded.Sum(e => (long)e.StoredBytes);

    /// <summary>
    /// Whether the branch's values can be read: <see cref="Read"/> for a column (<see cref="IsColumn"/>), through
    /// <see cref="Columns"/> for an object, leaf list or split object (every column readable).
    /// </summary>
    public bool IsReadable => _owner is not null ? _owner.ReadableItself
        : ReadsItself ? ReadableItself
        : _subBranches.Count > 0 ? _subBranches.All(b => b.IsReadable) : Columns.Count > 0 && Columns.All(c => c.IsReadable);

    /// <summary>Whether the branch's own baskets give its values (a column, or an object decoded into columns) rather than its sub-branches or leaves.</summary>
    private bool ReadsItself => IsColumn || _interpretation.Layout == Reading.Layout.Object;

    private bool ReadableItself => _reason is null && _interpretation.Layout != Reading.Layout.None && EmptyObjectProblem is null;

    /// <summary>
    /// An object with no data members (an interface, a DataVector of them) is read once, on first question, to be sure
    /// its entries hold nothing else: a class written by a custom streamer also looks empty in the streamer info.
    /// </summary>
    private string? EmptyObjectProblem
    {
        get
        {
            if (_interpretation.Object is not { Columns.Count: 0 } layout || Entries == 0)
            {
                return null;
            }
            lock (_probeLock)
            {
                if (_emptyProbe is null)
                {
                    try
                    {
                        long stop = Math.Min(Entries, Segments().FirstOrDefault(s => s.End > s.First) is { End: > 0 } first ? first.End : Entries);
                        ReadBaskets(0, stop, baskets => layout.Decode(_file.Path, Name, baskets, 0, stop, _count, _count2));
                        _emptyProbe = "";
                    }
                    catch (Exception e) when (e is RootFormatException or NotSupportedException)
                    {
                        _emptyProbe = $"the streamer info of {_interpretation.TypeName.Replace(" (no data members)", "", StringComparison.Ordinal)} describes no data, but its entries hold some (a class written by a custom streamer?): {(e is RootFormatException f ? f.Detail : e.Message)}";
                    }
                }
                return _emptyProbe.Length == 0 ? null : _emptyProbe;
            }
        }
    }

    private string? _emptyProbe;
    private readonly Lock _probeLock = new();

    /// <summary>Why the branch cannot be read, when <see cref="IsReadable"/> is false.</summary>
    public string? UnsupportedReason
    {
        get
        {
            if (_owner is not null)
            {
                return _owner._reason;
            }
            if ((_reason ?? (ReadsItself ? (_interpretation.Layout == Reading.Layout.None ? _interpretation.Unsupported : EmptyObjectProblem) : null)) is { } own)
            {
                return own;
            }
            if (IsReadable)
            {
                return null;
            }
            // Unreadable through a part: name the first part that is, and why.
            RootBranch? bad = _subBranches.FirstOrDefault(c => !c.IsReadable) ?? Columns.FirstOrDefault(c => !c.IsReadable);
            return bad is not null ? $"{(_subBranches.Contains(bad) ? "sub-branch" : "column")} {bad.Name}: {bad.UnsupportedReason}"
                : Columns.Count == 0 ? "no columns" : $"its {_interpretation.TypeName} cannot be read";
        }
    }

    private string? _reason;

    /// <summary>
    /// True when <see cref="Read"/> gives this branch's values: a branch of numbers, arrays, strings or containers
    /// of those, or one member column of an object branch. False for groups (split objects and collections,
    /// leaf lists) and whole objects, whose values are in <see cref="Columns"/>.
    /// </summary>
    public bool IsColumn => _spec is not null || (!_interpretation.IsGroup && _interpretation.Layout is not Reading.Layout.Object && _subBranches.Count == 0);

    /// <summary>The branch's own record in the tree is malformed: <see cref="Read"/> throws a <see cref="RootFormatException"/> saying where.</summary>
    public bool IsDamaged => _model.Damage is not null;

    /// <summary>The object branch a member column belongs to; null for the tree's own branches.</summary>
    public RootBranch? ColumnOf => _columnOf;

    /// <summary>The branch's own sub-branches (split objects and collections).</summary>
    public IReadOnlyList<RootBranch> SubBranches => _subBranches;

    /// <summary>
    /// The columns this branch's values are read as: itself for a column; its members for an object ("evt.fX");
    /// the leaves of a leaf list; all columns of the sub-branches of a split object or collection.
    /// </summary>
    public IReadOnlyList<RootBranch> Columns => IsColumn ? [this]
        : _subBranches.Count > 0 ? [.. _subBranches.SelectMany(b => b.Columns)]
        : _memberColumns;

    internal void AddSubBranch(RootBranch sub) => _subBranches.Add(sub);

    /// <summary>The member columns of an object branch (its layout's columns; a leaf list's leaves), registered once by the tree.</summary>
    internal IReadOnlyList<RootBranch> CreateMemberColumns(IEnumerable<RootBranch>? leafListMembers)
    {
        if (leafListMembers is not null)
        {
            _memberColumns = [.. leafListMembers];
            foreach (RootBranch m in _memberColumns)
            {
                m._columnOf = this;
            }
        }
        else if (_spec is null && _interpretation.Object is { } layout)
        {
            _memberColumns = [.. layout.Columns.Select((c, i) => new RootBranch(this, i, c))];
        }
        foreach (RootBranch m in _memberColumns)
        {
            m.Path = Path + m.Name[Name.Length..];
        }
        return _memberColumns;
    }

    internal void ResolveCounter(Dictionary<LeafModel, RootBranch> leafOwners, Dictionary<BranchModel, RootBranch> branchOf)
    {
        if (_owner is not null)
        {
            return; // a member column: set up by its branch
        }
        _reason = _interpretation.Unsupported;
        if (_interpretation.IsGroup)
        {
            _reason = null;
        }
        else if (_subBranches.Count == 0 && _tree.Entries > 0 && Entries == 0 && BasketCount == 0)
        {
            // A branch the writer never filled (added to the tree but switched off, as in ALICE's reduced ESDs):
            // it holds no values at all, so there are none to give for the tree's entries.
            _reason ??= string.Create(CultureInfo.InvariantCulture, $"no entries were written (fEntries 0 of the tree's {_tree.Entries})");
        }
        if (_interpretation.CounterLeaf is { } leaf)
        {
            if (leafOwners.TryGetValue(leaf, out RootBranch? owner) && owner._interpretation is { Layout: Reading.Layout.Fixed, Shape.Length: 0 } ci
                && ci.Kind is ValueKind.Int8 or ValueKind.UInt8 or ValueKind.Int16 or ValueKind.UInt16 or ValueKind.Int32 or ValueKind.UInt32 or ValueKind.Int64)
            {
                Counter = owner;
                Collection = owner.Name;
            }
            else
            {
                _reason = $"counter leaf '{leaf.Name}' is not an integer branch of this tree";
            }
        }
        if (_interpretation.Object is { Mode: ObjectMode.CollectionMember } layout)
        {
            if (_model.BranchCount is { } c && branchOf.TryGetValue(c, out RootBranch? count))
            {
                _count = count;
                Counter = count;
                Collection = count.Name;
            }
            else
            {
                _reason = "the branch of its collection (fBranchCount) is not in this tree";
            }
            if (layout.CounterSlot >= 0)
            {
                _count2 = _model.BranchCount2 is { } c2 && branchOf.TryGetValue(c2, out RootBranch? count2) ? count2
                    : _count?._subBranches.FirstOrDefault(s => s.Name.EndsWith("." + layout.CounterName, StringComparison.Ordinal) || s.Name == layout.CounterName);
                if (_count2 is null)
                {
                    _reason = $"the branch of the counter member '{layout.CounterName}' (fBranchCount2) is not in this tree";
                }
            }
        }
        else if (_interpretation.Object is { Mode: ObjectMode.Whole, Form: ListForm })
        {
            Collection = Name;
        }
        foreach (RootBranch column in _memberColumns)
        {
            column.Counter = Counter;
            // Members of a collection of objects share its collection; a list inside one object is its own.
            column.Collection = column._spec is { Depth: > 0 } && _interpretation.Object?.Form is ListForm ? Collection ?? Name : null;
        }
    }

    /// <summary>
    /// Reads entries [<paramref name="start"/>, <paramref name="stop"/>). Only the baskets that overlap the
    /// range are read and decompressed (in parallel when there are several).
    /// </summary>
    /// <exception cref="NotSupportedException">The branch is not readable (see <see cref="UnsupportedReason"/>).</exception>
    /// <exception cref="RootFormatException">The file is malformed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range is not within [0, Entries].</exception>
    /// <exception cref="InvalidOperationException">The branch is not a column (<see cref="IsColumn"/>): read its <see cref="Columns"/>.</exception>
    public RootArray Read(long start, long stop)
    {
        if (_model.Damage is { } damage)
        {
            throw new RootFormatException(_file.Path, $"TBranch {_model.Name} ({damage.Structure})", damage.Offset, damage.Detail, damage);
        }
        if (!IsReadable)
        {
            throw new NotSupportedException($"unsupported: branch {Name} of class {ClassName}{(ObjectClassName.Length > 0 ? $" ({ObjectClassName})" : "")}: {UnsupportedReason}");
        }
        if (!IsColumn)
        {
            throw new InvalidOperationException($"branch {Name} holds {Columns.Count} columns ({TypeName}): read them one by one (Columns)");
        }
        if (start < 0 || stop < start || stop > Entries)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"entry range [{start}, {stop}) is outside [0, {Entries}) of branch {Name}");
        }
        if (_spec is not null)
        {
            return (_owner ?? this).ReadColumn(_owner is null ? 0 : _columnIndex, start, stop);
        }
        return ReadBaskets(start, stop, baskets => BasketDecoder.Decode(_file.Path, Name, _interpretation, baskets, start, stop, Counter));
    }

    /// <summary>
    /// The values of a counter branch (a split collection's object counts, a counter member's values per object), read
    /// whatever its role in the tree (a collection's branch is a group, not a column).
    /// </summary>
    internal RootArray ReadCounts(long start, long stop) =>
        ReadBaskets(start, stop, baskets => BasketDecoder.Decode(_file.Path, Name, _interpretation, baskets, start, stop, Counter));

    private T ReadBaskets<T>(long start, long stop, Func<BasketData[], T> decode)
    {
        List<(long First, long End, int Index)> segments = Segments();
        var needed = segments.Where(s => s.End > start && s.First < stop && s.End > s.First).ToList();
        BasketData[] baskets = LoadBaskets(needed);
        try
        {
            return decode(baskets);
        }
        finally
        {
            foreach (BasketData b in baskets)
            {
                b?.Dispose();
            }
        }
    }

    /// <summary>
    /// Column <paramref name="index"/> of this object branch over [start, stop). All columns are decoded together;
    /// the last range is kept, so reading an object's columns one after the other decodes its baskets once.
    /// </summary>
    private RootArray ReadColumn(int index, long start, long stop)
    {
        List<ColumnData> columns;
        lock (_cacheLock)
        {
            columns = _lastColumns is { } last && last.Start == start && last.Stop == stop ? last.Columns : null!;
        }
        if (columns is null)
        {
            ObjectLayout layout = _interpretation.Object!;
            columns = ReadBaskets(start, stop, baskets => layout.Decode(_file.Path, Name, baskets, start, stop, _count, _count2));
            lock (_cacheLock)
            {
                _lastColumns = (start, stop, columns);
            }
        }
        ColumnData c = columns[index];
        ColumnSpec spec = _interpretation.Object!.Columns[index];
        return new RootArray(Interpretation.ClrType(c.Kind), c.Values, spec.Shape, c.Levels);
    }

    /// <summary>
    /// Entry ranges of the baskets, in entry order: free ones (index ≥ 0, ranges from fBasketEntry) and those stored
    /// inside the TBranch (index &lt; 0): the last, not yet written basket, and — in trees saved without writing
    /// their baskets — every slot whose fBasketSeek is 0.
    /// </summary>
    private List<(long First, long End, int Index)> Segments()
    {
        var list = new List<(long, long, int)>();
        int embedded = 0;
        long previous = 0;
        for (int i = 0; i < _model.WriteBasket || embedded < _model.Embedded.Count; i++)
        {
            bool free = i < _model.WriteBasket && _model.BasketSeek[i] != 0 && _model.BasketBytes[i] != 0;
            if (!free)
            {
                if (embedded >= _model.Embedded.Count)
                {
                    if (i < _model.WriteBasket && i + 1 < _model.MaxBaskets && _model.BasketEntry[i + 1] == previous)
                    {
                        continue; // an empty slot
                    }
                    throw new RootFormatException(_file.Path, $"TBranch {Name}", -1, $"basket {i} has no seek pointer and no basket is stored in the branch for it");
                }
                list.Add((previous, previous + _model.Embedded[embedded].Entries, -1 - embedded));
                previous += _model.Embedded[embedded].Entries;
                embedded++;
                continue;
            }
            long first = _model.BasketEntry[i];
            long remainingEmbedded = _model.Embedded.Skip(embedded).Sum(e => (long)e.Entries);
            long end = i + 1 < _model.WriteBasket || (i + 1 < _model.MaxBaskets && _model.BasketEntry[i + 1] > first && embedded < _model.Embedded.Count)
                ? _model.BasketEntry[i + 1]
                : _model.Entries - remainingEmbedded;
            if (first != previous || end < first || end > _model.Entries || end - first > int.MaxValue)
            {
                throw new RootFormatException(_file.Path, $"TBranch {Name}", -1,
                    $"basket {i} covers entries [{first}, {end}) which does not continue [0, {previous}) within [0, {_model.Entries})");
            }
            list.Add((first, end, i));
            previous = end;
        }
        if (previous != _model.Entries)
        {
            throw new RootFormatException(_file.Path, $"TBranch {Name}", -1, $"baskets cover {previous} entries, the branch has {_model.Entries}");
        }
        return list;
    }

    /// <summary>
    /// Loads the baskets of <paramref name="needed"/>, reusing the branch's last decompressed basket: reading a
    /// tree in consecutive entry ranges smaller than a basket then decompresses every basket once, not once per range.
    /// </summary>
    private BasketData[] LoadBaskets(List<(long First, long End, int Index)> needed)
    {
        var result = new BasketData[needed.Count];
        void LoadOne(int k)
        {
            (long first, long end, int index) = needed[k];
            if (result[k] is not null)
            {
                return;
            }
            if (index < 0)
            {
                result[k] = BasketData.FromEmbedded(_model.Embedded[-1 - index], first);
                return;
            }
            result[k] = BasketData.Load(_file.Source, _file.Path, Name, _model.BasketSeek[index], _model.BasketBytes[index], first, checked((int)(end - first)));
            Interlocked.Increment(ref _basketsLoaded);

        }
        try
        {
            lock (_cacheLock)
            {
                int hit = _lastBasket is { } cached ? needed.FindIndex(s => s.Index == cached.Index) : -1;
                if (hit >= 0)
                {
                    result[hit] = _lastBasket!.Value.Data.Share();
                }
            }
            // Parallel decompression pays off only for enough bytes: thread hand-offs cost more than small baskets.
            long bytesToLoad = 0;
            int toLoad = 0;
            for (int k = 0; k < needed.Count; k++)
            {
                if (needed[k].Index >= 0 && result[k] is null)
                {
                    bytesToLoad += _model.BasketBytes[needed[k].Index];
                    toLoad++;
                }
            }
            if (toLoad <= 1 || bytesToLoad < ParallelLoadBytes)
            {
                for (int k = 0; k < needed.Count; k++)
                {
                    LoadOne(k);
                }
            }
            else
            {
                try
                {
                    Parallel.For(0, needed.Count, LoadOne);
                }
                catch (AggregateException e) when (e.InnerExceptions.Count > 0)
                {
                    ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
                }
            }
            int last = needed.Count - 1;
            if (last >= 0 && needed[last].Index >= 0)
            {
                lock (_cacheLock)
                {
                    if (_lastBasket?.Index != needed[last].Index)
                    {
                        _lastBasket?.Data.Dispose();
                        _lastBasket = (needed[last].Index, result[last].Share());
                    }
                }
            }
            return result;
        }
        catch
        {
            foreach (BasketData b in result)
            {
                b?.Dispose();
            }
            throw;
        }
    }

    /// <summary>How many free baskets this branch has read and decompressed so far (tests of the basket cache).</summary>
    internal int BasketsLoaded => _basketsLoaded;

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({TypeName})";

    internal RootTree Tree => _tree;

    internal RootFile File => _file;

    internal Format.BranchModel Model => _model;

    /// <summary>Whether the stored bytes are exactly what a TBranch with one plain leaf of <see cref="TypeName"/> holds (so its baskets can be copied as they are).</summary>
    internal bool IsPlainLeafBranch => _model.ClassName == "TBranch" && _model.Leaves.Count == 1 && _interpretation.Packed is null
        && _interpretation.Layout is Reading.Layout.Fixed or Reading.Layout.Counted or Reading.Layout.String && _interpretation.EntryHeaderBytes == 0;

    /// <summary>A whole std::vector of numbers on its own branch (top-level TBranchElement).</summary>
    internal bool IsTopLevelVector => _model.ClassName == "TBranchElement" && _model.Id < 0 && _interpretation.Layout == Reading.Layout.Vector
        && _interpretation.Kind != ValueKind.String;

    /// <summary>The entry ranges of the baskets (free ones: index ≥ 0; stored in the TBranch: index &lt; 0).</summary>
    internal List<(long First, long End, int Index)> BasketRanges() => Segments();
}
