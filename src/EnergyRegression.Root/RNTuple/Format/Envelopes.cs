using System.Buffers.Binary;
using System.IO.Hashing;

namespace EnergyRegression.Root.RNTuple.Format;

/// <summary>
/// The RNTuple envelopes (BinaryFormatSpecification.md, "Envelopes"): a 64-bit preamble — type ID in the low 16 bits,
/// uncompressed length in the high 48 — the payload, and the XXH3-64 of preamble and payload. The reading halves
/// check all three.
/// </summary>
internal static class Envelope
{
    public const ushort HeaderType = 0x01;
    public const ushort FooterType = 0x02;
    public const ushort PageListType = 0x03;

    /// <summary>Preamble plus checksum: the smallest envelope.</summary>
    public const int Overhead = 16;

    /// <summary>Checks an uncompressed envelope's type, length and checksum; returns its XXH3-64 (the header's is repeated in the footer and page lists).</summary>
    public static ulong Verify(ReadOnlySpan<byte> envelope, ushort type, string file, string structure, long offset)
    {
        if (envelope.Length < Overhead)
        {
            throw new RootFormatException(file, structure, offset, $"envelope of {envelope.Length} bytes is shorter than its 16-byte preamble and checksum");
        }
        ulong preamble = BinaryPrimitives.ReadUInt64LittleEndian(envelope);
        ushort actualType = (ushort)(preamble & 0xFFFF);
        long length = (long)(preamble >> 16);
        ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(envelope[^8..]);
        ulong computed = XxHash3.HashToUInt64(envelope[..^8]);
        if (stored != computed)
        {
            // First: a flipped type or length byte is a checksum failure like any other.
            throw new RootFormatException(file, structure, offset,
                $"envelope checksum mismatch (stored xxhash3 0x{stored:x16}, computed 0x{computed:x16}): the envelope is corrupt");
        }
        if (actualType != type)
        {
            throw new RootFormatException(file, structure, offset, $"envelope type is 0x{actualType:x2}, expected 0x{type:x2}");
        }
        if (length != envelope.Length)
        {
            throw new RootFormatException(file, structure, offset, $"envelope says it is {length} bytes long but its link gives {envelope.Length}");
        }
        return stored;
    }

    /// <summary>A reader over the payload (between preamble and checksum) of a verified envelope.</summary>
    public static EnvelopeReader Payload(ReadOnlySpan<byte> envelope, string file, string structure, long offset)
    {
        var r = new EnvelopeReader(envelope[..^8], file, structure, offset);
        r.ReadUInt64("envelope preamble");
        return r;
    }

    /// <summary>Feature flags: 64-bit words read while the sign bit is set; any bit set is a feature this reader does not know.</summary>
    public static void ReadFeatureFlags(ref EnvelopeReader r)
    {
        int word = 0;
        ulong flags;
        do
        {
            flags = r.ReadUInt64("feature flags");
            if ((flags & ~(1UL << 63)) != 0)
            {
                throw new NotSupportedException(
                    $"not supported: the RNTuple uses format features this reader does not know (feature flag word {word} is 0x{flags:x16}); it needs a newer reader");
            }
            word++;
        }
        while ((flags & (1UL << 63)) != 0);
    }

    /// <summary>A locator: a standard one (size, 64-bit offset) or a "large" non-standard one (type 0x01: 64-bit size and offset).</summary>
    public static Locator ReadLocator(ref EnvelopeReader r, string what)
    {
        int head = r.ReadInt32(what + " locator");
        if (head >= 0)
        {
            long offset = r.ReadInt64(what + " locator offset");
            return Checked(ref r, offset, head, what);
        }
        int locatorSize = head & 0xFFFF;
        int type = -(sbyte)(byte)((uint)head >> 24);
        if (type != 0x01)
        {
            throw new NotSupportedException($"not supported: {what} uses a locator of type 0x{type & 0x7F:x2} (only in-file locators can be read)");
        }
        if (locatorSize < 20)
        {
            throw r.Error($"{what}: large locator of {locatorSize} bytes is shorter than its 20-byte minimum");
        }
        long size = r.ReadInt64(what + " locator size");
        long at = r.ReadInt64(what + " locator offset");
        r.Skip(locatorSize - 20, "locator payload");
        return Checked(ref r, at, size, what);
    }

