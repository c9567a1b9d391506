using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using EnergyRegression.Core.Configuration;
using EnergyRegression.Core.Plugins;
using EnergyRegression.Core.Running;
using EnergyRegression.Core.Yaml;
using EnergyRegression.Running;

namespace EnergyRegression.Core.Grid;

/// <summary>What <c>energyreg submit</c> was asked for.</summary>
public sealed record SubmitOptions
{
    /// <summary><c>htcondor</c> or <c>slurm</c>.</summary>
    public required string Backend { get; init; }

    /// <summary>The work directory (ledger, submit file, wrapper, logs, shard outputs).</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>The split.</summary>
    public required ShardSplit Split { get; init; }

    /// <summary>The tool command jobs run (shared install): an <c>energyreg</c> executable or an <c>energyreg.dll</c>; null: this tool.</summary>
    public string? Tool { get; init; }

    /// <summary>A tarball of a self-contained <c>dotnet publish</c> (see docs/grid.md) sent with each job instead.</summary>
    public string? TransferTool { get; init; }

    /// <summary>CPUs per job; null: the chain's <c>threads:</c>, or 1.</summary>
    public int? Cpus { get; init; }

    /// <summary>Memory per job in MB; null: estimated from the chain.</summary>
    public int? MemoryMb { get; init; }

    /// <summary>HTCondor <c>max_retries</c>.</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>Only write the files.</summary>
    public bool DryRun { get; init; }

    /// <summary><c>--env NAME</c> or <c>NAME=VALUE</c>: variables the jobs get besides those the chain reads (<see cref="JobEnvironment"/>).</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];
}

/// <summary>
/// Writes the files of a grid run into a work directory (ledger, wrapper, submit description) and submits them with
/// <c>condor_submit</c> or <c>sbatch</c> (docs/grid.md).
/// </summary>
public sealed class GridSubmitter(IRunLog log)
{
    /// <summary>The wrapper script every job runs with its shard number.</summary>
    public const string WrapperName = "run-shard.sh";

    /// <summary>Plans the shards of <paramref name="chainPath"/>, writes the work directory and submits every shard.</summary>
    public Ledger Submit(string chainPath, SubmitOptions options)
    {
        if (options.Backend is not ("htcondor" or "slurm"))
        {
            throw new UsageException($"--backend '{options.Backend}': use htcondor or slurm.");
        }
        if (options.Tool is not null && options.TransferTool is not null)
        {
            throw new UsageException("--tool and --transfer-tool exclude each other: jobs run a shared install or a transferred build.");
        }
        (ChainFile file, PluginCatalog catalog) = ChainRunner.Load(chainPath);
        ChainDefinition definition = file.Definition;
        if (definition.Writer is null)
        {
            throw new UsageException($"{chainPath}: the chain has no writer; grid jobs need one (their outputs are merged).");
        }
        IReadOnlyList<Shard> shards;
        using (var chain = Chain.Build(file, catalog, new RunContext(log, SilentConsole.Instance, definition.Seed, CancellationToken.None)))
        {
            shards = ChainRunner.PlanShards(chain, options.Split, definition.MaxEvents);
        }
        string work = Path.GetFullPath(options.WorkDirectory);
        if (File.Exists(Path.Combine(work, Ledger.FileName)))
        {
            throw new UsageException($"{work} already holds a grid run ({Ledger.FileName}): use 'energyreg status/resubmit {options.WorkDirectory}', or another --workdir.");
        }
        foreach (string sub in new[] { "logs", "status", "output" })
        {
            Directory.CreateDirectory(Path.Combine(work, sub));
        }
        string outputName = Path.GetFileName(WriterPath(file) ?? "output.out");
        int cpus = options.Cpus ?? (definition.Threads > 0 ? definition.Threads : 1);
        var ledger = new Ledger
        {
            Chain = Path.GetFullPath(chainPath),
            ChainSha256 = file.Sha256,
            Directory = Directory.GetCurrentDirectory(),
            Backend = options.Backend,
            Split = options.Split.ToString(),
            SplitOptions = options.Split.Options,
            TotalEntries = shards.Sum(s => s.Entries),
            Writer = definition.Writer.Type,
            Tool = ToolCommand(options),
            TransferTool = options.TransferTool is null ? null : Path.GetFullPath(options.TransferTool),
            RequestCpus = cpus,
            RequestMemoryMb = options.MemoryMb ?? EstimateMemoryMb(definition, cpus),
            MaxRetries = options.MaxRetries,
            Environment = JobEnvironment.Collect(file.Text, options.Environment),
            Shards = [.. shards.Select(s => new LedgerShard
            {
                Index = s.Index,
                Start = s.Start,
                Stop = s.Stop,
                Inputs = [.. s.Slices],
                Output = Path.Combine(work, "output", ChainRunner.ShardPath(outputName, s.Index, s.Count)),
            })],
        };
        if (ledger.TransferTool is not null && !File.Exists(ledger.TransferTool))
        {
            throw new UsageException($"--transfer-tool {options.TransferTool}: no such file (a .tar.gz of a 'dotnet publish' output, docs/grid.md).");
        }
        WriteExecutable(Path.Combine(work, WrapperName), Wrapper(ledger, work, outputName, shards.Count));
        ledger.Save(work);
        Queue(ledger, work, [.. ledger.Shards.Select(s => s.Index)], options.DryRun);
        return ledger;
    }

