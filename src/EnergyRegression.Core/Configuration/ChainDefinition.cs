using System.ComponentModel;
using EnergyRegression.Configuration;
using EnergyRegression.Core.Yaml;
using EnergyRegression.Expressions;
using EnergyRegression.Plugins;

namespace EnergyRegression.Core.Configuration;

/// <summary>The top level of a chain file (docs/configuration.md describes every key).</summary>
public sealed class ChainDefinition : PluginConfig
{
    [Description("A name for the chain, used in logs and provenance.")]
    public string Name { get; set; } = "chain";

    [Description("Seed of every random stream in the chain: the same config and seed give the same outputs.")]
    public int Seed { get; set; } = 42;

    [Description("Events per batch flowing through the chain; memory is bounded by a few batches.")]
    public int BatchSize { get; set; } = 1000;

    [Description("Worker threads running the stages; 0 = one per core.")]
    public int Threads { get; set; }

    [Description("Stop after this many events (0 = all).")]
    public long MaxEvents { get; set; }

    [Description("Extra plugin locations: a plugin .dll, its build folder, or a folder of plugin folders.")]
    public string[] Plugins { get; set; } = [];

    [Description("Where events come from: `type:` a reader plugin, `with:` its keys.")]
    [PluginStep(PluginKind.Reader)]
    public required StepDefinition Reader { get; set; }

    [Description("Selections, features and regressors, run in order on every batch.")]
    [PluginStep(PluginKind.Selection, PluginKind.Feature, PluginKind.Regressor)]
    public StepDefinition[] Stages { get; set; } = [];

    [Description("Where the events go: `type:` a writer plugin, `with:` its keys. Optional.")]
    [PluginStep(PluginKind.Writer)]
    public StepDefinition? Writer { get; set; }

    [Description("How `energyreg train` splits the events and which regressor it trains (docs/training.md).")]
    public TrainingDefinition Train { get; set; } = new();

    [Description("What `energyreg evaluate` measures: columns, bins, the Z-peak fit (docs/evaluation.md).")]
    public EvaluationDefinition Evaluate { get; set; } = new();

    /// <inheritdoc />
    public override void Validate()
    {
        if (BatchSize <= 0)
        {
            throw new ConfigValueException("batch_size", "must be a positive number of events");
        }
        if (Threads < 0)
        {
            throw new ConfigValueException("threads", "must be 0 (one per core) or more");
        }
        if (MaxEvents < 0)
        {
            throw new ConfigValueException("max_events", "must be 0 (all) or more");
        }
    }
}

/// <summary>One step of a chain: a plugin type and its keys.</summary>
public sealed class StepDefinition
{
    [Description("The plugin's name, as listed by `energyreg plugins`.")]
    public required string Type { get; set; }

    [Description("A label for the cut flow and messages; defaults to the type.")]
    public string? Name { get; set; }

    [Description("The plugin's own keys.")]
    public YamlMapping? With { get; set; }
}

/// <summary>The <c>train:</c> section: what <c>energyreg train</c> trains and how it splits the events.</summary>
public sealed class TrainingDefinition : PluginConfig
{
    [Description("The regressor stage to train, by its `name:` (or type); default: the chain's only trainable regressor.")]
    public string? Stage { get; set; }

    [Description("Several regressor stages trained one after the other on the same split, each into its own `model:` (instead of `stage:`).")]
    public string[] Stages { get; set; } = [];

    [Description("Where the model is written; default: the `model:` key of that stage's `with:`. `--output` overrides both.")]
    public string? Output { get; set; }

    [Description("Fraction of events for validation (early stopping, the metrics on the model card).")]
    public double Validation { get; set; } = 0.2;

    [Description("Fraction of events held out for testing: never trained on nor used for validation.")]
    public double Test { get; set; }

    [Description("Event-level integer columns whose values decide an event's part (a hash, so the split is the same in every shard and run). Absent columns: the input entry number.")]
    public string[] SplitBy { get; set; } = ["run", "luminosityBlock", "event"];

    [Description("Salt of the split hash: change it for a different, equally deterministic split.")]
    public long SplitSeed { get; set; }

    /// <inheritdoc />
    public override void Validate()
    {
        if (Validation is < 0 or >= 1 || double.IsNaN(Validation))
        {
            throw new ConfigValueException("validation", "must be a fraction in [0, 1)");
        }
        if (Test is < 0 or >= 1 || double.IsNaN(Test))
        {
            throw new ConfigValueException("test", "must be a fraction in [0, 1)");
        }
        if (Validation + Test >= 1)
        {
            throw new ConfigValueException("test", $"validation + test = {Validation + Test:0.###} leaves no events for training");
        }
        RequireDistinctNames("split_by", SplitBy);
        RequireDistinctNames("stages", Stages);
        if (Stage is not null && Stages.Length > 0)
        {
            throw new ConfigValueException("stages", "give either 'stage:' or 'stages:', not both");
        }
    }
}

