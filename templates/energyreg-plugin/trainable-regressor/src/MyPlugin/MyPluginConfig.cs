using System.ComponentModel;
using EnergyRegression.Configuration;
using EnergyRegression.Plugins;

namespace MyPlugin;

/// <summary>
/// The keys of the <c>my-plugin</c> step (its YAML <c>with:</c> section). Public settable properties are keys in
/// snake_case (<c>LearningRate</c> is <c>learning_rate</c>); <c>required</c> makes a key mandatory; <c>[Description]</c>
/// is what <c>energyreg plugins my-plugin</c>, <c>energyreg schema</c> and editors show.
/// </summary>
public sealed class MyPluginConfig : PluginConfig
{
    /// <summary>The model archive: written by <c>energyreg train</c>, read to apply.</summary>
    [Description("The model archive: written by `energyreg train`, read to apply.")]
    [PathValue]
    public required string Model { get; set; }

    /// <summary>The object collection calibrated.</summary>
    [Description("The object collection calibrated.")]
    public string Collection { get; set; } = "Electron";

    /// <summary>The columns the model reads (numbers per object, or per event).</summary>
    [Description("The columns the model reads: numbers per object of the collection, or per event (rho).")]
    public required string[] Inputs { get; set; }

    /// <summary>The raw energy column; default &lt;collection&gt;_energy.</summary>
    [Description("The raw energy column (GeV); default <collection>_energy.")]
    public string? RawEnergy { get; set; }

    /// <summary>The true energy column, read when training; default &lt;collection&gt;_genEnergy.</summary>
    [Description("The true energy column, read when training; default <collection>_genEnergy.")]
    public string? TrueEnergy { get; set; }

    /// <summary>The calibrated energy column written; default &lt;collection&gt;_energyCalib.</summary>
    [Description("The calibrated energy column written; default <collection>_energyCalib.")]
    public string? Output { get; set; }

    /// <summary>Passes of gradient descent over the training objects.</summary>
    [Description("Passes of gradient descent over the training objects.")]
    public int Epochs { get; set; } = 200;

    /// <summary>The gradient-descent step (the inputs are standardised, so about 0.1 to 1).</summary>
    [Description("The gradient-descent step (the inputs are standardised, so about 0.1 to 1).")]
    public double LearningRate { get; set; } = 0.5;

    /// <summary>The raw energy column.</summary>
    public string RawColumn => RawEnergy ?? $"{Collection}_energy";

    /// <summary>The true energy column.</summary>
    public string TrueColumn => TrueEnergy ?? $"{Collection}_genEnergy";

    /// <summary>The output column.</summary>
    public string OutputColumn => Output ?? $"{Collection}_energyCalib";

    /// <summary>Checks across keys after binding; the message is reported at the key's place in the chain file.</summary>
    public override void Validate()
    {
        RequireDistinctNames("inputs", Inputs);
        if (Inputs.Length == 0)
        {
            throw new ConfigValueException("inputs", "needs at least one column");
        }
        if (Epochs < 1)
        {
            throw new ConfigValueException("epochs", "must be 1 or more");
        }
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
        {
            throw new ConfigValueException("learning_rate", "must be a positive, finite number");
        }
    }
}
