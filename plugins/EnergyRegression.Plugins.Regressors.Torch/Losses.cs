using static TorchSharp.torch;

namespace EnergyRegression.Plugins.Regressors.Torch;

/// <summary>
/// The training losses (docs/neural-regressors.md, "Losses"), per object: the network's raw outputs [N, K] and the
/// targets y [N] give a loss [N]; the trainer takes a weighted sum. The mapping of raw outputs to (μ, σ, α, n)
/// with their constrained ranges is the same in training and in prediction.
/// </summary>
internal sealed record LossSpec
{
    public required LossKind Kind { get; init; }
    public double[]? Range { get; init; }
    public double SigmaCoefficient { get; init; } = 0.31;
    public double SigmaMin { get; init; } = 1e-3;
    public double[] AlphaRange { get; init; } = [0.5, 5];
    public double[] NRange { get; init; } = [1.1, 20];

    /// <summary>Network outputs the loss needs per object.</summary>
    public int Outputs => Kind switch
    {
        LossKind.GaussianNll => 2,
        LossKind.CrystalBall => 6,
        _ => 1,
    };

    /// <summary>Whether the network predicts a per-object σ.</summary>
    public bool HasSigma => Kind is LossKind.GaussianNll or LossKind.CrystalBall;

    public static LossSpec From(LossConfig config) => new()
    {
        Kind = config.Kind,
        Range = config.Range,
        SigmaCoefficient = config.SigmaCoefficient,
        SigmaMin = config.SigmaMin,
        AlphaRange = config.AlphaRange,
        NRange = config.NRange,
    };
}

/// <summary>Double-sided Crystal Ball parameters per object, each [N].</summary>
internal sealed record CrystalBallParameters(Tensor Mu, Tensor Sigma, Tensor Alpha1, Tensor N1, Tensor Alpha2, Tensor N2);

internal static class Losses
{
    private static readonly double Sqrt2 = Math.Sqrt(2);

    /// <summary>The loss of every object: <paramref name="output"/> [N, K] raw network outputs, <paramref name="y"/> [N] targets.</summary>
    public static Tensor PerObject(LossSpec spec, Tensor output, Tensor y)
    {
        using var scope = NewDisposeScope();
        Tensor mu = output.select(1, 0);
        Tensor loss = spec.Kind switch
        {
            LossKind.Mse => (mu - y).square(),
            LossKind.Relative => (mu / y - 1).square(),
            LossKind.GaussianNll => GaussianNll(mu, Sigma(spec, output.select(1, 1)), y),
            LossKind.TruncatedGaussian => TruncatedGaussian(mu, y, spec.Range![0], spec.Range[1], spec.SigmaCoefficient),
            LossKind.CrystalBall => CrystalBallNll(CrystalBall(spec, output), y),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "unknown loss"),
        };
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>The prediction μ [N] and, for likelihood losses with a width, σ [N].</summary>
    public static (Tensor Mu, Tensor? Sigma) Predict(LossSpec spec, Tensor output)
    {
        Tensor mu = output.select(1, 0).clone();
        Tensor? sigma = spec.Kind switch
        {
            LossKind.GaussianNll => Sigma(spec, output.select(1, 1)),
            LossKind.CrystalBall => Sigma(spec, output.select(1, 1)),
            _ => null,
        };
        return (mu, sigma);
    }

    /// <summary>σ = σ_min + softplus(raw): positive, smooth, ≈ raw for large raw.</summary>
    public static Tensor Sigma(LossSpec spec, Tensor raw) => nn.functional.softplus(raw) + spec.SigmaMin;

