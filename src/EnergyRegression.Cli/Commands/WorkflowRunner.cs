using System.Diagnostics;
using EnergyRegression.Cli.Evaluation;
using EnergyRegression.Cli.Output;
using EnergyRegression.Core.Configuration;
using EnergyRegression.Core.Running;

namespace EnergyRegression.Cli.Commands;

/// <summary>
/// <c>energyreg run workflow.yaml</c>: runs a workflow's steps in order (train, run or evaluate a chain file each),
/// printing each step's own summary, then one closing summary: the events every step processed, the resolution
/// before and after calibration from the last evaluation (median and σ_eff of E/E_true, Z-peak σ_CB, overall and per
/// category, with the relative change vs raw) and where the files are.
/// The first failing step stops the workflow with its exit code.
/// </summary>
internal static class WorkflowRunner
{
    public static async Task RunAsync(ConsoleOutput console, string path, WorkflowDefinition workflow, RunOverrides overrides,
        CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var done = new List<string>();
        (EvaluationResults Results, ReportWriter.Report Report)? evaluation = null;
        int n = workflow.Steps.Length;
        for (int i = 0; i < n; i++)
        {
            WorkflowStep step = workflow.Steps[i];
            string chain = WorkflowFile.ChainPath(path, step);
            console.Info($"workflow '{workflow.Name}', step {i + 1}/{n}: {step.Command} {chain}");
            var stepClock = Stopwatch.StartNew();
            switch (step.Command)
            {
                case "train":
                    IReadOnlyList<TrainSummary> trained = await new ChainTrainer(console, console)
                        .TrainAsync(chain, new TrainOptions { Overrides = overrides }, cancellation);
                    Summary.Print(trained);
                    done.Add($"train     {chain}: {trained[0].Loop.EventsRead:N0} events read, {trained.Sum(t => t.TrainingEvents):N0} trained on → "
                        + string.Join(", ", trained.Select(t => t.ModelPath)) + $" ({stepClock.Elapsed.TotalSeconds:F0} s)");
                    break;
                case "run":
                    RunSummary run = await new ChainRunner(console, console).RunAsync(chain, overrides, cancellation);
                    Summary.Print(run);
                    done.Add($"run       {chain}: {run.Loop.EventsRead:N0} events read, {run.Loop.EventsWritten:N0} written"
                        + (run.OutputPath is null ? "" : $" → {run.OutputPath}") + $" ({stepClock.Elapsed.TotalSeconds:F0} s)");
                    break;
                default:
                    evaluation = await EvaluateCommand.EvaluateAsync(console, chain, new EvaluateOptions { Overrides = overrides }, step.Report, cancellation);
                    done.Add($"evaluate  {chain}: {evaluation.Value.Results.Data.Events:N0} events, {evaluation.Value.Results.Data.True.Length:N0} objects"
                        + $" → {evaluation.Value.Report.Html} ({stepClock.Elapsed.TotalSeconds:F0} s)");
                    break;
            }
        }

        Console.WriteLine();
        Console.WriteLine($"workflow '{workflow.Name}': {n} step(s) in {clock.Elapsed.TotalSeconds:F0} s");
        done.ForEach(line => Console.WriteLine("  " + line));
        if (evaluation is { Results: var results, Report: var report })
        {
            EvaluateCommand.PrintTables(results, "  ");
            Console.WriteLine($"report:     {report.Html}");
        }
    }
}