/// <summary>The <c>evaluate:</c> section: the columns and bins <c>energyreg evaluate</c> uses (docs/evaluation.md).</summary>
public sealed class EvaluationDefinition : PluginConfig
{
    [Description("The regressor stage evaluated, by its `name:` (or type); default: the chain's only regressor.")]
    public string? Stage { get; set; }

    [Description("The events evaluated: `test`, `validation`, `training` or `all`; default: `test` when `train: test:` holds some out, else `all`. `--part` overrides.")]
    public string? Part { get; set; }

    [Description("The object collection evaluated; the default column names below start with it.")]
    public string Collection { get; set; } = "Electron";

    [Description("The true energy column (default `<collection>_genEnergy`).")]
    public string? TrueEnergy { get; set; }

    [Description("The raw (uncalibrated) energy column, the reference of the comparison (default `<collection>_energy`).")]
    public string? RawEnergy { get; set; }

    [Description("The column the regressor writes its energy to (default `<collection>_energyCalib`).")]
    public string? PredictedEnergy { get; set; }

    [Description("Several predicted energies compared in one pass of the chain as it stands: label → column, e.g. `{cnn: Electron_energyCNN, bdt: Electron_energyBDT}`; a label that names a stage finds its model (learning curves) (instead of `predicted_energy`; not with --models).")]
    public Dictionary<string, string> PredictedEnergies { get; set; } = [];

    [Description("Lower cuts on the raw energy (GeV): the comparison table again for the objects above each, as the first seed's RMSE table.")]
    public double[] Thresholds { get; set; } = [];

    [Description("GeV per unit of the RMSE in the thresholds table (100: the seeds' E/100 GeV).")]
    public double RmseUnit { get; set; } = 1;

    [Description("Charge column: the Z pair is the leading opposite-charge pair when present (default `<collection>_charge`), else the first two objects.")]
    public string? Charge { get; set; }

    [Description("A crystal-window column (object-level, H × W) whose average over the evaluated objects is drawn, as the first seed's figure.")]
    public string? Window { get; set; }

    [Description("Pseudorapidity column, for bins and the pair mass (default `<collection>_eta`).")]
    public string? Eta { get; set; }

    [Description("Azimuth column, for the pair mass (default `<collection>_phi`).")]
    public string? Phi { get; set; }

    [Description("Bins per quantity: a column of the collection, an event-level column given to each object of its event (`rho`), or an expression (`abs(Electron_scEta)`, docs/expressions.md) → its bin edges, or a single number n for n bins of equal population. σ_eff and the median response are reported per bin. Default: 5 equal-count bins of the true energy and 5 equal-width bins of η.")]
    public Dictionary<string, double[]> Bins { get; set; } = [];

    [Description("Object categories: grouping → (label → condition on the collection's objects, docs/expressions.md), e.g. `{region: {EB: \"abs(Electron_scEta) < 1.479\", EE: \"abs(Electron_scEta) >= 1.479\"}}`. Per grouping: the metrics of each category of objects and the Z-peak fit of each category of pairs (A–B, labels in this order). An object in no category is left out of that grouping; one in several belongs to the first.")]
    public Dictionary<string, Dictionary<string, string>> Categories { get; set; } = [];

    [Description("Per-object energy uncertainty column (GeV) of each `predicted_energies` label, label → column: the pull (E − E_true)/σ is reported (σ_eff, RMS, plot).")]
    public Dictionary<string, string> Uncertainties { get; set; } = [];

    [Description("Per-object energy uncertainty column (GeV) written beside `predicted_energy` (the chain's regressor, or each --models file): the pull (E − E_true)/σ is reported.")]
    public string? PredictedUncertainty { get; set; }

    [Description("Bootstrap resamples of every metric's uncertainty (0: none).")]
    public int Bootstrap { get; set; } = 200;

    [Description("Lower edge of the Z-peak fit window (GeV).")]
    public double ZLow { get; set; } = 70;

    [Description("Upper edge of the Z-peak fit window (GeV).")]
    public double ZHigh { get; set; } = 110;

    [Description("Histogram bins of the Z-peak window.")]
    public int ZBins { get; set; } = 80;

    [Description("Z-peak likelihood: `binned` or `unbinned`.")]
    public string ZFit { get; set; } = "binned";

