using System.Globalization;
using EnergyRegression.Root.RNTuple.Format;
using EnergyRegression.Root.RNTuple.Writing;

namespace EnergyRegression.Root;

/// <summary>How <see cref="RootNtupleWriter"/> cuts its data (compression comes from the file's <see cref="RootWriteOptions"/>).</summary>
/// <param name="ClusterBytes">Compressed bytes after which a cluster is committed: ROOT's default "approximate zipped cluster" of 128 MiB.</param>
/// <param name="PageBytes">Uncompressed bytes of a page at most: ROOT's default maximum of 1 MiB.</param>
public sealed record RootNtupleOptions(long ClusterBytes = 128L << 20, int PageBytes = 1 << 20)
{
    /// <summary>ROOT's limit on the uncompressed size of a cluster, ten times the compressed target (1280 MiB by default).</summary>
    internal long MaxUncompressedClusterBytes => ClusterBytes * 10;

    internal void Validate()
    {
        if (ClusterBytes < 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(ClusterBytes), ClusterBytes, "the cluster size must be at least 1 KiB");
        }
        if (PageBytes is < 64 or > 1 << 28)
        {
            throw new ArgumentOutOfRangeException(nameof(PageBytes), PageBytes, "the page size must be 64 bytes to 256 MiB");
        }
    }
}

/// <summary>
/// An RNTuple being written (binary format 1.0.0.0; docs/formats/rntuple.md, "Writing"): define fields, then
/// <see cref="Append"/> entries column by column, as with <see cref="RootTreeWriter"/>. Numbers are fields of their C++
/// type (<c>float</c>, <c>std::int32_t</c>, <c>bool</c>, …), fixed-size tensors <c>std::array</c>s, jagged ones
/// <c>std::vector</c>s sized by a counter field (NanoAOD's <c>nElectron</c> / <c>Electron_pt</c>). Columns are split-encoded
/// when compressed, as ROOT writes them; every page and envelope carries its XXH3-64. Pages are written as they fill, so
/// memory holds at most a page per column; a cluster ends every <see cref="RootNtupleOptions.ClusterBytes"/>.
/// </summary>
public sealed class RootNtupleWriter
{
    private readonly RootFileWriter _file;
    private readonly RootNtupleOptions _options;
    private readonly List<FieldPlan> _fields = [];
    private readonly Dictionary<string, FieldPlan> _byName = new(StringComparer.Ordinal);
    private readonly List<ColumnWriter> _columns = [];
    private readonly List<(long First, long Entries)> _clusters = [];
    private readonly List<FieldRecord> _records = [];
    private long _clusterStart;

    internal RootNtupleWriter(RootFileWriter file, string name, string description, RootNtupleOptions options)
    {
        _file = file;
        Name = name;
        Description = description;
        _options = options;
    }

    /// <summary>The RNTuple's name (its anchor's key).</summary>
    public string Name { get; }

    /// <summary>The RNTuple's description.</summary>
    public string Description { get; }

    /// <summary>Entries appended so far.</summary>
    public long Entries { get; private set; }

    /// <summary>Clusters committed so far.</summary>
    public int ClusterCount => _clusters.Count;

    /// <summary>
    /// Adds a field with one value per entry, or a fixed-size array per entry when <paramref name="shape"/> is given
    /// (a 28×28 window: <c>std::array&lt;std::array&lt;float,28&gt;,28&gt;</c>). Types: bool, sbyte, byte, short, ushort,
    /// int, uint, long, ulong, float, double.
    /// </summary>
    public void AddField(string name, Type elementType, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        CheckNew(name, shape);
        int top = AddRecord(name, ArrayType(elementType, shape, name), StructuralRole.Leaf, parent: null, arraySize: shape.Length > 0 ? shape[0] : 0);
        ColumnWriter values = AddValues(top, elementType, shape, name);
        Add(new FieldPlan(name, elementType, shape, Counter: null, Index: null, values));
    }

