namespace EnergyRegression.Simulation.Tests;

/// <summary>The statistics the tests compute themselves: moments, Kolmogorov–Smirnov, least squares, histogram peaks.</summary>
internal static class Stat
{
    public static double Mean(IReadOnlyList<double> x) => x.Sum() / x.Count;

    /// <summary>Unbiased sample variance.</summary>
    public static double Variance(IReadOnlyList<double> x)
    {
        double mean = Mean(x);
        return x.Sum(v => (v - mean) * (v - mean)) / (x.Count - 1);
    }

    /// <summary>Standard error of the mean.</summary>
    public static double StandardError(IReadOnlyList<double> x) => Math.Sqrt(Variance(x) / x.Count);

    /// <summary>Difference of the means of two independent samples and its standard error.</summary>
    public static (double Difference, double Error) DifferenceOfMeans(IReadOnlyList<double> a, IReadOnlyList<double> b) =>
        (Mean(a) - Mean(b), Math.Sqrt(Variance(a) / a.Count + Variance(b) / b.Count));

    /// <summary>
    /// Variance of the sample variance, (μ₄ − σ⁴ (n−3)/(n−1)) / n (e.g. Kendall &amp; Stuart, or
    /// Cramér, "Mathematical Methods of Statistics", 27.4).
    /// </summary>
    public static double VarianceOfVariance(IReadOnlyList<double> x)
    {
        double mean = Mean(x);
        double m2 = x.Sum(v => (v - mean) * (v - mean)) / x.Count;
        double m4 = x.Sum(v => Math.Pow(v - mean, 4)) / x.Count;
        int n = x.Count;
        return (m4 - m2 * m2 * (n - 3.0) / (n - 1)) / n;
    }

    /// <summary>The Kolmogorov–Smirnov statistic D = sup |F_n(x) − F(x)| of a sample against a continuous cdf.</summary>
    public static double KolmogorovSmirnov(IEnumerable<double> sample, Func<double, double> cdf)
    {
        double[] sorted = [.. sample.Order()];
        int n = sorted.Length;
        double d = 0;
        for (int i = 0; i < n; i++)
        {
            double f = cdf(sorted[i]);
            d = Math.Max(d, Math.Max((i + 1.0) / n - f, f - (double)i / n));
        }
        return d;
    }

    /// <summary>
    /// Weighted linear least squares: minimises Σ wᵢ (yᵢ − Σⱼ βⱼ fⱼ(xᵢ))² through the normal equations,
    /// solved by Gaussian elimination with partial pivoting.
    /// </summary>
    public static double[] WeightedLeastSquares(IReadOnlyList<double[]> basis, IReadOnlyList<double> y, IReadOnlyList<double> weights)
    {
        int p = basis[0].Length;
        var a = new double[p, p + 1];
        for (int i = 0; i < y.Count; i++)
        {
            for (int r = 0; r < p; r++)
            {
                for (int c = 0; c < p; c++)
                {
                    a[r, c] += weights[i] * basis[i][r] * basis[i][c];
                }
                a[r, p] += weights[i] * basis[i][r] * y[i];
            }
        }
        for (int col = 0; col < p; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < p; r++)
            {
                if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col]))
                {
                    pivot = r;
                }
            }
            for (int c = 0; c <= p; c++)
            {
                (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c]);
            }
            for (int r = 0; r < p; r++)
            {
                if (r == col)
                {
                    continue;
                }
                double factor = a[r, col] / a[col, col];
                for (int c = col; c <= p; c++)
                {
                    a[r, c] -= factor * a[col, c];
                }
            }
        }
        var beta = new double[p];
        for (int r = 0; r < p; r++)
        {
            beta[r] = a[r, p] / a[r, r];
        }
        return beta;
    }

    /// <summary>
    /// The most probable value of a sample: a histogram of <paramref name="binWidth"/> bins on
    /// [low, high), each bin replaced by the sum of the ±<paramref name="smoothing"/> bins around it,
    /// the highest smoothed bin refined by a parabola through it and its two neighbours.
    /// </summary>
    public static double HistogramPeak(IEnumerable<double> sample, double low, double high, double binWidth = 0.5, int smoothing = 2)
    {
        int bins = (int)Math.Round((high - low) / binWidth);
        var counts = new double[bins];
        foreach (double v in sample)
        {
            int b = (int)Math.Floor((v - low) / binWidth);
            if (b >= 0 && b < bins)
            {
                counts[b]++;
            }
        }
        var smoothed = new double[bins];
        for (int i = 0; i < bins; i++)
        {
            for (int j = Math.Max(0, i - smoothing); j <= Math.Min(bins - 1, i + smoothing); j++)
            {
                smoothed[i] += counts[j];
            }
        }
        int best = 1;
        for (int i = 1; i < bins - 1; i++)
        {
            if (smoothed[i] > smoothed[best])
            {
                best = i;
            }
        }
        double left = smoothed[best - 1], centre = smoothed[best], right = smoothed[best + 1];
        double curvature = left - 2 * centre + right;
        double offset = curvature < 0 ? 0.5 * (left - right) / curvature : 0;
        return low + (best + 0.5 + offset) * binWidth;
    }
}
