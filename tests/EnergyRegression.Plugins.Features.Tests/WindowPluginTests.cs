using EnergyRegression.Data;
using EnergyRegression.Plugins.Features;

namespace EnergyRegression.Plugins.Features.Tests;

/// <summary>The <c>window</c> stage on simulated windows and on the same crystals given as sparse hits.</summary>
public class WindowPluginTests
{
    private static void Run(EventBatch batch, WindowConfig config) => Stage.Run<WindowPlugin>(batch, config);

    [Fact]
    public void A_28x28_crop_of_the_simulated_32x32_window_is_its_centre()
    {
        using EventBatch batch = SimulatedBatches.Zee(200);
        Run(batch, new WindowConfig { Collection = "Electron", Centre = WindowCentre.Middle });
        Column<float> source = batch.GetColumn<float>("Electron_window");
        Column<float> crop = batch.GetColumn<float>("Electron_window28x28");
        Assert.Equal([28, 28], crop.Shape);
        Assert.True(crop.Rows > 200, $"{crop.Rows} electrons");
        for (int o = 0; o < crop.Rows; o++)
        {
            for (int r = 0; r < 28; r++)
            {
                for (int c = 0; c < 28; c++)
                {
                    // Seed at [16][16] in the source and [14][14] in the crop: an offset of 2 rows and 2 columns.
                    Assert.Equal(source.Row(o)[(r + 2) * 32 + c + 2], crop.Row(o)[r * 28 + c]);
                }
            }
        }
    }

    [Fact]
    public void Centring_on_the_maximum_finds_the_simulators_seed()
    {
        using EventBatch batch = SimulatedBatches.Zee(200);
        Run(batch, new WindowConfig { Collection = "Electron", Size = [9], Output = "Electron_byMax" });
        Run(batch, new WindowConfig { Collection = "Electron", Size = [9], Centre = WindowCentre.Middle, Output = "Electron_byMiddle" });
        Column<float> byMax = batch.GetColumn<float>("Electron_byMax"), byMiddle = batch.GetColumn<float>("Electron_byMiddle");
        int same = 0;
        for (int o = 0; o < byMax.Rows; o++)
        {
            same += byMax.Row(o).SequenceEqual(byMiddle.Row(o)) ? 1 : 0;
        }
        // The seed is the window's most energetic crystal unless a pile-up or brem deposit beats it.
        Assert.True(same > 0.97 * byMax.Rows, $"{same} of {byMax.Rows} crops agree");
    }

    [Theory]
    [InlineData(3.0, 3.14159, -0.5, 0.5)]     // across the iφ = 360 | 1 seam
    [InlineData(-1.0, 1.0, 1.3, 1.4442)]      // up to the last barrel ring (zeros beyond iη = 85)
    [InlineData(-1.0, 1.0, -0.15, 0.15)]      // across η = 0, where iη jumps from −1 to +1
    public void Hits_give_the_same_crop_as_the_window_they_were_made_from(double phiLow, double phiHigh, double etaLow, double etaHigh)
    {
        using EventBatch batch = SimulatedBatches.Gun([phiLow, phiHigh], [etaLow, etaHigh]);
        AddHitsFromWindows(batch);
        Run(batch, new WindowConfig { Collection = "Electron", Size = [28, 28], Centre = WindowCentre.Middle, Output = "Electron_fromWindow" });
        Run(batch, new WindowConfig
        {
            Collection = "Electron", Size = [28, 28], Output = "Electron_fromHits",
            Hits = new HitColumnsConfig { Ieta = "RecHit_ieta", Iphi = "RecHit_iphi", Energy = "RecHit_energy" },
        });
        Column<float> fromWindow = batch.GetColumn<float>("Electron_fromWindow"), fromHits = batch.GetColumn<float>("Electron_fromHits");
        Assert.True(fromWindow.Rows > 250);
        Assert.Equal(fromWindow.Values.ToArray(), fromHits.Values.ToArray());
    }

