using System.ComponentModel;
using EnergyRegression.Configuration;
using EnergyRegression.Root;

namespace EnergyRegression.Plugins.Root;

/// <summary>Config of the <c>root</c> writer (the <c>with:</c> section of <c>writer: {type: root}</c>).</summary>
public sealed class RootWriterConfig : PluginConfig
{
    /// <summary>The output file; its directory is created if needed.</summary>
    [Description("Output ROOT file; written as <path>.partial and renamed when the run succeeds.")]
    [PathValue]
    public required string Path { get; set; }

    /// <summary>The name of the tree (or RNTuple) written.</summary>
    [Description("Name of the TTree (or RNTuple) to write.")]
    public string Tree { get; set; } = "Events";

    /// <summary>ttree or rntuple.</summary>
    [Description("What to write: ttree (ROOT's TTree, readable by every ROOT) or rntuple (ROOT's RNTuple, binary format 1.0: ROOT >= 6.34, uproot, JSROOT).")]
    public string Format { get; set; } = "ttree";

    /// <summary>RNTuple: compressed bytes per cluster.</summary>
    [Description("format: rntuple: compressed bytes after which a cluster ends (ROOT's default 128 MiB).")]
    public long ClusterSize { get; set; } = 128L << 20;

    /// <summary>RNTuple: uncompressed bytes per page at most.</summary>
    [Description("format: rntuple: uncompressed bytes of a page at most (ROOT's default 1 MiB).")]
    public int PageSize { get; set; } = 1 << 20;

    internal bool IsNtuple => Format.Equals("rntuple", StringComparison.OrdinalIgnoreCase);

    /// <summary>The columns to write (all when unset); each collection's counter nX is written before its first column.</summary>
    [Description("Columns to write (default: all). A collection's counter branch nX (NanoAOD style) is written with its first column.")]
    public string[]? Columns { get; set; }

    /// <summary>Write a friend tree: every input entry in order, checked, so that AddFriend / uproot can join it.</summary>
    [Description("Friend-tree mode: the output must hold every input entry in the input's order (no event selection, reading from entry 0), so that ROOT's AddFriend and uproot can join it by entry number; the run fails otherwise.")]
    public bool Friend { get; set; }

    /// <summary>Branches (names or globs) of the input tree copied into the output without decompressing their baskets.</summary>
    [Description("Branches of the input ROOT tree (names or globs, e.g. \"*\" or \"Electron_*\") copied into the output as they are stored, without decompressing their baskets; the chain's new columns are written next to them. Needs every input entry in order (as friend: true) and a root reader.")]
    public string[] CopyInput { get; set; } = [];

    /// <summary>The input tree to copy from (default: <see cref="Tree"/>).</summary>
    [Description("The input tree the copy_input branches come from (default: the value of tree).")]
    public string? InputTree { get; set; }

    /// <summary>none, zlib, lzma, lz4 or zstd.</summary>
    [Description("Compression: none, zlib (readable by every ROOT), lzma, lz4 or zstd (ROOT >= 6.20).")]
    public string Compression { get; set; } = "zlib";

    /// <summary>Compression level 1–9.</summary>
    [Description("Compression level, 1 (fast) to 9 (small).")]
    public int Level { get; set; } = 4;

    /// <summary>Bytes of uncompressed data after which a branch closes its basket (all branches close together every 30 MB, a cluster).</summary>
    [Description("Basket size in bytes: a branch holding this much uncompressed data closes its basket; every 30 MB all branches close theirs at one entry (a cluster).")]
    public int BasketSize { get; set; } = 32000;

    internal RootCompression Algorithm => Compression.ToLowerInvariant() switch
    {
        "none" => RootCompression.None,
        "zlib" => RootCompression.Zlib,
        "lzma" => RootCompression.Lzma,
        "lz4" => RootCompression.Lz4,
        "zstd" => RootCompression.Zstd,
        _ => throw new ConfigValueException("compression", $"Unknown compression '{Compression}'{NameSuggestions.DidYouMean(Compression, ["none", "zlib", "lzma", "lz4", "zstd"])}. Use none, zlib, lzma, lz4 or zstd."),
    };

    /// <inheritdoc />
    public override void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new ConfigValueException("path", "The output path is empty.");
        }
        if (string.IsNullOrWhiteSpace(Tree) || Tree.Contains('/', StringComparison.Ordinal) || Tree.Contains(';', StringComparison.Ordinal))
        {
            throw new ConfigValueException("tree", $"'{Tree}' is not a valid tree name (no '/' or ';').");
        }
        _ = Algorithm;
        if (Level is < 1 or > 9)
        {
            throw new ConfigValueException("level", $"The compression level must be 1 to 9, not {Level}.");
        }
        if (BasketSize is < 512 or > 1 << 30)
        {
            throw new ConfigValueException("basket_size", $"The basket size must be 512 bytes to 1 GiB, not {BasketSize}.");
        }
        RequireDistinctNames("columns", Columns);
        RequireDistinctNames("copy_input", CopyInput, "branch");
        if (!IsNtuple && !Format.Equals("ttree", StringComparison.OrdinalIgnoreCase))
        {
            throw new ConfigValueException("format", $"Unknown format '{Format}'{NameSuggestions.DidYouMean(Format, ["ttree", "rntuple"])}. Use ttree or rntuple.");
        }
        if (IsNtuple && CopyInput.Length > 0)
        {
            throw new ConfigValueException("copy_input", "copy_input copies TTree baskets as they are stored; with format: rntuple read the branches and write them instead.");
        }
        if (ClusterSize < 1024)
        {
            throw new ConfigValueException("cluster_size", $"The cluster size must be at least 1024 bytes, not {ClusterSize}.");
        }
        if (PageSize is < 64 or > 1 << 28)
        {
            throw new ConfigValueException("page_size", $"The page size must be 64 bytes to 256 MiB, not {PageSize}.");
        }
    }
}
