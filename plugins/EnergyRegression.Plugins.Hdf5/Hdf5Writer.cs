using System.Globalization;
using System.Runtime.InteropServices;
using EnergyRegression.Data;
using EnergyRegression.Running;
using PureHDF;
using PureHDF.Filters;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace EnergyRegression.Plugins.Hdf5;

/// <summary>
/// Writes event batches as an HDF5 file in the table layout (docs/formats/hdf5.md, "The hdf5 writer"):
/// event columns as datasets of the event group, each collection X as group <c>/X</c> with an offsets
/// (or counts) dataset and one dataset per object column, chunked along the first dimension with
/// deflate (+ shuffle); the provenance as attributes of the root group.
/// </summary>
/// <remarks>
/// HDF5 datasets written by PureHDF have a fixed size, known when the file is created, and the number
/// of events is known only at the end. So each dataset's values are appended to a spool file
/// (<c>path.partial.spool/</c>, raw little-endian) while batches arrive; <see cref="Commit"/> creates
/// <c>path.partial</c> with the final sizes, copies each spool in whole chunks (each chunk compressed and
/// written as soon as it is complete), and renames the file. Memory stays at a few chunks; the disk
/// needs the uncompressed size of the output for the spool meanwhile.
/// </remarks>
[Plugin("hdf5", Description = "Writes an HDF5 file in the table layout (event group, collection groups with offsets or counts), chunked, deflate + shuffle, provenance attributes; or a friend file of new columns.")]
public sealed class Hdf5Writer : IEventWriter
{
    /// <summary>Target uncompressed bytes of one chunk when <c>chunk_rows</c> is 0.</summary>
    internal const int AutoChunkBytes = 1 << 20;

    /// <summary>Bytes copied from a spool per write call (whole chunks, at least one).</summary>
    private const int CopyBytes = 8 << 20;

    private readonly Hdf5WriterConfig _config;
    private readonly IRunContext? _context;
    private Provenance? _provenance;
    private string? _spoolDirectory;
    private List<Spool>? _spools;
    private long _entries;
    private long _nextEntry;
    private bool _committed;

    /// <summary>Creates the writer; nothing is written before <see cref="Open"/>.</summary>
    public Hdf5Writer(Hdf5WriterConfig config, IRunContext? context = null)
    {
        config.Validate();
        _config = config;
        _context = context;
    }

    /// <inheritdoc />
    public string OutputPath => _config.Path;

    private string PartialPath => OutputPath + ".partial";

    private string EventGroup => _config.EventGroup.Trim('/');

    /// <summary>Creates the output directory and the spool directory.</summary>
    public void Open(Provenance provenance)
    {
        if (_provenance is not null)
        {
            throw new InvalidOperationException("The hdf5 writer is already open.");
        }
        _provenance = provenance;
        string? directory = Path.GetDirectoryName(Path.GetFullPath(OutputPath));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        _spoolDirectory = PartialPath + ".spool";
        if (Directory.Exists(_spoolDirectory))
        {
            Directory.Delete(_spoolDirectory, recursive: true);
        }
        Directory.CreateDirectory(_spoolDirectory);
        _context?.Log.Debug($"hdf5 writer: spooling to {_spoolDirectory}, writing {PartialPath} at the end.");
    }

    /// <inheritdoc />
    public void Write(EventBatch batch)
    {
        if (_spoolDirectory is null)
        {
            throw new InvalidOperationException("Call Open before Write.");
        }
        _spools ??= Layout(batch);
        if (_config.Friend)
        {
            CheckContiguous(batch);
        }
        foreach (Spool spool in _spools)
        {
            spool.Append(batch);
        }
        _entries += batch.EventCount;
    }

