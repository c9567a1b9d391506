using EnergyRegression.Data;
using EnergyRegression.Plugins;

namespace MyPlugin;

/// <summary>
/// A regressor: predicts each object's calibrated energy from a fixed response model, E = E_raw / (response − slope · |η|),
/// the loss of containment growing with |η|. A regressor adds prediction columns; it runs concurrently on different
/// batches, so nothing about a batch is kept in fields, and every batch gets the column, even one without events.
/// (A regressor that learns its numbers is a trainable regressor: <c>dotnet new energyreg-plugin --kind trainable-regressor</c>.)
/// </summary>
[Plugin("my-plugin", Description = "Calibrates energies with a response model falling linearly in |eta|.")]
public sealed class MyPluginRegressor(MyPluginConfig config) : IRegressor
{
    /// <inheritdoc />
    public void Predict(EventBatch batch)
    {
        // Looked up by the config keys that named them: a missing column is reported at that key of the chain file.
        Column raw = batch.GetColumnNamedBy("raw_energy", config.RawColumn);
        Column eta = batch.GetColumnNamedBy("eta", config.EtaColumn);
        foreach ((string key, Column column) in new[] { ("raw_energy", raw), ("eta", eta) })
        {
            if (column.Collection != config.Collection || column.RowSize != 1)
            {
                throw new ConfigValueException(key, $"'{column.Name}' is not a number per object of '{config.Collection}'");
            }
        }
        Span<float> calibrated = batch.AddObjectColumn<float>(config.Collection, config.OutputColumn).Values;
        for (int i = 0; i < calibrated.Length; i++)
        {
            double response = config.Response - config.Slope * Math.Abs(eta.GetDouble(i));
            calibrated[i] = (float)(raw.GetDouble(i) / response);
        }
    }
}
