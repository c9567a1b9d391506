namespace EnergyRegression.Data;

/// <summary>
/// A batch of events in columnar form (structure of arrays), like NanoAOD or Arrow: an event axis of
/// <see cref="EventCount"/> events, jagged object collections (per-event counts plus flat values), and
/// named columns of scalars or fixed-shape tensors. Storage is pooled; dispose the batch when done.
/// A batch is used by one thread at a time.
/// </summary>
public sealed class EventBatch : IDisposable
{
    private readonly Dictionary<string, Column> _columns = new(StringComparer.Ordinal);
    private readonly List<string> _columnOrder = [];
    private readonly Dictionary<string, ObjectCollection> _collections = new(StringComparer.Ordinal);
    private readonly List<string> _collectionOrder = [];

    /// <summary>Creates an empty batch of <paramref name="eventCount"/> events.</summary>
    public EventBatch(int eventCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(eventCount);
        EventCount = eventCount;
    }

    /// <summary>Number of events in the batch.</summary>
    public int EventCount { get; private set; }

    /// <summary>
    /// Index of this batch's first event in the input the reader produced (entry number across all files).
    /// Readers set it; it survives selections unchanged, so outputs and error messages can refer to entries.
    /// </summary>
    public long FirstEntry { get; set; }

    /// <summary>Input entry number of every event still in the batch, when a selection has removed some.</summary>
    public long EntryOf(int eventIndex) => _entries is null ? FirstEntry + eventIndex : _entries[eventIndex];

    private long[]? _entries;

    /// <summary>Column names in the order they were added.</summary>
    public IReadOnlyList<string> ColumnNames => _columnOrder;

    /// <summary>Collection names in the order they were added.</summary>
    public IReadOnlyList<string> CollectionNames => _collectionOrder;

    /// <summary>All columns, in the order they were added.</summary>
    public IEnumerable<Column> Columns => _columnOrder.Select(name => _columns[name]);

    /// <summary>True when a column of that name exists.</summary>
    public bool HasColumn(string name) => _columns.ContainsKey(name);

    /// <summary>True when a collection of that name exists.</summary>
    public bool HasCollection(string name) => _collections.ContainsKey(name);

    /// <summary>
    /// The column of that name; the error (a <see cref="KeyNotFoundException"/>) suggests the closest name and lists the
    /// columns that exist. For a column the user chose in the plugin's config, use <see cref="GetColumnNamedBy(string, string)"/>.
    /// </summary>
    public Column GetColumn(string name)
    {
        if (_columns.TryGetValue(name, out Column? column))
        {
            return column;
        }
        throw new KeyNotFoundException(
            $"No column '{name}' in the batch{Plugins.NameSuggestions.DidYouMean(name, _columnOrder)}. Columns: {Listing(_columnOrder)}.");
    }

    /// <summary>
    /// The column named by the config key <paramref name="key"/> (as written in YAML, e.g. <c>input_energy</c>) of the
    /// plugin asking. A missing column is a <see cref="Plugins.ConfigValueException"/> on that key: energyreg reports it
    /// as a configuration error at the key's line and column in the chain file, with the closest existing name (exit code
    /// 3), and <c>energyreg validate</c> finds it before a run.
    /// </summary>
    public Column GetColumnNamedBy(string key, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (_columns.TryGetValue(name, out Column? column))
        {
            return column;
        }
        throw new Plugins.ConfigValueException(key,
            $"no column '{name}' in the batch{Plugins.NameSuggestions.DidYouMean(name, _columnOrder)}; it has {Listing(_columnOrder)}");
    }

    /// <summary>
    /// As <see cref="GetColumnNamedBy(string, string)"/>, for a column of element type <typeparamref name="T"/>: a column of another type
    /// is a <see cref="Plugins.ConfigValueException"/> on <paramref name="key"/> too.
    /// </summary>
    public Column<T> GetColumnNamedBy<T>(string key, string name) where T : unmanaged
    {
        Column column = GetColumnNamedBy(key, name);
        return column as Column<T> ?? throw new Plugins.ConfigValueException(key,
            $"column '{name}' holds {ScalarConvert.NameOf(column.ElementType)}; this plugin needs {ScalarConvert.NameOf(typeof(T))}");
    }

