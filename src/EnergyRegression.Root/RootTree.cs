using EnergyRegression.Root.Format;
using EnergyRegression.Root.Reading;
using EnergyRegression.Root.Streamers;

namespace EnergyRegression.Root;

/// <summary>A TTree: a number of entries and a tree of branches.</summary>
public sealed class RootTree
{
    private readonly Dictionary<string, RootBranch> _byName = new(StringComparer.Ordinal);

    private readonly Func<BranchModel, (RootStreamerElement? Element, string? Problem)> _elementOf;

    private readonly Func<StreamerReaders> _streamers;

    internal RootTree(RootFile file, TreeModel model)
    {
        _elementOf = b => FindElement(file, b);
        _streamers = () => file.Readers;
        Name = model.Name;
        Title = model.Title;
        Entries = model.Entries;
        Version = model.Version;
        var all = new List<RootBranch>();
        var top = new List<RootBranch>();
        var leafOwners = new Dictionary<LeafModel, RootBranch>(ReferenceEqualityComparer.Instance);
        var branchOf = new Dictionary<BranchModel, RootBranch>(ReferenceEqualityComparer.Instance);
        foreach (BranchModel b in model.Branches)
        {
            top.Add(Add(file, b, all, leafOwners, branchOf, ""));
        }
        Branches = all;
        TopBranches = top;
        foreach (RootBranch b in all)
        {
            b.ResolveCounter(leafOwners, branchOf);
            _byName.TryAdd(b.Name, b);
        }
    }

    private RootBranch Add(RootFile file, BranchModel model, List<RootBranch> all, Dictionary<LeafModel, RootBranch> leafOwners, Dictionary<BranchModel, RootBranch> branchOf, string parentPath)
    {
        var branch = new RootBranch(file, this, model, Interpretation.For(model, null, _elementOf, _streamers), model.Name)
        {
            Path = parentPath.Length == 0 ? model.Name : $"{parentPath}/{model.Name}",
        };
        all.Add(branch);
        branchOf.TryAdd(model, branch);
        foreach (LeafModel leaf in model.Leaves)
        {
            leafOwners.TryAdd(leaf, branch);
        }
        if (model.Leaves.Count > 1 && model.ClassName == "TBranch" && model.Problem is null)
        {
            // A leaf list: every leaf is readable on its own as "branch.leaf".
            var members = model.Leaves.Select(leaf => new RootBranch(file, this, model, Interpretation.For(model, leaf, _elementOf, _streamers), $"{model.Name}.{leaf.Name}")).ToList();
            all.AddRange(branch.CreateMemberColumns(members));
        }
        else
        {
            all.AddRange(branch.CreateMemberColumns(null));
        }
        foreach (BranchModel sub in model.Branches)
        {
            branch.AddSubBranch(Add(file, sub, all, leafOwners, branchOf, branch.Path));
        }
        return branch;
    }

    /// <summary>
    /// The streamer element describing the member a split branch holds: element fID of the streamer info of its
    /// class (at the branch's fClassVersion) when the name agrees, else the element of that name ("P3.Px" → member
    /// Px of class P3).
    /// </summary>
    private static (RootStreamerElement? Element, string? Problem) FindElement(RootFile file, BranchModel b)
    {
        string cls = b.ElementClassName ?? "";
        RootStreamerInfo? info = file.FindStreamerInfo(cls, b.ClassVersion, out string? problem);
        if (info is null)
        {
            return (null, problem);
        }
        string member = b.Name[(b.Name.LastIndexOf('.') + 1)..];
        int bracket = member.IndexOf('[', StringComparison.Ordinal);
        member = bracket >= 0 ? member[..bracket] : member;
        if (b.Id >= 0 && b.Id < info.Elements.Count && info.Elements[b.Id].Name == member)
        {
            return (info.Elements[b.Id], null);
        }
        RootStreamerElement? byName = info.Elements.FirstOrDefault(e => e.Name == member);
        if (byName is null && b.Id >= 0 && b.Id < info.Elements.Count)
        {
            // Names of split members may carry prefixes ROOT adds ("fTracks.fPx" for a member "fPx" of Track): trust fID.
            return (info.Elements[b.Id], null);
        }
        return byName is not null ? (byName, null) : (null, $"the streamer info of {cls} has no member '{member}'");
    }

    /// <summary>The tree's name.</summary>
    public string Name { get; }

    /// <summary>The tree's title.</summary>
    public string Title { get; }

    /// <summary>Number of entries (fEntries).</summary>
    public long Entries { get; }

    /// <summary>The TTree class version the file was written with (20 for ROOT 6.22+, 5 … 19 for older ROOT).</summary>
    public int Version { get; }

    /// <summary>
    /// All branches, depth-first, sub-branches after their parent, each followed by its member columns
    /// (leaf-list members as "branch.leaf", object members as "branch.member"; see <see cref="RootBranch.ColumnOf"/>).
    /// </summary>
    public IReadOnlyList<RootBranch> Branches { get; }

    /// <summary>The tree's own branches (fBranches), without their sub-branches.</summary>
    public IReadOnlyList<RootBranch> TopBranches { get; }

    /// <summary>
    /// The readable columns of the whole tree, in tree order: every branch without sub-branches that
    /// <see cref="RootBranch.Read"/> reads, and the member columns of objects and leaf lists.
    /// </summary>
    public IEnumerable<RootBranch> Columns => Branches.Where(b => b.IsColumn && b.IsReadable);

    /// <summary>
    /// The tree's data branches (a branch without sub-branches, not a member column) that cannot be read, each
    /// with <see cref="RootBranch.UnsupportedReason"/>.
    /// </summary>
    public IEnumerable<RootBranch> UnreadableBranches => Branches.Where(b => b.ColumnOf is null && b.SubBranches.Count == 0 && !b.IsReadable);

    /// <summary>The branch named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such branch.</exception>
    public RootBranch GetBranch(string name) =>
        _byName.TryGetValue(name, out RootBranch? b) ? b : throw new KeyNotFoundException($"tree '{Name}' has no branch '{name}'");
}
