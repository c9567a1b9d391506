using EnergyRegression.Core.Configuration;
using EnergyRegression.Core.Running;
using EnergyRegression.Physics;

namespace EnergyRegression.Cli.Evaluation;

/// <summary>The metrics of one energy (a model's, or the raw one) against the true energy.</summary>
internal sealed record MetricSet(int Count, Estimate Rmse, Estimate MeanResponse, Estimate MedianResponse, Estimate SigmaEff, Estimate Eiqr,
    Estimate SigmaEffOverMedian)
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
            Bootstrap.Estimate(response, a => Resolution.EffectiveIqr(a), resamples, seed + 4),
            Bootstrap.Estimate(response, a => Resolution.SigmaEff(a) / Resolution.Median(a), resamples, seed + 6));
    }
}

/// <summary>
/// The pull (E − E_true)/σ of a model with a per-object uncertainty σ: for a calibrated σ its mean is 0 and its
/// width 1 (RMS: the standard deviation, as ROOT's; σ_eff: robust to the tails).
/// </summary>
internal sealed record PullMetrics(int Count, Estimate Mean, Estimate Rms, Estimate SigmaEff)
{
    /// <summary>The pulls of the objects with E_true &gt; 0, a finite energy and a finite σ &gt; 0.</summary>
    public static double[] Pulls(double[] energy, double[] sigma, double[] truth, IEnumerable<int> objects) =>
        [.. objects.Where(i => truth[i] > 0 && double.IsFinite(energy[i]) && sigma[i] > 0 && double.IsFinite(sigma[i]))
            .Select(i => (energy[i] - truth[i]) / sigma[i])];

    public static PullMetrics Of(double[] pulls, int resamples, int seed) => new(
        pulls.Length,
        Bootstrap.Estimate(pulls, a => Resolution.Mean(a), resamples, seed),
        Bootstrap.Estimate(pulls, a => Resolution.Rms(a), resamples, seed + 1),
        Bootstrap.Estimate(pulls, Resolution.SigmaEffOf, resamples, seed + 2));
}

/// <summary>The Z-peak fit of the pairs of one pair category (or of all pairs), or why there is none.</summary>
internal sealed record ZPeakCategory(string Label, int Pairs, ZPeakFitResult? Fit, string? Note);

