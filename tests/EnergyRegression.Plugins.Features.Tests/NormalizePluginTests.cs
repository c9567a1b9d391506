using EnergyRegression.Data;
using EnergyRegression.Plugins.Features;

namespace EnergyRegression.Plugins.Features.Tests;

/// <summary>The <c>normalize</c> stage: each method on simulated columns, the stats file, and refusals.</summary>
public sealed class NormalizePluginTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("normalize-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Column<float> Run(EventBatch batch, NormalizeConfig config, string output)
    {
        Stage.Run<NormalizePlugin>(batch, config);
        return batch.GetColumn<float>(output);
    }

    [Fact]
    public void Windows_divided_by_their_maximum_peak_at_one()
    {
        using EventBatch batch = SimulatedBatches.Zee(100);
        Column<float> source = batch.GetColumn<float>("Electron_window");
        Column<float> normalized = Run(batch, new NormalizeConfig { Column = "Electron_window", Method = NormalizeMethod.DivideByMax }, "Electron_windowNorm");
        Assert.Equal(source.Shape, normalized.Shape);
        for (int o = 0; o < source.Rows; o++)
        {
            float max = source.Row(o).ToArray().Max();
            Assert.Equal(1f, normalized.Row(o).ToArray().Max());
            Assert.Equal(source.Row(o)[100] / max, normalized.Row(o)[100]);
        }
    }

    [Fact]
    public void Windows_divided_by_their_sum_add_up_to_one()
    {
        using EventBatch batch = SimulatedBatches.Zee(100);
        Column<float> normalized = Run(batch, new NormalizeConfig { Column = "Electron_window", Method = NormalizeMethod.DivideBySum, Output = "Electron_fractions" }, "Electron_fractions");
        for (int o = 0; o < normalized.Rows; o++)
        {
            Assert.Equal(1.0, normalized.Row(o).ToArray().Sum(v => (double)v), 5);
        }
    }

    [Fact]
    public void Log_standardize_and_sincos_of_scalar_columns()
    {
        using EventBatch batch = SimulatedBatches.Zee(100);
        Span<float> pt = batch.GetColumn<float>("Electron_pt").Values;
        Span<float> phi = batch.GetColumn<float>("Electron_phi").Values;
        Span<float> log = Run(batch, new NormalizeConfig { Column = "Electron_pt", Method = NormalizeMethod.Log, Offset = 2 }, "Electron_ptNorm").Values;
        string stats = Path.Combine(_directory, "stats.json");
        File.WriteAllText(stats, """{"mean": [40], "std": [8]}""");
        Span<float> standardized = Run(batch, new NormalizeConfig { Column = "Electron_pt", Method = NormalizeMethod.Standardize, Stats = stats, Output = "Electron_ptStd" }, "Electron_ptStd").Values;
        Run(batch, new NormalizeConfig { Column = "Electron_phi", Method = NormalizeMethod.Sincos }, "Electron_phiSin");
        Span<float> sin = batch.GetColumn<float>("Electron_phiSin").Values, cos = batch.GetColumn<float>("Electron_phiCos").Values;
        for (int o = 0; o < pt.Length; o++)
        {
            Assert.Equal(Math.Log(pt[o] + 2.0), log[o], 1e-6 * Math.Log(pt[o] + 2.0));
            Assert.Equal((pt[o] - 40f) / 8f, standardized[o]);
            Assert.Equal(Math.Sin(phi[o]), sin[o], 1e-6);
            Assert.Equal(Math.Cos(phi[o]), cos[o], 1e-6);
        }
    }

    [Fact]
    public void Per_crystal_standardisation_needs_one_mean_per_crystal()
    {
        using EventBatch batch = SimulatedBatches.Zee(20);
        double[] means = [.. Enumerable.Range(0, 1024).Select(k => 0.001 * k)];
        double[] stds = [.. Enumerable.Repeat(0.5, 1024)];
        Column<float> z = Run(batch, new NormalizeConfig { Column = "Electron_window", Method = NormalizeMethod.Standardize, Mean = means, Std = stds }, "Electron_windowNorm");
        Column<float> source = batch.GetColumn<float>("Electron_window");
        Assert.Equal((source.Row(0)[77] - (float)means[77]) / 0.5f, z.Row(0)[77]);
        var wrongLength = Assert.Throws<ConfigValueException>(() =>
            Run(batch, new NormalizeConfig { Column = "Electron_window", Method = NormalizeMethod.Standardize, Mean = [1, 2], Std = [1, 1], Output = "w" }, "w"));
        Assert.Equal("mean", wrongLength.Key);
    }

    [Fact]
    public void Bad_configs_and_stats_files_are_reported_on_their_key()
    {
        Assert.Equal("offset", Assert.Throws<ConfigValueException>(() => new NormalizeConfig { Column = "x", Method = NormalizeMethod.Log, Offset = 0 }.Validate()).Key);
        Assert.Equal("std", Assert.Throws<ConfigValueException>(() => new NormalizeConfig { Column = "x", Method = NormalizeMethod.Standardize, Mean = [1] }.Validate()).Key);
        Assert.Equal("std", Assert.Throws<ConfigValueException>(() => new NormalizeConfig { Column = "x", Method = NormalizeMethod.Standardize, Mean = [1], Std = [-1] }.Validate()).Key);
        Assert.Equal("mean", Assert.Throws<ConfigValueException>(() => new NormalizeConfig { Column = "x", Method = NormalizeMethod.Log, Mean = [1] }.Validate()).Key);

        string broken = Path.Combine(_directory, "broken.json");
        File.WriteAllText(broken, "{\"mean\": [1,\n \"std\": [2]}");
        var json = Assert.Throws<ConfigValueException>(() => new NormalizePlugin(new NormalizeConfig { Column = "x", Method = NormalizeMethod.Standardize, Stats = broken }));
        Assert.Equal("stats", json.Key);
        Assert.Contains($"{broken}: line 2", json.Message, StringComparison.Ordinal);
        string wrongType = Path.Combine(_directory, "strings.json");
        File.WriteAllText(wrongType, """{"mean": ["a"], "std": [1]}""");
        Assert.Contains("\"mean\"[0] is String", Assert.Throws<ConfigValueException>(() =>
            new NormalizePlugin(new NormalizeConfig { Column = "x", Method = NormalizeMethod.Standardize, Stats = wrongType })).Message, StringComparison.Ordinal);
        Assert.Contains("cannot read", Assert.Throws<ConfigValueException>(() =>
            new NormalizePlugin(new NormalizeConfig { Column = "x", Method = NormalizeMethod.Standardize, Stats = Path.Combine(_directory, "none.json") })).Message, StringComparison.Ordinal);

        using EventBatch batch = SimulatedBatches.Zee(20);
        Assert.Equal("method", Assert.Throws<ConfigValueException>(() =>
            Run(batch, new NormalizeConfig { Column = "Electron_pt", Method = NormalizeMethod.DivideByMax }, "Electron_ptNorm")).Key);
        Assert.Equal("column", Assert.Throws<ConfigValueException>(() =>
            Run(batch, new NormalizeConfig { Column = "Electron_ptt", Method = NormalizeMethod.Log }, "Electron_pttNorm")).Key);
    }
}
