using EnergyRegression.Data;
using EnergyRegression.Plugins;

namespace EnergyRegression.Testing;

/// <summary>
/// What a stage did to the batches <see cref="PluginHarness.Run"/> passed through it: the batches after it, events and
/// objects before and after (the cut-flow row energyreg prints for the step) and the cuts a selection reported, summed
/// over the batches as in the cut flow. Disposing it disposes the batches.
/// </summary>
public sealed class StageRun : IDisposable
{
    private readonly List<EventBatch> _batches = [];
    private readonly List<CutCount> _cuts = [];
    private readonly Dictionary<string, (long In, long Out)> _objects = new(StringComparer.Ordinal);

    internal StageRun()
    {
    }

    /// <summary>The batches after the stage, in order.</summary>
    public IReadOnlyList<EventBatch> Batches => _batches;

    /// <summary>Events entering the stage.</summary>
    public long EventsIn { get; private set; }

    /// <summary>Events leaving it.</summary>
    public long EventsOut { get; private set; }

    /// <summary>Objects entering and leaving the stage, per collection present before it.</summary>
    public IReadOnlyDictionary<string, (long In, long Out)> Objects => _objects;

    /// <summary>The cuts a selection reported (<see cref="SelectionMask.RecordCut"/>), summed over batches by label, in first-seen order.</summary>
    public IReadOnlyList<CutCount> Cuts => _cuts;

    /// <summary>The contents of the batches after the stage (the batches stay in this run).</summary>
    public Dataset Contents() => Dataset.Of(_batches, dispose: false);

    internal void Add(EventBatch batch, IReadOnlyList<CutCount>? cuts)
    {
        _batches.Add(batch);
        EventsOut += batch.EventCount;
        foreach (string name in batch.CollectionNames)
        {
            (long @in, long @out) = _objects.GetValueOrDefault(name);
            _objects[name] = (@in, @out + batch.GetCollection(name).TotalCount);
        }
        foreach (CutCount cut in cuts ?? [])
        {
            int i = _cuts.FindIndex(c => c.Cut == cut.Cut);
            if (i < 0)
            {
                _cuts.Add(cut);
            }
            else
            {
                CutCount sum = _cuts[i];
                _cuts[i] = sum with
                {
                    EventsIn = sum.EventsIn + cut.EventsIn,
                    EventsPassed = sum.EventsPassed + cut.EventsPassed,
                    ObjectsIn = sum.ObjectsIn + cut.ObjectsIn,
                    ObjectsPassed = sum.ObjectsPassed + cut.ObjectsPassed,
                };
            }
        }
    }

    internal void CountIn(EventBatch batch)
    {
        EventsIn += batch.EventCount;
        foreach (string name in batch.CollectionNames)
        {
            (long @in, long @out) = _objects.GetValueOrDefault(name);
            _objects[name] = (@in + batch.GetCollection(name).TotalCount, @out);
        }
    }

    /// <summary>Disposes every batch.</summary>
    public void Dispose()
    {
        foreach (EventBatch batch in _batches)
        {
            batch.Dispose();
        }
        _batches.Clear();
    }
}
