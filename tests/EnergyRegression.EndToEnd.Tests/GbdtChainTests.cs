namespace EnergyRegression.EndToEnd.Tests;

/// <summary>configs/gbdt-train.yaml and configs/gbdt-apply.yaml through the real tool: train, show, apply, dump.</summary>
public sealed class GbdtChainTests
{
    private static string Config(string name) => Path.Combine(Tool.RepoRoot, "configs", name);

    [Fact]
    public void Train_show_and_apply_the_shipped_gbdt_chains()
    {
        using var work = new TempDirectory();
        Tool.Result validate = Tool.Run(work.Path, "validate", "--train", Config("gbdt-train.yaml"));
        Assert.True(validate.ExitCode == 0, validate.ToString());
        // Applying before training: the model file is missing, an input error naming it.
        Tool.Result early = Tool.Run(work.Path, "validate", Config("gbdt-apply.yaml"));
        Assert.Equal(4, early.ExitCode);
        Assert.Contains("out/gbdt/electrons-bdt.zip", early.Stderr, StringComparison.Ordinal);

        Tool.Result train = Tool.Run(work.Path, "train", Config("gbdt-train.yaml"), "--max-events", "4000", "--quiet");
        Assert.True(train.ExitCode == 0, train.ToString());
        Assert.Contains("model:      out/gbdt/electrons-bdt.zip", train.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(work.File("out/gbdt/electrons-bdt.importance.csv")));
        Assert.True(File.Exists(work.File("out/gbdt/electrons-bdt.cutflow.json")));
        Assert.Empty(Directory.GetFiles(work.File("out/gbdt"), "*.partial"));

        Tool.Result show = Tool.Run(work.Path, "model", "show", "out/gbdt/electrons-bdt.zip");
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("plugin       gbdt", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("Electron_seedIEta", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("barrel.sigma_eff", show.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^  endcap\s+\d+ trees, depth [1-6], if abs\(Electron_eta\) >= 1\.479", show.Stdout);

        Tool.Result apply = Tool.Run(work.Path, "run", Config("gbdt-apply.yaml"), "--max-events", "500", "--quiet");
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Tool.Result dump = Tool.Run(work.Path, "dump", "out/gbdt/electrons-calibrated.root", "--tree", "Events",
            "--branches", "Electron_energy,Electron_energyCalib,Electron_genEnergy");
        Assert.True(dump.ExitCode == 0, dump.ToString());
        // One row per electron of the 500 events, each with its calibrated energy.
        string[] lines = dump.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length > 400, dump.Stdout);
    }

    [Fact]
    public void Model_show_on_a_file_that_is_not_a_model_is_an_input_error()
    {
        using var work = new TempDirectory();
        string path = work.Write("model.zip", "not a zip");
        Tool.Result show = Tool.Run(work.Path, "model", "show", path);
        Assert.Equal(4, show.ExitCode);
        Assert.Contains("not a model file", show.Stderr, StringComparison.Ordinal);
        Assert.Contains(path, show.Stderr, StringComparison.Ordinal);
    }
}
