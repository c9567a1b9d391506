using EnergyRegression.Core.Running;
using EnergyRegression.Physics;

namespace EnergyRegression.Cli.Evaluation;

/// <summary>The metrics of one energy (a model's, or the raw one) against the true energy.</summary>
internal sealed record MetricSet(int Count, Estimate Rmse, Estimate MeanResponse, Estimate MedianResponse, Estimate SigmaEff, Estimate Eiqr)
{
    /// <summary>Computes the metrics of <paramref name="energy"/> against <paramref name="truth"/> (objects with E_true &gt; 0 and finite energies).</summary>
    public static MetricSet Of(double[] energy, double[] truth, int resamples, int seed)
    {
        var keep = Enumerable.Range(0, energy.Length).Where(i => truth[i] > 0 && double.IsFinite(energy[i]) && double.IsFinite(truth[i])).ToArray();
        double[] e = [.. keep.Select(i => energy[i])];
        double[] t = [.. keep.Select(i => truth[i])];
        double[] response = [.. keep.Select(i => energy[i] / truth[i])];
        return new MetricSet(
            keep.Length,
            Bootstrap.Estimate(e, t, (a, b) => Resolution.Rmse(a, b), resamples, seed),
            Bootstrap.Estimate(response, a => Resolution.Mean(a), resamples, seed + 1),
            Bootstrap.Estimate(response, a => Resolution.Median(a), resamples, seed + 2),
            Bootstrap.Estimate(response, Resolution.SigmaEffOf, resamples, seed + 3),
            Bootstrap.Estimate(response, a => Resolution.EffectiveIqr(a), resamples, seed + 4));
    }
}

/// <summary>The metrics of one bin of a binning column.</summary>
internal sealed record BinMetrics(double Low, double High, MetricSet Metrics);

/// <summary>The metrics of the objects whose raw energy is above a threshold (the first seed's table).</summary>
internal sealed record ThresholdMetrics(double Threshold, MetricSet Metrics);

/// <summary>Everything measured of one energy: overall, in bins, above thresholds, the response fit and the Z peak.</summary>
internal sealed record EnergyEvaluation(string Label, string? ModelPath, double[] Energy)
{
    public required MetricSet Overall { get; init; }

    public required IReadOnlyDictionary<string, IReadOnlyList<BinMetrics>> Bins { get; init; }

    public IReadOnlyList<ThresholdMetrics> Thresholds { get; init; } = [];

    public ResponseFitResult? ResponseFit { get; init; }

    public string? ResponseFitError { get; init; }

    public double[] PairMasses { get; init; } = [];

    public ZPeakFitResult? ZPeak { get; init; }

    public string? ZPeakNote { get; init; }
}

/// <summary>The computed evaluation: the raw energy (the reference) and every model, on the same objects.</summary>
internal sealed class EvaluationResults
{
    public required EvaluationData Data { get; init; }

    /// <summary>The raw energy first (the reference of the improvements), then the models.</summary>
    public required IReadOnlyList<EnergyEvaluation> Energies { get; init; }

    /// <summary>Bin edges per binning column.</summary>
    public required IReadOnlyDictionary<string, double[]> BinEdges { get; init; }

    /// <summary>Pair masses from the true energies (the generated line shape), when there are pairs.</summary>
    public required double[] TruePairMasses { get; init; }

    public const string ReferenceLabel = "raw";

    /// <summary>Relative improvement (reference − value)/reference: positive is better (smaller).</summary>
    public static double Improvement(double reference, double value) => (reference - value) / reference;

