using System.Globalization;
using System.Net;
using System.Text;
using EnergyRegression.Physics;

namespace EnergyRegression.Cli.Evaluation;

/// <summary>A table of the evaluation, rendered the same way on the console, in summary.md and in index.html.</summary>
internal sealed record ReportTable(string Title, string[] Header, IReadOnlyList<string[]> Rows);

/// <summary>
/// The summary tables of an evaluation (overall, per category of objects and of pairs, pulls) and the number
/// formats every output shares. A change against the raw energy is always written as the signed relative change
/// of the width, (model − raw)/raw: "σ_eff −18.0%" is narrower, "+4.0%" wider.
/// </summary>
internal static class ReportTables
{
    /// <summary>The legend of every Δ column.</summary>
    public const string ChangeLegend = "Δ: relative change of the width vs raw, (model − raw)/raw; − is narrower (better), + wider";

    /// <summary>The mark of a fit whose minimum has no positive-definite Hessian, and its legend.</summary>
    private const string Unreliable = "*";

    private const string UnreliableLegend = "; * the fit has no positive-definite Hessian (a parameter at its bound, typically σ_CB far below Γ_Z): unreliable";

    /// <summary>σ_CB ± error of a Z-peak fit, marked when the fit did not converge to a proper minimum.</summary>
    private static string SigmaCb(ZPeakFitResult fit) =>
        $"{Number(fit.SigmaCB.Value, "0.000")} ± {Number(fit.SigmaCB.Error, "0.000")}{(fit.Converged ? "" : Unreliable)}";

    public static string Number(double value, string format = "0.0000") =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "–";

    public static string WithError(Estimate e, string format = "0.0000") =>
        double.IsFinite(e.Error) ? $"{Number(e.Value, format)} ± {Number(e.Error, format)}" : Number(e.Value, format);

    /// <summary>A fraction as a signed percentage with a true minus sign: "−17.6%", "+4.0%", "0.0%"; "–" when not a number.</summary>
    public static string SignedPercent(double fraction)
    {
        if (!double.IsFinite(fraction))
        {
            return "–";
        }
        double percent = Math.Round(fraction * 100, 1, MidpointRounding.AwayFromZero);
        string magnitude = Math.Abs(percent).ToString("0.0", CultureInfo.InvariantCulture);
        return percent > 0 ? $"+{magnitude}%" : percent < 0 ? $"−{magnitude}%" : $"{magnitude}%";
    }

    /// <summary>The relative change of a width against the reference's, as <see cref="SignedPercent"/>.</summary>
    public static string Change(double reference, double value) => SignedPercent(EvaluationResults.RelativeChange(reference, value));

    /// <summary>The tables printed on the console and heading summary.md and index.html.</summary>
    public static IEnumerable<ReportTable> Summary(EvaluationResults results)
    {
        yield return Overall(results);
        foreach (ReportTable table in Categories(results))
        {
            yield return table;
        }
        if (Pulls(results) is { } pulls)
        {
            yield return pulls;
        }
    }

    /// <summary>Raw and every model: objects, median, σ_eff and the Z-peak σ_CB, with the changes vs raw.</summary>
    public static ReportTable Overall(EvaluationResults results)
    {
        EnergyEvaluation raw = results.Energies[0];
        string[] header = ["energy", "objects", "median E/E_true", "σ_eff", "Δσ_eff", "Z σ_CB [GeV]", "Δσ_CB"];
        List<string[]> rows = [.. results.Energies.Select(e => new[]
        {
            e.Label,
            e.Overall.Count.ToString("N0", CultureInfo.InvariantCulture),
            WithError(e.Overall.MedianResponse),
            WithError(e.Overall.SigmaEff),
            ReferenceEquals(e, raw) ? "–" : Change(raw.Overall.SigmaEff.Value, e.Overall.SigmaEff.Value),
            e.ZPeak is null ? "no fit" : SigmaCb(e.ZPeak),
            ReferenceEquals(e, raw) || e.ZPeak is null || raw.ZPeak is null ? "–" : Change(raw.ZPeak.SigmaCB.Value, e.ZPeak.SigmaCB.Value),
        })];
        string marks = results.Energies.Any(e => e.ZPeak is { Converged: false }) ? UnreliableLegend : "";
        return new ReportTable($"Resolution of E/E_true and of the Z peak ({ChangeLegend}{marks})", header, rows);
    }

