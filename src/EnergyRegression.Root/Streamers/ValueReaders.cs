using System.Buffers.Binary;
using System.Text;
using EnergyRegression.Root.IO;
using EnergyRegression.Root.Reading;

namespace EnergyRegression.Root.Streamers;

/// <summary>
/// State of one decoding pass over a branch's baskets: the class tags seen by <see cref="PointerReader"/>
/// (TBufferFile's map of "new class" tags, keyed by buffer position + kMapOffset) and the counter slots that
/// let a pointer array (<c>float* x; //[n]</c>) find the value of its counter member.
/// </summary>
internal sealed class ReadState
{
    private readonly List<List<long>> _slots = [];

    public Dictionary<long, string> ClassTags { get; } = [];

    /// <summary>Position just past the entry being read when the basket has entry offsets, else −1.</summary>
    public int EntryEnd { get; set; } = -1;

    /// <summary>Nesting depth of objects being read (a guard against self-referencing data).</summary>
    public int Depth { get; set; }

    public List<long> Slot(int index)
    {
        while (_slots.Count <= index)
        {
            _slots.Add([]);
        }
        return _slots[index];
    }
}

/// <summary>
/// Reads values of one C++ type from a buffer into a <see cref="Builder"/> of its <see cref="Form"/>.
/// <see cref="Read"/> reads one value as a class member (or a branch's entry) stores it;
/// <see cref="ReadMany"/> reads the values of <c>n</c> objects' member stored one after the other — inside an
/// STL container, a fixed array, a member-wise streamed collection, or a split collection's member branch.
/// The two differ for STL members and std::strings, whose byte count + version header is written once for
/// all n (per TStreamerInfo::ReadBuffer's kSTL loop and JSROOT's io.mjs branch_func / split_func).
/// </summary>
internal abstract class ValueReader
{
    public abstract Form Form { get; }

    public abstract void Read(ref BigEndianReader r, Builder b, ReadState s);

    /// <summary>
    /// True for readers whose values of n objects share one byte count + version header: a split collection's member
    /// branch holds that header even for an entry of no objects.
    /// </summary>
    public virtual bool SharesHeader => false;

    public virtual void ReadMany(ref BigEndianReader r, Builder b, int n, ReadState s)
    {
        for (int i = 0; i < n; i++)
        {
            Read(ref r, b, s);
        }
    }

    /// <summary>Throws when an object read did not end exactly at its byte count (a custom streamer or a wrong layout).</summary>
    protected static void CheckEnd(ref BigEndianReader r, int end, string what)
    {
        if (end >= 0 && r.Position != end)
        {
            throw r.Error($"{what}: read {(r.Position > end ? "past" : "short of")} its byte count by {Math.Abs(r.Position - end)} bytes (a custom streamer, or a layout the streamer info does not describe)");
        }
    }
}

/// <summary>A number of a basic type (big-endian, 1 to 8 bytes); optionally remembers the values it read in a counter slot.</summary>
internal sealed class BasicReader(ValueKind kind, int counterSlot = -1) : ValueReader
{
    private readonly int _size = Interpretation.SizeOf(kind);

    public ValueKind Kind { get; } = kind;

    public int CounterSlot { get; } = counterSlot;

    public override Form Form { get; } = new LeafForm(kind);

    public override void Read(ref BigEndianReader r, Builder b, ReadState s) => ReadMany(ref r, b, 1, s);

    public override void ReadMany(ref BigEndianReader r, Builder b, int n, ReadState s)
    {
        ReadOnlySpan<byte> raw = r.ReadBytes(r.CheckCount(n, _size, Kind.ToString()) * _size);
        ((LeafBuilder)b).AppendRaw(raw);
        if (CounterSlot >= 0)
        {
            List<long> slot = s.Slot(CounterSlot);
            slot.Clear();
            for (int i = 0; i < n; i++)
            {
                slot.Add(ToInt64(raw.Slice(i * _size, _size)));
            }
        }
    }

