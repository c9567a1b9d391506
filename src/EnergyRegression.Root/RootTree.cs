using EnergyRegression.Root.Format;
using EnergyRegression.Root.Reading;

namespace EnergyRegression.Root;

/// <summary>A TTree: a number of entries and a tree of branches.</summary>
public sealed class RootTree
{
    private readonly Dictionary<string, RootBranch> _byName = new(StringComparer.Ordinal);

    private readonly Func<BranchModel, (RootStreamerElement? Element, string? Problem)> _elementOf;

    internal RootTree(RootFile file, TreeModel model)
    {
        _elementOf = b => FindElement(file, b);
        Name = model.Name;
        Title = model.Title;
        Entries = model.Entries;
        var all = new List<RootBranch>();
        var leafOwners = new Dictionary<LeafModel, RootBranch>(ReferenceEqualityComparer.Instance);
        foreach (BranchModel b in model.Branches)
        {
            Add(file, b, all, leafOwners);
        }
        Branches = all;
        foreach (RootBranch b in all)
        {
            b.ResolveCounter(leafOwners);
            _byName.TryAdd(b.Name, b);
        }
    }

    private void Add(RootFile file, BranchModel model, List<RootBranch> all, Dictionary<LeafModel, RootBranch> leafOwners)
    {
        var branch = new RootBranch(file, this, model, Interpretation.For(model, null, _elementOf), model.Name);
        all.Add(branch);
        foreach (LeafModel leaf in model.Leaves)
        {
            leafOwners.TryAdd(leaf, branch);
        }
        if (model.Leaves.Count > 1 && model.ClassName == "TBranch")
        {
            // A leaf list: every leaf is readable on its own as "branch.leaf".
            foreach (LeafModel leaf in model.Leaves)
            {
                all.Add(new RootBranch(file, this, model, Interpretation.For(model, leaf, _elementOf), $"{model.Name}.{leaf.Name}"));
            }
        }
        foreach (BranchModel sub in model.Branches)
        {
            Add(file, sub, all, leafOwners);
        }
    }

    /// <summary>
    /// The streamer element describing the member a split branch holds: element fID of its class's streamer
    /// info when the name agrees, else the element of that name ("P3.Px" → member Px of class P3).
    /// </summary>
    private static (RootStreamerElement? Element, string? Problem) FindElement(RootFile file, BranchModel b)
    {
        string cls = b.ElementClassName ?? "";
        RootStreamerInfo? info = file.FindStreamerInfo(cls, out string? problem);
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
        return byName is not null ? (byName, null) : (null, $"the streamer info of {cls} has no member '{member}'");
    }

    /// <summary>The tree's name.</summary>
    public string Name { get; }

    /// <summary>The tree's title.</summary>
    public string Title { get; }

    /// <summary>Number of entries (fEntries).</summary>
    public long Entries { get; }

    /// <summary>All branches, depth-first, sub-branches after their parent (leaf-list members as "branch.leaf").</summary>
    public IReadOnlyList<RootBranch> Branches { get; }

    /// <summary>The branch named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such branch.</exception>
    public RootBranch GetBranch(string name) =>
        _byName.TryGetValue(name, out RootBranch? b) ? b : throw new KeyNotFoundException($"tree '{Name}' has no branch '{name}'");
}
