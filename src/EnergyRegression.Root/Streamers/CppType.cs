using EnergyRegression.Root.Reading;

namespace EnergyRegression.Root.Streamers;

/// <summary>
/// C++ type names as streamer infos and branches spell them ("vector&lt;vector&lt;float&gt; &gt;",
/// "std::map&lt;int,BDSOutputROOTGeant4Data::IonInfo&gt;", "Int_t", "unsigned int"): normalization, template
/// arguments, and the basic types they name (ROOT's typedefs per core/base/inc/RtypesCore.h).
/// </summary>
internal static class CppType
{
    /// <summary>The name without "std::" on standard templates, without "const", with single spaces only between words.</summary>
    public static string Normalize(string name)
    {
        var sb = new System.Text.StringBuilder(name.Length);
        string s = name.Trim();
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (char.IsWhiteSpace(c))
            {
                // Keep one space between two identifier characters ("unsigned int"), drop the rest ("> >").
                if (sb.Length > 0 && IsWordChar(sb[^1]) && i + 1 < s.Length && IsWordChar(NextNonSpace(s, i)))
                {
                    sb.Append(' ');
                }
                continue;
            }
            sb.Append(c);
        }
        string text = sb.ToString();
        text = text.Replace("std::", "", StringComparison.Ordinal).Replace("const ", "", StringComparison.Ordinal);
        return text;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static char NextNonSpace(string s, int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i]))
        {
            i++;
        }
        return i < s.Length ? s[i] : ' ';
    }

    /// <summary>Splits "a&lt;b,c&lt;d&gt; &gt;" into ("a", ["b", "c&lt;d&gt;"]); a name without template arguments gives an empty list.</summary>
    public static (string Template, List<string> Arguments) Split(string normalized)
    {
        int open = normalized.IndexOf('<', StringComparison.Ordinal);
        if (open < 0 || !normalized.EndsWith('>'))
        {
            return (normalized, []);
        }
        var args = new List<string>();
        int depth = 0;
        int start = open + 1;
        for (int i = open + 1; i < normalized.Length - 1; i++)
        {
            switch (normalized[i])
            {
                case '<':
                    depth++;
                    break;
                case '>':
                    depth--;
                    break;
                case ',' when depth == 0:
                    args.Add(normalized[start..i].Trim());
                    start = i + 1;
                    break;
            }
        }
        args.Add(normalized[start..^1].Trim());
        return (normalized[..open], args);
    }

    /// <summary>The STL container code (<see cref="TypeCodes"/>) of a template name, or 0; ROOT's RVec streams as a vector.</summary>
    public static int StlCode(string template) => template switch
    {
        "vector" or "ROOT::VecOps::RVec" or "ROOT::RVec" => TypeCodes.StlVector,
        "list" => TypeCodes.StlList,
        "deque" => TypeCodes.StlDeque,
        "map" => TypeCodes.StlMap,
        "multimap" => TypeCodes.StlMultiMap,
        "set" => TypeCodes.StlSet,
        "multiset" => TypeCodes.StlMultiSet,
        "bitset" => TypeCodes.StlBitset,
        "forward_list" => TypeCodes.StlForwardList,
        "unordered_set" => TypeCodes.StlUnorderedSet,
        "unordered_multiset" => TypeCodes.StlUnorderedMultiSet,
        "unordered_map" => TypeCodes.StlUnorderedMap,
        "unordered_multimap" => TypeCodes.StlUnorderedMultiMap,
        _ => 0,
    };

    public static bool IsMap(int stl) => stl is TypeCodes.StlMap or TypeCodes.StlMultiMap or TypeCodes.StlUnorderedMap or TypeCodes.StlUnorderedMultiMap;

    public static bool IsString(string normalized) => normalized is "string" or "basic_string<char>" or "TString";

    /// <summary>The value type of a basic C++ type name (with or without ROOT's typedefs), or null.</summary>
    public static ValueKind? Basic(string normalized) => normalized switch
    {
        "bool" or "Bool_t" => ValueKind.Bool,
        "char" or "signed char" or "Char_t" or "int8_t" or "Text_t" => ValueKind.Int8,
        "unsigned char" or "UChar_t" or "uint8_t" or "Byte_t" => ValueKind.UInt8,
        "short" or "short int" or "Short_t" or "int16_t" or "Version_t" or "Font_t" or "Style_t" or "Marker_t" or "Width_t" or "Color_t" or "SCoord_t" => ValueKind.Int16,
        "unsigned short" or "unsigned short int" or "UShort_t" or "uint16_t" => ValueKind.UInt16,
        "int" or "signed" or "signed int" or "Int_t" or "int32_t" or "Ssiz_t" or "Seek_t" => ValueKind.Int32,
        "unsigned" or "unsigned int" or "UInt_t" or "uint32_t" => ValueKind.UInt32,
        "long" or "long int" or "Long_t" or "long long" or "Long64_t" or "int64_t" or "ssize_t" or "ptrdiff_t" => ValueKind.Int64,
        "unsigned long" or "unsigned long int" or "ULong_t" or "unsigned long long" or "ULong64_t" or "uint64_t" or "size_t" => ValueKind.UInt64,
        "float" or "Float_t" or "Real_t" or "Angle_t" or "Size_t" => ValueKind.Float32,
        "double" or "Double_t" or "Axis_t" or "Stat_t" or "Coord_t" => ValueKind.Float64,
        _ => null,
    };

    /// <summary>The basic streamer type code of a value type (for readers built from C++ names rather than streamer elements).</summary>
    public static int CodeOf(ValueKind kind) => kind switch
    {
        ValueKind.Bool => TypeCodes.Bool,
        ValueKind.Int8 => TypeCodes.Char,
        ValueKind.UInt8 => TypeCodes.UChar,
        ValueKind.Int16 => TypeCodes.Short,
        ValueKind.UInt16 => TypeCodes.UShort,
        ValueKind.Int32 => TypeCodes.Int,
        ValueKind.UInt32 => TypeCodes.UInt,
        ValueKind.Int64 => TypeCodes.Long64,
        ValueKind.UInt64 => TypeCodes.ULong64,
        ValueKind.Float32 => TypeCodes.Float,
        ValueKind.Float64 => TypeCodes.Double,
        _ => -1,
    };

    /// <summary>The value type of a basic streamer type code (1 … 18; 6 kCounter is an int, 15 kBits an unsigned int), or null.</summary>
    public static ValueKind? KindOfCode(int code) => code switch
    {
        TypeCodes.Char => ValueKind.Int8,
        TypeCodes.Short => ValueKind.Int16,
        TypeCodes.Int or TypeCodes.Counter => ValueKind.Int32,
        TypeCodes.Long or TypeCodes.Long64 => ValueKind.Int64,
        TypeCodes.Float => ValueKind.Float32,
        TypeCodes.Double => ValueKind.Float64,
        TypeCodes.UChar or TypeCodes.LegacyChar => ValueKind.UInt8,
        TypeCodes.UShort => ValueKind.UInt16,
        TypeCodes.UInt or TypeCodes.Bits => ValueKind.UInt32,
        TypeCodes.ULong or TypeCodes.ULong64 => ValueKind.UInt64,
        TypeCodes.Bool => ValueKind.Bool,
        _ => null,
    };
}