    private long ToInt64(ReadOnlySpan<byte> v) => Kind switch
    {
        ValueKind.Int8 => (sbyte)v[0],
        ValueKind.UInt8 or ValueKind.Bool => v[0],
        ValueKind.Int16 => BinaryPrimitives.ReadInt16BigEndian(v),
        ValueKind.UInt16 => BinaryPrimitives.ReadUInt16BigEndian(v),
        ValueKind.Int32 => BinaryPrimitives.ReadInt32BigEndian(v),
        ValueKind.UInt32 => BinaryPrimitives.ReadUInt32BigEndian(v),
        ValueKind.Int64 or ValueKind.UInt64 => BinaryPrimitives.ReadInt64BigEndian(v),
        _ => -1,
    };
}

/// <summary>A Double32_t or Float16_t stored packed (see <see cref="PackedFloat"/>), read as float64 or float32.</summary>
internal sealed class PackedReader(PackedFloat packing) : ValueReader
{
    public override Form Form { get; } = new LeafForm(packing.IsFloat16 ? ValueKind.Float32 : ValueKind.Float64);

    public override void Read(ref BigEndianReader r, Builder b, ReadState s) =>
        ((LeafBuilder)b).AppendFloating(packing.DecodeOne(r.ReadBytes(packing.StoredBytes)));
}

/// <summary>
/// A TString (a length byte, 255 → an int32 length, then the bytes), or a std::string, which as a class
/// member carries a byte count + version header first (<paramref name="header"/>; none inside containers).
/// </summary>
internal sealed class StringValueReader(bool header) : ValueReader
{
    public override Form Form { get; } = new LeafForm(ValueKind.String);

    public override bool SharesHeader => header;

    public override void Read(ref BigEndianReader r, Builder b, ReadState s) => ReadMany(ref r, b, 1, s);

    public override void ReadMany(ref BigEndianReader r, Builder b, int n, ReadState s)
    {
        if (n == 0)
        {
            return;
        }
        int end = -1;
        if (header)
        {
            r.ReadVersion(out end);
        }
        var leaf = (LeafBuilder)b;
        for (int i = 0; i < n; i++)
        {
            leaf.AppendString(r.ReadTString());
        }
        CheckEnd(ref r, end, "std::string");
    }
}

/// <summary>A <c>char*</c> member (kCharStar): an int32 length and the bytes.</summary>
internal sealed class CharStarReader : ValueReader
{
    public override Form Form { get; } = new LeafForm(ValueKind.String);

    public override void Read(ref BigEndianReader r, Builder b, ReadState s)
    {
        int n = r.CheckCount(r.ReadInt32(), 1, "char*");
        ((LeafBuilder)b).AppendString(Encoding.UTF8.GetString(r.ReadBytes(n)));
    }
}

/// <summary>
/// A fixed-size array member (<c>T x[2][3]</c>, kOffsetL + code): its items one after the other. Arrays of
/// TString/TObject/TNamed carry one byte count + version header for the whole array (TStreamerInfo::ReadBuffer).
/// </summary>
internal sealed class FixedArrayReader : ValueReader
{
    private readonly ValueReader _item;
    private readonly int _total;
    private readonly bool _header;

    public FixedArrayReader(IReadOnlyList<int> dims, ValueReader item, bool header)
    {
        _item = item;
        _header = header;
        _total = dims.Aggregate(1, (a, d) => checked(a * d));
        Form form = item.Form;
        for (int i = dims.Count - 1; i >= 0; i--)
        {
            form = new RegularForm(dims[i], form);
        }
        Form = form;
    }

    public override Form Form { get; }

    public override void Read(ref BigEndianReader r, Builder b, ReadState s)
    {
        Builder inner = b;
        while (inner is RegularBuilder regular)
        {
            inner = regular.Content;
        }
        int end = -1;
        if (_header)
        {
            r.ReadVersion(out end);
        }
        _item.ReadMany(ref r, inner, _total, s);
        CheckEnd(ref r, end, "fixed-size array");
    }
}

/// <summary>A pointer to an array sized by another member (<c>T* x; //[n]</c>, kOffsetP + code): a presence byte, then n values.</summary>
internal sealed class PointerArrayReader(ValueReader item, int counterSlot, string counterName) : ValueReader
{
    public override Form Form { get; } = new ListForm(item.Form);

