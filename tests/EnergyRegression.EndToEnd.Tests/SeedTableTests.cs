using System.Text.Json;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>
/// configs/seed-table.yaml through the real tool, shrunk to seconds: the four seed models trained in one command
/// (train: stages:), evaluated side by side in one pass (evaluate: predicted_energies:), the RMSE table above the
/// raw-energy thresholds, the average window and the response fits.
/// </summary>
public sealed class SeedTableTests
{
    private static string ShrunkConfig(TempDirectory work)
    {
        const string Budget = "epochs: 20, steps_per_epoch: 100";
        string original = File.ReadAllText(Path.Combine(Tool.RepoRoot, "configs", "seed-table.yaml"));
        Assert.Equal(4, original.Split(Budget).Length - 1);
        string text = original
            .Replace("events: 6400", "events: 400", StringComparison.Ordinal)
            .Replace(Budget, "epochs: 1, steps_per_epoch: 4", StringComparison.Ordinal)
            .Replace("bootstrap: 100", "bootstrap: 20", StringComparison.Ordinal);
        return work.Write("seed-table.yaml", text);
    }

    [Fact]
    public void The_four_seed_models_train_in_one_command_and_print_the_threshold_table()
    {
        using var work = new TempDirectory();
        string chain = ShrunkConfig(work);

        Tool.Result train = Tool.Run(work.Path, "train", chain, "--quiet", "--evaluate", "--report", "report");
        Assert.True(train.ExitCode == 0, train.ToString());
        foreach (string model in new[] { "baseline", "linear", "shallow", "cnn" })
        {
            Assert.True(File.Exists(work.File($"out/seed-table/{model}.model")), model);
            Assert.Contains($"out/seed-table/{model}.model", train.Stdout, StringComparison.Ordinal);
        }
        // The events are read once for the four stages: one cut flow table.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(train.Stdout, "cut flow\\s*\\n"));

        // The seeds' table on stdout: a row per energy, a column per threshold, RMSE in E/100 GeV.
        Assert.Contains("RMSE [E/100 GeV] of the objects above each raw-energy threshold", train.Stdout, StringComparison.Ordinal);
        foreach (string row in new[] { "raw", "baseline", "linear", "shallow", "cnn" })
        {
            Assert.Matches($@"(?m)^{row}\s+[0-9.]+ ± [0-9.]+ \(n=\d+\)\s+[0-9.]+ ± [0-9.]+ \(n=\d+\)\s+[0-9.]+ ± [0-9.]+ \(n=\d+\)", train.Stdout);
        }

        using var metrics = JsonDocument.Parse(File.ReadAllText(work.File("report/metrics.json")));
        JsonElement root = metrics.RootElement;
        Assert.Equal("validation", root.GetProperty("part").GetString());
        Assert.Equal(100, root.GetProperty("rmse_unit").GetDouble());
        JsonElement[] energies = [.. root.GetProperty("energies").EnumerateArray()];
        Assert.Equal(["raw", "baseline", "linear", "shallow", "cnn"], energies.Select(e => e.GetProperty("label").GetString()));
        foreach (JsonElement energy in energies)
        {
            JsonElement[] thresholds = [.. energy.GetProperty("thresholds").EnumerateArray()];
            Assert.Equal([0.0, 10.0, 20.0], thresholds.Select(t => t.GetProperty("raw_above").GetDouble()));
            int[] counts = [.. thresholds.Select(t => t.GetProperty("metrics").GetProperty("count").GetInt32())];
            // A higher threshold keeps a subset; with no cut at all every validation object counts.
            Assert.True(counts[0] >= counts[1] && counts[1] >= counts[2], string.Join(", ", counts));
            Assert.Equal(root.GetProperty("objects").GetInt32(), counts[0]);
            // The 0 GeV row is the overall RMSE (GeV), expressed in E/100 GeV.
            double overall = energy.GetProperty("overall").GetProperty("rmse").GetProperty("value").GetDouble();
            Assert.Equal(overall, thresholds[0].GetProperty("metrics").GetProperty("rmse").GetProperty("value").GetDouble(), 12);
        }
        string[] pngs = [.. Directory.GetFiles(work.File("report"), "*.png").Select(Path.GetFileName)!];
        Assert.Contains("average-window.png", pngs);
        Assert.Contains("response-fit-raw.png", pngs);
        Assert.Contains("learning-curves-cnn.png", pngs);
        Assert.Contains("learning-curves-baseline.png", pngs);
        string summary = File.ReadAllText(work.File("report/summary.md"));
        Assert.Contains("## RMSE [E/100 GeV] above raw-energy thresholds", summary, StringComparison.Ordinal);
        Assert.Contains("| energy | E_raw > 0 GeV | E_raw > 10 GeV | E_raw > 20 GeV |", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void One_stage_trains_alone_even_when_an_untrained_regressor_comes_before_it()
    {
        using var work = new TempDirectory();
        string chain = ShrunkConfig(work);
        Tool.Result train = Tool.Run(work.Path, "train", chain, "--quiet", "--stage", "linear");
        Assert.True(train.ExitCode == 0, train.ToString());
        Assert.True(File.Exists(work.File("out/seed-table/linear.model")));
        Assert.False(File.Exists(work.File("out/seed-table/baseline.model")));

        // Several stages cannot share one --output; --models cannot replace one of several compared regressors.
        Tool.Result output = Tool.Run(work.Path, "train", chain, "--quiet", "--output", "one.model");
        Assert.Equal(3, output.ExitCode);
        Assert.Contains("4 stages are trained", output.Stderr, StringComparison.Ordinal);
        Tool.Result unknown = Tool.Run(work.Path, "train", chain, "--quiet", "--stage", "cnm");
        Assert.Equal(3, unknown.ExitCode);
        Assert.Contains("no stage named 'cnm'", unknown.Stderr, StringComparison.Ordinal);
        Tool.Result models = Tool.Run(work.Path, "evaluate", chain, "--quiet", "--models", "out/seed-table/linear.model");
        Assert.Equal(3, models.ExitCode);
        Assert.Contains("predicted_energies", models.Stderr, StringComparison.Ordinal);
    }
}
