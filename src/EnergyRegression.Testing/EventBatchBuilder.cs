using EnergyRegression.Data;

namespace EnergyRegression.Testing;

/// <summary>
/// Builds <see cref="EventBatch"/>es from arrays, for tests: declare the events, the collections with their objects per
/// event, and the columns with all their values; then build one batch, or batches of a given size numbered as a reader
/// numbers them (<see cref="EventBatch.FirstEntry"/>). Values are row-major: a tensor column of shape [5, 5] has 25 values
/// per row.
/// <code>
/// using EventBatch batch = new EventBatchBuilder(3)
///     .Collection("Electron", 2, 0, 1)
///     .ObjectColumn("Electron", "Electron_energy", new[] { 10f, 20f, 45.5f })
///     .EventColumn("rho", new[] { 12f, 30f, 7f })
///     .Build();
/// </code>
/// </summary>
public sealed class EventBatchBuilder
{
    private readonly List<(string Name, int[] Counts)> _collections = [];
    private readonly List<ColumnValues> _columns = [];

    /// <summary>Starts a description of <paramref name="events"/> events.</summary>
    public EventBatchBuilder(int events)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(events);
        Events = events;
    }

    /// <summary>Number of events.</summary>
    public int Events { get; }

    /// <summary>The names of the columns declared so far, in order.</summary>
    public IReadOnlyList<string> ColumnNames => _columns.Select(c => c.Name).ToList();

    /// <summary>Declares a collection with <paramref name="countsPerEvent"/> objects in each event (one count per event).</summary>
    public EventBatchBuilder Collection(string name, params int[] countsPerEvent)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (countsPerEvent.Length != Events)
        {
            throw new ArgumentException($"Collection '{name}' has {countsPerEvent.Length} counts for {Events} events.", nameof(countsPerEvent));
        }
        if (countsPerEvent.Any(c => c < 0))
        {
            throw new ArgumentException($"Collection '{name}' has a negative count.", nameof(countsPerEvent));
        }
        if (_collections.Any(c => c.Name == name))
        {
            throw new ArgumentException($"Collection '{name}' is declared twice.", nameof(name));
        }
        _collections.Add((name, [.. countsPerEvent]));
        return this;
    }

    /// <summary>Adds an event-level column: one row per event, each of <paramref name="shape"/> (none: a scalar).</summary>
    public EventBatchBuilder EventColumn<T>(string name, T[] values, params int[] shape) where T : unmanaged
    {
        Check(name, null, values.Length, shape, Events);
        _columns.Add(new ColumnValues<T>(name, null, shape, values));
        return this;
    }

    /// <summary>Adds a column with one row per object of <paramref name="collection"/> (declared before), in event order.</summary>
    public EventBatchBuilder ObjectColumn<T>(string collection, string name, T[] values, params int[] shape) where T : unmanaged
    {
        int[] counts = _collections.FirstOrDefault(c => c.Name == collection).Counts
            ?? throw new ArgumentException($"Column '{name}': declare collection '{collection}' first.", nameof(collection));
        Check(name, collection, values.Length, shape, counts.Sum());
        _columns.Add(new ColumnValues<T>(name, collection, shape, values));
        return this;
    }

    /// <summary>One batch of every event, its first event being input entry <paramref name="firstEntry"/>. Dispose it.</summary>
    public EventBatch Build(long firstEntry = 0) => Slice(0, Events, firstEntry);

    /// <summary>
    /// The events in batches of at most <paramref name="batchSize"/>, as a reader yields them: in order, the first entry of
    /// each being its position in the whole. Dispose every batch.
    /// </summary>
    public IReadOnlyList<EventBatch> BuildBatches(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var batches = new List<EventBatch>();
        for (int start = 0; start < Events; start += batchSize)
        {
            batches.Add(Slice(start, Math.Min(batchSize, Events - start), start));
        }
        return batches;
    }

    private EventBatch Slice(int start, int count, long firstEntry)
    {
        var batch = new EventBatch(count) { FirstEntry = firstEntry };
        try
        {
            var firstObject = new Dictionary<string, (int First, int Count)>(StringComparer.Ordinal);
            foreach ((string name, int[] counts) in _collections)
            {
                batch.AddCollection(name, counts.AsSpan(start, count));
                firstObject[name] = (counts.Take(start).Sum(), counts.Skip(start).Take(count).Sum());
            }
            foreach (ColumnValues column in _columns)
            {
                (int first, int rows) = column.Collection is null ? (start, count) : firstObject[column.Collection];
                column.AddTo(batch, first, rows);
            }
            return batch;
        }
        catch
        {
            batch.Dispose();
            throw;
        }
    }

    private void Check(string name, string? collection, int values, int[] shape, int rows)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_columns.Any(c => c.Name == name))
        {
            throw new ArgumentException($"Column '{name}' is declared twice.", nameof(name));
        }
        int rowSize = shape.Aggregate(1, (product, d) => d > 0 ? product * d
            : throw new ArgumentException($"Column '{name}': shape dimensions must be positive.", nameof(shape)));
        if (values != rows * rowSize)
        {
            string what = collection is null ? $"{rows} event(s)" : $"{rows} object(s) of '{collection}'";
            throw new ArgumentException($"Column '{name}' has {values} values; {what} × {rowSize} per row need {rows * rowSize}.", nameof(values));
        }
    }

    private abstract record ColumnValues(string Name, string? Collection, int[] Shape)
    {
        public abstract void AddTo(EventBatch batch, int firstRow, int rows);
    }

    private sealed record ColumnValues<T>(string Name, string? Collection, int[] Shape, T[] Values) : ColumnValues(Name, Collection, Shape)
        where T : unmanaged
    {
        public override void AddTo(EventBatch batch, int firstRow, int rows)
        {
            Column<T> column = Collection is null ? batch.AddEventColumn<T>(Name, Shape) : batch.AddObjectColumn<T>(Collection, Name, Shape);
            Values.AsSpan(firstRow * column.RowSize, rows * column.RowSize).CopyTo(column.Values);
        }
    }
}
