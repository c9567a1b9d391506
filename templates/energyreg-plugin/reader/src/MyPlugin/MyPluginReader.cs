using System.Globalization;
using EnergyRegression.Data;
using EnergyRegression.Plugins;

namespace MyPlugin;

/// <summary>
/// A reader: CSV files of objects, one per row, a header naming the fields; rows with the same event number in a row are
/// one event (lines starting with <c>#</c> are comments). Every other field becomes a float object column of the
/// collection, the event number an int64 event column. Entries are events, numbered from 0 across the files in order:
/// the reader yields batches in that order with <see cref="EventBatch.FirstEntry"/> set, and can be restricted to a range
/// of them (<see cref="IShardableReader"/>: <c>energyreg run --shard K/N</c> and grid jobs). It declares its columns from
/// the header (<see cref="IColumnDeclaringReader"/>), so <c>energyreg validate</c> reads no event. Called from one thread.
/// </summary>
[Plugin("my-plugin", Description = "Reads CSV files of objects (one row per object, an event-number field), shardable.")]
public sealed class MyPluginReader : IShardableReader, IColumnDeclaringReader
{
    private readonly MyPluginConfig _config;
    private readonly List<string> _files;
    private readonly string[] _fields;
    private readonly EntryRange _range;
    private EntryRange _restricted;
    private IReadOnlyList<long>? _eventsPerFile;

    /// <summary>Finds the files (a missing file or a pattern matching none is an input error) and checks they have one header.</summary>
    public MyPluginReader(MyPluginConfig config)
    {
        _config = config;
        try
        {
            _files = InputFilePatterns.Expand(config.Files);
        }
        catch (FileNotFoundException e)
        {
            throw new InputDataException(e.FileName ?? "files", "file", e.Message);
        }
        _range = _restricted = config.Range;
        _fields = ReadHeader(_files[0]);
        foreach (string file in _files.Skip(1))
        {
            if (!ReadHeader(file).SequenceEqual(_fields))
            {
                throw new InputDataException(file, "header", $"the fields differ from those of {_files[0]} ({string.Join(", ", _fields)})");
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> InputFiles => _files;

    /// <inheritdoc />
    public long? CountEvents() => _restricted.CountWithin(CountEntriesPerFile().Sum());

    /// <summary>Events per file, counted once (a pass over the event-number field).</summary>
    public IReadOnlyList<long> CountEntriesPerFile() => _eventsPerFile ??= [.. _files.Select(f => (long)Events(f).Count())];

    /// <inheritdoc />
    public void Restrict(long start, long stop) => _restricted = _range.Within(start, stop);

    /// <inheritdoc />
    public EventBatch DeclareColumns()
    {
        var batch = new EventBatch(0);
        AddColumns(batch, []);
        return batch;
    }

    /// <inheritdoc />
    public IEnumerable<EventBatch> ReadBatches(int batchSize, CancellationToken cancellation)
    {
        var pending = new List<Event>(batchSize);
        long entry = 0, firstPending = 0;
        foreach (string file in _files)
        {
            if (_restricted.EndsBefore(entry))
            {
                break;
            }
            foreach (Event e in Events(file))
            {
                cancellation.ThrowIfCancellationRequested();
                if (_restricted.EndsBefore(entry))
                {
                    break;
                }
                if (entry >= _restricted.Start)
                {
                    if (pending.Count == 0)
                    {
                        firstPending = entry;
                    }
                    pending.Add(e);
                    if (pending.Count == batchSize)
                    {
                        yield return Batch(pending, firstPending);
                        pending.Clear();
                    }
                }
                entry++;
            }
        }
        if (pending.Count > 0)
        {
            yield return Batch(pending, firstPending);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed record Event(long Number, List<float[]> Objects);

    private EventBatch Batch(List<Event> events, long firstEntry)
    {
        var batch = new EventBatch(events.Count) { FirstEntry = firstEntry };
        AddColumns(batch, events);
        return batch;
    }

    // The event column and one object column per other field, filled from the events (none: the columns only).
    private void AddColumns(EventBatch batch, List<Event> events)
    {
        string[] fields = _fields;
        Span<long> numbers = batch.AddEventColumn<long>(_config.EventColumn).Values;
        int[] counts = new int[events.Count];
        for (int e = 0; e < events.Count; e++)
        {
            numbers[e] = events[e].Number;
            counts[e] = events[e].Objects.Count;
        }
        batch.AddCollection(_config.Collection, counts);
        int eventField = Array.IndexOf(fields, _config.EventColumn);
        for (int f = 0; f < fields.Length; f++)
        {
            if (f == eventField)
            {
                continue;
            }
            Span<float> values = batch.AddObjectColumn<float>(_config.Collection, $"{_config.Collection}_{fields[f]}").Values;
            int row = 0;
            foreach (Event e in events)
            {
                foreach (float[] objectValues in e.Objects)
                {
                    values[row++] = objectValues[f];
                }
            }
        }
    }

    // The header's field names, checked: the event field present, no name twice.
    private string[] ReadHeader(string file)
    {
        using var reader = new StreamReader(file);
        int line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.StartsWith('#') || text.Trim().Length == 0)
            {
                continue;
            }
            string[] fields = [.. text.Split(',').Select(f => f.Trim())];
            if (!fields.Contains(_config.EventColumn))
            {
                throw new InputDataException(file, $"line {line}", $"the header has no field '{_config.EventColumn}' (event_column); it has {string.Join(", ", fields)}");
            }
            if (fields.Distinct().Count() != fields.Length || fields.Any(f => f.Length == 0))
            {
                throw new InputDataException(file, $"line {line}", "the header names a field twice, or has an empty one");
            }
            return fields;
        }
        throw new InputDataException(file, "line 1", "no header line: the file is empty");
    }

    // The events of one file, in order: consecutive rows with the same event number.
    private IEnumerable<Event> Events(string file)
    {
        string[] fields = _fields;
        int eventField = Array.IndexOf(fields, _config.EventColumn);
        using var reader = new StreamReader(file);
        Event? current = null;
        int line = 0;
        bool header = true;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.StartsWith('#') || text.Trim().Length == 0)
            {
                continue;
            }
            if (header)
            {
                header = false;
                continue;
            }
            string[] parts = text.Split(',');
            if (parts.Length != fields.Length)
            {
                throw new InputDataException(file, $"line {line}", $"{parts.Length} fields, the header has {fields.Length}");
            }
            float[] values = new float[fields.Length];
            for (int f = 0; f < fields.Length; f++)
            {
                if (f != eventField && !float.TryParse(parts[f], NumberStyles.Float, CultureInfo.InvariantCulture, out values[f]))
                {
                    throw new InputDataException(file, $"line {line}", $"field '{fields[f]}' is '{parts[f].Trim()}', not a number");
                }
            }
            if (!long.TryParse(parts[eventField], NumberStyles.Integer, CultureInfo.InvariantCulture, out long number))
            {
                throw new InputDataException(file, $"line {line}", $"the event number is '{parts[eventField].Trim()}', not an integer");
            }
            if (current is not null && current.Number != number)
            {
                yield return current;
                current = null;
            }
            current ??= new Event(number, []);
            current.Objects.Add(values);
        }
        if (current is not null)
        {
            yield return current;
        }
    }
}