    /// <summary>Submits again the shards that failed or never finished; returns them (none: nothing submitted).</summary>
    public IReadOnlyList<int> Resubmit(string workDirectory, bool dryRun)
    {
        string work = Path.GetFullPath(workDirectory);
        var ledger = Ledger.Load(work);
        IReadOnlyList<ShardStatus> states = GridStatus.Inspect(ledger, work, log.Debug);
        var again = states.Where(s => s.State is ShardState.Failed or ShardState.Unfinished or ShardState.NotSubmitted).Select(s => s.Index).ToList();
        foreach (ShardStatus s in states)
        {
            ledger.Shards[s.Index].State = s.State;
        }
        if (again.Count == 0)
        {
            ledger.Save(work);
            return again;
        }
        foreach (int index in again)
        {
            // The previous attempt's reports go: status must not read them as this attempt's.
            File.Delete(GridStatus.ExitFile(work, index)); // the status directory exists: submit made it
            File.Delete(GridStatus.StartedFile(work, index));
        }
        Queue(ledger, work, again, dryRun);
        return again;
    }

    private void Queue(Ledger ledger, string work, List<int> shards, bool dryRun)
    {
        int round = ledger.Submissions.Count;
        string submitFile = ledger.Backend == "htcondor"
            ? WriteHtCondor(ledger, work, shards, round)
            : WriteSlurm(ledger, work, shards, round);
        var submission = new LedgerSubmission { TimeUtc = DateTimeOffset.UtcNow, SubmitFile = submitFile, Shards = shards, DryRun = dryRun };
        if (!dryRun)
        {
            submission.JobId = ledger.Backend == "htcondor"
                ? Run("condor_submit", [submitFile], @"submitted to cluster (\d+)")
                : Run("sbatch", ["--parsable", submitFile], @"^(\d+)");
            foreach (int index in shards)
            {
                ledger.Shards[index].Submitted++;
                ledger.Shards[index].State = ShardState.Queued;
            }
        }
        ledger.Submissions.Add(submission);
        ledger.Save(work);
        log.Info(dryRun
            ? $"wrote {submitFile} for {shards.Count} shard(s) (dry run: not submitted)"
            : $"submitted {shards.Count} shard(s) with {submitFile}: {(ledger.Backend == "htcondor" ? "cluster" : "job")} {submission.JobId}");
    }

