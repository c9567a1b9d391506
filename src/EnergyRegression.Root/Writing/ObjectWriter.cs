using EnergyRegression.Root.Format;

namespace EnergyRegression.Root.Writing;

/// <summary>
/// Streams objects into one record the way TBufferFile::WriteObjectAny does (see <see cref="ObjectParser"/>
/// for the reading side): a pointer is a byte count, then kNewClassTag and the class name the first time a
/// class appears in the record (kClassMask | its map position afterwards), then the object; an object
/// written before is a bare reference to its map position. Map positions are buffer offsets plus the
/// record's key length (the key header precedes the buffer) plus kMapOffset = 2.
/// </summary>
internal sealed class ObjectWriter(int displacement)
{
    private const uint NewClassTag = 0xFFFFFFFF;
    private const uint ClassMask = 0x80000000;
    private const uint ByteCountMask = 0x40000000;
    private const int MapOffset = 2;

    /// <summary>TObject::fBits as ROOT writes them for an object on the heap (kNotDeleted | kIsOnHeap).</summary>
    private const uint HeapObjectBits = 0x03000000;

    private readonly Dictionary<string, int> _classes = new(StringComparer.Ordinal);
    private readonly Dictionary<object, int> _objects = new(ReferenceEqualityComparer.Instance);

    public BigEndianWriter Buffer { get; } = new(4096);

    /// <summary>An object pointer: null, a reference to an object already in this record, or the object itself.</summary>
    public void WritePointer(object? obj, string className, Action<ObjectWriter> body)
    {
        BigEndianWriter b = Buffer;
        if (obj is null)
        {
            b.WriteUInt32(0);
            return;
        }
        if (_objects.TryGetValue(obj, out int seen))
        {
            b.WriteUInt32((uint)seen);
            return;
        }
        int beg = b.Position;
        b.WriteUInt32(0);
        _objects[obj] = beg + displacement + MapOffset;
        if (_classes.TryGetValue(className, out int classAt))
        {
            b.WriteUInt32((uint)classAt | ClassMask);
        }
        else
        {
            _classes[className] = b.Position + displacement + MapOffset;
            b.WriteUInt32(NewClassTag);
            b.WriteCString(className);
        }
        body(this);
        b.PatchInt32(beg, (int)((uint)(b.Position - beg - 4) | ByteCountMask));
    }

    /// <summary>TObject v1: fUniqueID, fBits.</summary>
    public void WriteTObject()
    {
        // TObject::Streamer writes its version without a byte count.
        Buffer.WriteInt16(1);
        Buffer.WriteUInt32(0);
        Buffer.WriteUInt32(HeapObjectBits);
    }

    /// <summary>TNamed v1: TObject, fName, fTitle.</summary>
    public void WriteTNamed(string name, string title)
    {
        int at = Buffer.BeginVersioned(1);
        WriteTObject();
        Buffer.WriteTString(name);
        Buffer.WriteTString(title);
        Buffer.EndVersioned(at);
    }

    /// <summary>TObjArray v3 written in place: TObject, fName, the count, fLowerBound, then one pointer per item.</summary>
    public void WriteObjArray<T>(IReadOnlyList<T> items, Action<ObjectWriter, T> writeItem)
    {
        int at = Buffer.BeginVersioned(3);
        WriteTObject();
        Buffer.WriteTString("");
        Buffer.WriteInt32(items.Count);
        Buffer.WriteInt32(0);
        foreach (T item in items)
        {
            writeItem(this, item);
        }
        Buffer.EndVersioned(at);
    }

    /// <summary>TList v5 written in place: TObject, fName, the count, then per item a pointer and an empty option string.</summary>
    public void WriteList<T>(IReadOnlyList<T> items, Action<ObjectWriter, T> writeItem)
    {
        int at = Buffer.BeginVersioned(5);
        WriteTObject();
        Buffer.WriteTString("");
        Buffer.WriteInt32(items.Count);
        foreach (T item in items)
        {
            writeItem(this, item);
            Buffer.WriteByte(0);
        }
        Buffer.EndVersioned(at);
    }

    /// <summary>A versioned object with a byte count: the version, then <paramref name="body"/>.</summary>
    public void WriteVersioned(short version, Action body)
    {
        int at = Buffer.BeginVersioned(version);
        body();
        Buffer.EndVersioned(at);
    }

    /// <summary>A TStreamerInfo (v9): TNamed, fCheckSum, fClassVersion, fElements as a TObjArray pointer.</summary>
    public void WriteStreamerInfo(StreamerInfoModel info)
    {
        WritePointer(info, "TStreamerInfo", w => w.WriteVersioned(9, () =>
        {
            w.WriteTNamed(info.ClassName, "");
            w.Buffer.WriteUInt32(info.CheckSum);
            w.Buffer.WriteInt32(info.ClassVersion);
            var elements = info.Elements;
            w.WritePointer(elements, "TObjArray", x => x.WriteObjArray(elements, (y, e) => y.WriteStreamerElement(e, info)));
        }));
    }

    /// <summary>A TStreamerElement subclass (versions as ROOT 6 writes them) and its base TStreamerElement v4.</summary>
    private void WriteStreamerElement(RootStreamerElement e, StreamerInfoModel owner)
    {
        short version = e.ElementClass switch
        {
            "TStreamerBase" or "TStreamerSTL" => 3,
            _ => 2,
        };
        WritePointer(e, e.ElementClass, w => w.WriteVersioned(version, () =>
        {
            w.WriteVersioned(4, () =>
            {
                w.WriteTNamed(e.Name, e.Title);
                w.Buffer.WriteInt32(e.TypeCode);
                w.Buffer.WriteInt32(e.Size);
                w.Buffer.WriteInt32(e.Dimensions.Count == 0 ? 0 : e.Dimensions.Aggregate(1, (a, d) => a * d));
                w.Buffer.WriteInt32(e.Dimensions.Count);
                for (int i = 0; i < 5; i++)
                {
                    w.Buffer.WriteInt32(i < e.Dimensions.Count ? e.Dimensions[i] : 0);
                }
                w.Buffer.WriteTString(e.TypeName);
            });
            switch (e.ElementClass)
            {
                case "TStreamerBase":
                    w.Buffer.WriteInt32(e.BaseVersion);
                    break;
                case "TStreamerBasicPointer" or "TStreamerLoop":
                    w.Buffer.WriteInt32(owner.ClassVersion);
                    w.Buffer.WriteTString(e.CountName ?? "");
                    w.Buffer.WriteTString(owner.ClassName);
                    break;
                case "TStreamerSTL":
                    w.Buffer.WriteInt32(e.StlType);
                    w.Buffer.WriteInt32(e.ContainedType);
                    break;
                default:
                    break;
            }
        }));
    }
}
