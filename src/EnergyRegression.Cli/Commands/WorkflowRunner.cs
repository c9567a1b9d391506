using System.Diagnostics;
using EnergyRegression.Cli.Evaluation;
using EnergyRegression.Cli.Output;
using EnergyRegression.Core.Configuration;
using EnergyRegression.Core.Running;

namespace EnergyRegression.Cli.Commands;

/// <summary>
/// <c>energyreg run workflow.yaml</c>: runs a workflow's steps in order (train, run or evaluate a chain file each),
/// printing each step's own summary, then one closing summary: the events every step processed, the resolution
/// before and after calibration from the last evaluation (σ_eff of E/E_true, Z-peak σ_CB) and where the files are.
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
            Console.WriteLine("resolution (E/E_true of the evaluated objects; Z peak: Breit-Wigner ⊗ Crystal Ball σ_CB):");
            EnergyEvaluation raw = results.Energies[0];
            foreach (EnergyEvaluation e in results.Energies)
            {
                string z = e.ZPeak is null ? "no Z-peak fit" : $"Z σ_CB {e.ZPeak.SigmaCB.Value:0.000} ± {e.ZPeak.SigmaCB.Error:0.000} GeV";
                string change = ReferenceEquals(e, raw) ? "(before calibration)"
                    : $"({EvaluationResults.Improvement(raw.Overall.SigmaEff.Value, e.Overall.SigmaEff.Value) * 100:+0.0;-0.0}% σ_eff"
                      + (e.ZPeak is not null && raw.ZPeak is not null ? $", {EvaluationResults.Improvement(raw.ZPeak.SigmaCB.Value, e.ZPeak.SigmaCB.Value) * 100:+0.0;-0.0}% σ_CB" : "")
                      + " vs raw)";
                Console.WriteLine($"  {e.Label,-12} median {e.Overall.MedianResponse.Value:0.0000}  σ_eff {e.Overall.SigmaEff.Value:0.0000} ± {e.Overall.SigmaEff.Error:0.0000}  {z}  {change}");
            }
            Console.WriteLine($"report:     {report.Html}");
        }
    }
}