    /// <summary>
    /// Adds a <c>std::vector</c> field sized by the counter field <paramref name="counter"/> (an int or uint field added
    /// before, or an int field created here), optionally of fixed-size arrays (<paramref name="innerShape"/>). Its
    /// values are all items of the appended entries, flat; the counter's values their numbers per entry.
    /// </summary>
    public void AddVectorField(string name, Type elementType, string counter, params int[] innerShape)
    {
        ArgumentException.ThrowIfNullOrEmpty(counter);
        ArgumentNullException.ThrowIfNull(innerShape);
        CheckNew(name, innerShape);
        if (!_byName.TryGetValue(counter, out FieldPlan? count))
        {
            AddField(counter, typeof(int));
            count = _byName[counter];
        }
        if (count.Index is not null || count.Shape.Length > 0 || (count.ElementType != typeof(int) && count.ElementType != typeof(uint)))
        {
            throw new ArgumentException($"field {name}: counter {counter} must be a scalar int or uint field", nameof(counter));
        }
        int top = AddRecord(name, $"std::vector<{ArrayType(elementType, innerShape, name)}>", StructuralRole.Collection, parent: null, arraySize: 0);
        var index = new ColumnWriter(_columns.Count, Compressed ? ColumnType.SplitIndex64 : ColumnType.Index64, typeof(long), top);
        _columns.Add(index);
        ColumnWriter values = AddValues(AddRecord("_0", ArrayType(elementType, innerShape, name), StructuralRole.Leaf, top, innerShape.Length > 0 ? innerShape[0] : 0),
            elementType, innerShape, name);
        Add(new FieldPlan(name, elementType, innerShape, count, index, values));
    }

    private bool Compressed => _file.Options.Compression != RootCompression.None;

    private void CheckNew(string name, int[] shape)
    {
        if (Entries > 0)
        {
            throw new InvalidOperationException($"RNTuple {Name}: fields must be added before the first entries");
        }
        // Field names: UTF-8 without control codes, '.', ' ', '\\' or '/' (BinaryFormatSpecification.md, "Naming specification").
        if (string.IsNullOrEmpty(name) || name.Any(c => char.IsControl(c) || c is '.' or ' ' or '\\' or '/'))
        {
            throw new ArgumentException($"'{name}' is not a valid RNTuple field name (no '.', ' ', '/', '\\' or control characters)", nameof(name));
        }
        if (_byName.ContainsKey(name))
        {
            throw new ArgumentException($"RNTuple {Name} already has a field '{name}'", nameof(name));
        }
        if (shape.Any(d => d <= 0))
        {
            throw new ArgumentException($"field {name}: array dimensions must be positive", nameof(shape));
        }
    }

    private void Add(FieldPlan plan)
    {
        _fields.Add(plan);
        _byName[plan.Name] = plan;
    }

    /// <summary>The std::array subfields of a shape below <paramref name="field"/> (which is the outermost) and the column of the values.</summary>
    private ColumnWriter AddValues(int field, Type elementType, int[] shape, string name)
    {
        // std::array<std::array<T,b>,a>: field (size a) → "_0" std::array<T,b> (size b) → "_0" T, which holds the column.
        int parent = field;
        for (int d = 1; d <= shape.Length; d++)
        {
            parent = AddRecord("_0", ArrayType(elementType, shape.AsSpan(d), name), StructuralRole.Leaf, parent, d < shape.Length ? shape[d] : 0);
        }
        var column = new ColumnWriter(_columns.Count, ColumnTypeOf(elementType, name), elementType, parent);
        _columns.Add(column);
        return column;
    }

    private int AddRecord(string name, string type, StructuralRole role, int? parent, int arraySize)
    {
        int id = _records.Count;
        _records.Add(new FieldRecord(name, type, role, parent ?? id, arraySize));
        return id;
    }