    /// <summary>Per grouping: its object categories (median, σ_eff) and its pair categories (Z σ_CB), columns per energy.</summary>
    public static IEnumerable<ReportTable> Categories(EvaluationResults results)
    {
        EnergyEvaluation raw = results.Energies[0];
        for (int g = 0; g < raw.Categories.Count; g++)
        {
            CategoryEvaluation reference = raw.Categories[g];
            string[] header = [reference.Grouping, "objects", .. results.Energies.SelectMany(e => new[] { $"{e.Label} median", $"{e.Label} σ_eff" })];
            List<string[]> rows = [.. reference.Objects.Select((category, c) => (string[])
            [
                category.Label,
                category.Metrics.Count.ToString("N0", CultureInfo.InvariantCulture),
                .. results.Energies.SelectMany(e => ObjectCells(e.Categories[g].Objects[c].Metrics, ReferenceEquals(e, raw) ? null : category.Metrics)),
            ])];
            yield return new ReportTable($"Objects by {reference.Grouping}: median and σ_eff of E/E_true (Δσ_eff vs raw in brackets)", header, rows);

            string[] pairHeader = [$"{reference.Grouping} pairs", "pairs", .. results.Energies.Select(e => $"{e.Label} Z σ_CB [GeV]")];
            List<string[]> pairRows = [.. reference.Pairs.Select((category, p) => (string[])
            [
                category.Label,
                category.Pairs.ToString("N0", CultureInfo.InvariantCulture),
                .. results.Energies.Select(e => PairCell(e.Categories[g].Pairs[p], ReferenceEquals(e, raw) ? null : category)),
            ])];
            string marks = results.Energies.Any(e => e.Categories[g].Pairs.Any(p => p.Fit is { Converged: false })) ? UnreliableLegend : "";
            yield return new ReportTable($"Z → ee pairs by {reference.Grouping}: Breit-Wigner ⊗ Crystal Ball σ_CB (Δσ_CB vs raw in brackets{marks})", pairHeader, pairRows);
        }
    }

    /// <summary>The pull (E − E_true)/σ of the models with an uncertainty, overall and per category; null when none has one.</summary>
    public static ReportTable? Pulls(EvaluationResults results)
    {
        EnergyEvaluation[] models = [.. results.Energies.Where(e => e.Pull is not null)];
        if (models.Length == 0)
        {
            return null;
        }
        string[] header = ["objects", .. models.SelectMany(e => new[] { $"{e.Label} pull σ_eff", $"{e.Label} pull RMS", $"{e.Label} pull mean" })];
        var rows = new List<string[]> { (string[])["all", .. models.SelectMany(e => PullCells(e.Pull!))] };
        for (int g = 0; g < models[0].Categories.Count; g++)
        {
            for (int c = 0; c < models[0].Categories[g].Pulls.Count; c++)
            {
                rows.Add([$"{models[0].Categories[g].Grouping}: {models[0].Categories[g].Pulls[c].Label}",
                    .. models.SelectMany(e => PullCells(e.Categories[g].Pulls[c].Metrics))]);
            }
        }
        return new ReportTable("Pull (E − E_true)/σ of the models' per-object uncertainty σ (calibrated: σ_eff and RMS 1, mean 0)", header, rows);
    }

    private static string[] ObjectCells(MetricSet m, MetricSet? raw) => m.Count == 0
        ? ["no objects", "no objects"]
        : [WithError(m.MedianResponse), WithError(m.SigmaEff) + (raw is null ? "" : $" ({Change(raw.SigmaEff.Value, m.SigmaEff.Value)})")];

    private static string PairCell(ZPeakCategory category, ZPeakCategory? raw) => category.Fit is { } fit
        ? SigmaCb(fit) + (raw?.Fit is { } reference ? $" ({Change(reference.SigmaCB.Value, fit.SigmaCB.Value)})" : "")
        : category.Pairs == 0 ? "no pairs" : $"too few pairs ({category.Pairs:N0})";

    private static string[] PullCells(PullMetrics m) => m.Count == 0
        ? ["no objects", "no objects", "no objects"]
        : [WithError(m.SigmaEff, "0.000"), WithError(m.Rms, "0.000"), WithError(m.Mean, "0.000")];

    /// <summary>The table as aligned text lines (first column left, the others right), each prefixed by <paramref name="indent"/>.</summary>
    public static string Text(ReportTable table, string indent = "")
    {
        int[] widths = [.. table.Header.Select((h, c) => table.Rows.Select(r => r[c].Length).Append(h.Length).Max())];
        var text = new StringBuilder();
        text.Append(indent).AppendLine(table.Title + ":");
        foreach (string[] row in table.Rows.Prepend(table.Header))
        {
            text.Append(indent).AppendLine(string.Join("  ", row.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        }
        return text.ToString();
    }

    public static void Markdown(StringBuilder md, ReportTable table, string heading = "##")
    {
        md.AppendLine($"{heading} {table.Title}").AppendLine();
        MarkdownRows(md, table.Header, table.Rows);
    }

    private static void MarkdownRows(StringBuilder md, string[] header, IEnumerable<string[]> rows)
    {
        md.AppendLine("| " + string.Join(" | ", header) + " |");
        md.AppendLine("|" + string.Concat(header.Select(_ => "---|")));
        foreach (string[] row in rows)
        {
            md.AppendLine("| " + string.Join(" | ", row) + " |");
        }
    }

    public static void Html(StringBuilder html, ReportTable table, string heading = "h2")
    {
        html.AppendLine($"<{heading}>{WebUtility.HtmlEncode(table.Title)}</{heading}>");
        HtmlRows(html, table.Header, table.Rows);
    }

    private static void HtmlRows(StringBuilder html, string[] header, IEnumerable<string[]> rows)
    {
        html.Append("<table><tr>").Append(string.Concat(header.Select(h => $"<th>{WebUtility.HtmlEncode(h)}</th>"))).AppendLine("</tr>");
        foreach (string[] row in rows)
        {
            html.Append("<tr>").Append(string.Concat(row.Select(c => $"<td>{WebUtility.HtmlEncode(c)}</td>"))).AppendLine("</tr>");
        }
        html.AppendLine("</table>");
    }
}
