using EnergyRegression.Data;
using EnergyRegression.Plugins;

namespace ClashingPlugin;

/// <summary>Keeps everything; what matters is its name, the same as examples/EnergyScalePlugin's feature.</summary>
[Plugin("energy-scale", Description = "Test plugin: a selection with the name of the example feature.")]
public sealed class EnergyScaleSelection : ISelection
{
    public void Select(EventBatch batch, SelectionMask mask)
    {
    }
}
