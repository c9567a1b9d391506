using System.Text.Json;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>configs/tag-and-probe-zee.yaml run by the tool: simulate → k-match → tag-and-probe → quality → ROOT.</summary>
public sealed class TagAndProbeChainTests
{
    [Fact]
    public void The_shipped_tag_and_probe_chain_runs_and_reports_every_cut()
    {
        using var work = new TempDirectory();
        Tool.Result result = Tool.Run(work.Path, "run", Path.Combine(Tool.RepoRoot, "configs", "tag-and-probe-zee.yaml"), "--quiet");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("· tag pt > 30", result.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(work.File("out/tag-and-probe-zee/dead-crystals.json")));

        using var cutFlow = JsonDocument.Parse(File.ReadAllText(work.File("out/tag-and-probe-zee/probes.cutflow.json")));
        JsonElement[] steps = cutFlow.RootElement.GetProperty("steps").EnumerateArray().ToArray();
        JsonElement tagAndProbe = steps.Single(s => s.GetProperty("name").GetString() == "tag and probe");
        string[] cuts = tagAndProbe.GetProperty("cuts").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(["tag pt > 30", "tag |eta| < 2.1", "tag |eta| outside 1.4442-1.566", "tag id: Electron_cutBased >= 4", "tag Electron_trigMatch",
            "probe pt > 10", "probe id: Electron_cutBased >= 2", "opposite charge", "70 < mass < 110"], cuts);
        // The last pair cut passes exactly the pairs the step put out.
        JsonElement window = tagAndProbe.GetProperty("cuts")[cuts.Length - 1];
        Assert.Equal(tagAndProbe.GetProperty("objects").GetProperty("Probe").GetProperty("out").GetInt64(), window.GetProperty("objects_out").GetInt64());
        Assert.Empty(steps[0].GetProperty("cuts").EnumerateArray());

        // Every written pair is in the mass window; the label is set exactly for pairs in 86-97 GeV.
        Tool.Result dump = Tool.Run(work.Path, "dump", work.File("out/tag-and-probe-zee/probes.root"), "--tree", "Events",
            "--branches", "Pair_mass,Probe_energyLabel");
        Assert.True(dump.ExitCode == 0, dump.ToString());
        long pairs = 0;
        foreach (string line in dump.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var entry = JsonDocument.Parse(line);
            double[] mass = entry.RootElement.GetProperty("Pair_mass").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            double[] label = entry.RootElement.GetProperty("Probe_energyLabel").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            Assert.NotEmpty(mass);
            for (int k = 0; k < mass.Length; k++)
            {
                Assert.InRange(mass[k], 70, 110);
                Assert.Equal(mass[k] is > 86 and < 97, label[k] > 0);
            }
            pairs += mass.Length;
        }
        JsonElement writer = steps[^1];
        Assert.Equal(writer.GetProperty("objects").GetProperty("Probe").GetProperty("out").GetInt64(), pairs);
    }

    [Fact]
    public void Simulate_writes_the_dead_crystal_map_on_request()
    {
        using var work = new TempDirectory();
        Tool.Result result = Tool.Run(work.Path, "simulate", "-n", "5", "--window", "5", "--dead-crystal-map", "maps/dead.json", "-o", "zee.jsonl", "--quiet");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var map = JsonDocument.Parse(File.ReadAllText(work.File("maps/dead.json")));
        JsonElement[] crystals = map.RootElement.GetProperty("crystals").EnumerateArray().ToArray();
        // 0.3% of the 170 x 360 barrel and 2 x 41 x 180 endcap crystals (228 expected) are dead, within a few
        // standard deviations; barrel iη 1…85, iφ 1…360; endcap iη 86…126, iφ 1…180.
        Assert.InRange(crystals.Length, 170, 290);
        Assert.All(crystals, c => Assert.InRange(Math.Abs(c[0].GetInt32()), 1, 126));
        Assert.All(crystals, c => Assert.InRange(c[1].GetInt32(), 1, Math.Abs(c[0].GetInt32()) <= 85 ? 360 : 180));
        Assert.Contains(crystals, c => Math.Abs(c[0].GetInt32()) > 85);
    }
}
