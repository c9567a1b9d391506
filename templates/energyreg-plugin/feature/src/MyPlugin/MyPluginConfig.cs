using System.ComponentModel;
using EnergyRegression.Configuration;
using EnergyRegression.Plugins;

namespace MyPlugin;

/// <summary>
/// The keys of the <c>my-plugin</c> step (its YAML <c>with:</c> section). Public settable properties are keys in
/// snake_case (<c>InputEnergy</c> is <c>input_energy</c>); <c>required</c> makes a key mandatory; <c>[Description]</c>
/// is what <c>energyreg plugins my-plugin</c>, <c>energyreg schema</c> and editors show.
/// </summary>
public sealed class MyPluginConfig : PluginConfig
{
    /// <summary>The object collection whose energies are scaled.</summary>
    [Description("The object collection whose energies are scaled.")]
    public string Collection { get; set; } = "Electron";

    /// <summary>The energy column read; default &lt;collection&gt;_energy.</summary>
    [Description("The energy column read; default <collection>_energy.")]
    public string? InputEnergy { get; set; }

    /// <summary>The new column written.</summary>
    [Description("The new column written (an object column of the collection).")]
    public required string Output { get; set; }

    /// <summary>The factor applied to every energy.</summary>
    [Description("The factor applied to every energy; must be positive.")]
    public double Factor { get; set; } = 1.0;

    /// <summary>The energy column read.</summary>
    public string InputColumn => InputEnergy ?? $"{Collection}_energy";

    /// <summary>Checks across keys after binding; the message is reported at the key's place in the chain file.</summary>
    public override void Validate()
    {
        if (!(Factor > 0) || double.IsInfinity(Factor))
        {
            throw new ConfigValueException("factor", "must be a positive, finite number");
        }
    }
}
