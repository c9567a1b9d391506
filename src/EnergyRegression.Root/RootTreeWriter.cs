using System.Runtime.InteropServices;
using EnergyRegression.Root.Writing;

namespace EnergyRegression.Root;

/// <summary>
/// A TTree being written: define branches, then <see cref="Append"/> entries column by column. When a branch's
/// pending data reaches <see cref="RootWriteOptions.BasketSize"/>, every branch closes its basket at the same
/// entry (a cluster), so readers can read clusters independently.
/// </summary>
public sealed class RootTreeWriter
{
    private readonly RootFileWriter _file;
    private readonly List<BranchWriter> _branches = [];
    private readonly Dictionary<string, BranchWriter> _byName = new(StringComparer.Ordinal);
    private readonly List<long> _clusterStarts = [];

    internal RootTreeWriter(RootFileWriter file, string name, string title)
    {
        _file = file;
        Name = name;
        Title = title;
    }

    /// <summary>The tree's name.</summary>
    public string Name { get; }

    /// <summary>The tree's title.</summary>
    public string Title { get; }

    /// <summary>Entries appended so far.</summary>
    public long Entries { get; private set; }

    /// <summary>
    /// Adds a branch with one value per entry, or a fixed-size array per entry when <paramref name="shape"/> is
    /// given (a 28×28 window: <c>AddBranch("window", typeof(float), 28, 28)</c> → leaf <c>window[28][28]/F</c>).
    /// Types: bool, sbyte, byte, short, ushort, int, uint, long, ulong, float, double.
    /// </summary>
    public void AddBranch(string name, Type elementType, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Any(d => d <= 0))
        {
            throw new ArgumentException($"branch {name}: array dimensions must be positive", nameof(shape));
        }
        Add(new BranchWriter(name, LeafType.Of(elementType, name), shape, counter: null));
    }

    /// <summary>
    /// Adds a C-style variable-length array sized by an int32 counter branch, NanoAOD style
    /// (<c>Electron_pt[nElectron]/F</c>), optionally with fixed inner dimensions. The counter branch is created
    /// when it does not exist yet; its values are the per-entry counts given to <see cref="Append"/>.
    /// </summary>
    public void AddJaggedBranch(string name, Type elementType, string counter, params int[] innerShape)
    {
        ArgumentException.ThrowIfNullOrEmpty(counter);
        ArgumentNullException.ThrowIfNull(innerShape);
        if (!_byName.TryGetValue(counter, out BranchWriter? count))
        {
            AddBranch(counter, typeof(int));
            count = _byName[counter];
        }
        if (count.Counter is not null || count.Shape.Length > 0 || count.Leaf.ClrType != typeof(int))
        {
            throw new ArgumentException($"branch {name}: counter {counter} must be a scalar int32 branch", nameof(counter));
        }
        if (innerShape.Any(d => d <= 0))
        {
            throw new ArgumentException($"branch {name}: array dimensions must be positive", nameof(innerShape));
        }
        count.IsCounter = true;
        Add(new BranchWriter(name, LeafType.Of(elementType, name), innerShape, count));
    }

    private void Add(BranchWriter branch)
    {
        if (Entries > 0)
        {
            throw new InvalidOperationException($"tree {Name}: branches must be added before the first entries");
        }
        if (string.IsNullOrEmpty(branch.Name) || branch.Name.IndexOfAny(['[', ']', '/', ':']) >= 0)
        {
            throw new ArgumentException($"'{branch.Name}' is not a valid branch name (no '[', ']', '/', ':')");
        }
        if (!_byName.TryAdd(branch.Name, branch))
        {
            throw new ArgumentException($"tree {Name} already has a branch '{branch.Name}'");
        }
        _branches.Add(branch);
    }

    /// <summary>
    /// Appends <paramref name="entries"/> entries. <paramref name="columns"/> holds one array per branch, of the
    /// branch's element type: <c>entries</c> values for scalars, <c>entries × product(shape)</c> for fixed arrays,
    /// the per-entry counts (int[]) for a counter, all the entries' items flat (<c>sum(counts) × product(inner)</c>)
    /// for a jagged branch.
    /// </summary>
    public void Append(int entries, IReadOnlyDictionary<string, Array> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentOutOfRangeException.ThrowIfNegative(entries);
        if (_branches.Count == 0)
        {
            throw new InvalidOperationException($"tree {Name} has no branches");
        }
        foreach (string extra in columns.Keys.Where(k => !_byName.ContainsKey(k)))
        {
            throw new ArgumentException($"tree {Name} has no branch '{extra}'");
        }
        var chunk = new Dictionary<BranchWriter, Array>(ReferenceEqualityComparer.Instance);
        foreach (BranchWriter b in _branches)
        {
            if (!columns.TryGetValue(b.Name, out Array? values))
            {
                throw new ArgumentException($"no values for branch '{b.Name}' of tree {Name}");
            }
            if (values.GetType().GetElementType() != b.Leaf.ClrType)
            {
                throw new ArgumentException($"branch {b.Name} holds {b.Leaf.ClrType.Name}, the values are {values.GetType().Name}");
            }
            chunk[b] = values;
        }
        // Items per entry, from the counters (validated: non-negative, and the jagged columns' lengths match).
        var itemOffsets = new Dictionary<BranchWriter, long[]>(ReferenceEqualityComparer.Instance);
        foreach (BranchWriter b in _branches)
        {
            long expected;
            if (b.Counter is { } counter)
            {
                if (!itemOffsets.TryGetValue(counter, out long[]? offsets))
                {
                    int[] counts = (int[])chunk[counter];
                    offsets = new long[entries + 1];
                    for (int e = 0; e < entries; e++)
                    {
                        if (counts[e] < 0)
                        {
                            throw new ArgumentException($"counter {counter.Name}: negative count {counts[e]} at entry {Entries + e}");
                        }
                        offsets[e + 1] = offsets[e] + counts[e];
                    }
                    itemOffsets[counter] = offsets;
                }
                expected = offsets[entries] * b.ValuesPerItem;
            }
            else
            {
                expected = (long)entries * b.ValuesPerItem;
            }
            if (chunk[b].LongLength != expected)
            {
                throw new ArgumentException($"branch {b.Name}: {chunk[b].LongLength} values given, {entries} entries need {expected}");
            }
        }

        int done = 0;
        while (done < entries)
        {
            int stop = FlushPoint(done, entries, chunk, itemOffsets);
            foreach (BranchWriter b in _branches)
            {
                long[]? offsets = b.Counter is { } c ? itemOffsets[c] : null;
                b.Fill(chunk[b], done, stop, offsets);
            }
            Entries += stop - done;
            done = stop;
            if (_branches.Any(b => b.PendingBytes >= _file.Options.BasketSize))
            {
                FlushAll();
            }
        }
    }

    /// <summary>The entry (exclusive) after which the first branch reaches the basket size, or <paramref name="entries"/>.</summary>
    private int FlushPoint(int from, int entries, Dictionary<BranchWriter, Array> chunk, Dictionary<BranchWriter, long[]> itemOffsets)
    {
        int stop = entries;
        long limit = _file.Options.BasketSize;
        foreach (BranchWriter b in _branches)
        {
            long room = limit - b.PendingBytes;
            if (b.Counter is { } c)
            {
                long[] offsets = itemOffsets[c];
                long bytesPerItem = b.ValuesPerItem * (long)b.Leaf.Size;
                // First entry e with (offsets[e + 1] − offsets[from]) × bytesPerItem ≥ room.
                int lo = from;
                int hi = stop;
                while (lo < hi)
                {
                    int mid = lo + (hi - lo) / 2;
                    if ((offsets[mid + 1] - offsets[from]) * bytesPerItem >= room)
                    {
                        hi = mid;
                    }
                    else
                    {
                        lo = mid + 1;
                    }
                }
                stop = Math.Min(stop, Math.Min(entries, lo + 1));
            }
            else
            {
                long perEntry = b.EntryBytes;
                long n = Math.Max(1, (room + perEntry - 1) / perEntry);
                stop = (int)Math.Min(stop, from + n);
            }
        }
        return Math.Max(stop, from + 1);
    }

    /// <summary>Closes every branch's basket at the current entry (a cluster boundary).</summary>
    internal void FlushAll()
    {
        if (_branches.Count == 0 || _branches[0].PendingEntries == 0)
        {
            return;
        }
        _clusterStarts.Add(Entries - _branches[0].PendingEntries);
        foreach (BranchWriter b in _branches)
        {
            b.Flush(_file, Name);
        }
    }

    /// <summary>The TTree object (v20; member order per the TTree streamer info in <see cref="StreamerCatalog"/>).</summary>
    internal void Serialize(ObjectWriter w)
    {
        BigEndianWriter b = w.Buffer;
        w.WriteVersioned(20, () =>
        {
            w.WriteTNamed(Name, Title);
            w.WriteVersioned(2, () => { b.WriteInt16(602); b.WriteInt16(1); b.WriteInt16(1); });   // TAttLine
            w.WriteVersioned(2, () => { b.WriteInt16(0); b.WriteInt16(1001); });                   // TAttFill
            w.WriteVersioned(2, () => { b.WriteInt16(1); b.WriteInt16(1); b.WriteFloat(1); });      // TAttMarker
            b.WriteInt64(Entries);
            b.WriteInt64(_branches.Sum(x => x.TotBytes));
            b.WriteInt64(_branches.Sum(x => x.ZipBytes));
            b.WriteInt64(0);                    // fSavedBytes
            b.WriteInt64(_branches.Sum(x => x.ZipBytes)); // fFlushedBytes
            b.WriteDouble(1);                   // fWeight
            b.WriteInt32(0);                    // fTimerInterval
            b.WriteInt32(25);                   // fScanField
            b.WriteInt32(0);                    // fUpdate
            b.WriteInt32(1000);                 // fDefaultEntryOffsetLen
            b.WriteInt32(0);                    // fNClusterRange
            b.WriteInt64(1_000_000_000_000);    // fMaxEntries
            b.WriteInt64(1_000_000_000_000);    // fMaxEntryLoop
            b.WriteInt64(0);                    // fMaxVirtualSize
            b.WriteInt64(-300_000_000);         // fAutoSave
            b.WriteInt64(_clusterStarts.Count > 1 ? _clusterStarts[1] : -_file.Options.BasketSize); // fAutoFlush: entries of the first cluster
            b.WriteInt64(1_000_000);            // fEstimate
            b.WriteByte(0);                     // fClusterRangeEnd: no array
            b.WriteByte(0);                     // fClusterSize: no array
            w.WriteVersioned(1, () => b.WriteByte(0)); // fIOFeatures
            w.WriteObjArray(_branches, (x, branch) => branch.Serialize(x));
            w.WriteObjArray(_branches, (x, branch) => branch.SerializeLeafPointer(x));
            b.WriteUInt32(0);                   // fAliases
            b.WriteInt32(0);                    // fIndexValues (TArrayD: size 0)
            b.WriteInt32(0);                    // fIndex (TArrayI: size 0)
            b.WriteUInt32(0);                   // fTreeIndex
            b.WriteUInt32(0);                   // fFriends
            b.WriteUInt32(0);                   // fUserInfo
            b.WriteUInt32(0);                   // fBranchRef
        });
    }
}

