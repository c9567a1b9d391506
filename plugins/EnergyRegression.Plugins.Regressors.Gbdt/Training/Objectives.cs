using EnergyRegression.Physics;

namespace EnergyRegression.Plugins.Regressors.Gbdt.Training;

/// <summary>
/// What the trees minimise, as boosting needs it: the starting score, the gradient and hessian of the loss with respect
/// to each object's score (Newton boosting: a leaf's value is −Σg / Σh over its objects, times the learning rate) and
/// the mean loss (validation, early stopping, learning curves). The target of object i is <c>data.Target[i]</c>.
/// </summary>
internal interface IObjective
{
    /// <summary>Name for logs and the model card.</summary>
    string Name { get; }

    /// <summary>The score every object starts from.</summary>
    double InitialScore(RegionData data);

    /// <summary>Gradients and hessians of every object's loss at the current <paramref name="scores"/>.</summary>
    void Gradients(ReadOnlySpan<double> scores, RegionData data, Span<float> gradients, Span<float> hessians);

    /// <summary>The mean loss of <paramref name="scores"/> (NaN without objects).</summary>
    double MeanLoss(ReadOnlySpan<double> scores, RegionData data);
}

/// <summary>
/// Weighted squared error, Σ w (ŷ − y)² / Σ w: the loss LightGBM and FastTree minimise through ML.NET (with
/// <c>loss: relative</c> w = 1/y², each term ((E_pred − E_true)/E_true)²).
/// </summary>
internal sealed class SquaredError : IObjective
{
    public static readonly SquaredError Instance = new();

    public string Name => "squared error";

    public double InitialScore(RegionData data)
    {
        double sum = 0, weights = 0;
        for (int i = 0; i < data.Rows; i++)
        {
            sum += data.Weight[i] * data.Target[i];
            weights += data.Weight[i];
        }
        return weights > 0 ? sum / weights : 0;
    }

    public void Gradients(ReadOnlySpan<double> scores, RegionData data, Span<float> gradients, Span<float> hessians)
    {
        for (int i = 0; i < data.Rows; i++)
        {
            gradients[i] = (float)(data.Weight[i] * (scores[i] - data.Target[i]));
            hessians[i] = data.Weight[i];
        }
    }

    public double MeanLoss(ReadOnlySpan<double> scores, RegionData data)
    {
        double loss = 0, weights = 0;
        for (int i = 0; i < data.Rows; i++)
        {
            double diff = scores[i] - data.Target[i];
            loss += data.Weight[i] * diff * diff;
            weights += data.Weight[i];
        }
        return weights > 0 ? loss / weights : double.NaN;
    }
}

/// <summary>
/// The Huber loss of the relative error r = ŷ/y − 1 = E_pred/E_true − 1 (target y = E_true/E_raw or E_true): r²/2 for
/// |r| ≤ δ, δ(|r| − δ/2) beyond (P. J. Huber, Ann. Math. Statist. 35 (1964) 73). Quadratic in the core like the
/// relative squared error of the seeds (PHYSICS.md, seed 2), linear in the tails, so the objects whose raw energy
/// lost a large, unpredictable part (brem outside the supercluster, cracks) pull the correction of the core less: the
/// calibrated peak is not widened to chase them. Gradient ψ(r)/y with ψ(r) = clamp(r, −δ, δ); the hessian is the
/// core's 1/y² everywhere (a positive curvature keeps Newton's steps bounded where the true one is 0), which makes each
/// leaf a step of iteratively reweighted least squares towards the Huber M-estimate.
/// </summary>
internal sealed class RelativeHuber(double delta) : IObjective
{
    public double Delta { get; } = delta > 0 ? delta : throw new ArgumentOutOfRangeException(nameof(delta));

    public string Name => $"Huber of the relative error (δ = {Delta})";

    /// <summary>The median target: the Huber estimate's usual start.</summary>
    public double InitialScore(RegionData data)
    {
        double[] y = new double[data.Rows];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = data.Target[i];
        }
        return y.Length > 0 ? Resolution.Median(y) : 1;
    }

    public void Gradients(ReadOnlySpan<double> scores, RegionData data, Span<float> gradients, Span<float> hessians)
    {
        for (int i = 0; i < data.Rows; i++)
        {
            double y = data.Target[i];
            double r = scores[i] / y - 1;
            gradients[i] = (float)(Math.Clamp(r, -Delta, Delta) / y);
            hessians[i] = (float)(1 / (y * y));
        }
    }

    public double MeanLoss(ReadOnlySpan<double> scores, RegionData data)
    {
        double loss = 0;
        for (int i = 0; i < data.Rows; i++)
        {
            double r = Math.Abs(scores[i] / data.Target[i] - 1);
            loss += r <= Delta ? r * r / 2 : Delta * (r - Delta / 2);
        }
        return data.Rows > 0 ? loss / data.Rows : double.NaN;
    }
}

/// <summary>
/// The Gaussian negative log-likelihood of residuals r (the target) with a per-object width σ = e^s, s the score:
/// s + r²/(2e^(2s)) (constants dropped). Gradient 1 − r²e^(−2s); hessian its expectation under the model, 2 (Fisher
/// scoring: the observed 2r²e^(−2s) vanishes for r ≈ 0 and would make leaf values explode). The scores learn ln σ of
/// the relative error of the calibrated energy object by object: the per-object uncertainty.
/// </summary>
internal sealed class GaussianLogWidth : IObjective
{
    public static readonly GaussianLogWidth Instance = new();

    public string Name => "Gaussian likelihood of the residuals (per-object width)";

    /// <summary>ln of the root mean square residual.</summary>
    public double InitialScore(RegionData data)
    {
        double sum = 0;
        for (int i = 0; i < data.Rows; i++)
        {
            sum += (double)data.Target[i] * data.Target[i];
        }
        return data.Rows > 0 ? 0.5 * Math.Log(Math.Max(sum / data.Rows, 1e-12)) : 0;
    }

    public void Gradients(ReadOnlySpan<double> scores, RegionData data, Span<float> gradients, Span<float> hessians)
    {
        for (int i = 0; i < data.Rows; i++)
        {
            double r = data.Target[i];
            gradients[i] = (float)(1 - r * r * Math.Exp(-2 * scores[i]));
            hessians[i] = 2;
        }
    }

    public double MeanLoss(ReadOnlySpan<double> scores, RegionData data)
    {
        double loss = 0;
        for (int i = 0; i < data.Rows; i++)
        {
            double r = data.Target[i];
            loss += scores[i] + r * r * Math.Exp(-2 * scores[i]) / 2;
        }
        return data.Rows > 0 ? loss / data.Rows : double.NaN;
    }
}
