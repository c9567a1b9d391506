namespace EnergyRegression.Running;

/// <summary>
/// Where an output came from, stored with every output: the chain's text and its SHA-256, the tool
/// version, the input files and the seed. Same config + same seed reproduces the same output.
/// </summary>
public sealed record Provenance
{
    /// <summary>Name and version of the tool that wrote the output.</summary>
    public required string ToolVersion { get; init; }

    /// <summary>The chain file as given on the command line.</summary>
    public required string ConfigPath { get; init; }

    /// <summary>The full text of the chain file.</summary>
    public required string ConfigText { get; init; }

    /// <summary>Lower-case hex SHA-256 of <see cref="ConfigText"/> (UTF-8).</summary>
    public required string ConfigSha256 { get; init; }

    /// <summary>The chain's seed.</summary>
    public required int Seed { get; init; }

    /// <summary>Input files read by the chain's reader.</summary>
    public required IReadOnlyList<string> InputFiles { get; init; }

    /// <summary>When the run started (UTC).</summary>
    public required DateTimeOffset StartedUtc { get; init; }

    /// <summary>The shard of the input this run processed, e.g. "3/10", or null for all of it.</summary>
    public string? Shard { get; init; }
}
