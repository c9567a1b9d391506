using EnergyRegression.Core;
using EnergyRegression.Core.Grid;

namespace EnergyRegression.Core.Tests.Grid;

public sealed class ShardPlanTests
{
    /// <summary>Every entry of every file lies in exactly one shard, in order, whatever the file sizes and the split.</summary>
    [Fact]
    public void Every_entry_is_in_exactly_one_shard_for_random_file_sizes_and_splits()
    {
        var random = new Random(20261125);
        for (int trial = 0; trial < 2000; trial++)
        {
            int fileCount = random.Next(1, 9);
            long[] sizes = [.. Enumerable.Range(0, fileCount).Select(_ => random.Next(4) == 0 ? 0L : random.Next(1, 400))];
            string[] files = [.. Enumerable.Range(0, fileCount).Select(f => $"f{f}.root")];
            long total = sizes.Sum();
            if (total == 0)
            {
                continue;
            }
            long maxEvents = random.Next(3) == 0 ? random.Next(1, (int)total + 50) : 0;
            long effective = maxEvents > 0 ? Math.Min(total, maxEvents) : total;
            ShardSplit split = random.Next(3) switch
            {
                0 => new ShardSplit(ShardSplitKind.Balanced, random.Next(1, (int)Math.Min(effective, 40) + 1)),
                1 => new ShardSplit(ShardSplitKind.FilesPerJob, random.Next(1, 5)),
                _ => new ShardSplit(ShardSplitKind.EventsPerJob, random.Next(1, 300)),
            };
            IReadOnlyList<Shard> shards = ShardPlan.Split(sizes, files, split, maxEvents);
            string context = $"trial {trial}: sizes [{string.Join(", ", sizes)}], max {maxEvents}, {split}";

            // Count how often each (file, entry) is covered through the slices: exactly once below the cap, never above.
            var covered = sizes.Select(s => new int[s]).ToArray();
            long next = 0;
            for (int k = 0; k < shards.Count; k++)
            {
                Shard shard = shards[k];
                Assert.True(shard.Index == k && shard.Count == shards.Count, context);
                Assert.True(shard.Start == next, context); // contiguous, in order
                next = shard.Stop;
                Assert.True(shard.Entries == shard.Slices.Sum(s => s.Stop - s.Start), context);
                foreach (ShardSlice slice in shard.Slices)
                {
                    Assert.Equal(files[slice.File], slice.Path);
                    for (long e = slice.Start; e < slice.Stop; e++)
                    {
                        covered[slice.File][e]++;
                    }
                }
            }
            Assert.True(next == effective, context);
            long seen = 0;
            for (int f = 0; f < fileCount; f++)
            {
                for (long e = 0; e < sizes[f]; e++, seen++)
                {
                    Assert.True(covered[f][e] == (seen < effective ? 1 : 0), $"{context}: file {f} entry {e} covered {covered[f][e]} times");
                }
            }
            switch (split.Kind)
            {
                case ShardSplitKind.Balanced:
                    Assert.Equal(split.Value, shards.Count);
                    Assert.True(shards.Max(s => s.Entries) - shards.Min(s => s.Entries) <= 1, context); // balanced by entries
                    break;
                case ShardSplitKind.EventsPerJob:
                    Assert.True(shards.Take(shards.Count - 1).All(s => s.Entries == split.Value) && shards[^1].Entries <= split.Value, context);
                    break;
                case ShardSplitKind.FilesPerJob:
                    Assert.True(shards.All(s => s.Slices.Select(x => x.File).Distinct().Count() <= split.Value), context);
                    break;
            }
            // Deterministic: the same input gives the same plan.
            Assert.Equal(shards.Select(s => (s.Start, s.Stop)), ShardPlan.Split(sizes, files, split, maxEvents).Select(s => (s.Start, s.Stop)));
        }
    }

    [Fact]
    public void Balanced_shards_of_uneven_files_cross_file_boundaries_at_known_places()
    {
        // 10 + 0 + 7 + 3 = 20 entries into 3: boundaries 0, 6, 13, 20.
        IReadOnlyList<Shard> shards = ShardPlan.Split([10, 0, 7, 3], ["a", "b", "c", "d"], new ShardSplit(ShardSplitKind.Balanced, 3));
        Assert.Equal([(0L, 6L), (6L, 13L), (13L, 20L)], shards.Select(s => (s.Start, s.Stop)));
        Assert.Equal([new ShardSlice(0, "a", 6, 10), new ShardSlice(2, "c", 0, 3)], shards[1].Slices);
        Assert.Equal([new ShardSlice(2, "c", 3, 7), new ShardSlice(3, "d", 0, 3)], shards[2].Slices);
        Assert.Equal("1/3", shards[1].Label);
    }

    [Fact]
    public void Files_per_job_keeps_files_whole()
    {
        IReadOnlyList<Shard> shards = ShardPlan.Split([5, 9, 2, 4, 1], ["a", "b", "c", "d", "e"], new ShardSplit(ShardSplitKind.FilesPerJob, 2));
        Assert.Equal([(0L, 14L), (14L, 20L), (20L, 21L)], shards.Select(s => (s.Start, s.Stop)));
    }

    [Theory]
    [InlineData(ShardSplitKind.Balanced, 21, "Cannot cut 20 entries into 21 shards")]
    [InlineData(ShardSplitKind.EventsPerJob, 0, "must be positive")]
    public void Splits_that_do_not_fit_are_usage_errors(ShardSplitKind kind, long value, string message)
    {
        var error = Assert.Throws<UsageException>(() => ShardPlan.Split([10, 10], ["a", "b"], new ShardSplit(kind, value)));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_generator_cannot_be_split_by_files()
    {
        var error = Assert.Throws<UsageException>(() => ShardPlan.Split([100], [], new ShardSplit(ShardSplitKind.FilesPerJob, 1)));
        Assert.Contains("--files-per-job", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0/4", 0, 4)]
    [InlineData("3/4", 3, 4)]
    public void Labels_parse(string text, int index, int count) => Assert.Equal((index, count), ShardPlan.ParseLabel(text));

    [Theory]
    [InlineData("4/4")]
    [InlineData("1")]
    [InlineData("-1/4")]
    [InlineData("a/b")]
    [InlineData("0/0")]
    public void Bad_labels_are_usage_errors(string text) => Assert.Throws<UsageException>(() => ShardPlan.ParseLabel(text));

    [Theory]
    [InlineData("out/calib.root", "out/calib.shard-2-of-8.root")]
    [InlineData("${CONFIG_DIR}/x.tar.jsonl", "${CONFIG_DIR}/x.tar.shard-2-of-8.jsonl")]
    [InlineData("noext", "noext.shard-2-of-8")]
    [InlineData("dir.d/.hidden", "dir.d/.hidden.shard-2-of-8")]
    public void Shard_output_names_insert_the_shard_before_the_extension(string path, string expected) =>
        Assert.Equal(expected, EnergyRegression.Core.Running.ChainRunner.ShardPath(path, 2, 8));
}
