using EnergyRegression.Data;
using EnergyRegression.Plugins;

namespace MyPlugin.Tests;

public sealed class MyPluginFeatureTests
{
    private readonly PluginHarness _harness = new();

    // Three events with 2, 0 and 1 electrons.
    private static EventBatchBuilder Electrons(params float[] energies) => new EventBatchBuilder(3)
        .EventColumn("rho", new[] { 10f, 20f, 30f })
        .Collection("Electron", 2, 0, 1)
        .ObjectColumn("Electron", "Electron_energy", energies);

    [Fact]
    public void Scales_every_object_energy_into_the_new_column()
    {
        var feature = _harness.Create<MyPluginFeature>(new MyPluginConfig { Output = "Electron_energyScaled", Factor = 1.5 });

        using StageRun run = _harness.Run(feature, [Electrons(10f, 20f, 45.5f).Build()]);

        Dataset result = run.Contents();
        Assert.Equal([15.0, 30.0, 68.25], result.Values["Electron_energyScaled"]);
        Assert.Equal([10.0, 20.0, 45.5], result.Values["Electron_energy"]);
    }

    [Fact]
    public void Runs_on_a_simulated_sample_in_batches()
    {
        var feature = _harness.Create<MyPluginFeature>(new MyPluginConfig { Output = "Electron_energyScaled", Factor = 2 });

        using StageRun run = _harness.Run(feature, SimulatedSample.Electrons(100).BuildBatches(30));

        Dataset result = run.Contents();
        Assert.Equal(100, result.Events);
        Assert.Equal(result.Values["Electron_energy"].Select(e => (double)(float)(2 * e)), result.Values["Electron_energyScaled"]);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void Rejects_a_factor_that_is_not_positive(double factor)
    {
        var config = new MyPluginConfig { Output = "Electron_energyScaled", Factor = factor };

        ConfigValueException error = Assert.Throws<ConfigValueException>(() => _harness.Create<MyPluginFeature>(config));

        Assert.Equal("factor", error.Key);
    }

    [Fact]
    public void A_missing_or_unsuitable_input_column_is_an_error_on_its_key()
    {
        var misspelled = _harness.Create<MyPluginFeature>(new MyPluginConfig { Output = "x", InputEnergy = "Electron_enrgy" });
        var eventLevel = _harness.Create<MyPluginFeature>(new MyPluginConfig { Output = "x", InputEnergy = "rho" });

        ConfigValueException missing = Assert.Throws<ConfigValueException>(() => _harness.Run(misspelled, [Electrons(1f, 2f, 3f).Build()]));
        ConfigValueException wrongLevel = Assert.Throws<ConfigValueException>(() => _harness.Run(eventLevel, [Electrons(1f, 2f, 3f).Build()]));

        Assert.Equal("input_energy", missing.Key);
        Assert.Contains("did you mean 'Electron_energy'?", missing.Message, StringComparison.Ordinal);
        Assert.Equal("input_energy", wrongLevel.Key);
    }
}
