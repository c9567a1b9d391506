using System.ComponentModel;
using EnergyRegression.Configuration;
using EnergyRegression.Data;

namespace EnergyRegression.Plugins.Json;

/// <summary>What the <c>json</c> reader does with a line it cannot read.</summary>
public enum JsonErrorAction
{
    /// <summary>Stop the run with an input error naming the file, line and column (<c>stop</c>).</summary>
    Stop,

    /// <summary>Skip the line, warn about it and go on (<c>skip</c>).</summary>
    Skip,
}

/// <summary>Config of the <c>json</c> reader (the <c>with:</c> section of <c>reader: {type: json}</c>).</summary>
public sealed class JsonLinesReaderConfig : PluginConfig
{
    /// <summary>Input files or glob patterns (<c>*</c>, <c>?</c>), read in the order given; each pattern's matches sorted.</summary>
    [Description("JSON Lines input files, read in order; glob patterns (* and ?) are expanded and sorted.")]
    [PathValue]
    public required string[] Files { get; set; }

    /// <summary>Element types by column name, overriding the inferred int64/float64/bool.</summary>
    [Description("Element type by column name (bool, int8..int64, uint8..uint64, float32, float64), overriding the types inferred from the first line.")]
    public Dictionary<string, string> Types { get; set; } = [];

    /// <summary>What to do with a malformed line.</summary>
    [Description("What to do with a malformed line: stop (input error) or skip (warn, count and go on).")]
    public JsonErrorAction OnError { get; set; } = JsonErrorAction.Stop;

    /// <inheritdoc />
    public override void Validate()
    {
        if (Files is null || Files.Length == 0)
        {
            throw new ConfigValueException("files", "Give at least one input file.");
        }
        foreach (string file in Files)
        {
            if (string.IsNullOrWhiteSpace(file))
            {
                throw new ConfigValueException("files", "A file name is empty.");
            }
        }
        foreach ((string column, string type) in Types)
        {
            if (!ScalarConvert.TypesByName.ContainsKey(type))
            {
                throw new ConfigValueException("types",
                    $"Column '{column}': unknown type '{type}'. Known types: {string.Join(", ", ScalarConvert.TypesByName.Keys)}.");
            }
        }
    }
}
