using EnergyRegression.Root;

namespace EnergyRegression.Plugins.Root;

/// <summary>A branch's (or RNTuple column's) values over an entry range: flat values, the fixed shape per item, and for jagged data the entry offsets.</summary>
internal sealed record BranchValues(Type ElementType, Array Values, int[] Shape, long[]? Offsets);

/// <summary>
/// What the root reader reads from a file: a TTree, or an RNTuple seen the same way (<see cref="NtupleSource"/>) —
/// named branches with a layout (scalars and fixed arrays, counter-sized arrays, vectors), so that the schema, the
/// NanoAOD-style collections and the batches are the same for both.
/// </summary>
internal interface ISourceTree
{
    /// <summary>"tree Events" or "RNTuple Events", for messages.</summary>
    string Description { get; }

    /// <summary>"branch" or "field".</summary>
    string Noun { get; }

    long Entries { get; }

    IReadOnlyList<ISourceBranch> Branches { get; }

    /// <exception cref="KeyNotFoundException">No such branch.</exception>
    ISourceBranch GetBranch(string name);
}

/// <summary>A branch of an <see cref="ISourceTree"/>.</summary>
internal interface ISourceBranch
{
    string Name { get; }

    /// <summary>The type as inspect shows it; the same in every file of a run.</summary>
    string TypeName { get; }

    RootBranchLayout Layout { get; }

    Type ElementType { get; }

    IReadOnlyList<int> Shape { get; }

    /// <summary>For <see cref="RootBranchLayout.Counted"/>: the branch holding the per-entry counts.</summary>
    ISourceBranch? Counter { get; }

    bool IsReadable { get; }

    string? UnsupportedReason { get; }

    long Entries { get; }

    /// <summary>Whether the branch is one column (a TTree's object, leaf list or split collection is several: <see cref="Columns"/>).</summary>
    bool IsColumn => true;

    /// <summary>The columns of a branch that is not one (<see cref="IsColumn"/>): an object's members, a collection's.</summary>
    IReadOnlyList<ISourceBranch> Columns => [];

    /// <summary>For a member column of an object or split collection: the branch it belongs to.</summary>
    ISourceBranch? ColumnOf => null;

    /// <summary>For a member of a split collection: the collection it belongs to.</summary>
    string? Collection => null;

    /// <summary>Whether a branches: pattern considers it (columns, and unreadable leaves so that their reason is named).</summary>
    bool MatchesPatterns => true;

    /// <exception cref="RootFormatException">The file is malformed.</exception>
    /// <exception cref="NotSupportedException">The branch cannot be read.</exception>
    BranchValues Read(long start, long stop);
}

/// <summary>A TTree as an <see cref="ISourceTree"/>.</summary>
internal sealed class TreeSource : ISourceTree
{
    private readonly RootTree _tree;
    private readonly Dictionary<RootBranch, TreeBranch> _wrapped = new(ReferenceEqualityComparer.Instance);

    public TreeSource(RootTree tree)
    {
        _tree = tree;
        Branches = [.. tree.Branches.Select(Wrap)];
    }

    public string Description => $"tree {_tree.Name}";

    public string Noun => "branch";

    public long Entries => _tree.Entries;

    public IReadOnlyList<ISourceBranch> Branches { get; }

    public ISourceBranch GetBranch(string name) => Wrap(_tree.GetBranch(name));

    private TreeBranch Wrap(RootBranch branch)
    {
        if (!_wrapped.TryGetValue(branch, out TreeBranch? wrapped))
        {
            wrapped = new TreeBranch(this, branch);
            _wrapped[branch] = wrapped;
        }
        return wrapped;
    }

    private sealed class TreeBranch(TreeSource tree, RootBranch branch) : ISourceBranch
    {
        public string Name => branch.Name;

        public string TypeName => branch.TypeName;

        public RootBranchLayout Layout => branch.Layout;

        public Type ElementType => branch.ElementType;

        public IReadOnlyList<int> Shape => branch.Shape;

        public ISourceBranch? Counter => branch.Counter is { } counter ? tree.Wrap(counter) : null;

        public bool IsReadable => branch.IsReadable;

        public string? UnsupportedReason => branch.UnsupportedReason;

        public long Entries => branch.Entries;

        public bool IsColumn => branch.IsColumn;

        public IReadOnlyList<ISourceBranch> Columns => [.. branch.Columns.Select(tree.Wrap)];

        public ISourceBranch? ColumnOf => branch.ColumnOf is { } owner ? tree.Wrap(owner) : null;

        public string? Collection => branch.Collection;

        public bool MatchesPatterns => branch.IsColumn || !branch.IsReadable && branch.SubBranches.Count == 0 && branch.ColumnOf is null;

        public BranchValues Read(long start, long stop)
        {
            RootArray array = branch.Read(start, stop);
            return new BranchValues(array.ElementType, array.Values, array.Shape, array.Offsets);
        }
    }
}
