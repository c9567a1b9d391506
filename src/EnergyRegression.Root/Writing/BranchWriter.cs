using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using EnergyRegression.Root.Compression;
using EnergyRegression.Root.Format;
using EnergyRegression.Root.Reading;

namespace EnergyRegression.Root.Writing;

/// <summary>How a branch stores an entry.</summary>
internal enum BranchKind
{
    /// <summary>A fixed number of values (scalar or fixed array): TBranch with one TLeafX.</summary>
    Fixed,
    /// <summary>A C-style array sized by a counter branch: TBranch, TLeafX with fLeafCount, entry offsets.</summary>
    Jagged,
    /// <summary>std::vector&lt;T&gt;: TBranchElement + TLeafElement, each entry streamed object-wise.</summary>
    Vector,
    /// <summary>A string: TBranch with a TLeafC.</summary>
    String,
}

/// <summary>The leaf class, leaf-list type code and C++ names of an element type.</summary>
internal sealed record LeafType(Type ClrType, string LeafClass, char Code, int Size, bool IsUnsigned, string CppName, string RootName, int TypeCode)
{
    public static LeafType Of(Type t, string branch) => t switch
    {
        _ when t == typeof(bool) => new(t, "TLeafO", 'O', 1, false, "bool", "Bool_t", 18),
        _ when t == typeof(sbyte) => new(t, "TLeafB", 'B', 1, false, "char", "Char_t", 1),
        _ when t == typeof(byte) => new(t, "TLeafB", 'b', 1, true, "unsigned char", "UChar_t", 11),
        _ when t == typeof(short) => new(t, "TLeafS", 'S', 2, false, "short", "Short_t", 2),
        _ when t == typeof(ushort) => new(t, "TLeafS", 's', 2, true, "unsigned short", "UShort_t", 12),
        _ when t == typeof(int) => new(t, "TLeafI", 'I', 4, false, "int", "Int_t", 3),
        _ when t == typeof(uint) => new(t, "TLeafI", 'i', 4, true, "unsigned int", "UInt_t", 13),
        _ when t == typeof(long) => new(t, "TLeafL", 'L', 8, false, "Long64_t", "Long64_t", 16),
        _ when t == typeof(ulong) => new(t, "TLeafL", 'l', 8, true, "ULong64_t", "ULong64_t", 17),
        _ when t == typeof(float) => new(t, "TLeafF", 'F', 4, false, "float", "Float_t", 5),
        _ when t == typeof(double) => new(t, "TLeafD", 'D', 8, false, "double", "Double_t", 8),
        _ when t == typeof(string) => new(t, "TLeafC", 'C', 1, false, "string", "string", 65),
        _ => throw new ArgumentException($"branch {branch}: type {t.Name} cannot be written (numbers, bool and string only)"),
    };
}

/// <summary>One branch being written: its pending basket and the bookkeeping of the baskets written.</summary>
internal sealed class BranchWriter(string name, BranchKind kind, LeafType leaf, int[] shape, BranchWriter? counter, string treeName = "")
{
    private readonly string _treeName = treeName;

    /// <summary>The version ROOT writes before each object-wise streamed STL collection (TStreamerInfo's class version).</summary>
    private const short StlObjectVersion = 9;

    private readonly BigEndianWriter _data = new(1024);
    private readonly List<int> _entryOffsets = [];
    private readonly List<int> _basketBytes = [];
    private readonly List<long> _basketEntry = [];
    private readonly List<long> _basketSeek = [];
    private readonly object _leafIdentity = new();
    private long _entries;
    private long _maxCount;

    public string Name { get; } = name;
    public BranchKind Kind { get; } = kind;
    public LeafType Leaf { get; } = leaf;
    public int[] Shape { get; } = shape;
    public BranchWriter? Counter { get; } = counter;
    public bool IsCounter { get; set; }

    public int ValuesPerItem => Shape.Aggregate(1, (a, d) => checked(a * d));
    public int EntryBytes => ValuesPerItem * Leaf.Size;
    public bool HasEntryOffsets => Kind != BranchKind.Fixed;
    public long PendingBytes => _data.Position;
    public int PendingEntries { get; private set; }
    public long TotBytes { get; private set; }
    public long ZipBytes { get; private set; }

    /// <summary>The C++ class of a vector branch: "vector&lt;float&gt;".</summary>
    public string VectorClass => $"vector<{Leaf.CppName}>";

