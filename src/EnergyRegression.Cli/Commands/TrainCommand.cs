using System.CommandLine;
using EnergyRegression.Cli.Output;
using EnergyRegression.Core.Running;

namespace EnergyRegression.Cli.Commands;

/// <summary><c>energyreg train chain.yaml</c>: trains the chain's regressor and writes its model (docs/training.md).</summary>
internal static class TrainCommand
{
    public static Command Create(Option<bool> verbose)
    {
        var chain = new Argument<FileInfo>("chain") { Description = "The chain file (YAML)." };
        var output = new Option<string?>("--output", "-o") { Description = "The model file to write (overrides 'train: output:' and the stage's 'model:')." };
        var stage = new Option<string[]>("--stage", "-s")
        {
            Description = "The regressor stage to train, by name (repeat or comma-separate for several, trained in that order; overrides 'train: stage:'/'stages:').",
            AllowMultipleArgumentsPerToken = true,
        };
        var resume = new Option<bool>("--resume") { Description = "Continue from the last checkpoint beside the model, when the regressor keeps checkpoints." };
        var threads = new Option<int?>("--threads", "-j") { Description = "Worker threads of the stages before the regressor (overrides 'threads:')." };
        var maxEvents = new Option<long?>("--max-events", "-n") { Description = "Read at most this many events (overrides 'max_events:')." };
        var seed = new Option<int?>("--seed") { Description = "Seed of all random streams (overrides 'seed:')." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only warnings and errors; no progress." };
        var evaluate = new Option<bool>("--evaluate") { Description = "After training, evaluate the new model on the held-out events as 'energyreg evaluate' does (docs/evaluation.md)." };
        var report = new Option<string?>("--report", "-r") { Description = "The report directory of --evaluate (default: out/evaluate/<chain name>)." };
        var command = new Command("train", "Train the chain's regressor on the events reaching it and write the model file.")
        {
            chain, stage, output, resume, threads, maxEvents, seed, quiet, evaluate, report,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            bool isVerbose = parse.GetValue(verbose);
            var console = new ConsoleOutput(isVerbose, parse.GetValue(quiet));
            try
            {
                var options = new TrainOptions
                {
                    Output = parse.GetValue(output),
                    Resume = parse.GetValue(resume),
                    Stages = [.. (parse.GetValue(stage) ?? []).SelectMany(m => m.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
                    Overrides = new RunOverrides
                    {
                        Threads = parse.GetValue(threads),
                        MaxEvents = parse.GetValue(maxEvents),
                        Seed = parse.GetValue(seed),
                    },
                };
                IReadOnlyList<TrainSummary> summaries = await new ChainTrainer(console, console).TrainAsync(parse.GetValue(chain)!.ToString(), options, cancellation);
                Summary.Print(summaries);
                if (parse.GetValue(evaluate))
                {
                    // One stage: its new model, wherever it was written. Several: the chain as it stands, whose stages now
                    // have their models ('evaluate: predicted_energies:' names their columns).
                    var evaluation = new EvaluateOptions { Models = summaries.Count == 1 ? [summaries[0].ModelPath] : [], Overrides = options.Overrides };
                    await EvaluateCommand.EvaluateAsync(console, parse.GetValue(chain)!.ToString(), evaluation, parse.GetValue(report), cancellation);
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
