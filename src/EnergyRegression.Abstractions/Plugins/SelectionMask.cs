using EnergyRegression.Data;

namespace EnergyRegression.Plugins;

/// <summary>
/// The keep-masks a selection fills: one for events, one per collection for objects. Everything starts
/// kept; a selection clears what it drops. Applied by the event loop, which compacts the batch once.
/// </summary>
public sealed class SelectionMask
{
    private readonly EventBatch _batch;
    private readonly bool[] _events;
    private readonly Dictionary<string, bool[]> _objects = new(StringComparer.Ordinal);
    private readonly List<CutCount> _cuts = [];

    /// <summary>Creates an all-kept mask for <paramref name="batch"/>.</summary>
    public SelectionMask(EventBatch batch)
    {
        _batch = batch;
        _events = new bool[batch.EventCount];
        Array.Fill(_events, true);
    }

    /// <summary>One entry per event: false drops the event.</summary>
    public Span<bool> Events => _events;

    /// <summary>One entry per object of <paramref name="collection"/>: false drops the object.</summary>
    public Span<bool> Objects(string collection)
    {
        if (!_objects.TryGetValue(collection, out bool[]? mask))
        {
            mask = new bool[_batch.GetCollection(collection).TotalCount];
            Array.Fill(mask, true);
            _objects.Add(collection, mask);
        }
        return mask;
    }

    /// <summary>The collections whose object mask was requested.</summary>
    public IEnumerable<string> MaskedCollections => _objects.Keys;

    /// <summary>
    /// Reports one cut of this selection for the cut flow (optional: the step's own in/out counts are always
    /// kept). Report the same cuts in the same order for every batch, even when nothing enters them.
    /// </summary>
    public void RecordCut(CutCount count)
    {
        ArgumentException.ThrowIfNullOrEmpty(count.Cut);
        _cuts.Add(count);
    }

    /// <summary>The cuts reported for this batch, in order.</summary>
    public IReadOnlyList<CutCount> Cuts => _cuts;

    /// <summary>Applies the masks to the batch: objects first, then events.</summary>
    public void ApplyTo(EventBatch batch)
    {
        foreach ((string collection, bool[] mask) in _objects)
        {
            batch.KeepObjects(collection, mask);
        }
        batch.KeepEvents(_events);
    }
}
