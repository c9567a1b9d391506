using System.Text;
using EnergyRegression.Root.RNTuple.Format;

namespace EnergyRegression.Root.RNTuple.Reading;

/// <summary>
/// Reads a field's elements within one cluster into an <see cref="NtupleArray"/> shaped like the field
/// (BinaryFormatSpecification.md, "Mapping of C++ Types to Fields and Columns"). Element numbers are cluster-local, as
/// collection offsets count them: a collection's index column holds, per element, the end of its items in the child
/// field's numbering; a fixed-size array's child has N elements per element; a record's members and a wrapper's value
/// share the parent's numbering; a variant's Switch column gives the alternative and the item in its numbering.
/// In each cluster a field reads the one column representation that is not suppressed there.
/// </summary>
internal sealed class FieldReader(NtupleDescriptor ntuple, Func<ColumnDescriptor, ColumnReader> columnReader, string context)
{
    public NtupleArray Read(RootNtupleField field, ClusterDescriptor cluster, long first, long count)
    {
        switch (field.Kind)
        {
            case RootNtupleFieldKind.Value:
            {
                ColumnDescriptor column = Active(field, cluster)[0];
                Array raw = Column(column, cluster, first, count);
                return new NtupleLeafArray(LeafConvert.To(raw, field.ValueType!, ntuple.File, () => Where(field, cluster, column)));
            }
            case RootNtupleFieldKind.String:
            {
                ColumnDescriptor[] columns = Active(field, cluster);
                (long[] offsets, long from, long to) = Offsets(field, columns[0], cluster, first, count);
                var chars = (sbyte[])Column(columns[1], cluster, from, to - from);
                ReadOnlySpan<byte> bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(chars.AsSpan());
                var strings = new string[count];
                for (int i = 0; i < count; i++)
                {
                    strings[i] = Encoding.UTF8.GetString(bytes[(int)offsets[i]..(int)offsets[i + 1]]);
                }
                return new NtupleStringArray(strings);
            }
            case RootNtupleFieldKind.Collection:
            {
                (long[] offsets, long from, long to) = Offsets(field, Active(field, cluster)[0], cluster, first, count);
                return new NtupleListArray(offsets, Read(field.Children[0], cluster, from, to - from));
            }
            case RootNtupleFieldKind.Cardinality:
            {
                (long[] offsets, _, _) = Offsets(field, Active(field, cluster)[0], cluster, first, count);
                Array sizes = field.ValueType == typeof(ulong) ? new ulong[count] : new uint[count];
                for (int i = 0; i < count; i++)
                {
                    long size = offsets[i + 1] - offsets[i];
                    if (field.ValueType == typeof(ulong))
                    {
                        ((ulong[])sizes)[i] = (ulong)size;
                    }
                    else
                    {
                        ((uint[])sizes)[i] = size <= uint.MaxValue ? (uint)size : throw Error(field, cluster, $"collection size {size} does not fit std::uint32_t");
                    }
                }
                return new NtupleLeafArray(sizes);
            }
            case RootNtupleFieldKind.FixedArray:
                return new NtupleFixedArray(field.ArraySize, Read(field.Children[0], cluster, checked(first * field.ArraySize), checked(count * field.ArraySize)), count);
            case RootNtupleFieldKind.Bitset:
            {
                Array bits = Column(Active(field, cluster)[0], cluster, checked(first * field.ArraySize), checked(count * field.ArraySize));
                return new NtupleFixedArray(field.ArraySize, new NtupleLeafArray(bits), count);
            }
            case RootNtupleFieldKind.Record:
                return new NtupleRecordArray([.. field.Children.Select(c => c.Name)], [.. field.Children.Select(c => Read(c, cluster, first, count))], count);
            case RootNtupleFieldKind.Wrapper:
                return Read(field.Children[0], cluster, first, count);
            case RootNtupleFieldKind.Variant:
                return ReadVariant(field, cluster, first, count);
            default:
                throw new NotSupportedException(field.UnsupportedReason ?? $"not supported: field {field.Path}");
        }
    }

    /// <summary>
    /// Elements [first, first + count) of <paramref name="collection"/> as lists of <paramref name="member"/>, a field
    /// below the collection through records only: the member's elements are the collection's items.
    /// </summary>
    public NtupleListArray ReadBelow(RootNtupleField collection, RootNtupleField member, ClusterDescriptor cluster, long first, long count)
    {
        (long[] offsets, long from, long to) = Offsets(collection, Active(collection, cluster)[0], cluster, first, count);
        return new NtupleListArray(offsets, Read(member, cluster, from, to - from));
    }

    /// <summary>Elements [first, first + count) of <paramref name="collection"/> as lists of nothing: their sizes only.</summary>
    public NtupleListArray SizesOnly(RootNtupleField collection, ClusterDescriptor cluster, long first, long count) =>
        new(Offsets(collection, Active(collection, cluster)[0], cluster, first, count).Offsets, new NtupleLeafArray(Array.Empty<bool>()));

