using System.ComponentModel;
using EnergyRegression.Configuration;
using EnergyRegression.Data;
using EnergyRegression.Plugins;
using ScaleTables;

namespace EnergyScale;

/// <summary>The keys of the <c>energy-scale</c> step (YAML <c>with:</c>).</summary>
public sealed class EnergyScaleConfig : PluginConfig
{
    [Description("Object column with the energy to scale.")]
    public string Input { get; set; } = "Electron_energy";

    [Description("Object column with η of the same objects.")]
    public string Eta { get; set; } = "Electron_eta";

    [Description("New object column for the scaled energy.")]
    public required string Output { get; set; }

    [Description("Increasing |η| bin edges.")]
    public double[] Edges { get; set; } = [0.0, 1.0, 1.4442, 1.566, 2.0, 2.5];

    [Description("Scale factor per |η| bin (one fewer than edges).")]
    public double[] Scales { get; set; } = [1.0, 1.0, 1.0, 1.0, 1.0];

    public override void Validate()
    {
        if (Scales.Length != Edges.Length - 1)
        {
            throw new ConfigValueException("scales", $"needs {Edges.Length - 1} factors for {Edges.Length} edges, has {Scales.Length}");
        }
    }
}

/// <summary>Applies residual energy-scale factors in |η| bins: <c>output = s(|η|) · input</c>.</summary>
[Plugin("energy-scale", Description = "Example plugin: residual energy scale in |eta| bins.")]
public sealed class EnergyScaleFeature(EnergyScaleConfig config) : IFeature
{
    private readonly EtaBinnedScale _table = new(config.Edges, config.Scales);

    public void Compute(EventBatch batch)
    {
        // Looked up by the config key that named them: a misspelled column is reported at that key (exit code 3).
        Column energy = batch.GetColumnNamedBy("input", config.Input);
        Column eta = batch.GetColumnNamedBy("eta", config.Eta);
        if (energy.Level != ColumnLevel.Object || eta.Collection != energy.Collection)
        {
            throw new ConfigValueException("eta", $"'{config.Eta}' and '{config.Input}' must be columns of the same collection");
        }
        Column<float> scaled = batch.AddObjectColumn<float>(energy.Collection!, config.Output);
        Span<float> output = scaled.Values;
        for (int i = 0; i < output.Length; i++)
        {
            output[i] = (float)(_table.ScaleAt(Math.Abs(eta.GetDouble(i))) * energy.GetDouble(i));
        }
    }
}