    /// <summary>
    /// The collection named by the config key <paramref name="key"/>: a missing collection is a
    /// <see cref="Plugins.ConfigValueException"/> on that key, reported as for <see cref="GetColumnNamedBy(string, string)"/>.
    /// </summary>
    public ObjectCollection GetCollectionNamedBy(string key, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (_collections.TryGetValue(name, out ObjectCollection? collection))
        {
            return collection;
        }
        throw new Plugins.ConfigValueException(key,
            $"no collection '{name}' in the batch{Plugins.NameSuggestions.DidYouMean(name, _collectionOrder)}; it has {Listing(_collectionOrder)}");
    }

    // Names for an error message: all of a short list, the first twelve of a long one.
    private static string Listing(List<string> names) => names.Count switch
    {
        0 => "(none)",
        <= 12 => string.Join(", ", names),
        _ => $"{string.Join(", ", names.Take(12))}, … ({names.Count} in all)",
    };

    /// <summary>The column of that name and element type.</summary>
    public Column<T> GetColumn<T>(string name) where T : unmanaged
    {
        Column column = GetColumn(name);
        return column as Column<T> ?? throw new InvalidCastException(
            $"Column '{name}' holds {ScalarConvert.NameOf(column.ElementType)}, not {ScalarConvert.NameOf(typeof(T))}.");
    }

    /// <summary>The collection of that name; the error lists the collections that exist.</summary>
    public ObjectCollection GetCollection(string name)
    {
        if (_collections.TryGetValue(name, out ObjectCollection? collection))
        {
            return collection;
        }
        throw new KeyNotFoundException(
            $"No collection '{name}' in the batch{Plugins.NameSuggestions.DidYouMean(name, _collectionOrder)}. Collections: {Listing(_collectionOrder)}.");
    }

