using System.Runtime.InteropServices;
using EnergyRegression.Data;
using EnergyRegression.Running;

namespace EnergyRegression.Plugins.Json;

/// <summary>
/// Reads JSON Lines files, one event per line, into event batches (docs/formats/json.md). Streams: a file
/// is never loaded whole; lines are parsed with <see cref="System.Text.Json.Utf8JsonReader"/> into
/// per-column buffers and a batch is emitted every <c>batchSize</c> events.
/// </summary>
[Plugin("json", Description = "Reads JSON Lines files (one event per line: scalars, Collection_field arrays, tensors as nested arrays).")]
public sealed class JsonLinesReader : IShardableReader
{
    /// <summary>How many skipped lines get their own warning before they are only counted.</summary>
    private const int MaxSkipWarnings = 10;

    private readonly JsonLinesReaderConfig _config;
    private readonly IRunContext? _context;
    private readonly List<string> _files;
    private readonly Dictionary<string, Type> _declaredTypes;
    private long[]? _fileLines;
    private (long Start, long Stop)? _restriction;

    /// <summary>Creates the reader; the files (and glob patterns) must exist.</summary>
    public JsonLinesReader(JsonLinesReaderConfig config, IRunContext? context = null)
    {
        config.Validate();
        _config = config;
        _context = context;
        _declaredTypes = SchemaInference.ResolveTypes(config.Types);
        try
        {
            _files = InputFilePatterns.Expand(config.Files);
        }
        catch (FileNotFoundException ex)
        {
            // Missing data is an input error (exit 4), not a config error: the chain may be right and
            // the file not there yet (e.g. not staged on a batch node).
            throw new InputDataException(ex.FileName ?? "?", "open", ex.Message, ex);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> InputFiles => _files;

    /// <summary>Lines skipped as malformed (on_error: skip) by the last <see cref="ReadBatches"/> enumeration.</summary>
    public long SkippedLines { get; private set; }

    /// <summary>
    /// Counts the non-blank lines of all files (one event each, unless some are skipped as malformed); after
    /// <see cref="Restrict"/>, those of the restricted range.
    /// </summary>
    public long? CountEvents()
    {
        long total = CountEntriesPerFile().Sum();
        return _restriction is { } r ? Math.Max(0, Math.Min(r.Stop, total) - Math.Min(r.Start, total)) : total;
    }

    /// <summary>The non-blank lines of each file: a shard's entries are non-blank lines, malformed or not.</summary>
    public IReadOnlyList<long> CountEntriesPerFile()
    {
        if (_fileLines is not null)
        {
            return _fileLines;
        }
        var counts = new long[_files.Count];
        for (int f = 0; f < _files.Count; f++)
        {
            using var lines = new LineSplitter(OpenRead(_files[f]));
            try
            {
                while (lines.TryReadLine(out ReadOnlySpan<byte> line))
                {
                    counts[f] += LineSplitter.IsBlank(line) ? 0 : 1;
                }
            }
            catch (InvalidDataException ex)
            {
                throw new InputDataException(_files[f], $"line {lines.LineNumber + 1}", ex.Message);
            }
        }
        _fileLines = counts;
        return counts;
    }

    /// <summary>
    /// Restricts reading to non-blank lines <paramref name="start"/> … <paramref name="stop"/> (exclusive) of all files.
    /// The schema still comes from the first good line of the first file, as in an unsharded run, so every shard
    /// infers the same column types; files wholly before the range are not parsed.
    /// </summary>
    public void Restrict(long start, long stop)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(stop, start);
        _restriction = (start, stop);
    }

    /// <inheritdoc />
    public IEnumerable<EventBatch> ReadBatches(int batchSize, CancellationToken cancellation)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return Enumerate(batchSize, cancellation);
    }

    private IEnumerable<EventBatch> Enumerate(int batchSize, CancellationToken cancellation)
    {
        SkippedLines = 0;
        var state = new ReadState(this, batchSize, _restriction);
        IReadOnlyList<long>? fileLines = _restriction is null ? null : CountEntriesPerFile();
        for (int f = 0; f < _files.Count && !state.PastRange; f++)
        {
            if (fileLines is not null && state.HasSchema && state.Lines + fileLines[f] <= _restriction!.Value.Start)
            {
                state.SkipLines(fileLines[f]); // a file before the shard: nothing to parse
                continue;
            }
            using var lines = new LineSplitter(OpenRead(_files[f]));
            while (state.ReadLines(lines, f, cancellation))
            {
                yield return state.TakeBatch();
            }
        }
        if (state.PendingEvents > 0)
        {
            yield return state.TakeBatch();
        }
        if (SkippedLines > 0)
        {
            _context?.Log.Warning($"json reader: skipped {SkippedLines} malformed line(s) of {state.Lines} in {_files.Count} file(s).");
        }
    }

    private static FileStream OpenRead(string file) =>
        new(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);

    /// <summary>The state of one enumeration: schema, parser, the batch being built and the entry counter.</summary>
    private sealed class ReadState(JsonLinesReader owner, int batchSize, (long Start, long Stop)? restriction)
    {
        private JsonSchema? _schema;
        private LineParser? _parser;
        private long _nextEntry = restriction?.Start ?? 0;
        private long _schemaLine = -1;

        /// <summary>The schema is known (from the first good line of the input).</summary>
        public bool HasSchema => _schema is not null;

        /// <summary>A restricted read has passed the end of its range.</summary>
        public bool PastRange { get; private set; }

        /// <summary>Counts lines of a skipped file.</summary>
        public void SkipLines(long count) => Lines += count;

        public int PendingEvents { get; private set; }

        /// <summary>Non-blank lines seen.</summary>
        public long Lines { get; private set; }