/// <summary>The leaf class and type code of a numeric element type.</summary>
internal sealed record LeafType(Type ClrType, string LeafClass, char Code, int Size, bool IsUnsigned)
{
    public static LeafType Of(Type t, string branch) => t switch
    {
        _ when t == typeof(bool) => new(t, "TLeafO", 'O', 1, false),
        _ when t == typeof(sbyte) => new(t, "TLeafB", 'B', 1, false),
        _ when t == typeof(byte) => new(t, "TLeafB", 'b', 1, true),
        _ when t == typeof(short) => new(t, "TLeafS", 'S', 2, false),
        _ when t == typeof(ushort) => new(t, "TLeafS", 's', 2, true),
        _ when t == typeof(int) => new(t, "TLeafI", 'I', 4, false),
        _ when t == typeof(uint) => new(t, "TLeafI", 'i', 4, true),
        _ when t == typeof(long) => new(t, "TLeafL", 'L', 8, false),
        _ when t == typeof(ulong) => new(t, "TLeafL", 'l', 8, true),
        _ when t == typeof(float) => new(t, "TLeafF", 'F', 4, false),
        _ when t == typeof(double) => new(t, "TLeafD", 'D', 8, false),
        _ => throw new ArgumentException($"branch {branch}: type {t.Name} cannot be written (numbers and bool only)"),
    };
}

