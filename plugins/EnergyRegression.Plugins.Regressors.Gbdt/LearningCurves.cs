using System.Globalization;
using System.Text;
using EnergyRegression.Plugins.Regressors.Gbdt.Training;
using EnergyRegression.Plugins.Regressors.Gbdt.Trees;
using EnergyRegression.Running;

namespace EnergyRegression.Plugins.Regressors.Gbdt;

/// <summary>
/// One region's learning curve: the loss of the ensemble cut to its first k trees, k = 1…N, on the region's
/// training and validation objects (NaN without validation objects). <paramref name="EarlyStoppedFrom"/> is the
/// configured number of trees when early stopping kept fewer.
/// </summary>
internal sealed record RegionCurve(string Region, double[] TrainingLoss, double[] ValidationLoss, int? EarlyStoppedFrom)
{
    /// <summary>N: the trees the region kept.</summary>
    public int Trees => TrainingLoss.Length;
}

/// <summary>
/// The learning curves beside the model, written once after training: <c>MODEL.curves.csv</c> (region, trees,
/// training and validation loss) and <c>MODEL.curves.png</c> (both losses of every region against the number of
/// trees, drawn headless with ScottPlot). Both are written under a temporary name and renamed; a plot that cannot be
/// drawn is a warning. The loss is the one the trees minimise: the weighted mean of w·(ŷ − y)² (see
/// <see cref="Loss"/>).
/// </summary>
internal static class LearningCurves
{
    public static string CsvPath(string modelPath) => GbdtRegressor.Sidecar(modelPath, "curves.csv");

    public static string PngPath(string modelPath) => GbdtRegressor.Sidecar(modelPath, "curves.png");

    /// <summary>
    /// The loss the trees minimise (<paramref name="objective"/>'s mean loss) of float predictions, the residuals in
    /// double: for least squares with example weights Σ w·(ŷ − y)² / Σ w (with <c>loss: relative</c> w = 1/y², each
    /// term ((E_pred − E_true)/E_true)²); NaN without objects.
    /// </summary>
    public static double Loss(ReadOnlySpan<float> prediction, RegionData data, IObjective objective)
    {
        double[] scores = new double[data.Rows];
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = prediction[i];
        }
        return objective.MeanLoss(scores, data);
    }

    /// <summary>
    /// <see cref="Loss"/> of the ensemble cut to its first k trees, for k = 1…N (element k − 1), on
    /// <paramref name="data"/>. The trees' leaf values are accumulated in double one tree at a time and rounded to
    /// float for each k, so element N − 1 is the loss of the full ensemble's predictions, bit for bit. LightGBM and
    /// FastTree fold their initial score into the first tree (the ensemble has no separate bias; the trainer
    /// checks), so the cut ensembles need no base score added. NaN throughout without objects.
    /// </summary>
    public static double[] Losses(CompleteTreeEnsemble trees, RegionData data, IObjective objective, CancellationToken cancellation)
    {
        double[] losses = new double[trees.TreeCount];
        if (data.Rows == 0)
        {
            Array.Fill(losses, double.NaN);
            return losses;
        }
        double[] sums = new double[data.Rows];
        float[] prediction = new float[data.Rows];
        for (int k = 0; k < trees.TreeCount; k++)
        {
            cancellation.ThrowIfCancellationRequested();
            EnsembleEvaluator.Accumulate(trees.Slice(k, 1), data.Features, sums, EnsembleEvaluator.Best);
            for (int i = 0; i < sums.Length; i++)
            {
                prediction[i] = (float)sums[i];
            }
            losses[k] = Loss(prediction, data, objective);
        }
        return losses;
    }

    /// <summary>What the loss is, for the plot's axis.</summary>
    public static string Describe(GbdtTarget target, GbdtLoss loss, double huberDelta)
    {
        string y = target == GbdtTarget.Ratio ? "E_true/E_raw" : "E_true";
        return loss switch
        {
            GbdtLoss.Relative => $"Σ w·(ŷ − y)² / Σ w,  w = 1/y²,  y = {y}",
            GbdtLoss.Huber => string.Create(CultureInfo.InvariantCulture, $"mean Huber(ŷ/y − 1),  δ = {huberDelta},  y = {y}"),
            _ => $"mean (ŷ − y)²,  y = {y}" + (target == GbdtTarget.Energy ? " [GeV²]" : ""),
        };
    }

    /// <summary>Writes the CSV, then the PNG (a PNG that cannot be drawn is a warning on <paramref name="log"/>).</summary>
    public static void Write(string modelPath, IReadOnlyList<RegionCurve> curves, string lossDescription, IRunLog log)
    {
        string csv = CsvPath(modelPath);
        var text = new StringBuilder("region,trees,training_loss,validation_loss\n");
        foreach (RegionCurve curve in curves)
        {
            for (int k = 0; k < curve.Trees; k++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{curve.Region},{k + 1},{curve.TrainingLoss[k]:R},{curve.ValidationLoss[k]:R}\n");
            }
        }
        File.WriteAllText(csv + ".partial", text.ToString());
        File.Move(csv + ".partial", csv, overwrite: true);
        try
        {
            WritePng(PngPath(modelPath), curves, lossDescription);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A plot is a convenience: a machine without fonts or Skia still gets the model and the CSV.
            log.Warning($"learning-curve plot not written ({e.GetType().Name}: {e.Message}); the CSV {csv} has the numbers");
        }
    }

    private static void WritePng(string path, IReadOnlyList<RegionCurve> curves, string lossDescription)
    {
        var plot = new ScottPlot.Plot();
        for (int r = 0; r < curves.Count; r++)
        {
            RegionCurve curve = curves[r];
            if (curve.Trees == 0)
            {
                continue;
            }
            ScottPlot.Color color = plot.Add.Palette.GetColor(r);
            double[] trees = [.. Enumerable.Range(1, curve.Trees).Select(k => (double)k)];
            ScottPlot.Plottables.Scatter training = plot.Add.ScatterLine(trees, curve.TrainingLoss, color);
            training.LegendText = $"{curve.Region} training";
            if (curve.ValidationLoss.Any(double.IsFinite))
            {
                ScottPlot.Plottables.Scatter validation = plot.Add.ScatterLine(trees, curve.ValidationLoss, color);
                validation.LinePattern = ScottPlot.LinePattern.Dashed;
                validation.LegendText = $"{curve.Region} validation";
            }
            if (curve.EarlyStoppedFrom is int configured)
            {
                ScottPlot.Plottables.VerticalLine stop = plot.Add.VerticalLine(curve.Trees, 1, color, ScottPlot.LinePattern.Dotted);
                stop.LegendText = string.Create(CultureInfo.InvariantCulture, $"{curve.Region}: early stopping kept {curve.Trees} of {configured} trees");
            }
        }
        plot.XLabel("trees");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.YLabel(lossDescription);
        plot.Title(Path.GetFileName(path).Replace(".curves.png", "", StringComparison.Ordinal));
        plot.ShowLegend();
        // Losses fall with the trees: the upper right is where the curves usually are not.
        plot.Legend.Alignment = ScottPlot.Alignment.UpperRight;
        string temporary = path + ".partial.png";
        plot.SavePng(temporary, 800, 500);
        File.Move(temporary, path, overwrite: true);
    }
}
