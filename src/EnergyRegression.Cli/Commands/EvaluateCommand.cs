using System.CommandLine;
using EnergyRegression.Cli.Evaluation;
using EnergyRegression.Cli.Output;
using EnergyRegression.Core.Running;

namespace EnergyRegression.Cli.Commands;

/// <summary>
/// <c>energyreg evaluate chain.yaml [--models a.zip,b.zip] [--report DIR] [--part test|validation|training|all]</c>:
/// measures the chain's regressor (or several models on the same events) against the raw and true energies and
/// writes a report directory (docs/evaluation.md).
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create(Option<bool> verbose)
    {
        var chain = new Argument<FileInfo>("chain") { Description = "The chain file (YAML)." };
        var models = new Option<string[]>("--models", "-m")
        {
            Description = "Model files to compare on the same events (comma-separated or repeated); each replaces the regressor's 'model:'. Default: the chain's own model.",
            AllowMultipleArgumentsPerToken = true,
        };
        var report = new Option<string?>("--report", "-r") { Description = "The report directory (default: out/evaluate/<chain name>)." };
        var part = new Option<string?>("--part") { Description = "The events evaluated: test (default when 'train: test:' holds some out), validation, training or all." };
        part.AcceptOnlyFromAmong("test", "validation", "training", "all");
        var threads = new Option<int?>("--threads", "-j") { Description = "Worker threads (overrides 'threads:')." };
        var maxEvents = new Option<long?>("--max-events", "-n") { Description = "Read at most this many events (overrides 'max_events:')." };
        var seed = new Option<int?>("--seed") { Description = "Seed of all random streams (overrides 'seed:')." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only warnings and errors; no progress." };
        var command = new Command("evaluate", "Measure the chain's regressor (or several models) on held-out events: metrics, fits, plots, a report.")
        {
            chain, models, report, part, threads, maxEvents, seed, quiet,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            bool isVerbose = parse.GetValue(verbose);
            var console = new ConsoleOutput(isVerbose, parse.GetValue(quiet));
            try
            {
                string? partName = parse.GetValue(part);
                var options = new EvaluateOptions
                {
                    Models = [.. (parse.GetValue(models) ?? []).SelectMany(m => m.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
                    AllParts = partName == "all",
                    Part = partName switch
                    {
                        "test" => DataPart.Test,
                        "validation" => DataPart.Validation,
                        "training" => DataPart.Training,
                        _ => null,
                    },
                    Overrides = new RunOverrides
                    {
                        Threads = parse.GetValue(threads),
                        MaxEvents = parse.GetValue(maxEvents),
                        Seed = parse.GetValue(seed),
                    },
                };
                await EvaluateAsync(console, parse.GetValue(chain)!.ToString(), options, parse.GetValue(report), cancellation);
                return ExitCodes.Success;
            }
            catch (Exception e)
            {
                return ErrorReport.Handle(e, isVerbose);
            }
        });
        return command;
    }

    /// <summary>Collects, measures, writes the report and prints the comparison (also <c>energyreg train --evaluate</c>).</summary>
    public static async Task<(EvaluationResults Results, ReportWriter.Report Report)> EvaluateAsync(ConsoleOutput console, string chainPath,
        EvaluateOptions options, string? reportDirectory, CancellationToken cancellation)
    {
        EvaluationData data = await new ChainEvaluator(console, console).CollectAsync(chainPath, options, cancellation);
        var results = EvaluationResults.Compute(data, console.Info);
        string directory = reportDirectory ?? Path.Combine("out", "evaluate", ReportPlots.Slug(data.ChainName));
        var written = ReportWriter.Write(results, directory);
        PrintSummary(results, written);
        return (results, written);
    }

    private static void PrintSummary(EvaluationResults results, ReportWriter.Report report)
    {
        EvaluationData data = results.Data;
        Console.WriteLine($"{data.Events:N0} {data.Part} events, {data.True.Length:N0} {data.Definition.Collection} objects");
        PrintTables(results, "");
        if (data.Definition.Thresholds.Length > 0)
        {
            // The first seed's table: the RMSE of the objects whose raw energy is above each threshold.
            Console.WriteLine();
            Console.WriteLine($"RMSE [{ReportWriter.RmseUnitText(data.Definition.RmseUnit)}] of the objects above each raw-energy threshold:");
            (string[] header, List<string[]> rows) = ReportWriter.ThresholdTable(results);
            Console.WriteLine($"{header[0],-24} " + string.Join(" ", header.Skip(1).Select(h => $"{h,26}")));
            foreach (string[] row in rows)
            {
                Console.WriteLine($"{row[0],-24} " + string.Join(" ", row.Skip(1).Select(c => $"{c,26}")));
            }
            Console.WriteLine();
        }
        Console.WriteLine($"report:     {report.Html}");
        Console.WriteLine($"metrics:    {report.Metrics}");
        Console.WriteLine($"summary:    {report.Summary}");
    }

    /// <summary>The summary tables (overall, per category, pulls), each line prefixed by <paramref name="indent"/>.</summary>
    public static void PrintTables(EvaluationResults results, string indent)
    {
        foreach (ReportTable table in ReportTables.Summary(results))
        {
            Console.WriteLine();
            Console.Write(ReportTables.Text(table, indent));
        }
        Console.WriteLine();
    }
}
