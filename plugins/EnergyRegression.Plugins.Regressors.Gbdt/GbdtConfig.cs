using System.ComponentModel;
using EnergyRegression.Configuration;

namespace EnergyRegression.Plugins.Regressors.Gbdt;

/// <summary>What the trees predict.</summary>
public enum GbdtTarget
{
    /// <summary>y = E_true / E_raw; the calibrated energy is ŷ · E_raw (the CMS ECAL regression's target).</summary>
    Ratio,

    /// <summary>y = E_true; the calibrated energy is ŷ.</summary>
    Energy,
}

/// <summary>The training loss.</summary>
public enum GbdtLoss
{
    /// <summary>((E_pred − E_true)/E_true)², squared error weighted by 1/y² (PHYSICS.md, "losses").</summary>
    Relative,

    /// <summary>Plain squared error of the target.</summary>
    Mse,

    /// <summary>
    /// Huber loss of the relative error E_pred/E_true − 1 (quadratic within huber_delta, linear beyond): the tails of the
    /// raw response pull the correction less. Trained through LightGBM's C API with the project's objective.
    /// </summary>
    Huber,
}

/// <summary>What to do with NaN feature values.</summary>
public enum NanPolicy
{
    /// <summary>Stop with an error naming the column and the entry.</summary>
    Error,

    /// <summary>Replace NaN by <c>nan_value</c> (in training and when applying, so both see the same numbers).</summary>
    Replace,
}

/// <summary>Which library grows the trees.</summary>
public enum GbdtEngine
{
    /// <summary>LightGBM, or FastTree with a warning when LightGBM's native library cannot be loaded.</summary>
    Auto,

    /// <summary>LightGBM through ML.NET (native lib_lightgbm).</summary>
    LightGbm,

    /// <summary>ML.NET's managed FastTree.</summary>
    FastTree,
}

/// <summary>How hyperparameters are searched.</summary>
public enum SearchMethod
{
    /// <summary>Train once with the given hyperparameters.</summary>
    None,

    /// <summary><c>trials</c> random draws from the ranges, each trained with all trees.</summary>
    Random,

    /// <summary>
    /// Successive halving (Jamieson &amp; Talwalkar 2016): all draws with few trees, the better half again with twice
    /// as many, and so on until one set is left at the full number of trees.
    /// </summary>
    SuccessiveHalving,
}

/// <summary>A region of objects with its own trees, chosen by a condition.</summary>
public sealed class GbdtRegion : PluginConfig
{
    /// <summary>Region name (model card, metrics, importance).</summary>
    [Description("Region name (model card, metrics, importance).")]
    public required string Name { get; set; }

    /// <summary>Condition on the collection's objects, e.g. "abs(Electron_eta) &lt; 1.479"; the first region whose condition holds takes the object.</summary>
    [Description("Condition on the collection's objects, e.g. \"abs(Electron_eta) < 1.479\"; the first region whose condition holds takes the object.")]
    public required string When { get; set; }
}

/// <summary>Ranges of a hyperparameter search: each entry [low, high].</summary>
public sealed class SearchRanges : PluginConfig
{
    /// <summary>Leaves per tree, [low, high] (integers, uniform).</summary>
    [Description("Leaves per tree, [low, high] (integers, uniform).")]
    public int[] Leaves { get; set; } = [];

    /// <summary>Learning rate, [low, high] (log-uniform).</summary>
    [Description("Learning rate, [low, high] (log-uniform).")]
    public double[] LearningRate { get; set; } = [];

    /// <summary>Minimum objects per leaf, [low, high] (integers, log-uniform).</summary>
    [Description("Minimum objects per leaf, [low, high] (integers, log-uniform).")]
    public int[] MinDataPerLeaf { get; set; } = [];

    /// <summary>Fraction of features per tree, [low, high] (uniform).</summary>
    [Description("Fraction of features per tree, [low, high] (uniform).")]
    public double[] FeatureFraction { get; set; } = [];

    /// <summary>Fraction of objects per bagging round, [low, high] (uniform; used with bagging_frequency &gt; 0).</summary>
    [Description("Fraction of objects per bagging round, [low, high] (uniform; used with bagging_frequency > 0).")]
    public double[] BaggingFraction { get; set; } = [];

