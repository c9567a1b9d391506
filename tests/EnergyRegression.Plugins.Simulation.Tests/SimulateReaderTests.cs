using EnergyRegression.Data;
using EnergyRegression.Plugins;
using EnergyRegression.Plugins.Simulation;
using EnergyRegression.Testing;

namespace EnergyRegression.Plugins.Simulation.Tests;

/// <summary>The <c>simulate</c> reader: its columns, determinism over threads, batches and pieces, MC versus data, config errors.</summary>
public class SimulateReaderTests
{
    private static SimulateReaderConfig Zee(long events = 300) => new() { Process = "zee", Events = events, Seed = 11, Pileup = 10, Window = 12 };

    /// <summary>
    /// Every batch read through EnergyRegression.Testing's harness (built by the host's rules, batches checked to be
    /// numbered consecutively and as many as announced), as one dataset: values per column, counts per collection.
    /// </summary>
    private static Dataset ReadAll(SimulateReaderConfig config, int batchSize)
    {
        var data = Dataset.Of(Read(config, batchSize));
        Assert.Equal(config.Events, data.Events);
        return data;
    }

    private static IReadOnlyList<EventBatch> Read(SimulateReaderConfig config, int batchSize)
    {
        var harness = new PluginHarness();
        using var reader = harness.Create<SimulateReader>(config);
        return harness.Read(reader, batchSize);
    }

    [Fact]
    public void Events_do_not_depend_on_threads_or_batch_size()
    {
        SimulateReaderConfig one = Zee();
        one.Threads = 1;
        Dataset reference = ReadAll(one, 1000);
        foreach ((int threads, int batch) in new[] { (2, 7), (3, 64), (4, 299) })
        {
            SimulateReaderConfig config = Zee();
            config.Threads = threads;
            ReadAll(config, batch).AssertSameAs(reference);
        }
    }

    [Fact]
    public void A_sample_made_in_pieces_equals_the_sample_made_at_once()
    {
        Dataset whole = ReadAll(Zee(300), 100);
        SimulateReaderConfig first = Zee(120);
        SimulateReaderConfig second = Zee(180);
        second.FirstEvent = 120;
        var pieces = Dataset.Of([.. Read(first, 50), .. Read(second, 50)]);
        pieces.AssertSameAs(whole);
        Assert.Equal(121, pieces.Values["event"][120]); // event numbers continue across pieces
    }

    [Fact]
    public void Shards_of_a_sample_are_the_sample_read_whole()
    {
        // As 'energyreg run --shard K/4' restricts the reader: the shards' events, entry numbers and values equal the whole.
        Dataset whole = new PluginHarness().CheckShards(() => new SimulateReader(Zee(300)), shards: 4, batchSize: 64);
        Assert.Equal(300, whole.Events);
        Assert.Equal(Enumerable.Range(1, 300).Select(e => (double)e), whole.Values["event"]);
    }

    [Fact]
    public void Another_seed_gives_other_events_on_the_same_detector()
    {
        Dataset a = ReadAll(Zee(), 300);
        SimulateReaderConfig other = Zee();
        other.Seed = 12;
        Dataset b = ReadAll(other, 300);
        Assert.False(a.Values["Electron_pt"].SequenceEqual(b.Values["Electron_pt"]));
    }

    [Fact]
    public void Mc_has_truth_and_matches_data_has_none()
    {
        Dataset mc = ReadAll(Zee(), 100);
        Assert.All(mc.Counts["GenElectron"], n => Assert.Equal(2, n));
        Assert.All(mc.Values["GenElectron_pdgId"].Chunk(2), pair => Assert.Equal([11, -11], pair));
        Assert.All(mc.Values["run"], r => Assert.Equal(1, r));
        int k = 0;
        foreach (double n in mc.Counts["Electron"])
        {
            for (int i = 0; i < n; i++, k++)
            {
                double index = mc.Values["Electron_genElectronIdx"][k];
                double genEnergy = mc.Values["Electron_genEnergy"][k];
                Assert.InRange(index, -1, 1);
                Assert.True(index < 0 ? genEnergy == -1 : genEnergy > 0);
            }
        }
        Assert.Contains(mc.Values["Electron_genElectronIdx"], i => i < 0); // fakes exist
        Assert.Equal(300, mc.Values["GenZ_mass"].Count);

        SimulateReaderConfig dataConfig = Zee();
        dataConfig.Mode = "data";
        Dataset data = ReadAll(dataConfig, 100);
        Assert.DoesNotContain(data.CollectionOrder, k => k.StartsWith("Gen", StringComparison.Ordinal));
        Assert.DoesNotContain(data.ColumnOrder, k => k.StartsWith("Gen", StringComparison.Ordinal));
        Assert.DoesNotContain("Electron_genElectronIdx", data.ColumnOrder);
        Assert.DoesNotContain("Electron_genEnergy", data.ColumnOrder);
        Assert.All(data.Values["run"], r => Assert.Equal(2, r));
        // Same events, other calibration: the same objects are generated, their energies differ.
        Assert.Equal(mc.Values["GenZ_mass"].Count, data.Values["event"].Count);
        Assert.NotEqual(mc.Values["Electron_energy"].Take(20), data.Values["Electron_energy"].Take(20));
    }