    private static Locator Checked(ref EnvelopeReader r, long offset, long size, string what)
    {
        if (offset < 0 || size < 0)
        {
            throw r.Error($"{what} locator points at offset {offset} with size {size}");
        }
        return new Locator(offset, size);
    }

    /// <summary>An envelope link: uncompressed length, then a locator.</summary>
    public static EnvelopeLink ReadLink(ref EnvelopeReader r, string what)
    {
        ulong length = r.ReadUInt64(what + " length");
        if (length > long.MaxValue)
        {
            throw r.Error($"{what} length {length} is out of range");
        }
        return new EnvelopeLink((long)length, ReadLocator(ref r, what));
    }
}

/// <summary>The schema description of the header, or the schema extension of the footer ("Header Envelope", "Schema Extension Record Frame").</summary>
internal sealed class SchemaDescription
{
    public List<FieldDescriptor> Fields { get; } = [];

    /// <summary>Physical columns, in column-ID order.</summary>
    public List<ColumnDescriptor> Columns { get; } = [];

    /// <summary>Alias columns of projected fields.</summary>
    public List<ColumnDescriptor> Aliases { get; } = [];

    /// <summary>
    /// Reads the four list frames — fields, columns, alias columns, extra type information — continuing the field and
    /// column IDs after <paramref name="firstField"/> and <paramref name="firstColumn"/> (the header's counts, for the extension).
    /// </summary>
    public static SchemaDescription Read(ref EnvelopeReader r, int firstField, int firstColumn, bool extension)
    {
        var schema = new SchemaDescription();
        EnvelopeReader.Frame fields = r.BeginList("field list", out int fieldCount, 8);
        for (int i = 0; i < fieldCount; i++)
        {
            schema.Fields.Add(ReadField(ref r, firstField + i, extension));
        }
        r.EndFrame(fields);

        EnvelopeReader.Frame columns = r.BeginList("column list", out int columnCount, 8);
        for (int i = 0; i < columnCount; i++)
        {
            schema.Columns.Add(ReadColumn(ref r, firstColumn + i, extension));
        }
        r.EndFrame(columns);

        EnvelopeReader.Frame aliases = r.BeginList("alias column list", out int aliasCount, 8);
        for (int i = 0; i < aliasCount; i++)
        {
            EnvelopeReader.Frame frame = r.BeginRecord("alias column");
            uint physical = r.ReadUInt32("physical column ID");
            uint field = r.ReadUInt32("field ID");
            r.EndFrame(frame);
            if (physical > int.MaxValue || field > int.MaxValue)
            {
                throw r.Error($"alias column {i} has out-of-range IDs (physical column {physical}, field {field})");
            }
            // The type and representation come from the physical column once all columns are known.
            schema.Aliases.Add(new ColumnDescriptor((int)physical, ColumnType.Bit, 0, (int)field, 0, 0, 0, null, IsAlias: true, extension));
        }
        r.EndFrame(aliases);

        // Extra type information (streamer infos of streamed fields): not needed to read the supported field kinds.
        EnvelopeReader.Frame extra = r.BeginList("extra type information list", out int extraCount, 8);
        for (int i = 0; i < extraCount; i++)
        {
            r.EndFrame(r.BeginRecord("extra type information"));
        }
        r.EndFrame(extra);
        return schema;
    }

    private static FieldDescriptor ReadField(ref EnvelopeReader r, int id, bool extension)
    {
        EnvelopeReader.Frame frame = r.BeginRecord($"field {id}");
        uint fieldVersion = r.ReadUInt32("field version");
        uint typeVersion = r.ReadUInt32("type version");
        uint parent = r.ReadUInt32("parent field ID");
        ushort role = r.ReadUInt16("structural role");
        ushort flags = r.ReadUInt16("field flags");
        string name = r.ReadString("field name");
        string type = r.ReadString("type name");
        string alias = r.ReadString("type alias");
        string description = r.ReadString("field description");
        ulong arraySize = (flags & FieldDescriptor.RepetitiveFlag) != 0 ? r.ReadUInt64("array size") : 0;
        uint? source = (flags & FieldDescriptor.ProjectedFlag) != 0 ? r.ReadUInt32("source field ID") : null;
        uint? checksum = (flags & FieldDescriptor.ChecksumFlag) != 0 ? r.ReadUInt32("type checksum") : null;
        r.EndFrame(frame);
        if (parent > int.MaxValue || source > int.MaxValue)
        {
            throw r.Error($"field {id} '{name}' has an out-of-range parent ({parent}) or source field ID ({source})");
        }
        return new FieldDescriptor(id, fieldVersion, typeVersion, (int)parent, (StructuralRole)role, flags, name, type, alias, description,
            arraySize, (int?)source, checksum, extension);
    }

