using EnergyRegression.Core;
using EnergyRegression.Core.Grid;
using EnergyRegression.Core.Running;

namespace EnergyRegression.Cli.Commands;

/// <summary>The sharding options of <c>run</c>: <c>--shard K/N</c> and the split (<c>--files-per-job</c>, <c>--events-per-job</c>).</summary>
internal static class ShardOptions
{
    /// <summary>The split the options select: balanced into <paramref name="count"/> parts unless one of the per-job sizes is given.</summary>
    public static ShardSplit Split(int count, long? filesPerJob, long? eventsPerJob)
    {
        if (filesPerJob is not null && eventsPerJob is not null)
        {
            throw new UsageException("--files-per-job and --events-per-job exclude each other: give one.");
        }
        return filesPerJob is { } f ? new ShardSplit(ShardSplitKind.FilesPerJob, f)
            : eventsPerJob is { } e ? new ShardSplit(ShardSplitKind.EventsPerJob, e)
            : new ShardSplit(ShardSplitKind.Balanced, count);
    }

    public static ShardRequest? Request(string? shard, long? filesPerJob, long? eventsPerJob)
    {
        if (shard is null)
        {
            if (filesPerJob is not null || eventsPerJob is not null)
            {
                throw new UsageException("--files-per-job and --events-per-job choose how --shard K/N cuts the input: give --shard too.");
            }
            return null;
        }
        (int index, int count) = ShardPlan.ParseLabel(shard);
        return new ShardRequest(index, count, Split(count, filesPerJob, eventsPerJob));
    }
}