    /// <summary>Gaussian negative log-likelihood: ½((y − μ)/σ)² + ln σ + ½ ln 2π.</summary>
    public static Tensor GaussianNll(Tensor mu, Tensor sigma, Tensor y)
    {
        using var scope = NewDisposeScope();
        Tensor z = (y - mu) / sigma;
        return (z.square() * 0.5 + sigma.log() + 0.5 * Math.Log(2 * Math.PI)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The likelihood of a Gaussian of mean ŷ truncated to [a, b], with σ = c·√y (the sampling-calorimeter study,
    /// ../shared/PHYSICS.md, seed 4): <c>(y − ŷ)²/σ² + ln((πσ²/2)·(erf((ŷ − a)/(√2σ)) − erf((ŷ − b)/(√2σ)))²)</c>,
    /// which is −2 ln of the truncated density. The second term stops the fit from pulling ŷ inwards at the edges
    /// of the range (the kink MSE produces). The erf difference is floored at 1e-30 far outside the range.
    /// </summary>
    public static Tensor TruncatedGaussian(Tensor yHat, Tensor y, double a, double b, double c)
    {
        using var scope = NewDisposeScope();
        Tensor sigma = y.clamp_min(1e-12).sqrt() * c;
        Tensor s2 = sigma * Sqrt2;
        Tensor mass = (special.erf((yHat - a) / s2) - special.erf((yHat - b) / s2)).clamp_min(1e-30);
        // ln((πσ²/2)·m²) as a sum of logs: the product underflows in float32 when m is floored.
        Tensor loss = (y - yHat).square() / sigma.square() + (sigma.square() * (Math.PI / 2)).log() + (mass.log() * 2);
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>Maps raw outputs [N, 6] to the constrained Crystal Ball parameters.</summary>
    public static CrystalBallParameters CrystalBall(LossSpec spec, Tensor output)
    {
        Tensor Range(int column, double[] range) => output.select(1, column).sigmoid() * (range[1] - range[0]) + range[0];
        return new CrystalBallParameters(
            output.select(1, 0), Sigma(spec, output.select(1, 1)),
            Range(2, spec.AlphaRange), Range(3, spec.NRange), Range(4, spec.AlphaRange), Range(5, spec.NRange));
    }

    /// <summary>
    /// Negative log-likelihood of the normalised double-sided Crystal Ball (../shared/PHYSICS.md, "Metrics"): with
    /// t = (y − μ)/σ, −ln f = t²/2 in the core −α1 ≤ t ≤ α2, and α²/2 + n·ln(1 + (α/n)(|t| − α)) in a tail (the
    /// tail e^(−α²/2)(1 − (α/n)(α ± t))^(−n) of the reference); plus ln N with
    /// N = σ[√(π/2)(erf(α1/√2) + erf(α2/√2)) + e^(−α1²/2)·n1/(α1(n1 − 1)) + e^(−α2²/2)·n2/(α2(n2 − 1))],
    /// the integral of f over x (each tail integrates to e^(−α²/2)·n/(α(n − 1)) for n &gt; 1).
    /// </summary>
    public static Tensor CrystalBallNll(CrystalBallParameters p, Tensor y)
    {
        using var scope = NewDisposeScope();
        // |t| is bounded (10⁴ σ is far in a tail either way) so that t² of the core, evaluated for every object, cannot
        // overflow float32 to ∞ for an object in a tail: where() passes 0 · ∞ = NaN back through the branch not taken.
        Tensor t = ((y - p.Mu) / p.Sigma).clamp(-1e4, 1e4);
        // Arguments clamped at 0 so that the branch not taken stays finite (no NaN gradients through where).
        Tensor left = p.Alpha1.square() * 0.5 + p.N1 * (p.Alpha1 / p.N1 * (-p.Alpha1 - t).clamp_min(0) + 1).log();
        Tensor right = p.Alpha2.square() * 0.5 + p.N2 * (p.Alpha2 / p.N2 * (t - p.Alpha2).clamp_min(0) + 1).log();
        Tensor core = t.square() * 0.5;
        Tensor minusLogF = where(t < -p.Alpha1, left, where(t > p.Alpha2, right, core));
        Tensor gauss = (special.erf(p.Alpha1 / Sqrt2) + special.erf(p.Alpha2 / Sqrt2)) * Math.Sqrt(Math.PI / 2);
        Tensor tail1 = (p.Alpha1.square() * -0.5).exp() * p.N1 / (p.Alpha1 * (p.N1 - 1));
        Tensor tail2 = (p.Alpha2.square() * -0.5).exp() * p.N2 / (p.Alpha2 * (p.N2 - 1));
        Tensor logNorm = p.Sigma.log() + (gauss + tail1 + tail2).log();
        return (minusLogF + logNorm).MoveToOuterDisposeScope();
    }
}