    /// <summary>The normalized C++ type of values of <paramref name="elementType"/> in nested arrays of <paramref name="shape"/>.</summary>
    private static string ArrayType(Type elementType, ReadOnlySpan<int> shape, string name)
    {
        string type = CppName(elementType, name);
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            type = string.Create(CultureInfo.InvariantCulture, $"std::array<{type},{shape[d]}>");
        }
        return type;
    }

    private static string CppName(Type t, string name) =>
        t == typeof(bool) ? "bool" : t == typeof(sbyte) ? "std::int8_t" : t == typeof(byte) ? "std::uint8_t"
        : t == typeof(short) ? "std::int16_t" : t == typeof(ushort) ? "std::uint16_t" : t == typeof(int) ? "std::int32_t"
        : t == typeof(uint) ? "std::uint32_t" : t == typeof(long) ? "std::int64_t" : t == typeof(ulong) ? "std::uint64_t"
        : t == typeof(float) ? "float" : t == typeof(double) ? "double"
        : throw new ArgumentException($"field {name}: values of type {t.Name} cannot be written to an RNTuple");

    /// <summary>ROOT's default column type for a value type: split encodings when the file is compressed (BinaryFormatSpecification.md, "Fundamental Types").</summary>
    private ColumnType ColumnTypeOf(Type t, string name) => Type.GetTypeCode(t) switch
    {
        TypeCode.Boolean => ColumnType.Bit,
        TypeCode.SByte => ColumnType.Int8,
        TypeCode.Byte => ColumnType.UInt8,
        TypeCode.Int16 => Compressed ? ColumnType.SplitInt16 : ColumnType.Int16,
        TypeCode.UInt16 => Compressed ? ColumnType.SplitUInt16 : ColumnType.UInt16,
        TypeCode.Int32 => Compressed ? ColumnType.SplitInt32 : ColumnType.Int32,
        TypeCode.UInt32 => Compressed ? ColumnType.SplitUInt32 : ColumnType.UInt32,
        TypeCode.Int64 => Compressed ? ColumnType.SplitInt64 : ColumnType.Int64,
        TypeCode.UInt64 => Compressed ? ColumnType.SplitUInt64 : ColumnType.UInt64,
        TypeCode.Single => Compressed ? ColumnType.SplitReal32 : ColumnType.Real32,
        TypeCode.Double => Compressed ? ColumnType.SplitReal64 : ColumnType.Real64,
        _ => throw new ArgumentException($"field {name}: values of type {t.Name} cannot be written to an RNTuple"),
    };

    /// <summary>
    /// Appends <paramref name="entries"/> entries. <paramref name="columns"/> holds one array per field, of the field's
    /// element type: <c>entries × product(shape)</c> values for a field with one value (or fixed-size array) per entry,
    /// the per-entry counts (int[] or uint[]) for a counter, all items flat (<c>sum(counts) × product(inner)</c>) for a
    /// vector field.
    /// </summary>
    public void Append(int entries, IReadOnlyDictionary<string, Array> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentOutOfRangeException.ThrowIfNegative(entries);
        if (_fields.Count == 0)
        {
            throw new InvalidOperationException($"RNTuple {Name} has no fields");
        }
        foreach (string extra in columns.Keys.Where(k => !_byName.ContainsKey(k)))
        {
            throw new ArgumentException($"RNTuple {Name} has no field '{extra}'");
        }
        // Check everything before anything is appended: a bad call leaves the RNTuple as it was.
        var items = new Dictionary<FieldPlan, long[]>(ReferenceEqualityComparer.Instance);
        foreach (FieldPlan f in _fields)
        {
            if (!columns.TryGetValue(f.Name, out Array? values))
            {
                throw new ArgumentException($"no values for field '{f.Name}' of RNTuple {Name}");
            }
            if (values.GetType().GetElementType() != f.ElementType)
            {
                throw new ArgumentException($"field {f.Name} holds {f.ElementType.Name}, the values are {values.GetType().Name}");
            }
            long perItem = f.Shape.Aggregate(1L, (a, b) => a * b);
            long expected = entries * perItem;
            if (f.Counter is { } counter)
            {
                long[] offsets = Offsets(counter.Name, columns[counter.Name], entries);
                items[f] = offsets;
                expected = offsets[entries] * perItem;
            }
            if (values.LongLength != expected)
            {
                throw new ArgumentException($"field {f.Name}: {values.LongLength} values given, {entries} entries need {expected}");
            }
        }
        foreach (FieldPlan f in _fields)
        {
            Array values = columns[f.Name];
            f.Values.Append(values, 0, values.Length);
            if (f.Index is { } index)
            {
                // Offsets count the items from the start of the cluster: the end of each entry's items.
                long[] offsets = items[f];
                long[] ends = new long[entries];
                long before = f.ItemsInCluster;
                for (int e = 0; e < entries; e++)
                {
                    ends[e] = before + offsets[e + 1];
                }
                f.ItemsInCluster = before + offsets[entries];
                index.Append(ends, 0, entries);
            }
        }
        Entries += entries;
        if (EstimatedClusterBytes() >= _options.ClusterBytes || _columns.Sum(c => c.WrittenUncompressed + c.PendingBytes) - _clusterUncompressedAtStart >= _options.MaxUncompressedClusterBytes)
        {
            CommitCluster();
        }
        else
        {
            Flush([.. _columns.Where(c => c.PendingBytes >= _options.PageBytes)], all: false);
        }
    }

    private long _clusterStoredAtStart;
    private long _clusterUncompressedAtStart;

    /// <summary>Stored bytes of the cluster so far, pending pages counted at the compression ratio of the pages written.</summary>
    private long EstimatedClusterBytes()
    {
        long stored = _columns.Sum(c => c.WrittenStored);
        long uncompressed = _columns.Sum(c => c.WrittenUncompressed);
        double ratio = uncompressed > 0 ? (double)stored / uncompressed : 1.0;
        return stored - _clusterStoredAtStart + (long)(_columns.Sum(c => c.PendingBytes) * ratio);
    }

    private long[] Offsets(string counter, Array counts, int entries)
    {
        if (counts.Length != entries)
        {
            throw new ArgumentException($"counter {counter}: {counts.Length} counts given for {entries} entries");
        }
        long[] offsets = new long[entries + 1];
        for (int e = 0; e < entries; e++)
        {
            long n = counts is int[] ints ? ints[e] : ((uint[])counts)[e];
            if (n < 0)
            {
                throw new ArgumentException($"counter {counter}: negative count {n} at entry {Entries + e}");
            }
            offsets[e + 1] = offsets[e] + n;
        }
        return offsets;
    }

    /// <summary>Writes the pending pages of <paramref name="columns"/>: encoded and compressed in parallel (each touches only its column), written in order.</summary>
    private void Flush(List<ColumnWriter> columns, bool all)
    {
        if (columns.Count == 0)
        {
            return;
        }
        var prepared = new List<ColumnWriter.PreparedPage>[columns.Count];
        if (columns.Sum(c => c.PendingBytes) > 64 * 1024 && columns.Count > 1 && Compressed)
        {
            Parallel.For(0, columns.Count, i => prepared[i] = columns[i].Prepare(_file.Options, _options.PageBytes, all));
        }
        else
        {
            for (int i = 0; i < columns.Count; i++)
            {
                prepared[i] = columns[i].Prepare(_file.Options, _options.PageBytes, all);
            }
        }
        for (int i = 0; i < columns.Count; i++)
        {
            columns[i].Write(_file, prepared[i]);
        }
    }

    /// <summary>Ends the current cluster at the current entry: every column writes its pending elements.</summary>
    public void CommitCluster()
    {
        if (Entries == _clusterStart)
        {
            return;
        }
        Flush(_columns, all: true);
        foreach (ColumnWriter c in _columns)
        {
            c.CommitCluster(_file.Options.CompressSetting);
        }
        foreach (FieldPlan f in _fields)
        {
            f.ItemsInCluster = 0;
        }
        _clusters.Add((_clusterStart, Entries - _clusterStart));
        _clusterStart = Entries;
        _clusterStoredAtStart = _columns.Sum(c => c.WrittenStored);
        _clusterUncompressedAtStart = _columns.Sum(c => c.WrittenUncompressed);
    }

    /// <summary>Writes the last cluster, the header, page list and footer envelopes; returns the anchor.</summary>
    internal Anchor Commit()
    {
        CommitCluster();
        (long seekHeader, long nbytesHeader, byte[] header) = WriteEnvelope(HeaderEnvelope(), Envelope.HeaderType);
        ulong headerChecksum = BitConverter.ToUInt64(header.AsSpan(header.Length - 8));
        (long seekPages, long nbytesPages, byte[] pageList) = WriteEnvelope(PageList(headerChecksum), Envelope.PageListType);
        var footer = new EnvelopeWriter();
        footer.UInt64(0); // feature flags
        footer.UInt64(headerChecksum);
        int extension = footer.BeginRecord();
        foreach (int _ in new int[4])
        {
            footer.EndList(footer.BeginList(0)); // fields, columns, alias columns, extra type information: none added late
        }
        footer.EndRecord(extension);
        int groups = footer.BeginList(1);
        int group = footer.BeginRecord();
        footer.UInt64(0);
        footer.UInt64((ulong)Entries);
        footer.UInt32((uint)_clusters.Count);
        footer.Link(new EnvelopeLink(pageList.Length, new Locator(seekPages, nbytesPages)));
        footer.EndRecord(group);
        footer.EndList(groups);
        (long seekFooter, long nbytesFooter, byte[] footerBytes) = WriteEnvelope(footer, Envelope.FooterType);
        (ushort epoch, ushort major, ushort minor, ushort patch) = Anchor.WrittenVersion;
        return new Anchor(epoch, major, minor, patch, seekHeader, nbytesHeader, header.Length, seekFooter, nbytesFooter, footerBytes.Length,
            RootFileWriter.MaxKeySize);
    }

    private (long Seek, long Nbytes, byte[] Envelope) WriteEnvelope(EnvelopeWriter w, ushort type)
    {
        byte[] envelope = w.Finish(type);
        byte[] stored = Compression.RootCompressor.Compress(envelope, _file.Options.Compression, _file.Options.Level) ?? envelope;
        long seek = _file.WriteBlob(stored, envelope.Length);
        return (seek, stored.Length, envelope);
    }

    private EnvelopeWriter HeaderEnvelope()
    {
        var w = new EnvelopeWriter();
        w.UInt64(0); // feature flags: none
        w.String(Name);
        w.String(Description);
        w.String(RootFileWriter.WriterName);
        int fields = w.BeginList(_records.Count);
        foreach (FieldRecord f in _records)
        {
            int record = w.BeginRecord();
            w.UInt32(0); // field version
            w.UInt32(0); // type version
            w.UInt32((uint)f.Parent);
            w.UInt16((ushort)f.Role);
            w.UInt16(f.ArraySize > 0 ? FieldDescriptor.RepetitiveFlag : (ushort)0);
            w.String(f.Name);
            w.String(f.Type);
            w.String(""); // type alias
            w.String(""); // description
            if (f.ArraySize > 0)
            {
                w.UInt64((ulong)f.ArraySize);
            }
            w.EndRecord(record);
        }
        w.EndList(fields);
        int columns = w.BeginList(_columns.Count);
        foreach (ColumnWriter c in _columns)
        {
            int record = w.BeginRecord();
            w.UInt16((ushort)c.Type);
            w.UInt16((ushort)c.Bits);
            w.UInt32((uint)c.FieldId);
            w.UInt16(0); // flags
            w.UInt16(0); // representation index
            w.EndRecord(record);
        }
        w.EndList(columns);
        w.EndList(w.BeginList(0)); // alias columns
        w.EndList(w.BeginList(0)); // extra type information
        return w;
    }

    private EnvelopeWriter PageList(ulong headerChecksum)
    {
        var w = new EnvelopeWriter();
        w.UInt64(headerChecksum);
        int summaries = w.BeginList(_clusters.Count);
        foreach ((long first, long entries) in _clusters)
        {
            int record = w.BeginRecord();
            w.UInt64((ulong)first);
            w.UInt64((ulong)entries); // flags (high byte) 0
            w.EndRecord(record);
        }
        w.EndList(summaries);
        int clusters = w.BeginList(_clusters.Count);
        for (int k = 0; k < _clusters.Count; k++)
        {
            int columns = w.BeginList(_columns.Count);
            foreach (ColumnWriter c in _columns)
            {
                ColumnPages pages = c.Clusters[k];
                int pageList = w.BeginList(pages.Pages.Length);
                foreach (PageDescriptor p in pages.Pages)
                {
                    w.Int32(p.HasChecksum ? -p.Elements : p.Elements);
                    w.Locator(p.Locator);
                }
                w.Int64(pages.FirstElement);
                w.UInt32((uint)pages.CompressionSettings);
                w.EndList(pageList);
            }
            w.EndList(columns);
        }
        w.EndList(clusters);
        return w;
    }

    /// <summary>A field as the header describes it.</summary>
    private sealed record FieldRecord(string Name, string Type, StructuralRole Role, int Parent, int ArraySize);

    /// <summary>A top-level field as appended: its values column, and for a vector its counter and index column.</summary>
    private sealed record FieldPlan(string Name, Type ElementType, int[] Shape, FieldPlan? Counter, ColumnWriter? Index, ColumnWriter Values)
    {
        public long ItemsInCluster { get; set; }
    }
}