    public override void Read(ref BigEndianReader r, Builder b, ReadState s) => ReadMany(ref r, b, 1, s);

    public override void ReadMany(ref BigEndianReader r, Builder b, int n, ReadState s)
    {
        List<long> counts = s.Slot(counterSlot);
        if (counts.Count < n)
        {
            throw r.Error($"pointer array sized by '{counterName}': {counts.Count} counter values for {n} objects");
        }
        var list = (ListBuilder)b;
        for (int i = 0; i < n; i++)
        {
            long count = counts[counts.Count - n + i];
            if (r.ReadByte() == 0)
            {
                list.Close(0);
                continue;
            }
            int items = r.CheckCount(count, 1, $"array sized by '{counterName}'");
            item.ReadMany(ref r, list.Content, items, s);
            list.Close(items);
        }
    }
}

/// <summary>
/// An STL sequence (vector, list, deque, set, multiset, unordered_set, bitset, RVec) or map: as a member a byte
/// count + version header (bit 14 set: its objects were written member-wise, and the items' class version
/// follows as an int16, with a uint32 checksum when ≤ 0 — TBufferFile::ReadVersionForMemberWise), then per
/// container an int32 size and the items (TGenCollectionStreamer; a map's pairs as key, value — member-wise:
/// all keys, then all values).
/// </summary>
internal sealed class StlReader : ValueReader
{
    private readonly ValueReader _item;
    private readonly ValueReader? _value;
    private readonly bool _header;
    private readonly string _typeName;

    /// <summary>A sequence of <paramref name="item"/>s.</summary>
    public StlReader(string typeName, ValueReader item, bool header)
    {
        _typeName = typeName;
        _item = item;
        _header = header;
        Form = new ListForm(item.Form);
    }

    /// <summary>
    /// A map of <paramref name="key"/> → <paramref name="value"/> pairs, as records {first, second}; written member-wise,
    /// its pairs are read by the streamer info of the pair class (<paramref name="pair"/>: all firsts, then all seconds).
    /// </summary>
    public StlReader(string typeName, ValueReader key, ValueReader value, bool header, Func<ObjectReader>? pair = null)
    {
        _typeName = typeName;
        _item = key;
        _value = value;
        _header = header;
        _pair = pair;
        Form = new ListForm(new RecordForm([("first", key.Form), ("second", value.Form)]));
    }

    private readonly Func<ObjectReader>? _pair;

    /// <summary>Most objects one member-wise collection may hold.</summary>
    private const int MaxObjects = 1 << 24;

    public override bool SharesHeader => _header;

    public override Form Form { get; }

    public override void Read(ref BigEndianReader r, Builder b, ReadState s) => ReadMany(ref r, b, 1, s);

    public override void ReadMany(ref BigEndianReader r, Builder b, int n, ReadState s)
    {
        if (n == 0)
        {
            return;
        }
        int end = -1;
        ObjectPlan? memberWise = null;
        if (_header)
        {
            short version = r.ReadVersion(out end);
            if ((version & TypeCodes.MemberWiseBit) != 0)
            {
                memberWise = MemberWisePlan(ref r);
            }
        }
        var list = (ListBuilder)b;
        for (int i = 0; i < n; i++)
        {
            // Objects of a class without data members take no bytes member-wise: bound the count, not the bytes.
            int count = memberWise is null ? r.CheckCount(r.ReadInt32(), 1, $"{_typeName} size") : r.CheckCount(r.ReadInt32(), 0, $"{_typeName} size", MaxObjects);
            ReadItems(ref r, list.Content, count, memberWise, s);
            list.Close(count);
        }
        CheckEnd(ref r, end, _typeName);
    }

