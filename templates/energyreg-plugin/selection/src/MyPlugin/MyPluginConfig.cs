using System.ComponentModel;
using EnergyRegression.Configuration;
using EnergyRegression.Plugins;

namespace MyPlugin;

/// <summary>
/// The keys of the <c>my-plugin</c> step (its YAML <c>with:</c> section). Public settable properties are keys in
/// snake_case (<c>MinPt</c> is <c>min_pt</c>); <c>required</c> makes a key mandatory; <c>[Description]</c> is what
/// <c>energyreg plugins my-plugin</c>, <c>energyreg schema</c> and editors show.
/// </summary>
public sealed class MyPluginConfig : PluginConfig
{
    /// <summary>The object collection selected.</summary>
    [Description("The object collection selected.")]
    public string Collection { get; set; } = "Electron";

    /// <summary>The transverse-momentum column; default &lt;collection&gt;_pt.</summary>
    [Description("The transverse-momentum column (GeV); default <collection>_pt.")]
    public string? Pt { get; set; }

    /// <summary>The pseudorapidity column; default &lt;collection&gt;_eta.</summary>
    [Description("The pseudorapidity column; default <collection>_eta.")]
    public string? Eta { get; set; }

    /// <summary>Objects need a transverse momentum above this (GeV).</summary>
    [Description("Objects need a transverse momentum above this (GeV).")]
    public double MinPt { get; set; } = 25;

    /// <summary>Objects need |η| below this.</summary>
    [Description("Objects need |eta| below this.")]
    public double MaxEta { get; set; } = 2.5;

    /// <summary>Events need at least this many objects left; 0 keeps every event.</summary>
    [Description("Events need at least this many objects left; 0 keeps every event.")]
    public int MinObjects { get; set; } = 1;

    /// <summary>The p_T column.</summary>
    public string PtColumn => Pt ?? $"{Collection}_pt";

    /// <summary>The η column.</summary>
    public string EtaColumn => Eta ?? $"{Collection}_eta";

    /// <summary>Checks across keys after binding; the message is reported at the key's place in the chain file.</summary>
    public override void Validate()
    {
        if (!(MinPt >= 0) || double.IsInfinity(MinPt))
        {
            throw new ConfigValueException("min_pt", "must be a finite number of GeV, 0 or more");
        }
        if (!(MaxEta > 0))
        {
            throw new ConfigValueException("max_eta", "must be positive");
        }
        if (MinObjects < 0)
        {
            throw new ConfigValueException("min_objects", "must be 0 or more");
        }
    }
}
