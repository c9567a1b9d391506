using EnergyRegression.Data;
using EnergyRegression.Plugins;

namespace MyPlugin.Tests;

public sealed class MyPluginReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("my-plugin-tests-").FullName;
    private readonly PluginHarness _harness = new();

    private const string Header = "event,pt,eta,energy";

    // Six events of 2, 1, 1, 3, 1 and 2 objects, split over two files.
    private static readonly string[] Rows =
    [
        "10,41.2,0.31,42.9", "10,38.5,-1.05,60.1", "11,27.3,2.10,111.2", "12,55.0,0.02,54.4",
        "13,33.1,-0.66,39.8", "13,30.4,1.38,62.9", "13,25.2,-2.31,129.3", "14,47.7,0.95,70.6", "15,29.9,-1.49,69.0", "15,36.6,0.47,40.2",
    ];

    private string[] Files()
    {
        string first = Write("a.csv", $"# a comment\n{Header}\n{string.Join("\n", Rows[..4])}\n");
        string second = Write("b.csv", $"{Header}\n\n{string.Join("\n", Rows[4..])}\n");
        return [first, second];
    }

    private MyPluginReader Reader(string? entries = null) => _harness.Create<MyPluginReader>(new MyPluginConfig { Files = Files(), Entries = entries });

    [Fact]
    public void Reads_rows_as_objects_of_consecutive_events_across_files()
    {
        using MyPluginReader reader = Reader();

        Dataset data = Dataset.Of(_harness.Read(reader, batchSize: 4));

        Assert.Equal([0L, 4L], data.FirstEntries);
        Assert.Equal([10.0, 11, 12, 13, 14, 15], data.Values["event"]);
        Assert.Equal([2, 1, 1, 3, 1, 2], data.Counts["Electron"]);
        Assert.Equal(Rows.Select(r => (double)float.Parse(r.Split(',')[3], System.Globalization.CultureInfo.InvariantCulture)),
            data.Values["Electron_energy"]);
        Assert.Equal(["event", "Electron_pt", "Electron_eta", "Electron_energy"], data.ColumnOrder);
        Assert.Equal(6, reader.CountEvents());
    }

    [Fact]
    public void Shards_and_entry_ranges_read_exactly_their_events()
    {
        _harness.CheckShards(() => Reader(), shards: 4, batchSize: 2);

        using MyPluginReader reader = Reader(entries: "2:5");
        Dataset range = Dataset.Of(_harness.Read(reader));
        Assert.Equal([2L], range.FirstEntries);
        Assert.Equal([12.0, 13, 14], range.Values["event"]);
    }

    [Fact]
    public void Declares_its_columns_from_the_header()
    {
        using MyPluginReader reader = Reader();
        using EventBatch columns = reader.DeclareColumns();

        Assert.Equal(0, columns.EventCount);
        Assert.Equal(["event", "Electron_pt", "Electron_eta", "Electron_energy"], columns.ColumnNames);
    }

    [Fact]
    public void Bad_input_names_the_file_and_the_line()
    {
        string bad = Write("bad.csv", $"{Header}\n1,40,0.1,50\n1,40,oops,50\n");
        using MyPluginReader reader = _harness.Create<MyPluginReader>(new MyPluginConfig { Files = [bad] });

        InputDataException error = Assert.Throws<InputDataException>(() => _harness.Read(reader));

        Assert.Equal((bad, "line 3"), (error.File, error.Place));
        Assert.Equal("field 'eta' is 'oops', not a number", error.Detail);
        Assert.Throws<InputDataException>(() => _harness.Create<MyPluginReader>(new MyPluginConfig { Files = [Path.Combine(_folder, "none.csv")] }));
        Assert.Equal("entries", Assert.Throws<ConfigValueException>(() => Reader(entries: "5:2")).Key);
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