    private ObjectPlan MemberWisePlan(ref BigEndianReader r)
    {
        short classVersion = r.ReadInt16();
        uint checksum = classVersion <= 0 ? r.ReadUInt32() : 0;
        if (_value is null && _item is ObjectReader objects)
        {
            return objects.PlanFor(objects.ClassName, classVersion, checksum);
        }
        if (_value is not null)
        {
            if (_pair is not null)
            {
                ObjectReader pair = _pair();
                if (pair.Form is RecordForm { Fields.Count: 2 } f && f.Fields[0].Name == "first" && f.Fields[1].Name == "second")
                {
                    return pair.PlanFor(pair.ClassName, classVersion, checksum);
                }
            }
            return ObjectPlan.PairMemberWise;
        }
        throw new NotSupportedException($"unsupported: {_typeName} written member-wise, but its items are not objects of a class");
    }

    private void ReadItems(ref BigEndianReader r, Builder content, int count, ObjectPlan? memberWise, ReadState s)
    {
        if (_value is null)
        {
            if (memberWise is not null)
            {
                memberWise.RunMemberWise(ref r, (RecordBuilder)content, count, s);
            }
            else
            {
                _item.ReadMany(ref r, content, count, s);
            }
            return;
        }
        var pair = (RecordBuilder)content;
        if (memberWise is not null && memberWise != ObjectPlan.PairMemberWise)
        {
            memberWise.RunMemberWise(ref r, pair, count, s);
            return;
        }
        if (memberWise is not null)
        {
            // Keys of all pairs, then values (JSROOT io.mjs readMapElement: an optional int16 kStreamedMemberWise
            // + uint32 checksum may precede each half).
            SkipPairHeader(ref r, count);
            _item.ReadMany(ref r, pair.Fields[0], count, s);
            SkipPairHeader(ref r, count);
            _value.ReadMany(ref r, pair.Fields[1], count, s);
            return;
        }
        for (int i = 0; i < count; i++)
        {
            _item.Read(ref r, pair.Fields[0], s);
            _value.Read(ref r, pair.Fields[1], s);
        }
    }

    private static void SkipPairHeader(ref BigEndianReader r, int count)
    {
        if (count > 0 && r.Remaining >= 6 && BinaryPrimitives.ReadInt16BigEndian(r.Rest) == TypeCodes.MemberWiseBit)
        {
            r.Skip(6);
        }
    }
}

/// <summary>
/// An object of a class, as its streamer info describes it: a byte count + version header (a checksum follows a
/// version ≤ 0 of a class without ClassDef), then its bases and members. Each version seen in the data is read
/// with that version's streamer info, its members matched by name onto the fields of this reader's form.
/// </summary>
internal sealed class ObjectReader : ValueReader
{
    private readonly StreamerReaders _factory;
    private readonly Dictionary<(string, int, uint), ObjectPlan> _plans = [];

    public ObjectReader(StreamerReaders factory, string className, RecordForm form, ObjectPlan primary)
    {
        _factory = factory;
        ClassName = className;
        Form = form;
        Primary = primary;
        _plans[(className, primary.Version, primary.CheckSum)] = primary;
    }

    public string ClassName { get; }

    public override Form Form { get; }

    public ObjectPlan Primary { get; }

    public override void Read(ref BigEndianReader r, Builder b, ReadState s)
    {
        if (++s.Depth > 100)
        {
            throw r.Error($"objects of class {ClassName} nested more than 100 deep");
        }
        short version = r.ReadVersion(out int end);
        uint checksum = 0;
        if (version <= 0 && end >= 0 && r.Remaining >= 4 && _factory.HasChecksum(BinaryPrimitives.ReadUInt32BigEndian(r.Rest)))
        {
            checksum = r.ReadUInt32();
        }
        PlanFor(ClassName, version, checksum).Run(ref r, (RecordBuilder)b, s);
        CheckEnd(ref r, end, $"object of class {ClassName} (version {version})");
        s.Depth--;
    }

    /// <summary>Whether <paramref name="version"/> is one the file describes this class at (≤ 0: a class without ClassDef).</summary>
    public bool IsVersion(short version) => version <= 0 || _factory.Find(ClassName, version)?.ClassVersion == version;

