using EnergyRegression.Data;
using EnergyRegression.Plugins;

namespace MyPlugin.Tests;

public sealed class MyPluginFeatureTests
{
    // Three events with 2, 0 and 1 electrons.
    private static EventBatch Batch(params float[] energies)
    {
        var batch = new EventBatch(3);
        batch.AddCollection("Electron", [2, 0, 1]);
        energies.CopyTo(batch.AddObjectColumn<float>("Electron", "Electron_energy").Values);
        return batch;
    }

    [Fact]
    public void Scales_every_object_energy_into_the_new_column()
    {
        using EventBatch batch = Batch(10f, 20f, 45.5f);
        var feature = new MyPluginFeature(new MyPluginConfig { Output = "Electron_energyScaled", Factor = 1.5 });

        feature.Compute(batch);

        Assert.Equal([15f, 30f, 68.25f], batch.GetColumn<float>("Electron_energyScaled").Values.ToArray());
        Assert.Equal([10f, 20f, 45.5f], batch.GetColumn<float>("Electron_energy").Values.ToArray());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void Rejects_a_factor_that_is_not_positive(double factor)
    {
        var config = new MyPluginConfig { Output = "Electron_energyScaled", Factor = factor };

        ConfigValueException error = Assert.Throws<ConfigValueException>(config.Validate);

        Assert.Equal("factor", error.Key);
    }

    [Fact]
    public void An_event_column_as_input_is_a_config_error()
    {
        using EventBatch batch = Batch(10f, 20f, 45.5f);
        batch.AddEventColumn<float>("rho");
        var feature = new MyPluginFeature(new MyPluginConfig { Output = "x", InputEnergy = "rho" });

        Assert.Equal("input_energy", Assert.Throws<ConfigValueException>(() => feature.Compute(batch)).Key);
    }
}
