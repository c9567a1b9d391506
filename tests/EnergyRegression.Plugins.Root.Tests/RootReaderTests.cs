using EnergyRegression.Data;

namespace EnergyRegression.Plugins.Root.Tests;

public sealed class RootReaderTests
{
    private static RootReader Reader(string[] files, string tree = "Events", string[]? branches = null, string? entries = null,
        Dictionary<string, string>? collections = null, TestRunContext? context = null) =>
        new(new RootReaderConfig
        {
            Files = files,
            Tree = tree,
            Branches = branches ?? [],
            Entries = entries,
            Collections = collections ?? [],
        }, context ?? new TestRunContext());

    private static Dataset ReadAll(RootReader reader, int batchSize = 64) => Dataset.Of(reader.ReadBatches(batchSize, CancellationToken.None));

    private static List<double> ObjectsOf(Dataset data, string column, string collection, int entry)
    {
        int first = data.Counts[collection].Take(entry).Sum();
        return data.Values[column].Skip(first).Take(data.Counts[collection][entry]).ToList();
    }

    [Fact]
    public void NanoAodDefaultsReadEveryReadableBranchWithInferredCollections()
    {
        var context = new TestRunContext();
        using RootReader reader = Reader([TestFiles.NanoAod], context: context);
        Assert.Equal(200, reader.CountEvents());
        Dataset data = ReadAll(reader);

        Assert.Equal(200, data.Events);
        Assert.Contains("Electron", data.CollectionOrder);
        Assert.Contains("Jet", data.CollectionOrder);
        Assert.Contains("Muon", data.CollectionOrder);
        Assert.DoesNotContain("nElectron", data.ColumnOrder);
        Assert.DoesNotContain("nJet", data.ColumnOrder);

        Assert.Equal((ColumnLevel.Event, (string?)null, typeof(float), ""), data.Kinds["MET_pt"]);
        Assert.Equal((ColumnLevel.Object, (string?)"Electron", typeof(float), ""), data.Kinds["Electron_pt"]);
        Assert.Equal(33.261875f, (float)data.Values["MET_pt"][0]);
        Assert.Equal(0, data.Counts["Electron"][0]);
        Assert.Equal([17.921875, 15.734375], ObjectsOf(data, "Jet_pt", "Jet", 0));
        Assert.Equal([(double)32.679607f], ObjectsOf(data, "Electron_pt", "Electron", 1));
        Assert.Equal(63, data.Counts["Electron"].Count(c => c >= 1));
        Assert.Equal(data.Counts["Electron"].Sum(), data.Values["Electron_eta"].Count);
    }

    [Fact]
    public void BatchBoundariesDoNotChangeTheData()
    {
        string[] branches = ["Electron_*", "Jet_pt", "Jet_eta", "MET_*", "nMuon", "run", "event"];
        Dataset reference = ReadAll(Reader([TestFiles.NanoAod], branches: branches), 200);
        Assert.Equal([0L], reference.FirstEntries);
        foreach (int size in new[] { 1, 7, 64 })
        {
            Dataset data = ReadAll(Reader([TestFiles.NanoAod], branches: branches), size);
            data.AssertSameAs(reference);
            Assert.Equal(Enumerable.Range(0, (200 + size - 1) / size).Select(i => (long)i * size), data.FirstEntries);
            Assert.All(data.BatchSizes, n => Assert.True(n <= size));
        }
    }

    [Fact]
    public void EntryRangeSelectsEntriesAcrossTheStream()
    {
        Dataset all = ReadAll(Reader([TestFiles.NanoAod], branches: ["MET_pt", "Jet_pt"]));
        using RootReader reader = Reader([TestFiles.NanoAod], branches: ["MET_pt", "Jet_pt"], entries: "10:50");
        Assert.Equal(40, reader.CountEvents());
        Dataset part = ReadAll(reader, 16);
        Assert.Equal(40, part.Events);
        Assert.Equal([10L, 26, 42], part.FirstEntries);
        Assert.Equal(all.Values["MET_pt"].Skip(10).Take(40), part.Values["MET_pt"]);
        Assert.Equal(all.Counts["Jet"].Skip(10).Take(40), part.Counts["Jet"]);
        int firstJet = all.Counts["Jet"].Take(10).Sum();
        Assert.Equal(all.Values["Jet_pt"].Skip(firstJet).Take(part.Values["Jet_pt"].Count), part.Values["Jet_pt"]);

        Assert.Equal(10, Reader([TestFiles.NanoAod], branches: ["MET_pt"], entries: "190:").CountEvents());
        Assert.Equal(5, Reader([TestFiles.NanoAod], branches: ["MET_pt"], entries: ":5").CountEvents());
        Assert.Equal(0, ReadAll(Reader([TestFiles.NanoAod], branches: ["MET_pt"], entries: "300:400")).Events);
    }