    /// <summary>The plan reading version <paramref name="version"/> (or the info with <paramref name="checksum"/>) of <paramref name="className"/> into this reader's form.</summary>
    public ObjectPlan PlanFor(string className, int version, uint checksum)
    {
        lock (_plans)
        {
            if (_plans.TryGetValue((className, version, checksum), out ObjectPlan? plan))
            {
                return plan;
            }
            if (className == ClassName && (version == Primary.Version || (checksum != 0 && checksum == Primary.CheckSum)))
            {
                plan = Primary;
            }
            else
            {
                plan = _factory.PlanInto(className, version, checksum, (RecordForm)Form);
            }
            _plans[(className, version, checksum)] = plan;
            return plan;
        }
    }
}

/// <summary>
/// A whole object on a top-level branch of its own (TBranchElement, fID = −1): TBranchElement::FillLeavesMember
/// applies the class's streamer-info actions to it, so its members follow without the class's own byte count and
/// version (as JSROOT's tree.mjs reads such branches); the version is the branch's fClassVersion.
/// </summary>
internal sealed class HeaderlessObjectReader(ObjectReader inner, int version) : ValueReader
{
    public override Form Form => inner.Form;

    public override void Read(ref BigEndianReader r, Builder b, ReadState s)
    {
        // Classes with a streamer function of their own (TVector3, TLorentzVector, ...) are written by it, with the
        // header: a byte count that spans exactly the rest of the entry says so.
        if (s.EntryEnd >= 0 && r.Remaining >= 6 && BinaryPrimitives.ReadUInt32BigEndian(r.Rest) is uint first
            && (first & 0x40000000u) != 0 && (first & ~0x40000000u) == s.EntryEnd - r.Position - 4
            && inner.IsVersion(BinaryPrimitives.ReadInt16BigEndian(r.Rest[4..])))
        {
            inner.Read(ref r, b, s);
            return;
        }
        (version > 0 ? inner.PlanFor(inner.ClassName, version, 0) : inner.Primary).Run(ref r, (RecordBuilder)b, s);
    }
}

/// <summary>
/// The steps that read one version of a class into a record: each member into its field (or nowhere, when
/// the record has no such field), each base class with its own header, defaults for fields this version
/// lacks. Member-wise (a collection's objects member by member) the bases are flattened, as
/// TStreamerInfo::ReadBufferSTL / JSROOT's getSplittedStreamer do.
/// </summary>
internal sealed class ObjectPlan(string className, int version, uint checkSum, IReadOnlyList<PlanStep> steps, int[] missing)
{
    /// <summary>Marker for member-wise maps, whose pairs are read key-by-key and value-by-value by <see cref="StlReader"/>.</summary>
    public static readonly ObjectPlan PairMemberWise = new("pair", 0, 0, [], []);

    public string ClassName { get; } = className;

    public int Version { get; } = version;

    public uint CheckSum { get; } = checkSum;

    public IReadOnlyList<PlanStep> Steps { get; } = steps;

    public void Run(ref BigEndianReader r, RecordBuilder record, ReadState s)
    {
        foreach (PlanStep step in Steps)
        {
            step.Run(ref r, record, s);
        }
        foreach (int field in missing)
        {
            record.Fields[field].AppendDefault(1);
        }
    }

    public void RunMemberWise(ref BigEndianReader r, RecordBuilder record, int n, ReadState s)
    {
        if (n == 0)
        {
            return;
        }
        foreach (PlanStep step in Steps)
        {
            step.RunMemberWise(ref r, record, n, s);
        }
        foreach (int field in missing)
        {
            record.Fields[field].AppendDefault(n);
        }
    }
}

internal abstract class PlanStep
{
    public abstract void Run(ref BigEndianReader r, RecordBuilder record, ReadState s);

    public abstract void RunMemberWise(ref BigEndianReader r, RecordBuilder record, int n, ReadState s);
}

/// <summary>One member into field <c>field</c> of the record (−1: read and dropped).</summary>
internal sealed class MemberStep(string name, ValueReader reader, int field) : PlanStep
{
    public string Name { get; } = name;

    public ValueReader Reader { get; } = reader;

    public int Field { get; } = field;

    private Builder Target(RecordBuilder record) => Field >= 0 ? record.Fields[Field] : Reader.Form.CreateBuilder();

    public override void Run(ref BigEndianReader r, RecordBuilder record, ReadState s) => Reader.Read(ref r, Target(record), s);

