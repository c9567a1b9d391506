using System.Diagnostics;
using System.Text.Json;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>
/// Grid runs (docs/grid.md): shards killed mid-write, merges independent of the order shards finish in, and a real
/// HTCondor pool running a 4-shard chain, a planted failure, status, resubmit and merge.
/// </summary>
public sealed class GridTests
{
    private static string SimulateChain(long events, string output, string extra = "") => $"""
        name: grid-sim
        seed: 11
        batch_size: 50
        {extra}reader:
          type: simulate
          with:
            events: {events}
        stages:
          - type: define
            with:
              name: Electron_energyScaled
              expression: "Electron_energy * 1.01"
        writer:
          type: json
          with:
            path: {output}
        """;

    [Fact]
    public void Shard_killed_with_sigkill_mid_write_leaves_nothing_under_the_final_name_and_the_rerun_completes_it()
    {
        using var work = new TempDirectory();
        // A stage that sleeps 20 ms per batch of 10 events makes the shard slow enough to kill while it writes.
        string chain = work.Write("chain.yaml", $$"""
            name: slow
            seed: 3
            threads: 1
            batch_size: 10
            plugins: ["{{Tool.FaultyPluginDir}}"]
            reader:
              type: simulate
              with:
                events: 600
            stages:
              - type: faulty
                with: {fail_in: never, delay_ms: 20}
            writer:
              type: json
              with:
                path: out/slow.jsonl
            """);
        string output = work.File("out/slow.shard-0-of-2.jsonl");
        string marker = work.File("out/slow.shard-0-of-2.done.json");

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = work.Path, UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in new[] { Tool.ToolDll, "run", chain, "--shard", "0/2" })
        {
            start.ArgumentList.Add(arg);
        }
        using (Process child = Process.Start(start)!)
        {
            _ = child.StandardOutput.ReadToEndAsync();
            _ = child.StandardError.ReadToEndAsync();
            string partial = output + ".partial";
            var waited = Stopwatch.StartNew();
            while (!(File.Exists(partial) && new FileInfo(partial).Length > 0) && !child.HasExited && waited.Elapsed < TimeSpan.FromMinutes(2))
            {
                Thread.Sleep(10);
            }
            Assert.False(child.HasExited, "the shard finished before it could be killed");
            child.Kill(); // SIGKILL on Unix: no handler runs
            child.WaitForExit();
            Assert.Equal(137, child.ExitCode);
        }
        Assert.False(File.Exists(output), "a killed shard left a file under the final name");
        Assert.False(File.Exists(marker), "a killed shard left a done marker");
        Assert.False(File.Exists(work.File("out/slow.shard-0-of-2.cutflow.json")));

        Tool.Result rerun = Tool.Run(work.Path, "run", chain, "--shard", "0/2");
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.True(File.Exists(output) && File.Exists(marker));
        Assert.False(File.Exists(output + ".partial"));
        Assert.Equal(300, File.ReadLines(output).Count());
        byte[] completed = File.ReadAllBytes(output);

        // A third run finds the marker matching the output: nothing to do, nothing rewritten.
        Tool.Result again = Tool.Run(work.Path, "run", chain, "--shard", "0/2");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("shard already done", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(completed, File.ReadAllBytes(output));

        // The two shards together are exactly the unsharded run.
        Assert.Equal(0, Tool.Run(work.Path, "run", chain, "--shard", "1/2").ExitCode);
        Assert.Equal(0, Tool.Run(work.Path, "run", chain).ExitCode);
        byte[] union = [.. completed, .. File.ReadAllBytes(work.File("out/slow.shard-1-of-2.jsonl"))];
        Assert.Equal(File.ReadAllBytes(work.File("out/slow.jsonl")), union);
    }

    [Fact]
    public void A_done_marker_that_does_not_match_its_output_makes_the_shard_run_again()
    {
        using var work = new TempDirectory();
        string chain = work.Write("chain.yaml", SimulateChain(40, "out/s.jsonl"));
        Assert.Equal(0, Tool.Run(work.Path, "run", chain, "--shard", "1/2").ExitCode);
        string output = work.File("out/s.shard-1-of-2.jsonl");
        byte[] good = File.ReadAllBytes(output);
        File.AppendAllText(output, "{}\n"); // damaged after the fact
        Tool.Result rerun = Tool.Run(work.Path, "run", chain, "--shard", "1/2");
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Contains("does not hold", rerun.Stderr, StringComparison.Ordinal);
        Assert.Equal(good, File.ReadAllBytes(output));
    }

