using EnergyRegression.Core.Running;
using EnergyRegression.Data;
using EnergyRegression.Models;
using EnergyRegression.Plugins;
using EnergyRegression.Running;
using EnergyRegression.Testing;

namespace EnergyRegression.Core.Tests.Testing;

/// <summary>EnergyRegression.Testing, the plugin authors' test helpers, against what the host does.</summary>
public sealed class TestingPackageTests
{
    [Theory]
    [InlineData(42, "torch.shuffle.0")]
    [InlineData(7, "gbdt-search:barrel")]
    [InlineData(-3, "ü")]
    public void Random_streams_are_the_hosts(int seed, string stream)
    {
        Random host = new RunContext(SilentConsole.Instance, SilentConsole.Instance, seed, CancellationToken.None).CreateRandom(stream);
        Random test = new TestRunContext(seed: seed).CreateRandom(stream);

        Assert.Equal(Enumerable.Range(0, 5).Select(_ => host.Next()), Enumerable.Range(0, 5).Select(_ => test.Next()));
    }

    [Fact]
    public void The_context_records_messages_and_progress()
    {
        var context = new TestRunContext(RunMode.Train, seed: 3);
        context.Log.Info("a");
        context.Log.Warning("b");
        context.Log.Debug("c");
        using (IProgressTask task = context.StartProgress("epochs", 10))
        {
            task.Advance(4);
            task.Advance(6);
            task.SetStatus("loss 0.1");
        }

        Assert.Equal(["a"], context.Infos);
        Assert.Equal(["b"], context.Warnings);
        Assert.Equal(["c"], context.Debugs);
        RecordedProgress progress = Assert.Single(context.Progress);
        Assert.Equal(("epochs", 10L, 10L, "loss 0.1", true), (progress.Description, progress.Total, progress.Done, progress.Status, progress.Finished));
        Assert.Equal((RunMode.Train, 3), (context.Mode, context.Seed));
    }