    public override void RunMemberWise(ref BigEndianReader r, RecordBuilder record, int n, ReadState s) => Reader.ReadMany(ref r, Target(record), n, s);
}

/// <summary>A base class: object-wise with its own byte count + version header, member-wise flattened.</summary>
internal sealed class BaseStep(string baseClass, int baseVersion, IReadOnlyList<PlanStep> steps, Func<uint, bool> isChecksum) : PlanStep
{
    public override void Run(ref BigEndianReader r, RecordBuilder record, ReadState s)
    {
        short version = r.ReadVersion(out int end);
        if (version <= 0 && end >= 0 && r.Remaining >= 4 && isChecksum(BinaryPrimitives.ReadUInt32BigEndian(r.Rest)))
        {
            // A class without ClassDef writes version 0 and its streamer info's checksum (TBufferFile::WriteVersion).
            r.ReadUInt32();
        }
        if (version != baseVersion && version > 0 && baseVersion > 0)
        {
            throw new NotSupportedException($"unsupported: base class {baseClass} is version {version} in the data, the streamer info describes version {baseVersion}");
        }
        foreach (PlanStep step in steps)
        {
            step.Run(ref r, record, s);
        }
        if (end >= 0 && r.Position != end)
        {
            throw r.Error($"base class {baseClass}: read {(r.Position > end ? "past" : "short of")} its byte count by {Math.Abs(r.Position - end)} bytes");
        }
    }

    public override void RunMemberWise(ref BigEndianReader r, RecordBuilder record, int n, ReadState s)
    {
        foreach (PlanStep step in steps)
        {
            step.RunMemberWise(ref r, record, n, s);
        }
    }
}

/// <summary>
/// TObject (TObject::Streamer): a version (no byte count), fUniqueID, fBits, and a 2-byte process id when
/// kIsReferenced is set. Its fields go to the record only when it asks for them (<paramref name="uniqueId"/>,
/// <paramref name="bits"/> ≥ 0).
/// </summary>
internal sealed class TObjectStep(int uniqueId, int bits, bool withVersion = true) : PlanStep
{
    public override void Run(ref BigEndianReader r, RecordBuilder record, ReadState s) => ReadOne(ref r, record);

    public override void RunMemberWise(ref BigEndianReader r, RecordBuilder record, int n, ReadState s)
    {
        for (int i = 0; i < n; i++)
        {
            ReadOne(ref r, record);
        }
    }

    /// <summary>Reads one TObject header and returns fBits.</summary>
    public static uint Skip(ref BigEndianReader r)
    {
        r.ReadVersion(out _);
        r.ReadUInt32();
        uint bits = r.ReadUInt32();
        if ((bits & TypeCodes.IsReferenced) != 0)
        {
            r.Skip(2);
        }
        return bits;
    }

    private void ReadOne(ref BigEndianReader r, RecordBuilder record)
    {
        if (withVersion)
        {
            r.ReadVersion(out _);
        }
        ReadOnlySpan<byte> id = r.ReadBytes(4);
        ReadOnlySpan<byte> bitsRaw = r.ReadBytes(4);
        if (uniqueId >= 0)
        {
            ((LeafBuilder)record.Fields[uniqueId]).AppendRaw(id);
        }
        if (bits >= 0)
        {
            ((LeafBuilder)record.Fields[bits]).AppendRaw(bitsRaw);
        }
        if ((BinaryPrimitives.ReadUInt32BigEndian(bitsRaw) & TypeCodes.IsReferenced) != 0)
        {
            r.Skip(2);
        }
    }
}

/// <summary>
/// A pointer to an object (<c>T* x</c>, kObjectP/kAnyP, or the items of <c>vector&lt;T*&gt;</c>), written by
/// TBufferFile::WriteObjectAny: 0 for null, else a byte count and a class tag (kNewClassTag + the class name,
/// or a reference to a class tag earlier in the buffer), then the object. Read as a list of zero or one
/// object; an object of a derived class is read with its own streamer info, matched by member name.
/// </summary>
internal sealed class PointerReader(ObjectReader pointee) : ValueReader
{
    private const uint ByteCountMask = 0x40000000;
    private const uint ClassMask = 0x80000000;
    private const uint NewClassTag = 0xFFFFFFFF;
    private const int MapOffset = 2;

