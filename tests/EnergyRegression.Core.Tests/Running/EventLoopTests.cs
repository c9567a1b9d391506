using EnergyRegression.Core.Running;
using EnergyRegression.Data;
using EnergyRegression.Plugins;
using EnergyRegression.Running;

namespace EnergyRegression.Core.Tests.Running;

public sealed class EventLoopTests
{
    private static Task<EventLoopResult> Run(IEventReader reader, IEnumerable<IStage> stages, IEventWriter? writer,
        EventLoopOptions options, CancellationToken cancellation = default)
    {
        using var chain = Chain.FromInstances(reader, stages, writer);
        return new EventLoop(chain, SilentConsole.Instance).RunAsync(options, cancellation);
    }

    [Fact]
    public async Task Output_order_equals_input_order_with_several_workers()
    {
        var reader = new SyntheticReader(events: 5_000);
        var writer = new RecordingWriter();
        EventLoopResult result = await Run(reader, [new JitterStage()], writer, new EventLoopOptions { BatchSize = 37, Threads = 4 });

        Assert.Equal(5_000, result.EventsRead);
        Assert.Equal(Enumerable.Range(0, 5_000).Select(i => (long)i), writer.EventIds);
        Assert.Equal(Enumerable.Range(0, 5_000).SelectMany(e => Enumerable.Range(0, e % 3).Select(k => 10f * e + k)), writer.ElectronPts);
        // The jitter really did finish batches out of order, or the test proves nothing.
        Assert.True(JitterStage.OutOfOrderSeen(writer), "workers never overtook each other");
    }

    [Fact]
    public async Task Batches_in_flight_and_peak_memory_stay_flat_for_an_input_20_times_the_batch_size_and_more()
    {
        // Each batch holds 500 electrons with a 28×28 float window: ~1.6 MB.
        const int batchSize = 500;
        long PeakFor(int batches, out int maxInFlight)
        {
            var reader = new SyntheticReader(events: batches * batchSize, electronsPerEvent: 1, windowSize: 28);
            var writer = new RecordingWriter { KeepIds = false };
            reader.Writer = writer;
            Run(reader, [new JitterStage()], writer, new EventLoopOptions { BatchSize = batchSize, Threads = 2, MaxBatchesInFlight = 4 })
                .GetAwaiter().GetResult();
            maxInFlight = reader.MaxInFlight;
            return Math.Max(reader.PeakManagedBytes, writer.PeakManagedBytes);
        }

        PeakFor(2, out _); // warm up the pools and the JIT
        GC.Collect();
        long small = PeakFor(20, out int smallInFlight);
        GC.Collect();
        long large = PeakFor(200, out int largeInFlight);

        // At most MaxBatchesInFlight alive, plus the one being produced.
        Assert.InRange(smallInFlight, 1, 5);
        Assert.InRange(largeInFlight, 1, 5);
        // 200 batches hold ~320 MB if nothing were released; bounded memory stays within the 20-batch peak + slack.
        Assert.True(large < small + 64L * 1024 * 1024, $"peak managed memory {large / 1e6:F0} MB for 200 batches vs {small / 1e6:F0} MB for 20");
    }

    [Fact]
    public async Task Cut_flow_counts_events_and_objects_through_a_selection()
    {
        var reader = new SyntheticReader(events: 1_000);
        EventLoopResult result = await Run(reader, [new EvenEventsWithFirstElectron()], new RecordingWriter(), new EventLoopOptions { BatchSize = 64, Threads = 3 });

        // Events e have e % 3 electrons: 0,1,2,0,1,2,... Over 1000 events: 333 of each count (plus event 999 with 0).
        CutFlowStep read = result.CutFlow.Steps[0];
        Assert.Equal(("reader", 1_000L, 1_000L), (read.Kind, read.EventsIn, read.EventsOut));
        Assert.Equal(new ObjectCounts(999, 999), read.Objects["Electron"]);
        CutFlowStep cut = result.CutFlow.Steps[1];
        Assert.Equal("selection", cut.Kind);
        Assert.Equal(500, cut.EventsOut);
        // Even events keep at most their first electron: count of even e in [0,1000) with e % 3 != 0.
        int expectedObjects = Enumerable.Range(0, 1_000).Count(e => e % 2 == 0 && e % 3 != 0);
        Assert.Equal(new ObjectCounts(999, expectedObjects), cut.Objects["Electron"]);
        Assert.Equal(500, result.CutFlow.Steps[2].EventsIn);
        Assert.Equal(500, result.EventsWritten);
    }

