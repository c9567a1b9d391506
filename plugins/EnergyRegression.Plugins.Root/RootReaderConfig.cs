using System.ComponentModel;
using System.Globalization;
using EnergyRegression.Configuration;

namespace EnergyRegression.Plugins.Root;

/// <summary>Config of the <c>root</c> reader (the <c>with:</c> section of <c>reader: {type: root}</c>).</summary>
public sealed class RootReaderConfig : PluginConfig
{
    /// <summary>Input files or glob patterns (<c>*</c>, <c>?</c>), read in the order given as one stream; each pattern's matches sorted.</summary>
    [Description("ROOT input files, read in order as one stream of entries; glob patterns (* and ?) are expanded and sorted.")]
    [PathValue]
    public required string[] Files { get; set; }

    /// <summary>The tree to read: <c>Events</c>, <c>dir/tree</c>, optionally with a cycle <c>Events;2</c>.</summary>
    [Description("The TTree to read, e.g. Events or dir/sub/tree (optionally name;cycle).")]
    public required string Tree { get; set; }

    /// <summary>Branch names or glob patterns; empty means every branch that can become a column.</summary>
    [Description("Branches to read: names or glob patterns (* and ?). Default: every readable branch. A named branch that is missing or unreadable is an error; a pattern skips unreadable branches with one warning.")]
    public string[] Branches { get; set; } = [];

    /// <summary>Collection name by counter branch, overriding the NanoAOD-style inference (<c>nElectron</c> → <c>Electron</c>).</summary>
    [Description("Collection name -> counter branch (e.g. Electron: nElectron), overriding the inferred names. Default: a branch sized by counter nX belongs to collection X.")]
    public Dictionary<string, string> Collections { get; set; } = [];

    /// <summary>Entry range <c>START:STOP</c> over all files as one stream (either side may be empty).</summary>
    [Description("Entry range START:STOP (STOP exclusive) over all files as one stream; either side may be empty, e.g. \"1000:\". Quote it in YAML.")]
    public string? Entries { get; set; }

    /// <summary>The parsed <see cref="Entries"/>: first entry (inclusive) and last (exclusive, null = to the end).</summary>
    internal (long Start, long? Stop) EntryRange => ParseEntries(Entries);

    /// <inheritdoc />
    public override void Validate()
    {
        if (Files is null || Files.Length == 0)
        {
            throw new ConfigValueException("files", "Give at least one input file.");
        }
        if (Files.Any(string.IsNullOrWhiteSpace))
        {
            throw new ConfigValueException("files", "A file name is empty.");
        }
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
        _ = EntryRange;
    }

    private static (long Start, long? Stop) ParseEntries(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (0, null);
        }
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || text.IndexOf(':', colon + 1) >= 0)
        {
            throw new ConfigValueException("entries", $"'{text}' is not a range START:STOP (e.g. \"0:1000\", \"500:\", \":100\").");
        }
        long start = ParseBound(text[..colon].Trim(), text) ?? 0;
        long? stop = ParseBound(text[(colon + 1)..].Trim(), text);
        if (stop < start)
        {
            throw new ConfigValueException("entries", $"In '{text}' STOP ({stop}) is before START ({start}).");
        }
        return (start, stop);
    }

    private static long? ParseBound(string part, string text)
    {
        if (part.Length == 0)
        {
            return null;
        }
        if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            throw new ConfigValueException("entries", $"In '{text}', '{part}' is not a non-negative entry number.");
        }
        return value;
    }
}
