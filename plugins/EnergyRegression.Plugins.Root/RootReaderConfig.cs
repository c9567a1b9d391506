using System.ComponentModel;
using EnergyRegression.Configuration;

namespace EnergyRegression.Plugins.Root;

/// <summary>Config of the <c>root</c> reader (the <c>with:</c> section of <c>reader: {type: root}</c>).</summary>
public sealed class RootReaderConfig : PluginConfig
{
    /// <summary>Input files or glob patterns (<c>*</c>, <c>?</c>), read in the order given as one stream; each pattern's matches sorted.</summary>
    [Description("ROOT input files, read in order as one stream of entries; glob patterns (* and ?) are expanded and sorted.")]
    [PathValue]
    public required string[] Files { get; set; }

    /// <summary>The TTree or RNTuple to read: <c>Events</c>, <c>dir/tree</c>, optionally with a cycle <c>Events;2</c>.</summary>
    [Description("The TTree or RNTuple to read, e.g. Events or dir/sub/tree (optionally name;cycle); whichever the file holds under that name.")]
    public required string Tree { get; set; }

    /// <summary>Branch (or RNTuple field) names or glob patterns; empty means every branch that can become a column.</summary>
    [Description("Branches (RNTuple: fields, records' members as record.member, collections of records' as Collection_member) to read: names or glob patterns (* and ?). Default: every readable branch. A named branch that is missing or unreadable is an error; a pattern skips unreadable branches with one warning.")]
    public string[] Branches { get; set; } = [];

    /// <summary>Collection name by counter branch, overriding the NanoAOD-style inference (<c>nElectron</c> → <c>Electron</c>).</summary>
    [Description("Collection name -> counter branch (e.g. Electron: nElectron), overriding the inferred names. Default: a branch sized by counter nX belongs to collection X.")]
    public Dictionary<string, string> Collections { get; set; } = [];

    /// <summary>Entry range <c>START:STOP</c> over all files as one stream (either side may be empty).</summary>
    [Description("Entry range START:STOP (STOP exclusive) over all files as one stream; either side may be empty, e.g. \"1000:\". Quote it in YAML.")]
    public string? Entries { get; set; }


    /// <inheritdoc />
    public override void Validate()
    {
        InputFilePatterns.Validate(Files);
        if (string.IsNullOrWhiteSpace(Tree))
        {
            throw new ConfigValueException("tree", "Give the name of the tree to read, e.g. Events.");
        }
        if (Branches.Any(string.IsNullOrWhiteSpace))
        {
            throw new ConfigValueException("branches", "A branch name is empty.");
        }
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string collection, string counter) in Collections)
        {
            if (string.IsNullOrWhiteSpace(collection) || string.IsNullOrWhiteSpace(counter))
            {
                throw new ConfigValueException("collections", "A collection name or counter branch is empty.");
            }
            if (!seen.TryAdd(counter, collection))
            {
                throw new ConfigValueException("collections",
                    $"Collections '{seen[counter]}' and '{collection}' both name the counter branch '{counter}'; a counter sizes one collection.");
            }
        }
        _ = EntryRange.Parse(Entries);
    }
}
