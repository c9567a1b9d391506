using EnergyRegression.Data;
using Xunit;

namespace EnergyRegression.TestSupport;

/// <summary>Everything a sequence of batches holds, concatenated per column, for comparisons (reader and writer tests).</summary>
internal sealed class Dataset
{
    public List<long> FirstEntries { get; } = [];

    public List<int> BatchSizes { get; } = [];

    public Dictionary<string, List<int>> Counts { get; } = [];

    public Dictionary<string, List<double>> Values { get; } = [];

    public Dictionary<string, (ColumnLevel Level, string? Collection, Type Type, string Shape)> Kinds { get; } = [];

    public List<string> ColumnOrder { get; } = [];

    public List<string> CollectionOrder { get; } = [];

    public int Events { get; private set; }

    public static Dataset Of(IEnumerable<EventBatch> batches, bool dispose = true)
    {
        var data = new Dataset();
        foreach (EventBatch batch in batches)
        {
            data.Add(batch);
            if (dispose)
            {
                batch.Dispose();
            }
        }
        return data;
    }

    public void Add(EventBatch batch)
    {
        FirstEntries.Add(batch.FirstEntry);
        BatchSizes.Add(batch.EventCount);
        Events += batch.EventCount;
        foreach (string name in batch.CollectionNames)
        {
            ObjectCollection c = batch.GetCollection(name);
            if (!Counts.TryGetValue(name, out List<int>? counts))
            {
                Counts[name] = counts = [];
                CollectionOrder.Add(name);
            }
            for (int e = 0; e < batch.EventCount; e++)
            {
                counts.Add(c.CountOf(e));
            }
        }
        foreach (Column column in batch.Columns)
        {
            if (!Values.TryGetValue(column.Name, out List<double>? values))
            {
                Values[column.Name] = values = [];
                ColumnOrder.Add(column.Name);
                Kinds[column.Name] = (column.Level, column.Collection, column.ElementType, string.Join("x", column.Shape));
            }
            double[] all = new double[column.Rows * column.RowSize];
            column.CopyTo(all);
            values.AddRange(all);
        }
    }

    /// <summary>Asserts both hold the same columns, collections and values (bit for bit as doubles).</summary>
    public void AssertSameAs(Dataset expected)
    {
        Assert.Equal(expected.Events, Events);
        Assert.Equal(expected.ColumnOrder, ColumnOrder);
        Assert.Equal(expected.CollectionOrder, CollectionOrder);
        foreach (string name in CollectionOrder)
        {
            Assert.Equal(expected.Counts[name], Counts[name]);
        }
        foreach (string name in ColumnOrder)
        {
            Assert.Equal(expected.Kinds[name], Kinds[name]);
            AssertBits(expected.Values[name], Values[name], name);
        }
    }

    public static void AssertBits(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string what)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: {actual.Count} values, expected {expected.Count}");
        for (int i = 0; i < expected.Count; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]) && !(double.IsNaN(expected[i]) && double.IsNaN(actual[i])))
            {
                Assert.Fail($"{what}[{i}]: {actual[i]:R}, expected {expected[i]:R}");
            }
        }
    }
}
