using EnergyRegression.Core.Running;
using Spectre.Console;

namespace EnergyRegression.Cli.Output;

/// <summary>The end-of-run summary on stdout: the cut flow, events and rate, where the outputs are.</summary>
internal static class Summary
{
    public static void Print(RunSummary summary)
    {
        EventLoopResult loop = summary.Loop;
        PrintCutFlow(loop);
        double seconds = Math.Max(loop.Elapsed.TotalSeconds, 1e-9);
        Console.WriteLine($"events read {loop.EventsRead:N0}, written {loop.EventsWritten:N0} in {seconds:F1} s ({loop.EventsRead / seconds:N0} events/s)");
        if (summary.OutputPath is not null)
        {
            Console.WriteLine($"output:     {summary.OutputPath}");
            Console.WriteLine($"cut flow:   {summary.CutFlowPath}");
            Console.WriteLine($"provenance: {summary.ProvenancePath}");
        }
    }

    public static void Print(IReadOnlyList<TrainSummary> summaries)
    {
        EventLoopResult? printed = null;
        foreach (TrainSummary summary in summaries)
        {
            if (!ReferenceEquals(printed, summary.Loop))
            {
                PrintCutFlow(summary.Loop);
                printed = summary.Loop;
            }
            Print(summary);
        }
    }

    private static void Print(TrainSummary summary)
    {
        string keys = summary.SplitKeys.Count > 0 ? string.Join(", ", summary.SplitKeys) : "input entry number";
        Console.WriteLine($"events read {summary.Loop.EventsRead:N0}; reaching '{summary.Stage}': {summary.TrainingEvents:N0} training, "
            + $"{summary.ValidationEvents:N0} validation, {summary.TestEvents:N0} test (split by {keys})");
        Console.WriteLine($"trained in {summary.TrainingTime.TotalSeconds:F1} s");
        Console.WriteLine($"model:      {summary.ModelPath}   (energyreg model show {summary.ModelPath})");
        Console.WriteLine($"cut flow:   {summary.CutFlowPath}");
    }

    private static void PrintCutFlow(EventLoopResult loop)
    {
        var table = new Table().Border(TableBorder.Simple).Title("cut flow")
            .AddColumns("step", "kind", "events in", "events out", "objects in → out");
        foreach (CutFlowStep step in loop.CutFlow.Steps)
        {
            string objects = string.Join("; ", step.Objects.Select(o => $"{o.Key} {o.Value.In:N0} → {o.Value.Out:N0}"));
            table.AddRow(Markup.Escape(step.Name), step.Kind, $"{step.EventsIn:N0}", $"{step.EventsOut:N0}", Markup.Escape(objects));
            foreach (CutFlowCut cut in step.Cuts)
            {
                // A selection's own cuts, indented under its row: the same columns, objects of one collection.
                string cutObjects = cut.Collection is null ? "" : $"{cut.Collection} {cut.ObjectsIn:N0} → {cut.ObjectsOut:N0}";
                table.AddRow(Markup.Escape("  · " + cut.Name), "cut", $"{cut.EventsIn:N0}", $"{cut.EventsOut:N0}", Markup.Escape(cutObjects));
            }
        }
        Plain.Console.Write(table);
    }
}