    [Description("Fewest pairs in the Z-peak window for a fit (fewer: no fit).")]
    public int ZMinPairs { get; set; } = 200;

    /// <summary>The true energy column.</summary>
    public string TrueColumn => TrueEnergy ?? $"{Collection}_genEnergy";

    /// <summary>The raw energy column.</summary>
    public string RawColumn => RawEnergy ?? $"{Collection}_energy";

    /// <summary>The predicted energy column.</summary>
    public string PredictedColumn => PredictedEnergy ?? $"{Collection}_energyCalib";

    /// <summary>The charge column.</summary>
    public string ChargeColumn => Charge ?? $"{Collection}_charge";

    /// <summary>The η column.</summary>
    public string EtaColumn => Eta ?? $"{Collection}_eta";

    /// <summary>The φ column.</summary>
    public string PhiColumn => Phi ?? $"{Collection}_phi";

    /// <inheritdoc />
    public override void Validate()
    {
        if (Bootstrap < 0)
        {
            throw new ConfigValueException("bootstrap", "must be 0 (no uncertainties) or more resamples");
        }
        if (!(ZHigh > ZLow) || ZLow < 0)
        {
            throw new ConfigValueException("z_high", "the Z-peak window needs 0 ≤ z_low < z_high");
        }
        if (ZBins < 6)
        {
            throw new ConfigValueException("z_bins", "needs at least 6 bins");
        }
        if (ZFit is not ("binned" or "unbinned"))
        {
            throw new ConfigValueException("z_fit", "must be 'binned' or 'unbinned'");
        }
        if (Part is not null and not ("test" or "validation" or "training" or "all"))
        {
            throw new ConfigValueException("part", $"'{Part}' is not one of test, validation, training, all");
        }
        if (PredictedEnergies.Count > 0 && PredictedEnergy is not null)
        {
            throw new ConfigValueException("predicted_energies", "give either 'predicted_energy:' or 'predicted_energies:', not both");
        }
        if (PredictedEnergies.Values.Distinct(StringComparer.Ordinal).Count() != PredictedEnergies.Count)
        {
            throw new ConfigValueException("predicted_energies", "a column is named twice");
        }
        if (Thresholds.Any(t => !double.IsFinite(t)) || Thresholds.Zip(Thresholds.Skip(1)).Any(p => !(p.Second > p.First)))
        {
            throw new ConfigValueException("thresholds", "must be increasing finite energies (GeV)");
        }
        if (!(RmseUnit > 0) || !double.IsFinite(RmseUnit))
        {
            throw new ConfigValueException("rmse_unit", "must be a positive number of GeV");
        }
        foreach ((string column, double[] edges) in Bins)
        {
            bool count = edges.Length == 1 && edges[0] >= 1 && edges[0] <= 1000 && edges[0] == Math.Floor(edges[0]);
            if (!count && (edges.Length < 2 || edges.Any(e => !double.IsFinite(e)) || edges.Zip(edges.Skip(1)).Any(p => !(p.Second > p.First))))
            {
                throw new ConfigValueException($"bins.{column}", $"the bins of '{column}' must be at least two increasing edges, or a number of equal-population bins (1 to 1000)");
            }
        }
        foreach ((string grouping, Dictionary<string, string> labels) in Categories)
        {
            if (labels.Count == 0)
            {
                throw new ConfigValueException($"categories.{grouping}", "needs at least one category, label → condition");
            }
            foreach ((string label, string condition) in labels)
            {
                if (label.Length == 0 || label.Contains('–'))
                {
                    throw new ConfigValueException($"categories.{grouping}", $"'{label}' cannot be a label: labels are non-empty and hold no '–' (it joins the labels of a pair)");
                }
                try
                {
                    Expression.Parse(condition);
                }
                catch (ExpressionException e)
                {
                    throw new ConfigValueException($"categories.{grouping}.{label}", e.Message, e);
                }
            }
        }
        foreach (string label in Uncertainties.Keys.Where(l => !PredictedEnergies.ContainsKey(l)))
        {
            throw new ConfigValueException($"uncertainties.{label}",
                $"'{label}' is not a label of 'predicted_energies' ({(PredictedEnergies.Count == 0 ? "none given" : string.Join(", ", PredictedEnergies.Keys))})");
        }
        if (PredictedUncertainty is not null && PredictedEnergies.Count > 0)
        {
            throw new ConfigValueException("predicted_uncertainty", "with 'predicted_energies:' give the uncertainty columns as 'uncertainties:', label → column");
        }
    }
}
