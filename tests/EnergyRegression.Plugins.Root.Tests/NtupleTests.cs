using EnergyRegression.Data;
using EnergyRegression.Root;
using EnergyRegression.Running;

namespace EnergyRegression.Plugins.Root.Tests;

/// <summary>
/// The root reader and writer with RNTuples: a NanoAOD TTree written as an RNTuple reads back as the same batches
/// (every codec), the RNTuple and TTree twins give the same batches, ROOT-written RNTuples with records and collections
/// of records become NanoAOD-style columns, friends, and config errors.
/// </summary>
public sealed class NtupleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("energyreg-rntuple-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly Provenance Provenance = new()
    {
        ToolVersion = "test", ConfigPath = "test.yaml", ConfigText = "", ConfigSha256 = "0123456789abcdef", Seed = 42,
        InputFiles = [], StartedUtc = DateTimeOffset.UnixEpoch,
    };

    private static string NtupleData(string name) => Path.Combine(TestFiles.Directory, "..", "rntuple", name);

    private static RootReader Reader(string file, string tree = "Events", string[]? branches = null, string? entries = null, TestRunContext? context = null) =>
        new(new RootReaderConfig { Files = [file], Tree = tree, Branches = branches ?? [], Entries = entries }, context ?? new TestRunContext());

    private static void Write(RootWriterConfig config, IEnumerable<EventBatch> batches)
    {
        using var writer = new RootWriter(config, new TestRunContext());
        writer.Open(Provenance);
        foreach (EventBatch batch in batches)
        {
            using (batch)
            {
                writer.Write(batch);
            }
        }
        writer.Commit();
    }

    private static readonly string[] NanoBranches = ["run", "event", "MET_pt", "nElectron", "Electron_*", "nJet", "Jet_pt", "Jet_eta", "HLT_*"];

    [Theory]
    [InlineData("zlib")]
    [InlineData("zstd")]
    [InlineData("lz4")]
    [InlineData("lzma")]
    [InlineData("none")]
    public void NanoAod_batches_written_as_an_rntuple_read_back_as_they_were(string compression)
    {
        string output = Path.Combine(_dir, $"nano-{compression}.root");
        using (RootReader reader = Reader(TestFiles.NanoAod, branches: NanoBranches))
        {
            // Small clusters and pages: several of each, and batches that cross them.
            Write(new RootWriterConfig { Path = output, Compression = compression, Format = "rntuple", ClusterSize = 16384, PageSize = 256 },
                reader.ReadBatches(37, CancellationToken.None));
        }
        Assert.False(File.Exists(output + ".partial"));
        Dataset original;
        using (RootReader reader = Reader(TestFiles.NanoAod, branches: NanoBranches))
        {
            original = Dataset.Of(reader.ReadBatches(50, CancellationToken.None));
        }
        using (RootReader reader = Reader(output))
        {
            Dataset.Of(reader.ReadBatches(50, CancellationToken.None)).AssertSameAs(original);
        }
        using var f = RootFile.Open(output);
        RootNtuple ntuple = f.GetNtuple("Events");
        Assert.Equal("std::vector<float>", ntuple.GetField("Electron_pt").TypeName);
        Assert.Equal(compression == "none" ? "Real32" : "SplitReal32", ntuple.GetField("Electron_pt").Children[0].Columns[0].Type);
        Assert.True(ntuple.ClusterCount >= 2, $"{ntuple.ClusterCount} clusters");
        Assert.True(ntuple.ColumnSizes().Max(c => c.Pages) > ntuple.ClusterCount, "some column fills several pages per cluster");
    }

    [Fact]
    public void The_ttree_and_rntuple_twins_give_the_same_batches_and_a_friend_of_either_lines_up()
    {
        string tree = Path.Combine(_dir, "twin-tree.root");
        string ntuple = Path.Combine(_dir, "twin-ntuple.root");
        using (RootReader reader = Reader(TestFiles.NanoAod, branches: NanoBranches))
        {
            Write(new RootWriterConfig { Path = tree }, reader.ReadBatches(64, CancellationToken.None));
        }
        using (RootReader reader = Reader(TestFiles.NanoAod, branches: NanoBranches))
        {
            Write(new RootWriterConfig { Path = ntuple, Format = "rntuple" }, reader.ReadBatches(64, CancellationToken.None));
        }
        var fromTree = Dataset.Of(Reader(tree).ReadBatches(33, CancellationToken.None));
        var fromNtuple = Dataset.Of(Reader(ntuple).ReadBatches(33, CancellationToken.None));
        fromNtuple.AssertSameAs(fromTree);
        Assert.Contains("Electron", fromNtuple.CollectionOrder);
        Assert.DoesNotContain("nElectron", fromNtuple.ColumnOrder);

        // Entry ranges and shards number entries the same way.
        using RootReader shard = Reader(ntuple, entries: "20:");
        shard.Restrict(10, 30);
        Assert.Equal(20, shard.CountEvents());
        Assert.Equal(30L, shard.ReadBatches(100, CancellationToken.None).Single().FirstEntry);

        // A friend RNTuple of one new column: every input entry, in order.
        string friend = Path.Combine(_dir, "friend.root");
        using (RootReader reader = Reader(ntuple, branches: ["Electron_pt"]))
        {
            Write(new RootWriterConfig { Path = friend, Friend = true, Format = "rntuple", Columns = ["Electron_energyCalib"] },
                WithCalibration(reader.ReadBatches(64, CancellationToken.None)));
        }
        using var f = RootFile.Open(friend);
        RootNtuple written = f.GetNtuple("Events");
        Assert.Equal(["nElectron", "Electron_energyCalib"], written.Fields.Select(x => x.Name));
        using var input = RootFile.Open(ntuple);
        RootNtuple source = input.GetNtuple("Events");
        var pt = (NtupleListArray)source.Read("Electron_pt", 0, source.Entries);
        var calib = (NtupleListArray)written.Read("Electron_energyCalib", 0, written.Entries);
        Assert.Equal(pt.Offsets, calib.Offsets);
        Assert.Equal(((float[])((NtupleLeafArray)pt.Content).Values).Select(v => v * 1.01f), (float[])((NtupleLeafArray)calib.Content).Values);
    }

    /// <summary>Adds Electron_energyCalib = 1.01 × Electron_pt, as a regressor would.</summary>
    private static IEnumerable<EventBatch> WithCalibration(IEnumerable<EventBatch> batches)
    {
        foreach (EventBatch batch in batches)
        {
            Column<float> pt = batch.GetColumn<float>("Electron_pt");
            Column<float> calib = batch.AddObjectColumn<float>("Electron", "Electron_energyCalib");
            for (int i = 0; i < pt.Values.Length; i++)
            {
                calib.Values[i] = pt.Values[i] * 1.01f;
            }
            yield return batch;
        }
    }

    [Fact]
    public void Records_and_collections_of_records_become_columns_named_as_nanoaod_names_them()
    {
        var context = new TestRunContext();
        using RootReader reader = Reader(NtupleData("test_int_vfloat_tlv_vtlv_rntuple_v1-0-0-0.root"), tree: "ntuple", context: context);
        var data = Dataset.Of(reader.ReadBatches(2, CancellationToken.None));
        Assert.Equal(5, data.Events);
        Assert.Equal(["two_v_floats", "four_v_LVs"], data.CollectionOrder);
        Assert.Equal((ColumnLevel.Event, (string?)null, typeof(float), ""), data.Kinds["three_LV.pt"]);
        Assert.Equal((ColumnLevel.Object, (string?)"four_v_LVs", typeof(float), ""), data.Kinds["four_v_LVs_eta"]);
        Assert.DoesNotContain("nfour_v_LVs", data.ColumnOrder);
        // As JSROOT reads the file: one_integers 9, 8, …; the vector of LVs grows by the entry's LV.
        Assert.Equal([9.0, 8, 7, 6, 5], data.Values["one_integers"]);
        Assert.Equal([19.0, 18, 17, 17, 16], data.Values["three_LV.pt"]);
        Assert.Equal([4, 7, 9, 10, 10], data.Counts["four_v_LVs"]);
        Assert.Equal([4, 3, 2, 2, 1], data.Counts["two_v_floats"]);
    }

    [Fact]
    public void Fields_that_cannot_be_columns_are_skipped_by_patterns_and_refused_by_name()
    {
        var context = new TestRunContext();
        string file = NtupleData("test_stl_containers_rntuple_v1-0-0-0.root");
        using (RootReader reader = Reader(file, tree: "ntuple", context: context))
        {
            var data = Dataset.Of(reader.ReadBatches(10, CancellationToken.None));
            Assert.Contains("vector_int32", data.CollectionOrder);
            Assert.Equal((ColumnLevel.Event, (string?)null, typeof(float), "3"), data.Kinds["array_float"]);
            Assert.Contains("lorentz_vector.pt", data.ColumnOrder);
            Assert.DoesNotContain("string", data.ColumnOrder);
        }
        Assert.Contains(context.Warnings, m => m.Contains("skipped", StringComparison.Ordinal) && m.Contains("string (strings are not supported", StringComparison.Ordinal));
        var ex = Assert.Throws<ConfigValueException>(() => Reader(file, tree: "ntuple", branches: ["vector_vector_int32"]));
        Assert.Equal("branches", ex.Key);
        Assert.Contains("Field 'vector_vector_int32'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("RNTuple ntuple", ex.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<InputDataException>(() => Reader(file, tree: "nope"));
        Assert.Contains("No tree or RNTuple 'nope'", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writer_config_mistakes_name_their_key()
    {
        Assert.Equal("format", Assert.Throws<ConfigValueException>(() => new RootWriter(new RootWriterConfig { Path = "x.root", Format = "ntuple" })).Key);
        Assert.Equal("copy_input", Assert.Throws<ConfigValueException>(() =>
            new RootWriter(new RootWriterConfig { Path = "x.root", Format = "rntuple", CopyInput = ["*"] })).Key);
        Assert.Equal("cluster_size", Assert.Throws<ConfigValueException>(() => new RootWriter(new RootWriterConfig { Path = "x.root", ClusterSize = 10 })).Key);
        Assert.Equal("page_size", Assert.Throws<ConfigValueException>(() => new RootWriter(new RootWriterConfig { Path = "x.root", PageSize = 1 })).Key);
        // RNTuple field names cannot hold '.': a record member read from another RNTuple must be renamed to be written.
        string output = Path.Combine(_dir, "dots.root");
        using RootReader reader = Reader(NtupleData("test_int_vfloat_tlv_vtlv_rntuple_v1-0-0-0.root"), tree: "ntuple", branches: ["three_LV.pt"]);
        var ex = Assert.Throws<ConfigValueException>(() => Write(new RootWriterConfig { Path = output, Format = "rntuple" }, reader.ReadBatches(5, CancellationToken.None)));
        Assert.Equal("columns", ex.Key);
        Assert.Contains("not a valid RNTuple field name", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }
}
