using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;

namespace EnergyRegression.Hdf5;

/// <summary>How a file maps onto columns (docs/formats/hdf5.md, "Layouts").</summary>
public sealed record Hdf5TableOptions
{
    /// <summary>The group whose datasets are event-level columns; <c>/</c> for the root group. May also name a table (compound) dataset or a pandas DataFrame's group.</summary>
    public string EventGroup { get; init; } = "events";

    /// <summary>
    /// Explicit columns instead of the table layout: column name (a prefix for a compound) → dataset path.
    /// Every dataset is one row per entry.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Datasets { get; init; }

    /// <summary>Turns every entry into one object of this collection: event-level columns become its object columns.</summary>
    public string? Collection { get; init; }
}

/// <summary>A column of the table: where its values are and what they become.</summary>
/// <param name="Name">Column name (<c>Electron_pt</c>, <c>run</c>).</param>
/// <param name="Collection">The collection of an object column; null for event columns.</param>
/// <param name="ElementType">CLR element type; <see cref="string"/> for a text column (shown by dump, not read into event batches).</param>
/// <param name="Shape">Shape of one row (empty for scalars).</param>
/// <param name="Dataset">The dataset path.</param>
/// <param name="Member">The compound member, or null.</param>
/// <param name="TypeName">The file's type (e.g. <c>float64 (big-endian)</c>).</param>
/// <param name="Element">Of an array member (pandas' <c>values_block_0</c>), the one element this column takes; null for all of it.</param>
/// <param name="Transposed">The dataset holds this column as row <see cref="Element"/> of a (columns × entries) block (pandas' fixed format).</param>
public sealed record Hdf5Column(string Name, string? Collection, Type ElementType, int[] Shape, string Dataset, string? Member, string TypeName, int? Element = null, bool Transposed = false)
{
    /// <summary>True for a text column: dump prints it, event batches do not hold it.</summary>
    public bool IsText => ElementType == typeof(string);
}

/// <summary>A jagged collection of the table layout.</summary>
/// <param name="Name">Collection name (the group's name, or a variable-length dataset's).</param>
/// <param name="Group">The group path, or null for a collection of one object per entry (or of a variable-length dataset).</param>
/// <param name="Offsets">The offsets dataset (entries + 1 values), or null.</param>
/// <param name="Counts">The counts dataset (one per entry), used when there are no offsets.</param>
/// <param name="Sequence">A variable-length dataset whose elements' lengths index the collection, or null.</param>
public sealed record Hdf5Collection(string Name, string? Group, string? Offsets, string? Counts, string? Sequence = null);

/// <summary>
/// A file seen as a table of entries (docs/formats/hdf5.md): event-level columns (one row per entry) and
/// jagged collections (values datasets indexed by offsets or counts, or variable-length datasets),
/// resolved from the table layout, a pandas DataFrame (format "table" or "fixed"), a PyTables table, or
/// explicit dataset names. Datasets that cannot become columns (strings, null or scalar dataspaces,
/// dangling links, unrelated groups, pickled objects) are listed in <see cref="Skipped"/> with the reason,
/// never dropped silently. Reads entry ranges only; nothing reads a whole dataset.
/// </summary>
public sealed class Hdf5Table
{
    /// <summary>Dataset names that index a collection group.</summary>
    public const string OffsetsName = Hdf5Names.Offsets;

    /// <summary>Dataset name of per-entry counts in a collection group (used when there are no offsets).</summary>
    public const string CountsName = Hdf5Names.Counts;

