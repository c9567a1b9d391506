using EnergyRegression.Data;
using EnergyRegression.Plugins;
using EnergyRegression.Plugins.Simulation;

namespace EnergyRegression.Plugins.Simulation.Tests;

/// <summary>The <c>simulate</c> reader: its columns, determinism over threads, batches and pieces, MC versus data, config errors.</summary>
public class SimulateReaderTests
{
    private static SimulateReaderConfig Zee(long events = 300) => new() { Process = "zee", Events = events, Seed = 11, Pileup = 10, Window = 12 };

    /// <summary>Every column of every batch, flattened to doubles, per column name, concatenated over batches.</summary>
    private static Dictionary<string, List<double>> ReadAll(SimulateReaderConfig config, int batchSize)
    {
        using var reader = new SimulateReader(config);
        var columns = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        long expectedFirst = 0;
        foreach (EventBatch batch in reader.ReadBatches(batchSize, CancellationToken.None))
        {
            using (batch)
            {
                Assert.Equal(expectedFirst, batch.FirstEntry);
                expectedFirst += batch.EventCount;
                foreach (string collection in batch.CollectionNames)
                {
                    ObjectCollection objects = batch.GetCollection(collection);
                    Append(columns, objects.CountName, [.. Enumerable.Range(0, batch.EventCount).Select(e => (double)objects.CountOf(e))]);
                }
                foreach (Column column in batch.Columns)
                {
                    var values = new double[column.Rows * column.RowSize];
                    column.CopyTo(values);
                    Append(columns, column.Name, values);
                }
            }
        }
        Assert.Equal(config.Events, expectedFirst);
        return columns;
    }

    private static void Append(Dictionary<string, List<double>> columns, string name, double[] values)
    {
        if (!columns.TryGetValue(name, out List<double>? list))
        {
            columns[name] = list = [];
        }
        list.AddRange(values);
    }

    private static void AssertSameColumns(Dictionary<string, List<double>> expected, Dictionary<string, List<double>> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach ((string name, List<double> values) in expected)
        {
            Assert.True(values.SequenceEqual(actual[name]), $"column {name} differs");
        }
    }

    [Fact]
    public void Events_do_not_depend_on_threads_or_batch_size()
    {
        SimulateReaderConfig one = Zee();
        one.Threads = 1;
        Dictionary<string, List<double>> reference = ReadAll(one, 1000);
        foreach ((int threads, int batch) in new[] { (2, 7), (3, 64), (4, 299) })
        {
            SimulateReaderConfig config = Zee();
            config.Threads = threads;
            AssertSameColumns(reference, ReadAll(config, batch));
        }
    }

    [Fact]
    public void A_sample_made_in_pieces_equals_the_sample_made_at_once()
    {
        Dictionary<string, List<double>> whole = ReadAll(Zee(300), 100);
        SimulateReaderConfig first = Zee(120);
        SimulateReaderConfig second = Zee(180);
        second.FirstEvent = 120;
        Dictionary<string, List<double>> a = ReadAll(first, 50);
        Dictionary<string, List<double>> b = ReadAll(second, 50);
        foreach ((string name, List<double> values) in whole)
        {
            Assert.True(values.SequenceEqual(a[name].Concat(b[name])), $"column {name} differs");
        }
        Assert.Equal(121, b["event"][0]); // event numbers continue across pieces
    }

    [Fact]
    public void Another_seed_gives_other_events_on_the_same_detector()
    {
        Dictionary<string, List<double>> a = ReadAll(Zee(), 300);
        SimulateReaderConfig other = Zee();
        other.Seed = 12;
        Dictionary<string, List<double>> b = ReadAll(other, 300);
        Assert.False(a["Electron_pt"].SequenceEqual(b["Electron_pt"]));
    }

    [Fact]
    public void Mc_has_truth_and_matches_data_has_none()
    {
        Dictionary<string, List<double>> mc = ReadAll(Zee(), 100);
        Assert.All(mc["nGenElectron"], n => Assert.Equal(2, n));
        Assert.All(mc["GenElectron_pdgId"].Chunk(2), pair => Assert.Equal([11, -11], pair));
        Assert.All(mc["run"], r => Assert.Equal(1, r));
        int k = 0;
        foreach (double n in mc["nElectron"])
        {
            for (int i = 0; i < n; i++, k++)
            {
                double index = mc["Electron_genElectronIdx"][k];
                double genEnergy = mc["Electron_genEnergy"][k];
                Assert.InRange(index, -1, 1);
                Assert.True(index < 0 ? genEnergy == -1 : genEnergy > 0);
            }
        }
        Assert.Contains(mc["Electron_genElectronIdx"], i => i < 0); // fakes exist
        Assert.Equal(300, mc["GenZ_mass"].Count);

        SimulateReaderConfig dataConfig = Zee();
        dataConfig.Mode = "data";
        Dictionary<string, List<double>> data = ReadAll(dataConfig, 100);
        Assert.DoesNotContain(data.Keys, k => k.StartsWith("Gen", StringComparison.Ordinal) || k.StartsWith("nGen", StringComparison.Ordinal));
        Assert.DoesNotContain("Electron_genElectronIdx", data.Keys);
        Assert.DoesNotContain("Electron_genEnergy", data.Keys);
        Assert.All(data["run"], r => Assert.Equal(2, r));
        // Same events, other calibration: the same objects are generated, their energies differ.
        Assert.Equal(mc["GenZ_mass"].Count, data["event"].Count);
        Assert.NotEqual(mc["Electron_energy"].Take(20), data["Electron_energy"].Take(20));
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
        Dictionary<string, List<double>> columns = ReadAll(config, 100);
        Assert.All(columns["GenElectron_pdgId"], id => Assert.Equal(-11, id));
        Assert.All(columns["GenElectron_energy"], e => Assert.InRange(e, 20, 100));
        Assert.All(columns["GenElectron_phi"], phi => Assert.Equal(Math.PI / 2, phi, 5));
        Assert.All(columns["Electron_charge"], q => Assert.Equal(1, q));
        Assert.InRange(columns["nElectron"].Sum(), 190, 200);
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