    [Fact]
    public void Hits_centred_on_the_highest_hit_match_the_seed_columns_for_single_particles()
    {
        using EventBatch batch = SimulatedBatches.Gun([-3.14159, 3.14159], [-1.4, 1.4]);
        AddHitsFromWindows(batch);
        var hits = new HitColumnsConfig { Ieta = "RecHit_ieta", Iphi = "RecHit_iphi", Energy = "RecHit_energy" };
        Run(batch, new WindowConfig { Collection = "Electron", Size = [7], Hits = hits, Output = "Electron_bySeed" });
        Run(batch, new WindowConfig { Collection = "Electron", Size = [7], Hits = hits, Centre = WindowCentre.Max, Output = "Electron_byHighest" });
        Column<float> bySeed = batch.GetColumn<float>("Electron_bySeed"), byHighest = batch.GetColumn<float>("Electron_byHighest");
        int same = Enumerable.Range(0, bySeed.Rows).Count(o => bySeed.Row(o).SequenceEqual(byHighest.Row(o)));
        Assert.True(same > 0.97 * bySeed.Rows, $"{same} of {bySeed.Rows}");
    }

    [Fact]
    public void Missing_or_misshapen_inputs_name_the_key()
    {
        using EventBatch batch = SimulatedBatches.Zee(20);
        var missing = Assert.Throws<ConfigValueException>(() => Run(batch, new WindowConfig { Collection = "Electron", Source = "Electron_windw" }));
        Assert.Equal("source", missing.Key);
        Assert.Contains("did you mean 'Electron_window'", missing.Message, StringComparison.Ordinal);
        var scalar = Assert.Throws<ConfigValueException>(() => Run(batch, new WindowConfig { Collection = "Electron", Source = "Electron_pt", Output = "x" }));
        Assert.Contains("holds a scalar per object", scalar.Message, StringComparison.Ordinal);
        var collection = Assert.Throws<ConfigValueException>(() => Run(batch, new WindowConfig { Collection = "Electrons" }));
        Assert.Equal("collection", collection.Key);
        Assert.Equal("size", Assert.Throws<ConfigValueException>(() => new WindowConfig { Collection = "Electron", Size = [28, 0] }.Validate()).Key);
        Assert.Equal("centre", Assert.Throws<ConfigValueException>(() => new WindowConfig { Collection = "Electron", Centre = WindowCentre.Columns }.Validate()).Key);
        Run(batch, new WindowConfig { Collection = "Electron" });
        Assert.Equal("output", Assert.Throws<ConfigValueException>(() => Run(batch, new WindowConfig { Collection = "Electron" })).Key);
    }

    /// <summary>
    /// Adds an event-level RecHit collection holding every non-zero crystal of each event's electron
    /// windows with CMS indices: iη from the seed's counting rows (no iη = 0), iφ wrapping in 1…360.
    /// </summary>
    private static void AddHitsFromWindows(EventBatch batch)
    {
        Column<float> windows = batch.GetColumn<float>("Electron_window");
        int[] seedIEta = batch.GetColumn<int>("Electron_seedIEta").Values.ToArray(), seedIPhi = batch.GetColumn<int>("Electron_seedIPhi").Values.ToArray();
        ReadOnlySpan<int> offsets = batch.GetCollection("Electron").Offsets;
        int size = windows.Shape[0], half = size / 2;
        var perEvent = new List<(int IEta, int IPhi, float Energy)>[batch.EventCount];
        for (int e = 0; e < batch.EventCount; e++)
        {
            perEvent[e] = [];
            for (int o = offsets[e]; o < offsets[e + 1]; o++)
            {
                int seedRow = seedIEta[o] > 0 ? seedIEta[o] - 1 : seedIEta[o]; // −85…84 without a gap
                for (int r = 0; r < size; r++)
                {
                    for (int c = 0; c < size; c++)
                    {
                        float energy = windows.Row(o)[r * size + c];
                        if (energy != 0)
                        {
                            int row = seedRow + r - half;
                            int iPhi = ((seedIPhi[o] - 1 + c - half) % 360 + 360) % 360 + 1;
                            perEvent[e].Add((row >= 0 ? row + 1 : row, iPhi, energy));
                        }
                    }
                }
            }
        }
        batch.AddCollection("RecHit", [.. perEvent.Select(h => h.Count)]);
        Span<int> iEtaValues = batch.AddObjectColumn<int>("RecHit", "RecHit_ieta").Values;
        Span<int> iPhiValues = batch.AddObjectColumn<int>("RecHit", "RecHit_iphi").Values;
        Span<float> energyValues = batch.AddObjectColumn<float>("RecHit", "RecHit_energy").Values;
        int k = 0;
        foreach ((int iEta, int iPhi, float energy) in perEvent.SelectMany(h => h))
        {
            (iEtaValues[k], iPhiValues[k], energyValues[k]) = (iEta, iPhi, energy);
            k++;
        }
    }
}
