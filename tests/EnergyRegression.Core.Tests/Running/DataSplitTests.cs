using EnergyRegression.Core.Running;
using EnergyRegression.Data;

namespace EnergyRegression.Core.Tests.Running;

public sealed class DataSplitTests
{
    private static EventBatch Events(long first, int count, bool withKeys = true)
    {
        var batch = new EventBatch(count) { FirstEntry = first };
        if (withKeys)
        {
            Span<int> run = batch.AddEventColumn<int>("run").Values;
            Span<long> number = batch.AddEventColumn<long>("event").Values;
            for (int i = 0; i < count; i++)
            {
                run[i] = 1;
                number[i] = first + i;
            }
        }
        return batch;
    }

    [Fact]
    public void Fractions_are_met_and_the_part_of_an_event_does_not_depend_on_its_batch()
    {
        var split = new DataSplit(0.2, 0.1, ["run", "luminosityBlock", "event"], 0);
        using EventBatch all = Events(0, 100_000);
        DataPart[] parts = split.Assign(all);
        Assert.InRange(parts.Count(p => p == DataPart.Validation) / 100_000.0, 0.195, 0.205);
        Assert.InRange(parts.Count(p => p == DataPart.Test) / 100_000.0, 0.097, 0.103);
        Assert.Equal(["run", "event"], split.KeysIn(all));

        // The same events in other batches, in another order: the same parts.
        using EventBatch tail = Events(70_000, 30_000);
        Assert.Equal(parts[70_000..], split.Assign(tail));
        using EventBatch head = Events(0, 1_000);
        head.KeepEvents([.. Enumerable.Range(0, 1_000).Select(i => i % 3 == 0)]);
        Assert.Equal(Enumerable.Range(0, 1_000).Where(i => i % 3 == 0).Select(i => parts[i]), split.Assign(head));
    }

    [Fact]
    public void Without_key_columns_the_entry_number_decides_and_a_salt_gives_another_split()
    {
        var split = new DataSplit(0.5, 0, ["run", "event"], 0);
        using EventBatch batch = Events(500, 2_000, withKeys: false);
        Assert.Empty(split.KeysIn(batch));
        DataPart[] parts = split.Assign(batch);
        using EventBatch shifted = Events(0, 2_500, withKeys: false);
        Assert.Equal(parts, split.Assign(shifted)[500..]);
        DataPart[] salted = new DataSplit(0.5, 0, ["run", "event"], 99).Assign(batch);
        Assert.InRange(parts.Zip(salted).Count(p => p.First != p.Second), 800, 1_200);
    }
}