    [Fact]
    public void A_photon_gun_fills_photon_columns_and_windows_of_the_configured_size()
    {
        var config = new SimulateReaderConfig { Process = "particle-gun", Particle = "gamma", Events = 50, Seed = 3, Energy = [40, 40], Window = 16 };
        using var reader = new SimulateReader(config);
        using EventBatch batch = reader.ReadBatches(50, CancellationToken.None).Single();
        Assert.True(batch.HasCollection("Photon"));
        Assert.True(batch.HasCollection("GenPhoton"));
        Assert.False(batch.HasColumn("Photon_charge"));
        Assert.False(batch.HasColumn("Photon_trkPt"));
        Assert.True(batch.HasColumn("GenPhoton_converted"));
        Column<float> window = batch.GetColumn<float>("Photon_window");
        Assert.Equal([16, 16], window.Shape);
        Assert.All(batch.GetColumn<float>("GenPhoton_energy").Values.ToArray(), e => Assert.Equal(40f, e));
        Column<float> e5x5 = batch.GetColumn<float>("Photon_e5x5");
        for (int o = 0; o < window.Rows; o++)
        {
            // The window's central 5 × 5 (seed at [8, 8]) is the 5 × 5 sum.
            Span<float> image = window.Row(o);
            double sum = 0;
            for (int r = 6; r <= 10; r++)
            {
                for (int c = 6; c <= 10; c++)
                {
                    sum += image[r * 16 + c];
                }
            }
            Assert.Equal(e5x5.Values[o], sum, 3);
        }
    }

    [Fact]
    public void The_seeds_sample_is_one_line_of_config()
    {
        var config = new SimulateReaderConfig { Process = "particle-gun", Particle = "e+", Energy = [20, 100], Eta = [0, 0], Phi = [Math.PI / 2, Math.PI / 2], Events = 200, Seed = 1 };
        Dataset columns = ReadAll(config, 100);
        Assert.All(columns.Values["GenElectron_pdgId"], id => Assert.Equal(-11, id));
        Assert.All(columns.Values["GenElectron_energy"], e => Assert.InRange(e, 20, 100));
        Assert.All(columns.Values["GenElectron_phi"], phi => Assert.Equal(Math.PI / 2, phi, 5));
        Assert.All(columns.Values["Electron_charge"], q => Assert.Equal(1, q));
        Assert.InRange(columns.Counts["Electron"].Sum(), 190, 200);
    }

    [Theory]
    [InlineData("process", nameof(SimulateReaderConfig.Process))]
    [InlineData("mode", nameof(SimulateReaderConfig.Mode))]
    [InlineData("particle", nameof(SimulateReaderConfig.Particle))]
    [InlineData("energy", nameof(SimulateReaderConfig.Energy))]
    [InlineData("eta", nameof(SimulateReaderConfig.Eta))]
    [InlineData("window", nameof(SimulateReaderConfig.Window))]
    [InlineData("data_scale", nameof(SimulateReaderConfig.DataScale))]
    [InlineData("events", nameof(SimulateReaderConfig.Events))]
    [InlineData("pileup", nameof(SimulateReaderConfig.Pileup))]
    public void Bad_values_are_reported_against_their_key(string key, string property)
    {
        var config = new SimulateReaderConfig();
        switch (property)
        {
            case nameof(SimulateReaderConfig.Process): config.Process = "ttbar"; break;
            case nameof(SimulateReaderConfig.Mode): config.Mode = "real"; break;
            case nameof(SimulateReaderConfig.Particle): config.Particle = "mu-"; break;
            case nameof(SimulateReaderConfig.Energy): config.Energy = [50]; break;
            case nameof(SimulateReaderConfig.Eta): config.Eta = [1, -1]; break;
            case nameof(SimulateReaderConfig.Window): config.Window = 3; break;
            case nameof(SimulateReaderConfig.DataScale): config.DataScale = 5; break;
            case nameof(SimulateReaderConfig.Events): config.Events = 0; break;
            case nameof(SimulateReaderConfig.Pileup): config.Pileup = -1; break;
        }
        ConfigValueException error = Assert.Throws<ConfigValueException>(config.Validate);
        Assert.Equal(key, error.Key);
    }
}