    [Fact]
    public void TwoFilesAreOneStream()
    {
        using RootReader reader = Reader([TestFiles.NanoAod, TestFiles.NanoAod], branches: ["MET_pt", "Electron_pt"]);
        Assert.Equal(400, reader.CountEvents());
        Assert.Equal(2, reader.InputFiles.Count);
        Dataset data = ReadAll(reader, 64);
        Assert.Equal(400, data.Events);
        // A batch never spans two files: 4 batches (0..199), then 4 more starting at 200.
        Assert.Equal([0L, 64, 128, 192, 200, 264, 328, 392], data.FirstEntries);
        Assert.Equal(data.Values["MET_pt"].Take(200), data.Values["MET_pt"].Skip(200));
        Assert.Equal(33.261875f, (float)data.Values["MET_pt"][200]);
        Assert.Equal(126, data.Counts["Electron"].Count(c => c >= 1));

        Dataset range = ReadAll(Reader([TestFiles.NanoAod, TestFiles.NanoAod], branches: ["MET_pt"], entries: "190:210"), 100);
        Assert.Equal([190L, 200], range.FirstEntries);
        Assert.Equal(data.Values["MET_pt"].Skip(190).Take(20), range.Values["MET_pt"]);
    }

    [Fact]
    public void BranchGlobsSelectColumns()
    {
        using RootReader reader = Reader([TestFiles.NanoAod], branches: ["Electron_*", "MET_pt"]);
        Dataset data = ReadAll(reader);
        Assert.Equal(["Electron"], data.CollectionOrder);
        Assert.Contains("MET_pt", data.ColumnOrder);
        Assert.DoesNotContain("MET_phi", data.ColumnOrder);
        Assert.All(data.ColumnOrder.Where(c => c != "MET_pt"), c => Assert.StartsWith("Electron_", c));
        Assert.All(data.ColumnOrder.Where(c => c != "MET_pt"), c => Assert.Equal("Electron", data.Kinds[c].Collection));
        Assert.Equal(63, data.Counts["Electron"].Count(c => c >= 1));
    }

    [Fact]
    public void ACounterAloneGivesItsCollection()
    {
        Dataset withPt = ReadAll(Reader([TestFiles.NanoAod], branches: ["Electron_pt"]));
        Dataset data = ReadAll(Reader([TestFiles.NanoAod], branches: ["nElectron"]), 50);
        Assert.Empty(data.ColumnOrder);
        Assert.Equal(withPt.Counts["Electron"], data.Counts["Electron"]);
    }

    [Fact]
    public void CollectionsCanBeRenamed()
    {
        Dataset data = ReadAll(Reader([TestFiles.NanoAod], branches: ["Electron_pt"], collections: new() { ["Ele"] = "nElectron" }));
        Assert.Equal(["Ele"], data.CollectionOrder);
        Assert.Equal("Ele", data.Kinds["Electron_pt"].Collection);
        Assert.Equal([(double)32.679607f], ObjectsOf(data, "Electron_pt", "Ele", 1));
    }

    [Fact]
    public void AMissingNamedBranchIsAConfigErrorWithASuggestion()
    {
        ConfigValueException ex = Assert.Throws<ConfigValueException>(() => Reader([TestFiles.NanoAod], branches: ["Electron_ptt"]));
        Assert.Equal("branches", ex.Key);
        Assert.Contains("'Electron_ptt'", ex.Message);
        Assert.Contains("did you mean 'Electron_pt'", ex.Message);
    }

    [Fact]
    public void ConfigMistakesNameTheirKey()
    {
        Assert.Equal("collections", Assert.Throws<ConfigValueException>(
            () => Reader([TestFiles.NanoAod], collections: new() { ["Ele"] = "nElectrons" })).Key);
        Assert.Equal("collections", Assert.Throws<ConfigValueException>(
            () => Reader([TestFiles.NanoAod], collections: new() { ["Ele"] = "MET_pt" })).Key);
        Assert.Equal("entries", Assert.Throws<ConfigValueException>(() => Reader([TestFiles.NanoAod], entries: "50:10")).Key);
        Assert.Equal("entries", Assert.Throws<ConfigValueException>(() => Reader([TestFiles.NanoAod], entries: "ten")).Key);
        Assert.Equal("branches", Assert.Throws<ConfigValueException>(() => Reader([TestFiles.NanoAod], branches: ["Nope_*"])).Key);
    }

    [Fact]
    public void AMissingTreeOrFileIsAnInputError()
    {
        InputDataException tree = Assert.Throws<InputDataException>(() => Reader([TestFiles.NanoAod], tree: "Event"));
        Assert.Equal(TestFiles.NanoAod, tree.File);
        Assert.Contains("did you mean 'Events'", tree.Message);

        string missing = Path.Combine(TestFiles.Directory, "no-such-file.root");
        Assert.Equal(missing, Assert.Throws<InputDataException>(() => Reader([missing])).File);
    }