    private static ColumnDescriptor ReadColumn(ref EnvelopeReader r, int id, bool extension)
    {
        EnvelopeReader.Frame frame = r.BeginRecord($"column {id}");
        var type = (ColumnType)r.ReadUInt16("column type");
        ushort bits = r.ReadUInt16("bits on storage");
        uint field = r.ReadUInt32("field ID");
        ushort flags = r.ReadUInt16("column flags");
        ushort representation = r.ReadUInt16("representation index");
        long first = (flags & ColumnDescriptor.DeferredFlag) != 0 ? r.ReadInt64("first element index") : 0;
        (double, double)? range = null;
        if ((flags & ColumnDescriptor.RangeFlag) != 0)
        {
            double min = r.ReadDouble("minimum value");
            double max = r.ReadDouble("maximum value");
            range = (min, max);
        }
        r.EndFrame(frame);
        if (field > int.MaxValue)
        {
            throw r.Error($"column {id} belongs to out-of-range field ID {field}");
        }
        return new ColumnDescriptor(id, type, bits, (int)field, flags, representation, first, range, IsAlias: false, extension);
    }
}

/// <summary>The header envelope: name, description, writer, schema description.</summary>
internal sealed record HeaderEnvelope(string Name, string Description, string Writer, SchemaDescription Schema, ulong Checksum)
{
    public static HeaderEnvelope Read(ReadOnlySpan<byte> envelope, string file, string structure, long offset)
    {
        ulong checksum = Envelope.Verify(envelope, Envelope.HeaderType, file, structure, offset);
        EnvelopeReader r = Envelope.Payload(envelope, file, structure, offset);
        Envelope.ReadFeatureFlags(ref r);
        string name = r.ReadString("RNTuple name");
        string description = r.ReadString("RNTuple description");
        string writer = r.ReadString("writer identifier");
        var schema = SchemaDescription.Read(ref r, 0, 0, extension: false);
        return new HeaderEnvelope(name, description, writer, schema, checksum);
    }
}

/// <summary>The footer envelope: the header's checksum, the schema extension and the cluster groups.</summary>
internal sealed record FooterEnvelope(SchemaDescription Extension, List<ClusterGroupDescriptor> ClusterGroups)
{
    public static FooterEnvelope Read(ReadOnlySpan<byte> envelope, HeaderEnvelope header, string file, string structure, long offset)
    {
        Envelope.Verify(envelope, Envelope.FooterType, file, structure, offset);
        EnvelopeReader r = Envelope.Payload(envelope, file, structure, offset);
        Envelope.ReadFeatureFlags(ref r);
        ulong headerChecksum = r.ReadUInt64("header checksum");
        if (headerChecksum != header.Checksum)
        {
            throw r.Error($"the footer names header checksum 0x{headerChecksum:x16}, the header's is 0x{header.Checksum:x16}: header and footer do not belong together");
        }
        EnvelopeReader.Frame extensionFrame = r.BeginRecord("schema extension");
        SchemaDescription extension = extensionFrame.End - r.Position > 0
            ? SchemaDescription.Read(ref r, header.Schema.Fields.Count, header.Schema.Columns.Count, extension: true)
            : new SchemaDescription();
        r.EndFrame(extensionFrame);

        var groups = new List<ClusterGroupDescriptor>();
        EnvelopeReader.Frame list = r.BeginList("cluster group list", out int count, 8);
        for (int i = 0; i < count; i++)
        {
            r.Structure = $"{structure}, cluster group {i}";
            EnvelopeReader.Frame frame = r.BeginRecord("cluster group");
            ulong minEntry = r.ReadUInt64("minimum entry");
            ulong span = r.ReadUInt64("entry span");
            uint clusters = r.ReadUInt32("number of clusters");
            EnvelopeLink pageList = Envelope.ReadLink(ref r, "page list");
            r.EndFrame(frame);
            if (minEntry > long.MaxValue || span > long.MaxValue - minEntry || clusters > int.MaxValue)
            {
                throw r.Error($"cluster group {i} has out-of-range entries ({minEntry} + {span}) or clusters ({clusters})");
            }
            groups.Add(new ClusterGroupDescriptor((long)minEntry, (long)span, (int)clusters, pageList));
        }
        r.EndFrame(list);
        return new FooterEnvelope(extension, groups);
    }
}

