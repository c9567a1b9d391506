using EnergyRegression.Data;

namespace EnergyRegression.Plugins;

/// <summary>
/// How a stage processes a batch, as the event loop runs it: a selection fills a fresh mask that is then applied, a feature
/// computes, a regressor predicts. One source file compiled into the host (EnergyRegression.Core) and into
/// EnergyRegression.Testing, so the test harness runs stages exactly as energyreg does.
/// </summary>
internal static class Stages
{
    /// <summary>Runs <paramref name="stage"/> on <paramref name="batch"/>; returns the cuts a selection reported, else null.</summary>
    public static IReadOnlyList<CutCount>? Process(object stage, EventBatch batch)
    {
        switch (stage)
        {
            case ISelection selection:
                var mask = new SelectionMask(batch);
                selection.Select(batch, mask);
                mask.ApplyTo(batch);
                return mask.Cuts;
            case IFeature feature:
                feature.Compute(batch);
                return null;
            case IRegressor regressor:
                regressor.Predict(batch);
                return null;
            default:
                throw new InvalidOperationException($"{stage.GetType().FullName} is not a stage: it implements none of ISelection, IFeature, IRegressor.");
        }
    }
}