    /// <summary>L2 regularisation, [low, high] (uniform).</summary>
    [Description("L2 regularisation, [low, high] (uniform).")]
    public double[] L2 { get; set; } = [];

    /// <inheritdoc />
    public override void Validate()
    {
        CheckRange("leaves", Leaves.Select(v => (double)v).ToArray(), 2, 131072);
        CheckRange("learning_rate", LearningRate, 1e-6, 1);
        CheckRange("min_data_per_leaf", MinDataPerLeaf.Select(v => (double)v).ToArray(), 1, 1e9);
        CheckRange("feature_fraction", FeatureFraction, 1e-6, 1);
        CheckRange("bagging_fraction", BaggingFraction, 1e-6, 1);
        CheckRange("l2", L2, 0, 1e9);
    }

    private static void CheckRange(string key, double[] range, double min, double max)
    {
        if (range.Length == 0)
        {
            return;
        }
        if (range.Length != 2 || range[0] > range[1])
        {
            throw new ConfigValueException(key, "needs [low, high] with low ≤ high");
        }
        if (range[0] < min || range[1] > max)
        {
            throw new ConfigValueException(key, $"must lie within [{min}, {max}]");
        }
    }
}

/// <summary>The <c>search:</c> section.</summary>
public sealed class GbdtSearch : PluginConfig
{
    /// <summary>none, random or successive_halving.</summary>
    [Description("none, random or successive_halving.")]
    public SearchMethod Method { get; set; } = SearchMethod.None;

    /// <summary>Hyperparameter sets drawn (seeded by the chain's seed).</summary>
    [Description("Hyperparameter sets drawn (seeded by the chain's seed).")]
    public int Trials { get; set; } = 8;

    /// <summary>The ranges drawn from; a hyperparameter without a range keeps its configured value.</summary>
    [Description("The ranges drawn from; a hyperparameter without a range keeps its configured value.")]
    public SearchRanges Ranges { get; set; } = new();

    /// <inheritdoc />
    public override void Validate()
    {
        if (Trials < 1)
        {
            throw new ConfigValueException("trials", "must be at least 1");
        }
    }
}

/// <summary>Keys of the <c>gbdt</c> regressor (docs/gbdt.md).</summary>
public sealed class GbdtConfig : PluginConfig
{
    /// <summary>The model file: written by `energyreg train`, read when the chain runs.</summary>
    [Description("The model file: written by `energyreg train`, read when the chain runs.")]
    public string? Model { get; set; }

    /// <summary>The collection whose objects are calibrated.</summary>
    [Description("The collection whose objects are calibrated.")]
    public string Collection { get; set; } = "Electron";

    /// <summary>Input columns (object columns of the collection, or event columns such as rho). Required for training; when applying, the model's own list is used and this, if given, must match it.</summary>
    [Description("Input columns (object columns of the collection, or event columns such as rho). Required for training; when applying, the model's own list is used and this, if given, must match it.")]
    public string[] Features { get; set; } = [];

    /// <summary>The raw energy column (E_raw): the ratio target's denominator and the energy the calibration multiplies. Default &lt;collection&gt;_energy.</summary>
    [Description("The raw energy column (E_raw): the ratio target's denominator and the energy the calibration multiplies. Default <collection>_energy.")]
    public string? RawEnergy { get; set; }

    /// <summary>The true energy column (E_true), read only for training. Objects with E_true ≤ 0 (no match) are not trained on. Default &lt;collection&gt;_genEnergy.</summary>
    [Description("The true energy column (E_true), read only for training. Objects with E_true ≤ 0 (no match) are not trained on. Default <collection>_genEnergy.")]
    public string? TrueEnergy { get; set; }

    /// <summary>ratio: y = E_true/E_raw, or energy: y = E_true.</summary>
    [Description("ratio: y = E_true/E_raw, or energy: y = E_true.")]
    public GbdtTarget Target { get; set; } = GbdtTarget.Ratio;

