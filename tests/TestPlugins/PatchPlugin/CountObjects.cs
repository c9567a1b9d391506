using EnergyRegression.Data;
using EnergyRegression.Plugins;

namespace PatchPlugin;

/// <summary>Adds <c>nObjects</c>, the number of objects of a collection in each event: enough to show the plugin ran.</summary>
[Plugin("count-objects", Description = "Test plugin built against a newer patch version of EnergyRegression.Abstractions.")]
public sealed class CountObjects : IFeature
{
    public void Compute(EventBatch batch)
    {
        ObjectCollection electrons = batch.GetCollection("Electron");
        Span<int> counts = batch.AddEventColumn<int>("nObjects").Values;
        for (int e = 0; e < counts.Length; e++)
        {
            counts[e] = electrons.CountOf(e);
        }
    }
}
