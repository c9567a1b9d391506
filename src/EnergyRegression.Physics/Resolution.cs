namespace EnergyRegression.Physics;

/// <summary>
/// Resolution estimators of a response distribution (e.g. E_pred/E_true), as defined in ../shared/PHYSICS.md
/// ("metrics"): σ_eff is half the width of the smallest interval holding 68.3% of the values (CMS ECAL
/// convention, e.g. CMS-EGM-17-001), robust to the non-Gaussian tails a plain RMS is dominated by.
/// </summary>
public static class Resolution
{
    /// <summary>The fraction of a Gaussian within ±1σ, erf(1/√2).</summary>
    public const double OneSigmaFraction = 0.682689492137086;

    /// <summary>
    /// σ_eff: half the width of the smallest interval containing <see cref="OneSigmaFraction"/> of the values
    /// (NaN values ignored; NaN when fewer than two remain). For a Gaussian it tends to σ.
    /// </summary>
    public static double SigmaEff(ReadOnlySpan<double> values)
    {
        double[] sorted = values.ToArray().Where(v => !double.IsNaN(v)).ToArray();
        if (sorted.Length < 2)
        {
            return double.NaN;
        }
        Array.Sort(sorted);
        // The smallest interval holding k of the n sorted values spans sorted[i] … sorted[i + k − 1].
        int k = Math.Max(2, (int)Math.Ceiling(OneSigmaFraction * sorted.Length));
        double best = double.PositiveInfinity;
        for (int i = 0; i + k - 1 < sorted.Length; i++)
        {
            best = Math.Min(best, sorted[i + k - 1] - sorted[i]);
        }
        return best / 2;
    }

    /// <summary>The median of the values (NaN ignored; NaN when none remain).</summary>
    public static double Median(ReadOnlySpan<double> values)
    {
        double[] sorted = values.ToArray().Where(v => !double.IsNaN(v)).ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        Array.Sort(sorted);
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
