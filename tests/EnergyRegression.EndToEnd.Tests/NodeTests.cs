using System.Text.Json;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>
/// The published tarball on clean grid nodes (docs/grid.md, "Tested on a clean node"): the HTCondor test pool runs every
/// job inside a minimal Debian 12 root (scripts/setup-node-root.sh: debootstrap minbase — glibc 2.36, GCC 12's
/// libstdc++ without GLIBCXX_3.4.32, no .NET, no ICU, nothing this machine added) through bubblewrap, as a site runs
/// jobs in an image: unprivileged, the job sees the root's /usr and /etc, its scratch directory and the work directory
/// only. A chain applying a native torch network, the same network exported to ONNX and a BDT is submitted as 4 shards
/// with the transferred tarball; the merge equals the single-process run byte for byte.
/// </summary>
public sealed class NodeTests
{
    public const string NodeRoot = "/opt/energyreg-node-root";

    // 4 shards of 500 events in batches of 100: every shard's batches are batches of the single run, so the networks see
    // the same rows together and the outputs are the same bits.
    private const string Apply = """
        name: node-apply
        seed: 9
        batch_size: 100
        reader:
          type: simulate
          with: {process: particle-gun, particle: e, pt: [10, 100], eta: [-2.4, 2.4], endcap: true, pileup: 30, window: 5, events: 2000, first_event: 700000}
        stages:
          - {type: torch, with: {model: out/mlp.model, collection: Electron}}
          - {type: onnx, with: {model: out/mlp.onnx, collection: Electron, outputs: {Electron_energyNN: Electron_energyOnnx, Electron_energyNNSigma: Electron_sigmaOnnx}}}
          - {type: gbdt, with: {model: out/bdt.zip, collection: Electron}}
        writer: {type: json, with: {path: out/calibrated.jsonl}}
        """;

    /// <summary>
    /// The pool's USER_JOB_WRAPPER: the job in the clean root, with bubblewrap. It first reports what the job sees
    /// (the node's Debian version, glibc, the newest GLIBCXX of its libstdc++, whether a dotnet exists), then runs it.
    /// </summary>
    private static string Wrapper(string poolDirectory) => $$"""
        #!/bin/bash
        # HTCondor USER_JOB_WRAPPER of the node tests: runs "$@" (the job) inside {{NodeRoot}}, unprivileged.
        exec bwrap --unshare-user --unshare-pid --unshare-ipc --unshare-uts --die-with-parent \
            --ro-bind {{NodeRoot}}/usr /usr --symlink usr/bin /bin --symlink usr/sbin /sbin \
            --symlink usr/lib /lib --symlink usr/lib64 /lib64 --ro-bind {{NodeRoot}}/etc /etc \
            --proc /proc --dev /dev --tmpfs /tmp --dir /var/tmp \
            --bind {{poolDirectory}} {{poolDirectory}} --chdir "$PWD" \
            --setenv PATH /usr/local/bin:/usr/bin:/bin \
            /bin/bash -c 'echo "node: debian $(cat /etc/debian_version), $(ldd --version | head -1), libstdc++ $(grep -ao "GLIBCXX_3\.4\.[0-9]*" /usr/lib/x86_64-linux-gnu/libstdc++.so.6 | sort -t. -k3 -n | tail -1), dotnet: $(command -v dotnet || echo none)" >&2; exec "$@"' job "$@"
        """;

    [SkippableFact]
    public void Published_tarball_applies_torch_onnx_and_bdt_models_on_clean_debian_12_nodes_and_merges_to_the_single_run()
    {
        if (!File.Exists(Path.Combine(NodeRoot, ".complete")))
        {
            throw new SkipException($"the clean node root {NodeRoot} is missing: scripts/setup.sh builds it (scripts/setup-node-root.sh)");
        }
        if (HtCondorPool.Shell("bwrap", "--ro-bind", "/", "/", "true").ExitCode != 0)
        {
            throw new SkipException("bubblewrap cannot create a user namespace here (unprivileged user namespaces disabled?)");
        }
        using var pool = HtCondorPool.Start(Wrapper);
        string dir = pool.Directory;
        string tarball = Path.Combine(dir, "energyreg-linux-x64.tar.gz");
        HtCondorPool.Result publish = HtCondorPool.ShellFor(TimeSpan.FromMinutes(20), Tool.RepoRoot, Path.Combine(Tool.RepoRoot, "scripts", "publish-tool.sh"), tarball);
        Assert.True(publish.ExitCode == 0, publish.ToString());

        // Models trained and exported by this machine's tool (a workstation), applied on the nodes.
        File.WriteAllText(Path.Combine(dir, "train.yaml"), OnnxTests.Train);
        File.WriteAllText(Path.Combine(dir, "apply.yaml"), Apply);
        Tool.Result train = Tool.Run(dir, "train", "train.yaml", "--stage", "mlp,bdt", "--quiet");
        Assert.True(train.ExitCode == 0, train.ToString());
        Tool.Result export = Tool.Run(dir, "model", "export", "out/mlp.model", "--onnx", "out/mlp.onnx");
        Assert.True(export.ExitCode == 0, export.ToString());
        Tool.Result single = Tool.Run(dir, "run", "apply.yaml", "--quiet");
        Assert.True(single.ExitCode == 0, single.ToString());
        byte[] expected = File.ReadAllBytes(Path.Combine(dir, "out/calibrated.jsonl"));
        pool.GiveToUser(dir);

        (string dotnet, string tool) = GridTests.ToolFor(pool);
        HtCondorPool.Result submit = pool.As(dotnet, tool, "submit", "apply.yaml", "--jobs", "4", "--workdir", "wd", "--transfer-tool", tarball, "--max-retries", "0");
        Assert.True(submit.ExitCode == 0, submit.ToString());
        JsonElement[] states = GridTests.WaitForShards(pool, args => pool.As(dotnet, [tool, .. args]), 4);
        string logs = string.Join("\n", Directory.GetFiles(Path.Combine(dir, "wd/logs"), "shard-*.err").Order(StringComparer.Ordinal)
            .Select(f => $"--- {f}\n{File.ReadAllText(f)}"));
        Assert.True(states.All(s => s.GetProperty("state").GetString() == "done"), string.Join(", ", states.Select(s => s.GetRawText())) + logs);
        foreach (string err in Directory.GetFiles(Path.Combine(dir, "wd/logs"), "shard-*.err"))
        {
            // The job ran in the clean root: Debian 12's glibc and C++ runtime (no GLIBCXX_3.4.32), and no dotnet.
            string text = File.ReadAllText(err);
            Assert.Matches(@"node: debian 12\.\d+, ldd \(Debian GLIBC 2\.36-[^)]*\) 2\.36, libstdc\+\+ GLIBCXX_3\.4\.30, dotnet: none", text);
        }

        HtCondorPool.Result merge = pool.As(dotnet, tool, "merge", "wd", "--output", "merged.jsonl");
        Assert.True(merge.ExitCode == 0, merge.ToString() + logs);
        Assert.Equal(expected, File.ReadAllBytes(Path.Combine(dir, "merged.jsonl")));
        string first = File.ReadLines(Path.Combine(dir, "merged.jsonl")).First();
        Assert.Contains("\"Electron_energyNN\"", first, StringComparison.Ordinal);
        Assert.Contains("\"Electron_energyOnnx\"", first, StringComparison.Ordinal);
        Assert.Contains("\"Electron_energyCalib\"", first, StringComparison.Ordinal);
    }
}
