using System.Globalization;
using System.Text.Json;
using EnergyRegression.Data;
using EnergyRegression.Hdf5;
using EnergyRegression.TestOracles;

namespace EnergyRegression.Plugins.Hdf5.Tests;

/// <summary>The corpus of tests/oracles/h5py/make_corpus.py, written by h5py, pandas and PyTables once per test run.</summary>
public sealed class CorpusFiles : IDisposable
{
    private readonly TempDirectory _dir = new();

    public CorpusFiles()
    {
        H5pyOracle.RunScript("make_corpus.py", _dir.Path);
        Manifest = JsonDocument.Parse(System.IO.File.ReadAllText(_dir.File("manifest.json")));
    }

    public JsonDocument Manifest { get; }

    public string Directory => _dir.Path;

    public string File(string name) => _dir.File(name);

    public JsonElement Case(string name) => Manifest.RootElement.GetProperty(name);

    public void Dispose()
    {
        Manifest.Dispose();
        _dir.Dispose();
    }
}

/// <summary>
/// Every case of the corpus (filters, chunk indexes, layouts, links, odd objects, types, pandas and PyTables
/// files) read by the hdf5 reader in batches of 7 entries, each value compared with the value the writer
/// wrote (make_corpus.py's manifest), each collection's counts too; cases the reader cannot read must fail
/// with an input error naming the file, the dataset and what is unsupported; what is left out is named in
/// a warning.
/// </summary>
public sealed class CorpusTests(CorpusFiles corpus) : IClassFixture<CorpusFiles>
{
    [Fact]
    public void Every_case_reads_exactly_what_was_written_or_fails_naming_what_is_unsupported()
    {
        var failures = new List<string>();
        int cases = 0;
        foreach (JsonProperty c in corpus.Manifest.RootElement.EnumerateObject())
        {
            cases++;
            try
            {
                Check(c.Name, c.Value);
            }
            catch (Exception ex) when (ex is Xunit.Sdk.XunitException or InputDataException or ConfigValueException or Hdf5FormatException or InvalidOperationException)
            {
                failures.Add($"{c.Name}: {ex.Message}");
            }
        }
        Assert.True(cases >= 75, $"only {cases} cases");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases failed:\n" + string.Join("\n", failures));
    }

