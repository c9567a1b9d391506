using System.Buffers;
using System.ComponentModel;
using EnergyRegression.Configuration;
using EnergyRegression.Data;
using EnergyRegression.Kernels;

namespace EnergyRegression.Plugins.Features;

/// <summary>Config of <see cref="ShowerShapesPlugin"/>.</summary>
public sealed class ShowerShapesConfig : PluginConfig
{
    /// <summary>The object collection.</summary>
    [Description("The object collection, e.g. Electron.")]
    public required string Collection { get; set; }

    /// <summary>The crystal window the shapes are computed from.</summary>
    [Description("Object column with each object's crystal window (rows η, columns φ). Default: <collection>_window.")]
    public string? Source { get; set; }

    /// <summary>Where the seed is.</summary>
    [Description("The seed crystal: max (most energetic crystal of the window) or middle (row height/2, column width/2, where the simulator and the window stage put it).")]
    public WindowCentre Seed { get; set; } = WindowCentre.Max;

    /// <summary>Denominator of r9.</summary>
    [Description("Object column with the raw (super)cluster energy, the denominator of r9 = e3x3 / E_raw. Default: <collection>_energy.")]
    public string? RawEnergy { get; set; }

    /// <summary>Which variables to add.</summary>
    [Description("Variables to add (default all): eMax, e2nd, e3x3, e5x5, e1x5, e2x5Left, e2x5Right, e2x5Top, e2x5Bottom, e2x5Max, eLeft, eRight, eTop, eBottom, sieie, sipip, centroidEta, centroidPhi, r9, e3x3OverE5x5, eMaxOverE3x3.")]
    public List<string>? Variables { get; set; }

    /// <summary>Appended to every new column name.</summary>
    [Description("Appended to every column name, e.g. suffix: Kernel gives Electron_e3x3Kernel (when the reader already has Electron_e3x3).")]
    public string Suffix { get; set; } = "";

    /// <summary>Replace existing columns.</summary>
    [Description("Replace columns that already exist (e.g. a reader's Electron_r9) instead of stopping with an error.")]
    public bool Overwrite { get; set; }

    /// <summary>The chosen variables, in output order.</summary>
    internal IReadOnlyList<ShowerShapeVariable> Selected =>
        Variables is null ? Enum.GetValues<ShowerShapeVariable>() : [.. Variables.Select(v => ShowerShapesPlugin.VariableNames[v])];

    /// <inheritdoc />
    public override void Validate()
    {
        RequireDistinctNames("variables", Variables, "variable");
        foreach (string name in Variables ?? [])
        {
            if (!ShowerShapesPlugin.VariableNames.ContainsKey(name))
            {
                throw new ConfigValueException("variables",
                    $"unknown variable '{name}'{NameSuggestions.DidYouMean(name, ShowerShapesPlugin.VariableNames.Keys)}; known: {string.Join(", ", ShowerShapesPlugin.VariableNames.Keys)}");
            }
        }
        if (Seed == WindowCentre.Columns)
        {
            throw new ConfigValueException("seed", "seed must be max or middle");
        }
    }
}

/// <summary>
/// Adds the shower-shape variables of every object's crystal window as columns
/// <c>Collection_e3x3</c>, <c>Collection_r9</c>, <c>Collection_sieie</c>, … (CMS definitions, PHYSICS.md),
/// computed for the whole batch at once by the structure-of-arrays kernel <see cref="ShowerShapes.Compute"/>.
/// </summary>
[Plugin("shower-shapes", Description = "Adds shower shapes of each object's crystal window: e1x1…e5x5, 2x5 strips, neighbours, r9, ratios, log-weighted sieie/sipip and centroid.")]
public sealed class ShowerShapesPlugin(ShowerShapesConfig config) : IFeature
{
    /// <summary>Column field names (NanoAOD style where NanoAOD has the variable) of each kernel output.</summary>
    internal static readonly IReadOnlyDictionary<string, ShowerShapeVariable> VariableNames = new Dictionary<string, ShowerShapeVariable>(StringComparer.Ordinal)
    {
        ["eMax"] = ShowerShapeVariable.EMax,
        ["e2nd"] = ShowerShapeVariable.E2nd,
        ["e3x3"] = ShowerShapeVariable.E3x3,
        ["e5x5"] = ShowerShapeVariable.E5x5,
        ["e1x5"] = ShowerShapeVariable.E1x5,
        ["e2x5Left"] = ShowerShapeVariable.E2x5Left,
        ["e2x5Right"] = ShowerShapeVariable.E2x5Right,
        ["e2x5Top"] = ShowerShapeVariable.E2x5Top,
        ["e2x5Bottom"] = ShowerShapeVariable.E2x5Bottom,
        ["e2x5Max"] = ShowerShapeVariable.E2x5Max,
        ["eLeft"] = ShowerShapeVariable.ELeft,
        ["eRight"] = ShowerShapeVariable.ERight,
        ["eTop"] = ShowerShapeVariable.ETop,
        ["eBottom"] = ShowerShapeVariable.EBottom,
        ["sieie"] = ShowerShapeVariable.SigmaIEtaIEta,
        ["sipip"] = ShowerShapeVariable.SigmaIPhiIPhi,
        ["centroidEta"] = ShowerShapeVariable.CentroidEta,
        ["centroidPhi"] = ShowerShapeVariable.CentroidPhi,
        ["r9"] = ShowerShapeVariable.R9,
        ["e3x3OverE5x5"] = ShowerShapeVariable.E3x3OverE5x5,
        ["eMaxOverE3x3"] = ShowerShapeVariable.EMaxOverE3x3,
    };

    private readonly (ShowerShapeVariable Variable, string Column)[] _outputs =
        [.. config.Selected.Select(v => (v, $"{config.Collection}_{VariableNames.First(p => p.Value == v).Key}{config.Suffix}"))];

    /// <inheritdoc />
    public void Compute(EventBatch batch)
    {
        string sourceName = config.Source ?? $"{config.Collection}_window";
        BatchColumns.RequireCollection(batch, config.Collection, "collection");
        Column window = BatchColumns.RequireObjectColumn(batch, sourceName, config.Collection, 2, config.Source is null ? "collection" : "source");
        Column raw = BatchColumns.RequireObjectColumn(batch, config.RawEnergy ?? $"{config.Collection}_energy", config.Collection, 0, "raw_energy");
        foreach ((_, string column) in _outputs)
        {
            BatchColumns.MakeRoom(batch, column, config.Overwrite, "overwrite",
                "set suffix (e.g. suffix: Kernel), overwrite: true, or leave the variable out of variables");
        }

        int n = window.Rows, height = window.Shape[0], width = window.Shape[1];
        int[] seeds = ArrayPool<int>.Shared.Rent(Math.Max(1, n));
        float[] shapes = ArrayPool<float>.Shared.Rent(Math.Max(1, n * ShowerShapes.VariableCount));
        try
        {
            using var windows = new FloatValues(window);
            using var rawEnergies = new FloatValues(raw);
            Span<int> seedSpan = seeds.AsSpan(0, n);
            BatchColumns.FindSeeds(windows.Span, height, width, config.Seed, seedSpan);
            Span<float> output = shapes.AsSpan(0, n * ShowerShapes.VariableCount);
            ShowerShapes.Compute(windows.Span, height, width, seedSpan, rawEnergies.Span, output);
            foreach ((ShowerShapeVariable variable, string name) in _outputs)
            {
                output.Slice((int)variable * n, n).CopyTo(batch.AddObjectColumn<float>(config.Collection, name).Values);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(seeds);
            ArrayPool<float>.Shared.Return(shapes);
        }
    }
}
