using System.ComponentModel;
using EnergyRegression.Configuration;
using EnergyRegression.Plugins;

namespace MyPlugin;

/// <summary>
/// The keys of the <c>my-plugin</c> writer (its YAML <c>with:</c> section). Public settable properties are keys in
/// snake_case; <c>required</c> makes a key mandatory; <c>[Description]</c> is what <c>energyreg plugins my-plugin</c>,
/// <c>energyreg schema</c> and editors show.
/// </summary>
public sealed class MyPluginConfig : PluginConfig
{
    /// <summary>The CSV file written.</summary>
    [Description("The CSV file written (replaced if it exists).")]
    [PathValue]
    public required string Path { get; set; }

    /// <summary>The collection whose objects are the rows.</summary>
    [Description("The collection whose objects are the rows; events without objects write no row.")]
    public string Collection { get; set; } = "Electron";

    /// <summary>The columns written: numbers per object of the collection, or per event (repeated on each of its rows).</summary>
    [Description("The columns written: numbers per object of the collection (the field drops the '<collection>_' prefix) or per event, repeated on each of its rows. Default: every such column.")]
    public string[] Columns { get; set; } = [];

    /// <summary>Checks across keys after binding; the message is reported at the key's place in the chain file.</summary>
    public override void Validate() => RequireDistinctNames("columns", Columns);
}
