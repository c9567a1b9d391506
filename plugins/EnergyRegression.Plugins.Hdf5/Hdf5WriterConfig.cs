using System.ComponentModel;
using EnergyRegression.Configuration;

namespace EnergyRegression.Plugins.Hdf5;

/// <summary>Config of the <c>hdf5</c> writer (the <c>with:</c> section of <c>writer: {type: hdf5}</c>).</summary>
public sealed class Hdf5WriterConfig : PluginConfig
{
    /// <summary>The output file; its directory is created if needed.</summary>
    [Description("Output HDF5 file; written as <path>.partial and renamed when the run succeeds.")]
    [PathValue]
    public required string Path { get; set; }

    /// <summary>The columns to write (all when unset).</summary>
    [Description("Columns to write (default: all). A collection's offsets (or counts) are written with its first column; list nX alone to write only a collection's counts.")]
    public string[]? Columns { get; set; }

    /// <summary>Friend mode: every input entry in order, checked, so the file lines up entry by entry with the input.</summary>
    [Description("Friend-file mode: the output must hold every input entry in the input's order (no event selection, reading from entry 0), so that it lines up entry by entry with the input file; the run fails otherwise. Use with columns: [the new columns].")]
    public bool Friend { get; set; }

    /// <summary>The group of the event-level datasets.</summary>
    [Description("Group of the event-level datasets (one row per entry). Collections are top-level groups named after them.")]
    public string EventGroup { get; set; } = "events";

    /// <summary>How a collection's objects are indexed: <c>offsets</c> (entries + 1 positions) or <c>counts</c> (one per entry).</summary>
    [Description("Index of each collection's objects: offsets (int64, entries + 1 positions, entry i's objects are rows offsets[i]..offsets[i+1]-1) or counts (int32, one per entry).")]
    public string Jagged { get; set; } = "offsets";

    /// <summary>Rows per chunk along the first dimension; 0 = about 1 MiB of uncompressed data per chunk.</summary>
    [Description("Rows per chunk along the first dimension (entries for event datasets, objects for collection datasets); 0 = automatic, about 1 MiB of uncompressed data per chunk.")]
    public int ChunkRows { get; set; }

    /// <summary>Deflate (gzip) level: 0 (off), 1, 6 or 9.</summary>
    [Description("Deflate (gzip) compression level: 0 (no compression: contiguous datasets unless chunk_rows is set), 1 (fast), 6 (default) or 9 (small). PureHDF supports only these levels.")]
    public int Deflate { get; set; } = 6;

    /// <summary>Apply the shuffle filter before deflate.</summary>
    [Description("Apply the byte-shuffle filter before deflate (better compression of numbers); ignored without deflate.")]
    public bool Shuffle { get; set; } = true;

    /// <summary>True when the objects are indexed by counts.</summary>
    internal bool UseCounts => Jagged == "counts";

    /// <inheritdoc />
    public override void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new ConfigValueException("path", "The output path is empty.");
        }
        if (string.IsNullOrWhiteSpace(EventGroup) || EventGroup.Trim('/').Length == 0 || EventGroup.Trim('/').Contains('/', StringComparison.Ordinal))
        {
            throw new ConfigValueException("event_group", $"'{EventGroup}' is not a group name (one name, no '/'), e.g. events.");
        }
        if (Jagged is not ("offsets" or "counts"))
        {
            throw new ConfigValueException("jagged", $"Unknown index '{Jagged}'{NameSuggestions.DidYouMean(Jagged, ["offsets", "counts"])}. Use offsets or counts.");
        }
        if (ChunkRows < 0)
        {
            throw new ConfigValueException("chunk_rows", $"The chunk size must be positive (or 0 for automatic), not {ChunkRows}.");
        }
        if (Deflate is not (0 or 1 or 6 or 9))
        {
            throw new ConfigValueException("deflate", $"The deflate level must be 0 (off), 1, 6 or 9, not {Deflate} (PureHDF writes only these levels).");
        }
        RequireDistinctNames("columns", Columns);
    }
}
