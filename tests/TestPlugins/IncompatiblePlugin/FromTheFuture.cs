using EnergyRegression.Data;
using EnergyRegression.Plugins;

namespace IncompatiblePlugin;

/// <summary>Does nothing; what matters is the Abstractions version it was compiled against.</summary>
[Plugin("from-the-future", Description = "Test plugin built against the next major version of EnergyRegression.Abstractions.")]
public sealed class FromTheFuture : IFeature
{
    public void Compute(EventBatch batch)
    {
    }
}