    [Theory]
    [InlineData("json", "jsonl")]
    [InlineData("root", "root")]
    [InlineData("hdf5", "h5")]
    public void Merge_of_shards_finished_in_any_order_equals_the_single_run(string writer, string extension)
    {
        using var work = new TempDirectory();
        string chain = work.Write("chain.yaml", SimulateChain(230, $"out/all.{extension}").Replace("type: json\n  with:\n    path", $"type: {writer}\n  with:\n    path", StringComparison.Ordinal));
        Assert.Equal(0, Tool.Run(work.Path, "run", chain).ExitCode);
        string single = work.File($"out/all.{extension}");

        var merged = new List<string>();
        foreach ((string name, int[] order) in new[] { ("a", new[] { 0, 1, 2 }), ("b", new[] { 2, 0, 1 }) })
        {
            Tool.Result submit = Tool.Run(work.Path, "submit", chain, "--jobs", "3", "--workdir", name, "--dry-run");
            Assert.True(submit.ExitCode == 0, submit.ToString());
            foreach (int shard in order)
            {
                // As a batch node would: the wrapper the submit wrote, one shard at a time, in this order.
                HtCondorPool.Result job = HtCondorPool.ShellIn(work.Path, Path.Combine(work.Path, name, "run-shard.sh"), shard.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Assert.True(job.ExitCode == 0, job.ToString());
            }
            Tool.Result merge = Tool.Run(work.Path, "merge", name, "--output", $"{name}.{extension}");
            Assert.True(merge.ExitCode == 0, merge.ToString());
            Assert.Contains("merged 3 shard(s), 230 events", merge.Stdout, StringComparison.Ordinal);
            merged.Add(work.File($"{name}.{extension}"));
        }
        if (writer == "json")
        {
            Assert.Equal(File.ReadAllBytes(single), File.ReadAllBytes(merged[0]));
            Assert.Equal(File.ReadAllBytes(merged[0]), File.ReadAllBytes(merged[1]));
        }
        else
        {
            // Binary formats carry write times: compare what they hold, entry by entry.
            string expected = Dump(work.Path, single);
            Assert.Equal(expected, Dump(work.Path, merged[0]));
            Assert.Equal(expected, Dump(work.Path, merged[1]));
        }
        Assert.Equal(CutFlow(work.File($"out/all.cutflow.json")), CutFlow(work.File("a.cutflow.json")));
        using var provenance = JsonDocument.Parse(File.ReadAllText(work.File("b.provenance.json")));
        Assert.Equal(3, provenance.RootElement.GetProperty("shards").GetArrayLength());
        Assert.Equal("balanced 3", provenance.RootElement.GetProperty("split").GetString());
    }

    [Fact]
    public void Merge_refuses_an_incomplete_set_unless_allowed()
    {
        using var work = new TempDirectory();
        string chain = work.Write("chain.yaml", SimulateChain(30, "out/s.jsonl"));
        Assert.Equal(0, Tool.Run(work.Path, "submit", chain, "--jobs", "3", "--workdir", "wd", "--dry-run").ExitCode);
        Assert.Equal(0, HtCondorPool.ShellIn(work.Path, work.File("wd/run-shard.sh"), "1").ExitCode);
        Tool.Result refused = Tool.Run(work.Path, "merge", "wd", "-o", "m.jsonl");
        Assert.Equal(6, refused.ExitCode);
        Assert.Contains("2 of 3 shard(s) are not done (0, 2)", refused.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(work.File("m.jsonl")));
        Tool.Result partial = Tool.Run(work.Path, "merge", "wd", "-o", "m.jsonl", "--allow-partial");
        Assert.True(partial.ExitCode == 0, partial.ToString());
        Assert.Equal(10, File.ReadLines(work.File("m.jsonl")).Count());
        using var provenance = JsonDocument.Parse(File.ReadAllText(work.File("m.provenance.json")));
        Assert.Equal("[0,2]", provenance.RootElement.GetProperty("missing_shards").GetRawText().Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Submit_dry_run_writes_an_htcondor_description_and_a_slurm_array_script()
    {
        using var work = new TempDirectory();
        string chain = work.Write("chain.yaml", SimulateChain(100, "out/s.jsonl", "threads: 2\n"));
        Tool.Result condor = Tool.Run(work.Path, "submit", chain, "--events-per-job", "30", "--workdir", "c", "--dry-run", "--max-retries", "4");
        Assert.True(condor.ExitCode == 0, condor.ToString());
        string sub = File.ReadAllText(work.File("c/job.sub"));
        Assert.Contains($"queue shard from {work.File("c/shards.txt")}", sub, StringComparison.Ordinal);
        Assert.Contains("request_cpus = 2\n", sub, StringComparison.Ordinal);
        Assert.Contains("request_memory = 1280MB\n", sub, StringComparison.Ordinal); // 1024 + 4 batches × 50 events × 16 KiB, up to 256
        Assert.Contains("max_retries = 4\n", sub, StringComparison.Ordinal);
        Assert.Contains($"log = {work.File("c/logs")}/shard-$(shard).log", sub, StringComparison.Ordinal);
        Assert.Equal("0\n1\n2\n3\n", File.ReadAllText(work.File("c/shards.txt")));
        Assert.Contains("--events-per-job 30", File.ReadAllText(work.File("c/run-shard.sh")), StringComparison.Ordinal);
        using (var ledger = JsonDocument.Parse(File.ReadAllText(work.File("c/ledger.json"))))
        {
            JsonElement shards = ledger.RootElement.GetProperty("shards");
            Assert.Equal([30L, 30L, 30L, 10L], shards.EnumerateArray().Select(s => s.GetProperty("stop").GetInt64() - s.GetProperty("start").GetInt64()));
            Assert.All(shards.EnumerateArray(), s => Assert.Equal("not-submitted", s.GetProperty("state").GetString()));
        }

        Tool.Result slurm = Tool.Run(work.Path, "submit", chain, "--jobs", "5", "--backend", "slurm", "--workdir", "s", "--dry-run", "--memory", "3000");
        Assert.True(slurm.ExitCode == 0, slurm.ToString());
        string script = File.ReadAllText(work.File("s/job.slurm"));
        Assert.Contains("#SBATCH --array=0,1,2,3,4\n", script, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --mem=3000M\n", script, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --cpus-per-task=2\n", script, StringComparison.Ordinal);
        Assert.Contains("\"$SLURM_ARRAY_TASK_ID\"", script, StringComparison.Ordinal);

        Tool.Result again = Tool.Run(work.Path, "submit", chain, "--jobs", "5", "--workdir", "s", "--dry-run");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already holds a grid run", again.Stderr, StringComparison.Ordinal);
        Tool.Result tooMany = Tool.Run(work.Path, "submit", chain, "--jobs", "101", "--workdir", "t", "--dry-run");
        Assert.Equal(2, tooMany.ExitCode);
        Assert.Contains("Cannot cut 100 entries into 101 shards", tooMany.Stderr, StringComparison.Ordinal);
        Tool.Result badShard = Tool.Run(work.Path, "run", chain, "--shard", "4/4");
        Assert.Equal(2, badShard.ExitCode);
        Assert.Contains("not K/N with 0 <= K < N", badShard.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void HtCondor_pool_runs_four_shards_whose_merge_equals_the_single_run_and_resubmit_reruns_only_the_failed_shard()
    {
        using var pool = HtCondorPool.Start();
        (string dotnet, string tool) = ToolFor(pool);
        string dir = pool.Directory;
        // The chain reads ${GRID_SCALE} from the submitter's environment; HTCondor jobs get it through job.sub's environment.
        pool.Environment["GRID_SCALE"] = "1.01";
        File.WriteAllText(Path.Combine(dir, "chain.yaml"), SimulateChain(2000, "out/sim.jsonl").Replace("* 1.01", "* ${GRID_SCALE}", StringComparison.Ordinal));
        pool.GiveToUser(dir);
        HtCondorPool.Result Energyreg(params string[] args) => pool.As(dotnet, [tool, .. args]);

        HtCondorPool.Result single = Energyreg("run", "chain.yaml", "-q");
        Assert.True(single.ExitCode == 0, single.ToString());
        byte[] expected = File.ReadAllBytes(Path.Combine(dir, "out/sim.jsonl"));

        HtCondorPool.Result submit = Energyreg("submit", "chain.yaml", "--backend", "htcondor", "--jobs", "4", "--workdir", "wd", "--max-retries", "0");
        Assert.True(submit.ExitCode == 0, submit.ToString());
        WaitForShards(pool, Energyreg, 4);
        HtCondorPool.Result merge = Energyreg("merge", "wd", "--output", "merged.jsonl");
        Assert.True(merge.ExitCode == 0, merge.ToString() + Logs(dir));
        Assert.Equal(expected, File.ReadAllBytes(Path.Combine(dir, "merged.jsonl")));
        Assert.Equal(CutFlow(Path.Combine(dir, "out/sim.cutflow.json")), CutFlow(Path.Combine(dir, "merged.cutflow.json")));
        foreach (string err in Directory.GetFiles(Path.Combine(dir, "wd/logs"), "shard-*.err"))
        {
            // Job logs are files, not terminals: plain timestamped progress lines, no control codes.
            string text = File.ReadAllText(err);
            Assert.Contains(" progress: ", text, StringComparison.Ordinal);
            Assert.DoesNotContain('\u001b', text);
        }

        // Planted fault: shard 2's output is lost and a directory now stands where it must be written, so the shard fails.
        string output2 = Path.Combine(dir, "wd/output/sim.shard-2-of-4.jsonl");
        File.Delete(output2);
        File.Delete(Path.Combine(dir, "wd/output/sim.shard-2-of-4.done.json"));
        Directory.CreateDirectory(output2);
        Dictionary<int, byte[]> markers = new[] { 0, 1, 3 }.ToDictionary(k => k, k => File.ReadAllBytes(Path.Combine(dir, $"wd/output/sim.shard-{k}-of-4.done.json")));
        HtCondorPool.Result first = Energyreg("resubmit", "wd");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("resubmitted shard(s) 2\n", first.Output, StringComparison.Ordinal);
        JsonElement[] states = WaitForShards(pool, Energyreg, 4);
        Assert.Equal(["done", "done", "failed", "done"], states.Select(s => s.GetProperty("state").GetString()));
        Assert.Equal(1, states[2].GetProperty("exit_code").GetInt32());
        Assert.Contains("exit code 1 (runtime failure)", states[2].GetProperty("detail").GetString(), StringComparison.Ordinal);
        HtCondorPool.Result refused = Energyreg("merge", "wd", "--output", "merged2.jsonl");
        Assert.Equal(6, refused.ExitCode);

        // Fault removed: resubmit queues shard 2 alone; the merge is again the single run.
        Directory.Delete(output2);
        HtCondorPool.Result second = Energyreg("resubmit", "wd");
        Assert.Contains("resubmitted shard(s) 2\n", second.Output, StringComparison.Ordinal);
        states = WaitForShards(pool, Energyreg, 4);
        Assert.All(states, s => Assert.Equal("done", s.GetProperty("state").GetString()));
        HtCondorPool.Result merge2 = Energyreg("merge", "wd", "--output", "merged2.jsonl");
        Assert.True(merge2.ExitCode == 0, merge2.ToString());
        Assert.Equal(expected, File.ReadAllBytes(Path.Combine(dir, "merged2.jsonl")));
        foreach ((int k, byte[] marker) in markers)
        {
            Assert.Equal(marker, File.ReadAllBytes(Path.Combine(dir, $"wd/output/sim.shard-{k}-of-4.done.json"))); // never rerun
        }
        using var ledger = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "wd/ledger.json")));
        Assert.Equal(["0,1,2,3", "2", "2"], ledger.RootElement.GetProperty("submissions").EnumerateArray()
            .Select(s => string.Join(',', s.GetProperty("shards").EnumerateArray().Select(i => i.GetInt32()))));
        Assert.All(ledger.RootElement.GetProperty("submissions").EnumerateArray(), s => Assert.False(string.IsNullOrEmpty(s.GetProperty("job_id").GetString())));
    }

    /// <summary>
    /// Each file reader restricted to shards gives exactly the events of the unsharded run, over uneven files (one of
    /// them tiny), with the reader's own entries: range, balanced, per-file and per-event splits.
    /// </summary>
    [Theory]
    [InlineData("root", "root", "tree: Events, entries: \"7:\"")]
    [InlineData("hdf5", "h5", "entries: \"7:\"")]
    [InlineData("json", "jsonl", "")]
    public void File_readers_split_into_shards_give_exactly_the_unsharded_events(string reader, string extension, string keys)
    {
        using var work = new TempDirectory();
        (long Events, long First)[] parts = [(61, 0), (3, 61), (40, 64)];
        var files = new List<string>();
        foreach ((long events, long first) in parts)
        {
            string file = $"in{first}.{extension}";
            Tool.Result made = Tool.Run(work.Path, "simulate", "--events", events.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--first-event", first.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", file, "-q", "--window", "5");
            Assert.True(made.ExitCode == 0, made.ToString());
            files.Add(file);
        }
        string extra = keys.Length > 0 ? ", " + keys : "";
        string chain = work.Write("chain.yaml", $$$"""
            name: shards
            batch_size: 8
            reader: {type: {{{reader}}}, with: {files: [{{{string.Join(", ", files)}}}]{{{extra}}}}}
            writer: {type: json, with: {path: out/all.jsonl}}
            """);
        Assert.Equal(0, Tool.Run(work.Path, "run", chain, "-q").ExitCode);
        byte[] expected = File.ReadAllBytes(work.File("out/all.jsonl"));
        foreach ((string[] options, int count) in new[] { (new[] { "" }, 4), (["--files-per-job", "2"], 2), (["--events-per-job", "25"], reader == "json" ? 5 : 4) })
        {
            var union = new List<byte>();
            for (int k = 0; k < count; k++)
            {
                string[] args = [.. new[] { "run", chain, "-q", "--shard", $"{k}/{count}", "--output", $"shards/{k}.jsonl" }, .. options.Where(o => o.Length > 0)];
                Tool.Result shard = Tool.Run(work.Path, args);
                Assert.True(shard.ExitCode == 0, shard.ToString());
                union.AddRange(File.ReadAllBytes(work.File($"shards/{k}.jsonl")));
                File.Delete(work.File($"shards/{k}.done.json"));
            }
            Assert.True(expected.AsSpan().SequenceEqual(union.ToArray()), $"{reader} {string.Join(' ', options)}: the shards differ from the unsharded run");
        }
    }

    /// <summary>Polls <c>energyreg status --json</c> until no shard is queued or running (at most 3 minutes).</summary>
    internal static JsonElement[] WaitForShards(HtCondorPool pool, Func<string[], HtCondorPool.Result> energyreg, int count)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            HtCondorPool.Result status = energyreg(["status", "wd", "--json"]);
            Assert.True(status.ExitCode == 0, status.ToString());
            int json = status.Output.IndexOf('{', StringComparison.Ordinal);
            using var document = JsonDocument.Parse(status.Output[json..]);
            JsonElement[] shards = [.. document.RootElement.GetProperty("shards").EnumerateArray().Select(s => s.Clone())];
            Assert.Equal(count, shards.Length);
            if (shards.All(s => s.GetProperty("state").GetString() is "done" or "failed" or "unfinished" or "held"))
            {
                return shards;
            }
            if (waited.Elapsed > TimeSpan.FromMinutes(3))
            {
                Assert.Fail("the pool did not finish the shards within 3 minutes: " + status.Output
                    + pool.As(HtCondorPool.Prefix + "/usr/bin/condor_q", "-better-analyze") + Logs(pool.Directory));
            }
            Thread.Sleep(1000);
        }
    }