    public override Form Form { get; } = new ListForm(pointee.Form);

    public override void Read(ref BigEndianReader r, Builder b, ReadState s)
    {
        var list = (ListBuilder)b;
        int start = r.Position;
        uint first = r.ReadUInt32();
        uint tag = first;
        int end = -1;
        int tagPosition = start;
        if ((first & ByteCountMask) != 0 && first != NewClassTag)
        {
            long count = first & ~ByteCountMask;
            if (count < 4 || count > r.Remaining)
            {
                throw r.Error($"object byte count {count} exceeds the {r.Remaining} bytes that remain");
            }
            end = r.Position + (int)count;
            tagPosition = r.Position;
            tag = r.ReadUInt32();
        }
        if (tag == 0)
        {
            list.Close(0);
            return;
        }
        if ((tag & ClassMask) == 0)
        {
            throw new NotSupportedException($"unsupported: a pointer to an object already read earlier in the entry (reference {tag}) in a pointer to {pointee.ClassName}");
        }
        string className;
        if (tag == NewClassTag)
        {
            className = r.ReadCString();
            s.ClassTags[tagPosition + r.Displacement + MapOffset] = className;
        }
        else if (!s.ClassTags.TryGetValue(tag & ~ClassMask, out className!))
        {
            throw r.Error($"pointer to {pointee.ClassName}: class tag {tag & ~ClassMask} refers to no class name earlier in the basket");
        }
        short version = r.ReadVersion(out int objectEnd);
        uint checksum = 0;
        if (version <= 0 && objectEnd >= 0 && r.Remaining >= 4)
        {
            checksum = r.ReadUInt32();
        }
        pointee.PlanFor(CppType.Normalize(className), version, checksum).Run(ref r, (RecordBuilder)list.Content, s);
        CheckEnd(ref r, objectEnd, $"object of class {className} (version {version})");
        CheckEnd(ref r, end, $"pointer to {className}");
        list.Close(1);
    }
}

/// <summary>
/// A TClonesArray (TClonesArray::Streamer): byte count + version, TObject (version &gt; 2), fName (version &gt; 1),
/// "Class;version", the object count and fLowerBound, then the objects member-wise (kBypassStreamer, as trees
/// write them) or each behind a presence byte.
/// </summary>
internal sealed class ClonesReader(ObjectReader content) : ValueReader
{
    public override Form Form { get; } = new ListForm(content.Form);

    public override void Read(ref BigEndianReader r, Builder b, ReadState s)
    {
        var list = (ListBuilder)b;
        short version = r.ReadVersion(out int end);
        uint bits = TypeCodes.BypassStreamer;
        if (version > 2)
        {
            bits = TObjectStep.Skip(ref r);
        }
        if (version > 1)
        {
            r.ReadTString();
        }
        string classAndVersion = r.ReadTString();
        int semicolon = classAndVersion.LastIndexOf(';');
        string className = CppType.Normalize(semicolon >= 0 ? classAndVersion[..semicolon] : classAndVersion);
        int classVersion = semicolon >= 0 && int.TryParse(classAndVersion.AsSpan(semicolon + 1), out int v) ? v : 0;
        int n = r.CheckCount(Math.Abs((long)r.ReadInt32()), 0, "TClonesArray size", 1 << 24);
        r.ReadInt32(); // fLowerBound
        ObjectPlan plan = content.PlanFor(className, classVersion, 0);
        var record = (RecordBuilder)list.Content;
        if ((bits & TypeCodes.BypassStreamer) != 0)
        {
            plan.RunMemberWise(ref r, record, n, s);
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                if (r.ReadByte() == 0)
                {
                    record.AppendDefault(1);
                    continue;
                }
                content.Read(ref r, record, s);
            }
        }
        CheckEnd(ref r, end, "TClonesArray");
        list.Close(n);
    }
}

