using System.IO.Enumeration;
using EnergyRegression.Data;
using EnergyRegression.Root;

namespace EnergyRegression.Plugins.Root;

/// <summary>How a branch becomes a column.</summary>
internal enum FieldKind
{
    /// <summary>A scalar or fixed-size array: an event column (tensor of <see cref="RootField.Shape"/>).</summary>
    Event,

    /// <summary>A counter-sized array (<c>x[nX]</c>): an object column of the counter's collection.</summary>
    Counted,

    /// <summary>A <c>std::vector&lt;number&gt;</c> without counter: an object column of its own collection.</summary>
    Vector,

    /// <summary>A member of the objects of a collection branch (<c>muons.fPt</c> of an unsplit <c>std::vector&lt;Muon&gt;</c>): an object column of that branch's collection.</summary>
    Member,
}

/// <summary>One selected branch and the column it becomes.</summary>
internal sealed record RootField(string Branch, string TypeName, FieldKind Kind, Type ElementType, int[] Shape, string? Collection);

/// <summary>A collection of the batches: its name and, when no selected branch carries it, the counter branch to read its counts from.</summary>
internal sealed record RootCollection(string Name, string? CounterBranch);

/// <summary>
/// The columns the reader produces, resolved once from the first file's tree (or RNTuple, seen as one by
/// <see cref="NtupleSource"/>): which branches are read,
/// how each maps onto the <see cref="EventBatch"/> (event, object or counter), and the collections.
/// </summary>
internal sealed class TreeSchema
{
    private static readonly char[] _wildcards = ['*', '?'];

    private TreeSchema(List<RootField> fields, List<RootCollection> collections, List<string> skipped)
    {
        Fields = fields;
        Collections = collections;
        Skipped = skipped;
    }

    /// <summary>The branches read as columns, in tree order.</summary>
    public List<RootField> Fields { get; }

    /// <summary>The collections, in order of first appearance.</summary>
    public List<RootCollection> Collections { get; }

    /// <summary>Branches a glob pattern matched but that cannot become columns ("name (reason)").</summary>
    public List<string> Skipped { get; }