    private readonly Dictionary<string, (long Entry, long Value)> _countsCursor = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long FirstObject, int Objects, byte[] Values)> _sequences = new(StringComparer.Ordinal);

    private Hdf5Table(Hdf5File file, long entries, List<Hdf5Column> columns, List<Hdf5Collection> collections, List<string> skipped, string layout,
        List<(string Name, string Dataset, string Reason)> unreadable)
    {
        Unreadable = unreadable;
        File = file;
        Entries = entries;
        Columns = columns;
        Collections = collections;
        Skipped = skipped;
        Layout = layout;
    }

    /// <summary>The file.</summary>
    public Hdf5File File { get; }

    /// <summary>Number of entries (events).</summary>
    public long Entries { get; }

    /// <summary>Every column, in file order (text columns included: see <see cref="Hdf5Column.IsText"/>).</summary>
    public IReadOnlyList<Hdf5Column> Columns { get; }

    /// <summary>The collections, in file order.</summary>
    public IReadOnlyList<Hdf5Collection> Collections { get; }

    /// <summary>Datasets or members that cannot become columns, as <c>/path (reason)</c>.</summary>
    public IReadOnlyList<string> Skipped { get; }

    /// <summary>
    /// Datasets that would be columns but cannot be decoded (a filter this reader does not know): the column
    /// name they would have, the dataset and why. Also in <see cref="Skipped"/>; the reader refuses to run
    /// without them unless its <c>columns:</c> leave them out.
    /// </summary>
    public IReadOnlyList<(string Name, string Dataset, string Reason)> Unreadable { get; }

    /// <summary>What the file was read as: <c>table layout</c>, <c>pandas DataFrame (format="table")</c>, …</summary>
    public string Layout { get; }

    private sealed class Builder(Hdf5File file)
    {
        public Hdf5File File { get; } = file;

        public List<Hdf5Column> Columns { get; } = [];

        public List<Hdf5Collection> Collections { get; } = [];

        public List<string> Skipped { get; } = [];

        public List<(string Dataset, long Rows)> Lengths { get; } = [];

        public List<(string Name, string Dataset, string Reason)> Unreadable { get; } = [];
    }

    /// <summary>Resolves the table of <paramref name="file"/>.</summary>
    /// <exception cref="Hdf5FormatException">A dataset is missing, damaged, has the wrong length or shape, or two become the same column.</exception>
    public static Hdf5Table Resolve(Hdf5File file, Hdf5TableOptions options)
    {
        try
        {
            return ResolveTable(file, options);
        }
        catch (Exception ex) when (ex is OverflowException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            throw new Hdf5FormatException(file.Path, $"group {Hdf5File.Normalize(options.EventGroup)}", $"Its sizes are impossible ({ex.Message.TrimEnd('.')}): the file is damaged.", ex);
        }
    }

    private static Hdf5Table ResolveTable(Hdf5File file, Hdf5TableOptions options)
    {
        var b = new Builder(file);
        string layout;
        string eventGroup = Hdf5File.Normalize(options.EventGroup);
        if (options.Datasets is { Count: > 0 } explicitColumns)
        {
            layout = "datasets";
            foreach ((string name, string path) in explicitColumns)
            {
                Hdf5Dataset dataset = GetNamedDataset(file, path);
                if (AddDataset(b, dataset, name, null, named: true))
                {
                    b.Lengths.Add((dataset.Path, dataset.Length));
                }
            }
        }
        else
        {
            // A pandas DataFrame under another key than the event group: when it is the file's only one, take it.
            if (!file.Exists(eventGroup) && options.EventGroup == "events" && PandasKeys(file) is [string only])
            {
                eventGroup = only;
            }
            string? pandas = file.IsGroup(eventGroup) ? file.StringAttribute(eventGroup, "pandas_type") : null;
            if (pandas == "frame_table")
            {
                layout = $"pandas DataFrame {eventGroup} (format=\"table\")";
                PandasTable(b, eventGroup);
            }
            else if (pandas == "frame")
            {
                layout = $"pandas DataFrame {eventGroup} (format=\"fixed\")";
                PandasFixed(b, eventGroup);
            }
            else if (pandas is not null)
            {
                throw new Hdf5FormatException(file.Path, $"group {eventGroup}", $"pandas stored a {pandas} here; only DataFrames (frame, frame_table) become tables.");
            }
            else if (file.Exists(eventGroup) && !file.IsGroup(eventGroup))
            {
                // A table dataset (PyTables Table, a compound array): its members are the event columns.
                layout = $"table {eventGroup}";
                Hdf5Dataset table = file.GetDataset(eventGroup);
                if (table.Type.Kind != Hdf5TypeKind.Compound)
                {
                    throw new Hdf5FormatException(file.Path, $"dataset {eventGroup}", $"The event group names a dataset of {table.Describe()}: only a table (compound) dataset can be the event group.");
                }
                if (AddDataset(b, table, "", null, named: true))
                {
                    b.Lengths.Add((table.Path, table.Length));
                }
            }
            else
            {
                layout = $"table layout (event group {eventGroup})";
                TableLayout(b, eventGroup);
            }
        }

        if (options.Datasets is not { Count: > 0 } && !file.Exists(eventGroup) && b.Collections.Count == 0)
        {
            string top = string.Join(", ", file.Children("/").Select(c => "/" + c));
            throw new Hdf5FormatException(file.Path, $"group {eventGroup}",
                $"There is no such group and no collection group (objects at the top: {(top.Length == 0 ? "none" : top)}). " +
                "Name the event group with event_group (\"/\" for datasets at the top), or map datasets to columns with datasets:.");
        }
        if (b.Lengths.Count == 0)
        {
            throw new Hdf5FormatException(file.Path, options.Datasets is { Count: > 0 } ? "datasets" : $"group {eventGroup}",
                "No dataset can become a column" + (b.Skipped.Count > 0 ? $" ({string.Join(", ", b.Skipped)})." : "."));
        }
        long entries = b.Lengths[0].Rows;
        foreach ((string dataset, long rows) in b.Lengths.Skip(1))
        {
            if (rows != entries)
            {
                throw new Hdf5FormatException(file.Path, $"dataset {dataset}",
                    $"It has {Rows(rows)} but {b.Lengths[0].Dataset} has {Rows(entries)}: every event-level dataset needs one row per entry " +
                    $"(and a collection's offsets one more).");
            }
        }

        if (options.Collection is { Length: > 0 } single)
        {
            if (b.Collections.Any(c => c.Name == single))
            {
                throw new Hdf5FormatException(file.Path, $"group /{single}", $"The file already has a collection {single}; choose another name for collection.");
            }
            for (int i = 0; i < b.Columns.Count; i++)
            {
                if (b.Columns[i].Collection is null)
                {
                    string name = b.Columns[i].Name.StartsWith(single + "_", StringComparison.Ordinal) ? b.Columns[i].Name : single + "_" + b.Columns[i].Name;
                    b.Columns[i] = b.Columns[i] with { Name = name, Collection = single };
                }
            }
            b.Collections.Insert(0, new Hdf5Collection(single, null, null, null));
        }

        foreach (IGrouping<string, Hdf5Column> same in b.Columns.GroupBy(c => c.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            throw new Hdf5FormatException(file.Path, $"dataset {same.First().Dataset}",
                $"Column '{same.Key}' would come from {string.Join(" and ", same.Select(c => c.Member is null ? c.Dataset : $"{c.Dataset} member {c.Member}"))}; rename one (datasets: maps names).");
        }
        return new Hdf5Table(file, entries, b.Columns, b.Collections, b.Skipped, layout, b.Unreadable);
    }

    /// <summary>The groups at the top of the file that hold a pandas DataFrame.</summary>
    private static List<string> PandasKeys(Hdf5File file)
    {
        var keys = new List<string>();
        foreach (string child in file.Children("/"))
        {
            string path = "/" + child;
            if (file.Exists(path) && file.IsGroup(path) && file.StringAttribute(path, "pandas_type") is "frame" or "frame_table")
            {
                keys.Add(path);
            }
        }
        return keys;
    }

    /// <summary>The event group's datasets, variable-length datasets as their own collections, and the collection groups.</summary>
    private static void TableLayout(Builder b, string eventGroup)
    {
        Hdf5File file = b.File;
        var sequences = new List<(string Name, Hdf5Dataset Dataset)>();
        if (file.Exists(eventGroup) && file.IsGroup(eventGroup))
        {
            foreach (string child in file.Children(eventGroup))
            {
                string path = Join(eventGroup, child);
                if (TryDataset(b, path, out Hdf5Dataset? dataset, groupsToo: false) is not { } ds)
                {
                    continue;
                }
                if (ds.Type.Kind == Hdf5TypeKind.Sequence && !ds.IsScalar && !ds.IsNull && ds.Dimensions.Length == 1)
                {
                    sequences.Add((child, ds));
                    b.Lengths.Add((ds.Path, ds.Length));
                    continue;
                }
                if (AddDataset(b, ds, child, null, named: false))
                {
                    b.Lengths.Add((ds.Path, ds.Length));
                }
                _ = dataset;
            }
        }
        long? entries = b.Lengths.Count > 0 ? b.Lengths[0].Rows : null;
        foreach ((string name, Hdf5Dataset dataset) in sequences)
        {
            // A variable-length dataset is a collection of its own, named after it (as a ROOT std::vector branch without counter).
            b.Collections.Add(new Hdf5Collection(name, null, null, null, dataset.Path));
            b.Columns.Add(new Hdf5Column(name, name, dataset.Type.ElementType!, [], dataset.Path, null, dataset.Type.Name));
        }
        foreach (string child in file.Children("/"))
        {
            string group = "/" + child;
            if (group == eventGroup)
            {
                continue;
            }
            if (!file.Exists(group))
            {
                if (file.Problem(group) is { } problem)
                {
                    b.Skipped.Add($"{group} ({problem})");
                }
                continue;
            }
            if (!file.IsGroup(group))
            {
                continue;
            }
            string offsets = Join(group, OffsetsName);
            string counts = Join(group, CountsName);
            bool hasOffsets = file.Exists(offsets) && !file.IsGroup(offsets);
            bool hasCounts = file.Exists(counts) && !file.IsGroup(counts);
            if (!hasOffsets && !hasCounts)
            {
                continue;
            }
            Hdf5Dataset index = file.GetDataset(hasOffsets ? offsets : counts);
            long indexEntries = hasOffsets ? index.Length - 1 : index.Length;
            bool integer = index.Type.Kind == Hdf5TypeKind.Number && !index.Type.IsBool && index.Type.ElementType != typeof(float)
                && index.Type.ElementType != typeof(double) && index.Type.Shape.Length == 0 && index.Dimensions.Length == 1;
            if (entries is { } n && (!integer || indexEntries != n))
            {
                // An unrelated group that happens to hold a dataset called offsets or counts: not a collection.
                b.Skipped.Add($"{group} (not a collection: its {(hasOffsets ? "offsets" : "counts")} {index.Describe()} do not index the {n} entries)");
                continue;
            }
            if (!integer)
            {
                throw new Hdf5FormatException(file.Path, $"dataset {index.Path}",
                    $"The {(hasOffsets ? "offsets" : "counts")} of collection {child} must be a 1-D integer dataset, not {index.Describe()}.");
            }
            b.Lengths.Add((index.Path, indexEntries));
            entries ??= indexEntries;
            b.Collections.Add(new Hdf5Collection(child, group, hasOffsets ? offsets : null, hasOffsets ? null : counts));
            foreach (string member in file.Children(group))
            {
                string path = Join(group, member);
                if (member is OffsetsName or CountsName || TryDataset(b, path, out _, groupsToo: false) is not { } ds)
                {
                    continue;
                }
                AddDataset(b, ds, child + "_" + member, child, named: false);
            }
        }
    }

    /// <summary>
    /// A dataset of the layout, or null with a note: groups are passed over, dangling links and unreadable
    /// objects noted. Damage is never passed over: it is an error.
    /// </summary>
    private static Hdf5Dataset? TryDataset(Builder b, string path, out Hdf5Dataset? dataset, bool groupsToo)
    {
        dataset = null;
        if (!b.File.Exists(path))
        {
            b.Skipped.Add($"{path} ({b.File.Problem(path) ?? "not found"})");
            return null;
        }
        if (b.File.IsGroup(path))
        {
            if (groupsToo)
            {
                b.Skipped.Add($"{path} (a group)");
            }
            return null;
        }
        return dataset = b.File.GetDataset(path);
    }

    private static string Rows(long n) => n.ToString(CultureInfo.InvariantCulture) + (n == 1 ? " row" : " rows");

    private static Hdf5Dataset GetNamedDataset(Hdf5File file, string path)
    {
        string p = Hdf5File.Normalize(path);
        if (!file.Exists(p) || file.IsGroup(p))
        {
            if (file.Problem(p) is { } problem)
            {
                throw new Hdf5FormatException(file.Path, $"dataset {p}", char.ToUpperInvariant(problem[0]) + problem[1..] + ".");
            }
            string parent = p[..Math.Max(1, p.LastIndexOf('/'))];
            string siblings = file.Exists(parent) && file.IsGroup(parent)
                ? string.Join(", ", file.Children(parent).Select(c => Join(parent, c)))
                : "";
            throw new Hdf5FormatException(file.Path, $"dataset {p}",
                (file.Exists(p) ? "This is a group, not a dataset." : "There is no such dataset.") +
                (siblings.Length > 0 ? $" In {parent}: {siblings}." : ""));
        }
        return file.GetDataset(p);
    }

    /// <summary>Why a dataset cannot be a column of one row per entry, or null.</summary>
    private static string? WhyNot(Hdf5Dataset dataset) =>
        dataset.IsNull ? "an empty (null) dataspace, no values"
        : dataset.IsScalar ? "a scalar, not one value per entry"
        : dataset.Type.Kind == Hdf5TypeKind.Unsupported ? dataset.Type.Unsupported
        : dataset.Type.Kind == Hdf5TypeKind.Sequence ? "variable-length data is a collection of its own only in the event group"
        : dataset.RowShape.Any(d => d == 0) ? "a row shape with a zero dimension"
        : null;

    /// <summary>Adds the column(s) of a dataset; false when it cannot become any.</summary>
    private static bool AddDataset(Builder b, Hdf5Dataset dataset, string name, string? collection, bool named)
    {
        string? reason = WhyNot(dataset);
        if (reason is not null)
        {
            if (named)
            {
                throw new Hdf5FormatException(dataset.File.Path, $"dataset {dataset.Path}", $"It cannot become a column: {dataset.Describe()} is {reason}.");
            }
            b.Skipped.Add($"{dataset.Path} ({reason})");
            return false;
        }
        if (dataset.UnsupportedFilter is { } filter)
        {
            // Never a column that fails later: the filter is named now (an input error when it is read).
            b.Skipped.Add($"{dataset.Path} ({filter})");
            b.Unreadable.Add((name, dataset.Path, filter));
            if (named)
            {
                throw new Hdf5FormatException(dataset.File.Path, $"dataset {dataset.Path}", $"It cannot be read: {filter}.");
            }
            return false;
        }
        if (dataset.Type.Kind is Hdf5TypeKind.Number or Hdf5TypeKind.String)
        {
            b.Columns.Add(Column(name, collection, dataset.Type, dataset.RowShape, dataset.Path, null));
            return true;
        }
        bool any = false;
        foreach (Hdf5Member member in dataset.Type.Members)
        {
            if (member.Type.Kind is not (Hdf5TypeKind.Number or Hdf5TypeKind.String))
            {
                b.Skipped.Add($"{dataset.Path} member {member.Name} ({member.Type.Unsupported ?? (member.Type.Kind == Hdf5TypeKind.Compound ? "nested compounds are not supported" : "variable-length members are not supported")})");
                continue;
            }
            string columnName = name.Length == 0 ? member.Name : name + "_" + member.Name;
            b.Columns.Add(Column(columnName, collection, member.Type, [.. dataset.RowShape, .. member.Type.Shape], dataset.Path, member.Name));
            any |= member.Type.Kind == Hdf5TypeKind.Number;
        }
        if (!any && named)
        {
            throw new Hdf5FormatException(dataset.File.Path, $"dataset {dataset.Path}", $"No member of {dataset.Type.Name} can become a column.");
        }
        return any;
    }

    private static Hdf5Column Column(string name, string? collection, Hdf5Type type, int[] shape, string dataset, string? member) =>
        type.Kind == Hdf5TypeKind.String
            ? new Hdf5Column(name, collection, typeof(string), shape, dataset, member, type.Name)
            : new Hdf5Column(name, collection, type.ElementType!, shape, dataset, member, type.Name);

    /// <summary>
    /// pandas' format="table" (PyTables table "table" in the DataFrame's group): an index member and
    /// <c>values_block_N</c> array members whose elements are the DataFrame's columns, named by the table's
    /// pickled <c>values_block_N_kind</c> attributes; data columns as members of their own name.
    /// </summary>
    private static void PandasTable(Builder b, string group)
    {
        string path = Join(group, "table");
        Hdf5Dataset table = b.File.GetDataset(path);
        if (table.Type.Kind != Hdf5TypeKind.Compound || table.Dimensions.Length != 1)
        {
            throw new Hdf5FormatException(b.File.Path, $"dataset {path}", $"pandas' table should be a table of records, not {table.Describe()}.");
        }
        b.Lengths.Add((table.Path, table.Length));
        string indexName = PandasIndexName(b.File, group) ?? "index";
        foreach (Hdf5Member member in table.Type.Members)
        {
            if (member.Type.Kind is not (Hdf5TypeKind.Number or Hdf5TypeKind.String))
            {
                b.Skipped.Add($"{path} member {member.Name} ({member.Type.Unsupported ?? "not a number or string"})");
                continue;
            }
            if (member.Name.StartsWith("values_block_", StringComparison.Ordinal)
                && PickledNames(b.File, path, member.Name + "_kind") is { } names)
            {
                int elements = Math.Max(1, member.Type.Shape.Aggregate(1, (a, d) => a * d));
                if (names.Count != elements)
                {
                    throw new Hdf5FormatException(b.File.Path, $"dataset {path}", $"pandas' {member.Name} holds {elements} columns but its {member.Name}_kind names {names.Count}.");
                }
                for (int j = 0; j < elements; j++)
                {
                    Hdf5Column c = Column(names[j], null, member.Type, [], path, member.Name);
                    b.Columns.Add(c with { Element = j });
                }
                continue;
            }
            string name = member.Name == "index" ? indexName : member.Name;
            b.Columns.Add(Column(name, null, member.Type, member.Type.Shape, path, member.Name));
        }
    }

    /// <summary>
    /// pandas' format="fixed": the index in <c>axis1</c>, and blocks of columns <c>blockN_values</c> (entries ×
    /// columns, or columns × entries when not "transposed") named by <c>blockN_items</c>; object blocks are
    /// pickled Python objects and are noted, not read.
    /// </summary>
    private static void PandasFixed(Builder b, string group)
    {
        Hdf5File file = b.File;
        string indexPath = Join(group, "axis1");
        Hdf5Dataset index = file.GetDataset(indexPath);
        b.Lengths.Add((index.Path, index.Length));
        string indexName = PickledString(file, indexPath, "name") ?? "index";
        if (index.Type.Kind == Hdf5TypeKind.Number && index.Dimensions.Length == 1)
        {
            b.Columns.Add(Column(indexName, null, index.Type, [], index.Path, null));
        }
        else
        {
            b.Skipped.Add($"{indexPath} (the index, {index.Describe()})");
        }
        for (int block = 0; file.Exists(Join(group, $"block{block}_values")); block++)
        {
            string valuesPath = Join(group, $"block{block}_values");
            Hdf5Dataset values = file.GetDataset(valuesPath);
            string[] items = file.GetDataset(Join(group, $"block{block}_items")).ReadStrings(0, (int)file.GetDataset(Join(group, $"block{block}_items")).Length);
            if (file.StringAttribute(valuesPath, "PSEUDOATOM") == "object" || values.Type.Kind is Hdf5TypeKind.Sequence or Hdf5TypeKind.Unsupported)
            {
                b.Skipped.Add($"{valuesPath} (columns {string.Join(", ", items)}: pickled Python objects, which are not read)");
                continue;
            }
            bool transposed = file.RawAttribute(valuesPath, "transposed") is { } t && t.Type.Kind == Hdf5TypeKind.Number && t.Data.Any(x => x != 0);
            ulong rows = values.Dimensions.Length == 2 ? values.Dimensions[transposed ? 0 : 1] : 0;
            ulong columns = values.Dimensions.Length == 2 ? values.Dimensions[transposed ? 1 : 0] : 0;
            if (values.Dimensions.Length != 2 || (long)rows != index.Length || (long)columns != items.Length)
            {
                throw new Hdf5FormatException(file.Path, $"dataset {valuesPath}", $"pandas' block {values.Describe()} does not fit its {items.Length} columns and {index.Length} rows.");
            }
            for (int j = 0; j < items.Length; j++)
            {
                b.Columns.Add(Column(items[j], null, values.Type, [], values.Path, null) with { Element = j, Transposed = !transposed });
            }
        }
    }

    private static string? PandasIndexName(Hdf5File file, string group)
    {
        // pandas' "info" attribute: {"index": {"index_name": NAME, …}} (or "names": [NAME]) for a named index.
        if (file.RawAttribute(group, "info") is { } info && Pickle.TryRead(info.Data, out object? value)
            && value is Dictionary<string, object?> dict && dict.TryGetValue("index", out object? index)
            && index is Dictionary<string, object?> indexInfo)
        {
            if (indexInfo.TryGetValue("index_name", out object? indexName) && indexName is string name)
            {
                return name;
            }
            if (indexInfo.TryGetValue("names", out object? names) && names is List<object?> { Count: 1 } list && list[0] is string listed)
            {
                return listed;
            }
        }
        return null;
    }

    private static List<string>? PickledNames(Hdf5File file, string path, string attribute)
    {
        if (file.RawAttribute(path, attribute) is { } raw && Pickle.TryRead(raw.Data, out object? value) && value is List<object?> list)
        {
            return [.. list.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "None")];
        }
        return null;
    }

    private static string? PickledString(Hdf5File file, string path, string attribute) =>
        file.RawAttribute(path, attribute) is { } raw && Pickle.TryRead(raw.Data, out object? value) && value is string s ? s : null;

    private static string Join(string group, string name) => group == "/" ? "/" + name : group + "/" + name;

    /// <summary>
    /// The value offsets of entries <paramref name="start"/> … <paramref name="start"/> + <paramref name="count"/>
    /// of a collection: <paramref name="count"/> + 1 positions in its values datasets (entry i's objects are
    /// rows offsets[i] … offsets[i+1] − 1), checked (non-decreasing, within the values).
    /// </summary>
    public long[] ReadOffsets(Hdf5Collection collection, long start, int count) =>
        Checked($"collection {collection.Name}, entries {start}–{start + count - 1}", () => ReadOffsetsOf(collection, start, count));

    /// <summary>Sums and sizes that overflow come from damaged counts or dimensions: a format error, not an exception of another kind.</summary>
    private T Checked<T>(string place, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is OverflowException or ArgumentOutOfRangeException)
        {
            throw new Hdf5FormatException(File.Path, place, $"Its sizes are impossible ({ex.Message.TrimEnd('.')}): the file is damaged.", ex);
        }
    }

    private long[] ReadOffsetsOf(Hdf5Collection collection, long start, int count)
    {
        long[] offsets = new long[count + 1];
        if (collection.Sequence is { } sequencePath)
        {
            // The sequences' lengths are the counts; their values are kept for the columns' read that follows.
            (long[] lengths, byte[] values) = File.GetDataset(sequencePath).ReadSequences(start, count);
            offsets[0] = CountsBase(collection, File.GetDataset(sequencePath), start);
            for (int i = 0; i < count; i++)
            {
                offsets[i + 1] = checked(offsets[i] + lengths[i]);
            }
            _countsCursor[collection.Name] = (start + count, offsets[count]);
            _sequences[collection.Name] = (offsets[0], checked((int)(offsets[count] - offsets[0])), values);
            return offsets;
        }
        if (collection.Group is null)
        {
            for (int i = 0; i <= count; i++)
            {
                offsets[i] = start + i;
            }
            return offsets;
        }
        if (collection.Offsets is { } offsetsPath)
        {
            Hdf5Dataset dataset = File.GetDataset(offsetsPath);
            ReadIntegers(dataset, start, count + 1, offsets);
        }
        else
        {
            Hdf5Dataset dataset = File.GetDataset(collection.Counts!);
            long[] counts = new long[count];
            ReadIntegers(dataset, start, count, counts);
            offsets[0] = CountsBase(collection, dataset, start);
            for (int i = 0; i < count; i++)
            {
                if (counts[i] < 0)
                {
                    throw new Hdf5FormatException(File.Path, $"dataset {dataset.Path}, entry {start + i}", $"Negative count {counts[i]}.");
                }
                offsets[i + 1] = checked(offsets[i] + counts[i]);
            }
            _countsCursor[collection.Name] = (start + count, offsets[count]);
        }
        string source = collection.Offsets ?? collection.Counts!;
        if (offsets[0] < 0)
        {
            throw new Hdf5FormatException(File.Path, $"dataset {source}, entry {start}", $"Negative offset {offsets[0]}.");
        }
        for (int i = 0; i < count; i++)
        {
            if (offsets[i + 1] < offsets[i])
            {
                throw new Hdf5FormatException(File.Path, $"dataset {source}, entry {start + i}",
                    $"Offsets decrease ({offsets[i]} then {offsets[i + 1]}): they must be non-decreasing.");
            }
        }
        foreach (Hdf5Column column in Columns.Where(c => c.Collection == collection.Name))
        {
            Hdf5Dataset values = File.GetDataset(column.Dataset);
            if (offsets[count] > values.Length)
            {
                throw new Hdf5FormatException(File.Path, $"dataset {values.Path}",
                    $"Entry {start + count - 1} of collection {collection.Name} ends at row {offsets[count]} ({source}), but the dataset has {Rows(values.Length)}.");
            }
        }
        return offsets;
    }

    /// <summary>The sum of the counts (or sequence lengths) before <paramref name="start"/>, continuing from the last read when possible.</summary>
    private long CountsBase(Hdf5Collection collection, Hdf5Dataset counts, long start)
    {
        (long entry, long value) = _countsCursor.TryGetValue(collection.Name, out var cursor) && cursor.Entry <= start ? cursor : (0, 0);
        const int Block = 1 << 16;
        long[] buffer = new long[Math.Min(Block, Math.Max(1, start - entry))];
        while (entry < start)
        {
            int n = (int)Math.Min(Block, start - entry);
            if (collection.Sequence is not null)
            {
                (long[] lengths, _) = counts.ReadSequences(entry, n);
                lengths.CopyTo(buffer, 0);
            }
            else
            {
                ReadIntegers(counts, entry, n, buffer);
            }
            for (int i = 0; i < n; i++)
            {
                value = checked(value + buffer[i]);
            }
            entry += n;
        }
        return value;
    }

    private void ReadIntegers(Hdf5Dataset dataset, long first, int count, Span<long> destination)
    {
        Hdf5Type type = dataset.Type;
        int size = Hdf5Type.ClrSize(type.ElementType!);
        byte[] raw = ArrayPool<byte>.Shared.Rent(Math.Max(1, count * type.Size));
        byte[] values = ArrayPool<byte>.Shared.Rent(Math.Max(1, count * size));
        try
        {
            dataset.ReadRows(first, count, raw.AsSpan(0, count * type.Size));
            type.Decode(raw, 0, type.Size, values.AsSpan(0, count * size), count);
            for (int i = 0; i < count; i++)
            {
                ReadOnlySpan<byte> v = values.AsSpan(i * size, size);
                destination[i] = type.ElementType switch
                {
                    _ when type.ElementType == typeof(sbyte) => (sbyte)v[0],
                    _ when type.ElementType == typeof(byte) => v[0],
                    _ when type.ElementType == typeof(short) => MemoryMarshal.Read<short>(v),
                    _ when type.ElementType == typeof(ushort) => MemoryMarshal.Read<ushort>(v),
                    _ when type.ElementType == typeof(int) => MemoryMarshal.Read<int>(v),
                    _ when type.ElementType == typeof(uint) => MemoryMarshal.Read<uint>(v),
                    _ when type.ElementType == typeof(long) => MemoryMarshal.Read<long>(v),
                    _ when type.ElementType == typeof(ulong) => MemoryMarshal.Read<ulong>(v) > long.MaxValue
                        ? throw new Hdf5FormatException(File.Path, $"dataset {dataset.Path}, entry {first + i}", "Value beyond int64.")
                        : (long)MemoryMarshal.Read<ulong>(v),
                    _ => throw new Hdf5FormatException(File.Path, $"dataset {dataset.Path}", $"{type.Name} is not an integer type."),
                };
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
            ArrayPool<byte>.Shared.Return(values);
        }
    }

    /// <summary>
    /// Reads rows <paramref name="firstRow"/> … <paramref name="firstRow"/> + <paramref name="rows"/> − 1 of
    /// <paramref name="columns"/> (any mix of number columns) into the destinations <paramref name="destination"/>
    /// gives for each column: its values as bytes of its element type, row-major. Columns of one dataset are
    /// read from one read of it. Event columns count rows in entries, object columns in objects; the columns of
    /// a variable-length collection take the values its last <see cref="ReadOffsets"/> read.
    /// </summary>
    public void ReadColumns(IReadOnlyList<Hdf5Column> columns, long firstRow, int rows, Func<Hdf5Column, Memory<byte>> destination) =>
        Checked($"rows {firstRow}–{firstRow + rows - 1}", () =>
        {
            ReadColumnsOf(columns, firstRow, rows, destination);
            return 0;
        });

    private void ReadColumnsOf(IReadOnlyList<Hdf5Column> columns, long firstRow, int rows, Func<Hdf5Column, Memory<byte>> destination)
    {
        foreach (IGrouping<string, Hdf5Column> group in columns.GroupBy(c => c.Dataset, StringComparer.Ordinal))
        {
            Hdf5Dataset dataset = File.GetDataset(group.Key);
            foreach (Hdf5Column column in group.Where(c => c.IsText))
            {
                throw new InvalidOperationException($"Column '{column.Name}' holds text: read it with ReadText.");
            }
            if (dataset.Type.Kind == Hdf5TypeKind.Sequence)
            {
                foreach (Hdf5Column column in group)
                {
                    (long firstObject, int objects, byte[] values) = _sequences.TryGetValue(column.Collection!, out var s) ? s
                        : throw new InvalidOperationException($"Read the offsets of collection {column.Collection} first.");
                    if (firstObject != firstRow || objects != rows)
                    {
                        throw new InvalidOperationException($"Objects {firstRow}–{firstRow + rows - 1} of {column.Collection} were not the last read.");
                    }
                    dataset.Type.Base!.Decode(values, 0, dataset.Type.Base.Size, destination(column).Span, rows);
                }
                continue;
            }
            if (group.All(c => c.Transposed))
            {
                // pandas' fixed format, not transposed: column j is row j of a (columns × entries) block.
                foreach (Hdf5Column column in group)
                {
                    byte[] raw = new byte[checked(rows * dataset.Type.Size)];
                    dataset.ReadBlock([(ulong)column.Element!.Value, (ulong)firstRow], [1, (ulong)rows], raw, $"dataset {dataset.Path}, rows {firstRow}–{firstRow + rows - 1}");
                    dataset.Type.Decode(raw, 0, dataset.Type.Size, destination(column).Span, rows);
                }
                continue;
            }
            if (dataset.Type.Kind == Hdf5TypeKind.Number && group.All(c => c.Element is null) && dataset.Type.InPlace)
            {
                foreach (Hdf5Column column in group)
                {
                    Span<byte> bytes = destination(column).Span[..checked((int)(rows * dataset.RowBytes))];
                    dataset.ReadRows(firstRow, rows, bytes);
                    dataset.Type.FixUp(bytes);
                }
                continue;
            }
            int length = checked((int)(rows * dataset.RowBytes));
            byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
            try
            {
                dataset.ReadRows(firstRow, rows, buffer.AsSpan(0, length));
                long values = rows * dataset.RowElements;
                foreach (Hdf5Column column in group)
                {
                    (Hdf5Type type, int offset) = MemberOf(dataset, column);
                    int stride = dataset.Type.Kind == Hdf5TypeKind.Compound ? dataset.Type.Size : dataset.Type.Size;
                    if (column.Element is { } j && dataset.Type.Kind == Hdf5TypeKind.Number)
                    {
                        // A column of a 2-D block (pandas fixed, transposed): element j of each row.
                        type.Decode(buffer.AsSpan(0, length), j * type.Size, (int)dataset.RowBytes, destination(column).Span, rows);
                        continue;
                    }
                    type.Decode(buffer.AsSpan(0, length), offset, stride, destination(column).Span, checked((int)values));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>The type and byte offset a column takes from each record of its dataset.</summary>
    private static (Hdf5Type Type, int Offset) MemberOf(Hdf5Dataset dataset, Hdf5Column column)
    {
        if (column.Member is null)
        {
            return (dataset.Type, 0);
        }
        Hdf5Member member = dataset.Type.Members.First(m => m.Name == column.Member);
        if (column.Element is { } j)
        {
            Hdf5Type element = member.Type.Base!;
            return (element, member.Offset + (j * element.Size));
        }
        return (member.Type, member.Offset);
    }

    /// <summary>The text of a text column for rows [firstRow, firstRow + rows), row-major over its shape.</summary>
    public string[] ReadText(Hdf5Column column, long firstRow, int rows) =>
        Checked($"dataset {column.Dataset}, rows {firstRow}–{firstRow + rows - 1}", () => ReadTextOf(column, firstRow, rows));

    private string[] ReadTextOf(Hdf5Column column, long firstRow, int rows)
    {
        Hdf5Dataset dataset = File.GetDataset(column.Dataset);
        if (column.Member is null)
        {
            return dataset.ReadStrings(firstRow, rows);
        }
        Hdf5Member member = dataset.Type.Members.First(m => m.Name == column.Member);
        byte[] raw = new byte[checked(rows * dataset.RowBytes)];
        dataset.ReadRows(firstRow, rows, raw);
        long records = rows * dataset.RowElements;
        int elements = Math.Max(1, member.Type.Shape.Aggregate(1, (a, d) => a * d));
        Hdf5Type type = member.Type.Base ?? member.Type;
        if (type.Raw.Class != Format.H5Class.String)
        {
            throw new Hdf5FormatException(File.Path, $"dataset {dataset.Path}", $"Member {member.Name} holds variable-length strings inside records, which are not supported.");
        }
        var result = new List<string>();
        for (long r = 0; r < records; r++)
        {
            for (int e = 0; e < elements; e++)
            {
                if (column.Element is { } j && e != j)
                {
                    continue;
                }
                result.Add(type.FixedString(raw.AsSpan(checked((int)((r * dataset.Type.Size) + member.Offset + (e * type.Size))), type.Size)));
            }
        }
        return [.. result];
    }
}

/// <summary>The reserved dataset names of the table layout's collection groups.</summary>
public static class Hdf5Names
{
    /// <summary>Entries + 1 positions of each entry's objects in the collection's datasets.</summary>
    public const string Offsets = "offsets";

    /// <summary>Objects per entry (used when there are no offsets).</summary>
    public const string Counts = "counts";
}