    [Fact]
    public void FlatTreesReadExactValues()
    {
        Dataset zmumu = ReadAll(Reader([TestFiles.Zmumu], tree: "events"));
        Assert.Equal([-41.1952876442, 35.1180497674, 35.1180497674, 34.1444372454, 22.7835819537], zmumu.Values["px1"].Take(5));
        Assert.Equal((ColumnLevel.Event, (string?)null, typeof(double), ""), zmumu.Kinds["px1"]);
        Assert.Empty(zmumu.CollectionOrder);
        Assert.Equal(2304, zmumu.Events);

        Dataset hzz = ReadAll(Reader([TestFiles.Hzz], tree: "events"), 100);
        Assert.Contains("Jet", hzz.CollectionOrder);
        Assert.Contains("Muon", hzz.CollectionOrder);
        Assert.Equal("Muon", hzz.Kinds["Muon_Px"].Collection);
        Assert.DoesNotContain("NMuon", hzz.ColumnOrder);
        Assert.Equal(2421, hzz.Events);
    }

    [Fact]
    public void ATruncatedFileIsAnInputErrorNamingIt()
    {
        string dir = Path.Combine(Path.GetTempPath(), "erroot-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            byte[] bytes = File.ReadAllBytes(TestFiles.NanoAod);
            string truncated = Path.Combine(dir, "truncated.root");
            File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
            InputDataException ex = Assert.Throws<InputDataException>(() =>
            {
                using RootReader reader = Reader([truncated], branches: ["*"]);
                ReadAll(reader);
            });
            Assert.Equal(truncated, ex.File);
            Assert.StartsWith(truncated + ": ", ex.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void VectorsAreTheirOwnCollectionAndUnsupportedBranchesAreSkippedByPatterns()
    {
        string file = Path.Combine(TestFiles.Directory, "uproot-stl_containers.root");
        var context = new TestRunContext();
        using RootReader reader = Reader([file], tree: "tree", context: context);
        Dataset data = ReadAll(reader, 2);
        Assert.Equal(["vector_int32", "set_int32"], data.ColumnOrder.Take(2));
        Assert.Equal(["vector_int32", "set_int32"], data.CollectionOrder.Take(2));
        // A map's numeric keys and values are columns of one collection, named after the map branch.
        Assert.Equal((ColumnLevel.Object, (string?)"map_int32_int16", typeof(int), ""), data.Kinds["map_int32_int16.first"]);
        Assert.Equal((ColumnLevel.Object, (string?)"map_int32_int16", typeof(short), ""), data.Kinds["map_int32_int16.second"]);
        Assert.Equal([1, 2, 3, 4, 5], data.Counts["map_int32_int16"]);
        Assert.Equal(data.Values["vector_int32"], data.Values["map_int32_int16.second"]);
        Assert.Equal(data.Values["vector_int32"], data.Values["map_int32_vector_int16.first"]);
        Assert.DoesNotContain(data.ColumnOrder, c => c.StartsWith("map_string_string", StringComparison.Ordinal));
        Assert.Equal((ColumnLevel.Object, (string?)"vector_int32", typeof(int), ""), data.Kinds["vector_int32"]);
        Assert.Equal([1, 2, 3, 4, 5], data.Counts["vector_int32"]);
        Assert.Equal([1.0, 1, 2, 1, 2, 3, 1, 2, 3, 4, 1, 2, 3, 4, 5], data.Values["vector_int32"]);
        // std::set<int> streams like a vector: its own collection too.
        Assert.Equal([1, 2, 3, 4, 5], data.Counts["set_int32"]);
        Assert.Equal(data.Values["vector_int32"], data.Values["set_int32"]);

        string warning = Assert.Single(context.Warnings);
        Assert.Contains("vector_vector_int32 (lists of lists", warning);
        Assert.Contains("map_string_string.first (type", warning);
        Assert.DoesNotContain("vector_int32 (", warning.Replace("vector_vector_int32 (", "", StringComparison.Ordinal));

        Assert.Contains("lists of lists", Assert.Throws<ConfigValueException>(
            () => Reader([file], tree: "tree", branches: ["vector_vector_int32"])).Message);
        Assert.Equal("branches", Assert.Throws<ConfigValueException>(() => Reader([file], tree: "tree", branches: ["string"])).Key);
    }

    [Fact]
    public void FixedArraysAreEventTensors()
    {
        string file = Path.Combine(TestFiles.Directory, "uproot-sample-6.20.04-uncompressed.root");
        Dataset data = ReadAll(Reader([file], tree: "sample", branches: ["ai4", "n", "Ai8"]), 7);
        Assert.Equal((ColumnLevel.Event, (string?)null, typeof(int), "3"), data.Kinds["ai4"]);
        Assert.Equal(30, data.Events);
        Assert.Equal([-14.0, -13, -12, -13, -12, -11], data.Values["ai4"].Take(6));
        // The counter "n" has no leading-n name to strip beyond itself: the collection is called "n", nn its count.
        Assert.Equal((ColumnLevel.Object, (string?)"n", typeof(long), ""), data.Kinds["Ai8"]);
        Assert.Equal(["ai4", "Ai8"], data.ColumnOrder);
        Assert.Equal(data.Counts["n"].Sum(), data.Values["Ai8"].Count);
    }
}