    /// <summary>Resolves the config's branches and collections against <paramref name="tree"/>.</summary>
    /// <exception cref="ConfigValueException">A named branch or counter is missing or unreadable.</exception>
    public static TreeSchema Resolve(ISourceTree tree, string file, IReadOnlyList<string> patterns, IReadOnlyDictionary<string, string> collectionNames)
    {
        var counters = new HashSet<string>(StringComparer.Ordinal);
        foreach (ISourceBranch b in tree.Branches)
        {
            if (b.Counter is not null)
            {
                counters.Add(b.Counter.Name);
            }
        }
        var allNames = tree.Branches.Select(b => b.Name).ToList();

        // Collection name by counter branch: configured, else the counter without its leading n (nElectron → Electron).
        var nameByCounter = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string collection, string counter) in collectionNames)
        {
            if (!allNames.Contains(counter, StringComparer.Ordinal))
            {
                throw new ConfigValueException("collections",
                    $"Collection '{collection}': {tree.Description} of {file} has no {tree.Noun} '{counter}'{NameSuggestions.DidYouMean(counter, counters)}.");
            }
            if (!counters.Contains(counter))
            {
                throw new ConfigValueException("collections",
                    $"Collection '{collection}': {tree.Noun} '{counter}' is not the counter of any {tree.Noun} of {tree.Description}. Counters: {List(counters)}.");
            }
            nameByCounter[counter] = collection;
        }

        // Which branches: explicit names must exist and be usable; patterns take what they can.
        var selected = new HashSet<string>(StringComparer.Ordinal);
        var skipped = new List<string>();
        var skippedNames = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyList<string> entries = patterns.Count == 0 ? ["*"] : patterns;
        foreach (string entry in entries)
        {
            if (entry.IndexOfAny(_wildcards) < 0)
            {
                if (!allNames.Contains(entry, StringComparer.Ordinal))
                {
                    throw new ConfigValueException("branches",
                        $"{Capitalized(tree.Description)} of {file} has no {tree.Noun} '{entry}'{NameSuggestions.DidYouMean(entry, allNames)}.");
                }
                ISourceBranch branch = tree.GetBranch(entry);
                if (!branch.IsColumn && branch.IsReadable)
                {
                    // An object, leaf list or split collection: its columns ("Electron.pt", ...).
                    var usable = branch.Columns.Where(c => WhyNot(c) is null).ToList();
                    if (usable.Count == 0)
                    {
                        throw new ConfigValueException("branches", $"{Capitalized(tree.Noun)} '{entry}' ({branch.TypeName}) of {tree.Description} has no column event batches can hold: " +
                            string.Join("; ", branch.Columns.Take(3).Select(c => $"{c.Name}: {WhyNot(c)}")) + ".");
                    }
                    selected.UnionWith(usable.Select(c => c.Name));
                    continue;
                }
                if (WhyNot(branch) is { } reason)
                {
                    throw new ConfigValueException("branches", $"{Capitalized(tree.Noun)} '{entry}' ({branch.TypeName}) of {tree.Description} cannot be read: {reason}.");
                }
                selected.Add(entry);
                continue;
            }
            int matched = 0;
            foreach (ISourceBranch branch in tree.Branches.Where(b => b.MatchesPatterns))
            {
                if (!FileSystemName.MatchesSimpleExpression(entry, branch.Name, ignoreCase: false))
                {
                    continue;
                }
                matched++;
                if (WhyNot(branch) is { } reason)
                {
                    if (skippedNames.Add(branch.Name))
                    {
                        skipped.Add($"{branch.Name} ({reason})");
                    }
                    continue;
                }
                selected.Add(branch.Name);
            }
            if (matched == 0)
            {
                throw new ConfigValueException("branches", $"The pattern '{entry}' matches no {tree.Noun} of {tree.Description} in {file}.");
            }
        }

        var fields = new List<RootField>();
        var collections = new List<RootCollection>();
        var members = new HashSet<string>(StringComparer.Ordinal);
        var counterOnly = new List<(string Name, string Counter)>();
        foreach (ISourceBranch branch in tree.Branches)
        {
            if (!selected.Contains(branch.Name))
            {
                continue;
            }
            if (counters.Contains(branch.Name))
            {
                // A counter is not a column: its collection's count (nX) is implicit in the batch.
                counterOnly.Add((CollectionOf(branch, nameByCounter), branch.Name));
                continue;
            }
            RootField field = FieldOf(branch, nameByCounter);
            fields.Add(field);
            if (field.Collection is { } name && members.Add(name))
            {
                collections.Add(new RootCollection(name, null));
            }
        }
        foreach ((string name, string counter) in counterOnly)
        {
            if (members.Add(name))
            {
                collections.Add(new RootCollection(name, counter));
            }
        }
        CheckCollectionNames(fields, tree, file);
        return new TreeSchema(fields, collections, skipped);
    }

    /// <summary>Why a branch cannot become a column, or null when it can.</summary>
    public static string? WhyNot(ISourceBranch branch)
    {
        if (!branch.IsReadable)
        {
            return branch.UnsupportedReason ?? "not readable";
        }
        return branch.Layout switch
        {
            RootBranchLayout.Record => "it holds several columns: read them by name, e.g. " + string.Join(", ", branch.Columns.Take(2).Select(c => c.Name)),
            RootBranchLayout.VectorOfVectors or RootBranchLayout.Nested => "lists of lists are not supported by event batches yet",
            RootBranchLayout.Vector when branch.Shape.Count > 0 => "lists of fixed-size arrays are not supported by event batches yet",
            RootBranchLayout.String => "strings are not supported by event batches yet",
            _ when !ScalarConvert.TypesByName.Values.Contains(branch.ElementType) => $"type {branch.TypeName} is not supported by event batches",
            _ => null,
        };
    }

    private static RootField FieldOf(ISourceBranch branch, Dictionary<string, string> nameByCounter)
    {
        int[] shape = [.. branch.Shape];
        return branch.Counter is { } counter
            // float32[nElectron][3]: the library's shape is the per-object shape. Members of split collections
            // (Electron.pt) are counted by their collection's branch (Electron).
            ? new RootField(branch.Name, branch.TypeName, FieldKind.Counted, branch.ElementType, shape, CollectionOf(counter, nameByCounter))
            : branch.Layout == RootBranchLayout.Vector && branch.ColumnOf is not null && branch.Collection is { } objects
                ? new RootField(branch.Name, branch.TypeName, FieldKind.Member, branch.ElementType, [], objects)
            : branch.Layout == RootBranchLayout.Vector
                ? new RootField(branch.Name, branch.TypeName, FieldKind.Vector, branch.ElementType, [], branch.Name)
                : new RootField(branch.Name, branch.TypeName, FieldKind.Event, branch.ElementType, shape, null);
    }

    private static string CollectionOf(ISourceBranch counterBranch, Dictionary<string, string> nameByCounter)
    {
        string counter = counterBranch.Name;
        if (nameByCounter.TryGetValue(counter, out string? name))
        {
            return name;
        }
        // A split collection's branch (Electron, NeutralHadron: not a column itself) names its collection as it is.
        // A counter column drops its n: NanoAOD's nElectron → Electron, RNTuple's nfour_v_LVs → four_v_LVs, also
        // NJet → Jet (uproot's HZZ sample).
        return counterBranch.IsColumn && counter.Length > 1 && counter[0] is 'n' or 'N' ? counter[1..] : counter;
    }

    private static void CheckCollectionNames(List<RootField> fields, ISourceTree tree, string file)
    {
        var kinds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (RootField field in fields)
        {
            if (field.Collection is null)
            {
                continue;
            }
            string source = field.Kind switch
            {
                FieldKind.Vector => $"vector branch '{field.Branch}'",
                FieldKind.Member => $"the objects of branch '{field.Collection}'",
                _ => "a counter",
            };
            if (kinds.TryGetValue(field.Collection, out string? other) && other != source && (field.Kind != FieldKind.Counted || !other.StartsWith("a counter", StringComparison.Ordinal)))
            {
                throw new ConfigValueException("collections",
                    $"{Capitalized(tree.Description)} of {file}: collection '{field.Collection}' would come from both {other} and {source}; rename the counter's collection under collections:.");
            }
            kinds.TryAdd(field.Collection, source);
        }
    }

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string List(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "(none)" : string.Join(", ", list);
    }
}
