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
