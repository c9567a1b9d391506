using EnergyRegression.Configuration;
using EnergyRegression.Data;
using EnergyRegression.Expressions;
using EnergyRegression.Plugins;
using EnergyRegression.Running;

namespace EnergyRegression.Benchmarks;

// The three plugins of the event-loop benchmark's chain. They are added to a PluginCatalog by type, the way
// a plugin assembly's classes are, and built by Chain.Build from a YAML chain.

public sealed class BenchReaderConfig : PluginConfig
{
    /// <summary>Events the reader produces.</summary>
    public int Events { get; set; } = 10_000;

    /// <summary>Seed of the synthetic events.</summary>
    public int Seed { get; set; } = 1;
}

/// <summary>An in-memory reader: copies pregenerated synthetic events (with a 28×28 window per electron) into batches.</summary>
[Plugin("bench-events", Description = "Synthetic electron events for benchmarks.")]
public sealed class BenchReader(BenchReaderConfig config) : IEventReader
{
    private readonly SyntheticEvents _events = SyntheticEvents.Get(config.Events, config.Seed);

    public IReadOnlyList<string> InputFiles => [];

    public long? CountEvents() => _events.EventCount;

    public IEnumerable<EventBatch> ReadBatches(int batchSize, CancellationToken cancellation)
    {
        for (int first = 0; first < _events.EventCount; first += batchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            yield return _events.CreateBatch(first, Math.Min(batchSize, _events.EventCount - first));
        }
    }

    public void Dispose()
    {
    }
}

public sealed class BenchCutConfig : PluginConfig
{
    /// <summary>A per-object condition.</summary>
    public required string Expression { get; set; }
}

/// <summary>
/// Filter-like selection: keeps the objects passing a per-object expression (evaluated column-wise, as the
/// <c>filter</c> plugin does) and drops the events left without any.
/// </summary>
[Plugin("bench-cut", Description = "Per-object cut, drops empty events (benchmarks).")]
public sealed class BenchCut(BenchCutConfig config) : ISelection
{
    private readonly CompiledExpression _expression = Expression.Parse(config.Expression);

    public void Select(EventBatch batch, SelectionMask mask)
    {
        using ExpressionResult result = _expression.Evaluate(batch);
        ReadOnlySpan<double> keep = result.Values;
        Span<bool> objects = mask.Objects(result.Collection!);
        for (int i = 0; i < objects.Length; i++)
        {
            objects[i] &= keep[i] != 0;
        }
        ReadOnlySpan<int> offsets = batch.GetCollection(result.Collection!).Offsets;
        Span<bool> events = mask.Events;
        for (int e = 0; e < events.Length; e++)
        {
            events[e] &= objects[offsets[e]..offsets[e + 1]].Contains(true);
        }
    }
}

/// <summary>A writer that only counts what it is given (and touches one value per batch).</summary>
[Plugin("bench-null", Description = "Counts events, writes nothing (benchmarks).")]
public sealed class NullWriter : IEventWriter
{
    public string OutputPath => "(nowhere)";

    public long Events { get; private set; }

    public double Checksum { get; private set; }

    public void Open(Provenance provenance)
    {
        Events = 0;
        Checksum = 0;
    }

    public void Write(EventBatch batch)
    {
        Events += batch.EventCount;
        Span<float> pt = batch.GetColumn<float>("Electron_pt").Values;
        Checksum += pt.IsEmpty ? 0 : pt[^1];
    }

    public void Commit()
    {
    }

    public void Dispose()
    {
    }
}
