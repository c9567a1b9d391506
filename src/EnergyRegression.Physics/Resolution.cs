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

    /// <summary><see cref="SigmaEff"/> of an array, as a delegate for <see cref="Bootstrap"/>.</summary>
    public static double SigmaEffOf(double[] values) => SigmaEff(values);

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

    /// <summary>The factor between the interquartile range and σ of a Gaussian, 2Φ⁻¹(0.75).</summary>
    public const double GaussianIqr = 1.3489795003921634;

    /// <summary>
    /// The <paramref name="p"/>-quantile of the values (NaN ignored; NaN when none remain), interpolating linearly
    /// between order statistics: position p·(n − 1) in the sorted values (Hyndman and Fan 1996, definition 7).
    /// </summary>
    public static double Quantile(ReadOnlySpan<double> values, double p)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), "p must lie in [0, 1].");
        }
        double[] sorted = values.ToArray().Where(v => !double.IsNaN(v)).ToArray();
        Array.Sort(sorted);
        return SortedQuantile(sorted, p);
    }

    /// <summary>The <paramref name="p"/>-quantile of already sorted values without NaN (definition 7).</summary>
    internal static double SortedQuantile(ReadOnlySpan<double> sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        double position = p * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /// <summary>
    /// The effective interquartile range, (P75 − P25)/1.349 (the ATLAS convention for E_calib/E_truth): the
    /// interquartile range scaled so that it equals σ for a Gaussian. NaN values ignored; NaN when fewer than two remain.
    /// </summary>
    public static double EffectiveIqr(ReadOnlySpan<double> values)
    {
        double[] sorted = values.ToArray().Where(v => !double.IsNaN(v)).ToArray();
        if (sorted.Length < 2)
        {
            return double.NaN;
        }
        Array.Sort(sorted);
        return (SortedQuantile(sorted, 0.75) - SortedQuantile(sorted, 0.25)) / GaussianIqr;
    }

    /// <summary>The arithmetic mean (NaN ignored; NaN when none remain).</summary>
    public static double Mean(ReadOnlySpan<double> values)
    {
        double sum = 0;
        int n = 0;
        foreach (double v in values)
        {
            if (!double.IsNaN(v))
            {
                sum += v;
                n++;
            }
        }
        return n == 0 ? double.NaN : sum / n;
    }

    /// <summary>
    /// The RMS of the values about their mean, √(Σ(x − x̄)²/n) (NaN ignored; NaN when none remain): the
    /// population standard deviation, as ROOT's TH1::GetRMS.
    /// </summary>
    public static double Rms(ReadOnlySpan<double> values)
    {
        double mean = Mean(values);
        double sum = 0;
        int n = 0;
        foreach (double v in values)
        {
            if (!double.IsNaN(v))
            {
                sum += (v - mean) * (v - mean);
                n++;
            }
        }
        return n == 0 ? double.NaN : Math.Sqrt(sum / n);
    }

    /// <summary>
    /// The root mean square of the differences <paramref name="predicted"/> − <paramref name="truth"/> over the pairs
    /// where both are numbers; NaN when there are none.
    /// </summary>
    public static double Rmse(ReadOnlySpan<double> predicted, ReadOnlySpan<double> truth)
    {
        if (predicted.Length != truth.Length)
        {
            throw new ArgumentException("predicted and truth differ in length.", nameof(truth));
        }
        double sum = 0;
        int n = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            double d = predicted[i] - truth[i];
            if (!double.IsNaN(d))
            {
                sum += d * d;
                n++;
            }
        }
        return n == 0 ? double.NaN : Math.Sqrt(sum / n);
    }
}
