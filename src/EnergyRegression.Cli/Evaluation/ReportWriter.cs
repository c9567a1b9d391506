using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using EnergyRegression.Core.Running;
using EnergyRegression.Physics;

namespace EnergyRegression.Cli.Evaluation;

/// <summary>
/// Writes an evaluation report directory: metrics.json, summary.md, the PNG figures and index.html (one
/// self-contained page: the figures are embedded, and each links to its PNG file). Files are written under
/// temporary names and renamed, so a report that is present is complete.
/// </summary>
internal static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Converters = { new FiniteDoubleConverter() },
    };

    /// <summary>The files of a report.</summary>
    internal sealed record Report(string Directory, string Metrics, string Summary, string Html, IReadOnlyList<string> Figures);

    /// <summary>Writes the report of <paramref name="results"/> into <paramref name="directory"/>.</summary>
    public static Report Write(EvaluationResults results, string directory)
    {
        Directory.CreateDirectory(directory);
        IReadOnlyList<ReportPlots.Figure> figures = ReportPlots.Draw(results, directory);
        string metrics = Path.Combine(directory, "metrics.json");
        string summary = Path.Combine(directory, "summary.md");
        string html = Path.Combine(directory, "index.html");
        WriteAtomically(metrics, JsonSerializer.Serialize(Document(results, figures), Json) + "\n");
        WriteAtomically(summary, Markdown(results, figures));
        WriteAtomically(html, Html(results, figures, directory));
        return new Report(directory, metrics, summary, html, [.. figures.Select(f => Path.Combine(directory, f.File))]);
    }

    private static void WriteAtomically(string path, string text)
    {
        string temporary = path + ".partial";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    private static object Estimate(Estimate e) => new { e.Value, e.Error, e.Low, e.High };

    private static object Metrics(MetricSet m) => new
    {
        m.Count,
        Rmse = Estimate(m.Rmse),
        MeanResponse = Estimate(m.MeanResponse),
        MedianResponse = Estimate(m.MedianResponse),
        SigmaEff = Estimate(m.SigmaEff),
        Eiqr = Estimate(m.Eiqr),
        SigmaEffOverMedian = Estimate(m.SigmaEffOverMedian),
    };

    private static object Pull(PullMetrics m) => new { m.Count, Mean = Estimate(m.Mean), Rms = Estimate(m.Rms), SigmaEff = Estimate(m.SigmaEff) };

    private static object ZPeakSummary(ZPeakCategory category) => new
    {
        category.Pairs,
        SigmaCb = category.Fit is { } fit ? new { fit.SigmaCB.Value, fit.SigmaCB.Error } : null,
        Mu = category.Fit is { } f ? new { f.Mu.Value, f.Mu.Error } : null,
        category.Fit?.Entries,
        category.Fit?.Converged,
        category.Fit?.Status,
        category.Note,
    };

    private static object Document(EvaluationResults results, IReadOnlyList<ReportPlots.Figure> figures)
    {
        EvaluationData data = results.Data;
        EnergyEvaluation reference = results.Energies[0];
        return new
        {
            Chain = data.ChainName,
            Part = data.Part,
            EventsRead = data.EventsRead,
            Events = data.Events,
            Objects = data.True.Length,
            Pairs = reference.PairMasses.Length,
            Columns = new
            {
                data.Definition.Collection,
                True = data.Definition.TrueColumn,
                Raw = data.Definition.RawColumn,
                Predicted = data.Definition.PredictedEnergies.Count > 0 ? null : data.Definition.PredictedColumn,
                data.Definition.PredictedEnergies,
                Uncertainties = data.Definition.PredictedEnergies.Count > 0 ? data.Definition.Uncertainties
                    : data.Definition.PredictedUncertainty is { } sigma ? data.Models.ToDictionary(m => m.Label, _ => sigma) : [],
                Eta = data.Definition.EtaColumn,
                Phi = data.Definition.PhiColumn,
                Charge = data.Charge.Any(double.IsFinite) ? data.Definition.ChargeColumn : null,
                data.Definition.Window,
            },
            RmseUnit = data.Definition.RmseUnit,
            Bootstrap = data.Definition.Bootstrap,
            Reference = EvaluationResults.ReferenceLabel,
            Categories = data.Categories.ToDictionary(c => c.Grouping, c => new
            {
                Objects = c.Labels.ToDictionary(l => l, l => data.Definition.Categories[c.Grouping][l]),
                Pairs = PairCategories.Labels(c.Labels),
            }),
            BinEdges = results.BinEdges,
            Energies = results.Energies.Select(e => new
            {
                e.Label,
                e.ModelPath,
                Overall = Metrics(e.Overall),
                ChangeVsRaw = new
                {
                    Rmse = EvaluationResults.RelativeChange(reference.Overall.Rmse.Value, e.Overall.Rmse.Value),
                    SigmaEff = EvaluationResults.RelativeChange(reference.Overall.SigmaEff.Value, e.Overall.SigmaEff.Value),
                    Eiqr = EvaluationResults.RelativeChange(reference.Overall.Eiqr.Value, e.Overall.Eiqr.Value),
                    SigmaCb = reference.ZPeak is not null && e.ZPeak is not null
                        ? EvaluationResults.RelativeChange(reference.ZPeak.SigmaCB.Value, e.ZPeak.SigmaCB.Value) : double.NaN,
                },
                Bins = e.Bins.ToDictionary(b => b.Key, b => b.Value.Select(bin => new { bin.Low, bin.High, Metrics = Metrics(bin.Metrics) })),
                Categories = e.Categories.ToDictionary(c => c.Grouping, c => new
                {
                    Objects = c.Objects.ToDictionary(o => o.Label, o => Metrics(o.Metrics)),
                    Pairs = c.Pairs.ToDictionary(p => p.Label, ZPeakSummary),
                    Pulls = e.Pull is null ? null : c.Pulls.ToDictionary(p => p.Label, p => Pull(p.Metrics)),
                }),
                Pull = e.Pull is null ? null : Pull(e.Pull),
                Thresholds = e.Thresholds.Select(t => new { RawAbove = t.Threshold, Metrics = Metrics(t.Metrics) }),
                ResponseFit = e.ResponseFit is null ? null : new
                {
                    Model = "double-sided Crystal Ball",
                    e.ResponseFit.Range.Low,
                    e.ResponseFit.Range.High,
                    e.ResponseFit.Entries,
                    e.ResponseFit.Converged,
                    e.ResponseFit.Status,
                    Parameters = e.ResponseFit.Parameters.ToDictionary(p => p.Name, p => new { p.Value, p.Error }),
                },
                e.ResponseFitError,
                ZPeak = e.ZPeak is null ? null : new
                {
                    Model = "Breit-Wigner (M, Γ fixed) ⊗ Crystal Ball",
                    Method = e.ZPeak.Method.ToString().ToLowerInvariant(),
                    Window = new[] { e.ZPeak.BinEdges[0], e.ZPeak.BinEdges[^1] },
                    e.ZPeak.Entries,
                    e.ZPeak.Converged,
                    e.ZPeak.Status,
                    Parameters = e.ZPeak.Parameters.ToDictionary(p => p.Name, p => new { p.Value, p.Error, p.Fixed }),
                    e.ZPeak.ChiSquare,
                    e.ZPeak.DegreesOfFreedom,
                    e.ZPeak.PValue,
                    e.ZPeak.NegativeLogLikelihood,
                },
                e.ZPeakNote,
            }),
            Plots = figures.Select(f => new { f.File, f.Caption }),
        };
    }

    private static string F(double value, string format = "0.0000") => ReportTables.Number(value, format);

    private static string WithError(Estimate e, string format = "0.0000") => ReportTables.WithError(e, format);

    /// <summary>The comparison table rows: label, then the cells.</summary>
    private static IEnumerable<string[]> ComparisonRows(EvaluationResults results)
    {
        EnergyEvaluation reference = results.Energies[0];
        foreach (EnergyEvaluation e in results.Energies)
        {
            MetricSet m = e.Overall;
            bool isRaw = ReferenceEquals(e, reference);
            yield return
            [
                e.Label,
                m.Count.ToString("N0", CultureInfo.InvariantCulture),
                WithError(m.Rmse, "0.000"),
                WithError(m.MedianResponse),
                WithError(m.SigmaEff),
                WithError(m.Eiqr),
                isRaw ? "–" : ReportTables.Change(reference.Overall.SigmaEff.Value, m.SigmaEff.Value),
                isRaw ? "–" : ReportTables.Change(reference.Overall.Eiqr.Value, m.Eiqr.Value),
                e.ZPeak is null ? "–" : $"{F(e.ZPeak.SigmaCB.Value, "0.000")} ± {F(e.ZPeak.SigmaCB.Error, "0.000")}",
                isRaw || e.ZPeak is null || reference.ZPeak is null ? "–" : ReportTables.Change(reference.ZPeak.SigmaCB.Value, e.ZPeak.SigmaCB.Value),
            ];
        }
    }

    /// <summary>The first seed's table: RMSE (in units of <c>rmse_unit</c> GeV) of the objects above each raw-energy threshold.</summary>
    internal static (string[] Header, List<string[]> Rows) ThresholdTable(EvaluationResults results)
    {
        double unit = results.Data.Definition.RmseUnit;
        string[] header = ["energy", .. results.Data.Definition.Thresholds.Select(t => $"E_raw > {F(t, "0.##")} GeV")];
        List<string[]> rows = [.. results.Energies.Select(e => (string[])
        [
            e.Label,
            .. e.Thresholds.Select(t => $"{WithError(Scaled(t.Metrics.Rmse, unit), "0.0000")} (n={t.Metrics.Count})"),
        ])];
        return (header, rows);
    }

    /// <summary>The RMSE unit in words: "GeV" or "E/100 GeV".</summary>
    internal static string RmseUnitText(double unit) => unit == 1 ? "GeV" : $"E/{unit:0.##} GeV";

    private static Estimate Scaled(Estimate e, double unit) => new(e.Value / unit, e.Error / unit, e.Low / unit, e.High / unit);

    private static readonly string[] ComparisonHeader =
        ["energy", "objects", "RMSE [GeV]", "median E/E_true", "σ_eff(E/E_true)", "eIQR(E/E_true)", "Δσ_eff vs raw", "ΔeIQR vs raw", "Z σ_CB [GeV]", "Δσ_CB vs raw"];

    /// <summary>Every table of the report, summary first, then the details (same in summary.md and index.html).</summary>
    private static IEnumerable<ReportTable> Tables(EvaluationResults results)
    {
        EvaluationData data = results.Data;
        foreach (ReportTable table in ReportTables.Summary(results))
        {
            yield return table;
        }
        yield return new ReportTable($"All metrics ({ReportTables.ChangeLegend})", ComparisonHeader, [.. ComparisonRows(results)]);
        if (data.Definition.Thresholds.Length > 0)
        {
            (string[] header, List<string[]> rows) = ThresholdTable(results);
            yield return new ReportTable($"RMSE [{RmseUnitText(data.Definition.RmseUnit)}] above raw-energy thresholds", header, rows);
        }
        EnergyEvaluation raw = results.Energies[0];
        for (int g = 0; g < raw.Categories.Count; g++)
        {
            string[] header = [raw.Categories[g].Grouping, .. results.Energies.Select(e => $"{e.Label} σ_eff/median")];
            List<string[]> rows = [.. raw.Categories[g].Objects.Select((o, c) => (string[])
            [
                o.Label,
                .. results.Energies.Select(e => e.Categories[g].Objects[c].Metrics is { Count: > 0 } m ? WithError(m.SigmaEffOverMedian) : "no objects"),
            ])];
            yield return new ReportTable($"Relative resolution σ_eff/median of E/E_true by {raw.Categories[g].Grouping}", header, rows);
        }
        foreach ((string column, double[] edges) in results.BinEdges)
        {
            string[] header = ["bin", "objects", .. results.Energies.Select(e => e.Label)];
            yield return new ReportTable($"Median response E/E_true in bins of {column}", header,
                [.. BinRows(results, column, edges, m => WithError(m.MedianResponse))]);
            yield return new ReportTable($"σ_eff(E/E_true) in bins of {column}", header,
                [.. BinRows(results, column, edges, m => WithError(m.SigmaEff))]);
        }
    }

    /// <summary>One row per bin: its edges, its objects and a metric per energy; an empty bin says so.</summary>
    private static IEnumerable<string[]> BinRows(EvaluationResults results, string column, double[] edges, Func<MetricSet, string> cell) =>
        Enumerable.Range(0, edges.Length - 1).Select(b => (string[])
        [
            BinLabel(edges, b),
            results.Energies[0].Bins[column][b].Metrics.Count.ToString("N0", CultureInfo.InvariantCulture),
            .. results.Energies.Select(e => e.Bins[column][b].Metrics is { Count: > 0 } m ? cell(m) : "no objects"),
        ]);

    /// <summary>"[a, b)"; the last bin holds its upper edge: "[a, b]".</summary>
    internal static string BinLabel(double[] edges, int b) =>
        $"[{F(edges[b], "0.###")}, {F(edges[b + 1], "0.###")}{(b == edges.Length - 2 ? "]" : ")")}";

    private static string Introduction(EvaluationResults results)
    {
        EvaluationData data = results.Data;
        return $"{data.Events:N0} {data.Part} events ({data.EventsRead:N0} read), {data.True.Length:N0} {data.Definition.Collection} objects, "
            + $"{results.Energies[0].PairMasses.Length:N0} pairs. Uncertainties: standard deviation of {data.Definition.Bootstrap} bootstrap resamples "
            + "(Z-peak σ_CB: from the fit). Every change vs raw is the relative change of the width, (model − raw)/raw: "
            + "a minus is narrower (better), a plus wider.";
    }

    private static string Markdown(EvaluationResults results, IReadOnlyList<ReportPlots.Figure> figures)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Evaluation of '{results.Data.ChainName}'").AppendLine();
        md.AppendLine(Introduction(results)).AppendLine();
        foreach (ReportTable table in Tables(results))
        {
            ReportTables.Markdown(md, table);
            md.AppendLine();
        }
        md.AppendLine("## Fits").AppendLine();
        foreach (EnergyEvaluation e in results.Energies)
        {
            string response = e.ResponseFit is { } r
                ? $"double-sided Crystal Ball of E/E_true: μ = {F(r.Mu.Value)} ± {F(r.Mu.Error)}, σ = {F(r.Sigma.Value)} ± {F(r.Sigma.Error)} ({r.Status})"
                : $"no response fit ({e.ResponseFitError})";
            string z = e.ZPeak is { } zp
                ? $"Z peak: σ_CB = {F(zp.SigmaCB.Value, "0.000")} ± {F(zp.SigmaCB.Error, "0.000")} GeV, μ = {F(zp.Mu.Value, "0.000")} ± {F(zp.Mu.Error, "0.000")} GeV, "
                    + $"α = {F(zp.Alpha.Value, "0.00")}, n = {F(zp.N.Value, "0.0")}, χ²/ndf = {F(zp.ChiSquare, "0.0")}/{zp.DegreesOfFreedom} ({zp.Status})"
                : $"Z peak: {e.ZPeakNote}";
            md.AppendLine($"- **{e.Label}**: {response}; {z}.");
            foreach (ZPeakCategory category in e.Categories.SelectMany(c => c.Pairs).Where(p => p.Fit is null))
            {
                md.AppendLine($"  - {category.Label}: {category.Note}");
            }
        }
        md.AppendLine().AppendLine("## Figures").AppendLine();
        foreach (ReportPlots.Figure f in figures)
        {
            md.AppendLine($"![{f.Caption}]({f.File})").AppendLine();
        }
        return md.ToString();
    }

    private static string Html(EvaluationResults results, IReadOnlyList<ReportPlots.Figure> figures, string directory)
    {
        EvaluationData data = results.Data;
        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>").AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine($"<title>Evaluation of {E(data.ChainName)}</title>");
        html.AppendLine("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}table{border-collapse:collapse;margin:1em 0}"
            + "td,th{border:1px solid #bbb;padding:.25em .6em;text-align:right}th{background:#eee}td:first-child{text-align:left}"
            + "figure{margin:1.5em 0}img{max-width:100%;border:1px solid #ddd}</style></head><body>");
        html.AppendLine($"<h1>Evaluation of '{E(data.ChainName)}'</h1>");
        html.AppendLine($"<p>{E(Introduction(results))} "
            + "All numbers are also in <a href=\"metrics.json\">metrics.json</a> and <a href=\"summary.md\">summary.md</a>.</p>");
        foreach (ReportTable table in Tables(results))
        {
            ReportTables.Html(html, table);
        }
        html.AppendLine("<h2>Figures</h2>");
        foreach (ReportPlots.Figure f in figures)
        {
            string base64 = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(directory, f.File)));
            html.AppendLine($"<figure><a href=\"{E(f.File)}\"><img src=\"data:image/png;base64,{base64}\" alt=\"{E(f.Caption)}\"></a>"
                + $"<figcaption>{E(f.Caption)} (<a href=\"{E(f.File)}\">{E(f.File)}</a>)</figcaption></figure>");
        }
        html.AppendLine("</body></html>");
        return html.ToString();
    }

    /// <summary>Writes NaN and infinities as null (JSON has no such numbers).</summary>
    private sealed class FiniteDoubleConverter : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumberValue(value);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }
}
