using EnergyRegression.Data;

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

    /// <summary>Counts of a batch before the step ran.</summary>
    public static BatchCounts Count(EventBatch batch) =>
        new(batch.EventCount, batch.CollectionNames.ToDictionary(c => c, c => (long)batch.GetCollection(c).TotalCount));

    /// <summary>Adds what one batch brought in and took out.</summary>
    public void Record(BatchCounts before, BatchCounts after)
    {
        lock (_lock)
        {
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

/// <summary>Objects of one collection in and out of a step.</summary>
public readonly record struct ObjectCounts(long In, long Out);

/// <summary>Events and objects per collection of a batch at one moment.</summary>
public sealed record BatchCounts(long Events, IReadOnlyDictionary<string, long> Objects);
