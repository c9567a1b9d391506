using System.Globalization;

namespace EnergyRegression.Plugins;

/// <summary>
/// A reader's <c>entries:</c> key: <c>START:STOP</c> in input entries (STOP exclusive; either side may be empty:
/// <c>"500:"</c>, <c>":100"</c>), as in uproot's <c>entry_start</c>/<c>entry_stop</c>. Errors name the key.
/// </summary>
public static class EntryRange
{
    /// <summary>Parses <paramref name="text"/> (null or blank: everything) given for config key <paramref name="key"/>.</summary>
    public static (long Start, long? Stop) Parse(string? text, string key = "entries")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (0, null);
        }
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || text.IndexOf(':', colon + 1) >= 0)
        {
            throw new ConfigValueException(key, $"'{text}' is not a range START:STOP (e.g. \"0:1000\", \"500:\", \":100\").");
        }
        long start = Bound(text[..colon].Trim(), text, key) ?? 0;
        long? stop = Bound(text[(colon + 1)..].Trim(), text, key);
        if (stop < start)
        {
            throw new ConfigValueException(key, $"In '{text}' STOP ({stop}) is before START ({start}).");
        }
        return (start, stop);
    }

    private static long? Bound(string part, string text, string key)
    {
        if (part.Length == 0)
        {
            return null;
        }
        if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            throw new ConfigValueException(key, $"In '{text}', '{part}' is not a non-negative entry number.");
        }
        return value;
    }
}
