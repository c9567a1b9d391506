using System.Globalization;
using System.Text.Json;
using EnergyRegression.TestOracles;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary><c>energyreg simulate</c> run the way a user runs it: the same sample in every format, read back by an independent reader.</summary>
public class SimulateCommandTests
{
    [Fact]
    public void The_same_seed_writes_the_same_events_to_ROOT_and_JSON_Lines_and_JSROOT_reads_them()
    {
        if (!JsrootOracle.IsAvailable)
        {
            Assert.Fail(JsrootOracle.UnavailableReason);
        }
        using var work = new TempDirectory();
        string[] common = ["simulate", "--process", "zee", "--events", "200", "--seed", "5", "--pileup", "10", "--window", "8", "--quiet"];
        Tool.Result root = Tool.Run(work.Path, [.. common, "--output", "zee.root"]);
        Assert.True(root.ExitCode == 0, root.ToString());
        Tool.Result json = Tool.Run(work.Path, [.. common, "--output", "zee.jsonl", "--threads", "1", "--batch-size", "37"]);
        Assert.True(json.ExitCode == 0, json.ToString());

        string[] branches = ["event", "nElectron", "Electron_pt", "Electron_charge", "Electron_window", "nGenElectron", "GenElectron_pdgId", "Electron_genElectronIdx"];
        IReadOnlyList<JsonElement> fromRoot = JsrootOracle.Dump(work.File("zee.root"), "Events", branches);
        string[] lines = File.ReadAllLines(work.File("zee.jsonl"));
        Assert.Equal(200, fromRoot.Count);
        Assert.Equal(200, lines.Length);
        int electrons = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            using var line = JsonDocument.Parse(lines[i]);
            JsonElement expected = line.RootElement;
            Assert.Equal(i + 1, fromRoot[i].GetProperty("event").GetInt64());
            int n = expected.GetProperty("nElectron").GetInt32();
            Assert.Equal(n, fromRoot[i].GetProperty("nElectron").GetInt32());
            electrons += n;
            Assert.Equal(Floats(expected.GetProperty("Electron_pt")), Floats(fromRoot[i].GetProperty("Electron_pt")));
            Assert.Equal(Floats(expected.GetProperty("Electron_window")), Floats(fromRoot[i].GetProperty("Electron_window")));
            Assert.Equal(2, fromRoot[i].GetProperty("nGenElectron").GetInt32());
            Assert.Equal([11, -11], Floats(fromRoot[i].GetProperty("GenElectron_pdgId")).Select(v => (int)v));
        }
        Assert.InRange(electrons, 200, 600);

        string provenance = File.ReadAllText(work.File("zee.provenance.json"));
        Assert.Contains("type: simulate", provenance, StringComparison.Ordinal);
    }

    [Fact]
    public void Print_chain_shows_a_chain_that_run_reproduces_exactly()
    {
        using var work = new TempDirectory();
        string[] args = ["simulate", "--process", "particle-gun", "--particle", "gamma", "--energy", "50", "--eta", "-0.5:0.5", "--phi", "-pi:pi/2",
            "--events", "50", "--mode", "mc", "--output", "gun.jsonl"];
        Tool.Result printed = Tool.Run(work.Path, [.. args, "--print-chain"]);
        Assert.True(printed.ExitCode == 0, printed.ToString());
        Assert.Contains("phi: [-3.141592653589793, 1.5707963267948966]", printed.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(work.File("gun.jsonl")));
        string chain = work.Write("gun.yaml", printed.Stdout.Replace("gun.jsonl", "again.jsonl", StringComparison.Ordinal));

        Assert.Equal(0, Tool.Run(work.Path, [.. args, "--quiet"]).ExitCode);
        Assert.Equal(0, Tool.Run(work.Path, "run", chain, "--quiet").ExitCode);
        Assert.Equal(File.ReadAllText(work.File("gun.jsonl")), File.ReadAllText(work.File("again.jsonl")));
        string first = File.ReadLines(work.File("gun.jsonl")).First();
        Assert.Contains("\"nPhoton\":", first, StringComparison.Ordinal);
        Assert.Contains("\"GenPhoton_energy\":[50", first, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_arguments_are_usage_errors_and_a_missing_format_plugin_a_configuration_error()
    {
        using var work = new TempDirectory();
        Tool.Result extension = Tool.Run(work.Path, "simulate", "--output", "x.csv");
        Assert.Equal(2, extension.ExitCode);
        Assert.Contains("unknown extension '.csv'", extension.Stderr, StringComparison.Ordinal);

        Tool.Result range = Tool.Run(work.Path, "simulate", "--process", "particle-gun", "--eta", "a:b", "--output", "x.jsonl");
        Assert.Equal(2, range.ExitCode);
        Assert.Contains("--eta", range.Stderr, StringComparison.Ordinal);

        Tool.Result process = Tool.Run(work.Path, "simulate", "--process", "ttbar", "--output", "x.jsonl");
        Assert.Equal(2, process.ExitCode);

        Tool.Result value = Tool.Run(work.Path, "simulate", "--events", "10", "--window", "2", "--output", "x.jsonl");
        Assert.Equal(3, value.ExitCode);
        Assert.Contains("window", value.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(work.File("x.jsonl")));
    }

    private static List<double> Floats(JsonElement element)
    {
        var values = new List<double>();
        Flatten(element, values);
        return values;
    }

    private static void Flatten(JsonElement element, List<double> values)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in element.EnumerateArray())
            {
                Flatten(item, values);
            }
        }
        else
        {
            // Both sides are float32 values; compare them as float32.
            values.Add(float.Parse(element.GetRawText(), CultureInfo.InvariantCulture));
        }
    }
}
