using EnergyRegression.Core.Running;
using EnergyRegression.Physics;
using ScottPlot;

namespace EnergyRegression.Cli.Evaluation;

/// <summary>The report's PNG figures, drawn headless with ScottPlot 5 (fonts: DejaVu, installed by scripts/setup.sh).</summary>
internal static class ReportPlots
{
    private const int Width = 900;
    private const int Height = 600;

    /// <summary>A figure of the report: its file name and caption.</summary>
    internal sealed record Figure(string File, string Caption);

    /// <summary>Draws every figure into <paramref name="directory"/> and returns them in report order.</summary>
    public static IReadOnlyList<Figure> Draw(EvaluationResults results, string directory)
    {
        var figures = new List<Figure>
        {
            Response(results, directory),
            Scatter(results, directory),
        };
        foreach ((string column, double[] edges) in results.BinEdges)
        {
            figures.Add(InBins(results, column, edges, directory, resolution: true));
            figures.Add(InBins(results, column, edges, directory, resolution: false));
        }
        if (results.Energies.Any(e => e.Pull is not null))
        {
            figures.Add(Pulls(results, directory));
        }
        foreach (EnergyEvaluation energy in results.Energies.Where(e => e.ResponseFit is not null))
        {
            figures.Add(ResponseFitFigure(energy, results.Data.True, directory));
        }
        if (results.Data.AverageWindow is { } window)
        {
            figures.Add(Window(window, directory));
        }
        foreach (EnergyEvaluation energy in results.Energies.Where(e => e.ZPeak is not null))
        {
            figures.Add(ZPeak(energy, directory));
        }
        foreach (EnergyEvaluation energy in results.Energies.Where(e => e.ModelPath is not null))
        {
            // The learning curves a regressor drew beside its model (MODEL.curves.png, e.g. the torch regressor's).
            string model = energy.ModelPath!;
            string curves = Path.Combine(Path.GetDirectoryName(model) ?? "", Path.GetFileNameWithoutExtension(model) + ".curves.png");
            if (File.Exists(curves))
            {
                string file = $"learning-curves-{Slug(energy.Label)}.png";
                File.Copy(curves, Path.Combine(directory, file), overwrite: true);
                figures.Add(new Figure(file, $"Learning curves of '{energy.Label}' from its training ({Path.GetFileName(curves)})."));
            }
        }
        return figures;
    }