    [Fact]
    public async Task Cuts_a_selection_reports_are_summed_over_batches_in_the_order_reported()
    {
        var reader = new SyntheticReader(events: 1_000);
        EventLoopResult result = await Run(reader, [new EvenEventsWithCuts()], new RecordingWriter(), new EventLoopOptions { BatchSize = 64, Threads = 3 });

        CutFlowStep step = result.CutFlow.Steps[1];
        Assert.Equal(["first electron", "even event"], step.Cuts.Select(c => c.Name));
        // Events with e % 3 != 0 have electrons (666 of 1000); each keeps its first one; no event is dropped by it.
        int withElectrons = Enumerable.Range(0, 1_000).Count(e => e % 3 != 0);
        CutFlowCut first = step.Cuts[0];
        Assert.Equal(("Electron", (long)withElectrons, (long)withElectrons, 999L, (long)withElectrons),
            (first.Collection, first.EventsIn, first.EventsOut, first.ObjectsIn, first.ObjectsOut));
        CutFlowCut even = step.Cuts[1];
        Assert.Equal(((string?)null, 1_000L, 500L, 0L, 0L), (even.Collection, even.EventsIn, even.EventsOut, even.ObjectsIn, even.ObjectsOut));
        Assert.Empty(result.CutFlow.Steps[0].Cuts);
    }

    [Fact]
    public async Task Max_events_truncates_the_input()
    {
        var writer = new RecordingWriter();
        EventLoopResult result = await Run(new SyntheticReader(events: 100), [], writer, new EventLoopOptions { BatchSize = 10, MaxEvents = 25 });
        Assert.Equal(25, result.EventsRead);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => (long)i), writer.EventIds);
    }

    [Fact]
    public async Task A_stage_that_throws_is_reported_by_name_and_stops_the_run()
    {
        var writer = new RecordingWriter();
        PluginException error = await Assert.ThrowsAsync<PluginException>(() =>
            Run(new SyntheticReader(events: 10_000), [new ThrowingStage(atEntry: 4_321)], writer, new EventLoopOptions { BatchSize = 100, Threads = 2 }));
        Assert.Contains("ThrowingStage", error.Message, StringComparison.Ordinal);
        Assert.Contains("stages[0]", error.Message, StringComparison.Ordinal);
        Assert.Contains("entries from 4300", error.Message, StringComparison.Ordinal);
        Assert.Contains("boom at 4321", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(4_321L, writer.EventIds);
    }

    [Fact]
    public async Task Input_errors_pass_through_unchanged()
    {
        var reader = new SyntheticReader(events: 1_000) { FailAtBatch = 3 };
        InputDataException error = await Assert.ThrowsAsync<InputDataException>(() =>
            Run(reader, [], new RecordingWriter(), new EventLoopOptions { BatchSize = 100 }));
        Assert.Equal("synthetic.dat", error.File);
    }

    [Fact]
    public async Task Cancellation_stops_the_run_without_hanging()
    {
        using var cancel = new CancellationTokenSource();
        var writer = new RecordingWriter { OnWrite = batch => { if (batch.FirstEntry >= 500) { cancel.Cancel(); } } };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Run(new SyntheticReader(events: 1_000_000), [], writer, new EventLoopOptions { BatchSize = 100 }, cancel.Token));
        Assert.True(writer.EventIds.Count < 1_000_000);
    }

    [Fact]
    public void Random_streams_are_reproducible_and_independent()
    {
        var a = new RunContext(SilentConsole.Instance, SilentConsole.Instance, 7, default);
        var b = new RunContext(SilentConsole.Instance, SilentConsole.Instance, 7, default);
        int[] Draw(Random r) => Enumerable.Range(0, 5).Select(_ => r.Next()).ToArray();
        Assert.Equal(Draw(a.CreateRandom("noise")), Draw(b.CreateRandom("noise")));
        Assert.NotEqual(Draw(a.CreateRandom("noise")), Draw(a.CreateRandom("pileup")));
        Assert.NotEqual(Draw(a.CreateRandom("noise")), Draw(new RunContext(SilentConsole.Instance, SilentConsole.Instance, 8, default).CreateRandom("noise")));
        // The stream seed must never change between versions, or old results stop reproducing. Expected value:
        // 32-bit FNV-1a over the seed's 4 little-endian bytes then each UTF-16 char's low and high byte,
        // masked to 31 bits, computed independently in Python.
        Assert.Equal(1606154873, RunContext.StreamSeed(42, "noise"));
    }
}
