using System.Globalization;
using EnergyRegression.Root.RNTuple.Format;
using EnergyRegression.Root.RNTuple.Reading;

namespace EnergyRegression.Root;

/// <summary>A cluster of an RNTuple: an entry range and the size of its pages.</summary>
/// <param name="Id">The cluster's ID (its index over all cluster groups).</param>
/// <param name="FirstEntry">Its first entry.</param>
/// <param name="Entries">Its number of entries.</param>
/// <param name="Pages">Pages of all its columns.</param>
/// <param name="CompressedBytes">Bytes of its pages on disk.</param>
/// <param name="UncompressedBytes">Bytes of its pages uncompressed.</param>
public sealed record RootNtupleCluster(int Id, long FirstEntry, long Entries, int Pages, long CompressedBytes, long UncompressedBytes);

/// <summary>The pages of one physical column over all clusters.</summary>
/// <param name="Id">The column ID.</param>
/// <param name="Field">The path of the field it belongs to.</param>
/// <param name="Column">Its type on storage.</param>
/// <param name="Elements">Elements stored.</param>
/// <param name="Pages">Number of pages.</param>
/// <param name="CompressedBytes">Bytes of its pages on disk.</param>
/// <param name="UncompressedBytes">Bytes of its pages uncompressed.</param>
/// <param name="Compression">The compression settings of its pages (algorithm × 100 + level), each once.</param>
public sealed record RootNtupleColumnSize(int Id, string Field, RootNtupleColumn Column, long Elements, int Pages, long CompressedBytes,
    long UncompressedBytes, IReadOnlyList<int> Compression);

/// <summary>
/// An RNTuple, ROOT's columnar format (binary format 1.0; docs/formats/rntuple.md): fields with their types, entries in
/// clusters, and <see cref="Read(RootNtupleField, long, long)"/> to get a field's values over an entry range. Reading
/// decodes only the pages overlapping the range and checks every checksum on the way (anchor, envelopes, pages).
/// Thread-safe like <see cref="RootFile"/>.
/// </summary>
/// <example>
/// <code>
/// using RootFile file = RootFile.Open("events.root");
/// RootNtuple ntuple = file.GetNtuple("Events");
/// var pt = (NtupleListArray)ntuple.Read("Electron_pt", 0, ntuple.Entries);
/// </code>
/// </example>
public sealed class RootNtuple
{
    private readonly NtupleDescriptor _descriptor;
    private readonly RootNtupleField[] _byId;
    private readonly ColumnReader[] _columns;
    private readonly Dictionary<string, RootNtupleField> _byPath = new(StringComparer.Ordinal);

    private RootNtuple(string name, NtupleDescriptor descriptor)
    {
        Name = name;
        _descriptor = descriptor;
        Fields = RootNtupleField.BuildTree(descriptor.Fields, descriptor.ColumnsOfField, out _byId);
        foreach (RootNtupleField field in Fields.SelectMany(f => f.Descendants().Prepend(f)))
        {
            _byPath.TryAdd(field.Path, field);
        }
        _columns = [.. descriptor.PhysicalColumns.Select(c => new ColumnReader(descriptor, c, Repetitions(_byId[c.FieldId])))];
    }

    /// <summary>Elements per entry of a field outside collections: the product of the array sizes from it up.</summary>
    private static long Repetitions(RootNtupleField field)
    {
        long n = 1;
        for (RootNtupleField? f = field; f is not null; f = f.Parent)
        {
            n *= Math.Max(1, (long)f.Descriptor.ArraySize);
        }
        return n;
    }

    /// <summary>Opens the RNTuple whose anchor is the object of <paramref name="key"/>.</summary>
    internal static RootNtuple Open(RootFile file, RootKey key)
    {
        string structure = $"RNTuple '{key.Name}' anchor";
        var anchor = Anchor.Parse(file.ReadObject(key.Header, structure), file.Path, structure, key.Seek + key.Header.KeyLen);
        var storage = new NtupleStorage(file.Source, file.Path, anchor.MaxKeySize);
        return new RootNtuple(key.Name, NtupleDescriptor.Load(storage, anchor, key.Name));
    }

    /// <summary>The name of the anchor's key.</summary>
    public string Name { get; }

    /// <summary>The name the header gives.</summary>
    public string HeaderName => _descriptor.Header.Name;

    /// <summary>The RNTuple's description.</summary>
    public string Description => _descriptor.Header.Description;