/// <summary>One branch being written: its pending basket and the bookkeeping of the baskets written.</summary>
internal sealed class BranchWriter(string name, LeafType leaf, int[] shape, BranchWriter? counter)
{
    private readonly BigEndianWriter _data = new(1024);
    private readonly List<int> _entryOffsets = [];
    private readonly List<int> _basketBytes = [];
    private readonly List<long> _basketEntry = [];
    private readonly List<long> _basketSeek = [];
    private long _entries;
    private long _maxCount;

    public string Name { get; } = name;
    public LeafType Leaf { get; } = leaf;
    public int[] Shape { get; } = shape;
    public BranchWriter? Counter { get; } = counter;
    public bool IsCounter { get; set; }

    public int ValuesPerItem => Shape.Aggregate(1, (a, d) => checked(a * d));
    public int EntryBytes => ValuesPerItem * Leaf.Size;
    public bool HasEntryOffsets => Counter is not null;
    public long PendingBytes => _data.Position;
    public int PendingEntries { get; private set; }
    public long TotBytes { get; private set; }
    public long ZipBytes { get; private set; }

    private string Dimensions => (Counter is null ? "" : $"[{Counter.Name}]") + string.Concat(Shape.Select(d => $"[{d}]"));

    /// <summary>Appends entries [from, to) of a chunk (values in native order) as big-endian bytes.</summary>
    public void Fill(Array values, int from, int to, long[]? itemOffsets)
    {
        long first = itemOffsets is null ? (long)from * ValuesPerItem : itemOffsets[from] * ValuesPerItem;
        long last = itemOffsets is null ? (long)to * ValuesPerItem : itemOffsets[to] * ValuesPerItem;
        if (itemOffsets is not null)
        {
            for (int e = from; e < to; e++)
            {
                _entryOffsets.Add(_data.Position + (int)((itemOffsets[e] - itemOffsets[from]) * ValuesPerItem * Leaf.Size));
            }
        }
        if (IsCounter)
        {
            foreach (int c in ((int[])values).AsSpan(from, to - from))
            {
                _maxCount = Math.Max(_maxCount, c);
            }
        }
        int count = checked((int)(last - first));
        Span<byte> target = _data.Reserve(checked(count * Leaf.Size));
        CopyBigEndian(values, (int)first, count, target);
        PendingEntries += to - from;
    }

