using System.ComponentModel;
using EnergyRegression.Configuration;

namespace EnergyRegression.Plugins.Hdf5;

/// <summary>Config of the <c>hdf5</c> reader (the <c>with:</c> section of <c>reader: {type: hdf5}</c>).</summary>
public sealed class Hdf5ReaderConfig : PluginConfig
{
    /// <summary>Input files or glob patterns (<c>*</c>, <c>?</c>), read in the order given as one stream; each pattern's matches sorted.</summary>
    [Description("HDF5 input files, read in order as one stream of entries; glob patterns (* and ?) are expanded and sorted.")]
    [PathValue]
    public required string[] Files { get; set; }

    /// <summary>The group of event-level datasets in the table layout (<c>/</c> for datasets at the top).</summary>
    [Description("Table layout: the group whose datasets are event-level columns (one row per entry); \"/\" for datasets at the top of the file. Other top-level groups with an 'offsets' or 'counts' dataset are collections.")]
    public string EventGroup { get; set; } = "events";

    /// <summary>Explicit columns: column name (a prefix for a compound dataset) → dataset path; replaces the table layout.</summary>
    [Description("Explicit columns instead of the table layout: column name -> dataset path (e.g. {window: /images, energy: /labels}); each dataset one row per entry. A compound dataset gives one column per member, named <key>_<member>.")]
    public Dictionary<string, string> Datasets { get; set; } = [];

    /// <summary>Makes every entry one object of this collection (images + labels files for stages that work on collections).</summary>
    [Description("Make every entry one object of this collection: the event-level columns become its object columns, named <collection>_<name> (e.g. collection: Electron turns window into Electron_window).")]
    public string? Collection { get; set; }

    /// <summary>Column names or glob patterns; empty means every column.</summary>
    [Description("Columns to read: names or glob patterns (* and ?), as the columns are named (Electron_pt, run). Default: every column. A named column that is missing is an error; a pattern that matches nothing is an error.")]
    public string[] Columns { get; set; } = [];

    /// <summary>Entry range <c>START:STOP</c> over all files as one stream (either side may be empty).</summary>
    [Description("Entry range START:STOP (STOP exclusive) over all files as one stream; either side may be empty, e.g. \"1000:\". Quote it in YAML.")]
    public string? Entries { get; set; }

    /// <inheritdoc />
    public override void Validate()
    {
        InputFilePatterns.Validate(Files);
        if (string.IsNullOrWhiteSpace(EventGroup))
        {
            throw new ConfigValueException("event_group", "The event group is empty; use \"/\" for datasets at the top of the file.");
        }
        foreach ((string name, string path) in Datasets)
        {
            if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(path))
            {
                throw new ConfigValueException("datasets", "A column name or dataset path is empty.");
            }
        }
        if (Collection is not null && (Collection.Length == 0 || Collection.Contains('_', StringComparison.Ordinal) || Collection.Contains('/', StringComparison.Ordinal)))
        {
            throw new ConfigValueException("collection", $"'{Collection}' is not a collection name (no '_' or '/'), e.g. Electron.");
        }
        RequireDistinctNames("columns", Columns);
        _ = EntryRange.Parse(Entries);
    }
}
