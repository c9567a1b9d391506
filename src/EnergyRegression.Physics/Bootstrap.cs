namespace EnergyRegression.Physics;

/// <summary>An estimate with its bootstrap uncertainty.</summary>
/// <param name="Value">The statistic of the full sample.</param>
/// <param name="Error">The standard deviation of the statistic over the bootstrap resamples.</param>
/// <param name="Low">The 15.87% percentile of the resampled statistic (lower end of the central 68.3% interval).</param>
/// <param name="High">The 84.13% percentile of the resampled statistic (upper end of the central 68.3% interval).</param>
public readonly record struct Estimate(double Value, double Error, double Low, double High)
{
    /// <summary>An estimate without uncertainty.</summary>
    public static Estimate Exact(double value) => new(value, double.NaN, double.NaN, double.NaN);
}

/// <summary>
/// The nonparametric bootstrap (Efron 1979; Efron and Tibshirani, "An Introduction to the Bootstrap", 1993): a
/// statistic is recomputed on resamples drawn with replacement from the sample; the spread of the resampled values
/// estimates its standard error, and their 15.87% and 84.13% percentiles give a 68.3% percentile interval.
/// Deterministic for a given seed.
/// </summary>
public static class Bootstrap
{
    /// <summary>
    /// The statistic of the sample and its bootstrap uncertainty from <paramref name="resamples"/> resamples (no
    /// uncertainty when <paramref name="resamples"/> is 0 or the sample has fewer than two values).
    /// </summary>
    public static Estimate Estimate(ReadOnlySpan<double> sample, Func<double[], double> statistic, int resamples = 200, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        double[] data = sample.ToArray();
        double value = statistic(data);
        if (resamples <= 0 || data.Length < 2)
        {
            return Physics.Estimate.Exact(value);
        }
        var random = new Random(seed);
        var buffer = new double[data.Length];
        var replicas = new List<double>(resamples);
        for (int b = 0; b < resamples; b++)
        {
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = data[random.Next(data.Length)];
            }
            double replica = statistic(buffer);
            if (!double.IsNaN(replica))
            {
                replicas.Add(replica);
            }
        }
        return Summarise(value, replicas);
    }

    /// <summary>
    /// A statistic of paired samples (e.g. predicted and true energies) and its bootstrap uncertainty: the pairs are
    /// resampled together.
    /// </summary>
    public static Estimate Estimate(ReadOnlySpan<double> first, ReadOnlySpan<double> second, Func<double[], double[], double> statistic,
        int resamples = 200, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        if (first.Length != second.Length)
        {
            throw new ArgumentException("The paired samples differ in length.", nameof(second));
        }
        double[] a = first.ToArray();
        double[] b = second.ToArray();
        double value = statistic(a, b);
        if (resamples <= 0 || a.Length < 2)
        {
            return Physics.Estimate.Exact(value);
        }
        var random = new Random(seed);
        var bufferA = new double[a.Length];
        var bufferB = new double[b.Length];
        var replicas = new List<double>(resamples);
        for (int r = 0; r < resamples; r++)
        {
            for (int i = 0; i < bufferA.Length; i++)
            {
                int j = random.Next(a.Length);
                bufferA[i] = a[j];
                bufferB[i] = b[j];
            }
            double replica = statistic(bufferA, bufferB);
            if (!double.IsNaN(replica))
            {
                replicas.Add(replica);
            }
        }
        return Summarise(value, replicas);
    }

    private static Estimate Summarise(double value, List<double> replicas)
    {
        if (replicas.Count < 2)
        {
            return Physics.Estimate.Exact(value);
        }
        double[] sorted = [.. replicas];
        Array.Sort(sorted);
        double mean = sorted.Average();
        double variance = sorted.Sum(x => (x - mean) * (x - mean)) / (sorted.Length - 1);
        double tail = (1 - Resolution.OneSigmaFraction) / 2;
        return new Estimate(value, Math.Sqrt(variance), Resolution.SortedQuantile(sorted, tail), Resolution.SortedQuantile(sorted, 1 - tail));
    }
}
