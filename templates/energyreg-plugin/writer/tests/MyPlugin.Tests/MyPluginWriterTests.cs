using EnergyRegression.Data;
using EnergyRegression.Plugins;

namespace MyPlugin.Tests;

public sealed class MyPluginWriterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("my-plugin-tests-").FullName;
    private readonly PluginHarness _harness = new();

    private string OutputPath => Path.Combine(_folder, "out", "electrons.csv");

    // Three events with 2, 0 and 1 electrons.
    private static EventBatchBuilder Electrons() => new EventBatchBuilder(3)
        .EventColumn("event", new[] { 7L, 8L, 9L })
        .EventColumn("rho", new[] { 12.5f, 20f, 31.25f })
        .Collection("Electron", 2, 0, 1)
        .ObjectColumn("Electron", "Electron_energy", new[] { 42.9f, 60.1f, 111.2f })
        .ObjectColumn("Electron", "Electron_window", new float[12], 2, 2);

    [Fact]
    public void Writes_a_row_per_object_with_its_events_columns_after_a_provenance_line()
    {
        _harness.Write(_harness.Create<MyPluginWriter>(new MyPluginConfig { Path = OutputPath }), Electrons().BuildBatches(2));

        string[] lines = File.ReadAllLines(OutputPath);
        Assert.StartsWith("# energyreg (EnergyRegression.Testing): test-chain.yaml (sha256 ", lines[0], StringComparison.Ordinal);
        // The tensor column (a 2 x 2 window) is not a number per object: left out by default.
        Assert.Equal(["event,rho,energy", "7,12.5,42.9", "7,12.5,60.1", "9,31.25,111.2"], lines[1..]);
        Assert.False(File.Exists(OutputPath + ".partial"));
    }

    [Fact]
    public void Writes_the_columns_asked_for_and_names_a_missing_one_by_its_key()
    {
        _harness.Write(_harness.Create<MyPluginWriter>(new MyPluginConfig { Path = OutputPath, Columns = ["Electron_energy", "event"] }),
            [Electrons().Build()]);
        Assert.Equal(["energy,event", "42.9,7", "60.1,7", "111.2,9"], File.ReadAllLines(OutputPath)[1..]);

        var misspelled = _harness.Create<MyPluginWriter>(new MyPluginConfig { Path = OutputPath, Columns = ["event", "Electron_enrgy"] });
        ConfigValueException error = Assert.Throws<ConfigValueException>(() => _harness.Write(misspelled, [Electrons().Build()]));
        Assert.Equal("columns[1]", error.Key);
    }

    [Fact]
    public void An_uncommitted_output_leaves_nothing_behind()
    {
        using (var writer = _harness.Create<MyPluginWriter>(new MyPluginConfig { Path = OutputPath }))
        {
            writer.Open(TestProvenance.Create());
            using EventBatch batch = Electrons().Build();
            writer.Write(batch);
        }

        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(OutputPath)!));
    }

    [Fact]
    public void Writes_every_object_of_a_simulated_sample()
    {
        IReadOnlyList<EventBatch> batches = SimulatedSample.Electrons(500).BuildBatches(100);
        long objects = batches.Sum(b => (long)b.GetCollection("Electron").TotalCount);

        _harness.Write(_harness.Create<MyPluginWriter>(new MyPluginConfig { Path = OutputPath }), batches);

        Assert.Equal(objects + 2, File.ReadAllLines(OutputPath).Length);
        batches.ToList().ForEach(b => b.Dispose());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
