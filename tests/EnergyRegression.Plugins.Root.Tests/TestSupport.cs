using EnergyRegression.Data;
using EnergyRegression.Running;

namespace EnergyRegression.Plugins.Root.Tests;

/// <summary>The shared ROOT test files (../shared/testdata/root from the repository root).</summary>
internal static class TestFiles
{
    public static string Directory { get; } = Find();

    public static string NanoAod => Path.Combine(Directory, "nanoAOD_2015_CMS_Open_Data_ttbar.root");

    public static string Zmumu => Path.Combine(Directory, "uproot-Zmumu.root");

    public static string Hzz => Path.Combine(Directory, "uproot-HZZ.root");

    private static string Find()
    {
        DirectoryInfo? dir = new(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EnergyRegression.sln")))
        {
            dir = dir.Parent;
        }
        if (dir is null)
        {
            throw new InvalidOperationException("EnergyRegression.sln not found above " + AppContext.BaseDirectory);
        }
        return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "testdata", "root"));
    }
}

/// <summary>Everything a sequence of batches holds, concatenated per column, for comparisons.</summary>
internal sealed class Dataset
{
    public List<long> FirstEntries { get; } = [];

    public List<int> BatchSizes { get; } = [];

    public Dictionary<string, List<int>> Counts { get; } = [];

    public Dictionary<string, List<double>> Values { get; } = [];

    public Dictionary<string, (ColumnLevel Level, string? Collection, Type Type, string Shape)> Kinds { get; } = [];

    public List<string> ColumnOrder { get; } = [];

    public List<string> CollectionOrder { get; } = [];

    public int Events => BatchSizes.Sum();

    public static Dataset Of(IEnumerable<EventBatch> batches)
    {
        var data = new Dataset();
        foreach (EventBatch batch in batches)
        {
            using (batch)
            {
                data.FirstEntries.Add(batch.FirstEntry);
                data.BatchSizes.Add(batch.EventCount);
                foreach (string name in batch.CollectionNames)
                {
                    ObjectCollection c = batch.GetCollection(name);
                    if (!data.Counts.TryGetValue(name, out List<int>? counts))
                    {
                        data.Counts[name] = counts = [];
                        data.CollectionOrder.Add(name);
                    }
                    for (int e = 0; e < batch.EventCount; e++)
                    {
                        counts.Add(c.CountOf(e));
                    }
                }
                foreach (Column column in batch.Columns)
                {
                    if (!data.Values.TryGetValue(column.Name, out List<double>? values))
                    {
                        data.Values[column.Name] = values = [];
                        data.ColumnOrder.Add(column.Name);
                        data.Kinds[column.Name] = (column.Level, column.Collection, column.ElementType, string.Join("x", column.Shape));
                    }
                    double[] all = new double[column.Rows * column.RowSize];
                    column.CopyTo(all);
                    values.AddRange(all);
                }
            }
        }
        return data;
    }

    /// <summary>Asserts both hold the same columns, collections and values (bit for bit as doubles).</summary>
    public void AssertSameAs(Dataset other)
    {
        Assert.Equal(other.Events, Events);
        Assert.Equal(other.ColumnOrder, ColumnOrder);
        Assert.Equal(other.CollectionOrder, CollectionOrder);
        foreach (string name in CollectionOrder)
        {
            Assert.Equal(other.Counts[name], Counts[name]);
        }
        foreach (string name in ColumnOrder)
        {
            Assert.Equal(other.Kinds[name], Kinds[name]);
            Assert.True(other.Values[name].SequenceEqual(Values[name]), $"column {name} differs");
        }
    }
}
