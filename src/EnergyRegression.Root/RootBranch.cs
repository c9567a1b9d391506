using System.Runtime.ExceptionServices;
using EnergyRegression.Root.Format;
using EnergyRegression.Root.Reading;

namespace EnergyRegression.Root;

/// <summary>A branch of a tree: its type, its baskets, and <see cref="Read"/> to get its values.</summary>
public sealed class RootBranch
{
    private readonly RootFile _file;
    private readonly RootTree _tree;
    private readonly BranchModel _model;
    private readonly Interpretation _interpretation;
    private readonly Lock _cacheLock = new();
    private (int Index, BasketData Data)? _lastBasket;
    private int _basketsLoaded;

    /// <summary>Below this many compressed bytes a read's baskets are loaded one after the other (benchmarks/README.md, "ROOT reading").</summary>
    private const long ParallelLoadBytes = 1 << 20;

    internal RootBranch(RootFile file, RootTree tree, BranchModel model, Interpretation interpretation, string name)
    {
        _file = file;
        _tree = tree;
        _model = model;
        _interpretation = interpretation;
        Name = name;
    }

    /// <summary>The branch's full name (leaf-list members: "branch.leaf").</summary>
    public string Name { get; }

    /// <summary>The branch's title, e.g. "Electron_pt[nElectron]/F".</summary>
    public string Title => _model.Title;

    /// <summary>The branch class: TBranch or TBranchElement (others are listed but unreadable).</summary>
    public string ClassName => _model.ClassName;

    /// <summary>The value type: "float32", "int32[28][28]", "float32[nElectron]", "std::vector&lt;float32&gt;", "std::vector&lt;std::vector&lt;float64&gt;&gt;", "string".</summary>
    public string TypeName => _interpretation.TypeName;

    /// <summary>How the values of one entry are laid out (what <see cref="Read"/> returns).</summary>
    public RootBranchLayout Layout => _interpretation.Layout switch
    {
        Reading.Layout.Fixed => RootBranchLayout.Fixed,
        Reading.Layout.Counted => RootBranchLayout.Counted,
        Reading.Layout.Vector => RootBranchLayout.Vector,
        Reading.Layout.VectorVector => RootBranchLayout.VectorOfVectors,
        Reading.Layout.String => RootBranchLayout.String,
        _ => RootBranchLayout.Unsupported,
    };

    /// <summary>The CLR type of one value (as <see cref="RootArray.ElementType"/> will be).</summary>
    public Type ElementType => Interpretation.ClrType(_interpretation.Kind);

    /// <summary>Fixed dimensions per entry, or per item of a jagged branch (as <see cref="RootArray.Shape"/> will be).</summary>
    public IReadOnlyList<int> Shape => _interpretation.Shape;

    /// <summary>The branch holding the counter of a C-style variable-length array, else null.</summary>
    public RootBranch? Counter { get; private set; }

    /// <summary>Number of entries (fEntries of the branch).</summary>
    public long Entries => _model.Entries;

    /// <summary>Number of baskets (on their own keys, plus those stored inside the tree).</summary>
    public int BasketCount => _model.WriteBasket + _model.Embedded.Count;

    /// <summary>Bytes of the baskets on disk (fZipBytes).</summary>
    public long CompressedBytes => _model.ZipBytes;

    /// <summary>Bytes of the baskets uncompressed (fTotBytes).</summary>
    public long UncompressedBytes => _model.TotBytes;

    /// <summary>Whether <see cref="Read"/> can decode this branch.</summary>
    public bool IsReadable => _interpretation.Layout != Reading.Layout.None && UnsupportedReason is null;

    /// <summary>Why the branch cannot be read, when <see cref="IsReadable"/> is false.</summary>
    public string? UnsupportedReason { get; private set; }

    internal void ResolveCounter(Dictionary<LeafModel, RootBranch> leafOwners)
    {
        UnsupportedReason = _interpretation.Unsupported;
        if (_interpretation.CounterLeaf is { } leaf)
        {
            if (leafOwners.TryGetValue(leaf, out RootBranch? owner) && owner._interpretation is { Layout: Reading.Layout.Fixed, Shape.Length: 0 } ci
                && ci.Kind is ValueKind.Int8 or ValueKind.UInt8 or ValueKind.Int16 or ValueKind.UInt16 or ValueKind.Int32 or ValueKind.UInt32 or ValueKind.Int64)
            {
                Counter = owner;
            }
            else
            {
                UnsupportedReason = $"counter leaf '{leaf.Name}' is not an integer branch of this tree";
            }
        }
    }

    /// <summary>
    /// Reads entries [<paramref name="start"/>, <paramref name="stop"/>). Only the baskets that overlap the
    /// range are read and decompressed (in parallel when there are several).
    /// </summary>
    /// <exception cref="NotSupportedException">The branch is not readable (see <see cref="UnsupportedReason"/>).</exception>
    /// <exception cref="RootFormatException">The file is malformed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range is not within [0, Entries].</exception>
    public RootArray Read(long start, long stop)
    {
        if (!IsReadable)
        {
            throw new NotSupportedException($"unsupported: branch {Name} of class {ClassName} ({UnsupportedReason})");
        }
        if (start < 0 || stop < start || stop > Entries)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"entry range [{start}, {stop}) is outside [0, {Entries}) of branch {Name}");
        }
        List<(long First, long End, int Index)> segments = Segments();
        var needed = segments.Where(s => s.End > start && s.First < stop && s.End > s.First).ToList();
        BasketData[] baskets = LoadBaskets(needed);
        try
        {
            return BasketDecoder.Decode(_file.Path, Name, _interpretation, baskets, start, stop, Counter);
        }
        finally
        {
            foreach (BasketData b in baskets)
            {
                b?.Dispose();
            }
        }
    }

    /// <summary>Entry ranges of the baskets: free ones (index ≥ 0) from fBasketEntry, then embedded ones (index &lt; 0).</summary>
    private List<(long First, long End, int Index)> Segments()
    {
        var list = new List<(long, long, int)>();
        long embedded = _model.Embedded.Sum(e => (long)e.Entries);
        long freeEnd = _model.Entries - embedded;
        long previous = 0;
        for (int i = 0; i < _model.WriteBasket; i++)
        {
            long first = _model.BasketEntry[i];
            long end = i + 1 < _model.WriteBasket ? _model.BasketEntry[i + 1] : freeEnd;
            if (first != previous || end < first || end > freeEnd || end - first > int.MaxValue)
            {
                throw new RootFormatException(_file.Path, $"TBranch {Name}", -1,
                    $"basket {i} covers entries [{first}, {end}) which does not continue [0, {previous}) within [0, {freeEnd})");
            }
            list.Add((first, end, i));
            previous = end;
        }
        if (previous != freeEnd)
        {
            throw new RootFormatException(_file.Path, $"TBranch {Name}", -1, $"baskets cover {previous} entries, the branch has {freeEnd} outside the tree's own baskets");
        }
        for (int j = 0; j < _model.Embedded.Count; j++)
        {
            list.Add((previous, previous + _model.Embedded[j].Entries, -1 - j));
            previous += _model.Embedded[j].Entries;
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
