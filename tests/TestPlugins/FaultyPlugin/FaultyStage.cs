using System.ComponentModel;
using EnergyRegression.Configuration;
using EnergyRegression.Data;
using EnergyRegression.Plugins;

namespace FaultyPlugin;

/// <summary>When the faulty stage throws.</summary>
public enum FailurePoint
{
    Constructor,
    Compute,
    Never,
}

public sealed class FaultyConfig : PluginConfig
{
    [Description("Where to throw.")]
    public FailurePoint FailIn { get; set; } = FailurePoint.Compute;

    [Description("In compute: throw on the batch containing this input entry.")]
    public long AtEntry { get; set; }

    [Description("Sleep this many milliseconds per batch (to make a run slow enough to interrupt).")]
    public int DelayMs { get; set; }
}

/// <summary>A stage that fails on purpose, to test how the host reports plugin failures.</summary>
[Plugin("faulty", Description = "Test plugin that throws.")]
public sealed class FaultyStage : IFeature
{
    private readonly FaultyConfig _config;

    public FaultyStage(FaultyConfig config)
    {
        _config = config;
        if (config.FailIn == FailurePoint.Constructor)
        {
            throw new InvalidOperationException("deliberate failure in the constructor");
        }
    }

    public void Compute(EventBatch batch)
    {
        if (_config.DelayMs > 0)
        {
            Thread.Sleep(_config.DelayMs);
        }
        if (_config.FailIn == FailurePoint.Compute && _config.AtEntry >= batch.FirstEntry && _config.AtEntry < batch.FirstEntry + batch.EventCount)
        {
            throw new InvalidOperationException($"deliberate failure at entry {_config.AtEntry}");
        }
    }
}
