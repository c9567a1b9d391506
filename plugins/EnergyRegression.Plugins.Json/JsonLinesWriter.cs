using System.Buffers;
using EnergyRegression.Data;
using EnergyRegression.Running;

namespace EnergyRegression.Plugins.Json;

/// <summary>
/// Writes event batches as JSON Lines, one object per event (docs/formats/json.md): event scalars, then for
/// each collection its count <c>nName</c> before its first column, object columns as arrays, tensors as nested
/// arrays. Writes <c>path.partial</c> and renames it to <c>path</c> in <see cref="Commit"/>.
/// </summary>
[Plugin("json", Description = "Writes JSON Lines files (one event per line), readable by the json reader.")]
public sealed class JsonLinesWriter : IEventWriter
{
    /// <summary>Bytes gathered before they are handed to the file stream.</summary>
    private const int FlushThreshold = 1 << 16;

    private readonly JsonLinesWriterConfig _config;
    private readonly IRunContext? _context;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold * 2);
    private FileStream? _stream;
    private List<OutputField>? _fields;
    private bool _committed;

    /// <summary>Creates the writer; nothing is written before <see cref="Open"/>.</summary>
    public JsonLinesWriter(JsonLinesWriterConfig config, IRunContext? context = null)
    {
        config.Validate();
        _config = config;
        _context = context;
    }

    /// <inheritdoc />
    public string OutputPath => _config.Path;

    /// <summary>The temporary file written until <see cref="Commit"/>.</summary>
    public string PartialPath => _config.Path + ".partial";

    /// <summary>Creates the output directory and the temporary file. JSON Lines has no place for <paramref name="provenance"/>.</summary>
    public void Open(Provenance provenance)
    {
        if (_stream is not null || _committed)
        {
            throw new InvalidOperationException("The json writer is already open.");
        }
        string? directory = Path.GetDirectoryName(Path.GetFullPath(OutputPath));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        _stream = new FileStream(PartialPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: FlushThreshold);
        _context?.Log.Debug($"json writer: writing {PartialPath} (config {provenance.ConfigSha256}).");
    }

    /// <inheritdoc />
    public void Write(EventBatch batch)
    {
        FileStream stream = _stream ?? throw new InvalidOperationException("Call Open before Write.");
        _fields ??= Layout(batch);
        foreach (OutputField field in _fields)
        {
            field.Bind(batch);
        }
        for (int e = 0; e < batch.EventCount; e++)
        {
            _buffer.Write("{"u8);
            for (int i = 0; i < _fields.Count; i++)
            {
                if (i > 0)
                {
                    _buffer.Write(","u8);
                }
                _buffer.Write(_fields[i].Key);
                _fields[i].WriteValue(e, _buffer);
            }
            _buffer.Write("}\n"u8);
            if (_buffer.WrittenCount >= FlushThreshold)
            {
                stream.Write(_buffer.WrittenSpan);
                _buffer.ResetWrittenCount();
            }
        }
    }

    /// <summary>Flushes, closes and renames the temporary file to <see cref="OutputPath"/>.</summary>
    public void Commit()
    {
        FileStream stream = _stream ?? throw new InvalidOperationException("Call Open before Commit.");
        stream.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
        stream.Flush(flushToDisk: true);
        stream.Dispose();
        _stream = null;
        File.Move(PartialPath, OutputPath, overwrite: true);
        _committed = true;
    }

    /// <summary>Closes the file; without <see cref="Commit"/> the temporary file is deleted.</summary>
    public void Dispose()
    {
        if (_stream is null)
        {
            return;
        }
        _stream.Dispose();
        _stream = null;
        if (!_committed)
        {
            File.Delete(PartialPath);
        }
    }

    /// <summary>The keys of every line, from the first batch: its columns (or the configured ones) in batch order, counts first.</summary>
    private List<OutputField> Layout(EventBatch batch)
    {
        var wanted = _config.Columns is null ? null : new HashSet<string>(_config.Columns, StringComparer.Ordinal);
        if (wanted is not null)
        {
            foreach (string name in wanted)
            {
                bool isCount = name.Length > 1 && name[0] == 'n' && batch.HasCollection(name[1..]);
                if (!batch.HasColumn(name) && !isCount)
                {
                    throw new ConfigValueException("columns",
                        $"Column '{name}' is not in the batch. Columns: {string.Join(", ", batch.ColumnNames)}.");
                }
            }
        }
        var selected = batch.Columns.Where(c => wanted is null || wanted.Contains(c.Name)).ToList();
        var collections = new HashSet<string>(selected.Select(c => c.Collection).OfType<string>(), StringComparer.Ordinal);
        var fields = new List<OutputField>();
        var countsWritten = new HashSet<string>(StringComparer.Ordinal);
        foreach (Column column in selected)
        {
            if (column.Level == ColumnLevel.Event && column.Name.Length > 1 && column.Name[0] == 'n' && collections.Contains(column.Name[1..]))
            {
                _context?.Log.Warning($"json writer: column '{column.Name}' is not written: the key is the count of collection '{column.Name[1..]}'.");
                continue;
            }
            if (column.Collection is { } collection && countsWritten.Add(collection))
            {
                fields.Add(new CountField(collection));
            }
            WarnIfNotReadable(column);
            fields.Add(OutputField.ForColumn(column));
        }
        foreach (string collection in batch.CollectionNames)
        {
            // A count asked for explicitly, of a collection none of whose columns is written.
            if (wanted is not null && wanted.Contains("n" + collection) && countsWritten.Add(collection))
            {
                fields.Add(new CountField(collection));
            }
        }
        return fields;
    }

    /// <summary>The json reader decides a column's role from its name: warn where that would not give the column back.</summary>
    private void WarnIfNotReadable(Column column)
    {
        int underscore = column.Name.IndexOf('_', StringComparison.Ordinal);
        string? problem = column.Level switch
        {
            ColumnLevel.Event when column.Shape.Count > 0 && underscore >= 0 =>
                $"is an event-level tensor whose name has '_'; the json reader will read it as collection '{column.Name[..underscore]}'",
            ColumnLevel.Object when underscore <= 0 || column.Name[..underscore] != column.Collection =>
                $"belongs to collection '{column.Collection}' but its name does not start with '{column.Collection}_'; the json reader will not read it back the same way",
            _ => null,
        };
        if (problem is not null)
        {
            _context?.Log.Warning($"json writer: column '{column.Name}' {problem}.");
        }
    }
}
