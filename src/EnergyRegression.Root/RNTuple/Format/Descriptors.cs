namespace EnergyRegression.Root.RNTuple.Format;

/// <summary>The structural role of a field (BinaryFormatSpecification.md, "Field Description").</summary>
internal enum StructuralRole : ushort
{
    Leaf = 0,
    Collection = 1,
    Record = 2,
    Variant = 3,
    Streamer = 4,
}

/// <summary>
/// A field record frame of the header or of the schema extension ("Field Description"). The ID is implicit: the index
/// in the serialized field lists (header first, then the extension); a top-level field names itself as parent;
/// ArraySize is the repetition count of a repetitive field (flag 0x01), SourceFieldId the field a projected field
/// (flag 0x02) presents; InExtension: added after writing began (the footer's schema extension).
/// </summary>
internal sealed record FieldDescriptor(int Id, uint FieldVersion, uint TypeVersion, int ParentId, StructuralRole Role, ushort Flags,
    string Name, string TypeName, string TypeAlias, string Description, ulong ArraySize, int? SourceFieldId, uint? TypeChecksum, bool InExtension)
{
    public const ushort RepetitiveFlag = 0x01;
    public const ushort ProjectedFlag = 0x02;
    public const ushort ChecksumFlag = 0x04;

    public bool IsTopLevel => ParentId == Id;

    public bool IsRepetitive => (Flags & RepetitiveFlag) != 0;
}

/// <summary>
/// A physical column record frame ("Column Description"), or an alias column attached to a projected field. PhysicalId
/// is the column holding the data (its own ID for a physical column); FirstElement the index of the first stored element
/// (deferred columns, flag 0x01; negative: deferred and suppressed); Range the value range (flag 0x02) of Real32Quant.
/// </summary>
internal sealed record ColumnDescriptor(int PhysicalId, ColumnType Type, int BitsOnStorage, int FieldId, ushort Flags, int RepresentationIndex,
    long FirstElement, (double Min, double Max)? Range, bool IsAlias, bool InExtension)
{
    public const ushort DeferredFlag = 0x01;
    public const ushort RangeFlag = 0x02;
}

/// <summary>Where bytes are: a plain in-file locator (offset and size), or the "large" one with a 64-bit size.</summary>
internal readonly record struct Locator(long Offset, long Size);

/// <summary>An envelope link: the envelope's uncompressed length and its locator.</summary>
internal readonly record struct EnvelopeLink(long Length, Locator Locator);

/// <summary>A cluster group record frame of the footer: its entries, its clusters and its page list.</summary>
internal sealed record ClusterGroupDescriptor(long MinEntry, long EntrySpan, int ClusterCount, EnvelopeLink PageList);

/// <summary>A page of a column in a cluster: its number of elements, where it is, whether an xxhash3 follows it.</summary>
internal readonly record struct PageDescriptor(int Elements, Locator Locator, bool HasChecksum);

/// <summary>
/// The pages of one column in one cluster ("Page Locations"): FirstElement is the column's element index of the
/// cluster's first element (the element offset); CompressionSettings algorithm × 100 + level (0: uncompressed).
/// </summary>
internal sealed record ColumnPages(PageDescriptor[] Pages, long FirstElement, int CompressionSettings, bool Suppressed)
{
    public static readonly ColumnPages Absent = new([], 0, 0, Suppressed: true);

    public long Elements => Pages.Sum(p => (long)p.Elements);
}

/// <summary>A cluster: its entries and the pages of every physical column (by physical column ID).</summary>
internal sealed record ClusterDescriptor(int Id, long FirstEntry, long Entries, ColumnPages[] Columns)
{
    public ColumnPages PagesOf(int physicalColumn) => physicalColumn < Columns.Length ? Columns[physicalColumn] : ColumnPages.Absent;
}
