namespace EnergyRegression.EndToEnd.Tests;

/// <summary>configs/train-film-crystal-ball.yaml through the real tool, shrunk to a few seconds: train, learning curves, model show, apply.</summary>
public sealed class TorchChainTests
{
    [Fact]
    public void A_small_FiLM_CNN_trains_writes_curves_shows_and_applies()
    {
        using var work = new TempDirectory();
        string text = File.ReadAllText(Path.Combine(Tool.RepoRoot, "configs", "train-film-crystal-ball.yaml"))
            .Replace("events: 20000", "events: 1500", StringComparison.Ordinal)
            .Replace("epochs: 15", "epochs: 2", StringComparison.Ordinal);
        Assert.Contains("events: 1500", text, StringComparison.Ordinal);
        Assert.Contains("epochs: 2", text, StringComparison.Ordinal);
        string chain = work.Write("film.yaml", text);

        Tool.Result train = Tool.Run(work.Path, "train", chain, "--quiet");
        Assert.True(train.ExitCode == 0, train.ToString());
        string png = work.File("out/film-cb/film.curves.png");
        byte[] bytes = File.ReadAllBytes(png);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.True(File.Exists(work.File("out/film-cb/film.curves.csv")));

        Tool.Result show = Tool.Run(work.Path, "model", "show", "out/film-cb/film.model");
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("plugin       torch", show.Stdout, StringComparison.Ordinal);

        Tool.Result apply = Tool.Run(work.Path, "run", chain, "--max-events", "200", "--quiet");
        Assert.True(apply.ExitCode == 0, apply.ToString());
    }
}