    /// <summary>Computes all metrics and fits of the collected data.</summary>
    public static EvaluationResults Compute(EvaluationData data, Action<string> log)
    {
        var definition = data.Definition;
        int resamples = definition.Bootstrap;

        // Binning columns: those configured, plus the true energy (equal-count bins) and η (equal-width) by default.
        var columns = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var edges = new Dictionary<string, double[]>(StringComparer.Ordinal);
        if (!definition.Bins.ContainsKey(definition.TrueColumn))
        {
            columns[definition.TrueColumn] = data.True;
            edges[definition.TrueColumn] = [.. Enumerable.Range(0, 6).Select(i => Resolution.Quantile(data.True, i / 5.0))];
        }
        if (!definition.Bins.ContainsKey(definition.EtaColumn) && data.Eta.Any(double.IsFinite))
        {
            double low = data.Eta.Where(double.IsFinite).Min(), high = data.Eta.Where(double.IsFinite).Max();
            if (high > low)
            {
                columns[definition.EtaColumn] = data.Eta;
                edges[definition.EtaColumn] = [.. Enumerable.Range(0, 6).Select(i => low + (high - low) * i / 5)];
            }
        }
        foreach ((string column, double[] columnEdges) in definition.Bins)
        {
            columns[column] = data.Columns[column];
            edges[column] = columnEdges;
        }
        foreach (double[] e in edges.Values)
        {
            e[^1] = Math.BitIncrement(e[^1]); // the maximum belongs to the last bin
        }

        List<(int First, int Second)> pairs = ObjectPairs.LeadingPerEvent(data.Event, data.Charge);
        double[] trueMasses = PairMasses(pairs, data.True, data);
        var energies = new List<EnergyEvaluation>();
        var all = new List<(string Label, string? Path, double[] Energy)> { (ReferenceLabel, null, data.Raw) };
        all.AddRange(data.Models.Select(m => (m.Label, m.ModelPath, m.Energy)));
        int seed = 1;
        foreach ((string label, string? path, double[] energy) in all)
        {
            log($"metrics of '{label}' ({data.True.Length:N0} objects, {resamples} bootstrap resamples)");
            var bins = new Dictionary<string, IReadOnlyList<BinMetrics>>(StringComparer.Ordinal);
            foreach ((string column, double[] values) in columns)
            {
                double[] e = edges[column];
                var list = new List<BinMetrics>();
                for (int b = 0; b + 1 < e.Length; b++)
                {
                    int[] inBin = [.. Enumerable.Range(0, values.Length).Where(i => values[i] >= e[b] && values[i] < e[b + 1])];
                    list.Add(new BinMetrics(e[b], e[b + 1], MetricSet.Of([.. inBin.Select(i => energy[i])], [.. inBin.Select(i => data.True[i])], resamples, seed)));
                }
                bins[column] = list;
            }
            double[] response = [.. Enumerable.Range(0, energy.Length).Where(i => data.True[i] > 0).Select(i => energy[i] / data.True[i]).Where(double.IsFinite)];
            ResponseFitResult? fit = null;
            string? fitError = null;
            try
            {
                fit = Physics.ResponseFit.Fit(response);
            }
            catch (ArgumentException e)
            {
                fitError = e.Message;
            }
            var thresholds = new List<ThresholdMetrics>();
            foreach (double threshold in definition.Thresholds)
            {
                int[] above = [.. Enumerable.Range(0, energy.Length).Where(i => data.Raw[i] > threshold)];
                thresholds.Add(new ThresholdMetrics(threshold, MetricSet.Of([.. above.Select(i => energy[i])], [.. above.Select(i => data.True[i])], resamples, seed + 5)));
            }
            double[] masses = PairMasses(pairs, energy, data);
            (ZPeakFitResult? zPeak, string? note) = FitZ(masses, definition);
            energies.Add(new EnergyEvaluation(label, path, energy)
            {
                Overall = MetricSet.Of(energy, data.True, resamples, seed),
                Bins = bins,
                Thresholds = thresholds,
                ResponseFit = fit,
                ResponseFitError = fitError,
                PairMasses = masses,
                ZPeak = zPeak,
                ZPeakNote = note,
            });
            seed += 10;
        }
        foreach (double[] e in edges.Values)
        {
            e[^1] = Math.BitDecrement(e[^1]);
        }
        return new EvaluationResults { Data = data, Energies = energies, BinEdges = edges, TruePairMasses = trueMasses };
    }

    private static (ZPeakFitResult?, string?) FitZ(double[] masses, Core.Configuration.EvaluationDefinition definition)
    {
        if (masses.Length == 0)
        {
            return (null, "no events with two objects: no Z peak");
        }
        int inWindow = masses.Count(m => m >= definition.ZLow && m <= definition.ZHigh);
        if (inWindow < definition.ZMinPairs)
        {
            return (null, $"{inWindow} pairs in {definition.ZLow}–{definition.ZHigh} GeV, fewer than z_min_pairs = {definition.ZMinPairs}: no fit");
        }
        var options = new ZPeakFitOptions
        {
            Low = definition.ZLow,
            High = definition.ZHigh,
            Bins = definition.ZBins,
            Method = definition.ZFit == "unbinned" ? FitMethod.Unbinned : FitMethod.Binned,
        };
        return (ZPeakFit.Fit(masses, options), null);
    }

    /// <summary>
    /// The invariant mass of each pair of massless objects from their energies and directions:
    /// M² = 2 E₁ E₂ (1 − cos θ₁₂), cos θ₁₂ = cos(φ₁ − φ₂)/(cosh η₁ cosh η₂) + tanh η₁ tanh η₂.
    /// </summary>
    private static double[] PairMasses(List<(int First, int Second)> pairs, double[] energy, EvaluationData data)
    {
        var masses = new List<double>(pairs.Count);
        foreach ((int a, int b) in pairs)
        {
            double cos = Math.Cos(data.Phi[a] - data.Phi[b]) / (Math.Cosh(data.Eta[a]) * Math.Cosh(data.Eta[b]))
                + Math.Tanh(data.Eta[a]) * Math.Tanh(data.Eta[b]);
            double m2 = 2 * energy[a] * energy[b] * (1 - cos);
            if (double.IsFinite(m2) && m2 >= 0)
            {
                masses.Add(Math.Sqrt(m2));
            }
        }
        return [.. masses];
    }
}
