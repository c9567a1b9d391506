using EnergyRegression.Data;
using EnergyRegression.Root;
using EnergyRegression.Running;

namespace EnergyRegression.Plugins.Root.Tests;

/// <summary>The root writer plugin: batches of the root reader written back and read again identical; friend trees; config errors.</summary>
public sealed class RootWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("energyreg-rootwriter-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly Provenance Provenance = new()
    {
        ToolVersion = "test", ConfigPath = "test.yaml", ConfigText = "", ConfigSha256 = "0123456789abcdef", Seed = 42,
        InputFiles = [], StartedUtc = DateTimeOffset.UnixEpoch,
    };

    private static RootReader Reader(string file, string tree = "Events", string[]? branches = null, string? entries = null) =>
        new(new RootReaderConfig { Files = [file], Tree = tree, Branches = branches ?? [], Entries = entries }, new TestRunContext());

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

    [Theory]
    [InlineData("zlib")]
    [InlineData("zstd")]
    [InlineData("lz4")]
    [InlineData("lzma")]
    [InlineData("none")]
    public void NanoAod_batches_written_and_read_back_are_identical(string compression)
    {
        string output = Path.Combine(_dir, $"nano-{compression}.root");
        string[] branches = ["run", "event", "MET_pt", "nElectron", "Electron_*", "nJet", "Jet_pt", "Jet_eta", "HLT_*"];
        using (RootReader reader = Reader(TestFiles.NanoAod, branches: branches))
        {
            Write(new RootWriterConfig { Path = output, Compression = compression, BasketSize = 2048 }, reader.ReadBatches(37, CancellationToken.None));
        }
        Assert.False(File.Exists(output + ".partial"));
        Dataset original;
        using (RootReader reader = Reader(TestFiles.NanoAod, branches: branches))
        {
            original = Dataset.Of(reader.ReadBatches(50, CancellationToken.None));
        }
        using (RootReader reader = Reader(output))
        {
            var copy = Dataset.Of(reader.ReadBatches(50, CancellationToken.None));
            copy.AssertSameAs(original);
        }
        using var f = RootFile.Open(output);
        RootTree tree = f.GetTree("Events");
        Assert.Equal("float32[nElectron]", tree.GetBranch("Electron_pt").TypeName);
        Assert.True(tree.Branches.Max(b => b.BasketCount) > 1); // the largest branches fill several baskets
    }

    [Fact]
    public void A_friend_tree_of_one_new_column_lines_up_with_the_input()
    {
        string output = Path.Combine(_dir, "friend.root");
        using (RootReader reader = Reader(TestFiles.NanoAod, branches: ["Electron_pt"]))
        {
            Write(new RootWriterConfig { Path = output, Friend = true, Columns = ["Electron_energyCalib"] }, WithCalibration(reader.ReadBatches(64, CancellationToken.None)));
        }
        using var f = RootFile.Open(output);
        RootTree tree = f.GetTree("Events");
        Assert.Equal(["nElectron", "Electron_energyCalib"], tree.Branches.Select(b => b.Name));
        using var input = RootFile.Open(TestFiles.NanoAod);
        RootTree source = input.GetTree("Events");
        Assert.Equal(source.Entries, tree.Entries);
        RootArray pt = source.GetBranch("Electron_pt").Read(0, source.Entries);
        RootArray calib = tree.GetBranch("Electron_energyCalib").Read(0, tree.Entries);
        Assert.Equal(pt.Offsets, calib.Offsets);
        Assert.Equal(pt.As<float>().Select(v => v * 1.01f), calib.As<float>());
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
    public void A_friend_tree_refuses_a_gap_in_the_entries()
    {
        string output = Path.Combine(_dir, "gap.root");
        using RootReader reader = Reader(TestFiles.NanoAod, branches: ["MET_pt"], entries: "10:");
        var ex = Assert.Throws<ConfigValueException>(() => Write(new RootWriterConfig { Path = output, Friend = true }, reader.ReadBatches(64, CancellationToken.None)));
        Assert.Equal("friend", ex.Key);
        Assert.Contains("input entry 0 is missing (the next event is entry 10)", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(output + ".partial"));
    }

    [Fact]
    public void Config_mistakes_name_their_key()
    {
        Assert.Equal("compression", Assert.Throws<ConfigValueException>(() => new RootWriter(new RootWriterConfig { Path = "x.root", Compression = "zstandard" })).Key);
        Assert.Equal("level", Assert.Throws<ConfigValueException>(() => new RootWriter(new RootWriterConfig { Path = "x.root", Level = 0 })).Key);
        Assert.Equal("basket_size", Assert.Throws<ConfigValueException>(() => new RootWriter(new RootWriterConfig { Path = "x.root", BasketSize = 10 })).Key);
        Assert.Equal("tree", Assert.Throws<ConfigValueException>(() => new RootWriter(new RootWriterConfig { Path = "x.root", Tree = "a/b" })).Key);
        string output = Path.Combine(_dir, "cols.root");
        using RootReader reader = Reader(TestFiles.NanoAod, branches: ["MET_pt"]);
        var ex = Assert.Throws<ConfigValueException>(() => Write(new RootWriterConfig { Path = output, Columns = ["MET_phi"] }, reader.ReadBatches(64, CancellationToken.None)));
        Assert.Equal("columns", ex.Key);
        Assert.Contains("did you mean 'MET_pt'", ex.Message, StringComparison.Ordinal);
    }
}
