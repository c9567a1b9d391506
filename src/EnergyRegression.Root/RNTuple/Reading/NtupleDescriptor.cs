using EnergyRegression.Root.RNTuple.Format;

namespace EnergyRegression.Root.RNTuple.Reading;

/// <summary>
/// Everything the anchor, header and footer say about an RNTuple — fields and columns (the header's, then the
/// schema extension's), cluster groups — and the clusters, whose page lists are read per cluster group on first
/// use (a reader of the first entries never reads the page lists of the others).
/// </summary>
internal sealed class NtupleDescriptor
{
    private readonly NtupleStorage _storage;
    private readonly List<ClusterDescriptor>?[] _groups;
    private readonly int[] _firstClusterOfGroup;

    private NtupleDescriptor(NtupleStorage storage, string structure, Anchor anchor, HeaderEnvelope header, FooterEnvelope footer)
    {
        _storage = storage;
        Structure = structure;
        Anchor = anchor;
        Header = header;
        Footer = footer;
        Fields = [.. header.Schema.Fields, .. footer.Extension.Fields];
        PhysicalColumns = [.. header.Schema.Columns, .. footer.Extension.Columns];
        Validate();
        var columnsOfField = new List<ColumnDescriptor>[Fields.Count];
        for (int f = 0; f < Fields.Count; f++)
        {
            columnsOfField[f] = [];
        }
        foreach (ColumnDescriptor c in PhysicalColumns)
        {
            columnsOfField[c.FieldId].Add(c);
        }
        foreach (ColumnDescriptor alias in header.Schema.Aliases.Concat(footer.Extension.Aliases))
        {
            ColumnDescriptor physical = PhysicalColumns[alias.PhysicalId];
            columnsOfField[alias.FieldId].Add(physical with { FieldId = alias.FieldId, IsAlias = true, InExtension = alias.InExtension });
        }
        ColumnsOfField = columnsOfField;
        _groups = new List<ClusterDescriptor>?[footer.ClusterGroups.Count];
        _firstClusterOfGroup = new int[footer.ClusterGroups.Count + 1];
        for (int g = 0; g < footer.ClusterGroups.Count; g++)
        {
            _firstClusterOfGroup[g + 1] = checked(_firstClusterOfGroup[g] + footer.ClusterGroups[g].ClusterCount);
        }
        Entries = footer.ClusterGroups.Count == 0 ? 0 : footer.ClusterGroups.Max(g => g.MinEntry + g.EntrySpan);
    }

    public string File => _storage.File;

    /// <summary>"RNTuple 'name'", the prefix of every structure named in errors.</summary>
    public string Structure { get; }

    public Anchor Anchor { get; }

    public HeaderEnvelope Header { get; }

    public FooterEnvelope Footer { get; }

    public NtupleStorage Storage => _storage;

    /// <summary>All fields by ID: the header's, then the schema extension's.</summary>
    public IReadOnlyList<FieldDescriptor> Fields { get; }

    /// <summary>All physical columns by ID.</summary>
    public IReadOnlyList<ColumnDescriptor> PhysicalColumns { get; }

    /// <summary>The columns of each field (by field ID), physical and alias, in the order they were declared.</summary>
    public IReadOnlyList<List<ColumnDescriptor>> ColumnsOfField { get; }

    /// <summary>Number of entries: the end of the last cluster group.</summary>
    public long Entries { get; }

    public int ClusterCount => _firstClusterOfGroup[^1];

    /// <summary>Reads the anchor's header and footer envelopes.</summary>
    public static NtupleDescriptor Load(NtupleStorage storage, Anchor anchor, string name)
    {
        string structure = $"RNTuple '{name}'";
        byte[] headerBytes = storage.ReadEnvelope(new EnvelopeLink(anchor.LenHeader, new Locator(anchor.SeekHeader, anchor.NbytesHeader)), structure + " header envelope");
        var header = HeaderEnvelope.Read(headerBytes, storage.File, structure + " header envelope", anchor.SeekHeader);
        byte[] footerBytes = storage.ReadEnvelope(new EnvelopeLink(anchor.LenFooter, new Locator(anchor.SeekFooter, anchor.NbytesFooter)), structure + " footer envelope");
        var footer = FooterEnvelope.Read(footerBytes, header, storage.File, structure + " footer envelope", anchor.SeekFooter);
        return new NtupleDescriptor(storage, structure, anchor, header, footer);
    }

