using EnergyRegression.Data;
using EnergyRegression.Root;
using EnergyRegression.Running;

namespace EnergyRegression.Plugins.Root;

/// <summary>
/// Writes event batches as a TTree (docs/formats/root.md, "The root writer plugin"): event scalars and
/// tensors as branches of the same type and shape, each collection X as a counter branch <c>nX</c> and
/// counter-sized arrays <c>X_y[nX]</c> — the NanoAOD layout the root reader reads back. Writes
/// <c>path.partial</c> and renames it in <see cref="Commit"/>.
/// </summary>
[Plugin("root", Description = "Writes a TTree to a ROOT file (scalars, fixed-size tensors, collections as NanoAOD-style counter-sized arrays), or a friend tree of new columns.")]
public sealed class RootWriter : IEventWriter
{
    private readonly RootWriterConfig _config;
    private readonly IRunContext? _context;
    private RootFileWriter? _file;
    private RootTreeWriter? _tree;
    private List<Column>? _layout;
    private long _nextEntry;
    private bool _shard;
    private IReadOnlyList<string> _inputFiles = [];
    private readonly List<RootFile> _copyFrom = [];

    /// <summary>Creates the writer; nothing is written before <see cref="Open"/>.</summary>
    public RootWriter(RootWriterConfig config, IRunContext? context = null)
    {
        config.Validate();
        _config = config;
        _context = context;
    }

    /// <inheritdoc />
    public string OutputPath => _config.Path;

    /// <summary>Creates the output directory and the partial file.</summary>
    public void Open(Provenance provenance)
    {
        if (_file is not null)
        {
            throw new InvalidOperationException("The root writer is already open.");
        }
        string? directory = Path.GetDirectoryName(Path.GetFullPath(OutputPath));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        _inputFiles = provenance.InputFiles;
        _shard = provenance.Shard is not null;
        _file = RootFileWriter.Create(OutputPath, new RootWriteOptions(_config.Algorithm, _config.Level, _config.BasketSize));
        _tree = _file.CreateTree(_config.Tree, $"written by energyreg (config {provenance.ConfigSha256[..Math.Min(12, provenance.ConfigSha256.Length)]})");
        _context?.Log.Debug($"root writer: writing tree {_config.Tree} to {OutputPath}.partial.");
    }

    /// <inheritdoc />
    public void Write(EventBatch batch)
    {
        RootTreeWriter tree = _tree ?? throw new InvalidOperationException("Call Open before Write.");
        _layout ??= Layout(batch, tree);
        if (_config.Friend || _config.CopyInput.Length > 0)
        {
            CheckContiguous(batch);
        }
        var columns = new Dictionary<string, Array>(StringComparer.Ordinal);
        foreach (Column template in _layout)
        {
            Column column = batch.HasColumn(template.Name) ? batch.GetColumn(template.Name)
                : throw new InvalidOperationException($"root writer: column '{template.Name}' is missing from a batch (it was in the first one).");
            if (column.ElementType != template.ElementType || column.Collection != template.Collection || !column.Shape.SequenceEqual(template.Shape))
            {
                throw new InvalidOperationException($"root writer: column '{column.Name}' changed type, collection or shape between batches.");
            }
            columns[column.Name] = ToArray(column);
            if (column.Collection is { } collection && !columns.ContainsKey("n" + collection))
            {
                ReadOnlySpan<int> offsets = batch.GetCollection(collection).Offsets;
                int[] counts = new int[batch.EventCount];
                for (int e = 0; e < counts.Length; e++)
                {
                    counts[e] = offsets[e + 1] - offsets[e];
                }
                columns["n" + collection] = counts;
            }
        }
        tree.Append(batch.EventCount, columns);
    }

    /// <summary>Writes the tree and the file's metadata, and renames the file to <see cref="OutputPath"/>.</summary>
    public void Commit()
    {
        RootFileWriter file = _file ?? throw new InvalidOperationException("Call Open before Commit.");
        if (_layout is null)
        {
            _context?.Log.Warning($"root writer: no events reached the writer; {OutputPath} holds an empty tree without branches.");
        }
        file.Commit();
    }

    /// <summary>Closes the file; without <see cref="Commit"/> the partial file is deleted.</summary>
    public void Dispose()
    {
        _file?.Dispose();
        foreach (RootFile f in _copyFrom)
        {
            f.Dispose();
        }
        _copyFrom.Clear();
    }

