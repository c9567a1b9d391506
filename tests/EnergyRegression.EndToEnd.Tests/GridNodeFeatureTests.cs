using System.Text.Json;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>
/// Grid features for real nodes (docs/grid.md): the chain's environment in the submit descriptions, Slurm's sacct
/// states in <c>status</c>, and friend outputs merged into the friend of the whole input.
/// </summary>
public sealed class GridNodeFeatureTests
{
    [Fact]
    public void Submit_passes_the_chains_environment_to_htcondor_and_slurm_jobs()
    {
        using var work = new TempDirectory();
        string chain = work.Write("chain.yaml", """
            name: env
            reader: {type: simulate, with: {events: 40}}
            writer:
              type: json
              with:
                path: out/${SAMPLE_EVENTS}.jsonl
            """);
        var environment = new Dictionary<string, string> { ["SAMPLE_EVENTS"] = "40", ["CALIB_TAG"] = "it's \"2026\"" };
        Tool.Result condor = Tool.Run(work.Path, environment, "submit", chain, "--jobs", "2", "--workdir", "c", "--dry-run", "--env", "CALIB_TAG", "--env", "EXTRA=1");
        Assert.True(condor.ExitCode == 0, condor.ToString());
        Assert.Contains("environment = \"CALIB_TAG='it''s \"\"2026\"\"' EXTRA='1' SAMPLE_EVENTS='40'\"\n", File.ReadAllText(work.File("c/job.sub")), StringComparison.Ordinal);
        using (var ledger = JsonDocument.Parse(File.ReadAllText(work.File("c/ledger.json"))))
        {
            Assert.Equal("40", ledger.RootElement.GetProperty("environment").GetProperty("SAMPLE_EVENTS").GetString());
        }
        Tool.Result slurm = Tool.Run(work.Path, new Dictionary<string, string> { ["SAMPLE_EVENTS"] = "40" }, "submit", chain, "--jobs", "2", "--backend", "slurm", "--workdir", "s", "--dry-run");
        Assert.True(slurm.ExitCode == 0, slurm.ToString());
        Assert.Contains("#SBATCH --export=ALL,SAMPLE_EVENTS=40\n", File.ReadAllText(work.File("s/job.slurm")), StringComparison.Ordinal);
        Tool.Result comma = Tool.Run(work.Path, new Dictionary<string, string> { ["SAMPLE_EVENTS"] = "4,0" }, "submit", chain, "--jobs", "2", "--backend", "slurm", "--workdir", "t", "--dry-run");
        Assert.Equal(2, comma.ExitCode);
        Assert.Contains("SAMPLE_EVENTS", comma.Stderr, StringComparison.Ordinal);
        Tool.Result unset = Tool.Run(work.Path, environment, "submit", chain, "--jobs", "2", "--workdir", "u", "--dry-run", "--env", "NOT_SET_ANYWHERE");
        Assert.Equal(2, unset.ExitCode);
        Assert.Contains("--env NOT_SET_ANYWHERE: not set", unset.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// No Slurm cluster runs here: sbatch and sacct are stand-ins on PATH that answer as Slurm does (sbatch --parsable
    /// prints the job id; sacct -n -P prints JobID|State|ExitCode, pending array tasks folded into ID_[a-b]).
    /// </summary>
    [Fact]
    public void Status_reads_slurm_accounting_states_of_the_array_tasks()
    {
        using var work = new TempDirectory();
        string bin = Directory.CreateDirectory(work.File("bin")).FullName;
        File.WriteAllText(Path.Combine(bin, "sbatch"), "#!/bin/sh\necho 4242\n");
        File.WriteAllText(Path.Combine(bin, "sacct"), $$"""
            #!/bin/sh
            printf '%s\n' "$*" > {{work.File("sacct.args")}}
            printf '%s\n' '4242_0|COMPLETED|0:0' '4242_1|RUNNING|0:0' '4242_2|FAILED|1:0' '4242_3|TIMEOUT|0:0' '4242_4|OUT_OF_MEMORY|0:125' '4242_[5-6]|PENDING|0:0' '4242_7|CANCELLED by 1000|0:0' '9999_1|FAILED|1:0'
            """);
        foreach (string tool in new[] { "sbatch", "sacct" })
        {
            Assert.Equal(0, HtCondorPool.Shell("chmod", "+x", Path.Combine(bin, tool)).ExitCode);
        }
        var path = new Dictionary<string, string> { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH") };
        string chain = work.Write("chain.yaml", """
            name: slurm
            reader: {type: simulate, with: {events: 80}}
            writer: {type: json, with: {path: out/s.jsonl}}
            """);
        Tool.Result submit = Tool.Run(work.Path, path, "submit", chain, "--jobs", "8", "--backend", "slurm", "--workdir", "wd");
        Assert.True(submit.ExitCode == 0, submit.ToString());
        Assert.Contains("job 4242", submit.Stderr + submit.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, HtCondorPool.ShellIn(work.Path, work.File("wd/run-shard.sh"), "0").ExitCode); // shard 0 really runs: done

        Tool.Result status = Tool.Run(work.Path, path, "status", "wd", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal("-n -P -X -j 4242 -o JobID,State,ExitCode\n", File.ReadAllText(work.File("sacct.args")));
        using var document = JsonDocument.Parse(status.Stdout);
        JsonElement[] shards = [.. document.RootElement.GetProperty("shards").EnumerateArray()];
        Assert.Equal(["done", "running", "failed", "failed", "failed", "queued", "queued", "unfinished"], shards.Select(s => s.GetProperty("state").GetString()));
        Assert.Contains("TIMEOUT (the job reached its time limit", shards[3].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("OUT_OF_MEMORY", shards[4].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("larger --memory", shards[4].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("4242_6: PENDING", shards[6].GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Without sacct (not a Slurm submit host any more): the wrapper's reports alone, no error.
        Tool.Result blind = Tool.Run(work.Path, new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }, "status", "wd", "--json");
        Assert.True(blind.ExitCode == 0, blind.ToString());
        Assert.Contains("\"done\"", blind.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Friend_tree_shards_merge_into_the_friend_tree_of_the_single_run()
    {
        using var work = new TempDirectory();
        string chain = work.Write("chain.yaml", """
            name: friend
            seed: 4
            batch_size: 40
            reader: {type: simulate, with: {events: 230, window: 5}}
            stages:
              - {type: define, with: {name: Electron_energyScaled, expression: "Electron_energy * 1.02"}}
            writer: {type: root, with: {path: out/friend.root, friend: true, columns: [Electron_energyScaled]}}
            """);
        Tool.Result single = Tool.Run(work.Path, "run", chain, "-q");
        Assert.True(single.ExitCode == 0, single.ToString());
        Tool.Result submit = Tool.Run(work.Path, "submit", chain, "--jobs", "3", "--workdir", "wd", "--dry-run");
        Assert.True(submit.ExitCode == 0, submit.ToString());
        for (int k = 0; k < 3; k++)
        {
            HtCondorPool.Result shard = HtCondorPool.ShellIn(work.Path, work.File("wd/run-shard.sh"), k.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(shard.ExitCode == 0, shard.ToString());
        }
        Tool.Result merge = Tool.Run(work.Path, "merge", "wd", "--output", "merged.root");
        Assert.True(merge.ExitCode == 0, merge.ToString());
        string Dump(string file)
        {
            Tool.Result dump = Tool.Run(work.Path, "dump", file, "--tree", "Events");
            Assert.True(dump.ExitCode == 0, dump.ToString());
            return dump.Stdout;
        }
        string expected = Dump("out/friend.root");
        Assert.Equal(230, expected.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(expected, Dump("merged.root"));
    }
}
