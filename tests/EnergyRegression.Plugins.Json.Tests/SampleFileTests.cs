namespace EnergyRegression.Plugins.Json.Tests;

/// <summary>The committed sample examples/data/electrons.jsonl (written by Python's json module: an independent writer).</summary>
public class SampleFileTests
{
    private static string SamplePath()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "examples", "data", "electrons.jsonl");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("examples/data/electrons.jsonl not found above the test directory.");
    }

    [Fact]
    public void Sample_reads_with_the_documented_schema()
    {
        string path = SamplePath();
        using JsonLinesReader reader = Json.Reader([path]);

        Assert.Equal(300, reader.CountEvents());
        var data = Dataset.Of(reader.ReadBatches(128, CancellationToken.None));

        Assert.Equal([128, 128, 44], data.BatchSizes);
        Assert.Equal(["run", "luminosityBlock", "event", "rho", "Electron_pt", "Electron_eta", "Electron_phi", "Electron_charge",
            "Electron_energy", "Electron_energyTrue", "Electron_r9", "Electron_sieie", "Electron_window"], data.ColumnOrder);
        Assert.Equal("int64", data.Columns["run"].Type);
        Assert.Equal("int64", data.Columns["Electron_charge"].Type);
        Assert.Equal("float64", data.Columns["Electron_pt"].Type);
        Assert.Equal("5x5", data.Columns["Electron_window"].Shape);
        List<int> counts = data.Counts["Electron"];
        Assert.All(counts, c => Assert.InRange(c, 0, 3));
        double[] pt = data.Doubles("Electron_pt");
        double[] eta = data.Doubles("Electron_eta");
        Assert.Equal(counts.Sum(), pt.Length);
        Assert.Contains(pt, p => p < 25);
        Assert.Contains(pt, p => p > 25);
        Assert.Contains(eta, e => Math.Abs(e) > 1.4442);
        Assert.Contains(eta, e => Math.Abs(e) < 1.4442);
        Assert.All(data.Longs("Electron_charge"), q => Assert.True(q is 1 or -1));
    }

    [Fact]
    public void Sample_written_back_is_the_same_text()
    {
        using var dir = new TempDir();
        string output = dir.File("copy.jsonl");
        using (JsonLinesReader reader = Json.Reader([SamplePath()]))
        {
            Json.Write(output, reader.ReadBatches(100, CancellationToken.None));
        }

        Assert.Equal(File.ReadAllText(SamplePath()), File.ReadAllText(output));
    }
}