    /// <summary>
    /// Declares the <c>copy_input</c> branches: the same branch of every input file, copied at commit without
    /// decompressing (RootTreeWriter.CopyBranch). Returns their names, which the batch's columns then skip.
    /// </summary>
    private HashSet<string> CopyInputBranches(RootTreeWriter tree)
    {
        var copied = new HashSet<string>(StringComparer.Ordinal);
        if (_config.CopyInput.Length == 0)
        {
            return copied;
        }
        string treeName = _config.InputTree ?? _config.Tree;
        var trees = new List<RootTree>();
        foreach (string path in _inputFiles)
        {
            if (!path.EndsWith(".root", StringComparison.OrdinalIgnoreCase))
            {
                throw new ConfigValueException("copy_input", $"copy_input needs ROOT input files; {path} is not one.");
            }
            var f = RootFile.Open(path);
            _copyFrom.Add(f);
            try
            {
                trees.Add(f.GetTree(treeName));
            }
            catch (KeyNotFoundException ex)
            {
                throw new ConfigValueException("input_tree", $"{path} has no tree '{treeName}' ({ex.Message}).", ex);
            }
        }
        if (trees.Count == 0)
        {
            throw new ConfigValueException("copy_input", "The chain has no input files to copy from.");
        }
        foreach (string pattern in _config.CopyInput)
        {
            var matches = trees[0].Branches.Where(b => System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(pattern, b.Name, ignoreCase: false) && (b.Layout != RootBranchLayout.Unsupported)).ToList();
            if (matches.Count == 0)
            {
                throw new ConfigValueException("copy_input",
                    $"No branch of tree {treeName} in {_inputFiles[0]} matches '{pattern}'{NameSuggestions.DidYouMean(pattern, trees[0].Branches.Select(b => b.Name))}.");
            }
            foreach (RootBranch branch in matches.Where(b => !copied.Contains(b.Name)))
            {
                try
                {
                    tree.CopyBranch([.. trees.Select(t => t.GetBranch(branch.Name))]);
                }
                catch (ArgumentException ex) when (IsPattern(pattern))
                {
                    _context?.Log.Warning($"root writer: branch {branch.Name} is not copied: {ex.Message}.");
                    continue;
                }
                catch (ArgumentException ex)
                {
                    throw new ConfigValueException("copy_input", ex.Message, ex);
                }
                catch (KeyNotFoundException ex)
                {
                    throw new ConfigValueException("copy_input", $"Branch {branch.Name} is missing from a later input file ({ex.Message}).", ex);
                }
                copied.Add(branch.Name);
                if (branch.Counter is { } counter)
                {
                    copied.Add(counter.Name);
                }
            }
        }
        return copied;
    }

    private static bool IsPattern(string s) => s.Contains('*', StringComparison.Ordinal) || s.Contains('?', StringComparison.Ordinal);

    /// <summary>In friend mode, entry i of the output must be entry i of the input.</summary>
    private void CheckContiguous(EventBatch batch)
    {
        if (_shard && _nextEntry == 0 && batch.EventCount > 0)
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
                    $"Input entry {_nextEntry} is missing (the next event is entry {entry}). A friend tree needs every input entry in order: " +
                    "remove event selections from the chain, or read from entry 0, or write a normal tree (friend: false).");
            }
            _nextEntry++;
        }
    }

    /// <summary>The branches, from the first batch: its columns (or the configured ones) in batch order.</summary>
    private List<Column> Layout(EventBatch batch, RootTreeWriter tree)
    {
        if (_config.Columns is { } wanted)
        {
            foreach (string name in wanted.Where(n => !batch.HasColumn(n)))
            {
                throw new ConfigValueException("columns",
                    $"Column '{name}' is not in the batch{NameSuggestions.DidYouMean(name, batch.ColumnNames)}. Columns: {string.Join(", ", batch.ColumnNames)}.");
            }
        }
        HashSet<string> copied = CopyInputBranches(tree);
        var selected = batch.Columns.Where(c => (_config.Columns is null || _config.Columns.Contains(c.Name)) && !copied.Contains(c.Name)).ToList();
        var counters = new HashSet<string>(selected.Select(c => c.Collection).OfType<string>().Select(c => "n" + c), StringComparer.Ordinal);
        var layout = new List<Column>();
        foreach (Column column in selected)
        {
            if (counters.Contains(column.Name) && !copied.Contains(column.Name))
            {
                _context?.Log.Warning($"root writer: column '{column.Name}' is not written: the branch of that name is the counter of collection '{column.Name[1..]}'.");
                continue;
            }
            try
            {
                if (column.Collection is { } collection)
                {
                    tree.AddJaggedBranch(column.Name, column.ElementType, "n" + collection, [.. column.Shape]);
                }
                else
                {
                    tree.AddBranch(column.Name, column.ElementType, [.. column.Shape]);
                }
            }
            catch (ArgumentException ex)
            {
                throw new ConfigValueException("columns", $"Column '{column.Name}' cannot be written: {ex.Message}", ex);
            }
            layout.Add(column);
        }
        return layout;
    }

    private static Array ToArray(Column column) => column switch
    {
        Column<float> c => c.Values.ToArray(),
        Column<double> c => c.Values.ToArray(),
        Column<int> c => c.Values.ToArray(),
        Column<long> c => c.Values.ToArray(),
        Column<bool> c => c.Values.ToArray(),
        Column<sbyte> c => c.Values.ToArray(),
        Column<byte> c => c.Values.ToArray(),
        Column<short> c => c.Values.ToArray(),
        Column<ushort> c => c.Values.ToArray(),
        Column<uint> c => c.Values.ToArray(),
        Column<ulong> c => c.Values.ToArray(),
        _ => throw new NotSupportedException($"root writer: column '{column.Name}' of type {column.ElementType.Name} cannot be written."),
    };
}
