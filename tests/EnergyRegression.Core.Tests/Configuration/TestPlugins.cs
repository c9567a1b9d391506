using System.ComponentModel;
using EnergyRegression.Configuration;
using EnergyRegression.Core.Plugins;
using EnergyRegression.Core.Running;
using EnergyRegression.Data;
using EnergyRegression.Plugins;
using EnergyRegression.Running;

namespace EnergyRegression.Core.Tests.Configuration;

/// <summary>The plugins the configuration tests build chains from, and helpers to build them.</summary>
public static class TestPlugins
{
    /// <summary>A catalog with every test plugin.</summary>
    public static PluginCatalog Catalog()
    {
        var catalog = new PluginCatalog();
        catalog.Add(typeof(TestReader));
        catalog.Add(typeof(TestGenerator));
        catalog.Add(typeof(TestCut));
        catalog.Add(typeof(TestFeature));
        catalog.Add(typeof(TestWriter));
        return catalog;
    }

    /// <summary>A silent run context.</summary>
    public static RunContext Context() => new(SilentConsole.Instance, SilentConsole.Instance, 42, CancellationToken.None);
}

/// <summary>Detector regions (an enum key).</summary>
public enum DetectorRegion
{
    Barrel,
    Endcap,
    ForwardRegion,
}

/// <summary>A nested config class without validation.</summary>
public sealed class CropWindow
{
    [Description("Crystals in eta.")]
    public int Eta { get; set; } = 5;

    [Description("Crystals in phi.")]
    public int Phi { get; set; } = 5;

    public string Shape { get; set; } = "square";
}

/// <summary>A nested config class with its own validation.</summary>
public sealed class EnergyLimits : PluginConfig
{
    public double Min { get; set; }

    public double Max { get; set; } = 1000;

    public override void Validate()
    {
        if (Max < Min)
        {
            throw new ConfigValueException("max", "must not be below min");
        }
    }
}

/// <summary>Config of <see cref="TestReader"/>: one key of every supported kind.</summary>
public sealed class TestReaderConfig : PluginConfig
{
    [Description("Input files.")]
    public required string[] Files { get; set; }

    [Description("Events to read.")]
    public int Events { get; set; } = 100;

    [Description("Total event budget.")]
    public long Budget { get; set; } = 1_000_000_000_000;

    [Description("Energy scale; must be positive.")]
    public double Scale { get; set; } = 1.5;

    public float Fraction { get; set; } = 0.25f;

    public bool Shuffle { get; set; }

    [Description("Which region to read.")]
    public DetectorRegion Detector { get; set; } = DetectorRegion.Barrel;

    public List<string> Branches { get; set; } = ["pt", "eta"];

    public IReadOnlyList<int> Runs { get; set; } = [];

    public Dictionary<string, double> Weights { get; set; } = [];

    public IReadOnlyDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>();

    public CropWindow Window { get; set; } = new();

    public EnergyLimits Limits { get; set; } = new();

    public string? Comment { get; set; }

    public DetectorRegion? Region { get; set; }

    [ConfigKey("n_jobs")]
    public long Jobs { get; set; } = 1;

    public override void Validate()
    {
        if (Scale <= 0)
        {
            throw new ConfigValueException("scale", "must be positive");
        }
    }
}

[Plugin("test-reader", Description = "A reader for configuration tests.")]
public sealed class TestReader(TestReaderConfig config, IRunContext context) : IEventReader
{
    public TestReaderConfig Config { get; } = config;

    public IRunContext Context { get; } = context;

    public IReadOnlyList<string> InputFiles => Config.Files;

    public long? CountEvents() => 0;

    public IEnumerable<EventBatch> ReadBatches(int batchSize, CancellationToken cancellation) => [];

    public void Dispose()
    {
    }
}

/// <summary>A second reader, so "known:" lists have more than one name.</summary>
[Plugin("test-generator")]
public sealed class TestGenerator : IEventReader
{
    public IReadOnlyList<string> InputFiles => [];

    public long? CountEvents() => null;

    public IEnumerable<EventBatch> ReadBatches(int batchSize, CancellationToken cancellation) => [];

    public void Dispose()
    {
    }
}

public sealed class TestCutConfig : PluginConfig
{
    [Description("The collection to cut on.")]
    public required string Collection { get; set; }

    [Description("Minimum transverse momentum in GeV.")]
    public double MinPt { get; set; } = 10;
}

/// <summary>A selection whose constructor rejects a negative <c>min_pt</c>.</summary>
[Plugin("test-cut")]
public sealed class TestCut : ISelection
{
    public TestCut(TestCutConfig config)
    {
        if (config.MinPt < 0)
        {
            throw new ConfigValueException("min_pt", "must not be negative");
        }
        Config = config;
    }

    public TestCutConfig Config { get; }

    public void Select(EventBatch batch, SelectionMask mask)
    {
    }
}

/// <summary>A feature that takes no keys.</summary>
[Plugin("test-feature")]
public sealed class TestFeature : IFeature
{
    public void Compute(EventBatch batch)
    {
    }
}

public sealed class TestWriterConfig : PluginConfig
{
    [Description("The output file.")]
    public required string Output { get; set; }
}

[Plugin("test-writer")]
public sealed class TestWriter(TestWriterConfig config) : IEventWriter
{
    public TestWriterConfig Config { get; } = config;

    public string OutputPath => Config.Output;

    public void Open(Provenance provenance)
    {
    }

    public void Write(EventBatch batch)
    {
    }

    public void Commit()
    {
    }

    public void Dispose()
    {
    }
}
