using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;

namespace EnergyRegression.Hdf5;

/// <summary>How a file maps onto columns (docs/formats/hdf5.md, "Layouts").</summary>
public sealed record Hdf5TableOptions
{
    /// <summary>The group whose datasets are event-level columns; <c>/</c> for the root group.</summary>
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
/// <param name="ElementType">CLR element type.</param>
/// <param name="Shape">Shape of one row (empty for scalars).</param>
/// <param name="Dataset">The dataset path.</param>
/// <param name="Member">The compound member, or null.</param>
/// <param name="TypeName">The file's type (e.g. <c>float64 (big-endian)</c>).</param>
public sealed record Hdf5Column(string Name, string? Collection, Type ElementType, int[] Shape, string Dataset, string? Member, string TypeName);

/// <summary>A jagged collection of the table layout.</summary>
/// <param name="Name">Collection name (the group's name).</param>
/// <param name="Group">The group path, or null for a collection of one object per entry.</param>
/// <param name="Offsets">The offsets dataset (entries + 1 values), or null.</param>
/// <param name="Counts">The counts dataset (one per entry), used when there are no offsets.</param>
public sealed record Hdf5Collection(string Name, string? Group, string? Offsets, string? Counts);

/// <summary>
/// A file seen as a table of entries (docs/formats/hdf5.md): event-level columns (one row per entry) and
/// jagged collections (values datasets indexed by offsets or counts), resolved from the table layout or
/// from explicit dataset names. Reads entry ranges only; nothing reads a whole dataset.
/// </summary>
public sealed class Hdf5Table
{
    /// <summary>Dataset names that index a collection group.</summary>
    public const string OffsetsName = Hdf5Names.Offsets;

    /// <summary>Dataset name of per-entry counts in a collection group (used when there are no offsets).</summary>
    public const string CountsName = Hdf5Names.Counts;

    private readonly Dictionary<string, (long Entry, long Value)> _countsCursor = new(StringComparer.Ordinal);

    private Hdf5Table(Hdf5File file, long entries, List<Hdf5Column> columns, List<Hdf5Collection> collections, List<string> skipped)
    {
        File = file;
        Entries = entries;
        Columns = columns;
        Collections = collections;
        Skipped = skipped;
    }

    /// <summary>The file.</summary>
    public Hdf5File File { get; }

    /// <summary>Number of entries (events).</summary>
    public long Entries { get; }

    /// <summary>Every column that can be read, in file order.</summary>
    public IReadOnlyList<Hdf5Column> Columns { get; }

    /// <summary>The collections, in file order.</summary>
    public IReadOnlyList<Hdf5Collection> Collections { get; }

    /// <summary>Datasets or members that cannot become columns, as <c>name (reason)</c>.</summary>
    public IReadOnlyList<string> Skipped { get; }

