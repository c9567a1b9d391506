using EnergyRegression.Data;
using EnergyRegression.Root;
using EnergyRegression.Running;

namespace EnergyRegression.Plugins.Root;

/// <summary>
/// Reads a TTree — or an RNTuple, the same way (<see cref="NtupleSource"/>, docs/formats/rntuple.md) — of one or more
/// ROOT files into event batches (docs/formats/root.md, "The root reader plugin"): scalar and fixed-array branches
/// become event columns, counter-sized arrays and <c>std::vector</c>s object columns of their collections. The files are one stream of entries; a batch
/// never spans two files. Each batch reads every branch over its own entry range only, so only the
/// baskets overlapping the batch are decompressed.
/// </summary>
[Plugin("root", Description = "Reads a TTree or an RNTuple of ROOT files (NanoAOD-style collections, scalars, fixed arrays, std::vector<number>, records).")]
public sealed class RootReader : FileEventReader<RootReader.OpenTree>
{
    private readonly RootReaderConfig _config;
    private readonly IRunContext? _context;
    private readonly TreeSchema _schema;

    /// <summary>Creates the reader: expands the files and resolves the branches against the first file's tree.</summary>
    public RootReader(RootReaderConfig config, IRunContext? context = null)
        : base(Validated(config).Files, config.Entries)
    {
        _config = config;
        _context = context;
        using OpenTree first = OpenFile(0, out _);
        _schema = TreeSchema.Resolve(first.Tree, InputFiles[0], config.Branches, config.Collections);
        if (_schema.Skipped.Count > 0)
        {
            _context?.Log.Warning($"root reader: skipped {_schema.Skipped.Count} {(first.Tree.Noun == "branch" ? "branch(es)" : "field(s)")} of {first.Tree.Description} that cannot become columns: " +
                string.Join(", ", _schema.Skipped) + ".");
        }
    }

    private static RootReaderConfig Validated(RootReaderConfig config)
    {
        config.Validate();
        return config;
    }

    /// <summary>The column names the batches will have, in order.</summary>
    public IReadOnlyList<string> ColumnNames => [.. _schema.Fields.Select(f => f.Branch)];

    /// <summary>The collection names the batches will have, in order.</summary>
    public IReadOnlyList<string> CollectionNames => [.. _schema.Collections.Select(c => c.Name)];

