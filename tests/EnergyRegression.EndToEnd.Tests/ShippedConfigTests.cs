using System.Security.Cryptography;
using System.Text.Json;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>The shipped chains, run by the real tool from a clean directory (the quickstart workflow: QuickstartTests).</summary>
public sealed class ShippedConfigTests
{
    private static string JsonSample => Path.Combine(Tool.RepoRoot, "configs", "json-sample.yaml");

    [Fact]
    public void Json_sample_chain_runs_from_a_clean_directory_and_writes_output_cut_flow_and_provenance()
    {
        using var work = new TempDirectory();
        Tool.Result result = Tool.Run(work.Path, "run", JsonSample);
        Assert.True(result.ExitCode == 0, result.ToString());

        // The expected selection, computed here independently from the sample file.
        var expected = new List<(long Event, double[] Pt, double[] Response)>();
        foreach (string line in File.ReadLines(Tool.SampleData).Where(l => l.Trim().Length > 0))
        {
            using var doc = JsonDocument.Parse(line);
            JsonElement e = doc.RootElement;
            double[] pt = e.GetProperty("Electron_pt").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            double[] eta = e.GetProperty("Electron_eta").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            double[] energy = e.GetProperty("Electron_energy").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            double[] truth = e.GetProperty("Electron_energyTrue").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            int[] kept = Enumerable.Range(0, pt.Length).Where(i => pt[i] > 25 && Math.Abs(eta[i]) < 1.4442).ToArray();
            if (kept.Length >= 1)
            {
                expected.Add((e.GetProperty("event").GetInt64(), kept.Select(i => pt[i]).ToArray(), kept.Select(i => energy[i] / truth[i]).ToArray()));
            }
        }
        Assert.NotEmpty(expected);

        string output = work.File("out/json-sample/electrons.jsonl");
        string[] lines = File.ReadAllLines(output).Where(l => l.Length > 0).ToArray();
        Assert.Equal(expected.Count, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            JsonElement e = doc.RootElement;
            Assert.Equal(expected[i].Event, e.GetProperty("event").GetInt64());
            Assert.Equal(expected[i].Pt, e.GetProperty("Electron_pt").EnumerateArray().Select(x => x.GetDouble()));
            double[] response = e.GetProperty("Electron_response").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            Assert.Equal(expected[i].Response.Length, response.Length);
            for (int k = 0; k < response.Length; k++)
            {
                // define writes float32 by default: compare at float precision.
                Assert.Equal((float)expected[i].Response[k], (float)response[k]);
            }
        }
        Assert.Empty(Directory.GetFiles(work.File("out/json-sample"), "*.partial"));

        using var cutFlow = JsonDocument.Parse(File.ReadAllText(work.File("out/json-sample/electrons.cutflow.json")));
        JsonElement[] steps = cutFlow.RootElement.GetProperty("steps").EnumerateArray().ToArray();
        Assert.Equal(["reader", "selection", "selection", "feature", "writer"], steps.Select(s => s.GetProperty("kind").GetString()));
        Assert.Equal(["json", "barrel electrons", "events with an electron", "response", "json"], steps.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(File.ReadLines(Tool.SampleData).Count(l => l.Trim().Length > 0), steps[0].GetProperty("events_out").GetInt64());
        Assert.Equal(expected.Count, steps[^1].GetProperty("events_in").GetInt64());
        Assert.Equal(expected.Sum(x => x.Pt.Length), steps[^1].GetProperty("objects").GetProperty("Electron").GetProperty("out").GetInt64());

        using var provenance = JsonDocument.Parse(File.ReadAllText(work.File("out/json-sample/electrons.provenance.json")));
        string sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(JsonSample)));
        Assert.Equal(sha, provenance.RootElement.GetProperty("config_sha256").GetString());
        Assert.Equal(File.ReadAllText(JsonSample), provenance.RootElement.GetProperty("config_text").GetString());
        Assert.Equal(42, provenance.RootElement.GetProperty("seed").GetInt32());
        Assert.Equal(Path.GetFullPath(Tool.SampleData), Path.GetFullPath(provenance.RootElement.GetProperty("input_files")[0].GetString()!));
        Assert.StartsWith("energyreg ", provenance.RootElement.GetProperty("tool_version").GetString(), StringComparison.Ordinal);

        Assert.Contains("cut flow", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("output:", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_config_and_seed_give_identical_output()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        Assert.Equal(0, Tool.Run(first.Path, "run", JsonSample, "--threads", "1").ExitCode);
        Assert.Equal(0, Tool.Run(second.Path, "run", JsonSample, "--threads", "2", "--batch-size", "7").ExitCode);
        Assert.Equal(File.ReadAllBytes(first.File("out/json-sample/electrons.jsonl")), File.ReadAllBytes(second.File("out/json-sample/electrons.jsonl")));
    }

    [Fact]
    public void Redirected_output_gets_plain_progress_lines()
    {
        using var work = new TempDirectory();
        Tool.Result result = Tool.Run(work.Path, new Dictionary<string, string> { ["ENERGYREG_PROGRESS_SECONDS"] = "0.001" }, "run", JsonSample);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("progress: events ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("configs/quickstart.yaml")]
    [InlineData("configs/json-sample.yaml")]
    [InlineData("configs/zee-preselection.yaml")]
    [InlineData("configs/simulate-zee.yaml")]
    [InlineData("configs/simulate-features.yaml")]
    [InlineData("configs/tag-and-probe-zee.yaml")]
    public void Shipped_configs_validate(string config)
    {
        using var work = new TempDirectory();
        Tool.Result result = Tool.Run(work.Path, "validate", Path.Combine(Tool.RepoRoot, config));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches("valid (chain|workflow)", result.Stderr);
    }

    [Theory]
    [InlineData("configs/gbdt-train.yaml")]
    [InlineData("configs/train-seed-models.yaml")]
    [InlineData("configs/train-seed-cnn.yaml")]
    [InlineData("configs/train-film-crystal-ball.yaml")]
    public void Shipped_training_configs_validate_for_training(string config)
    {
        using var work = new TempDirectory();
        Tool.Result result = Tool.Run(work.Path, "validate", "--train", Path.Combine(Tool.RepoRoot, config));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("valid chain", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Zee_preselection_config_runs()
    {
        using var work = new TempDirectory();
        Tool.Result result = Tool.Run(work.Path, "run", Path.Combine(Tool.RepoRoot, "configs", "zee-preselection.yaml"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(work.File("out/zee-preselection/events.jsonl")));
    }

    [Fact]
    public void Simulate_features_config_writes_windows_shapes_and_normalised_columns()
    {
        using var work = new TempDirectory();
        Tool.Result result = Tool.Run(work.Path, "run", Path.Combine(Tool.RepoRoot, "configs", "simulate-features.yaml"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Tool.Result inspect = Tool.Run(work.Path, "inspect", work.File("out/simulate-features/electrons.root"));
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        foreach (string branch in new[] { "Electron_window28x28 ", "Electron_window28x28Norm ", "Electron_e2x5Max ", "Electron_sieie ", "Electron_phiSin ", "Electron_phiCos ", "Electron_energyNorm " })
        {
            Assert.Contains(branch, inspect.Stdout, StringComparison.Ordinal);
        }
        Assert.Contains("float32[nElectron][28][28]", inspect.Stdout, StringComparison.Ordinal);
    }
}