    /// <summary>Resolves the table of <paramref name="file"/>.</summary>
    /// <exception cref="Hdf5FormatException">A dataset is missing, has the wrong length or shape, or two become the same column.</exception>
    public static Hdf5Table Resolve(Hdf5File file, Hdf5TableOptions options)
    {
        var columns = new List<Hdf5Column>();
        var collections = new List<Hdf5Collection>();
        var skipped = new List<string>();
        var lengths = new List<(string Dataset, long Rows)>();

        if (options.Datasets is { Count: > 0 } explicitColumns)
        {
            foreach ((string name, string path) in explicitColumns)
            {
                Hdf5Dataset dataset = GetDataset(file, path);
                if (AddDataset(dataset, name, null, columns, skipped, named: true))
                {
                    lengths.Add((dataset.Path, dataset.Length));
                }
            }
        }
        else
        {
            string eventGroup = Hdf5File.Normalize(options.EventGroup);
            bool hasEventGroup = file.IsGroup(eventGroup);
            foreach (string child in hasEventGroup ? file.Children(eventGroup) : [])
            {
                string path = Join(eventGroup, child);
                if (file.IsGroup(path))
                {
                    continue;
                }
                Hdf5Dataset dataset = file.GetDataset(path);
                if (AddDataset(dataset, child, null, columns, skipped, named: false))
                {
                    lengths.Add((dataset.Path, dataset.Length));
                }
            }
            foreach (string child in file.Children("/"))
            {
                string group = "/" + child;
                if (group == eventGroup || !file.IsGroup(group))
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
                var collection = new Hdf5Collection(child, group, hasOffsets ? offsets : null, hasOffsets ? null : counts);
                Hdf5Dataset index = file.GetDataset(collection.Offsets ?? collection.Counts!);
                if (index.Type.Kind != Hdf5TypeKind.Number || index.Type.IsBool || index.Type.ElementType == typeof(float) || index.Type.ElementType == typeof(double) || index.Dimensions.Length != 1)
                {
                    throw new Hdf5FormatException(file.Path, $"dataset {index.Path}",
                        $"The {(hasOffsets ? "offsets" : "counts")} of collection {child} must be a 1-D integer dataset, not {index.Describe()}.");
                }
                lengths.Add((index.Path, hasOffsets ? index.Length - 1 : index.Length));
                collections.Add(collection);
                foreach (string member in file.Children(group))
                {
                    string path = Join(group, member);
                    if (member is OffsetsName or CountsName || file.IsGroup(path))
                    {
                        continue;
                    }
                    AddDataset(file.GetDataset(path), child + "_" + member, child, columns, skipped, named: false);
                }
            }
        }

        if (options.Datasets is not { Count: > 0 } && !file.IsGroup(options.EventGroup) && collections.Count == 0)
        {
            string top = string.Join(", ", file.Children("/").Select(c => "/" + c));
            throw new Hdf5FormatException(file.Path, $"group {Hdf5File.Normalize(options.EventGroup)}",
                $"There is no such group and no collection group (objects at the top: {(top.Length == 0 ? "none" : top)}). " +
                "Name the event group with event_group (\"/\" for datasets at the top), or map datasets to columns with datasets:.");
        }
        if (lengths.Count == 0)
        {
            throw new Hdf5FormatException(file.Path, options.Datasets is { Count: > 0 } ? "datasets" : $"group {Hdf5File.Normalize(options.EventGroup)}",
                "No dataset can become a column" + (skipped.Count > 0 ? $" ({string.Join(", ", skipped)})." : "."));
        }
        long entries = lengths[0].Rows;
        foreach ((string dataset, long rows) in lengths.Skip(1))
        {
            if (rows != entries)
            {
                throw new Hdf5FormatException(file.Path, $"dataset {dataset}",
                    $"It has {Rows(rows)} but {lengths[0].Dataset} has {Rows(entries)}: every event-level dataset needs one row per entry " +
                    $"(and a collection's offsets one more).");
            }
        }

        if (options.Collection is { Length: > 0 } single)
        {
            if (collections.Any(c => c.Name == single))
            {
                throw new Hdf5FormatException(file.Path, $"group /{single}", $"The file already has a collection {single}; choose another name for collection.");
            }
            for (int i = 0; i < columns.Count; i++)
            {
                if (columns[i].Collection is null)
                {
                    string name = columns[i].Name.StartsWith(single + "_", StringComparison.Ordinal) ? columns[i].Name : single + "_" + columns[i].Name;
                    columns[i] = columns[i] with { Name = name, Collection = single };
                }
            }
            collections.Insert(0, new Hdf5Collection(single, null, null, null));
        }

        foreach (IGrouping<string, Hdf5Column> same in columns.GroupBy(c => c.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            throw new Hdf5FormatException(file.Path, $"dataset {same.First().Dataset}",
                $"Column '{same.Key}' would come from {string.Join(" and ", same.Select(c => c.Member is null ? c.Dataset : $"{c.Dataset} member {c.Member}"))}; rename one (datasets: maps names).");
        }
        return new Hdf5Table(file, entries, columns, collections, skipped);
    }

    private static string Rows(long n) => n.ToString(CultureInfo.InvariantCulture) + (n == 1 ? " row" : " rows");

    private static Hdf5Dataset GetDataset(Hdf5File file, string path)
    {
        string p = Hdf5File.Normalize(path);
        if (!file.Exists(p) || file.IsGroup(p))
        {
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

    /// <summary>Adds the column(s) of a dataset; false when it cannot become any.</summary>
    private static bool AddDataset(Hdf5Dataset dataset, string name, string? collection, List<Hdf5Column> columns, List<string> skipped, bool named)
    {
        string? reason = dataset.IsScalar ? "a scalar, not one value per entry"
            : dataset.Type.Kind == Hdf5TypeKind.Unsupported ? dataset.Type.Unsupported
            : null;
        if (reason is null && dataset.RowShape.Any(d => d == 0))
        {
            reason = "a row shape with a zero dimension";
        }
        if (reason is not null)
        {
            if (named)
            {
                throw new Hdf5FormatException(dataset.File.Path, $"dataset {dataset.Path}", $"It cannot become a column: {dataset.Describe()} is {reason}.");
            }
            skipped.Add($"{dataset.Path} ({reason})");
            return false;
        }
        if (dataset.Type.Kind == Hdf5TypeKind.Number)
        {
            columns.Add(new Hdf5Column(name, collection, dataset.Type.ElementType!, dataset.RowShape, dataset.Path, null, dataset.Type.Name));
            return true;
        }
        bool any = false;
        foreach (Hdf5Member member in dataset.Type.Members)
        {
            if (member.Type.Kind != Hdf5TypeKind.Number)
            {
                skipped.Add($"{dataset.Path} member {member.Name} ({member.Type.Unsupported ?? "nested compounds are not supported"})");
                continue;
            }
            columns.Add(new Hdf5Column(name + "_" + member.Name, collection, member.Type.ElementType!, dataset.RowShape, dataset.Path, member.Name, member.Type.Name));
            any = true;
        }
        if (!any && named)
        {
            throw new Hdf5FormatException(dataset.File.Path, $"dataset {dataset.Path}", $"No member of {dataset.Type.Name} can become a column.");
        }
        return any;
    }

    private static string Join(string group, string name) => group == "/" ? "/" + name : group + "/" + name;

    /// <summary>
    /// The value offsets of entries <paramref name="start"/> … <paramref name="start"/> + <paramref name="count"/>
    /// of a collection: <paramref name="count"/> + 1 positions in its values datasets (entry i's objects are
    /// rows offsets[i] … offsets[i+1] − 1), checked (non-decreasing, within the values).
    /// </summary>
    public long[] ReadOffsets(Hdf5Collection collection, long start, int count)
    {
        long[] offsets = new long[count + 1];
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

    /// <summary>The sum of the counts before <paramref name="start"/>, continuing from the last read when possible.</summary>
    private long CountsBase(Hdf5Collection collection, Hdf5Dataset counts, long start)
    {
        (long entry, long value) = _countsCursor.TryGetValue(collection.Name, out var cursor) && cursor.Entry <= start ? cursor : (0, 0);
        const int Block = 1 << 16;
        long[] buffer = new long[Math.Min(Block, Math.Max(1, start - entry))];
        while (entry < start)
        {
            int n = (int)Math.Min(Block, start - entry);
            ReadIntegers(counts, entry, n, buffer);
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
        byte[] raw = ArrayPool<byte>.Shared.Rent(Math.Max(1, count * type.Size));
        try
        {
            Span<byte> bytes = raw.AsSpan(0, count * type.Size);
            dataset.ReadRows(first, count, bytes);
            type.FixUp(bytes);
            for (int i = 0; i < count; i++)
            {
                ReadOnlySpan<byte> v = bytes.Slice(i * type.Size, type.Size);
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
        }
    }

    /// <summary>
    /// Reads rows <paramref name="firstRow"/> … <paramref name="firstRow"/> + <paramref name="rows"/> − 1 of
    /// <paramref name="columns"/> (any mix) into the destinations <paramref name="destination"/> gives for each
    /// column: its values as bytes of its element type, row-major. Columns of one compound dataset are read
    /// from one read of that dataset. Event columns count rows in entries, object columns in objects.
    /// </summary>
    public void ReadColumns(IReadOnlyList<Hdf5Column> columns, long firstRow, int rows, Func<Hdf5Column, Memory<byte>> destination)
    {
        foreach (IGrouping<string, Hdf5Column> group in columns.GroupBy(c => c.Dataset, StringComparer.Ordinal))
        {
            Hdf5Dataset dataset = File.GetDataset(group.Key);
            if (dataset.Type.Kind == Hdf5TypeKind.Number)
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
            byte[] raw = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
            try
            {
                dataset.ReadRows(firstRow, rows, raw.AsSpan(0, length));
                long values = rows * dataset.RowElements;
                foreach (Hdf5Column column in group)
                {
                    Hdf5Member member = dataset.Type.Members.First(m => m.Name == column.Member);
                    member.Type.Decode(raw.AsSpan(0, length), member.Offset, dataset.Type.Size, destination(column).Span, checked((int)values));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(raw);
            }
        }
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