    /// <summary>A file-name-safe form of a label.</summary>
    public static string Slug(string label) =>
        new([.. label.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);

    private static Figure Response(EvaluationResults results, string directory)
    {
        var plot = new Plot();
        double[] all = [.. results.Energies.SelectMany(e => Responses(e.Energy, results.Data.True))];
        double low = Resolution.Quantile(all, 0.005), high = Resolution.Quantile(all, 0.995);
        const int Bins = 100;
        double width = (high - low) / Bins;
        double[] centres = [.. Enumerable.Range(0, Bins).Select(i => low + (i + 0.5) * width)];
        foreach (EnergyEvaluation energy in results.Energies)
        {
            double[] response = Responses(energy.Energy, results.Data.True);
            var counts = new double[Bins];
            foreach (double r in response)
            {
                int b = (int)Math.Floor((r - low) / width);
                if (b is >= 0 and < Bins)
                {
                    counts[b]++;
                }
            }
            double[] density = [.. counts.Select(c => c / Math.Max(1, response.Length) / width)];
            var line = plot.Add.ScatterLine(centres, density);
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LegendText = $"{energy.Label} (σ_eff {energy.Overall.SigmaEff.Value:0.0000})";
        }
        plot.Title("Response E / E_true");
        plot.XLabel("E / E_true");
        plot.YLabel("density");
        plot.ShowLegend();
        return Save(plot, directory, "response.png", "Distribution of the response E/E_true of the raw energy and of every model.");
    }

    private static double[] Responses(double[] energy, double[] truth) =>
        [.. Enumerable.Range(0, energy.Length).Where(i => truth[i] > 0).Select(i => energy[i] / truth[i]).Where(double.IsFinite)];

    private static Figure Scatter(EvaluationResults results, string directory)
    {
        var plot = new Plot();
        double[] truth = results.Data.True;
        int step = Math.Max(1, truth.Length / 3000);
        int[] shown = [.. Enumerable.Range(0, truth.Length).Where(i => i % step == 0)];
        foreach (EnergyEvaluation energy in results.Energies)
        {
            var points = plot.Add.ScatterPoints(shown.Select(i => truth[i]).ToArray(), shown.Select(i => energy.Energy[i]).ToArray());
            points.MarkerSize = 3;
            points.LegendText = energy.Label;
        }
        double max = truth.Max();
        var diagonal = plot.Add.Line(0, 0, max, max);
        diagonal.LineColor = Colors.Black;
        diagonal.LegendText = "E = E_true";
        plot.Title("Energy vs true energy");
        plot.XLabel("E_true [GeV]");
        plot.YLabel("E [GeV]");
        plot.ShowLegend();
        return Save(plot, directory, "energy-vs-true.png", $"Raw and predicted energies against the true energy ({shown.Length:N0} objects shown).");
    }

    /// <summary>σ_eff (<paramref name="resolution"/>) or the median of E/E_true per bin, every energy on one plot; empty bins are left out.</summary>
    private static Figure InBins(EvaluationResults results, string column, double[] edges, string directory, bool resolution)
    {
        var plot = new Plot();
        foreach (EnergyEvaluation energy in results.Energies)
        {
            int[] filled = [.. Enumerable.Range(0, edges.Length - 1).Where(b => energy.Bins[column][b].Metrics.Count > 0)];
            Estimate[] values = [.. filled.Select(b => resolution ? energy.Bins[column][b].Metrics.SigmaEff : energy.Bins[column][b].Metrics.MedianResponse)];
            double[] centres = [.. filled.Select(b => (edges[b] + edges[b + 1]) / 2)];
            double[] y = [.. values.Select(v => v.Value)];
            var line = plot.Add.Scatter(centres, y);
            line.LegendText = energy.Label;
            var bars = plot.Add.ErrorBar(centres, y, [.. values.Select(v => double.IsFinite(v.Error) ? v.Error : 0)]);
            bars.Color = line.Color;
        }
        if (!resolution)
        {
            var one = plot.Add.HorizontalLine(1);
            one.Color = Colors.Gray;
            one.LinePattern = LinePattern.Dashed;
        }
        string what = resolution ? "Resolution σ_eff(E/E_true)" : "Median response E/E_true";
        plot.Title($"{what} in bins of {column}");
        plot.XLabel(column);
        plot.YLabel(resolution ? "σ_eff of E / E_true" : "median of E / E_true");
        plot.ShowLegend();
        string file = $"{(resolution ? "resolution" : "response")}-vs-{Slug(column)}.png";
        return Save(plot, directory, file, $"{(resolution ? "σ_eff" : "The median")} of the response in bins of {column}, with bootstrap uncertainties (empty bins left out).");
    }

    /// <summary>The pull distributions of the models with an uncertainty, with the unit Gaussian of a calibrated σ.</summary>
    private static Figure Pulls(EvaluationResults results, string directory)
    {
        var plot = new Plot();
        const int Bins = 60;
        const double Low = -5, High = 5, Width = (High - Low) / Bins;
        double[] centres = [.. Enumerable.Range(0, Bins).Select(i => Low + (i + 0.5) * Width)];
        foreach (EnergyEvaluation energy in results.Energies.Where(e => e.Pull is not null))
        {
            double[] pulls = PullMetrics.Pulls(energy.Energy, energy.Uncertainty!, results.Data.True, Enumerable.Range(0, energy.Energy.Length));
            var counts = new double[Bins];
            foreach (double p in pulls.Where(p => p >= Low && p < High))
            {
                counts[(int)((p - Low) / Width)]++;
            }
            var line = plot.Add.ScatterLine(centres, [.. counts.Select(c => c / Math.Max(1, pulls.Length) / Width)]);
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LegendText = $"{energy.Label} (σ_eff {energy.Pull!.SigmaEff.Value:0.000}, RMS {energy.Pull.Rms.Value:0.000})";
        }
        double[] fine = [.. Enumerable.Range(0, 201).Select(i => Low + (High - Low) * i / 200)];
        var gauss = plot.Add.ScatterLine(fine, [.. fine.Select(x => Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI))]);
        gauss.Color = Colors.Black;
        gauss.LinePattern = LinePattern.Dashed;
        gauss.LegendText = "unit Gaussian";
        plot.Title("Pull (E − E_true) / σ");
        plot.XLabel("(E − E_true) / σ");
        plot.YLabel("density");
        plot.ShowLegend();
        return Save(plot, directory, "pull.png", "The pull (E − E_true)/σ of every model with a per-object uncertainty σ, against the unit Gaussian of a calibrated σ.");
    }