    /// <summary>Writes the HDF5 file from the spools and renames it to <see cref="OutputPath"/>.</summary>
    public void Commit()
    {
        if (_provenance is null || _spoolDirectory is null)
        {
            throw new InvalidOperationException("Call Open before Commit.");
        }
        if (_spools is null)
        {
            _context?.Log.Warning($"hdf5 writer: no events reached the writer; {OutputPath} holds an empty event group.");
        }
        List<Spool> spools = _spools ?? [];
        foreach (Spool spool in spools)
        {
            spool.FinishAppending();
        }

        var file = new H5File();
        foreach ((string name, object value) in ProvenanceAttributes(_provenance))
        {
            file.Attributes[name] = value;
        }
        var groups = new Dictionary<string, H5Group>(StringComparer.Ordinal) { [EventGroup] = [] };
        file[EventGroup] = groups[EventGroup];
        foreach (Spool spool in spools)
        {
            if (!groups.TryGetValue(spool.Group, out H5Group? group))
            {
                groups[spool.Group] = group = [];
                file[spool.Group] = group;
            }
            group[spool.Name] = spool.CreateDataset(_config);
        }
        if (File.Exists(PartialPath))
        {
            File.Delete(PartialPath);
        }
        using (H5NativeWriter writer = file.BeginWrite(PartialPath))
        {
            foreach (Spool spool in spools)
            {
                spool.CopyTo(writer);
            }
        }
        File.Move(PartialPath, OutputPath, overwrite: true);
        _committed = true;
        DeleteSpools();
        _context?.Log.Debug($"hdf5 writer: wrote {_entries} entries to {OutputPath}.");
    }

    /// <summary>Removes the spools; without <see cref="Commit"/> also the partial file.</summary>
    public void Dispose()
    {
        DeleteSpools();
        if (!_committed && File.Exists(PartialPath))
        {
            File.Delete(PartialPath);
        }
    }

    private void DeleteSpools()
    {
        foreach (Spool spool in _spools ?? [])
        {
            spool.Dispose();
        }
        _spools = null;
        if (_spoolDirectory is not null && Directory.Exists(_spoolDirectory))
        {
            Directory.Delete(_spoolDirectory, recursive: true);
        }
    }

    /// <summary>The provenance as root-group attributes (the names of <c>*.provenance.json</c>).</summary>
    internal static List<(string Name, object Value)> ProvenanceAttributes(Provenance p)
    {
        var list = new List<(string, object)>
        {
            ("tool_version", p.ToolVersion),
            ("config_path", p.ConfigPath),
            ("config_sha256", p.ConfigSha256),
            ("config_text", p.ConfigText),
            ("seed", (long)p.Seed),
            ("input_files", p.InputFiles.ToArray()),
            ("started_utc", p.StartedUtc.ToString("o", CultureInfo.InvariantCulture)),
        };
        if (p.Shard is not null)
        {
            list.Add(("shard", p.Shard));
        }
        return list;
    }

    /// <summary>In friend mode, entry i of the output must be entry i of the input.</summary>
    private void CheckContiguous(EventBatch batch)
    {
        if (_provenance?.Shard is not null && _nextEntry == 0 && batch.EventCount > 0)
        {
            // A grid shard starts at its first entry; `energyreg merge` checks that it wrote every entry of its range.
            _nextEntry = batch.EntryOf(0);
        }
        for (int e = 0; e < batch.EventCount; e++)
        {
            long entry = batch.EntryOf(e);
            if (entry != _nextEntry)
            {
                throw new ConfigValueException("friend",
                    $"Input entry {_nextEntry} is missing (the next event is entry {entry}). A friend file needs every input entry in order: " +
                    "remove event selections from the chain, or read from entry 0, or write a normal file (friend: false).");
            }
            _nextEntry++;
        }
    }