        /// <summary>Reads lines of file <paramref name="fileIndex"/> until a batch is full (true) or the file ends (false).</summary>
        public bool ReadLines(LineSplitter lines, int fileIndex, CancellationToken cancellation)
        {
            string file = owner._files[fileIndex];
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                ReadOnlySpan<byte> line;
                try
                {
                    if (!lines.TryReadLine(out line))
                    {
                        return false;
                    }
                }
                catch (InvalidDataException ex)
                {
                    throw new InputDataException(file, $"line {lines.LineNumber + 1}", ex.Message);
                }
                if (LineSplitter.IsBlank(line))
                {
                    continue;
                }
                long index = Lines++;
                if (restriction is { } range && (index < range.Start || index >= range.Stop))
                {
                    if (index >= range.Stop)
                    {
                        PastRange = true;
                        return false;
                    }
                    TryStartSchema(line, file, lines, fileIndex);
                    continue;
                }
                try
                {
                    if (_schema is null)
                    {
                        _schemaLine = index;
                        StartSchema(line, file, lines, fileIndex);
                    }
                    _parser!.Parse(line, file);
                    PendingEvents++;
                }
                catch (LineException ex)
                {
                    if (_schemaLine == index)
                    {
                        // The line that defined the schema is bad: let the next good line define it.
                        _schema = null;
                        _parser = null;
                    }
                    owner.OnBadLine(file, lines.LineNumber, ex);
                }
                if (PendingEvents == batchSize)
                {
                    return true;
                }
            }
        }

        /// <summary>Before a shard's range: infers the schema from the first good line, as an unsharded read does.</summary>
        private void TryStartSchema(ReadOnlySpan<byte> line, string file, LineSplitter lines, int fileIndex)
        {
            if (_schema is not null)
            {
                return;
            }
            try
            {
                StartSchema(line, file, lines, fileIndex);
            }
            catch (LineException)
            {
                // The shard holding this line reports it; the next good line defines the schema.
            }
        }

        private void StartSchema(ReadOnlySpan<byte> line, string file, LineSplitter lines, int fileIndex)
        {
            JsonSchema schema = SchemaInference.Infer(line, file, lines.LineNumber, owner._declaredTypes);
            foreach (string name in owner._declaredTypes.Keys)
            {
                JsonField? field = schema.Find(name);
                if (field is null || field.Kind == FieldKind.Count)
                {
                    string what = field is null ? "is not a key of the first line" : "is a collection count, not a column";
                    throw new InputDataException(file, $"line {lines.LineNumber}",
                        $"The reader's types: names '{name}', which {what}. Columns: " +
                        string.Join(", ", schema.Fields.Where(f => f.Kind != FieldKind.Count).Select(f => f.Name)) + ".");
                }
            }
            owner.ResolveShapes(schema, fileIndex, lines.NextLineOffset, lines.LineNumber);
            _schema = schema;
            _parser = new LineParser(schema);
        }

        /// <summary>Moves the buffered events into a new batch.</summary>
        public EventBatch TakeBatch()
        {
            var batch = new EventBatch(PendingEvents) { FirstEntry = _nextEntry };
            try
            {
                foreach (JsonCollection collection in _schema!.Collections)
                {
                    batch.AddCollection(collection.Name, CollectionsMarshal.AsSpan(collection.Counts));
                    collection.Counts.Clear();
                }
                foreach (JsonField field in _schema.Fields)
                {
                    if (field.Kind == FieldKind.Count)
                    {
                        continue;
                    }
                    string? collection = field.Kind == FieldKind.Object ? _schema.Collections[field.Collection].Name : null;
                    Column column = batch.AddColumn(field.ElementType, field.Name, collection, field.Shape!);
                    field.Buffer!.MoveTo(column);
                }
            }
            catch
            {
                batch.Dispose();
                throw;
            }
            _nextEntry += PendingEvents;
            PendingEvents = 0;
            return batch;
        }
    }

    private void OnBadLine(string file, long lineNumber, LineException ex)
    {
        if (_config.OnError == JsonErrorAction.Stop)
        {
            throw new InputDataException(file, $"line {lineNumber}, column {ex.Column}", ex.Message);
        }
        SkippedLines++;
        if (SkippedLines <= MaxSkipWarnings)
        {
            _context?.Log.Warning($"{file}: line {lineNumber}, column {ex.Column}: {ex.Message} The line is skipped (on_error: skip).");
        }
        if (SkippedLines == MaxSkipWarnings)
        {
            _context?.Log.Warning($"json reader: further malformed lines are skipped without a message each; the total is reported at the end.");
        }
    }

    /// <summary>
    /// Object columns that were empty on the first line have no known row shape: look ahead (streaming, from
    /// the line after the first) for their first non-empty value. A column empty everywhere is scalar.
    /// </summary>
    private void ResolveShapes(JsonSchema schema, int fileIndex, long offset, long lineNumber)
    {
        var unresolved = schema.Fields.Where(f => f.Shape is null).ToList();
        for (int f = fileIndex; f < _files.Count && unresolved.Count > 0; f++)
        {
            using var lines = new LineSplitter(OpenRead(_files[f]), f == fileIndex ? offset : 0, f == fileIndex ? lineNumber : 0);
            try
            {
                while (unresolved.Count > 0 && lines.TryReadLine(out ReadOnlySpan<byte> line))
                {
                    ShapeLookahead.Resolve(line, unresolved);
                }
            }
            catch (InvalidDataException)
            {
                // An over-long line: the main pass reports it.
            }
        }
        foreach (JsonField field in unresolved)
        {
            field.Shape = [];
        }
    }

    /// <summary>Nothing to release: files are closed when an enumeration ends.</summary>
    public void Dispose()
    {
    }
}
