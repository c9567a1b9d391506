using EnergyRegression.Data;
using EnergyRegression.Plugins.Features;

namespace EnergyRegression.Plugins.Features.Tests;

/// <summary>The <c>shower-shapes</c> stage against the shapes the simulator computes from its own crystals.</summary>
public class ShowerShapesPluginTests
{
    private static void Run(EventBatch batch, ShowerShapesConfig config) => Stage.Run<ShowerShapesPlugin>(batch, config);

    [Fact]
    public void Shapes_of_the_stored_windows_equal_the_simulators_own()
    {
        // The simulator computes e3x3, e5x5, eMax, r9, sieie and sipip from the detector's crystals (double
        // precision, its own code); the stage recomputes them from the stored window. They must agree: this
        // checks the window's orientation and centring as much as the kernels.
        using EventBatch batch = SimulatedBatches.Zee(300);
        Run(batch, new ShowerShapesConfig { Collection = "Electron", Seed = WindowCentre.Middle, Suffix = "K" });
        foreach ((string simulator, double relative, double absolute) in new[]
        {
            ("eMax", 0.0, 0.0), ("e3x3", 1e-6, 1e-6), ("e5x5", 1e-6, 1e-6), ("r9", 1e-6, 1e-6), ("sieie", 2e-5, 1e-7), ("sipip", 2e-5, 1e-7),
        })
        {
            Column<float> expected = batch.GetColumn<float>($"Electron_{simulator}"), actual = batch.GetColumn<float>($"Electron_{simulator}K");
            Assert.True(expected.Rows > 300, $"{expected.Rows} electrons");
            for (int o = 0; o < expected.Rows; o++)
            {
                double e = expected.Values[o], a = actual.Values[o];
                Assert.True(Math.Abs(a - e) <= relative * Math.Abs(e) + absolute, $"Electron_{simulator}[{o}]: simulator {e:R}, kernel {a:R}");
            }
        }
    }

    [Fact]
    public void Shapes_behave_like_electron_showers()
    {
        using EventBatch batch = SimulatedBatches.Gun([-3.14159, 3.14159], [-1.4, 1.4]);
        Run(batch, new ShowerShapesConfig { Collection = "Electron", Overwrite = true });
        Span<float> r9 = batch.GetColumn<float>("Electron_r9").Values;
        Span<float> ratio = batch.GetColumn<float>("Electron_e3x3OverE5x5").Values;
        Span<float> sieie = batch.GetColumn<float>("Electron_sieie").Values;
        Span<float> eMaxOverE3x3 = batch.GetColumn<float>("Electron_eMaxOverE3x3").Values;
        // PHYSICS.md: ≈ 94 % of a shower in 3 × 3, ≈ 97 % in 5 × 5; barrel electrons have σiηiη ≈ 0.009.
        Assert.InRange(Median(ratio), 0.93, 0.995);
        Assert.InRange(Median(sieie), 0.006, 0.011);
        Assert.InRange(Median(r9), 0.8, 1.0);
        foreach (float value in eMaxOverE3x3)
        {
            Assert.InRange(value, 0f, 1f + 1e-6f);
        }
    }

    [Fact]
    public void Existing_columns_stop_the_stage_unless_a_suffix_or_overwrite_is_given()
    {
        using EventBatch batch = SimulatedBatches.Zee(20);
        var clash = Assert.Throws<ConfigValueException>(() => Run(batch, new ShowerShapesConfig { Collection = "Electron" }));
        Assert.Equal("overwrite", clash.Key);
        Assert.Contains("Electron_eMax", clash.Message, StringComparison.Ordinal);
        // Variables the simulation does not write itself (it writes e2nd, e1x5, e2x5Max, eTop … as CMS's inputs).
        Run(batch, new ShowerShapesConfig { Collection = "Electron", Variables = ["e2x5Left", "centroidEta"] });
        Assert.True(batch.HasColumn("Electron_e2x5Left") && batch.HasColumn("Electron_centroidEta") && !batch.HasColumn("Electron_e2x5Right"));
        var unknown = Assert.Throws<ConfigValueException>(() => new ShowerShapesConfig { Collection = "Electron", Variables = ["sigmaIetaIeta", "r99"] }.Validate());
        Assert.Equal("variables", unknown.Key);
        var misspelt = Assert.Throws<ConfigValueException>(() => new ShowerShapesConfig { Collection = "Electron", Variables = ["r99"] }.Validate());
        Assert.Contains("did you mean 'r9'", misspelt.Message, StringComparison.Ordinal);
        Assert.Equal("raw_energy", Assert.Throws<ConfigValueException>(() =>
            Run(batch, new ShowerShapesConfig { Collection = "Electron", RawEnergy = "Electron_rawEnergy", Suffix = "X" })).Key);
    }

    private static double Median(Span<float> values)
    {
        float[] sorted = values.ToArray();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }
}