    /// <summary>Adds a jagged collection with the given number of objects in every event.</summary>
    public ObjectCollection AddCollection(string name, ReadOnlySpan<int> countsPerEvent)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (countsPerEvent.Length != EventCount)
        {
            throw new ArgumentException($"Collection '{name}' has {countsPerEvent.Length} counts for {EventCount} events.", nameof(countsPerEvent));
        }
        if (_collections.ContainsKey(name))
        {
            throw new ArgumentException($"Collection '{name}' already exists.", nameof(name));
        }
        var collection = new ObjectCollection(name, countsPerEvent);
        _collections.Add(name, collection);
        _collectionOrder.Add(name);
        return collection;
    }

    /// <summary>Adds a zero-filled event-level column of <typeparamref name="T"/> with the given row shape.</summary>
    public Column<T> AddEventColumn<T>(string name, params int[] shape) where T : unmanaged
    {
        var column = new Column<T>(name, ColumnLevel.Event, null, shape, EventCount);
        Register(column);
        return column;
    }

    /// <summary>Adds a zero-filled column with one row per object of <paramref name="collection"/>.</summary>
    public Column<T> AddObjectColumn<T>(string collection, string name, params int[] shape) where T : unmanaged
    {
        ObjectCollection objects = GetCollection(collection);
        var column = new Column<T>(name, ColumnLevel.Object, collection, shape, objects.TotalCount);
        Register(column);
        return column;
    }

    /// <summary>Adds a zero-filled column like <paramref name="template"/> (level, collection, shape) of another element type.</summary>
    public Column<T> AddColumnLike<T>(string name, Column template) where T : unmanaged =>
        template.Level == ColumnLevel.Event
            ? AddEventColumn<T>(name, [.. template.Shape])
            : AddObjectColumn<T>(template.Collection!, name, [.. template.Shape]);

    /// <summary>Adds a zero-filled column of a runtime element type (one of <see cref="ScalarConvert.TypesByName"/>).</summary>
    public Column AddColumn(Type elementType, string name, string? collection, params int[] shape)
    {
        return elementType switch
        {
            _ when elementType == typeof(float) => Add<float>(),
            _ when elementType == typeof(double) => Add<double>(),
            _ when elementType == typeof(int) => Add<int>(),
            _ when elementType == typeof(long) => Add<long>(),
            _ when elementType == typeof(bool) => Add<bool>(),
            _ when elementType == typeof(sbyte) => Add<sbyte>(),
            _ when elementType == typeof(byte) => Add<byte>(),
            _ when elementType == typeof(short) => Add<short>(),
            _ when elementType == typeof(ushort) => Add<ushort>(),
            _ when elementType == typeof(uint) => Add<uint>(),
            _ when elementType == typeof(ulong) => Add<ulong>(),
            _ => throw new NotSupportedException($"Unsupported column element type {elementType}."),
        };

        Column Add<T>() where T : unmanaged =>
            collection is null ? AddEventColumn<T>(name, shape) : AddObjectColumn<T>(collection, name, shape);
    }

    /// <summary>Removes and disposes a column.</summary>
    public void RemoveColumn(string name)
    {
        Column column = GetColumn(name);
        _columns.Remove(name);
        _columnOrder.Remove(name);
        column.Dispose();
    }

    /// <summary>
    /// Keeps the events whose mask entry is true (and their objects), compacting every column in place.
    /// </summary>
    public void KeepEvents(ReadOnlySpan<bool> eventMask)
    {
        if (eventMask.Length != EventCount)
        {
            throw new ArgumentException($"Event mask has {eventMask.Length} entries for {EventCount} events.", nameof(eventMask));
        }
        int kept = 0;
        foreach (bool keep in eventMask)
        {
            kept += keep ? 1 : 0;
        }
        if (kept == EventCount)
        {
            return;
        }

        foreach (string name in _collectionOrder)
        {
            ObjectCollection collection = _collections[name];
            var objectMask = new bool[collection.TotalCount];
            for (int e = 0; e < EventCount; e++)
            {
                if (eventMask[e])
                {
                    objectMask.AsSpan(collection.Offsets[e], collection.CountOf(e)).Fill(true);
                }
            }
            CompactObjects(collection, objectMask);
            collection.KeepEvents(eventMask, kept);
        }

        long[] entries = new long[kept];
        for (int e = 0, k = 0; e < EventCount; e++)
        {
            if (eventMask[e])
            {
                entries[k++] = EntryOf(e);
            }
        }
        _entries = entries;

        foreach (Column column in _columns.Values)
        {
            if (column.Level == ColumnLevel.Event)
            {
                column.Compact(eventMask, kept);
            }
        }
        EventCount = kept;
    }

    /// <summary>Keeps the objects of <paramref name="collection"/> whose mask entry is true; events are kept, their counts shrink.</summary>
    public void KeepObjects(string collection, ReadOnlySpan<bool> objectMask)
    {
        ObjectCollection objects = GetCollection(collection);
        if (objectMask.Length != objects.TotalCount)
        {
            throw new ArgumentException(
                $"Object mask has {objectMask.Length} entries for {objects.TotalCount} objects of '{collection}'.", nameof(objectMask));
        }
        CompactObjects(objects, objectMask);
        objects.KeepObjects(objectMask);
    }

    private void CompactObjects(ObjectCollection collection, ReadOnlySpan<bool> objectMask)
    {
        int kept = 0;
        foreach (bool keep in objectMask)
        {
            kept += keep ? 1 : 0;
        }
        foreach (Column column in _columns.Values)
        {
            if (column.Level == ColumnLevel.Object && column.Collection == collection.Name)
            {
                column.Compact(objectMask, kept);
            }
        }
    }

    private void Register(Column column)
    {
        ArgumentException.ThrowIfNullOrEmpty(column.Name);
        if (!_columns.TryAdd(column.Name, column))
        {
            column.Dispose();
            throw new ArgumentException($"Column '{column.Name}' already exists.");
        }
        _columnOrder.Add(column.Name);
    }

    /// <summary>
    /// A deep copy: the same events, collections and columns (in the same order) with their own storage, and
    /// the same input entry numbers. Dispose both.
    /// </summary>
    public EventBatch Clone()
    {
        var copy = new EventBatch(EventCount) { FirstEntry = FirstEntry, _entries = _entries?.ToArray() };
        try
        {
            foreach (string name in _collectionOrder)
            {
                ObjectCollection collection = _collections[name];
                int[] counts = new int[EventCount];
                for (int e = 0; e < EventCount; e++)
                {
                    counts[e] = collection.CountOf(e);
                }
                copy.AddCollection(name, counts);
            }
            foreach (Column column in Columns)
            {
                Column target = copy.AddColumn(column.ElementType, column.Name, column.Collection, [.. column.Shape]);
                column.CopyValuesTo(target);
            }
            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <summary>Returns every column's pooled storage.</summary>
    public void Dispose()
    {
        foreach (Column column in _columns.Values)
        {
            column.Dispose();
        }
        _columns.Clear();
        _columnOrder.Clear();
    }
}