    private static string Logs(string dir)
    {
        string logs = Path.Combine(dir, "wd", "logs");
        return Directory.Exists(logs)
            ? string.Join("\n", Directory.GetFiles(logs, "*.err").Order(StringComparer.Ordinal).Select(f => $"--- {f}\n{File.ReadAllText(f)}"))
            : "";
    }

    /// <summary>
    /// The dotnet host and energyreg.dll the pool's user can run: this build, or when the user cannot read it (a checkout
    /// under /root), hard-linked copies in the pool's directory.
    /// </summary>
    internal static (string Dotnet, string Tool) ToolFor(HtCondorPool pool)
    {
        string dotnet = Path.GetFullPath(new FileInfo(FindOnPath("dotnet")).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? FindOnPath("dotnet"));
        string tool = Tool.ToolDll;
        if (pool.As("test", "-x", dotnet).ExitCode != 0)
        {
            string copy = Path.Combine(pool.Directory, "dotnet");
            Assert.Equal(0, HtCondorPool.Shell("cp", "-al", Path.GetDirectoryName(dotnet)!, copy).ExitCode);
            dotnet = Path.Combine(copy, "dotnet");
        }
        if (pool.As("test", "-r", tool).ExitCode != 0)
        {
            string copy = Path.Combine(pool.Directory, "energyreg");
            Assert.Equal(0, HtCondorPool.Shell("cp", "-al", Path.GetDirectoryName(tool)!, copy).ExitCode);
            tool = Path.Combine(copy, "energyreg.dll");
        }
        return (dotnet, tool);
    }

    private static string FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{program} is not on PATH");

    private static string Dump(string workingDirectory, string file)
    {
        Tool.Result dump = file.EndsWith(".root", StringComparison.Ordinal)
            ? Tool.Run(workingDirectory, "dump", file, "--tree", "Events")
            : Tool.Run(workingDirectory, "dump", file);
        Assert.True(dump.ExitCode == 0, dump.ToString());
        return dump.Stdout;
    }

    /// <summary>A cut flow's counts, normalised so two documents compare as text.</summary>
    private static string CutFlow(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return JsonSerializer.Serialize(document.RootElement);
    }
}
