using EnergyRegression.Data;

namespace EnergyRegression.Plugins.Json.Tests;

public class RoundTripTests
{
    /// <summary>The <c>types:</c> a reader needs for the columns whose type the first line cannot tell.</summary>
    private static readonly Dictionary<string, string> _types = new()
    {
        ["run"] = "int32",
        ["luminosityBlock"] = "uint32",
        ["rho"] = "float32",
        ["Electron_pt"] = "float32",
        ["Electron_charge"] = "int32",
        ["Electron_isTight"] = "bool",
        ["Electron_window"] = "float32",
        ["Photon_hits"] = "uint16",
    };

    /// <summary>
    /// A batch with every kind of column: event scalars of several types, an event tensor, two collections
    /// (Electron empty in the first event so its types and window shape are not on the first line),
    /// object scalars and object tensors, and the awkward values (NaN, infinities, -0.0, extremes, 45.0).
    /// </summary>
    private static EventBatch MakeBatch(int events, int seed, bool firstEventWithoutElectrons)
    {
        var rng = new Random(seed);
        var batch = new EventBatch(events);
        int[] electrons = new int[events];
        int[] photons = new int[events];
        for (int e = 0; e < events; e++)
        {
            electrons[e] = e == 0 && firstEventWithoutElectrons ? 0 : rng.Next(0, 4);
            photons[e] = e == 0 ? 2 : rng.Next(0, 3);
        }
        batch.AddCollection("Electron", electrons);
        batch.AddCollection("Photon", photons);

        double[] awkward = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 45.0, double.Epsilon,
            double.MaxValue, -double.MinValue / 3, 1e-300, 0.1, 1e21, 123456789.0];
        float[] awkwardFloats = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0.0f, 45.0f, float.Epsilon,
            float.MaxValue, 0.1f, 3e-39f, 16777217f, 1e10f];

        Span<int> run = batch.AddEventColumn<int>("run").Values;
        Span<uint> lumi = batch.AddEventColumn<uint>("luminosityBlock").Values;
        Span<long> eventNumber = batch.AddEventColumn<long>("event").Values;
        Span<float> rho = batch.AddEventColumn<float>("rho").Values;
        Span<double> photonEnergy = batch.AddObjectColumn<double>("Photon", "Photon_energy").Values;
        Span<double> met = batch.AddEventColumn<double>("MET_pt").Values;
        Span<bool> trigger = batch.AddEventColumn<bool>("passTrigger").Values;
        Span<double> image = batch.AddEventColumn<double>("image", 2, 3).Values;
        Span<float> pt = batch.AddObjectColumn<float>("Electron", "Electron_pt").Values;
        Span<int> charge = batch.AddObjectColumn<int>("Electron", "Electron_charge").Values;
        Span<bool> tight = batch.AddObjectColumn<bool>("Electron", "Electron_isTight").Values;
        Span<float> window = batch.AddObjectColumn<float>("Electron", "Electron_window", 3, 4).Values;
        Span<ushort> hits = batch.AddObjectColumn<ushort>("Photon", "Photon_hits", 2).Values;

        for (int e = 0; e < events; e++)
        {
            run[e] = e % 2 == 0 ? int.MaxValue : -5;
            lumi[e] = uint.MaxValue - (uint)e;
            eventNumber[e] = (1L << 40) + rng.Next();
            rho[e] = e < awkwardFloats.Length ? awkwardFloats[e] : (float)(rng.NextDouble() * 40);
            met[e] = e < awkward.Length ? awkward[e] : rng.NextDouble() * 100;
            trigger[e] = rng.Next(2) == 1;
        }
        for (int i = 0; i < image.Length; i++)
        {
            image[i] = i % 7 == 0 ? 45.0 : rng.NextDouble() - 0.5;
        }
        for (int i = 0; i < pt.Length; i++)
        {
            pt[i] = i % 5 == 1 ? awkwardFloats[i % awkwardFloats.Length] : (float)(rng.NextDouble() * 80);
            charge[i] = rng.Next(2) == 0 ? -1 : 1;
            tight[i] = rng.Next(2) == 1;
        }
        for (int i = 0; i < window.Length; i++)
        {
            window[i] = (float)Math.Exp(rng.NextDouble() * 8 - 4);
        }
        for (int i = 0; i < photonEnergy.Length; i++)
        {
            photonEnergy[i] = i == 0 ? 45.0 : rng.NextDouble() * 200;
        }
        for (int i = 0; i < hits.Length; i++)
        {
            hits[i] = (ushort)rng.Next(0, 65536);
        }
        return batch;
    }

    private static List<EventBatch> Inputs() => [MakeBatch(5, 1, true), MakeBatch(3, 2, false), MakeBatch(6, 3, false)];

    [Fact]
    public void Write_then_read_gives_the_same_columns_collections_and_values_across_files_and_batches()
    {
        using var dir = new TempDir();
        List<EventBatch> inputs = Inputs();
        string first = dir.File("part-1.jsonl");
        string second = dir.File("part-2.jsonl");
        Json.Write(first, inputs.Take(2));
        Json.Write(second, inputs.Skip(2));
        var expected = Dataset.Of(inputs);

        Dataset actual = Json.Read([first, second], batchSize: 4, types: _types);

        Assert.Equal([4, 4, 4, 2], actual.BatchSizes);
        Assert.Equal([0L, 4, 8, 12], actual.FirstEntries);
        Dataset.AssertSame(expected, actual);
    }

    [Fact]
    public void Round_trip_through_a_glob_with_batch_size_one()
    {
        using var dir = new TempDir();
        List<EventBatch> inputs = Inputs();
        Json.Write(dir.File("b.jsonl"), inputs.Skip(2));
        Json.Write(dir.File("a.jsonl"), inputs.Take(2));
        List<EventBatch> reordered = [.. Inputs().Take(2), .. Inputs().Skip(2)];
        foreach (EventBatch batch in inputs)
        {
            batch.Dispose();
        }

        Dataset actual = Json.Read([Path.Combine(dir.Path, "*.jsonl")], batchSize: 1, types: _types);

        Assert.Equal(Enumerable.Repeat(1, 14), actual.BatchSizes);
        Assert.Equal(Enumerable.Range(0, 14).Select(i => (long)i), actual.FirstEntries);
        Dataset.AssertSame(Dataset.Of(reordered), actual);
    }

    [Fact]
    public void Random_bit_patterns_of_float64_and_float32_survive_exactly()
    {
        using var dir = new TempDir();
        var rng = new Random(7);
        const int Events = 3000;
        var batch = new EventBatch(Events);
        Span<double> x = batch.AddEventColumn<double>("x").Values;
        Span<float> y = batch.AddEventColumn<float>("y").Values;
        for (int e = 0; e < Events; e++)
        {
            do
            {
                x[e] = BitConverter.Int64BitsToDouble(rng.NextInt64(long.MinValue, long.MaxValue));
            }
            while (double.IsNaN(x[e]));
            do
            {
                y[e] = BitConverter.Int32BitsToSingle(rng.Next(int.MinValue, int.MaxValue));
            }
            while (float.IsNaN(y[e]));
        }
        x[0] = 0.5; // a non-integer literal on the first line: inferred float64
        string path = dir.File("bits.jsonl");
        Json.Write(path, [batch]);

        Dataset actual = Json.Read([path], batchSize: 512, types: new() { ["y"] = "float32" });

        Dataset.AssertSame(Dataset.Of([batch]), actual);
    }

    [Fact]
    public void Count_events_counts_the_lines_written()
    {
        using var dir = new TempDir();
        string path = dir.File("out/sub/events.jsonl");
        Json.Write(path, Inputs());

        using JsonLinesReader reader = Json.Reader([path], _types);

        Assert.Equal(14, reader.CountEvents());
        Assert.Equal(14, File.ReadAllLines(path).Length);
    }
}
