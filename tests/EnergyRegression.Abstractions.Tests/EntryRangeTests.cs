using EnergyRegression.Plugins;

namespace EnergyRegression.Abstractions.Tests;

public sealed class EntryRangeTests
{
    [Fact]
    public void Batches_of_each_file_cover_exactly_the_range_across_files()
    {
        // Files of 7, 0, 5 and 9 entries; entries 3:15 in batches of 4.
        long[] files = [7, 0, 5, 9];
        var range = EntryRange.Parse("3:15");
        var covered = new List<long>();
        long first = 0;
        foreach (long entries in files)
        {
            if (range.EndsBefore(first))
            {
                break;
            }
            foreach ((long s, int count) in range.BatchesOf(first, entries, 4))
            {
                Assert.InRange(count, 1, 4);
                covered.AddRange(Enumerable.Range(0, count).Select(i => first + s + i));
            }
            first += entries;
        }
        Assert.Equal(Enumerable.Range(3, 12).Select(i => (long)i), covered);
        Assert.Equal(12, range.CountWithin(21));
        Assert.Equal(21, EntryRange.Parse(null).CountWithin(21));
        Assert.Equal(0, EntryRange.Parse("30:").CountWithin(21));
    }

    [Fact]
    public void Entries_per_file_within_the_range_and_its_shards()
    {
        // Files of 7, 0, 5 and 9 entries (input entries 0–6, –, 7–11, 12–20); entries 3:15 take 4, 0, 5, 3 of them.
        long[] files = [7, 0, 5, 9];
        var range = EntryRange.Parse("3:15");
        Assert.Equal([4L, 0, 5, 3], range.CountPerFile(files));
        Assert.Equal(files, EntryRange.Parse(null).CountPerFile(files));
        // The range's 2nd to 8th entries (a shard) are input entries 5–10: 2 in the first file, 4 in the third.
        Assert.Equal([2L, 0, 4, 0], range.Within(2, 8).CountPerFile(files));
        Assert.Empty(range.CountPerFile([]));
    }

    [Theory]
    [InlineData("5")]
    [InlineData("1:2:3")]
    [InlineData("9:3")]
    [InlineData("-1:")]
    public void Malformed_ranges_name_the_key(string text)
    {
        Assert.Equal("entries", Assert.Throws<ConfigValueException>(() => EntryRange.Parse(text)).Key);
    }
}
