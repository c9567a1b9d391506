using EnergyRegression.Root.IO;
using EnergyRegression.Root.Streamers;

namespace EnergyRegression.Root.Reading;

/// <summary>What one entry of an object branch holds.</summary>
internal enum ObjectMode
{
    /// <summary>One value of the reader's type (a whole object, container or member).</summary>
    Whole,

    /// <summary>A member of each of the entry's n objects of a split collection (fType 31/41), n from the collection's branch.</summary>
    CollectionMember,
}

/// <summary>
/// How a branch decoded by the streamer-driven reader (<see cref="ValueReader"/>) is laid out: the reader, the
/// form of one entry and the columns it flattens into. Entries are found by the basket's entry offsets, or —
/// baskets written with fEntryOffsetLen = 0 — read one after the other from the start of the basket.
/// </summary>
internal sealed class ObjectLayout
{
    public ObjectLayout(ValueReader reader, ObjectMode mode)
    {
        Reader = reader;
        Mode = mode;
        Form = mode == ObjectMode.CollectionMember ? new ListForm(reader.Form) : reader.Form;
        Columns = Form.Columns();
    }

    public ValueReader Reader { get; }

    public ObjectMode Mode { get; }

    public Form Form { get; }

    public List<ColumnSpec> Columns { get; }

    /// <summary>TLeafObject::fVirtual: each entry starts with the object's class name (a length byte n, then n + 1 bytes).</summary>
    public bool ClassNamePrefix { get; init; }

    /// <summary>
    /// For a pointer-array member of a split collection (<c>float* x; //[n]</c> in each object): the slot its per-object
    /// counter values go to, read from the counter member's own branch (fBranchCount2); −1 otherwise.
    /// </summary>
    public int CounterSlot { get; init; } = -1;

    /// <summary>The counter member's name (for <see cref="CounterSlot"/>).</summary>
    public string? CounterName { get; init; }

    /// <summary>
    /// Decodes entries [<paramref name="start"/>, <paramref name="stop"/>) into the columns of <see cref="Form"/>.
    /// <paramref name="count"/>: the collection's branch (collection members); <paramref name="count2"/>: the counter
    /// member's branch (pointer-array members).
    /// </summary>
    public List<ColumnData> Decode(string file, string branch, BasketData[] baskets, long start, long stop, RootBranch? count, RootBranch? count2)
    {
        Builder root = Form.CreateBuilder();
        Builder? skipped = null;
        var state = new ReadState();
        long[]? counts = null;
        long[]? inner = null;
        long[]? innerOffsets = null;
        long countsFrom = baskets.Length > 0 ? baskets[0].FirstEntry : start;
        if (Mode == ObjectMode.CollectionMember && baskets.Length > 0)
        {
            long countsTo = baskets[^1].FirstEntry + baskets[^1].Entries;
            counts = Integers(count!.ReadCounts(countsFrom, countsTo).Values);
            if (CounterSlot >= 0)
            {
                RootArray c2 = count2!.ReadCounts(countsFrom, countsTo);
                inner = Integers(c2.Values);
                innerOffsets = c2.Offsets ?? throw new RootFormatException(file, $"branch {branch}", -1, $"the counter branch {count2.Name} of member {CounterName} is not per object");
            }
        }
        foreach (BasketData b in baskets)
        {
            long from = Math.Max(start, b.FirstEntry);
            long to = Math.Min(stop, b.FirstEntry + b.Entries);
            var r = new BigEndianReader(b.Data, file, $"TBasket of branch {branch}", b.FileOffset, b.KeyLength, decompressed: true);
            bool indexed = b.Offsets is not null;
            for (long e = indexed ? from : b.FirstEntry; e < to; e++)
            {
                int k = (int)(e - b.FirstEntry);
                if (indexed)
                {
                    r.Seek(b.Offsets![k]);
                    state.EntryEnd = b.Offsets[k + 1];
                }
                try
                {
                    ReadEntry(ref r, e < from ? skipped ??= Form.CreateBuilder() : root, e, state, counts, countsFrom, inner, innerOffsets);
                }
                catch (RootFormatException ex)
                {
                    throw new RootFormatException(file, $"entry {e} of branch {branch}", ex.Offset, ex.Detail, ex);
                }
                if (indexed && r.Position != b.Offsets![k + 1])
                {
                    throw new RootFormatException(file, $"entry {e} of branch {branch}", b.FileOffset,
                        $"the entry holds {b.Offsets[k + 1] - b.Offsets[k]} bytes, but reading it by the streamer info took {r.Position - b.Offsets[k]}");
                }
            }
            if (!indexed && to == b.FirstEntry + b.Entries && r.Position != b.Length)
            {
                throw new RootFormatException(file, $"TBasket of branch {branch}", b.FileOffset,
                    $"the basket's {b.Entries} entries, read one after the other, end at byte {r.Position} of its {b.Length}");
            }
        }
        return root.Columns(Form);
    }

    private void ReadEntry(ref BigEndianReader r, Builder target, long entry, ReadState state, long[]? counts, long countsFrom, long[]? inner, long[]? innerOffsets)
    {
        if (ClassNamePrefix)
        {
            int n = r.ReadByte();
            r.Skip(n + 1);
        }
        if (Mode == ObjectMode.Whole)
        {
            Reader.Read(ref r, target, state);
            return;
        }
        long i = entry - countsFrom;
        int objects = r.CheckCount(counts![i], 1, "objects in the collection");
        if (CounterSlot >= 0)
        {
            List<long> slot = state.Slot(CounterSlot);
            slot.Clear();
            long first = innerOffsets![i];
            long last = innerOffsets[i + 1];
            if (last - first != objects)
            {
                throw r.Error($"the counter member {CounterName} has {last - first} values for {objects} objects");
            }
            for (long j = first; j < last; j++)
            {
                slot.Add(inner![j]);
            }
        }
        var list = (ListBuilder)target;
        if (objects == 0 && Reader.SharesHeader && (state.EntryEnd >= 0 ? r.Position < state.EntryEnd : LooksLikeHeader(ref r)))
        {
            // An STL or string member of no objects still holds its byte count + version header.
            r.ReadVersion(out int end);
            r.SkipTo(end);
        }
        Reader.ReadMany(ref r, list.Content, objects, state);
        list.Close(objects);
    }

    private static bool LooksLikeHeader(ref BigEndianReader r) =>
        r.Remaining >= 6 && (r.PeekInt32() & 0x40000000) != 0 && (r.PeekInt32() & ~0x40000000) <= r.Remaining - 4;

    private static long[] Integers(Array values)
    {
        long[] result = new long[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = Convert.ToInt64(values.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
        }
        return result;
    }
}