/// <summary>A page list envelope: the clusters of one cluster group and the pages of every column in each.</summary>
internal static class PageListEnvelope
{
    public const ulong ShardedClusterFlag = 0x01;

    /// <summary>Reads the clusters of a group, numbered from <paramref name="firstClusterId"/>.</summary>
    public static List<ClusterDescriptor> Read(ReadOnlySpan<byte> envelope, ulong headerChecksum, int firstClusterId, string file, string structure, long offset)
    {
        Envelope.Verify(envelope, Envelope.PageListType, file, structure, offset);
        EnvelopeReader r = Envelope.Payload(envelope, file, structure, offset);
        ulong named = r.ReadUInt64("header checksum");
        if (named != headerChecksum)
        {
            throw r.Error($"the page list names header checksum 0x{named:x16}, the header's is 0x{headerChecksum:x16}: it belongs to another RNTuple");
        }
        var summaries = new List<(long First, long Entries)>();
        EnvelopeReader.Frame summaryList = r.BeginList("cluster summary list", out int clusterCount, 8);
        for (int i = 0; i < clusterCount; i++)
        {
            EnvelopeReader.Frame frame = r.BeginRecord($"cluster summary {i}");
            ulong first = r.ReadUInt64("first entry");
            ulong entriesAndFlags = r.ReadUInt64("number of entries");
            r.EndFrame(frame);
            ulong flags = entriesAndFlags >> 56;
            if ((flags & ShardedClusterFlag) != 0)
            {
                throw new NotSupportedException($"not supported: cluster {firstClusterId + i} is sharded (a feature of a later format version)");
            }
            long entries = (long)(entriesAndFlags & 0x00FF_FFFF_FFFF_FFFFUL);
            if (first > long.MaxValue || (long)first > long.MaxValue - entries)
            {
                throw r.Error($"cluster {firstClusterId + i} has out-of-range entries ({first} + {entries})");
            }
            summaries.Add(((long)first, entries));
        }
        r.EndFrame(summaryList);

        var clusters = new List<ClusterDescriptor>(clusterCount);
        EnvelopeReader.Frame clusterList = r.BeginList("page locations", out int locatedClusters, 8);
        if (locatedClusters != clusterCount)
        {
            throw r.Error($"the page locations list {locatedClusters} clusters, the summaries {clusterCount}");
        }
        for (int c = 0; c < clusterCount; c++)
        {
            r.Structure = $"{structure}, cluster {firstClusterId + c}";
            EnvelopeReader.Frame columnList = r.BeginList("column list", out int columnCount, 8);
            var columns = new ColumnPages[columnCount];
            for (int k = 0; k < columnCount; k++)
            {
                columns[k] = ReadColumnPages(ref r, k);
            }
            r.EndFrame(columnList);
            clusters.Add(new ClusterDescriptor(firstClusterId + c, summaries[c].First, summaries[c].Entries, columns));
        }
        r.EndFrame(clusterList);
        return clusters;
    }

    private static ColumnPages ReadColumnPages(ref EnvelopeReader r, int column)
    {
        // A page item is a 32-bit element count (its sign: a checksum follows the page) and a 12-byte locator.
        EnvelopeReader.Frame pageList = r.BeginList($"page list of column {column}", out int pageCount, 16);
        var pages = new PageDescriptor[pageCount];
        for (int p = 0; p < pageCount; p++)
        {
            int elements = r.ReadInt32("page element count");
            bool checksum = elements < 0;
            if (elements == int.MinValue)
            {
                throw r.Error($"page {p} of column {column} has an invalid element count");
            }
            pages[p] = new PageDescriptor(Math.Abs(elements), Envelope.ReadLocator(ref r, $"page {p} of column {column}"), checksum);
        }
        long elementOffset = r.ReadInt64("element offset");
        bool suppressed = elementOffset < 0;
        int compression = suppressed ? 0 : (int)r.ReadUInt32("compression settings");
        r.EndFrame(pageList);
        if (suppressed && pageCount > 0)
        {
            throw r.Error($"suppressed column {column} has {pageCount} pages");
        }
        return new ColumnPages(pages, suppressed ? 0 : elementOffset, compression, suppressed);
    }
}
