using System.Globalization;

namespace EnergyRegression.Plugins.Regressors.Gbdt.Training;

/// <summary>One set of tree hyperparameters (the config's, or a search draw).</summary>
internal sealed record Hyperparameters(
    int Trees, int Leaves, int MaxDepth, double LearningRate, int MinDataPerLeaf,
    double FeatureFraction, double BaggingFraction, int BaggingFrequency, double L2, int MaxBins)
{
    public static Hyperparameters From(GbdtConfig c) => new(c.Trees, c.Leaves, c.MaxDepth, c.LearningRate, c.MinDataPerLeaf,
        c.FeatureFraction, c.BaggingFraction, c.BaggingFrequency, c.L2, c.MaxBins);

    /// <summary>The set as YAML keys and values, for the model card and the search log.</summary>
    public IReadOnlyDictionary<string, string> ToDictionary()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        return new Dictionary<string, string>
        {
            ["trees"] = Trees.ToString(c),
            ["leaves"] = Leaves.ToString(c),
            ["max_depth"] = MaxDepth.ToString(c),
            ["learning_rate"] = LearningRate.ToString("G6", c),
            ["min_data_per_leaf"] = MinDataPerLeaf.ToString(c),
            ["feature_fraction"] = FeatureFraction.ToString("G6", c),
            ["bagging_fraction"] = BaggingFraction.ToString("G6", c),
            ["bagging_frequency"] = BaggingFrequency.ToString(c),
            ["l2"] = L2.ToString("G6", c),
            ["max_bins"] = MaxBins.ToString(c),
        };
    }

    public override string ToString() => string.Join(" ", ToDictionary().Select(kv => $"{kv.Key}={kv.Value}"));
}
