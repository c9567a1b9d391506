using System.Buffers.Binary;
using System.Text.Json;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>configs/zee-evaluate.yaml through the real tool: train two models, evaluate them side by side, check the report.</summary>
public sealed class EvaluateChainTests
{
    private static string Config => Path.Combine(Tool.RepoRoot, "configs", "zee-evaluate.yaml");

    [Fact]
    public void Train_two_models_and_evaluate_them_into_a_complete_report()
    {
        using var work = new TempDirectory();
        Tool.Result first = Tool.Run(work.Path, "train", Config, "--max-events", "3000", "--quiet", "--output", "a.zip");
        Assert.True(first.ExitCode == 0, first.ToString());
        // Another seed: other simulated events, so another model.
        Tool.Result second = Tool.Run(work.Path, "train", Config, "--max-events", "3000", "--quiet", "--seed", "5", "--output", "b.zip");
        Assert.True(second.ExitCode == 0, second.ToString());

        // The chain's own model (not trained here): an input error naming it.
        Tool.Result untrained = Tool.Run(work.Path, "evaluate", Config, "--max-events", "3000", "--quiet");
        Assert.Equal(4, untrained.ExitCode);
        Assert.Contains("out/zee-evaluate/bdt.zip", untrained.Stderr, StringComparison.Ordinal);
        // The learning curves the gbdt regressor draws beside each model are copied into the report; a model without
        // them (removed here) gets none.
        Assert.True(File.Exists(work.File("a.curves.png")) && File.Exists(work.File("b.curves.png")));
        File.Delete(work.File("a.curves.png"));

        Tool.Result evaluate = Tool.Run(work.Path, "evaluate", Config, "--max-events", "3000", "--quiet",
            "--models", "a.zip,b.zip", "--report", "report");
        Assert.True(evaluate.ExitCode == 0, evaluate.ToString());
        Assert.Contains("test events", evaluate.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^raw\s", evaluate.Stdout);
        Assert.Matches(@"(?m)^a\s", evaluate.Stdout);
        Assert.Matches(@"(?m)^b\s", evaluate.Stdout);

        string report = work.File("report");
        foreach (string name in new[] { "metrics.json", "summary.md", "index.html" })
        {
            Assert.True(File.Exists(Path.Combine(report, name)), name);
        }
        Assert.Empty(Directory.GetFiles(report, "*.partial"));

        string[] pngs = [.. Directory.GetFiles(report, "*.png").Select(Path.GetFileName).Order()!];
        Assert.Contains("response.png", pngs);
        Assert.Contains("energy-vs-true.png", pngs);
        Assert.Contains("resolution-vs-Electron_genEnergy.png", pngs);
        Assert.Contains("resolution-vs-Electron_eta.png", pngs);
        Assert.Contains("resolution-vs-Electron_phi.png", pngs);
        Assert.Contains("zpeak-raw.png", pngs);
        Assert.Contains("zpeak-a.png", pngs);
        Assert.Contains("zpeak-b.png", pngs);
        Assert.Contains("learning-curves-b.png", pngs);
        Assert.DoesNotContain("learning-curves-a.png", pngs);
        string html = File.ReadAllText(Path.Combine(report, "index.html"));
        string summary = File.ReadAllText(Path.Combine(report, "summary.md"));
        foreach (string png in pngs)
        {
            AssertValidPng(Path.Combine(report, png));
            Assert.Contains($"href=\"{png}\"", html, StringComparison.Ordinal);
            Assert.Contains($"]({png})", summary, StringComparison.Ordinal);
        }
        Assert.Contains("data:image/png;base64,", html, StringComparison.Ordinal);
        Assert.Contains("| raw |", summary, StringComparison.Ordinal);

        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "metrics.json")));
        JsonElement root = metrics.RootElement;
        Assert.Equal("zee-evaluate", root.GetProperty("chain").GetString());
        Assert.Equal("test", root.GetProperty("part").GetString());
        Assert.Equal("raw", root.GetProperty("reference").GetString());
        JsonElement[] energies = [.. root.GetProperty("energies").EnumerateArray()];
        Assert.Equal(["raw", "a", "b"], energies.Select(e => e.GetProperty("label").GetString()));
        foreach (JsonElement energy in energies)
        {
            JsonElement overall = energy.GetProperty("overall");
            Assert.True(overall.GetProperty("count").GetInt32() > 100);
            foreach (string metric in new[] { "rmse", "mean_response", "median_response", "sigma_eff", "eiqr" })
            {
                JsonElement estimate = overall.GetProperty(metric);
                Assert.True(estimate.GetProperty("value").GetDouble() > 0, metric);
                Assert.True(estimate.GetProperty("error").GetDouble() > 0, metric);
            }
            Assert.InRange(overall.GetProperty("median_response").GetProperty("value").GetDouble(), 0.9, 1.1);
            Assert.Equal(5, energy.GetProperty("bins").GetProperty("Electron_genEnergy").GetArrayLength());
            Assert.Equal(4, energy.GetProperty("bins").GetProperty("Electron_phi").GetArrayLength());
            JsonElement zPeak = energy.GetProperty("z_peak");
            Assert.InRange(zPeak.GetProperty("parameters").GetProperty("sigma_cb").GetProperty("value").GetDouble(), 0, 10);
            Assert.Equal(91.1876, zPeak.GetProperty("parameters").GetProperty("m_z").GetProperty("value").GetDouble());
            Assert.True(zPeak.GetProperty("degrees_of_freedom").GetInt32() > 0);
            Assert.True(energy.GetProperty("change_vs_raw").TryGetProperty("sigma_cb", out _));
        }
        Assert.Equal(0, energies[0].GetProperty("change_vs_raw").GetProperty("sigma_eff").GetDouble());
        // Every change is (model − raw)/raw: negative where the model is narrower, and so printed with a minus.
        foreach (JsonElement model in energies.Skip(1))
        {
            double change = model.GetProperty("change_vs_raw").GetProperty("sigma_eff").GetDouble();
            double expected = model.GetProperty("overall").GetProperty("sigma_eff").GetProperty("value").GetDouble()
                / energies[0].GetProperty("overall").GetProperty("sigma_eff").GetProperty("value").GetDouble() - 1;
            Assert.Equal(expected, change, 1e-12);
            string label = model.GetProperty("label").GetString()!;
            string sign = change < 0 ? "−" : "\\+";
            Assert.Matches($@"(?m)^{label}\s+[0-9,]+\s+[0-9.]+ ± [0-9.]+\s+[0-9.]+ ± [0-9.]+\s+{sign}[0-9]+\.[0-9]%\s", evaluate.Stdout);
        }
    }

    [Fact]
    public void Train_with_evaluate_writes_the_model_and_its_report()
    {
        using var work = new TempDirectory();
        Tool.Result train = Tool.Run(work.Path, "train", Config, "--max-events", "2000", "--quiet", "--output", "m.zip",
            "--evaluate", "--report", "report");
        Assert.True(train.ExitCode == 0, train.ToString());
        Assert.True(File.Exists(work.File("m.zip")));
        Assert.Matches(@"(?m)^m\s", train.Stdout);
        using var metrics = JsonDocument.Parse(File.ReadAllText(work.File("report/metrics.json")));
        JsonElement[] energies = [.. metrics.RootElement.GetProperty("energies").EnumerateArray()];
        Assert.Equal(["raw", "m"], energies.Select(e => e.GetProperty("label").GetString()));
        Assert.EndsWith("m.zip", energies[1].GetProperty("model_path").GetString(), StringComparison.Ordinal);
        Assert.True(File.Exists(work.File("report/index.html")));
    }

    [Fact]
    public void Evaluating_a_missing_model_is_an_input_error_and_a_chain_without_regressor_a_configuration_error()
    {
        using var work = new TempDirectory();
        Tool.Result missing = Tool.Run(work.Path, "evaluate", Config, "--models", "nowhere.zip", "--report", "report");
        Assert.Equal(4, missing.ExitCode);
        Assert.Contains("nowhere.zip", missing.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(work.File("report")));

        string chain = work.Write("no-regressor.yaml", """
            name: no-regressor
            reader: {type: simulate, with: {process: particle-gun, events: 10}}
            """);
        Tool.Result none = Tool.Run(work.Path, "evaluate", chain);
        Assert.Equal(3, none.ExitCode);
        Assert.Contains("no stage of the chain is a regressor", none.Stderr, StringComparison.Ordinal);

        Tool.Result badPart = Tool.Run(work.Path, "evaluate", chain, "--part", "everything");
        Assert.Equal(2, badPart.ExitCode);
    }

    /// <summary>The PNG signature, an IHDR chunk with a plausible size first, and an IEND chunk last.</summary>
    private static void AssertValidPng(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 1000, path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        int width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16));
        int height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20));
        Assert.InRange(width, 100, 4000);
        Assert.InRange(height, 100, 4000);
        Assert.Equal("IEND", System.Text.Encoding.ASCII.GetString(bytes, bytes.Length - 8, 4));
    }
}
