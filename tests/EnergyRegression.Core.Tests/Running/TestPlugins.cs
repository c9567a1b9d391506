using EnergyRegression.Data;
using EnergyRegression.Plugins;
using EnergyRegression.Running;

namespace EnergyRegression.Core.Tests.Running;

/// <summary>Events 0..N-1; event e has e % 3 electrons (or a fixed number) with Electron_pt = 10e + k and an optional window.</summary>
[Plugin("synthetic")]
internal sealed class SyntheticReader(int events, int? electronsPerEvent = null, int windowSize = 0) : IEventReader
{
    public RecordingWriter? Writer { get; set; }

    public int? FailAtBatch { get; init; }

    public int MaxInFlight { get; private set; }

    public long PeakManagedBytes { get; private set; }

    public IReadOnlyList<string> InputFiles => ["synthetic.dat"];

    public long? CountEvents() => events;

    public IEnumerable<EventBatch> ReadBatches(int batchSize, CancellationToken cancellation)
    {
        int produced = 0;
        for (int first = 0; first < events; first += batchSize)
        {
            if (produced == FailAtBatch)
            {
                throw new InputDataException("synthetic.dat", $"entry {first}", "corrupt");
            }
            int n = Math.Min(batchSize, events - first);
            var batch = new EventBatch(n) { FirstEntry = first };
            Column<long> id = batch.AddEventColumn<long>("event");
            int[] counts = new int[n];
            for (int i = 0; i < n; i++)
            {
                id.Values[i] = first + i;
                counts[i] = electronsPerEvent ?? (first + i) % 3;
            }
            ObjectCollection electrons = batch.AddCollection("Electron", counts);
            Column<float> pt = batch.AddObjectColumn<float>("Electron", "Electron_pt");
            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < counts[i]; k++)
                {
                    pt.Values[electrons.Offsets[i] + k] = 10f * (first + i) + k;
                }
            }
            if (windowSize > 0)
            {
                batch.AddObjectColumn<float>("Electron", "Electron_window", windowSize, windowSize).Values.Fill(1f);
            }
            produced++;
            if (Writer is not null)
            {
                MaxInFlight = Math.Max(MaxInFlight, produced - Writer.BatchesWritten);
            }
            PeakManagedBytes = Math.Max(PeakManagedBytes, GC.GetTotalMemory(false));
            yield return batch;
        }
    }

    public void Dispose()
    {
    }
}

/// <summary>Records what reaches the writer.</summary>
[Plugin("recording")]
internal sealed class RecordingWriter : IEventWriter
{
    private int _written;

    public bool KeepIds { get; init; } = true;

    public Action<EventBatch>? OnWrite { get; init; }

    public List<long> EventIds { get; } = [];

    public List<float> ElectronPts { get; } = [];

    public List<long> BatchFirstEntries { get; } = [];

    public int BatchesWritten => Volatile.Read(ref _written);

    public long PeakManagedBytes { get; private set; }

    public string OutputPath => "memory";

    public void Open(Provenance provenance)
    {
    }

    public void Write(EventBatch batch)
    {
        OnWrite?.Invoke(batch);
        BatchFirstEntries.Add(batch.FirstEntry);
        if (KeepIds)
        {
            EventIds.AddRange(batch.GetColumn<long>("event").Values.ToArray());
            ElectronPts.AddRange(batch.GetColumn<float>("Electron_pt").Values.ToArray());
        }
        PeakManagedBytes = Math.Max(PeakManagedBytes, GC.GetTotalMemory(false));
        Interlocked.Increment(ref _written);
    }

    public void Commit()
    {
    }

    public void Dispose()
    {
    }
}

/// <summary>Sleeps a pseudo-random 0–4 ms per batch so workers finish out of order; records completion order.</summary>
[Plugin("jitter")]
internal sealed class JitterStage : IFeature
{
    private static readonly System.Collections.Concurrent.ConcurrentQueue<long> Completed = new();

    public void Compute(EventBatch batch)
    {
        Thread.Sleep((int)(batch.FirstEntry * 7919 % 5));
        Completed.Enqueue(batch.FirstEntry);
    }

    /// <summary>True when some batch finished processing before an earlier one (so reordering was needed).</summary>
    public static bool OutOfOrderSeen(RecordingWriter writer)
    {
        long[] order = Completed.ToArray().Where(writer.BatchFirstEntries.Contains).ToArray();
        return order.Zip(order.Skip(1)).Any(pair => pair.Second < pair.First);
    }
}

/// <summary>Keeps even events, and of their electrons only the first.</summary>
[Plugin("even")]
internal sealed class EvenEventsWithFirstElectron : ISelection
{
    public void Select(EventBatch batch, SelectionMask mask)
    {
        Span<long> ids = batch.GetColumn<long>("event").Values;
        ObjectCollection electrons = batch.GetCollection("Electron");
        Span<bool> objects = mask.Objects("Electron");
        for (int e = 0; e < batch.EventCount; e++)
        {
            mask.Events[e] = ids[e] % 2 == 0;
            for (int k = 1; k < electrons.CountOf(e); k++)
            {
                objects[electrons.Offsets[e] + k] = false;
            }
        }
    }
}

/// <summary>Like <see cref="EvenEventsWithFirstElectron"/>, reporting its two cuts for the cut flow.</summary>
[Plugin("even-with-cuts")]
internal sealed class EvenEventsWithCuts : ISelection
{
    public void Select(EventBatch batch, SelectionMask mask)
    {
        ObjectCollection electrons = batch.GetCollection("Electron");
        int withElectrons = Enumerable.Range(0, batch.EventCount).Count(e => electrons.CountOf(e) > 0);
        new EvenEventsWithFirstElectron().Select(batch, mask);
        int firstElectrons = Enumerable.Range(0, batch.EventCount).Count(e => electrons.CountOf(e) > 0);
        mask.RecordCut(new CutCount("first electron", "Electron", withElectrons, firstElectrons, electrons.TotalCount, firstElectrons));
        int even = 0;
        foreach (bool keep in mask.Events)
        {
            even += keep ? 1 : 0;
        }
        mask.RecordCut(new CutCount("even event", null, batch.EventCount, even, 0, 0));
    }
}

[Plugin("throwing")]
internal sealed class ThrowingStage(long atEntry) : IFeature
{
    public void Compute(EventBatch batch)
    {
        if (atEntry >= batch.FirstEntry && atEntry < batch.FirstEntry + batch.EventCount)
        {
            throw new InvalidOperationException($"boom at {atEntry}");
        }
    }
}