    /// <summary>The library or program that wrote it, e.g. "ROOT v6.34.02".</summary>
    public string Writer => _descriptor.Header.Writer;

    /// <summary>The format version the writer supports, from the anchor: "1.0.0.0".</summary>
    public string FormatVersion => string.Create(CultureInfo.InvariantCulture,
        $"{_descriptor.Anchor.Epoch}.{_descriptor.Anchor.Major}.{_descriptor.Anchor.Minor}.{_descriptor.Anchor.Patch}");

    /// <summary>Number of entries.</summary>
    public long Entries => _descriptor.Entries;

    /// <summary>Number of cluster groups (one page list each).</summary>
    public int ClusterGroups => _descriptor.Footer.ClusterGroups.Count;

    /// <summary>Number of clusters.</summary>
    public int ClusterCount => _descriptor.ClusterCount;

    /// <summary>Bytes of the header and footer envelopes on disk and uncompressed.</summary>
    public (long Compressed, long Uncompressed) MetadataBytes =>
        (_descriptor.Anchor.NbytesHeader + _descriptor.Anchor.NbytesFooter, _descriptor.Anchor.LenHeader + _descriptor.Anchor.LenFooter);

    /// <summary>The top-level fields, in the order they were declared (late-added ones last).</summary>
    public IReadOnlyList<RootNtupleField> Fields { get; }

    /// <summary>Every field, depth first.</summary>
    public IEnumerable<RootNtupleField> AllFields => Fields.SelectMany(f => f.Descendants().Prepend(f));

    /// <summary>The field at <paramref name="path"/> ("my_struct.sub_struct.i").</summary>
    /// <exception cref="KeyNotFoundException">No such field.</exception>
    public RootNtupleField GetField(string path) =>
        _byPath.TryGetValue(path, out RootNtupleField? f) ? f : throw new KeyNotFoundException($"RNTuple '{Name}' has no field '{path}'");

    /// <summary>The clusters with their sizes (reads every page list).</summary>
    public IReadOnlyList<RootNtupleCluster> Clusters() =>
        [.. _descriptor.AllClusters().Select(c => new RootNtupleCluster(c.Id, c.FirstEntry, c.Entries, c.Columns.Sum(k => k.Pages.Length),
            c.Columns.Sum(k => k.Pages.Sum(p => p.Locator.Size)),
            c.Columns.Select((k, i) => k.Pages.Sum(p => ColumnTypes.PageBytes(p.Elements, BitsOf(i)))).Sum()))];

    /// <summary>Every physical column with the pages it has over all clusters (reads every page list).</summary>
    public IReadOnlyList<RootNtupleColumnSize> ColumnSizes()
    {
        List<ClusterDescriptor> clusters = [.. _descriptor.AllClusters()];
        var result = new List<RootNtupleColumnSize>();
        foreach (ColumnDescriptor column in _descriptor.PhysicalColumns)
        {
            IEnumerable<ColumnPages> ranges = clusters.Select(c => c.PagesOf(column.PhysicalId)).Where(p => !p.Suppressed);
            var pages = ranges.SelectMany(r => r.Pages).ToList();
            result.Add(new RootNtupleColumnSize(column.PhysicalId, _byId[column.FieldId].Path, new RootNtupleColumn(column),
                pages.Sum(p => (long)p.Elements), pages.Count, pages.Sum(p => p.Locator.Size),
                pages.Sum(p => ColumnTypes.PageBytes(p.Elements, column.BitsOnStorage)),
                [.. ranges.Select(r => r.CompressionSettings).Distinct().Order()]));
        }
        return result;
    }

    private int BitsOf(int physicalColumn) =>
        physicalColumn < _descriptor.PhysicalColumns.Count ? _descriptor.PhysicalColumns[physicalColumn].BitsOnStorage : 0;

    /// <summary>Reads field <paramref name="path"/> over entries [<paramref name="start"/>, <paramref name="stop"/>).</summary>
    public NtupleArray Read(string path, long start, long stop) => Read(GetField(path), start, stop);