    private void Check(string name, JsonElement spec)
    {
        string file = corpus.File(spec.GetProperty("file").GetString()!);
        var config = new Hdf5ReaderConfig { Files = [file] };
        if (spec.TryGetProperty("event_group", out JsonElement group))
        {
            config.EventGroup = group.GetString()!;
        }
        if (spec.TryGetProperty("datasets", out JsonElement datasets))
        {
            config.Datasets = datasets.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        }
        if (spec.TryGetProperty("error", out JsonElement error))
        {
            InputDataException ex = Assert.Throws<InputDataException>(() => ReadAll(config, new TestRunContext()));
            Assert.Equal(file, ex.File);
            Assert.Contains(error.GetString()!, ex.Message, StringComparison.Ordinal);
            return;
        }
        var context = new TestRunContext();
        (Dictionary<string, List<string>> values, Dictionary<string, List<int>> counts, Dictionary<string, string> types) = ReadAll(config, context);
        // Text columns are not in event batches: read them as dump does.
        using (var h5 = Hdf5File.Open(file))
        {
            var table = Hdf5Table.Resolve(h5, new Hdf5TableOptions { EventGroup = config.EventGroup, Datasets = config.Datasets.Count > 0 ? config.Datasets : null });
            foreach (Hdf5Column text in table.Columns.Where(c => c.IsText))
            {
                values[text.Name] = [.. table.ReadText(text, 0, (int)table.Entries)];
                types[text.Name] = "string";
            }
            if (spec.TryGetProperty("attributes", out JsonElement attributes))
            {
                foreach (JsonProperty objectPath in attributes.EnumerateObject())
                {
                    var actual = h5.Attributes(objectPath.Name).ToDictionary(a => a.Name, a => a.Value);
                    foreach (JsonProperty a in objectPath.Value.EnumerateObject())
                    {
                        Assert.True(actual.TryGetValue(a.Name, out string? v) && v == a.Value.GetString(), $"attribute {objectPath.Name} {a.Name}: {v ?? "(missing)"}, expected {a.Value.GetString()}");
                    }
                }
            }
            if (spec.TryGetProperty("enum", out JsonElement enums))
            {
                foreach (JsonProperty e in enums.EnumerateObject())
                {
                    Assert.Equal(e.Value.GetString(), h5.GetDataset(e.Name).Type.Name);
                }
            }
        }
        foreach (JsonProperty column in spec.GetProperty("columns").EnumerateObject())
        {
            Assert.True(values.ContainsKey(column.Name), $"no column {column.Name}; columns: {string.Join(", ", values.Keys)}; warnings: {string.Join(" | ", context.Warnings)}");
            string dtype = column.Value.GetProperty("dtype").GetString()!;
            Assert.True(types[column.Name] == dtype, $"{column.Name} is {types[column.Name]}, expected {dtype}");
            List<string> expected = [.. column.Value.GetProperty("values").EnumerateArray().Select(Text)];
            List<string> actual = values[column.Name];
            Assert.True(expected.Count == actual.Count, $"{column.Name}: {actual.Count} values, expected {expected.Count}");
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.True(expected[i] == actual[i], $"{column.Name}[{i}] = {actual[i]}, expected {expected[i]}");
            }
        }
        foreach (JsonProperty collection in spec.GetProperty("counts").EnumerateObject())
        {
            Assert.True(counts.ContainsKey(collection.Name), $"no collection {collection.Name}");
            Assert.Equal(collection.Value.EnumerateArray().Select(v => v.GetInt32()), counts[collection.Name]);
        }
        foreach (JsonElement note in spec.GetProperty("skipped").EnumerateArray())
        {
            Assert.True(context.Warnings.Any(w => w.Contains(note.GetString()!, StringComparison.Ordinal)),
                $"no warning contains '{note.GetString()}': {string.Join(" | ", context.Warnings)}");
        }
        _ = name;
    }

    /// <summary>A manifest value as text: numbers in their shortest round-trip form, NaN/±inf as the manifest spells them.</summary>
    private static string Text(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number when v.TryGetInt64(out long l) && !v.GetRawText().Contains('.', StringComparison.Ordinal) && !v.GetRawText().Contains('e', StringComparison.OrdinalIgnoreCase) => l.ToString(CultureInfo.InvariantCulture),
        JsonValueKind.Number when v.TryGetUInt64(out ulong u) && !v.GetRawText().Contains('.', StringComparison.Ordinal) => u.ToString(CultureInfo.InvariantCulture),
        _ => Number(v.GetDouble()),
    };

    private static string Number(double d) => double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity"
        : d == 0 && double.IsNegative(d) ? "-0" : d == Math.Floor(d) && Math.Abs(d) < 1e15 ? ((long)d).ToString(CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture);

    private static (Dictionary<string, List<string>> Values, Dictionary<string, List<int>> Counts, Dictionary<string, string> Types) ReadAll(Hdf5ReaderConfig config, TestRunContext context)
    {
        var values = new Dictionary<string, List<string>>();
        var counts = new Dictionary<string, List<int>>();
        var types = new Dictionary<string, string>();
        using var reader = new Hdf5Reader(config, context);
        foreach (EventBatch batch in reader.ReadBatches(7, CancellationToken.None))
        {
            using (batch)
            {
                foreach (string c in batch.CollectionNames)
                {
                    ObjectCollection collection = batch.GetCollection(c);
                    if (!counts.TryGetValue(c, out List<int>? list))
                    {
                        counts[c] = list = [];
                    }
                    for (int e = 0; e < batch.EventCount; e++)
                    {
                        list.Add(collection.CountOf(e));
                    }
                }
                foreach (Column column in batch.Columns)
                {
                    types[column.Name] = Hdf5Type.ShortName(column.ElementType);
                    if (!values.TryGetValue(column.Name, out List<string>? list))
                    {
                        values[column.Name] = list = [];
                    }
                    list.AddRange(Texts(column));
                }
            }
        }
        return (values, counts, types);
    }

    private static IEnumerable<string> Texts(Column column) => column switch
    {
        Column<float> c => c.Values.ToArray().Select(v => Number(v)),
        Column<double> c => c.Values.ToArray().Select(Number),
        Column<bool> c => c.Values.ToArray().Select(v => v ? "true" : "false"),
        Column<sbyte> c => c.Values.ToArray().Select(v => v.ToString(CultureInfo.InvariantCulture)),
        Column<byte> c => c.Values.ToArray().Select(v => v.ToString(CultureInfo.InvariantCulture)),
        Column<short> c => c.Values.ToArray().Select(v => v.ToString(CultureInfo.InvariantCulture)),
        Column<ushort> c => c.Values.ToArray().Select(v => v.ToString(CultureInfo.InvariantCulture)),
        Column<int> c => c.Values.ToArray().Select(v => v.ToString(CultureInfo.InvariantCulture)),
        Column<uint> c => c.Values.ToArray().Select(v => v.ToString(CultureInfo.InvariantCulture)),
        Column<long> c => c.Values.ToArray().Select(v => v.ToString(CultureInfo.InvariantCulture)),
        Column<ulong> c => c.Values.ToArray().Select(v => v.ToString(CultureInfo.InvariantCulture)),
        _ => throw new InvalidOperationException(column.ElementType.Name),
    };
}