    /// <summary>The response histogram in the fit range with the fitted double-sided Crystal Ball and pulls.</summary>
    private static Figure ResponseFitFigure(EnergyEvaluation energy, double[] truth, string directory)
    {
        ResponseFitResult fit = energy.ResponseFit!;
        (double low, double high) = fit.Range;
        const int Bins = 80;
        double width = (high - low) / Bins;
        var counts = new double[Bins];
        foreach (double r in Responses(energy.Energy, truth))
        {
            int b = (int)Math.Floor((r - low) / width);
            if (r >= low && r <= high)
            {
                counts[Math.Min(b, Bins - 1)]++;
            }
        }
        double[] centres = [.. Enumerable.Range(0, Bins).Select(i => low + (i + 0.5) * width)];
        double[] fine = [.. Enumerable.Range(0, 401).Select(i => low + (high - low) * i / 400)];
        double[] curve = [.. fine.Select(x => fit.Density(x) * fit.Entries * width)];
        // Expected count of a bin: the density integrated over it (Simpson's rule on the bin's ends and middle).
        double[] expected = [.. Enumerable.Range(0, Bins).Select(i =>
            fit.Entries * width * (fit.Density(low + i * width) + 4 * fit.Density(centres[i]) + fit.Density(low + (i + 1) * width)) / 6)];
        double[] pulls = [.. counts.Select((c, b) => expected[b] > 0 ? (c - expected[b]) / Math.Sqrt(expected[b]) : 0)];

        string file = $"response-fit-{Slug(energy.Label)}.png";
        SaveFitWithPulls(new FitPanels(centres, counts, fine, curve, pulls, (low, high))
        {
            DataLegend = $"{energy.Label}: {fit.Entries:N0} objects",
            FitLegend = $"double-sided CB: μ = {fit.Mu.Value:0.0000} ± {fit.Mu.Error:0.0000}, σ = {fit.Sigma.Value:0.0000} ± {fit.Sigma.Error:0.0000}",
            Title = $"Response fit, {energy.Label}",
            XLabel = "E / E_true",
            YLabel = $"objects / {width:0.####}",
        }, Path.Combine(directory, file));
        return new Figure(file, $"E/E_true of '{energy.Label}' with its unbinned double-sided Crystal Ball fit ({fit.Status}) and pulls (data − fit)/√fit.");
    }

    /// <summary>The mean energy of every crystal of the window (rows η, columns φ), on a logarithmic colour scale.</summary>
    private static Figure Window(AverageWindow window, string directory)
    {
        var plot = new Plot();
        var cells = new double[window.Rows, window.Columns];
        double floor = window.Mean.Where(v => v > 0).DefaultIfEmpty(1).Min();
        for (int r = 0; r < window.Rows; r++)
        {
            for (int c = 0; c < window.Columns; c++)
            {
                // Row 0 is the lowest η: drawn at the bottom.
                cells[window.Rows - 1 - r, c] = Math.Log10(Math.Max(window.Mean[r * window.Columns + c], floor));
            }
        }
        var heatmap = plot.Add.Heatmap(cells);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(heatmap).Label = "log10(mean crystal energy / GeV)";
        plot.Title($"Average {window.Column} of {window.Objects:N0} objects");
        plot.XLabel("φ index");
        plot.YLabel("η index");
        return Save(plot, directory, "average-window.png",
            $"The average crystal window ({window.Column}, {window.Rows} × {window.Columns}) of the evaluated objects: mean energy per crystal, log scale.");
    }

