using EnergyRegression.Data;
using EnergyRegression.Models;
using EnergyRegression.Plugins;
using EnergyRegression.Running;

namespace EnergyRegression.Abstractions.Tests;

public sealed class TrainingContractTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("contract-tests").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static EventBatch Batch()
    {
        var batch = new EventBatch(3) { FirstEntry = 100 };
        ((float[])[1f, 2f, 3f]).CopyTo(batch.AddEventColumn<float>("rho").Values);
        batch.AddCollection("Electron", [2, 0, 1]);
        ((double[])[10.0, 20.0, 30.0]).CopyTo(batch.AddObjectColumn<double>("Electron", "Electron_pt").Values);
        Span<int> window = batch.AddObjectColumn<int>("Electron", "Electron_w", 2, 2).Values;
        for (int i = 0; i < window.Length; i++)
        {
            window[i] = i;
        }
        return batch;
    }

    [Fact]
    public void A_clone_is_deep_and_keeps_entries()
    {
        using EventBatch batch = Batch();
        batch.KeepEvents([true, false, true]);
        using EventBatch copy = batch.Clone();
        Assert.Equal(batch.ColumnNames, copy.ColumnNames);
        Assert.Equal([100L, 102L], [copy.EntryOf(0), copy.EntryOf(1)]);
        Assert.Equal([10.0, 20.0, 30.0], copy.GetColumn<double>("Electron_pt").Values.ToArray());
        Assert.Equal([2, 1], [copy.GetCollection("Electron").CountOf(0), copy.GetCollection("Electron").CountOf(1)]);
        copy.GetColumn<double>("Electron_pt").Values[0] = -1;
        Assert.Equal(10.0, batch.GetColumn<double>("Electron_pt").Values[0]);
    }

    [Fact]
    public void Feature_matrix_puts_columns_side_by_side_and_repeats_event_values_per_object()
    {
        using EventBatch batch = Batch();
        var matrix = new FeatureMatrix("Electron", ["Electron_pt", "rho", "Electron_w"]);
        IReadOnlyList<ModelInput> inputs = matrix.Check(batch);
        Assert.Equal([[], [], [2, 2]], inputs.Select(i => i.Shape.ToArray()));
        Assert.Equal(6, matrix.Width);
        float[] x = new float[3 * 6];
        matrix.Gather(batch, x);
        Assert.Equal(
            [10, 1, 0, 1, 2, 3,
             20, 1, 4, 5, 6, 7,
             30, 3, 8, 9, 10, 11], x);
    }

    [Fact]
    public void Feature_matrix_names_a_missing_or_foreign_column()
    {
        using EventBatch batch = Batch();
        var missing = Assert.Throws<KeyNotFoundException>(() => new FeatureMatrix("Electron", ["Electron_ptt"]).Check(batch));
        Assert.Contains("'Electron_ptt'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("Electron_pt", missing.Message.Replace("'Electron_ptt'", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new FeatureMatrix(null, ["Electron_pt"]).Check(batch));
    }

    private static ModelCard Card() => new()
    {
        Plugin = "test", PluginFormatVersion = 3, Architecture = "two numbers", Inputs = [new ModelInput("Electron_w", [2, 2])],
        Outputs = ["Electron_energyCalib"], Target = new ModelTarget("ratio", "y = E_true / E_raw", ["a", "b"]),
        Layers = [new ModelLayer("dense", "4 → 1", 5)], Parameters = 5, Metrics = new Dictionary<string, double> { ["loss"] = 0.25, ["odd"] = double.NaN },
        Provenance = new Provenance
        {
            ToolVersion = "t", ConfigPath = "c.yaml", ConfigText = "x: 1", ConfigSha256 = "ab", Seed = 4, InputFiles = ["in.root"], StartedUtc = DateTimeOffset.UnixEpoch,
        },
    };

    [Fact]
    public void A_model_archive_round_trips_its_card_and_entries_and_appears_only_on_commit()
    {
        string path = Path.Combine(_directory, "sub", "model.zip");
        using (var writer = ModelArchiveWriter.Create(path))
        {
            writer.WriteBytes("weights.bin", [1, 2, 3]);
            writer.WriteJson("extra.json", new Dictionary<string, int> { ["n"] = 7 });
            Assert.False(File.Exists(path));
            Assert.True(File.Exists(path + ".partial"));
            writer.Commit(Card());
        }
        Assert.False(File.Exists(path + ".partial"));
        using var archive = ModelArchive.Open(path);
        Assert.Equal("test", archive.Card.Plugin);
        Assert.Equal([2, 2], archive.Card.Inputs[0].Shape);
        Assert.Equal(0.25, archive.Card.Metrics["loss"]);
        Assert.True(double.IsNaN(archive.Card.Metrics["odd"]));
        Assert.Equal(["in.root"], archive.Card.Provenance.InputFiles);
        Assert.Equal([1, 2, 3], archive.ReadBytes("weights.bin"));
        Assert.Equal(7, archive.ReadJson<Dictionary<string, int>>("extra.json")["n"]);
        var missing = Assert.Throws<InputDataException>(() => archive.OpenEntry("nothing.bin"));
        Assert.Equal("nothing.bin", missing.Place);
    }

    [Fact]
    public void An_abandoned_writer_leaves_nothing_and_damaged_archives_are_input_errors()
    {
        string path = Path.Combine(_directory, "model.zip");
        using (var writer = ModelArchiveWriter.Create(path))
        {
            writer.WriteBytes("weights.bin", [1]);
        }
        Assert.Empty(Directory.GetFiles(_directory));

        File.WriteAllText(path, "plain text");
        Assert.Contains("not a zip", Assert.Throws<InputDataException>(() => ModelArchive.Open(path)).Message, StringComparison.Ordinal);
        using (var zip = System.IO.Compression.ZipFile.Open(path + "2", System.IO.Compression.ZipArchiveMode.Create))
        {
            zip.CreateEntry("other.txt");
        }
        Assert.Equal("card.json", Assert.Throws<InputDataException>(() => ModelArchive.Open(path + "2")).Place);
        Assert.Contains("no such model file", Assert.Throws<InputDataException>(() => ModelArchive.Open(path + "3")).Message, StringComparison.Ordinal);
    }
}
