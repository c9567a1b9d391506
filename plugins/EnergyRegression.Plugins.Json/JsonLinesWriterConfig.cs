using System.ComponentModel;
using EnergyRegression.Configuration;

namespace EnergyRegression.Plugins.Json;

/// <summary>Config of the <c>json</c> writer (the <c>with:</c> section of <c>writer: {type: json}</c>).</summary>
public sealed class JsonLinesWriterConfig : PluginConfig
{
    /// <summary>The output file; its directory is created if needed.</summary>
    [Description("Output JSON Lines file (one event per line); written as <path>.partial and renamed when the run succeeds.")]
    [PathValue]
    public required string Path { get; set; }

    /// <summary>The columns to write (all when unset); collection counts are added automatically.</summary>
    [Description("Columns to write (default: all). Collection counts (nElectron) are written automatically before a collection's first column.")]
    public string[]? Columns { get; set; }

    /// <inheritdoc />
    public override void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new ConfigValueException("path", "The output path is empty.");
        }
        RequireDistinctNames("columns", Columns);
    }
}