    private static Figure ZPeak(EnergyEvaluation energy, string directory)
    {
        ZPeakFitResult fit = energy.ZPeak!;
        double[] edges = fit.BinEdges;
        double width = edges[1] - edges[0];
        double[] centres = [.. Enumerable.Range(0, fit.Counts.Length).Select(b => (edges[b] + edges[b + 1]) / 2)];
        double[] pulls = [.. fit.Counts.Select((c, b) => fit.Expected[b] > 0 ? (c - fit.Expected[b]) / Math.Sqrt(fit.Expected[b]) : 0)];

        var options = new ZPeakFitOptions { Low = edges[0], High = edges[^1], Mass = fit.Parameters[4].Value, Width = fit.Parameters[5].Value };
        double[] fine = [.. Enumerable.Range(0, 401).Select(i => edges[0] + (edges[^1] - edges[0]) * i / 400)];
        double[] curve = [.. ZPeakFit.Density(options, fit.Mu.Value, fit.SigmaCB.Value, fit.Alpha.Value, fit.N.Value, fine).Select(d => d * fit.Entries * width)];

        string file = $"zpeak-{Slug(energy.Label)}.png";
        SaveFitWithPulls(new FitPanels(centres, fit.Counts, fine, curve, pulls, (edges[0], edges[^1]))
        {
            DataLegend = $"{energy.Label}: {fit.Entries:N0} pairs",
            FitLegend = $"BW ⊗ CB: σ_CB = {fit.SigmaCB.Value:0.000} ± {fit.SigmaCB.Error:0.000} GeV, μ = {fit.Mu.Value:0.000} GeV, χ²/ndf = {fit.ChiSquare:0.0}/{fit.DegreesOfFreedom}",
            Title = $"Z peak, {energy.Label}",
            XLabel = "m_ee [GeV]",
            YLabel = $"pairs / {width:0.##} GeV",
        }, Path.Combine(directory, file));
        return new Figure(file, $"Z peak of the pair mass with the '{energy.Label}' energies: data, Breit-Wigner ⊗ Crystal Ball fit ({fit.Method.ToString().ToLowerInvariant()} likelihood) and pulls (data − fit)/√fit.");
    }

    /// <summary>A histogram with its fitted curve above and the pulls below.</summary>
    private sealed record FitPanels(double[] Centres, double[] Counts, double[] CurveX, double[] CurveY, double[] Pulls, (double Low, double High) Range)
    {
        public required string DataLegend { get; init; }
        public required string FitLegend { get; init; }
        public required string Title { get; init; }
        public required string XLabel { get; init; }
        public required string YLabel { get; init; }
    }

    private static void SaveFitWithPulls(FitPanels p, string path)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        Plot top = multiplot.GetPlot(0);
        Plot bottom = multiplot.GetPlot(1);
        top.Add.ErrorBar(p.Centres, p.Counts, [.. p.Counts.Select(c => Math.Sqrt(Math.Max(c, 1)))]).Color = Colors.Black;
        var points = top.Add.ScatterPoints(p.Centres, p.Counts);
        points.Color = Colors.Black;
        points.LegendText = p.DataLegend;
        var model = top.Add.ScatterLine(p.CurveX, p.CurveY);
        model.Color = Colors.Red;
        model.LineWidth = 2;
        model.LegendText = p.FitLegend;
        top.Title(p.Title);
        top.YLabel(p.YLabel);
        top.ShowLegend();
        var pullPoints = bottom.Add.ScatterPoints(p.Centres, p.Pulls);
        pullPoints.Color = Colors.Black;
        bottom.Add.HorizontalLine(0).Color = Colors.Red;
        bottom.XLabel(p.XLabel);
        bottom.YLabel("pull");
        bottom.Axes.SetLimitsX(p.Range.Low, p.Range.High);
        top.Axes.SetLimitsX(p.Range.Low, p.Range.High);
        multiplot.SavePng(path, Width, Height + 200);
    }

    private static Figure Save(Plot plot, string directory, string file, string caption)
    {
        plot.SavePng(Path.Combine(directory, file), Width, Height);
        return new Figure(file, caption);
    }
}
