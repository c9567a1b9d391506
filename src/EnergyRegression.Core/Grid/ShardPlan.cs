using System.Globalization;

namespace EnergyRegression.Core.Grid;

/// <summary>How the input is cut into shards (docs/grid.md, "Sharding").</summary>
public enum ShardSplitKind
{
    /// <summary><c>--shard K/N</c> alone: N contiguous parts balanced by entries (sizes differ by at most one).</summary>
    Balanced,

    /// <summary><c>--files-per-job F</c>: whole files, F per shard.</summary>
    FilesPerJob,

    /// <summary><c>--events-per-job E</c>: E entries per shard (the last one may have fewer).</summary>
    EventsPerJob,
}

/// <summary>A way to split the input: the kind and its number (shards, files or events per shard).</summary>
public sealed record ShardSplit(ShardSplitKind Kind, long Value)
{
    /// <summary>The command-line options that select this split (after <c>--shard K/N</c>), e.g. <c>--files-per-job 2</c>.</summary>
    public string Options => Kind switch
    {
        ShardSplitKind.FilesPerJob => "--files-per-job " + Value.ToString(CultureInfo.InvariantCulture),
        ShardSplitKind.EventsPerJob => "--events-per-job " + Value.ToString(CultureInfo.InvariantCulture),
        _ => "",
    };

    /// <summary>As stored in ledgers and done markers, e.g. <c>balanced 4</c>, <c>files-per-job 2</c>.</summary>
    public override string ToString() => Kind switch
    {
        ShardSplitKind.FilesPerJob => "files-per-job ",
        ShardSplitKind.EventsPerJob => "events-per-job ",
        _ => "balanced ",
    } + Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The part of one input file a shard reads: entries <see cref="Start"/> … <see cref="Stop"/> (exclusive) of that file's share of the stream.</summary>
public sealed record ShardSlice(int File, string Path, long Start, long Stop);

/// <summary>
/// One shard: entries <see cref="Start"/> … <see cref="Stop"/> (exclusive) of the reader's stream (all files in order,
/// within the reader's <c>entries:</c> and the chain's <c>max_events</c>), and the file slices that range covers.
/// </summary>
public sealed record Shard(int Index, int Count, long Start, long Stop, IReadOnlyList<ShardSlice> Slices)
{
    /// <summary>Entries in the shard.</summary>
    public long Entries => Stop - Start;

    /// <summary><c>K/N</c>, as given to <c>--shard</c>.</summary>
    public string Label => $"{Index.ToString(CultureInfo.InvariantCulture)}/{Count.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>
/// Cuts a stream of entries, given per input file, into shards. Deterministic: the same file sizes and split give the
/// same shards on every machine. Every entry belongs to exactly one shard, in order: shard k's range starts where
/// shard k−1's ends, the first starts at 0 and the last ends at the total.
/// </summary>
public static class ShardPlan
{
    /// <summary>
    /// The shards of <paramref name="fileEntries"/> (entries per file; <paramref name="files"/> names them, empty for a
    /// generator) cut by <paramref name="split"/>, with at most <paramref name="maxEntries"/> entries in all (0: no limit).
    /// Throws <see cref="UsageException"/> when the split does not fit the input.
    /// </summary>
    public static IReadOnlyList<Shard> Split(IReadOnlyList<long> fileEntries, IReadOnlyList<string> files, ShardSplit split, long maxEntries = 0)
    {
        ArgumentNullException.ThrowIfNull(fileEntries);
        ArgumentNullException.ThrowIfNull(split);
        long[] sizes = Capped(fileEntries, maxEntries);
        long total = sizes.Sum();
        long[] first = new long[sizes.Length + 1];
        for (int f = 0; f < sizes.Length; f++)
        {
            first[f + 1] = first[f] + sizes[f];
        }
        if (split.Value <= 0)
        {
            throw new UsageException($"The number of a split must be positive, not {split.Value.ToString(CultureInfo.InvariantCulture)} ({split}).");
        }
        var bounds = new List<long>();
        switch (split.Kind)
        {
            case ShardSplitKind.Balanced:
                if (split.Value > total)
                {
                    throw new UsageException($"Cannot cut {total.ToString(CultureInfo.InvariantCulture)} entries into {split.Value.ToString(CultureInfo.InvariantCulture)} shards: use at most {Math.Max(total, 1).ToString(CultureInfo.InvariantCulture)}.");
                }
                for (long k = 0; k <= split.Value; k++)
                {
                    bounds.Add((long)((Int128)total * k / split.Value));
                }
                break;
            case ShardSplitKind.FilesPerJob:
                if (files.Count == 0)
                {
                    throw new UsageException("The reader has no input files (a generator): use --shard K/N or --events-per-job instead of --files-per-job.");
                }
                for (long f = 0; f < sizes.Length; f += split.Value)
                {
                    bounds.Add(first[f]);
                }
                bounds.Add(total);
                break;
            case ShardSplitKind.EventsPerJob:
                for (long s = 0; s < total; s += split.Value)
                {
                    bounds.Add(s);
                }
                bounds.Add(total);
                break;
        }
        if (bounds.Count < 2)
        {
            throw new UsageException("The input has no entries to shard.");
        }
        int count = bounds.Count - 1;
        var shards = new Shard[count];
        for (int k = 0; k < count; k++)
        {
            shards[k] = new Shard(k, count, bounds[k], bounds[k + 1], Slices(bounds[k], bounds[k + 1], first, files));
        }
        return shards;
    }

    /// <summary>Parses <c>K/N</c> (0 ≤ K &lt; N) of <c>--shard</c>.</summary>
    public static (int Index, int Count) ParseLabel(string text)
    {
        string[] parts = (text ?? "").Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            && count > 0 && index < count)
        {
            return (index, count);
        }
        throw new UsageException($"--shard '{text}' is not K/N with 0 <= K < N (shards are numbered from 0, e.g. 0/4 … 3/4).");
    }

    private static long[] Capped(IReadOnlyList<long> fileEntries, long maxEntries)
    {
        long[] sizes = new long[fileEntries.Count];
        long left = maxEntries > 0 ? maxEntries : long.MaxValue;
        for (int f = 0; f < sizes.Length; f++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(fileEntries[f]);
            sizes[f] = Math.Min(fileEntries[f], left);
            left -= sizes[f];
        }
        return sizes;
    }

    private static List<ShardSlice> Slices(long start, long stop, long[] first, IReadOnlyList<string> files)
    {
        var slices = new List<ShardSlice>();
        for (int f = 0; f + 1 < first.Length; f++)
        {
            long from = Math.Max(start, first[f]);
            long to = Math.Min(stop, first[f + 1]);
            if (from < to)
            {
                slices.Add(new ShardSlice(f, f < files.Count ? files[f] : "(generated)", from - first[f], to - first[f]));
            }
        }
        return slices;
    }
}
