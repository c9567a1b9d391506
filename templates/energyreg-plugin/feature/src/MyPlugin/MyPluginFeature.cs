using EnergyRegression.Data;
using EnergyRegression.Plugins;

namespace MyPlugin;

/// <summary>
/// A feature: adds <c>output = factor · input</c> for every object of the collection. Features run concurrently on
/// different batches, so nothing about a batch is kept in fields; every batch gets the column, even one without events.
/// </summary>
[Plugin("my-plugin", Description = "Scales an energy column of a collection by a constant factor.")]
public sealed class MyPluginFeature(MyPluginConfig config) : IFeature
{
    /// <inheritdoc />
    public void Compute(EventBatch batch)
    {
        // Looked up by the config key that named it: a missing column is reported at that key of the chain file.
        Column input = batch.GetColumnNamedBy("input_energy", config.InputColumn);
        if (input.Level != ColumnLevel.Object || input.Collection != config.Collection || input.RowSize != 1)
        {
            throw new ConfigValueException("input_energy", $"'{config.InputColumn}' is not a number per object of '{config.Collection}'");
        }
        if (batch.HasColumn(config.Output))
        {
            throw new ConfigValueException("output", $"column '{config.Output}' already exists");
        }
        Column<float> output = batch.AddObjectColumn<float>(config.Collection, config.Output);
        Span<float> values = output.Values;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(config.Factor * input.GetDouble(i));
        }
    }
}