    /// <inheritdoc />
    protected override OpenTree Open(string path)
    {
        RootFile file = OpenRootFile(path);
        try
        {
            return new OpenTree(file, GetTree(file, path));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    protected override long EntriesOf(OpenTree file, string path) => file.Tree.Entries;

    /// <inheritdoc />
    protected override EventBatch ReadBatch(OpenTree file, string path, long start, int count, long firstEntry)
    {
        file.Source ??= new BatchSource(this, path, file.Tree);
        return file.Source.Read(start, start + count, firstEntry);
    }

    /// <summary>An input file opened with its tree, and the branches of that tree once the first batch needs them.</summary>
    public sealed class OpenTree : IDisposable
    {
        internal OpenTree(RootFile file, ISourceTree tree)
        {
            File = file;
            Tree = tree;
        }

        internal RootFile File { get; }

        internal ISourceTree Tree { get; }

        internal BatchSource? Source { get; set; }

        /// <summary>Closes the file.</summary>
        public void Dispose() => File.Dispose();
    }

    private static RootFile OpenRootFile(string path)
    {
        try
        {
            return RootFile.Open(path);
        }
        catch (RootFormatException ex)
        {
            throw Translate(ex, path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new InputDataException(path, "open", ex.Message, ex);
        }
    }

    /// <summary>The TTree or RNTuple that <c>tree:</c> names in this file.</summary>
    private ISourceTree GetTree(RootFile file, string path)
    {
        try
        {
            RootKey key = file.FindKey(_config.Tree);
            return RootFile.IsNtupleClass(key.ClassName) ? new NtupleSource(file.GetNtuple(_config.Tree)) : new TreeSource(file.GetTree(_config.Tree));
        }
        catch (RootFormatException ex)
        {
            throw Translate(ex, path);
        }
        catch (NotSupportedException ex)
        {
            throw new InputDataException(path, $"RNTuple {_config.Tree}", ex.Message, ex);
        }
        catch (KeyNotFoundException ex)
        {
            IEnumerable<string> trees = file.Root.Keys.Where(k => k.ClassName == "TTree" || RootFile.IsNtupleClass(k.ClassName)).Select(k => k.Name).Distinct();
            throw new InputDataException(path, $"tree {_config.Tree}",
                $"No tree or RNTuple '{_config.Tree}'{NameSuggestions.DidYouMean(_config.Tree, trees)} ({ex.Message}). Trees and RNTuples at the top: {string.Join(", ", trees)}.", ex);
        }
    }

    /// <summary>A library format error as an input error: the file, the library's structure and offset, what is wrong.</summary>
    private static InputDataException Translate(RootFormatException ex, string path, string? place = null)
    {
        string detail = ex.Message;
        string prefix = ex.File + ": ";
        if (detail.StartsWith(prefix, StringComparison.Ordinal))
        {
            detail = detail[prefix.Length..];
        }
        return new InputDataException(path, place ?? ex.Structure, detail, ex);
    }

    /// <summary>The branches of one file's tree, checked against the schema, and the batch builder.</summary>
    internal sealed class BatchSource
    {
        private readonly RootReader _owner;
        private readonly string _path;
        private readonly ISourceTree _tree;
        private readonly ISourceBranch[] _branches;
        private readonly ISourceBranch?[] _counters;

        public BatchSource(RootReader owner, string path, ISourceTree tree)
        {
            _owner = owner;
            _path = path;
            _tree = tree;
            List<RootField> fields = owner._schema.Fields;
            _branches = new ISourceBranch[fields.Count];
            for (int i = 0; i < fields.Count; i++)
            {
                _branches[i] = Find(fields[i].Branch, fields[i].TypeName);
            }
            List<RootCollection> collections = owner._schema.Collections;
            _counters = new ISourceBranch?[collections.Count];
            for (int c = 0; c < collections.Count; c++)
            {
                if (collections[c].CounterBranch is { } counter)
                {
                    _counters[c] = Find(counter, null);
                }
            }
        }

        private ISourceBranch Find(string name, string? typeName)
        {
            ISourceBranch branch;
            try
            {
                branch = _tree.GetBranch(name);
            }
            catch (KeyNotFoundException)
            {
                throw new InputDataException(_path, $"{_tree.Description}, {_tree.Noun} {name}",
                    $"The {_tree.Noun} is missing (it is in the first file, {_owner.InputFiles[0]}).");
            }
            if (typeName is not null && branch.TypeName != typeName)
            {
                throw new InputDataException(_path, $"{_tree.Description}, {_tree.Noun} {name}",
                    $"The {_tree.Noun} is {branch.TypeName} here but {typeName} in the first file, {_owner.InputFiles[0]}.");
            }
            if (!branch.IsReadable)
            {
                throw new InputDataException(_path, $"{_tree.Description}, {_tree.Noun} {name}", $"The {_tree.Noun} cannot be read: {branch.UnsupportedReason}.");
            }
            if (branch.Entries < _tree.Entries)
            {
                throw new InputDataException(_path, $"{_tree.Description}, {_tree.Noun} {name}",
                    $"The {_tree.Noun} has {branch.Entries} entries, the {_tree.Description} {_tree.Entries}.");
            }
            return branch;
        }

        /// <summary>Reads entries [<paramref name="start"/>, <paramref name="stop"/>) of this file into a batch.</summary>
        public EventBatch Read(long start, long stop, long firstEntry)
        {
            int n = checked((int)(stop - start));
            List<RootField> fields = _owner._schema.Fields;
            List<RootCollection> collections = _owner._schema.Collections;
            var arrays = new BranchValues[fields.Count];
            for (int i = 0; i < fields.Count; i++)
            {
                arrays[i] = ReadBranch(_branches[i], start, stop);
            }

            // Per-collection counts: from the first member branch, every other member must agree.
            var counts = new Dictionary<string, (int[] Counts, string Source)>(StringComparer.Ordinal);
            for (int c = 0; c < collections.Count; c++)
            {
                if (_counters[c] is { } counter)
                {
                    counts[collections[c].Name] = (CountsOfCounter(counter, ReadBranch(counter, start, stop), n, start), counter.Name);
                }
            }
            for (int i = 0; i < fields.Count; i++)
            {
                if (fields[i].Collection is not { } name)
                {
                    continue;
                }
                int[] own = CountsOf(fields[i], arrays[i], n, start);
                if (!counts.TryGetValue(name, out (int[] Counts, string Source) first))
                {
                    counts[name] = (own, fields[i].Branch);
                    continue;
                }
                for (int e = 0; e < n; e++)
                {
                    if (own[e] != first.Counts[e])
                    {
                        throw new InputDataException(_path, $"{_tree.Description}, entry {start + e}",
                            $"Collection '{name}': branch {fields[i].Branch} has {own[e]} values but {first.Source} has {first.Counts[e]}.");
                    }
                }
            }

            var batch = new EventBatch(n) { FirstEntry = firstEntry };
            try
            {
                foreach (RootCollection collection in collections)
                {
                    batch.AddCollection(collection.Name, counts[collection.Name].Counts);
                }
                for (int i = 0; i < fields.Count; i++)
                {
                    RootField field = fields[i];
                    Column column = batch.AddColumn(field.ElementType, field.Branch, field.Collection, field.Shape);
                    Fill(column, field, arrays[i], start, stop);
                }
                return batch;
            }
            catch
            {
                batch.Dispose();
                throw;
            }
        }

        private BranchValues ReadBranch(ISourceBranch branch, long start, long stop)
        {
            string place = $"{_tree.Description}, {_tree.Noun} {branch.Name}, entries {start}–{stop - 1}";
            try
            {
                return branch.Read(start, stop);
            }
            catch (RootFormatException ex)
            {
                throw Translate(ex, _path, place);
            }
            catch (NotSupportedException ex)
            {
                throw new InputDataException(_path, place, ex.Message, ex);
            }
        }

        private int[] CountsOf(RootField field, BranchValues array, int n, long start)
        {
            long[]? offsets = array.Offsets;
            if (offsets is null || offsets.Length != n + 1)
            {
                throw new InputDataException(_path, $"{_tree.Description}, {_tree.Noun} {field.Branch}, entries {start}–{start + n - 1}",
                    $"Expected {n + 1} entry offsets from the ROOT reader, got {offsets?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}.");
            }
            int[] counts = new int[n];
            for (int e = 0; e < n; e++)
            {
                long count = offsets[e + 1] - offsets[e];
                if (count is < 0 or > int.MaxValue)
                {
                    throw new InputDataException(_path, $"{_tree.Description}, {_tree.Noun} {field.Branch}, entry {start + e}", $"Invalid number of values {count}.");
                }
                counts[e] = (int)count;
            }
            return counts;
        }

        private int[] CountsOfCounter(ISourceBranch counter, BranchValues array, int n, long start)
        {
            if (array.Values.Length != n)
            {
                throw new InputDataException(_path, $"{_tree.Description}, {_tree.Noun} {counter.Name}, entries {start}–{start + n - 1}",
                    $"Expected {n} counter values, got {array.Values.Length}.");
            }
            int[] counts = new int[n];
            for (int e = 0; e < n; e++)
            {
                long count = Convert.ToInt64(array.Values.GetValue(e), System.Globalization.CultureInfo.InvariantCulture);
                if (count is < 0 or > int.MaxValue)
                {
                    throw new InputDataException(_path, $"{_tree.Description}, {_tree.Noun} {counter.Name}, entry {start + e}", $"Invalid counter value {count}.");
                }
                counts[e] = (int)count;
            }
            return counts;
        }

        private void Fill(Column column, RootField field, BranchValues array, long start, long stop)
        {
            long first = array.Offsets is { } offsets ? offsets[0] * column.RowSize : 0;
            long length = (long)column.Rows * column.RowSize;
            if (array.ElementType != field.ElementType || !array.Shape.AsSpan().SequenceEqual(field.Shape) || first < 0 || first + length > array.Values.Length)
            {
                throw new InputDataException(_path, $"{_tree.Description}, {_tree.Noun} {field.Branch}, entries {start}–{stop - 1}",
                    $"The ROOT reader returned {array.Values.Length} values of {array.ElementType.Name} [{string.Join(", ", array.Shape)}] " +
                    $"where {length} values of {ScalarConvert.NameOf(field.ElementType)} [{string.Join(", ", field.Shape)}] were expected.");
            }
            CopyValues(array.Values, checked((int)first), column);
        }
    }

    /// <summary>Copies a column's worth of values, from <paramref name="first"/> on, into its storage.</summary>
    private static void CopyValues(Array values, int first, Column column)
    {
        switch (column)
        {
            case Column<float> c: Copy(values, first, c.Values); break;
            case Column<double> c: Copy(values, first, c.Values); break;
            case Column<int> c: Copy(values, first, c.Values); break;
            case Column<long> c: Copy(values, first, c.Values); break;
            case Column<bool> c: Copy(values, first, c.Values); break;
            case Column<sbyte> c: Copy(values, first, c.Values); break;
            case Column<byte> c: Copy(values, first, c.Values); break;
            case Column<short> c: Copy(values, first, c.Values); break;
            case Column<ushort> c: Copy(values, first, c.Values); break;
            case Column<uint> c: Copy(values, first, c.Values); break;
            case Column<ulong> c: Copy(values, first, c.Values); break;
            default: throw new NotSupportedException($"Unsupported column element type {column.ElementType}.");
        }
    }

    private static void Copy<T>(Array values, int first, Span<T> destination) where T : unmanaged =>
        ((T[])values).AsSpan(first, destination.Length).CopyTo(destination);
}