    private static void CopyBigEndian(Array values, int first, int count, Span<byte> target)
    {
        switch (values)
        {
            case bool[] a:
                for (int i = 0; i < count; i++)
                {
                    target[i] = a[first + i] ? (byte)1 : (byte)0;
                }
                break;
            case sbyte[] a: MemoryMarshal.AsBytes(a.AsSpan(first, count)).CopyTo(target); break;
            case byte[] a: a.AsSpan(first, count).CopyTo(target); break;
            case short[] a: Swap(MemoryMarshal.AsBytes(a.AsSpan(first, count)), target, 2); break;
            case ushort[] a: Swap(MemoryMarshal.AsBytes(a.AsSpan(first, count)), target, 2); break;
            case int[] a: Swap(MemoryMarshal.AsBytes(a.AsSpan(first, count)), target, 4); break;
            case uint[] a: Swap(MemoryMarshal.AsBytes(a.AsSpan(first, count)), target, 4); break;
            case float[] a: Swap(MemoryMarshal.AsBytes(a.AsSpan(first, count)), target, 4); break;
            case long[] a: Swap(MemoryMarshal.AsBytes(a.AsSpan(first, count)), target, 8); break;
            case ulong[] a: Swap(MemoryMarshal.AsBytes(a.AsSpan(first, count)), target, 8); break;
            case double[] a: Swap(MemoryMarshal.AsBytes(a.AsSpan(first, count)), target, 8); break;
            default: throw new ArgumentException($"unsupported value array {values.GetType().Name}");
        }
    }

