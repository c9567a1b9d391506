using System.ComponentModel;
using EnergyRegression.Configuration;
using EnergyRegression.Plugins;

namespace MyPlugin;

/// <summary>
/// The keys of the <c>my-plugin</c> step (its YAML <c>with:</c> section). Public settable properties are keys in
/// snake_case (<c>RawEnergy</c> is <c>raw_energy</c>); <c>[Description]</c> is what <c>energyreg plugins my-plugin</c>,
/// <c>energyreg schema</c> and editors show.
/// </summary>
public sealed class MyPluginConfig : PluginConfig
{
    /// <summary>The object collection calibrated.</summary>
    [Description("The object collection calibrated.")]
    public string Collection { get; set; } = "Electron";

    /// <summary>The raw energy column; default &lt;collection&gt;_energy.</summary>
    [Description("The raw energy column (GeV); default <collection>_energy.")]
    public string? RawEnergy { get; set; }

    /// <summary>The pseudorapidity column; default &lt;collection&gt;_eta.</summary>
    [Description("The pseudorapidity column; default <collection>_eta.")]
    public string? Eta { get; set; }

    /// <summary>The calibrated energy column written; default &lt;collection&gt;_energyCalib.</summary>
    [Description("The calibrated energy column written; default <collection>_energyCalib.")]
    public string? Output { get; set; }

    /// <summary>The response E_raw / E_true at η = 0.</summary>
    [Description("The response E_raw / E_true at eta = 0.")]
    public double Response { get; set; } = 0.97;

    /// <summary>How much the response falls per unit of |η|.</summary>
    [Description("How much the response falls per unit of |eta|.")]
    public double Slope { get; set; } = 0.02;

    /// <summary>The raw energy column.</summary>
    public string RawColumn => RawEnergy ?? $"{Collection}_energy";

    /// <summary>The η column.</summary>
    public string EtaColumn => Eta ?? $"{Collection}_eta";

    /// <summary>The output column.</summary>
    public string OutputColumn => Output ?? $"{Collection}_energyCalib";

    /// <summary>Checks across keys after binding; the message is reported at the key's place in the chain file.</summary>
    public override void Validate()
    {
        if (!(Response > 0) || double.IsInfinity(Response))
        {
            throw new ConfigValueException("response", "must be a positive, finite number");
        }
        // The response must stay positive over the whole detector (|eta| < 3).
        if (!(Response - 3 * Math.Abs(Slope) > 0))
        {
            throw new ConfigValueException("slope", $"makes the response {Response} - {Slope} * |eta| reach 0 within |eta| < 3");
        }
    }
}
