using System.ComponentModel;
using EnergyRegression.Configuration;
using EnergyRegression.Plugins;

namespace MyPlugin;

/// <summary>
/// The keys of the <c>my-plugin</c> reader (its YAML <c>with:</c> section). Public settable properties are keys in
/// snake_case (<c>EventColumn</c> is <c>event_column</c>); <c>required</c> makes a key mandatory; <c>[Description]</c>
/// is what <c>energyreg plugins my-plugin</c>, <c>energyreg schema</c> and editors show.
/// </summary>
public sealed class MyPluginConfig : PluginConfig
{
    /// <summary>The CSV files, in order; <c>*</c> and <c>?</c> patterns allowed.</summary>
    [Description("The CSV files, read in order; * and ? patterns allowed (data/run*.csv).")]
    [PathValue]
    public required string[] Files { get; set; }

    /// <summary>The collection the rows are objects of: a field <c>energy</c> becomes the column <c>Electron_energy</c>.</summary>
    [Description("The collection the rows are objects of: a field 'energy' becomes the column <collection>_energy.")]
    public string Collection { get; set; } = "Electron";

    /// <summary>The field numbering events: consecutive rows with the same number are the objects of one event.</summary>
    [Description("The field numbering events: consecutive rows with the same number are the objects of one event (an event column of that name).")]
    public string EventColumn { get; set; } = "event";

    /// <summary>Input entries (events) to read, <c>START:STOP</c> across all files.</summary>
    [Description("Input entries (events) to read, START:STOP across all files (\"0:1000\", \"500:\"); default all.")]
    public string? Entries { get; set; }

    /// <summary>The entry range.</summary>
    public EntryRange Range => EntryRange.Parse(Entries);

    /// <summary>Checks across keys after binding; the message is reported at the key's place in the chain file.</summary>
    public override void Validate()
    {
        RequireDistinctNames("files", Files, "file");
        if (Files.Length == 0)
        {
            throw new ConfigValueException("files", "needs at least one file");
        }
        if (string.IsNullOrWhiteSpace(Collection))
        {
            throw new ConfigValueException("collection", "must name a collection");
        }
        _ = Range; // a malformed range is reported at 'entries'
    }
}
