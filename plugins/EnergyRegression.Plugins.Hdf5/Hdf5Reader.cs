using System.Buffers;
using System.IO.Enumeration;
using System.Runtime.InteropServices;
using EnergyRegression.Data;
using EnergyRegression.Hdf5;
using EnergyRegression.Running;

namespace EnergyRegression.Plugins.Hdf5;

/// <summary>
/// Reads HDF5 files into event batches (docs/formats/hdf5.md, "The hdf5 reader"): the table layout
/// (an event group of one-row-per-entry datasets, collection groups of values indexed by offsets or
/// counts), or explicitly named datasets (images + labels, compound tables). Each batch reads its own
/// entry range of every dataset; decompressed chunks are kept across batches, so every chunk is
/// decompressed once and a file larger than memory streams. A batch never spans two files.
/// </summary>
[Plugin("hdf5", Description = "Reads HDF5 files: the table layout (event group + collection groups with offsets/counts, variable-length datasets), pandas DataFrames and PyTables tables, N×H×W tensors, images + labels, compound tables; links, every chunk index, deflate/shuffle/fletcher32/szip/nbit/scaleoffset/lzf/bzip2/blosc/lz4/zstd, any byte order.")]
public sealed class Hdf5Reader : IShardableReader
{
    private static readonly char[] _wildcards = ['*', '?'];

    private readonly Hdf5ReaderConfig _config;
    private readonly IRunContext? _context;
    private readonly List<string> _files;
    private readonly long?[] _fileEntries;
    private readonly Hdf5TableOptions _options;
    private readonly List<Hdf5Column> _columns;
    private readonly List<string> _collections;
    private EntryRange _range;

