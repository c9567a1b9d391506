using EnergyRegression.Data;

namespace EnergyRegression.Testing;

/// <summary>
/// Everything a sequence of batches holds, concatenated per column (as doubles) and per collection (counts per event), for
/// comparisons: what a reader read against what was written, what a stage left against what was expected. Any test
/// framework reports the <see cref="DatasetMismatchException"/> of a failed comparison as a failure.
/// </summary>
public sealed class Dataset
{
    /// <summary><see cref="EventBatch.FirstEntry"/> of every batch, in order.</summary>
    public List<long> FirstEntries { get; } = [];

    /// <summary>Events of every batch, in order.</summary>
    public List<int> BatchSizes { get; } = [];

    /// <summary>Objects per event of every collection, all batches concatenated.</summary>
    public Dictionary<string, List<int>> Counts { get; } = [];

    /// <summary>Every value of every column (tensor rows flattened), all batches concatenated, as doubles.</summary>
    public Dictionary<string, List<double>> Values { get; } = [];

    /// <summary>What each column is: level, collection, element type and row shape (<c>"28x28"</c>, empty for scalars).</summary>
    public Dictionary<string, (ColumnLevel Level, string? Collection, Type Type, string Shape)> Kinds { get; } = [];

    /// <summary>Column names in the order they first appeared.</summary>
    public List<string> ColumnOrder { get; } = [];

    /// <summary>Collection names in the order they first appeared.</summary>
    public List<string> CollectionOrder { get; } = [];

    /// <summary>Events in all batches.</summary>
    public int Events { get; private set; }

    /// <summary>The contents of <paramref name="batches"/>; disposes each batch unless <paramref name="dispose"/> is false.</summary>
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

    /// <summary>Appends one batch's contents.</summary>
    public void Add(EventBatch batch)
    {
        FirstEntries.Add(batch.FirstEntry);
        BatchSizes.Add(batch.EventCount);
        Events += batch.EventCount;
        foreach (string name in batch.CollectionNames)
        {
            ObjectCollection collection = batch.GetCollection(name);
            if (!Counts.TryGetValue(name, out List<int>? counts))
            {
                Counts[name] = counts = [];
                CollectionOrder.Add(name);
            }
            for (int e = 0; e < batch.EventCount; e++)
            {
                counts.Add(collection.CountOf(e));
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

    /// <summary>
    /// Throws a <see cref="DatasetMismatchException"/> unless this holds the same events, collections (in order, with the
    /// same counts) and columns (in order, of the same kind, bit for bit as doubles; NaN equals NaN) as
    /// <paramref name="expected"/>. Batch sizes and first entries are not compared.
    /// </summary>
    public void AssertSameAs(Dataset expected)
    {
        Expect(expected.Events == Events, $"{Events} events, expected {expected.Events}");
        Expect(expected.ColumnOrder.SequenceEqual(ColumnOrder),
            $"columns [{string.Join(", ", ColumnOrder)}], expected [{string.Join(", ", expected.ColumnOrder)}]");
        Expect(expected.CollectionOrder.SequenceEqual(CollectionOrder),
            $"collections [{string.Join(", ", CollectionOrder)}], expected [{string.Join(", ", expected.CollectionOrder)}]");
        foreach (string name in CollectionOrder)
        {
            int differs = FirstDifference(expected.Counts[name], Counts[name]);
            if (differs >= 0)
            {
                throw new DatasetMismatchException(
                    $"collection '{name}': event {differs} has {At(Counts[name], differs)} objects, expected {At(expected.Counts[name], differs)}");
            }
        }
        foreach (string name in ColumnOrder)
        {
            if (expected.Kinds[name] != Kinds[name])
            {
                throw new DatasetMismatchException($"column '{name}' is {Kinds[name]}, expected {expected.Kinds[name]}");
            }
            AssertBits(expected.Values[name], Values[name], name);
        }
    }

    /// <summary>Throws a <see cref="DatasetMismatchException"/> naming the first value that differs (bit for bit; NaN equals NaN).</summary>
    public static void AssertBits(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string what)
    {
        Expect(expected.Count == actual.Count, $"{what}: {actual.Count} values, expected {expected.Count}");
        for (int i = 0; i < expected.Count; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i])
                && !(double.IsNaN(expected[i]) && double.IsNaN(actual[i])))
            {
                throw new DatasetMismatchException($"{what}[{i}]: {actual[i]:R}, expected {expected[i]:R}");
            }
        }
    }

    private static int FirstDifference(List<int> expected, List<int> actual)
    {
        for (int i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            if (i >= expected.Count || i >= actual.Count || expected[i] != actual[i])
            {
                return i;
            }
        }
        return -1;
    }

    private static string At(List<int> values, int i) => i < values.Count ? values[i].ToString(System.Globalization.CultureInfo.InvariantCulture) : "none";

    private static void Expect(bool condition, string message)
    {
        if (!condition)
        {
            throw new DatasetMismatchException(message);
        }
    }
}

/// <summary>Two <see cref="Dataset"/>s differ; the message says where first.</summary>
public sealed class DatasetMismatchException(string message) : Exception(message);
