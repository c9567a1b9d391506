using EnergyRegression.Data;
using EnergyRegression.Plugins;

namespace MyPlugin.Tests;

public sealed class MyPluginRegressorTests
{
    private readonly PluginHarness _harness = new();

    [Fact]
    public void Divides_the_raw_energy_by_the_response_at_the_objects_eta()
    {
        var regressor = _harness.Create<MyPluginRegressor>(new MyPluginConfig { Response = 0.95, Slope = 0.02 });
        EventBatch batch = new EventBatchBuilder(2)
            .Collection("Electron", 1, 2)
            .ObjectColumn("Electron", "Electron_energy", new[] { 95f, 46.5f, 10f })
            .ObjectColumn("Electron", "Electron_eta", new[] { 0f, -1f, 2.5f })
            .Build();

        using StageRun run = _harness.Run(regressor, [batch]);

        // 95 / 0.95, 46.5 / 0.93, 10 / 0.90, each rounded to float as the column stores them.
        Assert.Equal([(double)(float)100.0, (float)(46.5 / 0.93), (float)(10 / 0.90)], run.Contents().Values["Electron_energyCalib"]);
    }

    [Fact]
    public void Brings_the_simulated_samples_energy_scale_to_one()
    {
        // SimulatedSample's toy detector has the response 0.97 - 0.02 |eta| (plus a little pile-up): the defaults.
        var regressor = _harness.Create<MyPluginRegressor>(new MyPluginConfig());

        using StageRun run = _harness.Run(regressor, SimulatedSample.Electrons(2000).BuildBatches(500));

        Dataset result = run.Contents();
        double[] before = Ratios(result.Values["Electron_energy"], result.Values["Electron_genEnergy"]);
        double[] after = Ratios(result.Values["Electron_energyCalib"], result.Values["Electron_genEnergy"]);
        Assert.InRange(Median(before), 0.93, 0.97);
        Assert.InRange(Median(after), 0.995, 1.01);
    }

    [Fact]
    public void A_response_reaching_zero_and_a_missing_column_are_errors_on_their_keys()
    {
        Assert.Equal("slope", Assert.Throws<ConfigValueException>(() => _harness.Create<MyPluginRegressor>(new MyPluginConfig { Slope = 0.5 })).Key);
        var regressor = _harness.Create<MyPluginRegressor>(new MyPluginConfig { RawEnergy = "Electron_rawEnergy" });

        ConfigValueException error = Assert.Throws<ConfigValueException>(() => _harness.Run(regressor, [SimulatedSample.Electrons(5).Build()]));

        Assert.Equal("raw_energy", error.Key);
    }

    private static double[] Ratios(List<double> energy, List<double> truth) => energy.Select((e, i) => e / truth[i]).ToArray();

    private static double Median(double[] values) => values.Order().ElementAt(values.Length / 2);
}
