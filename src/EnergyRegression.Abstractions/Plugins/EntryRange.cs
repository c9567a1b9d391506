using System.Globalization;

namespace EnergyRegression.Plugins;

/// <summary>
/// A reader's <c>entries:</c> key: input entries <c>START:STOP</c> across all its files (STOP exclusive; either side may
/// be empty: <c>"500:"</c>, <c>":100"</c>), as uproot's <c>entry_start</c>/<c>entry_stop</c>. Parse errors name the key.
/// </summary>
public readonly record struct EntryRange(long Start, long? Stop)
{
    /// <summary>Every entry.</summary>
    public static EntryRange All => new(0, null);

    /// <summary>Parses <paramref name="text"/> (null or blank: every entry) given for config key <paramref name="key"/>.</summary>
    public static EntryRange Parse(string? text, string key = "entries")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return All;
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
        return new EntryRange(start, stop);
    }

    /// <summary>How many of <paramref name="total"/> entries (all files together) lie in the range.</summary>
    public long CountWithin(long total) => Math.Max(0, Math.Min(total, Stop ?? long.MaxValue) - Start);

    /// <summary>True when no entry at or after <paramref name="entry"/> lies in the range (readers stop opening files).</summary>
    public bool EndsBefore(long entry) => entry >= (Stop ?? long.MaxValue);

    /// <summary>
    /// How many entries of each file lie in the range, the files being one stream of input entries with
    /// <paramref name="entriesPerFile"/> entries each, in order (<see cref="IShardableReader.CountEntriesPerFile"/>).
    /// </summary>
    public IReadOnlyList<long> CountPerFile(IEnumerable<long> entriesPerFile)
    {
        ArgumentNullException.ThrowIfNull(entriesPerFile);
        var counts = new List<long>();
        long fileFirst = 0;
        foreach (long entries in entriesPerFile)
        {
            counts.Add(Math.Clamp((Stop ?? long.MaxValue) - fileFirst, 0, entries) - Math.Clamp(Start - fileFirst, 0, entries));
            fileFirst += entries;
        }
        return counts;
    }

    /// <summary>
    /// The part of this range from its <paramref name="start"/>-th to its <paramref name="stop"/>-th entry (stop exclusive),
    /// as input entries: a shard of the range (<see cref="IShardableReader.Restrict"/>).
    /// </summary>
    public EntryRange Within(long start, long stop)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(stop, start);
        long end = Start + stop;
        return new EntryRange(Start + start, Stop is { } s ? Math.Min(s, end) : end);
    }

    /// <summary>
    /// The batches of one file: its entries are input entries <paramref name="fileFirst"/> … + <paramref name="fileEntries"/>;
    /// yields each batch's first entry within the file and its size (at most <paramref name="batchSize"/>), in the range only.
    /// </summary>
    public IEnumerable<(long FileEntry, int Count)> BatchesOf(long fileFirst, long fileEntries, int batchSize)
    {
        long begin = Math.Clamp(Start - fileFirst, 0, fileEntries);
        long end = Math.Clamp((Stop ?? long.MaxValue) - fileFirst, 0, fileEntries);
        for (long s = begin; s < end; s += batchSize)
        {
            yield return (s, (int)Math.Min(batchSize, end - s));
        }
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