    /// <summary>The datasets, from the first batch: its columns (or the configured ones) in batch order, each collection's index first.</summary>
    private List<Spool> Layout(EventBatch batch)
    {
        var counts = batch.CollectionNames.Select(c => "n" + c).ToList();
        if (_config.Columns is { } wanted)
        {
            foreach (string name in wanted.Where(n => !batch.HasColumn(n) && !counts.Contains(n, StringComparer.Ordinal)))
            {
                throw new ConfigValueException("columns",
                    $"Column '{name}' is not in the batch{NameSuggestions.DidYouMean(name, batch.ColumnNames.Concat(counts))}. Columns: {string.Join(", ", batch.ColumnNames)}.");
            }
        }
        bool Wanted(string name) => _config.Columns is null || _config.Columns.Contains(name, StringComparer.Ordinal);
        var spools = new List<Spool>();
        var indexed = new HashSet<string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        void AddIndex(string collection)
        {
            if (!indexed.Add(collection))
            {
                return;
            }
            if (collection == EventGroup)
            {
                throw new ConfigValueException("event_group", $"Collection '{collection}' has the name of the event group; choose another event_group.");
            }
            spools.Add(Spool.ForIndex(NewSpoolPath(spools.Count), collection, _config.UseCounts));
        }
        foreach (string collection in batch.CollectionNames.Where(c => Wanted("n" + c) && _config.Columns is not null))
        {
            AddIndex(collection);
        }
        foreach (Column column in batch.Columns.Where(c => Wanted(c.Name)))
        {
            string group = column.Collection ?? EventGroup;
            string name = column.Name;
            if (column.Collection is { } collection)
            {
                AddIndex(collection);
                string prefix = collection + "_";
                if (name.StartsWith(prefix, StringComparison.Ordinal) && name.Length > prefix.Length)
                {
                    name = name[prefix.Length..];
                }
                else
                {
                    _context?.Log.Warning($"hdf5 writer: object column '{column.Name}' of collection {collection} is not named {prefix}...: it is written as /{collection}/{name} and reads back as {prefix}{name}.");
                }
                if (name is EnergyRegression.Hdf5.Hdf5Names.Offsets or EnergyRegression.Hdf5.Hdf5Names.Counts)
                {
                    throw new ConfigValueException("columns", $"Column '{column.Name}' would be written as /{collection}/{name}, the name of the collection's index; rename it (define) or leave it out (columns).");
                }
            }
            if (!names.Add(group + "/" + name))
            {
                throw new ConfigValueException("columns", $"Two columns would be written as /{group}/{name}.");
            }
            spools.Add(Spool.ForColumn(NewSpoolPath(spools.Count), column, group, name));
        }
        return spools;
    }

    private string NewSpoolPath(int index) => Path.Combine(_spoolDirectory!, index.ToString(CultureInfo.InvariantCulture) + ".bin");

    /// <summary>One dataset being collected: raw little-endian rows appended to a file, copied into the HDF5 file at commit.</summary>
    private sealed class Spool : IDisposable
    {
        private readonly FileStream _stream;
        private readonly string? _column;
        private readonly string? _collection;
        private readonly bool _counts;
        private long _nextOffset;
        private H5Dataset? _dataset;

        private Spool(string path, string group, string name, Type elementType, int[] rowShape, string? column, string? collection, bool counts)
        {
            _stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
            Group = group;
            Name = name;
            ElementType = elementType;
            RowShape = rowShape;
            _column = column;
            _collection = collection;
            _counts = counts;
            RowBytes = Marshal.SizeOf(elementType == typeof(bool) ? typeof(byte) : elementType);
            foreach (int d in rowShape)
            {
                RowBytes = checked(RowBytes * d);
            }
            if (collection is not null && !counts)
            {
                WriteValue(0L); // offsets start at 0: one more than the entries
            }
        }

        public string Group { get; }

        public string Name { get; }

        public Type ElementType { get; }

        public int[] RowShape { get; }

        public int RowBytes { get; }

        public long Rows { get; private set; }

        public static Spool ForColumn(string path, Column column, string group, string name) =>
            new(path, group, name, column.ElementType, [.. column.Shape], column.Name, null, false);

        public static Spool ForIndex(string path, string collection, bool counts) =>
            new(path, collection, counts ? EnergyRegression.Hdf5.Hdf5Names.Counts : EnergyRegression.Hdf5.Hdf5Names.Offsets, counts ? typeof(int) : typeof(long), [], null, collection, counts);

