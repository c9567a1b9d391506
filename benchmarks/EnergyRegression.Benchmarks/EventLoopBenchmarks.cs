using BenchmarkDotNet.Attributes;
using EnergyRegression.Core.Configuration;
using EnergyRegression.Core.Plugins;
using EnergyRegression.Core.Running;
using EnergyRegression.Running;

namespace EnergyRegression.Benchmarks;

/// <summary>
/// The event loop (reader thread → N stage workers → writer thread with reorder buffer) over a chain built the
/// public way: YAML text → ChainFile.Parse → PluginCatalog.Add(type) → Chain.Build → EventLoop.RunAsync.
/// The chain: synthetic reader (20 000 events, ~1.2 electrons each, 28×28 float window per electron),
/// a filter-like per-object cut that drops empty events, a writer that only counts.
/// Baseline: 1 worker thread, 1000 events per batch. <c>ReaderOnly</c> enumerates the reader alone (no loop,
/// no stage) to show what producing the events costs.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class EventLoopBenchmarks
{
    public const int Events = 20_000;

    public const string Cut = "Electron_pt > 25 && abs(Electron_eta) < 1.4442";

    private static readonly string ChainText = $"""
        name: benchmark
        seed: 1
        reader:
          type: bench-events
          with:
            events: {Events}
            seed: 1
        stages:
          - name: barrel electrons above 25 GeV
            type: bench-cut
            with:
              expression: "{Cut}"
        writer:
          type: bench-null
        """;

    private Chain _chain = null!;

    private sealed class Config : BenchmarkDotNet.Configs.ManualConfig
    {
        public Config() => AddColumn(new ThroughputColumn("Events/s", "input events per second", _ => Events));
    }

    [GlobalSetup]
    public void Setup()
    {
        var file = ChainFile.Parse(ChainText, "benchmark.yaml");
        var catalog = new PluginCatalog();
        catalog.Add(typeof(BenchReader));
        catalog.Add(typeof(BenchCut));
        catalog.Add(typeof(NullWriter));
        var context = new RunContext(SilentConsole.Instance, SilentConsole.Instance, file.Definition.Seed, CancellationToken.None);
        _chain = Chain.Build(file, catalog, context);
        SyntheticEvents.Get(Events, 1); // generate outside the measurement

        // Sanity check: every event read reaches the writer, and the cut keeps some but not all.
        EventLoopResult result = Run(2, 100).GetAwaiter().GetResult();
        var writer = (NullWriter)_chain.Writer!.Instance;
        if (result.EventsRead != Events || writer.Events != result.EventsWritten || result.EventsWritten is 0 or Events)
        {
            throw new InvalidOperationException($"Unexpected loop result: read {result.EventsRead}, written {result.EventsWritten}, writer saw {writer.Events}.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _chain.Dispose();

    [Benchmark(Baseline = true, Description = "threads=1, batch=1000")]
    public Task<EventLoopResult> Threads1Batch1000() => Run(1, 1000);

    [Benchmark(Description = "threads=2, batch=1000")]
    public Task<EventLoopResult> Threads2Batch1000() => Run(2, 1000);

    [Benchmark(Description = "threads=1, batch=100")]
    public Task<EventLoopResult> Threads1Batch100() => Run(1, 100);

    [Benchmark(Description = "threads=2, batch=100")]
    public Task<EventLoopResult> Threads2Batch100() => Run(2, 100);

    [Benchmark(Description = "reader only, batch=1000")]
    public long ReaderOnly()
    {
        var reader = (BenchReader)_chain.Reader.Instance;
        long events = 0;
        foreach (Data.EventBatch batch in reader.ReadBatches(1000, CancellationToken.None))
        {
            events += batch.EventCount;
            batch.Dispose();
        }
        return events;
    }

    private Task<EventLoopResult> Run(int threads, int batchSize)
    {
        var writer = (NullWriter)_chain.Writer!.Instance;
        writer.Open(JsonData.Provenance);
        return new EventLoop(_chain, SilentConsole.Instance)
            .RunAsync(new EventLoopOptions { Threads = threads, BatchSize = batchSize }, CancellationToken.None);
    }
}
