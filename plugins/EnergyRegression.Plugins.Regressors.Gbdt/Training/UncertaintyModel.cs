using EnergyRegression.Physics;
using EnergyRegression.Plugins.Regressors.Gbdt.Trees;

namespace EnergyRegression.Plugins.Regressors.Gbdt.Training;

/// <summary>
/// A region's per-object energy uncertainty: trees whose sum s is ln σ of the relative error r = E_pred/E_true − 1
/// (<see cref="GaussianLogWidth"/>), trained on the residuals of the region's energy trees, and a scale fixed on the
/// validation objects so that the pulls (E_pred − E_true) / σ_E, σ_E = σ · E_pred, have σ_eff = 1 (half the smallest
/// interval holding 68.3% of them: the core, as the resolution is quoted, not the tails). Like CMS's semi-parametric
/// regression's per-object σ (PHYSICS.md), but as a second model rather than a joint likelihood.
/// </summary>
internal sealed class UncertaintyModel(CompleteTreeEnsemble trees, double scale)
{
    /// <summary>Residuals beyond this many σ_eff are clipped before fitting: the Gaussian likelihood would otherwise let the far tails set σ.</summary>
    public const double Winsorize = 5;

    /// <summary>The trees: their sum is ln σ (before <see cref="Scale"/>).</summary>
    public CompleteTreeEnsemble Trees { get; } = trees;

    /// <summary>The calibration factor applied to e^s.</summary>
    public double Scale { get; } = scale;

    /// <summary>The relative uncertainty σ of each of <paramref name="rows"/> objects.</summary>
    public float[] Predict(ReadOnlySpan<float> features, int rows)
    {
        float[] s = new float[rows];
        EnsembleEvaluator.Predict(Trees, features, s);
        for (int i = 0; i < rows; i++)
        {
            s[i] = (float)(Scale * Math.Exp(s[i]));
        }
        return s;
    }

    /// <summary>Fits the uncertainty of <paramref name="energy"/>'s predictions and calibrates it on the validation objects (the training ones when there are none).</summary>
    public static UncertaintyModel Train(CompleteTreeEnsemble energy, RegionData training, RegionData validation, Hyperparameters h, int earlyStopping,
        GbdtTarget target, NativeBoosting native, CancellationToken cancellation)
    {
        RegionData trainResiduals = Residuals(energy, training, null);
        RegionData validResiduals = Residuals(energy, validation, null);
        double clip = Winsorize * Math.Max(Resolution.SigmaEff(Values(trainResiduals)), 1e-6);
        RegionData clipped = Residuals(energy, training, clip);
        TrainedTrees width = native.Train(clipped, validResiduals, h with { Trees = Math.Min(h.Trees, 300) }, earlyStopping,
            GaussianLogWidth.Instance, cancellation);
        var unscaled = new UncertaintyModel(width.Ensemble, 1);
        RegionData calibration = validation.Rows > 0 ? validation : training;
        double pullWidth = unscaled.PullWidth(energy, calibration, target);
        return new UncertaintyModel(width.Ensemble, double.IsFinite(pullWidth) && pullWidth > 0 ? pullWidth : 1);
    }

    /// <summary>σ_eff of the pulls (E_pred − E_true) / (σ · E_pred) of <paramref name="data"/> (NaN without objects).</summary>
    public double PullWidth(CompleteTreeEnsemble energy, RegionData data, GbdtTarget target)
    {
        if (data.Rows == 0)
        {
            return double.NaN;
        }
        float[] y = new float[data.Rows];
        EnsembleEvaluator.Predict(energy, data.Features, y);
        float[] sigma = Predict(data.Features, data.Rows);
        double[] pulls = new double[data.Rows];
        for (int i = 0; i < data.Rows; i++)
        {
            double predicted = target == GbdtTarget.Ratio ? y[i] * data.RawEnergy[i] : y[i];
            pulls[i] = (predicted - data.TrueEnergy[i]) / (sigma[i] * predicted);
        }
        return Resolution.SigmaEff(pulls);
    }

    /// <summary>The objects of <paramref name="data"/> with the relative error of <paramref name="energy"/>'s prediction as target (clipped at ±<paramref name="clip"/>).</summary>
    private static RegionData Residuals(CompleteTreeEnsemble energy, RegionData data, double? clip)
    {
        var residuals = new RegionData(data.Width);
        if (data.Rows == 0)
        {
            return residuals;
        }
        float[] y = new float[data.Rows];
        EnsembleEvaluator.Predict(energy, data.Features, y);
        for (int i = 0; i < data.Rows; i++)
        {
            double r = y[i] / data.Target[i] - 1;
            if (clip is double c)
            {
                r = Math.Clamp(r, -c, c);
            }
            residuals.Add(data.Features.Slice(i * data.Width, data.Width), (float)r, 1, data.RawEnergy[i], data.TrueEnergy[i]);
        }
        return residuals;
    }

    private static double[] Values(RegionData data)
    {
        double[] values = new double[data.Rows];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = data.Target[i];
        }
        return values;
    }
}
