using System.Diagnostics;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>Chains that write ROOT files, run through the real tool: the output dumps like the input, and a killed run leaves nothing under the final name.</summary>
public class RootWriterChainTests
{
    private static string NanoAod => Path.Combine(Tool.RepoRoot, "..", "shared", "testdata", "root", "nanoAOD_2015_CMS_Open_Data_ttbar.root");

    private static string Chain(string output, string extraStages = "", string writerOptions = "") => $"""
        name: root-copy
        batch_size: 50
        reader:
          type: root
          with:
            files: ["{NanoAod}"]
            tree: Events
            branches: [run, event, MET_pt, nElectron, "Electron_*", nJet, Jet_pt]
        stages:
        {extraStages}  - type: define
            with: {"{"}name: Electron_energyCalib, expression: "Electron_pt * 1.02"{"}"}
        writer:
          type: root
          with:
            path: {output}
            compression: zstd{writerOptions}
        """;

    [Fact]
    public void A_copied_tree_dumps_like_its_input_plus_the_new_branch()
    {
        using var work = new TempDirectory();
        string chain = work.Write("chain.yaml", Chain("out/calibrated.root"));
        Tool.Result run = Tool.Run(work.Path, "run", chain, "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        string output = work.File("out/calibrated.root");

        const string branches = "run,event,MET_pt,Electron_pt,Electron_eta,Jet_pt";
        Tool.Result original = Tool.Run(work.Path, "dump", NanoAod, "--tree", "Events", "--branches", branches);
        Tool.Result copy = Tool.Run(work.Path, "dump", output, "--tree", "Events", "--branches", branches);
        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Equal(original.Stdout, copy.Stdout);

        Tool.Result calibrated = Tool.Run(work.Path, "dump", output, "--tree", "Events", "--branches", "Electron_pt,Electron_energyCalib", "--entries", "1:2");
        Assert.Equal("{\"Electron_pt\":[32.679607],\"Electron_energyCalib\":[33.33320]}\n".Replace("33.33320", (32.679607f * 1.02f).ToString("R", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), calibrated.Stdout);

        Tool.Result inspect = Tool.Run(work.Path, "inspect", output);
        Assert.Contains("Electron_energyCalib", inspect.Stdout, StringComparison.Ordinal);
        Assert.Contains("float32[nElectron]", inspect.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_killed_while_writing_leaves_no_file_under_the_final_name()
    {
        using var work = new TempDirectory();
        string slow = $"""
              - type: faulty
                with: {"{"}fail_in: never, delay_ms: 100{"}"}

            """;
        string chain = work.Write("chain.yaml", $"plugins: [\"{Tool.FaultyPluginDir}\"]\n" + Chain("out/killed.root", slow));
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = work.Path, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { Tool.ToolDll, "run", chain, "--quiet", "--threads", "1" })
        {
            start.ArgumentList.Add(a);
        }
        using Process process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        string partial = work.File("out/killed.root.partial");
        var watch = Stopwatch.StartNew();
        while (!File.Exists(partial) && !process.HasExited && watch.Elapsed < TimeSpan.FromMinutes(1))
        {
            Thread.Sleep(20);
        }
        Assert.False(process.HasExited, "the run ended before it could be killed");
        Thread.Sleep(300); // a few batches into the file
        process.Kill(); // SIGKILL: no handler, no cleanup
        process.WaitForExit();
        Assert.True(File.Exists(partial));
        Assert.False(File.Exists(work.File("out/killed.root")));
        Assert.False(File.Exists(work.File("out/killed.cutflow.json")));
    }
}

/// <summary>The root writer's copy_input: the input's branches copied as stored, next to the chain's new column.</summary>
public class RootCopyInputTests
{
    private static string NanoAod => Path.Combine(Tool.RepoRoot, "..", "shared", "testdata", "root", "nanoAOD_2015_CMS_Open_Data_ttbar.root");

    [Fact]
    public void Every_input_branch_is_copied_and_the_calibration_joins_them()
    {
        using var work = new TempDirectory();
        string chain = work.Write("chain.yaml", $"""
            name: calibrate-copy
            reader:
              type: root
              with:
                files: ["{NanoAod}", "{NanoAod}"]
                tree: Events
                branches: [Electron_pt]
            stages:
              - type: define
                with: {"{"}name: Electron_energyCalib, expression: "Electron_pt * 1.02"{"}"}
            writer:
              type: root
              with:
                path: out/copy.root
                copy_input: ["*"]
                compression: zstd
            """);
        Tool.Result run = Tool.Run(work.Path, "run", chain, "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        string output = work.File("out/copy.root");

        Tool.Result inspect = Tool.Run(work.Path, "inspect", output);
        Assert.Contains("TTree Events;1: 400 entries, 948 branches", inspect.Stdout, StringComparison.Ordinal);

        const string branches = "run,event,MET_pt,Electron_pt,Jet_pt,HLT_IsoMu24";
        Tool.Result original = Tool.Run(work.Path, "dump", NanoAod, "--tree", "Events", "--branches", branches);
        Tool.Result first = Tool.Run(work.Path, "dump", output, "--tree", "Events", "--branches", branches, "--entries", ":200");
        Tool.Result second = Tool.Run(work.Path, "dump", output, "--tree", "Events", "--branches", branches, "--entries", "200:");
        Assert.Equal(original.Stdout, first.Stdout);
        Assert.Equal(original.Stdout, second.Stdout);

        Tool.Result calibrated = Tool.Run(work.Path, "dump", output, "--tree", "Events", "--branches", "nElectron,Electron_energyCalib", "--entries", "201:202");
        Assert.Equal("{\"nElectron\":1,\"Electron_energyCalib\":[" + (32.679607f * 1.02f).ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "]}\n", calibrated.Stdout);
    }

    [Fact]
    public void Copy_input_with_an_event_selection_is_refused()
    {
        using var work = new TempDirectory();
        string chain = work.Write("chain.yaml", $"""
            reader:
              type: root
              with: {"{"}files: ["{NanoAod}"], tree: Events, branches: [MET_pt]{"}"}
            stages:
              - type: filter
                with: {"{"}expression: "MET_pt > 30"{"}"}
            writer:
              type: root
              with: {"{"}path: out/x.root, copy_input: [run]{"}"}
            """);
        Tool.Result run = Tool.Run(work.Path, "run", chain, "--quiet");
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("friend", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(work.File("out/x.root")));
    }
}
