using EnergyRegression.Data;
using EnergyRegression.Plugins;

namespace MyPlugin.Tests;

public sealed class MyPluginSelectionTests
{
    private readonly PluginHarness _harness = new();

    // Four events with 2, 1, 0 and 2 electrons.
    private static EventBatchBuilder Electrons() => new EventBatchBuilder(4)
        .Collection("Electron", 2, 1, 0, 2)
        .ObjectColumn("Electron", "Electron_pt", new[] { 30f, 10f, 40f, 50f, 26f })
        .ObjectColumn("Electron", "Electron_eta", new[] { 0.5f, 0.1f, 2.7f, -1.2f, 2.4f });

    [Fact]
    public void Keeps_objects_passing_both_cuts_and_events_with_enough_of_them()
    {
        var selection = _harness.Create<MyPluginSelection>(new MyPluginConfig { MinPt = 25, MaxEta = 2.5, MinObjects = 1 });

        using StageRun run = _harness.Run(selection, Electrons().BuildBatches(2));

        Dataset kept = run.Contents();
        Assert.Equal([1, 2], kept.Counts["Electron"]);          // event 1 lost its only electron (|eta| 2.7), event 2 had none
        Assert.Equal([30.0, 50.0, 26.0], kept.Values["Electron_pt"]);
        Assert.Equal((4L, 2L), (run.EventsIn, run.EventsOut));
    }

    [Fact]
    public void Reports_each_cut_with_what_entered_and_passed_it()
    {
        var selection = _harness.Create<MyPluginSelection>(new MyPluginConfig { MinPt = 25, MaxEta = 2.5, MinObjects = 2 });

        using StageRun run = _harness.Run(selection, Electrons().BuildBatches(2));

        // Summed over both batches, as the cut flow sums them.
        Assert.Equal(
        [
            new CutCount("Electron pt > 25", "Electron", 4, 3, 5, 4),
            new CutCount("Electron |eta| < 2.5", "Electron", 3, 2, 4, 3),
            new CutCount("nElectron >= 2", "Electron", 2, 1, 3, 2),
        ], run.Cuts);
        Assert.Equal((4L, 1L), (run.EventsIn, run.EventsOut));
    }

    [Fact]
    public void Selects_a_simulated_sample_as_its_cuts_say()
    {
        var selection = _harness.Create<MyPluginSelection>(new MyPluginConfig { MinPt = 30, MaxEta = 1.4442 });
        Dataset before = Dataset.Of(SimulatedSample.Electrons(300).BuildBatches(100));

        using StageRun run = _harness.Run(selection, SimulatedSample.Electrons(300).BuildBatches(100));

        Dataset after = run.Contents();
        int expected = Enumerable.Range(0, before.Values["Electron_pt"].Count)
            .Count(i => before.Values["Electron_pt"][i] > 30 && Math.Abs(before.Values["Electron_eta"][i]) < 1.4442);
        Assert.Equal(expected, after.Values["Electron_pt"].Count);
        Assert.All(after.Counts["Electron"], n => Assert.True(n >= 1));
    }

    [Fact]
    public void Bad_values_and_columns_are_errors_on_their_keys()
    {
        Assert.Equal("min_pt", Assert.Throws<ConfigValueException>(() => _harness.Create<MyPluginSelection>(new MyPluginConfig { MinPt = -1 })).Key);
        var selection = _harness.Create<MyPluginSelection>(new MyPluginConfig { Eta = "Electron_scEta" });

        ConfigValueException error = Assert.Throws<ConfigValueException>(() => _harness.Run(selection, [Electrons().Build()]));

        Assert.Equal("eta", error.Key);
    }
}