/// <summary>
/// A loop of objects (<c>T* x; //[n]</c> of a class, kStreamLoop): one byte count + version header, then n objects
/// (n from the counter member); <c>T**</c> loops hold pointers.
/// </summary>
internal sealed class LoopReader(ValueReader item, int counterSlot, string counterName) : ValueReader
{
    public override Form Form { get; } = new ListForm(item.Form);

    public override bool SharesHeader => true;

    public override void Read(ref BigEndianReader r, Builder b, ReadState s) => ReadMany(ref r, b, 1, s);

    public override void ReadMany(ref BigEndianReader r, Builder b, int n, ReadState s)
    {
        if (n == 0)
        {
            return;
        }
        List<long> counts = s.Slot(counterSlot);
        if (counts.Count < n)
        {
            throw r.Error($"object loop sized by '{counterName}': {counts.Count} counter values for {n} objects");
        }
        r.ReadVersion(out int end);
        var list = (ListBuilder)b;
        for (int i = 0; i < n; i++)
        {
            int items = r.CheckCount(counts[counts.Count - n + i], 1, $"loop sized by '{counterName}'");
            item.ReadMany(ref r, list.Content, items, s);
            list.Close(items);
        }
        CheckEnd(ref r, end, "object loop");
    }
}

/// <summary>TRef (TRef::Streamer): a TObject whose fUniqueID is the referenced object's id, then a process id (or a UUID string with kHasUUID).</summary>
internal sealed class TRefReader : ValueReader
{
    public override Form Form { get; } = new RecordForm([("fUniqueID", new LeafForm(ValueKind.UInt32))]);

    public override void Read(ref BigEndianReader r, Builder b, ReadState s)
    {
        r.ReadVersion(out _);
        ((LeafBuilder)((RecordBuilder)b).Fields[0]).AppendRaw(r.ReadBytes(4));
        uint bits = r.ReadUInt32();
        if ((bits & TypeCodes.IsReferenced) != 0)
        {
            r.Skip(2);
        }
        if ((bits & TypeCodes.HasUuid) != 0)
        {
            r.ReadTString();
        }
        else
        {
            r.Skip(2);
        }
    }
}

/// <summary>TRefArray (TRefArray::Streamer): byte count + version, TObject, fName, count, fLowerBound, a process id, then the referenced ids (fUIDs).</summary>
internal sealed class TRefArrayReader : ValueReader
{
    public override Form Form { get; } = new RecordForm([("fUIDs", new ListForm(new LeafForm(ValueKind.UInt32)))]);

    public override void Read(ref BigEndianReader r, Builder b, ReadState s)
    {
        r.ReadVersion(out int end);
        TObjectStep.Skip(ref r);
        r.ReadTString();
        int n = r.CheckCount(r.ReadInt32(), 4, "TRefArray size");
        r.ReadInt32(); // fLowerBound
        r.Skip(2); // pidf
        var uids = (ListBuilder)((RecordBuilder)b).Fields[0];
        ((LeafBuilder)uids.Content).AppendRaw(r.ReadBytes(n * 4));
        uids.Close(n);
        CheckEnd(ref r, end, "TRefArray");
    }
}

/// <summary>TArrayC/S/I/L/L64/F/D (TArray*::Streamer, no header of their own as members): an int32 size and the values.</summary>
internal sealed class TArrayReader(ValueKind kind) : ValueReader
{
    private readonly BasicReader _values = new(kind);

    public override Form Form { get; } = new ListForm(new LeafForm(kind));

    public override void Read(ref BigEndianReader r, Builder b, ReadState s)
    {
        var list = (ListBuilder)b;
        int n = r.CheckCount(r.ReadInt32(), Interpretation.SizeOf(kind), "TArray size");
        _values.ReadMany(ref r, list.Content, n, s);
        list.Close(n);
    }
}

/// <summary>TDatime (TDatime::Streamer): the packed date and time as one uint32.</summary>
internal sealed class TDatimeReader : ValueReader
{
    public override Form Form { get; } = new LeafForm(ValueKind.UInt32);

    public override void Read(ref BigEndianReader r, Builder b, ReadState s) => ((LeafBuilder)b).AppendRaw(r.ReadBytes(4));
}
