using EnergyRegression.Root.IO;
using EnergyRegression.Root.Streamers;

namespace EnergyRegression.Root.Format;

/// <summary>
/// Reads the members of an object by the file's own streamer info for its class and version, into a
/// name → value dictionary: how TTree, TBranch and TBranchElement versions this reader has no fixed layout for
/// (ROOT 3/4/5-era files: TTree &lt; 16, TBranch &lt; 10, TBranchElement &lt; 8) are read. Numbers become long or
/// double, strings string, pointer arrays (<c>Int_t* fBasketBytes; //[fMaxBaskets]</c>) long[]/double[],
/// TObjArray/TList members the parser's lists, object pointers the parser's objects.
/// </summary>
internal static class StreamedMembers
{
    private const int MaxDepth = 16;

    /// <summary>
    /// Reads the members of <paramref name="className"/> at <paramref name="version"/> (the object's header was read;
    /// the reader is at its first member).
    /// </summary>
    public static Dictionary<string, object?> Read(ref BigEndianReader r, ObjectParser parser, string className, int version, Func<string, int, RootStreamerInfo?> find)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        RootStreamerInfo info = find(className, version)
            ?? throw new NotSupportedException($"unsupported: {className} class version {version}, and the file has no streamer info for it");
        ReadMembers(ref r, parser, info, find, values, 0);
        return values;
    }

    private static void ReadMembers(ref BigEndianReader r, ObjectParser parser, RootStreamerInfo info, Func<string, int, RootStreamerInfo?> find,
        Dictionary<string, object?> values, int depth)
    {
        if (depth > MaxDepth)
        {
            throw r.Error($"class {info.ClassName}: base classes nested too deeply");
        }
        foreach (RootStreamerElement e in info.Elements)
        {
            if (e.ElementClass == "TStreamerBase")
            {
                ReadBase(ref r, parser, e, find, values, depth);
                continue;
            }
            values[e.Name] = ReadMember(ref r, parser, e, find, values, depth);
        }
    }

    private static void ReadBase(ref BigEndianReader r, ObjectParser parser, RootStreamerElement e, Func<string, int, RootStreamerInfo?> find,
        Dictionary<string, object?> values, int depth)
    {
        switch (e.Name)
        {
            case "TObject":
                ObjectParser.ReadTObject(ref r);
                return;
            case "TNamed":
                (string name, string title) = ObjectParser.ReadTNamed(ref r);
                values["fName"] = name;
                values["fTitle"] = title;
                return;
        }
        short version = r.ReadVersion(out int end);
        RootStreamerInfo info = find(e.Name, version)
            ?? throw new NotSupportedException($"unsupported: base class {e.Name} version {version}, and the file has no streamer info for it");
        ReadMembers(ref r, parser, info, find, values, depth + 1);
        r.SkipTo(end);
    }

    private static object? ReadMember(ref BigEndianReader r, ObjectParser parser, RootStreamerElement e, Func<string, int, RootStreamerInfo?> find,
        Dictionary<string, object?> values, int depth)
    {
        int code = e.TypeCode;
        switch (code)
        {
            case > 0 and < TypeCodes.OffsetL when code is not (TypeCodes.CharStar or TypeCodes.Double32 or TypeCodes.Float16):
                return ReadBasic(ref r, code);
            case TypeCodes.Double32:
                return (double)BitConverter.Int32BitsToSingle(r.ReadInt32());
            case > TypeCodes.OffsetL and < TypeCodes.OffsetP:
                {
                    int n = e.Dimensions.Aggregate(1, (a, d) => a * d);
                    var array = new object?[n];
                    for (int i = 0; i < n; i++)
                    {
                        array[i] = ReadBasic(ref r, code - TypeCodes.OffsetL);
                    }
                    return array;
                }
            case > TypeCodes.OffsetP and < TypeCodes.Object:
                {
                    // A presence byte, then the values (TStreamerBasicPointer); the count is an earlier member.
                    long count = values.TryGetValue(e.CountName ?? "", out object? c) && c is long l ? l : 0;
                    int n = r.CheckCount(count, 1, $"{e.Name} (sized by {e.CountName})");
                    byte presence = r.ReadByte();
                    if (presence == 0)
                    {
                        return null;
                    }
                    // Old TBranch::Streamer marks 64-bit fBasketSeek values with a presence byte of 2.
                    int basic = presence == 2 ? TypeCodes.Long64 : code - TypeCodes.OffsetP;
                    var array = new object?[n];
                    for (int i = 0; i < n; i++)
                    {
                        array[i] = ReadBasic(ref r, basic);
                    }
                    return array;
                }
            case TypeCodes.TString:
                return r.ReadTString();
            case TypeCodes.ObjectPointer or TypeCodes.AnyPointer or TypeCodes.ObjectPointerNotNull or TypeCodes.AnyPointerNotNull:
                return parser.ReadObjectAny(ref r);
            case TypeCodes.Object or TypeCodes.Any or TypeCodes.TObject or TypeCodes.TNamed:
                return ReadObject(ref r, parser, e, find, depth);
            default:
                throw new NotSupportedException($"unsupported: member {e.Name} ({e.TypeName}, type code {code}) of a metadata class");
        }
    }

    private static object? ReadObject(ref BigEndianReader r, ObjectParser parser, RootStreamerElement e, Func<string, int, RootStreamerInfo?> find, int depth)
    {
        string type = CppType.Normalize(e.TypeName);
        switch (type)
        {
            case "TObjArray":
                return parser.ReadObjArray(ref r);
            case "TList" or "THashList":
                return parser.ReadList(ref r);
            case "TObject":
                ObjectParser.ReadTObject(ref r);
                return null;
            case "TNamed":
                return ObjectParser.ReadTNamed(ref r);
            case "TArrayD" or "TArrayI":
                {
                    int n = r.CheckCount(r.ReadInt32(), type == "TArrayD" ? 8 : 4, type);
                    r.Skip(n * (type == "TArrayD" ? 8L : 4L));
                    return null;
                }
        }
        short version = r.ReadVersion(out int end);
        var nested = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (find(type, version) is { } info)
        {
            ReadMembers(ref r, parser, info, find, nested, depth + 1);
        }
        else if (end < 0)
        {
            throw new NotSupportedException($"unsupported: member {e.Name} of class {type} version {version} without a byte count or streamer info");
        }
        r.SkipTo(end);
        return nested;
    }

    private static object ReadBasic(ref BigEndianReader r, int code)
    {
        // Each arm boxes its own type: a switch expression would otherwise widen every integer to double.
        switch (code)
        {
            case TypeCodes.Float:
                return (double)BitConverter.Int32BitsToSingle(r.ReadInt32());
            case TypeCodes.Double:
                return r.ReadDouble();
        }
        long value = code switch
        {
            TypeCodes.Char => r.ReadSByte(),
            TypeCodes.UChar or TypeCodes.LegacyChar => r.ReadByte(),
            TypeCodes.Bool => r.ReadByte() != 0 ? 1 : 0,
            TypeCodes.Short => r.ReadInt16(),
            TypeCodes.UShort => r.ReadUInt16(),
            TypeCodes.Int or TypeCodes.Counter => r.ReadInt32(),
            TypeCodes.UInt or TypeCodes.Bits => r.ReadUInt32(),
            TypeCodes.Long or TypeCodes.Long64 or TypeCodes.ULong or TypeCodes.ULong64 => r.ReadInt64(),
            _ => throw new NotSupportedException($"unsupported: basic type code {code} in a metadata class"),
        };
        return value;
    }

    /// <summary>A member as an integer (long, or a double such as ROOT 3's Stat_t fEntries).</summary>
    public static long Integer(Dictionary<string, object?> values, string name, long fallback = 0) => values.GetValueOrDefault(name) switch
    {
        long l => l,
        double d => (long)d,
        _ => fallback,
    };

    public static long[] Integers(Dictionary<string, object?> values, string name, int n)
    {
        long[] result = new long[n];
        if (values.GetValueOrDefault(name) is object?[] array)
        {
            for (int i = 0; i < Math.Min(n, array.Length); i++)
            {
                result[i] = array[i] switch { long l => l, double d => (long)d, _ => 0 };
            }
        }
        return result;
    }
}
