namespace EnergyRegression.Physics;

/// <summary>The result of a double-sided Crystal Ball fit of a response distribution.</summary>
public sealed record ResponseFitResult
{
    /// <summary>μ, σ, α_low, n_low, α_high, n_high with uncertainties.</summary>
    public required IReadOnlyList<FitParameter> Parameters { get; init; }

    /// <summary>The peak position μ.</summary>
    public FitParameter Mu => Parameters[0];

    /// <summary>The core width σ.</summary>
    public FitParameter Sigma => Parameters[1];

    /// <summary>The fit range (low, high).</summary>
    public required (double Low, double High) Range { get; init; }

    /// <summary>Values inside the range.</summary>
    public required int Entries { get; init; }

    /// <summary>Whether the minimiser converged and the Hessian gave uncertainties.</summary>
    public required bool Converged { get; init; }

    /// <summary>The minimiser's status in words.</summary>
    public required string Status { get; init; }

    /// <summary>−ln L at the minimum.</summary>
    public required double NegativeLogLikelihood { get; init; }

    /// <summary>The fitted density (normalised over the range) at <paramref name="x"/>.</summary>
    public double Density(double x)
    {
        double[] p = [.. Parameters.Select(q => q.Value)];
        return ResponseFit.TruncatedDensity(x, p, Range.Low, Range.High);
    }
}

/// <summary>
/// Unbinned maximum-likelihood fit of a double-sided Crystal Ball (<see cref="CrystalBall"/>) to a response
/// distribution such as E_pred/E_true, truncated to a range (default: median ± 5 σ_eff), as in the CMS
/// semi-parametric regression's description of the response.
/// </summary>
public static class ResponseFit
{
    /// <summary>Fits the values; values outside the range (default median ± 5 σ_eff) are ignored.</summary>
    public static ResponseFitResult Fit(ReadOnlySpan<double> values, double? low = null, double? high = null)
    {
        double median = Resolution.Median(values);
        double sigmaEff = Resolution.SigmaEff(values);
        if (double.IsNaN(sigmaEff) || !(sigmaEff > 0))
        {
            throw new ArgumentException("The values have no spread to fit.", nameof(values));
        }
        double lo = low ?? median - 5 * sigmaEff;
        double hi = high ?? median + 5 * sigmaEff;
        double[] inside = values.ToArray().Where(v => v >= lo && v <= hi).ToArray();
        if (inside.Length < 20)
        {
            throw new ArgumentException($"Only {inside.Length} values in the fit range: too few to fit.", nameof(values));
        }
        double[] start = [median, sigmaEff, 1.5, 5, 1.5, 5];
        double[] steps = [0.2 * sigmaEff, 0.2 * sigmaEff, 0.3, 1, 0.3, 1];
        double Objective(double[] p)
        {
            if (!(p[1] > 0 && p[2] > 0.05 && p[2] < 20 && p[3] > 1.01 && p[3] < 200 && p[4] > 0.05 && p[4] < 20 && p[5] > 1.01 && p[5] < 200))
            {
                return double.PositiveInfinity;
            }
            double norm = Norm(p, lo, hi);
            double sum = 0;
            foreach (double v in inside)
            {
                sum -= Math.Log(Math.Max(CrystalBall.DoubleSidedShape(v, p[0], p[1], p[2], p[3], p[4], p[5]) / norm, 1e-300));
            }
            return sum;
        }
        Minimizer.Result result = Minimizer.Minimise(Objective, start, steps);
        string[] names = ["mu", "sigma", "alpha_low", "n_low", "alpha_high", "n_high"];
        return new ResponseFitResult
        {
            Parameters = [.. names.Select((name, i) => new FitParameter(name, result.Values[i], result.Errors[i]))],
            Range = (lo, hi),
            Entries = inside.Length,
            Converged = result.Converged,
            Status = result.Status,
            NegativeLogLikelihood = result.MinimumValue,
        };
    }

    /// <summary>∫ over [lo, hi] of the unnormalised shape.</summary>
    private static double Norm(double[] p, double lo, double hi) =>
        p[1] * (CrystalBall.DoubleSidedIntegral((hi - p[0]) / p[1], p[2], p[3], p[4], p[5])
            - CrystalBall.DoubleSidedIntegral((lo - p[0]) / p[1], p[2], p[3], p[4], p[5]));

    internal static double TruncatedDensity(double x, double[] p, double lo, double hi) =>
        x < lo || x > hi ? 0 : CrystalBall.DoubleSidedShape(x, p[0], p[1], p[2], p[3], p[4], p[5]) / Norm(p, lo, hi);
}