    private void Validate()
    {
        string where = Structure + " schema";
        for (int f = 0; f < Fields.Count; f++)
        {
            FieldDescriptor field = Fields[f];
            if (field.ParentId > f)
            {
                throw new RootFormatException(File, where, -1, $"field {f} '{field.Name}' names parent {field.ParentId}, which is not a field before it");
            }
            if (field.SourceFieldId is { } source && (source >= Fields.Count || source == f))
            {
                throw new RootFormatException(File, where, -1, $"projected field {f} '{field.Name}' names source field {source}, which does not exist");
            }
        }
        foreach (ColumnDescriptor c in PhysicalColumns)
        {
            if (c.FieldId >= Fields.Count)
            {
                throw new RootFormatException(File, where, -1, $"column {c.PhysicalId} belongs to field {c.FieldId}, which does not exist");
            }
        }
        foreach (ColumnDescriptor a in Header.Schema.Aliases.Concat(Footer.Extension.Aliases))
        {
            if (a.PhysicalId >= PhysicalColumns.Count || a.FieldId >= Fields.Count)
            {
                throw new RootFormatException(File, where, -1, $"an alias column names physical column {a.PhysicalId} and field {a.FieldId}, which do not exist");
            }
        }
        var seenEnd = 0L;
        foreach (ClusterGroupDescriptor g in Footer.ClusterGroups)
        {
            if (g.MinEntry < seenEnd)
            {
                throw new RootFormatException(File, Structure + " footer envelope", Anchor.SeekFooter,
                    $"cluster group from entry {g.MinEntry} overlaps the previous one, which ends at {seenEnd}");
            }
            seenEnd = g.MinEntry + g.EntrySpan;
        }
    }

    /// <summary>The clusters of cluster group <paramref name="group"/> (its page list is read on first use).</summary>
    public List<ClusterDescriptor> ClustersOf(int group)
    {
        lock (_groups)
        {
            if (_groups[group] is { } loaded)
            {
                return loaded;
            }
        }
        ClusterGroupDescriptor g = Footer.ClusterGroups[group];
        string structure = $"{Structure} page list of cluster group {group}";
        byte[] bytes = _storage.ReadEnvelope(g.PageList, structure);
        List<ClusterDescriptor> clusters = PageListEnvelope.Read(bytes, Header.Checksum, _firstClusterOfGroup[group], File, structure, g.PageList.Locator.Offset);
        long expected = g.MinEntry;
        if (clusters.Count != g.ClusterCount)
        {
            throw new RootFormatException(File, structure, g.PageList.Locator.Offset, $"the page list has {clusters.Count} clusters, the footer says {g.ClusterCount}");
        }
        foreach (ClusterDescriptor c in clusters)
        {
            if (c.FirstEntry != expected)
            {
                throw new RootFormatException(File, structure, g.PageList.Locator.Offset,
                    $"cluster {c.Id} starts at entry {c.FirstEntry}, but the clusters before it end at {expected}");
            }
            expected += c.Entries;
        }
        if (expected != g.MinEntry + g.EntrySpan)
        {
            throw new RootFormatException(File, structure, g.PageList.Locator.Offset,
                $"the clusters cover entries {g.MinEntry} to {expected}, the footer says {g.MinEntry} to {g.MinEntry + g.EntrySpan}");
        }
        lock (_groups)
        {
            return _groups[group] ??= clusters;
        }
    }

    /// <summary>The clusters holding entries [<paramref name="start"/>, <paramref name="stop"/>), in order.</summary>
    public IEnumerable<ClusterDescriptor> ClustersIn(long start, long stop)
    {
        for (int g = 0; g < Footer.ClusterGroups.Count; g++)
        {
            ClusterGroupDescriptor group = Footer.ClusterGroups[g];
            if (group.MinEntry + group.EntrySpan <= start || group.MinEntry >= stop || group.EntrySpan == 0)
            {
                continue;
            }
            foreach (ClusterDescriptor c in ClustersOf(g))
            {
                if (c.FirstEntry + c.Entries > start && c.FirstEntry < stop)
                {
                    yield return c;
                }
            }
        }
    }

    /// <summary>Every cluster (reads every page list).</summary>
    public IEnumerable<ClusterDescriptor> AllClusters() => Enumerable.Range(0, Footer.ClusterGroups.Count).SelectMany(ClustersOf);
}
