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
        var command = new Command("run", "Run a chain: read, select, compute features, calibrate, write. A workflow file runs its steps in order.")
        {
            chain, threads, batchSize, maxEvents, seed, quiet,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            bool isVerbose = parse.GetValue(verbose);
            var output = new ConsoleOutput(isVerbose, parse.GetValue(quiet));
            try
            {
                var overrides = new RunOverrides
                {
                    Threads = parse.GetValue(threads),
                    BatchSize = parse.GetValue(batchSize),
                    MaxEvents = parse.GetValue(maxEvents),
                    Seed = parse.GetValue(seed),
                };
                string path = parse.GetValue(chain)!.ToString();
                if (WorkflowFile.TryLoad(path) is { } workflow)
                {
                    await WorkflowRunner.RunAsync(output, path, workflow, overrides, cancellation);
                    return ExitCodes.Success;
                }
                RunSummary summary = await new ChainRunner(output, output).RunAsync(path, overrides, cancellation);
                Summary.Print(summary);
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