    /// <summary>
    /// Reads <paramref name="field"/> over entries [<paramref name="start"/>, <paramref name="stop"/>): a top-level field,
    /// or a member of records (or atomics/enums) down from one, has one element per entry; a field below one collection
    /// (a member of a <c>std::vector</c> of records, say) reads as an <see cref="NtupleListArray"/> with one list per entry,
    /// reading only that member's columns.
    /// </summary>
    /// <exception cref="NotSupportedException">The field cannot be read (<see cref="RootNtupleField.UnsupportedReason"/>).</exception>
    /// <exception cref="RootFormatException">The file is malformed or a checksum does not match; the structure names the field and entries.</exception>
    /// <exception cref="ArgumentException">The range is not within [0, <see cref="Entries"/>], or the field lies inside a fixed-size array, a variant or two collections.</exception>
    public NtupleArray Read(RootNtupleField field, long start, long stop)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (!ReferenceEquals(_byId.ElementAtOrDefault(field.Id), field))
        {
            throw new ArgumentException($"field {field.Path} is not a field of RNTuple '{Name}'", nameof(field));
        }
        RootNtupleField? collection = null;
        for (RootNtupleField? up = field.Parent; up is not null; up = up.Parent)
        {
            if (up.Kind == RootNtupleFieldKind.Collection && collection is null)
            {
                collection = up;
            }
            else if (up.Kind is not (RootNtupleFieldKind.Record or RootNtupleFieldKind.Wrapper))
            {
                throw new ArgumentException($"field {field.Path} lies inside {up.Path} ({up.Kind}); read a field with one value or one list per entry", nameof(field));
            }
        }
        RootNtupleField top = field;
        while (top.Parent is not null)
        {
            top = top.Parent;
        }
        if (!top.IsReadable)
        {
            throw new NotSupportedException($"not supported: {top.UnsupportedReason}");
        }
        return ReadRange(field, start, stop, collection, (reader, cluster, first, count) =>
            collection is null ? reader.Read(field, cluster, first, count) : reader.ReadBelow(collection, field, cluster, first, count));
    }

    /// <summary>Reads a field cluster by cluster over the entry range and joins the parts.</summary>
    private NtupleArray ReadRange(RootNtupleField field, long start, long stop, RootNtupleField? collection,
        Func<FieldReader, ClusterDescriptor, long, long, NtupleArray> read)
    {
        if (start < 0 || stop < start || stop > Entries)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"entry range [{start}, {stop}) is outside [0, {Entries}) of RNTuple '{Name}'");
        }
        string context = string.Create(CultureInfo.InvariantCulture, $"field {field.Path}, entries {start}–{stop - 1}");
        var reader = new FieldReader(_descriptor, c => _columns[c.PhysicalId], context);
        var parts = new List<NtupleArray>();
        long next = start;
        foreach (ClusterDescriptor cluster in _descriptor.ClustersIn(start, stop))
        {
            if (cluster.FirstEntry > next)
            {
                break;
            }
            long first = next - cluster.FirstEntry;
            long count = Math.Min(stop, cluster.FirstEntry + cluster.Entries) - next;
            parts.Add(read(reader, cluster, first, count));
            next += count;
        }
        if (next != stop)
        {
            throw new RootFormatException(_descriptor.File, $"{_descriptor.Structure} {context}", -1, $"no cluster holds entry {next}");
        }
        if (parts.Count > 0)
        {
            return NtupleArray.Concat(parts);
        }
        return collection is null ? reader.Empty(field) : new NtupleListArray([0], reader.Empty(field));
    }

    /// <summary>
    /// The sizes of collection <paramref name="collection"/> (a field with one value per entry) over entries
    /// [<paramref name="start"/>, <paramref name="stop"/>), as <c>stop − start + 1</c> offsets from 0: only its index
    /// column is read, not its items.
    /// </summary>
    public long[] ReadOffsets(RootNtupleField collection, long start, long stop)
    {
        ArgumentNullException.ThrowIfNull(collection);
        if (collection.Kind != RootNtupleFieldKind.Collection || collection.Parent is not null)
        {
            throw new ArgumentException($"field {collection.Path} is not a top-level collection", nameof(collection));
        }
        NtupleArray lists = ReadRange(collection, start, stop, null, (reader, cluster, first, count) => reader.SizesOnly(collection, cluster, first, count));
        return ((NtupleListArray)lists).Offsets;
    }

    /// <summary>Where the pages of a physical column are, over all clusters (tests that damage them).</summary>
    internal IEnumerable<(long Offset, long Size)> PageLocations(int physicalColumn) =>
        _descriptor.AllClusters().SelectMany(c => c.PagesOf(physicalColumn).Pages).Select(p => (p.Locator.Offset, p.Locator.Size));

    /// <summary>How many pages the column readers have decoded so far (tests of the page cache).</summary>
    internal int PagesLoaded => _columns.Sum(c => c.PagesLoaded);
}