        public void Append(EventBatch batch)
        {
            if (_collection is { } name)
            {
                ObjectCollection collection = batch.HasCollection(name) ? batch.GetCollection(name)
                    : throw new InvalidOperationException($"hdf5 writer: collection '{name}' is missing from a batch (it was in the first one).");
                for (int e = 0; e < batch.EventCount; e++)
                {
                    int count = collection.CountOf(e);
                    if (_counts)
                    {
                        WriteValue(count);
                    }
                    else
                    {
                        _nextOffset += count;
                        WriteValue(_nextOffset);
                    }
                }
                return;
            }
            Column column = batch.HasColumn(_column!) ? batch.GetColumn(_column!)
                : throw new InvalidOperationException($"hdf5 writer: column '{_column}' is missing from a batch (it was in the first one).");
            if (column.ElementType != ElementType || !column.Shape.SequenceEqual(RowShape))
            {
                throw new InvalidOperationException($"hdf5 writer: column '{column.Name}' changed type or shape between batches.");
            }
            ReadOnlySpan<byte> bytes = column switch
            {
                Column<float> c => MemoryMarshal.AsBytes(c.Values),
                Column<double> c => MemoryMarshal.AsBytes(c.Values),
                Column<int> c => MemoryMarshal.AsBytes(c.Values),
                Column<long> c => MemoryMarshal.AsBytes(c.Values),
                Column<bool> c => MemoryMarshal.AsBytes(c.Values),
                Column<sbyte> c => MemoryMarshal.AsBytes(c.Values),
                Column<byte> c => MemoryMarshal.AsBytes(c.Values),
                Column<short> c => MemoryMarshal.AsBytes(c.Values),
                Column<ushort> c => MemoryMarshal.AsBytes(c.Values),
                Column<uint> c => MemoryMarshal.AsBytes(c.Values),
                Column<ulong> c => MemoryMarshal.AsBytes(c.Values),
                _ => throw new NotSupportedException($"hdf5 writer: column '{column.Name}' of type {column.ElementType.Name} cannot be written."),
            };
            _stream.Write(bytes);
            Rows += column.Rows;
        }

