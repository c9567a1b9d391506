using EnergyRegression.Data;
using EnergyRegression.Plugins;

namespace EnergyRegression.Core.Running;

/// <summary>
/// Events and objects in and out of every step of a run: what each selection kept. Updated by the
/// worker threads (one lock per step), printed at the end and saved next to the output.
/// </summary>
public sealed class CutFlow
{
    private readonly List<CutFlowStep> _steps = [];

    /// <summary>The steps in chain order.</summary>
    public IReadOnlyList<CutFlowStep> Steps => _steps;

    /// <summary>Adds a step row.</summary>
    public CutFlowStep AddStep(string name, string kind)
    {
        var step = new CutFlowStep(name, kind);
        _steps.Add(step);
        return step;
    }
}

/// <summary>One row of the cut flow.</summary>
public sealed class CutFlowStep(string name, string kind)
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, ObjectCounts> _objects = new(StringComparer.Ordinal);
    private readonly List<CutFlowCut> _cuts = [];

    /// <summary>The step's label.</summary>
    public string Name { get; } = name;

    /// <summary>reader, selection, feature, regressor, writer.</summary>
    public string Kind { get; } = kind;

    /// <summary>Events that entered the step.</summary>
    public long EventsIn { get; private set; }

    /// <summary>Events that left the step.</summary>
    public long EventsOut { get; private set; }

    /// <summary>Objects in and out per collection.</summary>
    public IReadOnlyDictionary<string, ObjectCounts> Objects => _objects;

    /// <summary>
    /// The cuts inside the step that its selection reported (<see cref="SelectionMask.RecordCut"/>), in the order
    /// first reported, summed over batches. Read them after the run.
    /// </summary>
    public IReadOnlyList<CutFlowCut> Cuts => _cuts;

    /// <summary>Counts of a batch before the step ran.</summary>
    public static BatchCounts Count(EventBatch batch) =>
        new(batch.EventCount, batch.CollectionNames.ToDictionary(c => c, c => (long)batch.GetCollection(c).TotalCount));

    /// <summary>Adds what one batch brought in and took out.</summary>
    public void Record(BatchCounts before, BatchCounts after, IReadOnlyList<CutCount>? cuts = null)
    {
        lock (_lock)
        {
            foreach (CutCount cut in cuts ?? [])
            {
                // Few cuts per step: a linear search keeps the first-reported order without a second index.
                CutFlowCut? row = _cuts.Find(c => c.Name == cut.Cut && c.Collection == cut.Collection);
                if (row is null)
                {
                    row = new CutFlowCut(cut.Cut, cut.Collection);
                    _cuts.Add(row);
                }
                row.Add(cut);
            }
            EventsIn += before.Events;
            EventsOut += after.Events;
            foreach (string collection in before.Objects.Keys.Union(after.Objects.Keys))
            {
                ObjectCounts counts = _objects.GetValueOrDefault(collection);
                _objects[collection] = new ObjectCounts(
                    counts.In + before.Objects.GetValueOrDefault(collection),
                    counts.Out + after.Objects.GetValueOrDefault(collection));
            }
        }
    }
}

/// <summary>One cut inside a step: events and objects that entered it and passed it, over all batches.</summary>
public sealed class CutFlowCut(string name, string? collection)
{
    /// <summary>The cut's label.</summary>
    public string Name { get; } = name;

    /// <summary>The collection of the objects counted; null for a cut on events only.</summary>
    public string? Collection { get; } = collection;

    /// <summary>Events entering the cut.</summary>
    public long EventsIn { get; private set; }

    /// <summary>Events passing it.</summary>
    public long EventsOut { get; private set; }

    /// <summary>Objects entering the cut.</summary>
    public long ObjectsIn { get; private set; }

    /// <summary>Objects passing it.</summary>
    public long ObjectsOut { get; private set; }

    internal void Add(CutCount count)
    {
        EventsIn += count.EventsIn;
        EventsOut += count.EventsPassed;
        ObjectsIn += count.ObjectsIn;
        ObjectsOut += count.ObjectsPassed;
    }
}

/// <summary>Objects of one collection in and out of a step.</summary>
public readonly record struct ObjectCounts(long In, long Out);

/// <summary>Events and objects per collection of a batch at one moment.</summary>
public sealed record BatchCounts(long Events, IReadOnlyDictionary<string, long> Objects);
