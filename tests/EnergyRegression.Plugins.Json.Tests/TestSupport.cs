using System.Runtime.InteropServices;
using System.Text;
using EnergyRegression.Data;
using EnergyRegression.Running;

namespace EnergyRegression.Plugins.Json.Tests;

/// <summary>A temporary directory removed at the end of a test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "erjson-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes <paramref name="text"/> as UTF-8 bytes, exactly (no newline added).</summary>
    public string Write(string name, string text)
    {
        string path = File(name);
        System.IO.File.WriteAllBytes(path, Encoding.UTF8.GetBytes(text));
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>Everything a sequence of batches holds, flattened so two inputs can be compared bit for bit.</summary>
internal sealed record ColumnData(string Name, ColumnLevel Level, string? Collection, string Type, string Shape, byte[] Bytes);

internal sealed class Dataset
{
    public List<long> FirstEntries { get; } = [];

    public List<int> BatchSizes { get; } = [];

    public Dictionary<string, List<int>> Counts { get; } = [];

    public Dictionary<string, ColumnData> Columns { get; } = [];

    public List<string> ColumnOrder { get; } = [];

    public int Events => BatchSizes.Sum();

    public static Dataset Of(IEnumerable<EventBatch> batches)
    {
        var data = new Dataset();
        foreach (EventBatch batch in batches)
        {
            using (batch)
            {
                data.Add(batch);
            }
        }
        return data;
    }

    private void Add(EventBatch batch)
    {
        FirstEntries.Add(batch.FirstEntry);
        BatchSizes.Add(batch.EventCount);
        foreach (string name in batch.CollectionNames)
        {
            ObjectCollection collection = batch.GetCollection(name);
            List<int> counts = Counts.TryGetValue(name, out List<int>? c) ? c : Counts[name] = [];
            for (int e = 0; e < batch.EventCount; e++)
            {
                counts.Add(collection.CountOf(e));
            }
        }
        foreach (Column column in batch.Columns)
        {
            byte[] bytes = BytesOf(column);
            if (Columns.TryGetValue(column.Name, out ColumnData? existing))
            {
                Assert.Equal(existing with { Bytes = [] }, Describe(column) with { Bytes = [] });
                Columns[column.Name] = existing with { Bytes = [.. existing.Bytes, .. bytes] };
            }
            else
            {
                ColumnOrder.Add(column.Name);
                Columns[column.Name] = Describe(column) with { Bytes = bytes };
            }
        }
    }

    private static ColumnData Describe(Column c) =>
        new(c.Name, c.Level, c.Collection, ScalarConvert.NameOf(c.ElementType), string.Join("x", c.Shape), []);

    public static byte[] BytesOf(Column column) => column switch
    {
        Column<double> c => MemoryMarshal.AsBytes(c.Values).ToArray(),
        Column<float> c => MemoryMarshal.AsBytes(c.Values).ToArray(),
        Column<long> c => MemoryMarshal.AsBytes(c.Values).ToArray(),
        Column<int> c => MemoryMarshal.AsBytes(c.Values).ToArray(),
        Column<bool> c => MemoryMarshal.AsBytes(c.Values).ToArray(),
        Column<short> c => MemoryMarshal.AsBytes(c.Values).ToArray(),
        Column<sbyte> c => MemoryMarshal.AsBytes(c.Values).ToArray(),
        Column<byte> c => MemoryMarshal.AsBytes(c.Values).ToArray(),
        Column<ushort> c => MemoryMarshal.AsBytes(c.Values).ToArray(),
        Column<uint> c => MemoryMarshal.AsBytes(c.Values).ToArray(),
        Column<ulong> c => MemoryMarshal.AsBytes(c.Values).ToArray(),
        _ => throw new NotSupportedException(),
    };

    public double[] Doubles(string column) => MemoryMarshal.Cast<byte, double>(Columns[column].Bytes).ToArray();

    public long[] Longs(string column) => MemoryMarshal.Cast<byte, long>(Columns[column].Bytes).ToArray();

    /// <summary>Asserts both hold the same columns (names, order, kinds, types, shapes), collections and values, bit for bit.</summary>
    public static void AssertSame(Dataset expected, Dataset actual)
    {
        Assert.Equal(expected.Events, actual.Events);
        Assert.Equal(expected.ColumnOrder, actual.ColumnOrder);
        Assert.Equal(expected.Counts.Keys.Order(), actual.Counts.Keys.Order());
        foreach ((string name, List<int> counts) in expected.Counts)
        {
            Assert.Equal(counts, actual.Counts[name]);
        }
        foreach (string name in expected.ColumnOrder)
        {
            ColumnData e = expected.Columns[name];
            ColumnData a = actual.Columns[name];
            Assert.Equal(e with { Bytes = [] }, a with { Bytes = [] });
            Assert.True(e.Bytes.AsSpan().SequenceEqual(a.Bytes), $"Values of column '{name}' differ.");
        }
    }
}

internal static class Json
{
    public static JsonLinesReader Reader(string[] files, Dictionary<string, string>? types = null,
        JsonErrorAction onError = JsonErrorAction.Stop, TestRunContext? context = null) =>
        new(new JsonLinesReaderConfig { Files = files, Types = types ?? [], OnError = onError }, context ?? new TestRunContext());

    public static Dataset Read(string[] files, int batchSize = 1000, Dictionary<string, string>? types = null,
        JsonErrorAction onError = JsonErrorAction.Stop, TestRunContext? context = null)
    {
        using JsonLinesReader reader = Reader(files, types, onError, context);
        return Dataset.Of(reader.ReadBatches(batchSize, CancellationToken.None));
    }

    public static Provenance Provenance { get; } = new()
    {
        ToolVersion = "test",
        ConfigPath = "test.yaml",
        ConfigText = "",
        ConfigSha256 = "0",
        Seed = 1,
        InputFiles = [],
        StartedUtc = DateTimeOffset.UnixEpoch,
    };

    /// <summary>Writes the batches to <paramref name="path"/> with the json writer and commits.</summary>
    public static void Write(string path, IEnumerable<EventBatch> batches, string[]? columns = null, TestRunContext? context = null)
    {
        using var writer = new JsonLinesWriter(new JsonLinesWriterConfig { Path = path, Columns = columns }, context ?? new TestRunContext());
        writer.Open(Provenance);
        foreach (EventBatch batch in batches)
        {
            writer.Write(batch);
        }
        writer.Commit();
    }
}
