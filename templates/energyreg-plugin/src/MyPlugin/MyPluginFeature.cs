using EnergyRegression.Data;
using EnergyRegression.Plugins;

namespace MyPlugin;

/// <summary>
/// A feature: adds <c>output = factor · input</c> for every object of the collection. Features run concurrently on
/// different batches, so nothing about a batch is kept in fields.
/// </summary>
[Plugin("my-plugin", Description = "Scales an energy column of a collection by a constant factor.")]
public sealed class MyPluginFeature(MyPluginConfig config) : IFeature
{
    /// <inheritdoc />
    public void Compute(EventBatch batch)
    {
        Column input = batch.GetColumn(config.InputColumn);
        if (input.Level != ColumnLevel.Object || input.Collection != config.Collection)
        {
            throw new ConfigValueException("input_energy", $"'{config.InputColumn}' is not an object column of '{config.Collection}'");
        }
        Column<float> output = batch.AddObjectColumn<float>(config.Collection, config.Output);
        Span<float> values = output.Values;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(config.Factor * input.GetDouble(i));
        }
    }
}
