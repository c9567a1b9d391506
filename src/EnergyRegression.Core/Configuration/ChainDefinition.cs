using System.ComponentModel;
using EnergyRegression.Configuration;
using EnergyRegression.Core.Yaml;
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
    public required StepDefinition Reader { get; set; }

    [Description("Selections, features and regressors, run in order on every batch.")]
    public StepDefinition[] Stages { get; set; } = [];

    [Description("Where the events go: `type:` a writer plugin, `with:` its keys. Optional.")]
    public StepDefinition? Writer { get; set; }

    [Description("How `energyreg train` splits the events and which regressor it trains (docs/training.md).")]
    public TrainingDefinition Train { get; set; } = new();

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
    }
}
