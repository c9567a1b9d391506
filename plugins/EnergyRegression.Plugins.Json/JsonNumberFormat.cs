using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace EnergyRegression.Plugins.Json;

/// <summary>
/// Writes column values as JSON text. Floats use the shortest form that round-trips (float32 with the
/// float32 shortest form) and always show a '.' or an exponent, so 45.0 stays a float on reading; NaN and
/// the infinities, which JSON has no numbers for, become the strings "NaN", "Infinity", "-Infinity".
/// </summary>
internal static class JsonNumberFormat
{
    /// <summary>Longest text of one value: "-1.2345678901234567E-308" has 24 bytes.</summary>
    private const int MaxValueBytes = 32;

    public static void Write<T>(IBufferWriter<byte> output, T value) where T : unmanaged
    {
        Span<byte> span = output.GetSpan(MaxValueBytes);
        int written;
        if (typeof(T) == typeof(double))
        {
            written = FormatFloat(Unsafe.As<T, double>(ref value), span);
        }
        else if (typeof(T) == typeof(float))
        {
            written = FormatFloat(Unsafe.As<T, float>(ref value), span);
        }
        else if (typeof(T) == typeof(bool))
        {
            ReadOnlySpan<byte> text = Unsafe.As<T, bool>(ref value) ? "true"u8 : "false"u8;
            text.CopyTo(span);
            written = text.Length;
        }
        else
        {
            written = FormatInteger(value, span);
        }
        output.Advance(written);
    }

    private static int FormatInteger<T>(T value, Span<byte> span) where T : unmanaged
    {
        int written;
        bool ok = typeof(T) switch
        {
            _ when typeof(T) == typeof(long) => Unsafe.As<T, long>(ref value).TryFormat(span, out written, default, CultureInfo.InvariantCulture),
            _ when typeof(T) == typeof(int) => Unsafe.As<T, int>(ref value).TryFormat(span, out written, default, CultureInfo.InvariantCulture),
            _ when typeof(T) == typeof(short) => Unsafe.As<T, short>(ref value).TryFormat(span, out written, default, CultureInfo.InvariantCulture),
            _ when typeof(T) == typeof(sbyte) => Unsafe.As<T, sbyte>(ref value).TryFormat(span, out written, default, CultureInfo.InvariantCulture),
            _ when typeof(T) == typeof(byte) => Unsafe.As<T, byte>(ref value).TryFormat(span, out written, default, CultureInfo.InvariantCulture),
            _ when typeof(T) == typeof(ushort) => Unsafe.As<T, ushort>(ref value).TryFormat(span, out written, default, CultureInfo.InvariantCulture),
            _ when typeof(T) == typeof(uint) => Unsafe.As<T, uint>(ref value).TryFormat(span, out written, default, CultureInfo.InvariantCulture),
            _ when typeof(T) == typeof(ulong) => Unsafe.As<T, ulong>(ref value).TryFormat(span, out written, default, CultureInfo.InvariantCulture),
            _ => throw new NotSupportedException($"Unsupported column element type {typeof(T)}."),
        };
        return ok ? written : throw new InvalidOperationException("Value buffer too small.");
    }

    /// <summary>Formats a float32 or float64 (the "R" shortest round-trip form of its own type).</summary>
    private static int FormatFloat<T>(T value, Span<byte> span) where T : IFloatingPointIeee754<T>, IUtf8SpanFormattable
    {
        if (T.IsNaN(value))
        {
            return Copy("\"NaN\""u8, span);
        }
        if (T.IsInfinity(value))
        {
            return Copy(T.IsNegative(value) ? "\"-Infinity\""u8 : "\"Infinity\""u8, span);
        }
        if (!value.TryFormat(span, out int written, "R", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("Value buffer too small.");
        }
        if (span[..written].IndexOfAny(".E"u8) < 0)
        {
            // "45" would read back as an integer: write "45.0" (and "-0.0" keeps the sign of zero).
            ".0"u8.CopyTo(span[written..]);
            written += 2;
        }
        return written;
    }

    private static int Copy(ReadOnlySpan<byte> text, Span<byte> span)
    {
        text.CopyTo(span);
        return text.Length;
    }
}