    /// <summary>relative: ((E_pred − E_true)/E_true)²; mse: squared error of y; huber: Huber loss of E_pred/E_true − 1 (robust to the raw energy's tails).</summary>
    [Description("relative: ((E_pred − E_true)/E_true)²; mse: squared error of y; huber: Huber loss of E_pred/E_true − 1, quadratic within huber_delta and linear beyond (robust to the raw energy's tails).")]
    public GbdtLoss Loss { get; set; } = GbdtLoss.Relative;

    /// <summary>loss: huber: the relative error where the loss turns from quadratic to linear (≈ 1.35 × the core resolution keeps 95% of least squares' efficiency on a Gaussian core).</summary>
    [Description("loss: huber: the relative error where the loss turns from quadratic to linear (≈ 1.35 × the core resolution keeps 95% of least squares' efficiency on a Gaussian core).")]
    public double HuberDelta { get; set; } = 0.02;

    /// <summary>Also learn a per-object energy uncertainty: a second ensemble per region fits ln σ of the relative error (Gaussian likelihood), calibrated on the validation objects so that pulls have width 1; written to uncertainty_output.</summary>
    [Description("Also learn a per-object energy uncertainty: a second ensemble per region fits ln σ of the relative error (Gaussian likelihood), calibrated on the validation objects so that pulls have width 1; written to uncertainty_output.")]
    public bool Uncertainty { get; set; }

    /// <summary>Column of the per-object uncertainty of the calibrated energy (GeV). Default &lt;output&gt;Sigma.</summary>
    [Description("Column of the per-object uncertainty of the calibrated energy (GeV). Default <output>Sigma.")]
    public string? UncertaintyOutput { get; set; }

    /// <summary>Column the calibrated energy is written to. Default &lt;collection&gt;_energyCalib.</summary>
    [Description("Column the calibrated energy is written to. Default <collection>_energyCalib.")]
    public string? Output { get; set; }

    /// <summary>Regions with separate trees, first match wins. Default: barrel |η| &lt; 1.479 and endcap, on &lt;collection&gt;_eta.</summary>
    [Description("Regions with separate trees, first match wins. Default: barrel |η| < 1.479 and endcap, on <collection>_eta.")]
    public GbdtRegion[] Regions { get; set; } = [];

    /// <summary>Trees (boosting rounds).</summary>
    [Description("Trees (boosting rounds).")]
    public int Trees { get; set; } = 300;

    /// <summary>Maximum leaves per tree.</summary>
    [Description("Maximum leaves per tree.")]
    public int Leaves { get; set; } = 31;

    /// <summary>Maximum tree depth, 1…10 (the evaluator stores complete trees of this depth).</summary>
    [Description("Maximum tree depth, 1…10 (the evaluator stores complete trees of this depth).")]
    public int MaxDepth { get; set; } = 6;

    /// <summary>Learning rate (shrinkage).</summary>
    [Description("Learning rate (shrinkage).")]
    public double LearningRate { get; set; } = 0.1;

    /// <summary>Minimum objects in a leaf.</summary>
    [Description("Minimum objects in a leaf.")]
    public int MinDataPerLeaf { get; set; } = 20;

    /// <summary>Fraction of features considered per tree.</summary>
    [Description("Fraction of features considered per tree.")]
    public double FeatureFraction { get; set; } = 1.0;

    /// <summary>Fraction of objects per bagging round (with bagging_frequency &gt; 0).</summary>
    [Description("Fraction of objects per bagging round (with bagging_frequency > 0).")]
    public double BaggingFraction { get; set; } = 1.0;

    /// <summary>Bag every this many trees (0 = no bagging).</summary>
    [Description("Bag every this many trees (0 = no bagging).")]
    public int BaggingFrequency { get; set; }

    /// <summary>L2 regularisation of the leaf values.</summary>
    [Description("L2 regularisation of the leaf values.")]
    public double L2 { get; set; }

    /// <summary>Histogram bins per feature.</summary>
    [Description("Histogram bins per feature.")]
    public int MaxBins { get; set; } = 255;

    /// <summary>Stop adding trees when the validation loss has not improved for this many (0 = never).</summary>
    [Description("Stop adding trees when the validation loss has not improved for this many (0 = never).")]
    public int EarlyStopping { get; set; }

