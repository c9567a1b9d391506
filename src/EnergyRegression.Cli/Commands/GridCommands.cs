using System.CommandLine;
using System.Text.Json;
using EnergyRegression.Cli.Output;
using EnergyRegression.Core.Grid;
using EnergyRegression.Core.Running;

namespace EnergyRegression.Cli.Commands;

/// <summary><c>energyreg submit</c>, <c>status</c>, <c>resubmit</c> and <c>merge</c>: a chain on a batch system (docs/grid.md).</summary>
internal static class GridCommands
{
    public static Command Submit(Option<bool> verbose)
    {
        var chain = new Argument<FileInfo>("chain") { Description = "The chain file (YAML); it needs a writer." };
        var backend = new Option<string>("--backend") { Description = "htcondor (condor_submit, queue ... from) or slurm (sbatch --array).", DefaultValueFactory = _ => "htcondor" };
        var jobs = new Option<int?>("--jobs", "-N") { Description = "Number of shards (jobs), balanced by entries." };
        var filesPerJob = new Option<long?>("--files-per-job") { Description = "Instead of --jobs: this many whole input files per job." };
        var eventsPerJob = new Option<long?>("--events-per-job") { Description = "Instead of --jobs: this many entries per job." };
        var workdir = new Option<string>("--workdir", "-w") { Description = "The work directory: ledger, submit file, wrapper, logs, shard outputs. On a filesystem the nodes share.", Required = true };
        var tool = new Option<string?>("--tool") { Description = "The energyreg executable or energyreg.dll the jobs run, on a shared install path (default: this tool)." };
        var transfer = new Option<string?>("--transfer-tool") { Description = "A .tar.gz of a self-contained 'dotnet publish' (scripts/publish-tool.sh) sent with every job instead of a shared install." };
        var cpus = new Option<int?>("--cpus") { Description = "CPUs per job (and its --threads); default: the chain's threads:, or 1." };
        var memory = new Option<int?>("--memory") { Description = "Memory per job in MB; default: estimated from the chain (docs/grid.md)." };
        var retries = new Option<int>("--max-retries") { Description = "HTCondor max_retries of each job.", DefaultValueFactory = _ => 2 };
        var dryRun = new Option<bool>("--dry-run") { Description = "Write the files only; do not submit." };
        var env = new Option<string[]>("--env", "-e")
        {
            Description = "An environment variable every job gets: NAME (its value here) or NAME=VALUE; repeatable. The chain's ${NAME} variables and ENERGYREG_PLUGIN_PATH are passed without it (docs/grid.md, \"Environment\").",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("submit", "Split a chain's input into shards and submit one batch job per shard (HTCondor or Slurm).")
        {
            chain, backend, jobs, filesPerJob, eventsPerJob, workdir, tool, transfer, cpus, memory, retries, dryRun, env,
        };
        command.SetAction(parse => Guard(parse.GetValue(verbose), console =>
        {
            int? n = parse.GetValue(jobs);
            long? f = parse.GetValue(filesPerJob);
            long? e = parse.GetValue(eventsPerJob);
            if ((n is null ? 0 : 1) + (f is null ? 0 : 1) + (e is null ? 0 : 1) != 1)
            {
                throw new EnergyRegression.Core.UsageException("give exactly one of --jobs, --files-per-job, --events-per-job.");
            }
            var options = new SubmitOptions
            {
                Backend = parse.GetValue(backend)!,
                WorkDirectory = parse.GetValue(workdir)!,
                Split = ShardOptions.Split(n ?? 0, f, e),
                Tool = parse.GetValue(tool),
                TransferTool = parse.GetValue(transfer),
                Cpus = parse.GetValue(cpus),
                MemoryMb = parse.GetValue(memory),
                MaxRetries = parse.GetValue(retries),
                DryRun = parse.GetValue(dryRun),
                Environment = parse.GetValue(env) ?? [],
            };
            Ledger ledger = new GridSubmitter(console).Submit(parse.GetValue(chain)!.ToString(), options);
            Console.WriteLine($"{ledger.Shards.Count} shard(s) of {ledger.TotalEntries:N0} entries ({ledger.Split}); "
                + $"{ledger.RequestCpus} CPU(s), {ledger.RequestMemoryMb} MB per job; ledger {Path.Combine(Path.GetFullPath(options.WorkDirectory), Ledger.FileName)}");
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command Status(Option<bool> verbose)
    {
        var workdir = new Argument<string>("workdir") { Description = "The work directory of 'energyreg submit'." };
        var json = new Option<bool>("--json") { Description = "One JSON document on stdout instead of the table." };
        var command = new Command("status", "Show each shard's state (done, running, failed with its exit code, …) of a grid run.") { workdir, json };
        command.SetAction(parse => Guard(parse.GetValue(verbose), console =>
        {
            string work = Path.GetFullPath(parse.GetValue(workdir)!);
            var ledger = Ledger.Load(work);
            IReadOnlyList<ShardStatus> states = GridStatus.Inspect(ledger, work, console.Debug);
            foreach (ShardStatus s in states)
            {
                ledger.Shards[s.Index].State = s.State;
            }
            ledger.Save(work);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new { Shards = states }, ChainRunner.SidecarJson));
                return ExitCodes.Success;
            }
            Console.WriteLine($"{ledger.Chain}: {ledger.Shards.Count} shard(s), {ledger.Split}, backend {ledger.Backend}");
            foreach (ShardStatus s in states)
            {
                Console.WriteLine($"  shard {s.Index,4}  {s.State,-13} {s.Entries,12:N0} entries  {s.Detail}");
            }
            Console.WriteLine(string.Join(", ", states.GroupBy(s => s.State).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}")));
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command Resubmit(Option<bool> verbose)
    {
        var workdir = new Argument<string>("workdir") { Description = "The work directory of 'energyreg submit'." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Write the submit file only; do not submit." };
        var command = new Command("resubmit", "Submit again only the shards of a grid run that failed or never finished.") { workdir, dryRun };
        command.SetAction(parse => Guard(parse.GetValue(verbose), console =>
        {
            IReadOnlyList<int> shards = new GridSubmitter(console).Resubmit(parse.GetValue(workdir)!, parse.GetValue(dryRun));
            Console.WriteLine(shards.Count == 0 ? "nothing to resubmit: every shard is done, queued or running" : $"resubmitted shard(s) {string.Join(", ", shards)}");
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command Merge(Option<bool> verbose)
    {
        var workdir = new Argument<string>("workdir") { Description = "The work directory of 'energyreg submit'." };
        var output = new Option<string>("--output", "-o") { Description = "The merged output file.", Required = true };
        var partial = new Option<bool>("--allow-partial") { Description = "Merge the shards that are done even if others are not (they are listed in the provenance)." };
        var command = new Command("merge", "Concatenate a grid run's shard outputs in shard order (ROOT, HDF5, JSON Lines), with summed cut flows and merged provenance.")
        {
            workdir, output, partial,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            bool isVerbose = parse.GetValue(verbose);
            var console = new ConsoleOutput(isVerbose, quiet: false);
            try
            {
                MergeSummary summary = await new ShardMerger(console, console).MergeAsync(parse.GetValue(workdir)!, parse.GetValue(output)!, parse.GetValue(partial), cancellation);
                Console.WriteLine($"merged {summary.ShardsMerged} shard(s), {summary.Events:N0} events"
                    + (summary.Missing.Count > 0 ? $"; missing shard(s) {string.Join(", ", summary.Missing)}" : ""));
                Console.WriteLine($"output:     {summary.Output}");
                Console.WriteLine($"cut flow:   {summary.CutFlowPath}");
                Console.WriteLine($"provenance: {summary.ProvenancePath}");
                return ExitCodes.Success;
            }
            catch (Exception e)
            {
                return ErrorReport.Handle(e, isVerbose);
            }
        });
        return command;
    }

    private static int Guard(bool verbose, Func<ConsoleOutput, int> action)
    {
        var console = new ConsoleOutput(verbose, quiet: false);
        try
        {
            return action(console);
        }
        catch (Exception e)
        {
            return ErrorReport.Handle(e, verbose);
        }
    }
}