    private string Dimensions => (Counter is null ? "" : $"[{Counter.Name}]") + string.Concat(Shape.Select(d => $"[{d}]"));

    /// <summary>Stored bytes of each entry of a chunk, as prefix sums (entries + 1), for the cluster planning.</summary>
    public long[] CumulativeBytes(Array values, int entries, long[]? itemOffsets)
    {
        long[] sums = new long[entries + 1];
        for (int e = 0; e < entries; e++)
        {
            long bytes = Kind switch
            {
                BranchKind.Fixed => EntryBytes,
                BranchKind.Jagged => (itemOffsets![e + 1] - itemOffsets[e]) * EntryBytes,
                BranchKind.Vector => 10 + (itemOffsets![e + 1] - itemOffsets[e]) * Leaf.Size,
                _ => BigEndianWriter.TStringLength(((string[])values)[e]),
            };
            sums[e + 1] = sums[e] + bytes;
        }
        return sums;
    }

    /// <summary>Appends entries [from, to) of a chunk (values in native order) as big-endian bytes.</summary>
    public void Fill(Array values, int from, int to, long[]? itemOffsets)
    {
        switch (Kind)
        {
            case BranchKind.String:
                {
                    string[] texts = (string[])values;
                    for (int e = from; e < to; e++)
                    {
                        _entryOffsets.Add(_data.Position);
                        _data.WriteTString(texts[e] ?? throw new ArgumentException($"branch {Name}: null string at entry {e} of the chunk"));
                        _maxCount = Math.Max(_maxCount, Encoding.UTF8.GetByteCount(texts[e]) + 1);
                    }
                    break;
                }
            case BranchKind.Vector:
                for (int e = from; e < to; e++)
                {
                    _entryOffsets.Add(_data.Position);
                    int n = checked((int)(itemOffsets![e + 1] - itemOffsets[e]));
                    int at = _data.BeginVersioned(StlObjectVersion);
                    _data.WriteInt32(n);
                    CopyBigEndian(values, (int)itemOffsets[e], n, _data.Reserve(n * Leaf.Size));
                    _data.EndVersioned(at);
                }
                break;
            default:
                {
                    long first = itemOffsets is null ? (long)from * ValuesPerItem : itemOffsets[from] * ValuesPerItem;
                    long last = itemOffsets is null ? (long)to * ValuesPerItem : itemOffsets[to] * ValuesPerItem;
                    if (itemOffsets is not null)
                    {
                        for (int e = from; e < to; e++)
                        {
                            _entryOffsets.Add(_data.Position + (int)((itemOffsets[e] - itemOffsets[from]) * EntryBytes));
                        }
                    }
                    if (IsCounter)
                    {
                        for (int e = from; e < to; e++)
                        {
                            _maxCount = Math.Max(_maxCount, values is int[] signed ? signed[e] : ((uint[])values)[e]);
                        }
                    }
                    int count = checked((int)(last - first));
                    CopyBigEndian(values, (int)first, count, _data.Reserve(checked(count * Leaf.Size)));
                    break;
                }
        }
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
            case short[] a: BinaryPrimitives.ReverseEndianness(a.AsSpan(first, count), MemoryMarshal.Cast<byte, short>(target)); break;
            case ushort[] a: BinaryPrimitives.ReverseEndianness(a.AsSpan(first, count), MemoryMarshal.Cast<byte, ushort>(target)); break;
            case int[] a: BinaryPrimitives.ReverseEndianness(a.AsSpan(first, count), MemoryMarshal.Cast<byte, int>(target)); break;
            case uint[] a: BinaryPrimitives.ReverseEndianness(a.AsSpan(first, count), MemoryMarshal.Cast<byte, uint>(target)); break;
            case long[] a: BinaryPrimitives.ReverseEndianness(a.AsSpan(first, count), MemoryMarshal.Cast<byte, long>(target)); break;
            case ulong[] a: BinaryPrimitives.ReverseEndianness(a.AsSpan(first, count), MemoryMarshal.Cast<byte, ulong>(target)); break;
            case float[] a: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<float, int>(a.AsSpan(first, count)), MemoryMarshal.Cast<byte, int>(target)); break;
            case double[] a: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<double, long>(a.AsSpan(first, count)), MemoryMarshal.Cast<byte, long>(target)); break;
            default: throw new ArgumentException($"unsupported value array {values.GetType().Name}");
        }
    }


    /// <summary>A basket ready to be appended: its stored bytes (compressed or not) and the sizes its key records.</summary>
    public sealed record PreparedBasket(int KeyLength, int ObjectLength, int DataLength, int Entries, byte[] Stored, int StoredLength);

    /// <summary>
    /// Closes the pending basket into its object — the data, then for variable-size entries fNevBuf + 1, the
    /// entry offsets counted from the key start, and a 0 — and compresses it. Touches only this branch, so the
    /// branches of a cluster are prepared in parallel.
    /// </summary>
    public PreparedBasket? Prepare(RootWriteOptions options, string tree)
    {
        if (PendingEntries == 0)
        {
            return null;
        }
        int keyLen = RootFileWriter.KeyLength("TBasket", Name, tree) + 2 + 4 + 4 + 4 + 4 + 1;
        int dataLength = _data.Position;
        if (HasEntryOffsets)
        {
            _data.WriteInt32(PendingEntries + 1);
            foreach (int o in _entryOffsets)
            {
                _data.WriteInt32(keyLen + o);
            }
            _data.WriteInt32(0);
        }
        ReadOnlySpan<byte> obj = _data.Written;
        byte[]? packed = RootCompressor.Compress(obj, options.Compression, options.Level);
        var prepared = packed is null
            ? new PreparedBasket(keyLen, obj.Length, dataLength, PendingEntries, obj.ToArray(), obj.Length)
            : new PreparedBasket(keyLen, obj.Length, dataLength, PendingEntries, packed, packed.Length);
        PendingEntries = 0;
        _entryOffsets.Clear();
        _data.Reset();
        return prepared;
    }

    /// <summary>Appends a prepared basket as a TBasket record: a 64-bit key (class TBasket, name = branch, title = tree, cycle 0), fVersion 3, fBufferSize, fNevBufSize, fNevBuf, fLast, flag 0, then the stored object.</summary>
    /// <summary>Branches of input files whose baskets <see cref="WriteCopies"/> appends, in order.</summary>
    public List<RootBranch> CopySources { get; } = [];

    /// <summary>Baskets copied without decompressing them (tests).</summary>
    public int RawCopies { get; private set; }

    /// <summary>A copied branch takes no values from Append.</summary>
    public bool IsCopied { get; init; }

    /// <summary>Entries this branch will hold once written (its own plus those of <see cref="CopySources"/>).</summary>
    public long FinalEntries => _entries + PendingEntries + CopySources.Sum(b => b.Entries);

    /// <summary>
    /// Appends the baskets of <see cref="CopySources"/>: a free basket whose key has this tree's key length is
    /// copied as it is stored (compressed payload untouched; new key position), others — 32-bit keys, another
    /// tree name, baskets stored inside the source TBranch — are decompressed and written again.
    /// </summary>
    public void WriteCopies(RootFileWriter file)
    {
        int keyLen = RootFileWriter.KeyLength("TBasket", Name, _treeName) + 2 + 4 + 4 + 4 + 4 + 1;
        foreach (RootBranch source in CopySources)
        {
            if (IsCounter)
            {
                // The counter leaf's fMaximum: readers size their arrays with it.
                foreach (object v in source.Read(0, source.Entries).Values)
                {
                    _maxCount = Math.Max(_maxCount, Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            BranchModel model = source.Model;
            foreach ((long first, long end, int index) in source.BasketRanges())
            {
                if (end == first)
                {
                    continue;
                }
                if (index >= 0 && CopyRaw(file, source, model.BasketSeek[index], model.BasketBytes[index], keyLen, (int)(end - first)))
                {
                    continue;
                }
                using BasketData data = index < 0
                    ? BasketData.FromEmbedded(model.Embedded[-1 - index], first)
                    : BasketData.Load(source.File.Source, source.File.Path, source.Name, model.BasketSeek[index], model.BasketBytes[index], first, (int)(end - first));
                Write(file, Reencode(file.Options, data, keyLen));
            }
        }
        CopySources.Clear();
    }

    private bool CopyRaw(RootFileWriter file, RootBranch source, long seek, int nbytes, int keyLen, int entries)
    {
        byte[] record = new byte[nbytes];
        source.File.Source.Read(seek, record, $"TBasket of branch {source.Name}");
        var r = new IO.BigEndianReader(record, source.File.Path, $"TBasket of branch {source.Name}", seek);
        var key = KeyHeader.Parse(ref r, seek, source.File.Source.Length);
        if (key.KeyLen != keyLen || key.Version <= KeyHeader.BigKeyVersion)
        {
            return false;
        }
        short version = r.ReadInt16();
        int bufferSize = r.ReadInt32();
        int nevBufSize = r.ReadInt32();
        int nevBuf = r.ReadInt32();
        int last = r.ReadInt32();
        byte flag = r.ReadByte();
        if (nevBuf != entries || r.Position != keyLen)
        {
            return false;
        }
        var header = new BigEndianWriter(keyLen);
        long at = file.End;
        file.WriteKeyHeader(header, nbytes, key.ObjLen, (short)keyLen, 0, at, RootFileWriter.Begin, "TBasket", Name, _treeName);
        header.WriteInt16(version);
        header.WriteInt32(bufferSize);
        header.WriteInt32(nevBufSize);
        header.WriteInt32(nevBuf);
        header.WriteInt32(last);
        header.WriteByte(flag);
        file.Append(header.Written);
        file.Append(record.AsSpan(keyLen));
        Record(nbytes, at, entries, keyLen + key.ObjLen);
        RawCopies++;
        return true;
    }

    /// <summary>A decompressed source basket as this writer's basket object (data, then the entry-offset table when it has one).</summary>
    private static PreparedBasket Reencode(RootWriteOptions options, BasketData data, int keyLen)
    {
        var obj = new BigEndianWriter(data.Length + (data.Offsets is null ? 0 : 8 + 4 * data.Entries));
        obj.WriteBytes(data.Data);
        if (data.Offsets is { } offsets)
        {
            obj.WriteInt32(data.Entries + 1);
            for (int i = 0; i < data.Entries; i++)
            {
                obj.WriteInt32(keyLen + offsets[i]);
            }
            obj.WriteInt32(0);
        }
        byte[]? packed = RootCompressor.Compress(obj.Written, options.Compression, options.Level);
        byte[] stored = packed ?? obj.Written.ToArray();
        return new PreparedBasket(keyLen, obj.Position, data.Length, data.Entries, stored, stored.Length);
    }

    private void Record(int nbytes, long seek, int entries, long totBytes)
    {
        _basketBytes.Add(nbytes);
        _basketEntry.Add(_entries);
        _basketSeek.Add(seek);
        _entries += entries;
        TotBytes += totBytes;
        ZipBytes += nbytes;
    }

    public void Write(RootFileWriter file, PreparedBasket? basket)
    {
        if (basket is null)
        {
            return;
        }
        int nbytes = checked(basket.KeyLength + basket.StoredLength);
        var header = new BigEndianWriter(basket.KeyLength);
        long seek = file.End;
        file.WriteKeyHeader(header, nbytes, basket.ObjectLength, (short)basket.KeyLength, 0, seek, RootFileWriter.Begin, "TBasket", Name, _treeName);
        header.WriteInt16(3);                                       // fVersion
        header.WriteInt32(file.Options.BasketSize);                 // fBufferSize
        header.WriteInt32(HasEntryOffsets ? 1000 : EntryBytes);     // fNevBufSize: entry length, or the offset table's
        header.WriteInt32(basket.Entries);                          // fNevBuf
        header.WriteInt32(basket.KeyLength + basket.DataLength);    // fLast
        header.WriteByte(0);
        file.Append(header.Written);
        file.Append(basket.Stored.AsSpan(0, basket.StoredLength));
        Record(nbytes, seek, basket.Entries, basket.KeyLength + basket.ObjectLength);
    }

    /// <summary>The branch object: TBranch v13, or TBranchElement v10 around it for a vector (member order per their streamer infos).</summary>
    public void Serialize(ObjectWriter w)
    {
        if (Kind == BranchKind.Vector)
        {
            w.WritePointer(this, "TBranchElement", x => x.WriteVersioned(10, () =>
            {
                BigEndianWriter b = x.Buffer;
                WriteTBranch(x, Name);
                b.WriteTString(VectorClass);                 // fClassName
                b.WriteTString("");                          // fParentName
                b.WriteTString("");                          // fClonesName
                b.WriteUInt32(ClassCheckSum(VectorClass));   // fCheckSum
                b.WriteInt16(6);                             // fClassVersion of the STL collection
                b.WriteInt32(-1);                            // fID: the whole object
                b.WriteInt32(0);                             // fType
                b.WriteInt32(-1);                            // fStreamerType
                b.WriteInt32(0);                             // fMaximum
                b.WriteUInt32(0);                            // fBranchCount
                b.WriteUInt32(0);                            // fBranchCount2
            }));
            return;
        }
        w.WritePointer(this, "TBranch", x => WriteTBranch(x, Name + Dimensions + "/" + Leaf.Code));
    }

    private void WriteTBranch(ObjectWriter x, string title)
    {
        BigEndianWriter b = x.Buffer;
        x.WriteVersioned(13, () =>
        {
            x.WriteTNamed(Name, title);
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
            b.WriteInt32(Kind == BranchKind.Vector ? 99 : 0);  // fSplitLevel
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
    }

    /// <summary>
    /// TLeafX v1 around TLeaf v2 (TNamed, fLen, fLenType, fOffset, fIsRange, fIsUnsigned, fLeafCount, then
    /// fMinimum, fMaximum), or TLeafElement v1 (TLeaf, fID, fType) for a vector.
    /// </summary>
    /// <remarks>Also the entry of the tree's fLeaves (and a jagged leaf's fLeafCount): a reference to the object once written.</remarks>
    public void SerializeLeaf(ObjectWriter w) => w.WritePointer(_leafIdentity, Kind == BranchKind.Vector ? "TLeafElement" : Leaf.LeafClass, x =>
    {
        BigEndianWriter b = x.Buffer;
        x.WriteVersioned(1, () =>
        {
            x.WriteVersioned(2, () =>
            {
                x.WriteTNamed(Name, Kind == BranchKind.Vector ? Name : Name + Dimensions);
                b.WriteInt32(Kind == BranchKind.String ? (int)Math.Max(1, _maxCount) : ValuesPerItem);  // fLen
                b.WriteInt32(Kind == BranchKind.Vector ? 0 : Leaf.Size);                                // fLenType
                b.WriteInt32(0);               // fOffset
                b.WriteBool(IsCounter);        // fIsRange
                b.WriteBool(Leaf.IsUnsigned);
                if (Counter is null)
                {
                    b.WriteUInt32(0);
                }
                else
                {
                    Counter.SerializeLeaf(x);
                }
            });
            if (Kind == BranchKind.Vector)
            {
                b.WriteInt32(-1);              // fID
                b.WriteInt32(-1);              // fType
            }
            else
            {
                WriteMinMax(b, IsCounter || Kind == BranchKind.String ? _maxCount : 0);
            }
        });
    });

    private void WriteMinMax(BigEndianWriter b, long max)
    {
        switch (Leaf.LeafClass)
        {
            case "TLeafO": b.WriteBool(false); b.WriteBool(max != 0); break;
            case "TLeafB": b.WriteByte(0); b.WriteByte((byte)max); break;
            case "TLeafS": b.WriteInt16(0); b.WriteInt16((short)max); break;
            case "TLeafI" or "TLeafC": b.WriteInt32(0); b.WriteInt32((int)max); break;
            case "TLeafF": b.WriteFloat(0); b.WriteFloat(max); break;
            case "TLeafD": b.WriteDouble(0); b.WriteDouble(max); break;
            default: b.WriteInt64(0); b.WriteInt64(max); break;
        }
    }

    /// <summary>
    /// The checksum ROOT gives a class without data members it knows of, such as an STL collection
    /// (TClass::GetCheckSum: id = id × 3 + c over the name's characters); it reproduces the corpus's
    /// vector&lt;int&gt; (0x00983b88) and vector&lt;string&gt; (0x100e72bc).
    /// </summary>
    public static uint ClassCheckSum(string className)
    {
        uint id = 0;
        foreach (char c in className)
        {
            id = unchecked(id * 3 + c);
        }
        return id;
    }

    /// <summary>The streamer info of a vector class: one TStreamerSTL element "This" (as ROOT writes it for vector&lt;int&gt;).</summary>
    public StreamerInfoModel VectorStreamerInfo() => new(VectorClass, 6, ClassCheckSum(VectorClass),
    [
        new RootStreamerElement("TStreamerSTL", "This", $"<{Leaf.RootName}> Used to call the proper TStreamerInfo case", 500, VectorClass, 0, [], null, 1, Leaf.TypeCode, 0),
    ]);
}