    /// <summary>auto, light_gbm or fast_tree.</summary>
    [Description("auto, light_gbm or fast_tree.")]
    public GbdtEngine Engine { get; set; } = GbdtEngine.Auto;

    /// <summary>Training threads (0 = one per core).</summary>
    [Description("Training threads (0 = one per core).")]
    public int Threads { get; set; }

    /// <summary>error (default) or replace: what NaN feature values do.</summary>
    [Description("error (default) or replace: what NaN feature values do.")]
    public NanPolicy Nan { get; set; } = NanPolicy.Error;

    /// <summary>The value NaN is replaced by with nan: replace.</summary>
    [Description("The value NaN is replaced by with nan: replace.")]
    public float NanValue { get; set; } = -999f;

    /// <summary>Hyperparameter search over ranges with the validation split.</summary>
    [Description("Hyperparameter search over ranges with the validation split.")]
    public GbdtSearch Search { get; set; } = new();

    /// <summary>The raw-energy column.</summary>
    public string RawEnergyColumn => RawEnergy ?? Collection + "_energy";

    /// <summary>The true-energy column.</summary>
    public string TrueEnergyColumn => TrueEnergy ?? Collection + "_genEnergy";

    /// <summary>The output column.</summary>
    public string OutputColumn => Output ?? Collection + "_energyCalib";

    /// <summary>The uncertainty column.</summary>
    public string UncertaintyColumn => UncertaintyOutput ?? OutputColumn + "Sigma";

    /// <summary>Whether training needs LightGBM's C API with the project's objectives (a Huber loss, or the uncertainty model).</summary>
    public bool NeedsNativeObjectives => Loss == GbdtLoss.Huber || Uncertainty;

    /// <summary>The regions, or barrel/endcap by default.</summary>
    public IReadOnlyList<GbdtRegion> EffectiveRegions => Regions.Length > 0 ? Regions :
    [
        new GbdtRegion { Name = "barrel", When = $"abs({Collection}_eta) < 1.479" },
        new GbdtRegion { Name = "endcap", When = $"abs({Collection}_eta) >= 1.479" },
    ];

    /// <inheritdoc />
    public override void Validate()
    {
        RequireDistinctNames("features", Features);
        RequireDistinctNames("regions", Regions.Select(r => r.Name), "region");
        if (string.IsNullOrWhiteSpace(Collection))
        {
            throw new ConfigValueException("collection", "must name a collection");
        }
        Positive("trees", Trees);
        Positive("min_data_per_leaf", MinDataPerLeaf);
        Positive("max_bins", MaxBins);
        if (Leaves < 2)
        {
            throw new ConfigValueException("leaves", "must be at least 2");
        }
        if (MaxDepth is < 1 or > 10)
        {
            throw new ConfigValueException("max_depth", "must be 1…10");
        }
        if (!(LearningRate > 0 && LearningRate <= 1))
        {
            throw new ConfigValueException("learning_rate", "must be in (0, 1]");
        }
        Fraction("feature_fraction", FeatureFraction);
        Fraction("bagging_fraction", BaggingFraction);
        if (BaggingFrequency < 0 || EarlyStopping < 0 || Threads < 0 || L2 < 0)
        {
            throw new ConfigValueException(BaggingFrequency < 0 ? "bagging_frequency" : EarlyStopping < 0 ? "early_stopping" : Threads < 0 ? "threads" : "l2",
                "must not be negative");
        }
        if (float.IsNaN(NanValue))
        {
            throw new ConfigValueException("nan_value", "must be a number");
        }
        if (!(HuberDelta > 0 && HuberDelta < 1))
        {
            throw new ConfigValueException("huber_delta", "must be in (0, 1)");
        }
        if (NeedsNativeObjectives && Engine == GbdtEngine.FastTree)
        {
            throw new ConfigValueException("engine", "fast_tree cannot train loss: huber or uncertainty: true; use auto or light_gbm");
        }
    }

    private static void Positive(string key, int value)
    {
        if (value < 1)
        {
            throw new ConfigValueException(key, "must be at least 1");
        }
    }

    private static void Fraction(string key, double value)
    {
        if (!(value > 0 && value <= 1))
        {
            throw new ConfigValueException(key, "must be in (0, 1]");
        }
    }
}