    private string Run(string program, string[] arguments, string idPattern)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new GridException($"cannot run {program} ({e.Message}): is the batch system's client on PATH? Use --dry-run to only write the files.");
        }
        using (process)
        {
            Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            log.Debug($"{program}: {output.Trim()} {error.Result.Trim()}");
            if (process.ExitCode != 0)
            {
                throw new GridException($"{program} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {error.Result.Trim()} {output.Trim()}");
            }
            Match id = Regex.Match(output, idPattern, RegexOptions.Multiline);
            return id.Success ? id.Groups[1].Value : output.Trim();
        }
    }

    /// <summary>The writer's configured <c>path:</c> as written in the chain, or null.</summary>
    internal static string? WriterPath(ChainFile file) =>
        ((file.Root.Find("writer") as YamlMapping)?.Find("with") as YamlMapping)?.Find("path") is YamlScalar path ? path.Value : null;

    /// <summary>
    /// Memory a job asks for, MB: 1024 for the runtime and plugins, plus 16 KiB per event of the batches alive at once
    /// (threads + 2 batches, as the event loop keeps), plus 3 × the size of model files the stages name; rounded up to 256.
    /// </summary>
    public static int EstimateMemoryMb(ChainDefinition definition, int cpus)
    {
        double mb = 1024 + (cpus + 2) * (double)definition.BatchSize * 16 / 1024;
        foreach (StepDefinition stage in definition.Stages)
        {
            if (stage.With?.Find("model") is YamlScalar model && File.Exists(model.Value))
            {
                mb += 3.0 * new FileInfo(model.Value).Length / (1 << 20);
            }
        }
        return (int)(Math.Ceiling(mb / 256) * 256);
    }

    /// <summary>
    /// The command jobs run: with <c>--tool</c> that executable (or <c>dotnet</c> + that dll); otherwise this very tool,
    /// as it was started (<c>dotnet energyreg.dll</c> or the <c>energyreg</c> executable).
    /// </summary>
    private static string[] ToolCommand(SubmitOptions options)
    {
        if (options.TransferTool is not null)
        {
            return ["./energyreg-tool/energyreg"];
        }
        string? host = Environment.ProcessPath;
        bool hostIsDotnet = host is not null && Path.GetFileNameWithoutExtension(host) == "dotnet";
        string? tool = options.Tool ?? (hostIsDotnet ? System.Reflection.Assembly.GetEntryAssembly()?.Location : host);
        if (tool is null || !File.Exists(tool))
        {
            throw new UsageException($"--tool {tool}: no such file (the energyreg executable or energyreg.dll of an install the nodes can read).");
        }
        tool = Path.GetFullPath(tool);
        return tool.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? [hostIsDotnet ? host! : "dotnet", tool] : [tool];
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Wrapper(Ledger ledger, string work, string outputName, int count)
    {
        string transferName = ledger.TransferTool is null ? "" : Path.GetFileName(ledger.TransferTool);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$"""
            #!/bin/bash
            # Written by energyreg submit: runs shard K of the grid run in {{work}} on a batch node and reports its exit code.
            # Exit codes (docs/grid.md): 0 done (or already done), 1 failure, 2 usage, 3 configuration, 4 input, 5 plugin, 130 interrupted.
            set -u
            shard=${1:?usage: run-shard.sh SHARD}
            work={{Quote(work)}}
            rm -f "$work/status/shard-$shard.exit"
            echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $(hostname)" > "$work/status/shard-$shard.started"
            export HOME=${HOME:-$PWD} DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
            export ENERGYREG_PROGRESS_SECONDS=${ENERGYREG_PROGRESS_SECONDS:-30}

            """);
        if (ledger.TransferTool is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $$$"""
                # The tool travels with the job (transfer_input_files) or is read from the shared path.
                tarball={{{Quote(transferName)}}}
                [ -f "$tarball" ] || tarball={{{Quote(ledger.TransferTool)}}}
                scratch=${_CONDOR_SCRATCH_DIR:-${TMPDIR:-/tmp}}/energyreg-tool-$$
                mkdir -p "$scratch/energyreg-tool" && tar -xzf "$tarball" -C "$scratch/energyreg-tool" || { echo "energyreg wrapper: cannot unpack $tarball" >&2; exit 1; }
                tool=("$scratch/energyreg-tool/energyreg")

                """);
        }
        else
        {
            text.Append("tool=(" + string.Join(' ', ledger.Tool.Select(Quote)) + ")\n");
        }
        string outputPattern = Path.Combine(work, "output", ChainRunner.ShardPath(outputName, 999_999_999, count)).Replace("999999999", "${shard}", StringComparison.Ordinal);
        text.Append(CultureInfo.InvariantCulture, $$"""
            cd {{Quote(ledger.Directory)}} || exit 1
            "${tool[@]}" run {{Quote(ledger.Chain)}} --shard "$shard/{{count}}" {{ledger.SplitOptions}} --threads {{ledger.RequestCpus}} --output "{{outputPattern}}"
            rc=$?
            echo "$rc" > "$work/status/shard-$shard.exit.partial" && mv -f "$work/status/shard-$shard.exit.partial" "$work/status/shard-$shard.exit"
            echo "energyreg wrapper: shard $shard/{{count}} exit code $rc"

            """);
        if (ledger.TransferTool is not null)
        {
            text.Append("rm -rf \"$scratch\"\n");
        }
        text.Append("exit \"$rc\"\n");
        return text.ToString();
    }

    private static string WriteHtCondor(Ledger ledger, string work, List<int> shards, int round)
    {
        string queueFile = Path.Combine(work, round == 0 ? "shards.txt" : $"shards-{round.ToString(CultureInfo.InvariantCulture)}.txt");
        File.WriteAllText(queueFile, string.Concat(shards.Select(s => s.ToString(CultureInfo.InvariantCulture) + "\n")));
        string submitFile = Path.Combine(work, round == 0 ? "job.sub" : $"job-{round.ToString(CultureInfo.InvariantCulture)}.sub");
        string transfer = ledger.TransferTool is null
            ? "should_transfer_files = IF_NEEDED\n"
            : $"should_transfer_files = YES\nwhen_to_transfer_output = ON_EXIT\ntransfer_input_files = {ledger.TransferTool}\n";
        File.WriteAllText(submitFile, string.Create(CultureInfo.InvariantCulture, $"""
            # Written by energyreg {(round == 0 ? "submit" : "resubmit")}: one job per shard of {ledger.Chain} ({ledger.Split}). Submit with condor_submit.
            universe = vanilla
            executable = {Path.Combine(work, WrapperName)}
            arguments = $(shard)
            initialdir = {work}
            output = {work}/logs/shard-$(shard).out
            error = {work}/logs/shard-$(shard).err
            log = {work}/logs/shard-$(shard).log
            request_cpus = {ledger.RequestCpus}
            request_memory = {ledger.RequestMemoryMb}MB
            # Retry failures, but not usage (2) or configuration (3) errors: those fail again the same way.
            max_retries = {ledger.MaxRetries}
            retry_until = ExitCode =?= 2 || ExitCode =?= 3
            {transfer}{(JobEnvironment.HtCondorLine(ledger.Environment) is { } environment ? environment + "\n" : "")}batch_name = energyreg-{Path.GetFileName(work)}
            queue shard from {queueFile}

            """));
        return submitFile;
    }

    private static string WriteSlurm(Ledger ledger, string work, List<int> shards, int round)
    {
        string submitFile = Path.Combine(work, round == 0 ? "job.slurm" : $"job-{round.ToString(CultureInfo.InvariantCulture)}.slurm");
        WriteExecutable(submitFile, string.Create(CultureInfo.InvariantCulture, $"""
            #!/bin/bash
            # Written by energyreg {(round == 0 ? "submit" : "resubmit")}: one array task per shard of {ledger.Chain} ({ledger.Split}). Submit with sbatch.
            #SBATCH --job-name=energyreg-{Path.GetFileName(work)}
            #SBATCH --array={string.Join(',', shards)}
            #SBATCH --cpus-per-task={ledger.RequestCpus}
            #SBATCH --mem={ledger.RequestMemoryMb}M
            #SBATCH --output={work}/logs/shard-%a.out
            #SBATCH --error={work}/logs/shard-%a.err
            #SBATCH --chdir={work}
            {JobEnvironment.SlurmLine(ledger.Environment) ?? "#SBATCH --export=ALL"}
            exec {Path.Combine(work, WrapperName)} "{SlurmTask}"

            """));
        return submitFile;
    }

    private const string SlurmTask = "$SLURM_ARRAY_TASK_ID";

    private static void WriteExecutable(string path, string text)
    {
        File.WriteAllText(path, text);
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }
}

/// <summary>The batch system refused or could not be reached (exit code 1).</summary>
public sealed class GridException(string message) : Exception(message);