    [Fact]
    public void Provenance_is_complete_and_deterministic()
    {
        Provenance provenance = TestProvenance.Create(seed: 5, inputFiles: ["a.root"]);

        Assert.Equal(provenance, TestProvenance.Create(seed: 5, inputFiles: provenance.InputFiles));
        // SHA-256 of the default chain text "reader: {type: test}\n", computed independently with sha256sum.
        Assert.Equal("01fbd76ec4ff5af1c00082eade50c79a9e929b329b1ae77df0f26494949e9675", provenance.ConfigSha256);
        Assert.Equal(5, provenance.Seed);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), provenance.StartedUtc);
    }

    [Fact]
    public void The_builder_slices_events_objects_and_tensors_into_numbered_batches()
    {
        EventBatchBuilder builder = new EventBatchBuilder(3)
            .EventColumn("rho", new[] { 1f, 2f, 3f })
            .Collection("Electron", 2, 0, 1)
            .ObjectColumn("Electron", "Electron_energy", new[] { 10.0, 20.0, 30.0 })
            .ObjectColumn("Electron", "Electron_window", Enumerable.Range(0, 12).Select(i => (float)i).ToArray(), 2, 2);

        IReadOnlyList<EventBatch> batches = builder.BuildBatches(2);
        try
        {
            Assert.Equal([(0L, 2), (2L, 1)], batches.Select(b => (b.FirstEntry, b.EventCount)));
            Assert.Equal([10.0, 20.0], batches[0].GetColumn<double>("Electron_energy").Values.ToArray());
            Assert.Equal([30.0], batches[1].GetColumn<double>("Electron_energy").Values.ToArray());
            Assert.Equal([8f, 9f, 10f, 11f], batches[1].GetColumn<float>("Electron_window").Values.ToArray());
            Assert.Equal([2, 2], batches[1].GetColumn("Electron_window").Shape);
            Assert.Equal([3f], batches[1].GetColumn<float>("rho").Values.ToArray());
        }
        finally
        {
            batches.ToList().ForEach(b => b.Dispose());
        }

        Assert.Equal("Column 'x' has 2 values; 3 event(s) × 1 per row need 3. (Parameter 'values')",
            Assert.Throws<ArgumentException>(() => builder.EventColumn("x", new[] { 1, 2 })).Message);
        Assert.Throws<ArgumentException>(() => builder.ObjectColumn("Photon", "Photon_pt", new[] { 1f }));
    }

    [Fact]
    public void The_simulated_sample_is_deterministic_and_shaped_like_the_toy_detector_it_documents()
    {
        var a = Dataset.Of([SimulatedSample.Electrons(2000, seed: 4).Build()]);
        var b = Dataset.Of([SimulatedSample.Electrons(2000, seed: 4).Build()]);
        var c = Dataset.Of([SimulatedSample.Electrons(2000, seed: 5).Build()]);
        a.AssertSameAs(b);
        Assert.Throws<DatasetMismatchException>(() => a.AssertSameAs(c));

        List<double> eta = a.Values["Electron_eta"], raw = a.Values["Electron_energy"], truth = a.Values["Electron_genEnergy"];
        double MedianRatio(Func<double, bool> inBin)
        {
            double[] ratios = Enumerable.Range(0, eta.Count).Where(i => inBin(Math.Abs(eta[i]))).Select(i => truth[i] / raw[i]).Order().ToArray();
            return ratios[ratios.Length / 2];
        }
        // Containment 0.97 − 0.02 |η| plus 0.02 GeV × ρ of pile-up: the correction grows with |η|.
        double central = MedianRatio(x => x < 0.5), forward = MedianRatio(x => x > 2);
        Assert.InRange(central, 1.0, 1.04);
        Assert.InRange(forward, central + 0.02, 1.10);
        double electronsPerEvent = a.Counts["Electron"].Average();
        Assert.InRange(electronsPerEvent, 1.5, 1.7); // 0.2 × 1 + 0.7 × 2 = 1.6
    }

    [Fact]
    public void Create_refuses_what_energyreg_refuses()
    {
        var harness = new PluginHarness();

        Assert.Contains("has no [Plugin(\"name\")] attribute", Assert.Throws<PluginContractException>(() => harness.Create<NoAttribute>(null)).Message,
            StringComparison.Ordinal);
        Assert.Equal($"plugin 'two-constructors' ({typeof(TwoConstructors).FullName}) has 2 public constructors; a plugin has exactly one",
            Assert.Throws<PluginContractException>(() => harness.Create<TwoConstructors>(null)).Message);
        Assert.IsType<KeepsPositive>(harness.Create<KeepsPositive>(null));
    }

    [Fact]
    public void Run_applies_a_selections_mask_and_sums_its_cuts_as_the_cut_flow_does()
    {
        var harness = new PluginHarness();
        using StageRun run = harness.Run(harness.Create<KeepsPositive>(null), new EventBatchBuilder(4)
            .Collection("Electron", 1, 2, 0, 1)
            .ObjectColumn("Electron", "Electron_energy", new[] { 5f, -1f, 2f, -3f })
            .BuildBatches(2));

        Assert.Equal([2, 0], run.Batches.Select(b => b.EventCount));
        Assert.Equal((4L, 2L), (run.EventsIn, run.EventsOut));
        Assert.Equal((4L, 2L), run.Objects["Electron"]);
        Assert.Equal([new CutCount("energy > 0", "Electron", 4, 2, 4, 2)], run.Cuts);
        Assert.Equal([5.0, 2.0], run.Contents().Values["Electron_energy"]);
    }

    [Fact]
    public void Run_refuses_a_stage_that_leaves_its_columns_out_of_a_batch_of_no_events()
    {
        var harness = new PluginHarness();

        PluginContractException error = Assert.Throws<PluginContractException>(() =>
            harness.Run(new SkipsEmptyBatches(), [new EventBatchBuilder(1).EventColumn("x", new[] { 1f }).Build()]));

        Assert.Contains("leaves columns [x, y] in a batch of events but [x] in a batch of no events", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_refuses_a_writer_that_writes_its_output_before_commit()
    {
        string path = Path.Combine(Path.GetTempPath(), $"energyreg-testing-{Guid.NewGuid():N}.txt");
        try
        {
            var harness = new PluginHarness();
            using EventBatch batch = new EventBatchBuilder(1).EventColumn("x", new[] { 1f }).Build();

            PluginContractException error = Assert.Throws<PluginContractException>(() => harness.Write(new WritesInPlace(path), [batch]));

            Assert.Contains("exists before Commit()", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Train_refuses_a_card_that_says_it_was_trained_on_nothing()
    {
        string path = Path.Combine(Path.GetTempPath(), $"energyreg-testing-{Guid.NewGuid():N}.zip");
        try
        {
            var harness = new PluginHarness(RunMode.Train);
            using EventBatch batch = SimulatedSample.Electrons(10).Build();

            PluginContractException error = Assert.Throws<PluginContractException>(() => harness.Train(new ForgetfulTrainer(), [batch], [], path));

            Assert.Equal("the model card says it was trained on 0 objects: set ModelCard.TrainingObjects (and ValidationObjects)", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Read_and_CheckShards_check_the_numbering()
    {
        var harness = new PluginHarness();
        Dataset whole = harness.CheckShards(() => new CountingReader(10), shards: 3, batchSize: 4);
        Assert.Equal(10, whole.Events);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (double)i), whole.Values["entry"]);

        Assert.Contains("starts at entry 0, but the one before ended at 4",
            Assert.Throws<PluginContractException>(() => harness.Read(new CountingReader(10) { BrokenNumbering = true }, 4)).Message,
            StringComparison.Ordinal);
        Assert.Contains("shard 2/3 (entries 3..6) gave 3 events from entry 0",
            Assert.Throws<PluginContractException>(() => harness.CheckShards(() => new CountingReader(10) { BrokenNumbering = true }, 3, 100)).Message,
            StringComparison.Ordinal);
    }
}

public sealed class NoAttribute : IFeature
{
    public void Compute(EventBatch batch)
    {
    }
}

[Plugin("two-constructors")]
public sealed class TwoConstructors : IFeature
{
    public TwoConstructors()
    {
    }

    public TwoConstructors(IRunContext context) => _ = context;

    public void Compute(EventBatch batch)
    {
    }
}

/// <summary>Keeps electrons of positive energy, events with one left; one cut for the cut flow.</summary>
[Plugin("keeps-positive")]
public sealed class KeepsPositive : ISelection
{
    public void Select(EventBatch batch, SelectionMask mask)
    {
        ObjectCollection electrons = batch.GetCollection("Electron");
        Span<float> energy = batch.GetColumn<float>("Electron_energy").Values;
        Span<bool> keep = mask.Objects("Electron");
        int kept = 0, eventsWithOne = 0, eventsIn = 0;
        for (int e = 0; e < batch.EventCount; e++)
        {
            int here = 0;
            for (int i = electrons.Offsets[e]; i < electrons.Offsets[e + 1]; i++)
            {
                keep[i] = energy[i] > 0;
                here += keep[i] ? 1 : 0;
            }
            kept += here;
            eventsIn++;
            eventsWithOne += here > 0 ? 1 : 0;
            mask.Events[e] = here > 0;
        }
        mask.RecordCut(new CutCount("energy > 0", "Electron", eventsIn, eventsWithOne, electrons.TotalCount, kept));
    }
}

/// <summary>Breaks the rule: adds nothing to a batch without events.</summary>
public sealed class SkipsEmptyBatches : IFeature
{
    public void Compute(EventBatch batch)
    {
        if (batch.EventCount > 0)
        {
            batch.AddEventColumn<float>("y");
        }
    }
}

/// <summary>Breaks the rule: writes straight to its output.</summary>
public sealed class WritesInPlace(string path) : IEventWriter
{
    public string OutputPath => path;

    public void Open(Provenance provenance) => File.WriteAllText(path, "");

    public void Write(EventBatch batch)
    {
    }

    public void Commit()
    {
    }

    public void Dispose()
    {
    }
}

/// <summary>Breaks the rule: a card without training objects.</summary>
public sealed class ForgetfulTrainer : ITrainableRegressor
{
    public string? ModelPath => null;

    public void Predict(EventBatch batch)
    {
    }

    public void Train(TrainingData data, IRunContext context)
    {
    }

    public void SaveModel(string path, Provenance provenance)
    {
        using var writer = ModelArchiveWriter.Create(path);
        writer.Commit(new ModelCard
        {
            Plugin = "forgetful",
            PluginFormatVersion = 1,
            Architecture = "nothing",
            Inputs = [new ModelInput("Electron_energy", [])],
            Outputs = ["Electron_energyCalib"],
            Target = new ModelTarget("ratio", "y = E_true / E_raw", ["Electron_genEnergy", "Electron_energy"]),
            Provenance = provenance,
        });
    }
}

/// <summary>Entries 0..n-1 with an <c>entry</c> column; <see cref="BrokenNumbering"/> numbers every batch from 0.</summary>
public sealed class CountingReader(int entries) : IShardableReader
{
    private long _start;
    private long _stop = entries;

    public bool BrokenNumbering { get; init; }

    public IReadOnlyList<string> InputFiles => [];

    public long? CountEvents() => _stop - _start;

    public IReadOnlyList<long> CountEntriesPerFile() => [entries];

    public void Restrict(long start, long stop) => (_start, _stop) = (start, stop);

    public IEnumerable<EventBatch> ReadBatches(int batchSize, CancellationToken cancellation)
    {
        for (long first = _start; first < _stop; first += batchSize)
        {
            int n = (int)Math.Min(batchSize, _stop - first);
            var batch = new EventBatch(n) { FirstEntry = BrokenNumbering ? 0 : first };
            Span<long> entry = batch.AddEventColumn<long>("entry").Values;
            for (int i = 0; i < n; i++)
            {
                entry[i] = first + i;
            }
            yield return batch;
        }
    }

    public void Dispose()
    {
    }
}