    /// <summary>An array of no elements shaped like <paramref name="field"/> (a read of an empty range).</summary>
    public NtupleArray Empty(RootNtupleField field) => field.Kind switch
    {
        RootNtupleFieldKind.Value or RootNtupleFieldKind.Cardinality => new NtupleLeafArray(Array.CreateInstance(field.ValueType!, 0)),
        RootNtupleFieldKind.String => new NtupleStringArray([]),
        RootNtupleFieldKind.Collection => new NtupleListArray([0], Empty(field.Children[0])),
        RootNtupleFieldKind.FixedArray => new NtupleFixedArray(field.ArraySize, Empty(field.Children[0]), 0),
        RootNtupleFieldKind.Bitset => new NtupleFixedArray(field.ArraySize, new NtupleLeafArray(Array.Empty<bool>()), 0),
        RootNtupleFieldKind.Record => new NtupleRecordArray([.. field.Children.Select(c => c.Name)], [.. field.Children.Select(Empty)], 0),
        RootNtupleFieldKind.Wrapper => Empty(field.Children[0]),
        RootNtupleFieldKind.Variant => new NtupleVariantArray([], [], [.. field.Children.Select(Empty)]),
        _ => throw new NotSupportedException(field.UnsupportedReason ?? $"not supported: field {field.Path}"),
    };

    private NtupleVariantArray ReadVariant(RootNtupleField field, ClusterDescriptor cluster, long first, long count)
    {
        var switches = (SwitchElement[])Column(Active(field, cluster)[0], cluster, first, count);
        int alternatives = field.Children.Count;
        byte[] tags = new byte[count];
        long[] index = new long[count];
        long[] low = [.. Enumerable.Repeat(long.MaxValue, alternatives)];
        long[] high = new long[alternatives];
        for (int i = 0; i < count; i++)
        {
            SwitchElement s = switches[i];
            if (s.Tag < 0 || s.Tag > alternatives || s.Index < 0)
            {
                throw Error(field, cluster, $"element {first + i} holds alternative tag {s.Tag} (valid: 0 to {alternatives}) at index {s.Index}");
            }
            tags[i] = (byte)s.Tag;
            if (s.Tag > 0)
            {
                low[s.Tag - 1] = Math.Min(low[s.Tag - 1], s.Index);
                high[s.Tag - 1] = Math.Max(high[s.Tag - 1], s.Index + 1);
            }
        }
        var values = new NtupleArray[alternatives];
        for (int k = 0; k < alternatives; k++)
        {
            long from = low[k] == long.MaxValue ? 0 : low[k];
            long to = low[k] == long.MaxValue ? 0 : high[k];
            values[k] = Read(field.Children[k], cluster, from, to - from);
        }
        for (int i = 0; i < count; i++)
        {
            index[i] = tags[i] == 0 ? 0 : switches[i].Index - low[tags[i] - 1];
        }
        return new NtupleVariantArray(tags, index, values);
    }

    /// <summary>
    /// The offsets of elements [first, first + count) of a collection (or string) from its index column: count + 1
    /// values from 0, and the child elements they span (an element's items end at its index value and begin where the
    /// previous element's end, or at 0 for a cluster's first element).
    /// </summary>
    private (long[] Offsets, long From, long To) Offsets(RootNtupleField field, ColumnDescriptor column, ClusterDescriptor cluster, long first, long count)
    {
        long readFrom = first > 0 ? first - 1 : 0;
        var ends = (long[])Column(column, cluster, readFrom, first + count - readFrom);
        long from = first > 0 ? ends[0] : 0;
        int skip = first > 0 ? 1 : 0;
        var offsets = new long[count + 1];
        long previous = from;
        for (int i = 0; i < count; i++)
        {
            long end = ends[i + skip];
            if (end < previous)
            {
                throw Error(field, cluster, $"collection offsets decrease at element {first + i} ({previous} then {end})");
            }
            offsets[i + 1] = end - from;
            previous = end;
        }
        if (from < 0)
        {
            throw Error(field, cluster, $"collection offset {from} is out of range");
        }
        return (offsets, from, previous);
    }

    private Array Column(ColumnDescriptor column, ClusterDescriptor cluster, long first, long count) =>
        columnReader(column).Read(cluster, first, count, context);

    /// <summary>The columns of the representation that is active (not suppressed) in <paramref name="cluster"/>.</summary>
    private ColumnDescriptor[] Active(RootNtupleField field, ClusterDescriptor cluster)
    {
        foreach (ColumnDescriptor[] representation in field.Representations)
        {
            if (!cluster.PagesOf(representation[0].PhysicalId).Suppressed)
            {
                return representation;
            }
        }
        // A column added while writing is listed only from its first cluster on; before, it reads as zeros.
        ColumnDescriptor[] first = field.Representations[0];
        if (first[0].FirstElement > 0 || ReferenceEquals(cluster.PagesOf(first[0].PhysicalId), ColumnPages.Absent))
        {
            return first;
        }
        throw Error(field, cluster, "every column representation of the field is suppressed in this cluster");
    }

    private RootFormatException Error(RootNtupleField field, ClusterDescriptor cluster, string message) =>
        new(ntuple.File, $"{ntuple.Structure} {context}, field {field.Path}, cluster {cluster.Id}", -1, message);

    private string Where(RootNtupleField field, ClusterDescriptor cluster, ColumnDescriptor column) =>
        $"{ntuple.Structure} {context}, field {field.Path}, column {column.PhysicalId}, cluster {cluster.Id}";
}