/// <summary>One grouping of <c>evaluate: categories:</c> measured with one energy.</summary>
/// <param name="Grouping">The grouping's name.</param>
/// <param name="Objects">Per object category (label → metrics), in the labels' order.</param>
/// <param name="Pairs">Per pair category (A–B), in <see cref="PairCategories.Labels"/> order.</param>
/// <param name="Pulls">Per object category, the pull metrics (models with an uncertainty only).</param>
internal sealed record CategoryEvaluation(string Grouping, IReadOnlyList<(string Label, MetricSet Metrics)> Objects,
    IReadOnlyList<ZPeakCategory> Pairs, IReadOnlyList<(string Label, PullMetrics Metrics)> Pulls);

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

    /// <summary>The per-object uncertainty σ of a model, when configured.</summary>
    public double[]? Uncertainty { get; init; }

    /// <summary>The pull of all objects, for a model with an uncertainty.</summary>
    public PullMetrics? Pull { get; init; }

    /// <summary>Every grouping of <c>evaluate: categories:</c>.</summary>
    public IReadOnlyList<CategoryEvaluation> Categories { get; init; } = [];
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

    /// <summary>
    /// The signed relative change of a width against the raw energy's, (value − reference)/reference: negative
    /// when the model is narrower (better), positive when wider.
    /// </summary>
    public static double RelativeChange(double reference, double value) => (value - reference) / reference;

    /// <summary>Computes all metrics and fits of the collected data.</summary>
    public static EvaluationResults Compute(EvaluationData data, Action<string> log)
    {
        var definition = data.Definition;
        int resamples = definition.Bootstrap;

        // Binning columns: those configured, plus the true energy (equal-count bins) and η (equal-width) by default.
        // Only the measured objects (E_true > 0) decide the edges: unmatched objects (E_true = −1) once made an
        // empty bin [−1, −1).
        int[] measured = [.. Enumerable.Range(0, data.True.Length).Where(i => data.True[i] > 0)];
        var columns = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var edges = new Dictionary<string, double[]>(StringComparer.Ordinal);
        if (!definition.Bins.ContainsKey(definition.TrueColumn))
        {
            columns[definition.TrueColumn] = data.True;
            edges[definition.TrueColumn] = EqualPopulationEdges(data.True, measured, 5);
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
            edges[column] = columnEdges.Length == 1 ? EqualPopulationEdges(data.Columns[column], measured, (int)columnEdges[0]) : [.. columnEdges];
        }
        foreach (double[] e in edges.Values)
        {
            e[^1] = Math.BitIncrement(e[^1]); // the maximum belongs to the last bin
        }

        List<(int First, int Second)> pairs = ObjectPairs.LeadingPerEvent(data.Event, data.Charge);
        double[] trueMasses = [.. PairMasses(pairs, data.True, data).Where(double.IsFinite)];
        var energies = new List<EnergyEvaluation>();
        var all = new List<(string Label, string? Path, double[] Energy)> { (ReferenceLabel, null, data.Raw) };
        all.AddRange(data.Models.Select(m => (m.Label, m.ModelPath, m.Energy)));
        int seed = 1;
        var uncertainties = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (ModelPredictions model in data.Models.Where(m => m.Uncertainty is not null))
        {
            uncertainties[model.Label] = model.Uncertainty!;
        }
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
            double[] pairMasses = PairMasses(pairs, energy, data);
            double[] masses = [.. pairMasses.Where(double.IsFinite)];
            (ZPeakFitResult? zPeak, string? note) = FitZ(masses, definition);
            double[]? sigma = uncertainties.GetValueOrDefault(label);
            energies.Add(new EnergyEvaluation(label, path, energy)
            {
                Uncertainty = sigma,
                Pull = sigma is null ? null : PullMetrics.Of(PullMetrics.Pulls(energy, sigma, data.True, Enumerable.Range(0, energy.Length)), resamples, seed + 7),
                Categories = [.. data.Categories.Select((c, g) => Categorise(c, pairs, pairMasses, energy, sigma, data, seed + 100 * (g + 1)))],
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

    /// <summary>
    /// Up to <paramref name="bins"/> bins of about equal population of <paramref name="values"/>[<paramref name="objects"/>]
    /// (finite values only): quantile edges, repeated edges (a value many objects share) merged.
    /// </summary>
    private static double[] EqualPopulationEdges(double[] values, int[] objects, int bins)
    {
        double[] finite = [.. objects.Select(i => values[i]).Where(double.IsFinite)];
        if (finite.Length == 0)
        {
            return [0, 1];
        }
        var edges = new List<double>();
        foreach (double edge in Enumerable.Range(0, bins + 1).Select(i => Resolution.Quantile(finite, (double)i / bins)))
        {
            if (edges.Count == 0 || edge > edges[^1])
            {
                edges.Add(edge);
            }
        }
        if (edges.Count == 1)
        {
            edges.Add(Math.BitIncrement(edges[0])); // every value the same: one bin holding them
        }
        return [.. edges];
    }

    /// <summary>The metrics of each object category and the Z-peak fit of each pair category of one grouping.</summary>
    private static CategoryEvaluation Categorise(ObjectCategories categories, List<(int First, int Second)> pairs, double[] pairMasses,
        double[] energy, double[]? sigma, EvaluationData data, int seed)
    {
        EvaluationDefinition definition = data.Definition;
        int[] index = categories.Index;
        int count = categories.Labels.Count;
        var objects = new List<(string, MetricSet)>();
        var pulls = new List<(string, PullMetrics)>();
        for (int c = 0; c < count; c++)
        {
            int[] members = [.. Enumerable.Range(0, index.Length).Where(i => index[i] == c)];
            objects.Add((categories.Labels[c], MetricSet.Of([.. members.Select(i => energy[i])], [.. members.Select(i => data.True[i])], definition.Bootstrap, seed + 10 * c)));
            if (sigma is not null)
            {
                pulls.Add((categories.Labels[c], PullMetrics.Of(PullMetrics.Pulls(energy, sigma, data.True, members), definition.Bootstrap, seed + 10 * c + 7)));
            }
        }
        string[] pairLabels = PairCategories.Labels(categories.Labels);
        var masses = pairLabels.Select(_ => new List<double>()).ToArray();
        for (int p = 0; p < pairs.Count; p++)
        {
            int category = PairCategories.Of(index[pairs[p].First], index[pairs[p].Second], count);
            if (category >= 0 && double.IsFinite(pairMasses[p]))
            {
                masses[category].Add(pairMasses[p]);
            }
        }
        ZPeakCategory[] fits = [.. pairLabels.Select((label, k) =>
        {
            (ZPeakFitResult? fit, string? note) = FitZ([.. masses[k]], definition);
            return new ZPeakCategory(label, masses[k].Count, fit, note);
        })];
        return new CategoryEvaluation(categories.Grouping, objects, fits, pulls);
    }

    private static (ZPeakFitResult?, string?) FitZ(double[] masses, EvaluationDefinition definition)
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
        if (inWindow < 10)
        {
            return (null, $"{inWindow} pairs in {definition.ZLow}–{definition.ZHigh} GeV: too few for a fit");
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
    /// The invariant mass of each pair of massless objects from their energies and directions (NaN where it is not
    /// a number): M² = 2 E₁ E₂ (1 − cos θ₁₂), cos θ₁₂ = cos(φ₁ − φ₂)/(cosh η₁ cosh η₂) + tanh η₁ tanh η₂.
    /// </summary>
    private static double[] PairMasses(List<(int First, int Second)> pairs, double[] energy, EvaluationData data)
    {
        var masses = new double[pairs.Count];
        for (int p = 0; p < pairs.Count; p++)
        {
            (int a, int b) = pairs[p];
            double cos = Math.Cos(data.Phi[a] - data.Phi[b]) / (Math.Cosh(data.Eta[a]) * Math.Cosh(data.Eta[b]))
                + Math.Tanh(data.Eta[a]) * Math.Tanh(data.Eta[b]);
            double m2 = 2 * energy[a] * energy[b] * (1 - cos);
            masses[p] = double.IsFinite(m2) && m2 >= 0 ? Math.Sqrt(m2) : double.NaN;
        }
        return masses;
    }
}
