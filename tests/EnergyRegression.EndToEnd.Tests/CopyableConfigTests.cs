using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EnergyRegression.TestOracles;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>
/// The chains users copy (configs/, docs/configs.md), each run by the real tool, shrunk by replacing the shipped text
/// (each replaced text is asserted, so a changed config breaks the test rather than silently running full size); and
/// every file in configs/ and configs/*/ validated, found by listing the directory so a new config is covered.
/// </summary>
public sealed partial class CopyableConfigTests
{
    private static string ConfigDirectory => Path.Combine(Tool.RepoRoot, "configs");

    /// <summary>configs/NAME with the replacements, written to the same relative path under the work directory.</summary>
    private static string Shrink(TempDirectory work, string name, params (string Old, string New)[] replacements)
    {
        string text = File.ReadAllText(Path.Combine(ConfigDirectory, name));
        foreach ((string old, string replacement) in replacements)
        {
            Assert.True(text.Contains(old, StringComparison.Ordinal), $"configs/{name} no longer contains '{old}'");
            text = text.Replace(old, replacement, StringComparison.Ordinal);
        }
        return work.Write(Path.Combine("configs", name), text);
    }

    private static void Succeeded(Tool.Result result) => Assert.True(result.ExitCode == 0, result.ToString());

    /// <summary><c>energyreg dump</c> of a ROOT tree: one JSON object per entry.</summary>
    private static JsonElement[] Dump(TempDirectory work, string file, string branches)
    {
        Tool.Result dump = Tool.Run(work.Path, "dump", file, "--tree", "Events", "--branches", branches);
        Succeeded(dump);
        return [.. dump.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    private static double[] Numbers(JsonElement row, string name) => [.. row.GetProperty(name).EnumerateArray().Select(x => x.GetDouble())];

    [Fact]
    public void Train_mlp_trains_a_gaussian_MLP_on_tabular_features_and_applies_it_with_a_per_electron_sigma()
    {
        using var work = new TempDirectory();
        string chain = Shrink(work, "train-mlp.yaml", ("events: 50000", "events: 600"), ("epochs: 30", "epochs: 2"));

        Succeeded(Tool.Run(work.Path, "train", chain, "--quiet"));
        Tool.Result show = Tool.Run(work.Path, "model", "show", "out/train-mlp/mlp.model");
        Succeeded(show);
        Assert.Contains("plugin       torch", show.Stdout, StringComparison.Ordinal);
        foreach (string input in new[] { "Electron_trkPt", "Electron_eInvMinusPInv", "Electron_sipip", "rho" })
        {
            Assert.Contains(input, show.Stdout, StringComparison.Ordinal);
        }
        Assert.Contains("loss GaussianNll", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("Electron_energyNNSigma", show.Stdout, StringComparison.Ordinal);

        Succeeded(Tool.Run(work.Path, "run", chain, "--max-events", "150", "--quiet"));
        JsonElement[] rows = Dump(work, "out/train-mlp/electrons.root", "nElectron,Electron_energy,Electron_energyNN,Electron_energyNNSigma");
        Assert.Equal(150, rows.Length);
        int electrons = 0;
        foreach (JsonElement row in rows)
        {
            int n = row.GetProperty("nElectron").GetInt32();
            double[] energy = Numbers(row, "Electron_energyNN");
            double[] sigma = Numbers(row, "Electron_energyNNSigma");
            Assert.Equal(n, energy.Length);
            Assert.Equal(n, sigma.Length);
            // Finite for every electron (a model of 2 epochs need not be good); σ = sigma_min + softplus(·) > 0.
            Assert.All(energy, e => Assert.True(double.IsFinite(e), $"energy {e}"));
            Assert.All(sigma, s => Assert.True(double.IsFinite(s) && s > 0, $"sigma {s}"));
            electrons += n;
        }
        Assert.True(electrons > 100, $"{electrons} electrons in 150 gun events");

        // The evaluation of the held-out electrons reports the pull (E − E_true)/σ of the per-electron σ, per region.
        Tool.Result evaluate = Tool.Run(work.Path, "evaluate", chain, "--max-events", "600", "--report", "report", "--quiet");
        Succeeded(evaluate);
        Assert.Contains("mlp pull σ_eff", evaluate.Stdout, StringComparison.Ordinal);
        using var metrics = JsonDocument.Parse(File.ReadAllText(work.File("report/metrics.json")));
        JsonElement[] energies = [.. metrics.RootElement.GetProperty("energies").EnumerateArray()];
        JsonElement pull = energies[1].GetProperty("pull");
        Assert.Equal(energies[1].GetProperty("overall").GetProperty("count").GetInt32(), pull.GetProperty("count").GetInt32());
        Assert.True(pull.GetProperty("rms").GetProperty("value").GetDouble() > 0);
        JsonElement regions = energies[1].GetProperty("categories").GetProperty("region").GetProperty("pulls");
        Assert.Equal(pull.GetProperty("count").GetInt32(), regions.GetProperty("EB").GetProperty("count").GetInt32()
            + regions.GetProperty("EE").GetProperty("count").GetInt32());
        Assert.True(File.Exists(work.File("report/pull.png")));
    }

    [Fact]
    public void Train_combined_zee_makes_mc_and_data_probes_with_their_labels_and_trains_on_both_sources()
    {
        using var work = new TempDirectory();
        string workflow = Shrink(work, "train-combined-zee.yaml");
        Shrink(work, "combined-zee/mc.yaml", ("events: 40000", "events: 400"));
        Shrink(work, "combined-zee/data.yaml", ("events: 40000", "events: 400"));
        Shrink(work, "combined-zee/train.yaml", ("epochs: 20", "epochs: 2"));

        Tool.Result result = Tool.Run(work.Path, "run", workflow, "--quiet");
        Succeeded(result);

        // The mc probes carry their true energy as label, the data probes the Z-mass label (−1 outside the window).
        JsonElement[] mc = Dump(work, "out/combined-zee/mc.root", "run,nProbe,Probe_label,Probe_energyLabel,Probe_energy");
        JsonElement[] data = Dump(work, "out/combined-zee/data.root", "run,nProbe,Probe_label,Probe_energyLabel,Probe_energy");
        Assert.NotEmpty(mc);
        Assert.NotEmpty(data);
        Assert.All(mc, row => Assert.Equal(1, row.GetProperty("run").GetInt32()));
        Assert.All(data, row => Assert.Equal(2, row.GetProperty("run").GetInt32()));
        double[] mcLabels = [.. mc.SelectMany(row => Numbers(row, "Probe_label"))];
        Assert.All(mcLabels, label => Assert.True(label > 0, $"mc label {label}: truth-matched probes have a true energy"));
        var dataLabels = data.SelectMany(row => Numbers(row, "Probe_label").Zip(Numbers(row, "Probe_energyLabel"))).ToList();
        Assert.All(dataLabels, pair => Assert.Equal(pair.Second, pair.First));
        Assert.Contains(dataLabels, pair => pair.First > 0);

        // Training read both files as one stream, and trained and validated on every labelled probe of both sources
        // (all mc probes, the data probes inside the label window) with the source-weighted loss over run.
        int entries = mc.Length + data.Length;
        Assert.Contains($"{entries.ToString("N0", CultureInfo.InvariantCulture)} events read", result.Stdout, StringComparison.Ordinal);
        Tool.Result show = Tool.Run(work.Path, "model", "show", "out/combined-zee/combined.model");
        Succeeded(show);
        Assert.Contains("plugin       torch", show.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^  source\s+run 1: 1, 2: 1$", show.Stdout);
        Match objects = Regex.Match(show.Stdout, @"trained on\s+([0-9,]+) objects, validated on ([0-9,]+)");
        Assert.True(objects.Success, show.Stdout);
        int used = int.Parse(objects.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)
            + int.Parse(objects.Groups[2].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        int dataLabelled = dataLabels.Count(pair => pair.First > 0);
        Assert.True(dataLabelled < dataLabels.Count, "some data probes lie outside the label window (label −1)");
        Assert.Equal(mcLabels.Length + dataLabelled, used);
    }

    [Fact]
    public void Apply_nanoaod_root_copies_the_input_files_with_Electron_energyCalib_and_the_friend_variant_writes_only_it()
    {
        using var work = new TempDirectory();
        string train = Shrink(work, "gbdt-train.yaml", ("trees: 300", "trees: 10"));
        Succeeded(Tool.Run(work.Path, "train", train, "--max-events", "1500", "--quiet"));
        string[] simulate = ["simulate", "--process", "zee", "--pileup", "30", "--endcap", "--window", "8", "--events", "80", "--quiet"];
        Succeeded(Tool.Run(work.Path, [.. simulate, "-o", "out/nanoaod/zee_1.root"]));
        Succeeded(Tool.Run(work.Path, [.. simulate, "--first-event", "80", "-o", "out/nanoaod/zee_2.root"]));

        string chain = Shrink(work, "apply-nanoaod-root.yaml");
        Succeeded(Tool.Run(work.Path, "run", chain, "--quiet"));
        // Both files, in order; a branch the reader did not read (Electron_pt, Electron_window) copied next to the new one.
        JsonElement[] rows = Dump(work, "out/apply-nanoaod/calibrated.root", "event,nElectron,Electron_pt,Electron_window,Electron_energy,Electron_energyCalib");
        Assert.Equal(Enumerable.Range(1, 160).Select(i => (long)i), rows.Select(r => r.GetProperty("event").GetInt64()));
        JsonElement[] inputs = [.. Dump(work, "out/nanoaod/zee_1.root", "nElectron,Electron_pt"), .. Dump(work, "out/nanoaod/zee_2.root", "nElectron,Electron_pt")];
        for (int i = 0; i < rows.Length; i++)
        {
            int n = rows[i].GetProperty("nElectron").GetInt32();
            Assert.Equal(inputs[i].GetProperty("nElectron").GetInt32(), n);
            Assert.Equal(Numbers(inputs[i], "Electron_pt"), Numbers(rows[i], "Electron_pt"));
            double[] calibrated = Numbers(rows[i], "Electron_energyCalib");
            Assert.Equal(n, calibrated.Length);
            Assert.All(calibrated, e => Assert.True(double.IsFinite(e) && e > 0, $"entry {i}: {e}"));
        }
        Assert.Contains(rows, r => r.GetProperty("nElectron").GetInt32() > 0);

        // The friend tree of the header comment: only the new branch, entry by entry.
        string friend = Shrink(work, "apply-nanoaod-root.yaml",
            ("copy_input: [\"*\"]", "columns: [Electron_energyCalib]\n    friend: true"),
            ("path: out/apply-nanoaod/calibrated.root", "path: out/apply-nanoaod/friend.root"));
        Succeeded(Tool.Run(work.Path, "run", friend, "--quiet"));
        Tool.Result inspect = Tool.Run(work.Path, "inspect", "out/apply-nanoaod/friend.root");
        Succeeded(inspect);
        Assert.Contains("Electron_energyCalib", inspect.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Electron_pt", inspect.Stdout, StringComparison.Ordinal);
        JsonElement[] friendRows = Dump(work, "out/apply-nanoaod/friend.root", "nElectron,Electron_energyCalib");
        Assert.Equal(rows.Length, friendRows.Length);
        Assert.Equal(rows.SelectMany(r => Numbers(r, "Electron_energyCalib")), friendRows.SelectMany(r => Numbers(r, "Electron_energyCalib")));
    }

    [Fact]
    public void Grid_production_submits_shards_that_merge_into_the_single_run()
    {
        using var work = new TempDirectory();
        string train = Shrink(work, "gbdt-train.yaml", ("trees: 300", "trees: 10"));
        Succeeded(Tool.Run(work.Path, "train", train, "--max-events", "1500", "--quiet"));
        string[] simulate = ["simulate", "--process", "zee", "--pileup", "30", "--endcap", "--window", "5", "--events", "70", "--quiet"];
        Succeeded(Tool.Run(work.Path, [.. simulate, "-o", "out/nanoaod/zee_1.root"]));
        Succeeded(Tool.Run(work.Path, [.. simulate, "--first-event", "70", "-o", "out/nanoaod/zee_2.root"]));
        string chain = Shrink(work, "grid-production.yaml");

        // The single run, then the same chain as a batch production: the files submit writes, each shard run by the
        // wrapper as a worker node would (the backend itself is tested on a real pool by GridTests), status, merge.
        Succeeded(Tool.Run(work.Path, "run", chain, "--quiet"));
        Succeeded(Tool.Run(work.Path, "submit", chain, "--backend", "htcondor", "--jobs", "3", "--workdir", "production", "--dry-run"));
        for (int shard = 0; shard < 3; shard++)
        {
            HtCondorPool.Result job = HtCondorPool.ShellIn(work.Path, work.File("production/run-shard.sh"), shard.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(job.ExitCode == 0, job.ToString());
        }
        Tool.Result status = Tool.Run(work.Path, "status", "production");
        Succeeded(status);
        Tool.Result merge = Tool.Run(work.Path, "merge", "production", "--output", "merged.root");
        Succeeded(merge);
        Assert.Contains("merged 3 shard(s), 140 events", merge.Stdout, StringComparison.Ordinal);

        const string Branches = "event,nElectron,Electron_energy,Electron_energyCalib";
        JsonElement[] single = Dump(work, "out/grid-production/calibrated.root", Branches);
        JsonElement[] merged = Dump(work, "merged.root", Branches);
        Assert.Equal(140, single.Length);
        Assert.Equal(single.Select(r => r.GetRawText()), merged.Select(r => r.GetRawText()));
        Assert.Contains(merged, r => r.GetProperty("nElectron").GetInt32() > 0);
    }

    /// <summary>The seeds' model chains and the Z → ee sample chain, shrunk, train (or run) and apply through the tool.</summary>
    [Fact]
    public void Seed_model_chains_and_the_zee_sample_chain_run()
    {
        using var work = new TempDirectory();
        string models = Shrink(work, "train-seed-models.yaml", ("events: 6400", "events: 300"),
            ("epochs: 20, steps_per_epoch: 100", "epochs: 1, steps_per_epoch: 3"));
        Succeeded(Tool.Run(work.Path, "train", models, "--quiet"));
        Succeeded(Tool.Run(work.Path, "run", models, "--quiet"));
        JsonElement[] rows = Dump(work, "out/seed-models/electrons.root", "nElectron,Electron_energyBaseline,Electron_energyLinear,Electron_energyShallow");
        Assert.Equal(300, rows.Length);
        Assert.All(rows, r => Assert.Equal(r.GetProperty("nElectron").GetInt32(), Numbers(r, "Electron_energyShallow").Length));

        string cnn = Shrink(work, "train-seed-cnn.yaml", ("events: 6400", "events: 300"), ("epochs: 20", "epochs: 1"), ("steps_per_epoch: 100", "steps_per_epoch: 3"));
        Succeeded(Tool.Run(work.Path, "train", cnn, "--quiet"));
        Succeeded(Tool.Run(work.Path, "run", cnn, "--quiet"));
        Assert.Equal(300, Dump(work, "out/seed-cnn/electrons.root", "nElectron,Electron_energyNN").Length);

        string zee = Shrink(work, "simulate-zee.yaml", ("events: 20000", "events: 200"));
        Succeeded(Tool.Run(work.Path, "run", zee, "--quiet"));
        // The chain selects events: the file holds what reached the writer, per the cut flow.
        using var cutFlow = JsonDocument.Parse(File.ReadAllText(work.File("out/simulate-zee/zee.cutflow.json")));
        JsonElement[] steps = [.. cutFlow.RootElement.GetProperty("steps").EnumerateArray()];
        Assert.Equal(200, steps[0].GetProperty("events_out").GetInt64());
        long written = steps[^1].GetProperty("events_in").GetInt64();
        Assert.InRange(written, 1, 200);
        Assert.Equal(written, Dump(work, "out/simulate-zee/zee.root", "event,nElectron").Length);
    }

    [Fact]
    public void Apply_hdf5_images_applies_a_CNN_trained_on_the_simulators_h5_to_an_image_file_and_writes_a_friend()
    {
        using var work = new TempDirectory();
        string[] gun = ["simulate", "--process", "particle-gun", "--particle", "e-", "--energy", "10:150", "--eta", "-1.4:1.4", "--pileup", "30", "--quiet"];
        Succeeded(Tool.Run(work.Path, [.. gun, "--events", "500", "-o", "out/hdf5-images/gun.h5"]));
        string train = Shrink(work, "train-cnn-hdf5.yaml", ("epochs: 15", "epochs: 1"));
        Succeeded(Tool.Run(work.Path, "train", train, "--quiet"));
        Tool.Result show = Tool.Run(work.Path, "model", "show", "out/hdf5-images/cnn.model");
        Succeeded(show);
        Assert.Contains("plugin       torch", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("Electron_window24x24", show.Stdout, StringComparison.Ordinal);

        // An image file of the "images" layout (N × 32 × 32, nothing else), made by h5py from new simulated electrons.
        Succeeded(Tool.Run(work.Path, [.. gun, "--events", "60", "--seed", "7", "-o", "out/hdf5-images/new-gun.h5"]));
        Directory.CreateDirectory(work.File("out/hdf5-images/images"));
        Python(work.Path, "import h5py; g = h5py.File('out/hdf5-images/new-gun.h5', 'r'); "
            + "h5py.File('out/hdf5-images/images/new.h5', 'w')['images'] = g['Electron/window'][:]");
        int images = H5pyOracle.H5py(work.File("out/hdf5-images/images/new.h5")).Shape("/images")[0];
        Assert.True(images > 40, $"{images} images");

        string apply = Shrink(work, "apply-hdf5-images.yaml");
        Succeeded(Tool.Run(work.Path, "run", apply, "--quiet"));
        H5pyDump output = H5pyOracle.H5py(work.File("out/hdf5-images/images-calib.h5"));
        Assert.Equal(["/Electron/energyNN", "/Electron/offsets"], output.DatasetPaths.Order(StringComparer.Ordinal));
        Assert.Equal(Enumerable.Range(0, images + 1).Select(i => (double)i), output.Values("/Electron/offsets"));
        List<double> energies = output.Values("/Electron/energyNN");
        Assert.Equal(images, energies.Count);
        Assert.All(energies, e => Assert.True(double.IsFinite(e) && e > 0, $"energy {e}"));
    }

    public static TheoryData<string> AllConfigs()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(ConfigDirectory, "*.yaml", SearchOption.TopDirectoryOnly)
            .Concat(Directory.GetDirectories(ConfigDirectory).SelectMany(d => Directory.GetFiles(d, "*.yaml")))
            .Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Tool.RepoRoot, file).Replace('\\', '/'));
        }
        return data;
    }

    /// <summary>
    /// Every shipped file validates from a clean directory: a chain with a <c>train:</c> section as <c>validate --train</c>,
    /// a workflow and every other chain as <c>validate</c>. A chain that reads what another command makes (a model, a
    /// sample) cannot start its plugins in a clean directory: then the only failure allowed is an input error (exit 4)
    /// naming a missing path under out/ that a shipped config makes or names in its header comment, so a typo in such a
    /// path is caught too.
    /// </summary>
    [Theory]
    [MemberData(nameof(AllConfigs))]
    public void Every_shipped_config_validates(string config)
    {
        string path = Path.Combine(Tool.RepoRoot, config);
        string text = File.ReadAllText(path);
        bool workflow = StepsKey().IsMatch(text);
        bool training = !workflow && TrainKey().IsMatch(text);
        using var work = new TempDirectory();
        Tool.Result result = training ? Tool.Run(work.Path, "validate", "--train", path) : Tool.Run(work.Path, "validate", path);
        if (result.ExitCode == 0)
        {
            Assert.Matches(workflow ? "valid workflow" : "valid chain", result.Stderr);
            return;
        }
        Assert.True(result.ExitCode == 4, result.ToString());
        Match missing = OutPath().Match(result.Stderr);
        Assert.True(missing.Success, $"an input error that names no out/ path:\n{result}");
        string produced = missing.Value;
        // A pattern (files: ["out/nanoaod/*.root"]) is explained by a path it matches.
        var mentioned = new Regex(Regex.Escape(produced).Replace(@"\*", "[A-Za-z0-9_.-]*", StringComparison.Ordinal));
        bool named = Directory.GetFiles(ConfigDirectory, "*.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetFullPath(f) == Path.GetFullPath(path) ? Header(text) : File.ReadAllText(f))
            .Any(mentioned.IsMatch);
        Assert.True(named, $"{config} needs {produced}, which no shipped config makes or explains:\n{result}");
    }

    /// <summary>The comment lines at the top of a config.</summary>
    private static string Header(string text) => string.Join('\n', text.Split('\n').TakeWhile(l => l.StartsWith('#')));

    [GeneratedRegex(@"(?m)^steps:")]
    private static partial Regex StepsKey();

    [GeneratedRegex(@"(?m)^train:")]
    private static partial Regex TrainKey();

    [GeneratedRegex(@"out/[A-Za-z0-9_./*-]+[A-Za-z0-9*]")]
    private static partial Regex OutPath();

    /// <summary>Debian's /usr/bin/python3 (it has h5py; a python3 earlier on PATH may not).</summary>
    private static void Python(string workingDirectory, string script)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("python3 did not finish");
        }
        Assert.True(process.ExitCode == 0, $"python3 exit {process.ExitCode}\n{stdout.Result}\n{stderr.Result}");
    }
}
