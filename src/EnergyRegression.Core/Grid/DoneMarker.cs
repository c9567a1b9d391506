using System.Security.Cryptography;
using System.Text.Json;
using EnergyRegression.Core.Running;

namespace EnergyRegression.Core.Grid;

/// <summary>
/// The done marker of a shard, <c>NAME.done.json</c> next to its output: written last, after the output, its cut flow
/// and provenance are committed, so its presence means the shard finished. It holds the output's size and SHA-256:
/// a rerun of the shard is a no-op while the marker matches the output, and <c>energyreg merge</c> checks them.
/// </summary>
public sealed record DoneMarker
{
    /// <summary>The shard, <c>K/N</c>.</summary>
    public required string Shard { get; init; }

    /// <summary>The split the shard belongs to (<see cref="ShardSplit.ToString"/>).</summary>
    public required string Split { get; init; }

    /// <summary>First entry of the reader's stream in the shard.</summary>
    public required long EntryStart { get; init; }

    /// <summary>End (exclusive) of the shard's entries.</summary>
    public required long EntryStop { get; init; }

    /// <summary>Events the reader gave (fewer than the entries only when a reader skips malformed input).</summary>
    public required long EventsRead { get; init; }

    /// <summary>Events written to the output.</summary>
    public required long EventsWritten { get; init; }

    /// <summary>The output file.</summary>
    public required string Output { get; init; }

    /// <summary>Its size in bytes.</summary>
    public required long OutputBytes { get; init; }

    /// <summary>Lower-case hex SHA-256 of the output file.</summary>
    public required string OutputSha256 { get; init; }

    /// <summary>SHA-256 of the chain file the shard ran.</summary>
    public required string ChainSha256 { get; init; }

    /// <summary>The tool that wrote it.</summary>
    public required string ToolVersion { get; init; }

    /// <summary>When the shard finished (UTC).</summary>
    public required DateTimeOffset FinishedUtc { get; init; }

    /// <summary><c>out/calib.shard-0-of-4.root</c> → <c>out/calib.shard-0-of-4.done.json</c>.</summary>
    public static string PathFor(string outputPath) => ChainRunner.SidecarPath(outputPath, "done");

    /// <summary>The marker of <paramref name="outputPath"/>, or null when there is none or it cannot be read.</summary>
    public static DoneMarker? TryRead(string outputPath)
    {
        string path = PathFor(outputPath);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<DoneMarker>(File.ReadAllText(path), ChainRunner.SidecarJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Null when the output exists with this marker's size and checksum; otherwise why not.</summary>
    public string? Verify()
    {
        if (!File.Exists(Output))
        {
            return $"the output {Output} is missing";
        }
        long bytes = new FileInfo(Output).Length;
        if (bytes != OutputBytes)
        {
            return $"the output {Output} has {bytes} bytes, the done marker says {OutputBytes}";
        }
        string sha = Sha256Of(Output);
        return sha == OutputSha256 ? null : $"the output {Output} has SHA-256 {sha}, the done marker says {OutputSha256}";
    }

    /// <summary>Lower-case hex SHA-256 of a file.</summary>
    public static string Sha256Of(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
