using System.CommandLine;
using EnergyRegression.Cli.Output;
using EnergyRegression.Core.Configuration;
using EnergyRegression.Core.Running;

namespace EnergyRegression.Cli.Commands;

/// <summary><c>energyreg run chain.yaml</c>: runs a chain over all its events.</summary>
internal static class RunCommand
{
    public static Command Create(Option<bool> verbose)
    {
        var chain = new Argument<FileInfo>("chain") { Description = "The chain file (YAML), or a workflow file (steps: train, run, evaluate chain files)." };
        var threads = new Option<int?>("--threads", "-j") { Description = "Worker threads (overrides 'threads:')." };
        var batchSize = new Option<int?>("--batch-size") { Description = "Events per batch (overrides 'batch_size:')." };
        var maxEvents = new Option<long?>("--max-events", "-n") { Description = "Stop after this many events (overrides 'max_events:')." };
        var seed = new Option<int?>("--seed") { Description = "Seed of all random streams (overrides 'seed:')." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only warnings and errors; no progress." };
        var output = new Option<string?>("--output", "-o") { Description = "The output file (overrides the writer's 'path:')." };
        var shard = new Option<string?>("--shard") { Description = "Run only shard K of N (K from 0) of the input, balanced by entries; writes a done marker (docs/grid.md)." };
        var filesPerJob = new Option<long?>("--files-per-job") { Description = "With --shard: shards of this many whole input files instead of N balanced parts." };
        var eventsPerJob = new Option<long?>("--events-per-job") { Description = "With --shard: shards of this many entries instead of N balanced parts." };
        var command = new Command("run", "Run a chain: read, select, compute features, calibrate, write. A workflow file runs its steps in order.")
        {
            chain, threads, batchSize, maxEvents, seed, quiet, output, shard, filesPerJob, eventsPerJob,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            bool isVerbose = parse.GetValue(verbose);
            var console = new ConsoleOutput(isVerbose, parse.GetValue(quiet));
            try
            {
                var overrides = new RunOverrides
                {
                    Threads = parse.GetValue(threads),
                    BatchSize = parse.GetValue(batchSize),
                    MaxEvents = parse.GetValue(maxEvents),
                    Seed = parse.GetValue(seed),
                    Output = parse.GetValue(output),
                    Shard = ShardOptions.Request(parse.GetValue(shard), parse.GetValue(filesPerJob), parse.GetValue(eventsPerJob)),
                };
                string path = parse.GetValue(chain)!.ToString();
                if (WorkflowFile.TryLoad(path) is { } workflow)
                {
                    if (overrides.Output is not null || overrides.Shard is not null)
                    {
                        throw new EnergyRegression.Core.UsageException($"{path} is a workflow: --output and --shard apply to one chain file.");
                    }
                    await WorkflowRunner.RunAsync(console, path, workflow, overrides, cancellation);
                    return ExitCodes.Success;
                }
                RunSummary summary = await new ChainRunner(console, console).RunAsync(path, overrides, cancellation);
                if (summary.AlreadyDone)
                {
                    Console.WriteLine($"shard already done: {summary.OutputPath} matches {summary.DoneMarkerPath}; nothing run");
                }
                else
                {
                    Summary.Print(summary);
                }
                return ExitCodes.Success;
            }
            catch (Exception e)
            {
                return ErrorReport.Handle(e, isVerbose);
            }
        });
        return command;
    }
}