    private static void Swap(ReadOnlySpan<byte> native, Span<byte> target, int size)
    {
        native.CopyTo(target);
        if (!BitConverter.IsLittleEndian)
        {
            return;
        }
        switch (size)
        {
            case 2: System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, short>(target[..native.Length]), MemoryMarshal.Cast<byte, short>(target[..native.Length])); break;
            case 4: System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, int>(target[..native.Length]), MemoryMarshal.Cast<byte, int>(target[..native.Length])); break;
            default: System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, long>(target[..native.Length]), MemoryMarshal.Cast<byte, long>(target[..native.Length])); break;
        }
    }

    /// <summary>
    /// Writes the pending basket as a TBasket record (per TBasket::Streamer and the corpus files): a 64-bit key
    /// (class TBasket, name = branch, title = tree, cycle 0), fVersion 3, fBufferSize, fNevBufSize, fNevBuf,
    /// fLast, flag 0; the object is the data, then for jagged branches fNevBuf + 1 as int32, the entry offsets
    /// counted from the key start and a 0.
    /// </summary>
    public void Flush(RootFileWriter file, string tree)
    {
        if (PendingEntries == 0)
        {
            return;
        }
        int keyLen = RootFileWriter.KeyLength("TBasket", Name, tree) + 2 + 4 + 4 + 4 + 4 + 1;
        int dataLength = _data.Position;
        var obj = new BigEndianWriter(dataLength + (HasEntryOffsets ? 8 + 4 * PendingEntries : 0));
        obj.WriteBytes(_data.Written);
        if (HasEntryOffsets)
        {
            obj.WriteInt32(PendingEntries + 1);
            foreach (int o in _entryOffsets)
            {
                obj.WriteInt32(keyLen + o);
            }
            obj.WriteInt32(0);
        }
        byte[]? packed = Compression.RootCompressor.Compress(obj.Written, file.Options.Compression, file.Options.Level);
        ReadOnlySpan<byte> stored = packed ?? obj.Written;
        int nbytes = checked(keyLen + stored.Length);
        var header = new BigEndianWriter(keyLen);
        long seek = file.End;
        file.WriteKeyHeader(header, nbytes, obj.Position, (short)keyLen, 0, seek, RootFileWriter.Begin, "TBasket", Name, tree);
        header.WriteInt16(3);                                       // fVersion
        header.WriteInt32(file.Options.BasketSize);                 // fBufferSize
        header.WriteInt32(HasEntryOffsets ? 1000 : EntryBytes);     // fNevBufSize: entry length, or the offset table's
        header.WriteInt32(PendingEntries);                          // fNevBuf
        header.WriteInt32(keyLen + dataLength);                     // fLast
        header.WriteByte(0);
        file.Append(header.Written);
        file.Append(stored);

        _basketBytes.Add(nbytes);
        _basketEntry.Add(_entries);
        _basketSeek.Add(seek);
        _entries += PendingEntries;
        TotBytes += keyLen + obj.Position;
        ZipBytes += nbytes;
        PendingEntries = 0;
        _entryOffsets.Clear();
        _data.Reset();
    }

    /// <summary>The TBranch object (v13; member order per its streamer info).</summary>
    public void Serialize(ObjectWriter w) => w.WritePointer(this, "TBranch", x =>
    {
        BigEndianWriter b = x.Buffer;
        x.WriteVersioned(13, () =>
        {
            x.WriteTNamed(Name, Name + Dimensions + "/" + Leaf.Code);
            x.WriteVersioned(2, () => { b.WriteInt16(0); b.WriteInt16(1001); }); // TAttFill
            b.WriteInt32(0);                                   // fCompress: the file's
            b.WriteInt32(32000);                               // fBasketSize
            b.WriteInt32(HasEntryOffsets ? 1000 : 0);          // fEntryOffsetLen
            b.WriteInt32(_basketBytes.Count);                  // fWriteBasket
            b.WriteInt64(_entries);                            // fEntryNumber
            x.WriteVersioned(1, () => b.WriteByte(0));         // fIOFeatures
            b.WriteInt32(0);                                   // fOffset
            int maxBaskets = _basketBytes.Count + 1;
            b.WriteInt32(maxBaskets);                          // fMaxBaskets
            b.WriteInt32(0);                                   // fSplitLevel
            b.WriteInt64(_entries);                            // fEntries
            b.WriteInt64(0);                                   // fFirstEntry
            b.WriteInt64(TotBytes);
            b.WriteInt64(ZipBytes);
            x.WriteObjArray(Array.Empty<object>(), (_, _) => { });        // fBranches
            x.WriteObjArray([this], (y, _) => SerializeLeaf(y));           // fLeaves
            x.WriteObjArray(Array.Empty<object>(), (_, _) => { });        // fBaskets
            b.WriteByte(1);
            for (int i = 0; i < maxBaskets; i++)
            {
                b.WriteInt32(i < _basketBytes.Count ? _basketBytes[i] : 0);
            }
            b.WriteByte(1);
            for (int i = 0; i < maxBaskets; i++)
            {
                b.WriteInt64(i < _basketEntry.Count ? _basketEntry[i] : i == _basketEntry.Count ? _entries : 0);
            }
            b.WriteByte(1);
            for (int i = 0; i < maxBaskets; i++)
            {
                b.WriteInt64(i < _basketSeek.Count ? _basketSeek[i] : 0);
            }
            b.WriteTString("");                                // fFileName
        });
    });

    /// <summary>The leaf again, as an entry of the tree's fLeaves (a reference to the object in the branch).</summary>
    public void SerializeLeafPointer(ObjectWriter w) => SerializeLeaf(w);

    /// <summary>TLeafX v1 around TLeaf v2: TNamed, fLen, fLenType, fOffset, fIsRange, fIsUnsigned, fLeafCount, then fMinimum, fMaximum.</summary>
    private void SerializeLeaf(ObjectWriter w) => w.WritePointer(Leaf, Leaf.LeafClass, x =>
    {
        BigEndianWriter b = x.Buffer;
        x.WriteVersioned(1, () =>
        {
            x.WriteVersioned(2, () =>
            {
                x.WriteTNamed(Name, Name + Dimensions);
                b.WriteInt32(ValuesPerItem);   // fLen
                b.WriteInt32(Leaf.Size);       // fLenType
                b.WriteInt32(0);               // fOffset
                b.WriteBool(IsCounter);        // fIsRange
                b.WriteBool(Leaf.IsUnsigned);
                if (Counter is null)
                {
                    b.WriteUInt32(0);
                }
                else
                {
                    Counter.SerializeLeafPointer(x);
                }
            });
            WriteMinMax(b, IsCounter ? _maxCount : 0);
        });
    });

    private void WriteMinMax(BigEndianWriter b, long max)
    {
        switch (Leaf.Size, Leaf.LeafClass)
        {
            case (_, "TLeafO"): b.WriteBool(false); b.WriteBool(max != 0); break;
            case (1, _): b.WriteByte(0); b.WriteByte((byte)max); break;
            case (2, _): b.WriteInt16(0); b.WriteInt16((short)max); break;
            case (4, "TLeafF"): b.WriteFloat(0); b.WriteFloat(max); break;
            case (4, _): b.WriteInt32(0); b.WriteInt32((int)max); break;
            case (8, "TLeafD"): b.WriteDouble(0); b.WriteDouble(max); break;
            default: b.WriteInt64(0); b.WriteInt64(max); break;
        }
    }
}