    /// <summary>Creates the reader: expands the files and resolves the columns against the first file.</summary>
    public Hdf5Reader(Hdf5ReaderConfig config, IRunContext? context = null)
    {
        config.Validate();
        _config = config;
        _context = context;
        _range = config.Range;
        try
        {
            _files = InputFilePatterns.Expand(config.Files);
        }
        catch (FileNotFoundException ex)
        {
            throw new InputDataException(ex.FileName ?? "?", "open", ex.Message, ex);
        }
        _options = new Hdf5TableOptions
        {
            EventGroup = config.EventGroup,
            Datasets = config.Datasets.Count > 0 ? config.Datasets : null,
            Collection = config.Collection,
        };
        _fileEntries = new long?[_files.Count];
        using Hdf5File file = Open(_files[0]);
        Hdf5Table table = Resolve(file, _files[0]);
        _fileEntries[0] = table.Entries;
        _columns = Select(table);
        // A dataset the reader cannot decode is never a column quietly left out: the run stops unless columns: leave it out.
        foreach ((string name, string dataset, string reason) in table.Unreadable)
        {
            bool wanted = config.Columns.Length == 0 || config.Columns.Any(c => FileSystemName.MatchesSimpleExpression(c, name, ignoreCase: false));
            if (wanted)
            {
                throw new InputDataException(_files[0], $"dataset {dataset}", $"It cannot be read: {reason}. Leave it out with the reader's columns: key to read the rest.");
            }
        }
        _collections = [.. table.Collections.Select(c => c.Name).Where(c => _columns.Any(col => col.Collection == c) || ExplicitlySelected("n" + c))];
        if (config.Columns.Length == 0 || config.Columns.Any(c => c.IndexOfAny(_wildcards) >= 0))
        {
            // Nothing left out silently: one line per dataset or member that is not read, with the reason.
            foreach (string skipped in Skipped(table))
            {
                _context?.Log.Warning($"hdf5 reader: {_files[0]}: not read: {skipped}.");
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> InputFiles => _files;

    /// <summary>The column names the batches will have, in order.</summary>
    public IReadOnlyList<string> ColumnNames => [.. _columns.Select(c => c.Name)];

    /// <summary>The collection names the batches will have, in order.</summary>
    public IReadOnlyList<string> CollectionNames => _collections;

    private bool ExplicitlySelected(string name) => _config.Columns.Contains(name, StringComparer.Ordinal);

    /// <summary>What the table leaves out, and its text columns (event batches hold numbers only; dump shows text).</summary>
    private static IEnumerable<string> Skipped(Hdf5Table table) =>
        table.Skipped.Concat(table.Columns.Where(c => c.IsText).Select(c => $"{c.Name} ({c.TypeName} text in {c.Dataset}: event batches hold numbers; energyreg dump shows it)"));

    /// <summary>The columns the config selects, in file order.</summary>
    private List<Hdf5Column> Select(Hdf5Table table)
    {
        List<Hdf5Column> readable = [.. table.Columns.Where(c => !c.IsText)];
        if (_config.Columns.Length == 0)
        {
            return readable;
        }
        var names = readable.Select(c => c.Name).ToList();
        var counts = table.Collections.Select(c => "n" + c.Name).ToList();
        var selected = new HashSet<string>(StringComparer.Ordinal);
        foreach (string entry in _config.Columns)
        {
            if (entry.IndexOfAny(_wildcards) < 0)
            {
                if (counts.Contains(entry, StringComparer.Ordinal))
                {
                    continue; // nElectron: the collection without columns
                }
                if (!names.Contains(entry, StringComparer.Ordinal))
                {
                    string skipped = Skipped(table).FirstOrDefault(s => s.StartsWith(entry + " (", StringComparison.Ordinal) || s.StartsWith("/" + entry + " ", StringComparison.Ordinal) || s.Contains("/" + entry + " (", StringComparison.Ordinal)) is { } why
                        ? $" It cannot be read: {why}." : "";
                    throw new ConfigValueException("columns",
                        $"{_files[0]} has no column '{entry}'{NameSuggestions.DidYouMean(entry, names.Concat(counts))}.{skipped} Columns: {string.Join(", ", names)}.");
                }
                selected.Add(entry);
                continue;
            }
            int matched = 0;
            foreach (string name in names.Where(n => FileSystemName.MatchesSimpleExpression(entry, n, ignoreCase: false)))
            {
                selected.Add(name);
                matched++;
            }
            if (matched == 0)
            {
                throw new ConfigValueException("columns", $"The pattern '{entry}' matches no column of {_files[0]}. Columns: {string.Join(", ", names)}.");
            }
        }
        return [.. readable.Where(c => selected.Contains(c.Name))];
    }

    /// <summary>The sum of the files' entries, within <c>entries</c>.</summary>
    public long? CountEvents() => _range.CountWithin(Enumerable.Range(0, _files.Count).Sum(EntriesOf));

    private long EntriesOf(int f)
    {
        if (_fileEntries[f] is null)
        {
            using Hdf5File file = Open(_files[f]);
            _fileEntries[f] = Resolve(file, _files[f]).Entries;
        }
        return _fileEntries[f]!.Value;
    }

    /// <summary>The entries each file gives within <c>entries</c> (each file's header is read once).</summary>
    public IReadOnlyList<long> CountEntriesPerFile() => _config.Range.CountPerFile(Enumerable.Range(0, _files.Count).Select(EntriesOf));

    /// <inheritdoc />
    public void Restrict(long start, long stop) => _range = _config.Range.Within(start, stop);

    /// <inheritdoc />
    public IEnumerable<EventBatch> ReadBatches(int batchSize, CancellationToken cancellation)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return Enumerate(batchSize, cancellation);
    }

    private IEnumerable<EventBatch> Enumerate(int batchSize, CancellationToken cancellation)
    {
        long fileFirst = 0;
        for (int f = 0; f < _files.Count && !_range.EndsBefore(fileFirst); f++)
        {
            cancellation.ThrowIfCancellationRequested();
            string path = _files[f];
            using Hdf5File file = Open(path);
            Hdf5Table table = Resolve(file, path);
            _fileEntries[f] = table.Entries;
            Hdf5Column[] columns = Match(table, path);
            Hdf5Collection[] collections = [.. _collections.Select(name => table.Collections.FirstOrDefault(c => c.Name == name)
                ?? throw new InputDataException(path, $"collection {name}", $"The collection is missing (it is in the first file, {_files[0]})."))];
            foreach ((long s, int n) in _range.BatchesOf(fileFirst, table.Entries, batchSize))
            {
                cancellation.ThrowIfCancellationRequested();
                yield return ReadBatch(table, path, columns, collections, s, n, fileFirst + s);
            }
            fileFirst += table.Entries;
        }
    }

    /// <summary>This file's columns, checked against the first file's (same names, types, shapes, collections).</summary>
    private Hdf5Column[] Match(Hdf5Table table, string path)
    {
        var result = new Hdf5Column[_columns.Count];
        for (int i = 0; i < _columns.Count; i++)
        {
            Hdf5Column expected = _columns[i];
            Hdf5Column? actual = table.Columns.FirstOrDefault(c => c.Name == expected.Name);
            if (actual is null)
            {
                throw new InputDataException(path, $"dataset {expected.Dataset}", $"Column '{expected.Name}' is missing (it is in the first file, {_files[0]}).");
            }
            if (actual.ElementType != expected.ElementType || !actual.Shape.AsSpan().SequenceEqual(expected.Shape) || actual.Collection != expected.Collection)
            {
                throw new InputDataException(path, $"dataset {actual.Dataset}",
                    $"Column '{expected.Name}' is {Describe(actual)} here but {Describe(expected)} in the first file, {_files[0]}.");
            }
            result[i] = actual;
        }
        return result;
    }

    private static string Describe(Hdf5Column c) =>
        $"{Hdf5Type.ShortName(c.ElementType)}[{string.Join("×", c.Shape)}]{(c.Collection is null ? "" : " of collection " + c.Collection)}";

    private static EventBatch ReadBatch(Hdf5Table table, string path, Hdf5Column[] columns, Hdf5Collection[] collections, long start, int n, long firstEntry)
    {
        var batch = new EventBatch(n) { FirstEntry = firstEntry };
        try
        {
            var objectRanges = new Dictionary<string, (long First, int Count)>(StringComparer.Ordinal);
            foreach (Hdf5Collection collection in collections)
            {
                long[] offsets = Translate(path, () => table.ReadOffsets(collection, start, n));
                int[] counts = new int[n];
                for (int e = 0; e < n; e++)
                {
                    counts[e] = checked((int)(offsets[e + 1] - offsets[e]));
                }
                batch.AddCollection(collection.Name, counts);
                objectRanges[collection.Name] = (offsets[0], checked((int)(offsets[n] - offsets[0])));
            }
            var created = new Dictionary<Hdf5Column, Column>();
            foreach (Hdf5Column c in columns)
            {
                created[c] = batch.AddColumn(c.ElementType, c.Name, c.Collection, c.Shape);
            }
            foreach (IGrouping<string?, Hdf5Column> level in columns.GroupBy(c => c.Collection))
            {
                (long first, int rows) = level.Key is null ? (start, n) : objectRanges[level.Key];
                Translate(path, () =>
                {
                    table.ReadColumns([.. level], first, rows, c => BytesOf(created[c]));
                    return 0;
                });
            }
            return batch;
        }
        catch
        {
            batch.Dispose();
            throw;
        }
    }

    /// <summary>A column's storage as bytes (its values are unmanaged, row-major).</summary>
    private static Memory<byte> BytesOf(Column column) => column switch
    {
        Column<float> c => new ColumnBytes<float>(c).Memory,
        Column<double> c => new ColumnBytes<double>(c).Memory,
        Column<int> c => new ColumnBytes<int>(c).Memory,
        Column<long> c => new ColumnBytes<long>(c).Memory,
        Column<bool> c => new ColumnBytes<bool>(c).Memory,
        Column<sbyte> c => new ColumnBytes<sbyte>(c).Memory,
        Column<byte> c => new ColumnBytes<byte>(c).Memory,
        Column<short> c => new ColumnBytes<short>(c).Memory,
        Column<ushort> c => new ColumnBytes<ushort>(c).Memory,
        Column<uint> c => new ColumnBytes<uint>(c).Memory,
        Column<ulong> c => new ColumnBytes<ulong>(c).Memory,
        _ => throw new NotSupportedException($"Unsupported column element type {column.ElementType}."),
    };

    /// <summary>Exposes a column's values span as <see cref="Memory{T}"/> of bytes for the duration of a read.</summary>
    private sealed class ColumnBytes<T>(Column<T> column) : MemoryManager<byte> where T : unmanaged
    {
        public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(column.Values);

        public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException();

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }

    private Hdf5Table Resolve(Hdf5File file, string path) => Translate(path, () => Hdf5Table.Resolve(file, _options));

    private static Hdf5File Open(string path)
    {
        try
        {
            return Hdf5File.Open(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException and not EndOfStreamException)
        {
            throw new InputDataException(path, "open", ex.Message, ex);
        }
        catch (Hdf5FormatException ex)
        {
            throw new InputDataException(path, ex.ObjectPath, ex.Detail, ex);
        }
    }

    /// <summary>Runs a library call, turning its format errors into input errors naming the file and dataset.</summary>
    private static T Translate<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Hdf5FormatException ex)
        {
            throw new InputDataException(path, ex.ObjectPath, ex.Detail, ex);
        }
    }

    /// <summary>Nothing to release: files are closed when an enumeration ends.</summary>
    public void Dispose()
    {
    }
}