        private void WriteValue<T>(T value) where T : unmanaged
        {
            _stream.Write(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)));
            Rows++;
        }

        public void FinishAppending()
        {
            _stream.Flush();
            _stream.Position = 0;
        }

        /// <summary>Rows per chunk: configured, else about 1 MiB; never more than the rows.</summary>
        private long ChunkRows(Hdf5WriterConfig config)
        {
            long rows = config.ChunkRows > 0 ? config.ChunkRows : Math.Max(1, AutoChunkBytes / Math.Max(1, RowBytes));
            return Math.Max(1, Math.Min(rows, Math.Min(Rows, uint.MaxValue / Math.Max(1, RowBytes))));
        }

        public H5Dataset CreateDataset(Hdf5WriterConfig config)
        {
            ulong[] dims = [(ulong)Rows, .. RowShape.Select(d => (ulong)d)];
            bool chunked = Rows > 0 && (config.Deflate > 0 || config.ChunkRows > 0);
            uint[]? chunks = chunked ? [(uint)ChunkRows(config), .. RowShape.Select(d => (uint)d)] : null;
            var filters = new List<H5Filter>();
            if (chunked && config.Deflate > 0)
            {
                if (config.Shuffle)
                {
                    filters.Add(new H5Filter(ShuffleFilter.Id));
                }
                filters.Add(new H5Filter(DeflateFilter.Id, new Dictionary<string, object> { [DeflateFilter.COMPRESSION_LEVEL] = config.Deflate }));
            }
            // An empty filter list (not null) keeps the file-wide default (none) from applying.
            var creation = new H5DatasetCreation(ChunkCache: chunked ? new StreamingChunkCache() : null, Filters: filters);
            _dataset = ElementType switch
            {
                _ when ElementType == typeof(float) => new H5Dataset<float[]>(dims, chunks, creation),
                _ when ElementType == typeof(double) => new H5Dataset<double[]>(dims, chunks, creation),
                _ when ElementType == typeof(int) => new H5Dataset<int[]>(dims, chunks, creation),
                _ when ElementType == typeof(long) => new H5Dataset<long[]>(dims, chunks, creation),
                _ when ElementType == typeof(bool) => new H5Dataset<Hdf5Bool[]>(dims, chunks, creation),
                _ when ElementType == typeof(sbyte) => new H5Dataset<sbyte[]>(dims, chunks, creation),
                _ when ElementType == typeof(byte) => new H5Dataset<byte[]>(dims, chunks, creation),
                _ when ElementType == typeof(short) => new H5Dataset<short[]>(dims, chunks, creation),
                _ when ElementType == typeof(ushort) => new H5Dataset<ushort[]>(dims, chunks, creation),
                _ when ElementType == typeof(uint) => new H5Dataset<uint[]>(dims, chunks, creation),
                _ when ElementType == typeof(ulong) => new H5Dataset<ulong[]>(dims, chunks, creation),
                _ => throw new NotSupportedException($"hdf5 writer: element type {ElementType.Name} cannot be written."),
            };
            _chunkRows = chunked ? (long)chunks![0] : 0;
            return _dataset;
        }

        private long _chunkRows;

        public void CopyTo(H5NativeWriter writer)
        {
            switch (_dataset)
            {
                case H5Dataset<float[]> d: Copy(writer, d); break;
                case H5Dataset<double[]> d: Copy(writer, d); break;
                case H5Dataset<int[]> d: Copy(writer, d); break;
                case H5Dataset<long[]> d: Copy(writer, d); break;
                case H5Dataset<Hdf5Bool[]> d: Copy(writer, d); break;
                case H5Dataset<sbyte[]> d: Copy(writer, d); break;
                case H5Dataset<byte[]> d: Copy(writer, d); break;
                case H5Dataset<short[]> d: Copy(writer, d); break;
                case H5Dataset<ushort[]> d: Copy(writer, d); break;
                case H5Dataset<uint[]> d: Copy(writer, d); break;
                case H5Dataset<ulong[]> d: Copy(writer, d); break;
                default: throw new InvalidOperationException("CreateDataset first.");
            }
        }

        /// <summary>Copies the spool in blocks of whole chunks (or 8 MiB for unchunked datasets).</summary>
        private void Copy<T>(H5NativeWriter writer, H5Dataset<T[]> dataset) where T : unmanaged
        {
            if (Rows == 0 || RowBytes == 0)
            {
                return;
            }
            long blockRows = Math.Max(1, CopyBytes / RowBytes);
            if (_chunkRows > 0)
            {
                blockRows = Math.Max(1, blockRows / _chunkRows) * _chunkRows;
            }
            blockRows = Math.Min(blockRows, Rows);
            long rowElements = RowBytes / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
            var buffer = new T[checked(blockRows * rowElements)];
            int rank = 1 + RowShape.Length;
            for (long first = 0; first < Rows; first += blockRows)
            {
                long rows = Math.Min(blockRows, Rows - first);
                int elements = checked((int)(rows * rowElements));
                _stream.ReadExactly(MemoryMarshal.AsBytes(buffer.AsSpan(0, elements)));
                ulong[] starts = new ulong[rank];
                starts[0] = (ulong)first;
                ulong[] blocks = [(ulong)rows, .. RowShape.Select(d => (ulong)d)];
                Selection? memory = elements == buffer.Length ? null : new HyperslabSelection(0, (ulong)elements);
                writer.Write(dataset, buffer, memorySelection: memory, fileSelection: new HyperslabSelection(rank, starts, blocks));
            }
        }

        public void Dispose() => _stream.Dispose();
    }
}

/// <summary>Booleans as an enum {FALSE = 0, TRUE = 1} as h5py stores them (over uint8: PureHDF 2.2.0 cannot write enums over int8), so numpy reads them back as bool.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1008:Enums should have zero value", Justification = "h5py's member names FALSE/TRUE.")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1707", Justification = "h5py's member names FALSE/TRUE.")]
internal enum Hdf5Bool : byte
{
    FALSE = 0,
    TRUE = 1,
}
