using System.Buffers.Binary;
using System.Globalization;

namespace EnergyRegression.Root.Reading;

/// <summary>
/// How a Double32_t or Float16_t is stored, worked out from the "[xmin,xmax(,nbits)]" range in the
/// member's comment or the leaf's title (per ROOT's TStreamerElement::GetRange) and read back per
/// TBufferFile::ReadDouble32 / ReadFloat16:
/// <list type="bullet">
/// <item>a range (xmin &lt; xmax): a big-endian uint32 <c>n</c>, the value is <c>n / factor + xmin</c> with
/// <c>factor = 2^nbits / (xmax − xmin)</c> (2^32 − 1 for 32 bits);</item>
/// <item>no range but nbits &lt; 15 (<c>[0,0,nbits]</c>): a float32 with a truncated mantissa, stored as an
/// exponent byte and a big-endian uint16 holding nbits mantissa bits and, above them, the sign;</item>
/// <item>nothing: Double32_t is a plain float32; Float16_t is the truncated form with 12 bits.</item>
/// </list>
/// </summary>
internal sealed class PackedFloat
{
    private PackedFloat(bool isFloat16, double xmin, double xmax, double factor)
    {
        IsFloat16 = isFloat16;
        XMin = xmin;
        XMax = xmax;
        Factor = factor;
    }

    public bool IsFloat16 { get; }

    public double XMin { get; }

    public double XMax { get; }

    /// <summary>Non-zero when values are stored as scaled uint32.</summary>
    public double Factor { get; }

    /// <summary>Mantissa bits of the truncated-float form; 0 for the plain float32 form of Double32_t.</summary>
    public int MantissaBits
    {
        get
        {
            // ROOT keeps nbits in fXmin when there is no range (and only trusts a positive fXmin).
            int n = Factor == 0 && XMin > 0 ? (int)Math.Min(XMin, 22) : 0;
            return Factor != 0 ? 0 : n != 0 ? n : IsFloat16 ? 12 : 0;
        }
    }

    /// <summary>Bytes per stored value: 4 (uint32 or float32) or 3 (exponent byte + uint16 mantissa).</summary>
    public int StoredBytes => Factor == 0 && MantissaBits != 0 ? 3 : 4;

    /// <summary>The type as ROOT writes it, with the range: "Double32_t[0,1,12]".</summary>
    public string Describe() =>
        (IsFloat16 ? "Float16_t" : "Double32_t") + (Factor != 0
            ? string.Create(CultureInfo.InvariantCulture, $"[{XMin},{XMax},{Math.Round(Math.Log2(Factor * (XMax - XMin)))}]")
            : MantissaBits != 0 ? $"[0,0,{MantissaBits}]" : "");

    /// <summary>The storage of a Double32_t (<paramref name="isFloat16"/> false) or Float16_t member with comment <paramref name="title"/>.</summary>
    public static PackedFloat FromTitle(string title, bool isFloat16)
    {
        (double xmin, double xmax, double factor) = Range(title);
        return new PackedFloat(isFloat16, xmin, xmax, factor);
    }

    /// <summary>TStreamerElement::GetRange: the first bracket holding a comma (a first bracket without one is a dimension).</summary>
    private static (double XMin, double XMax, double Factor) Range(string title)
    {
        int left = title.IndexOf('[', StringComparison.Ordinal);
        if (left < 0)
        {
            return (0, 0, 0);
        }
        int right = title.IndexOf(']', left);
        if (right < 0)
        {
            return (0, 0, 0);
        }
        int comma = title.IndexOf(',', left);
        if (comma < 0 || comma > right)
        {
            left = title.IndexOf('[', right);
            if (left < 0)
            {
                return (0, 0, 0);
            }
            right = title.IndexOf(']', left);
            comma = title.IndexOf(',', left);
            if (right < 0 || comma < 0 || comma > right)
            {
                return (0, 0, 0);
            }
        }
        int nbits = 32;
        int comma2 = title.IndexOf(',', comma + 1);
        if (comma2 >= 0 && comma2 < right)
        {
            nbits = LeadingInt(title[(comma2 + 1)..right]) is int n and >= 2 and <= 32 ? n : 32;
            right = comma2;
        }
        double xmin = Bound(title[(left + 1)..comma]);
        double xmax = Bound(title[(comma + 1)..right]);
        double bigint = nbits < 32 ? 1u << nbits : 0xFFFFFFFFu;
        double factor = xmin < xmax ? bigint / (xmax - xmin) : 0;
        if (xmin >= xmax && nbits < 15)
        {
            xmin = nbits + 0.1;
        }
        return (xmin, xmax, factor);
    }

    /// <summary>A range bound: a number, or pi, 2pi, 2*pi, twopi, pi/2, pi/4, optionally negative.</summary>
    private static double Bound(string text)
    {
        string s = text.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        if (s.Contains("pi", StringComparison.Ordinal))
        {
            double v = s.Contains("2pi", StringComparison.Ordinal) || s.Contains("2*pi", StringComparison.Ordinal) || s.Contains("twopi", StringComparison.Ordinal)
                ? 2 * Math.PI
                : s.Contains("pi/2", StringComparison.Ordinal) ? Math.PI / 2
                : s.Contains("pi/4", StringComparison.Ordinal) ? Math.PI / 4
                : Math.PI;
            return s.Contains('-', StringComparison.Ordinal) ? -v : v;
        }
        // sscanf("%lg"): the longest leading number; nothing parsable leaves the bound at 0.
        for (int n = s.Length; n > 0; n--)
        {
            if (double.TryParse(s.AsSpan(0, n), NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            {
                return v;
            }
        }
        return 0;
    }

    private static int? LeadingInt(string text)
    {
        string s = text.Trim();
        int n = 0;
        while (n < s.Length && (char.IsAsciiDigit(s[n]) || (n == 0 && s[n] is '-' or '+')))
        {
            n++;
        }
        return int.TryParse(s.AsSpan(0, n), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) ? v : null;
    }

    /// <summary>Decodes big-endian stored values (<see cref="StoredBytes"/> each) to float64 (Double32_t) or float32 (Float16_t).</summary>
    public Array Decode(ReadOnlySpan<byte> stored)
    {
        int n = stored.Length / StoredBytes;
        if (IsFloat16)
        {
            float[] f = new float[n];
            for (int i = 0; i < n; i++)
            {
                f[i] = (float)DecodeOne(stored.Slice(i * StoredBytes, StoredBytes));
            }
            return f;
        }
        double[] d = new double[n];
        for (int i = 0; i < n; i++)
        {
            d[i] = DecodeOne(stored.Slice(i * StoredBytes, StoredBytes));
        }
        return d;
    }

    /// <summary>Decodes one stored value (<see cref="StoredBytes"/> bytes).</summary>
    public double DecodeOne(ReadOnlySpan<byte> v)
    {
        if (Factor != 0)
        {
            return BinaryPrimitives.ReadUInt32BigEndian(v) / Factor + XMin;
        }
        int nbits = MantissaBits;
        if (nbits == 0)
        {
            return BinaryPrimitives.ReadSingleBigEndian(v);
        }
        // TBufferFile::ReadWithNbits: exponent byte, then mantissa bits and the sign bit above them.
        int exponent = v[0];
        int mantissa = BinaryPrimitives.ReadUInt16BigEndian(v[1..]);
        int bits = (exponent << 23) | ((mantissa & ((1 << (nbits + 1)) - 1)) << (23 - nbits));
        float value = BitConverter.Int32BitsToSingle(bits);
        return ((1 << (nbits + 1)) & mantissa) != 0 ? -value : value;
    }
}
