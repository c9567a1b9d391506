using System.Globalization;
using System.Text;
using EnergyRegression.Running;

namespace EnergyRegression.Plugins.Regressors.Torch;

/// <summary>
/// The learning curves beside the model, rewritten after every epoch: <c>MODEL.curves.csv</c> (epoch, learning rate,
/// training and validation loss, validation RMSE, seconds) and <c>MODEL.curves.png</c> (the two losses against the
/// epoch, drawn headless with ScottPlot). Both are written under a temporary name and renamed.
/// </summary>
internal static class LearningCurves
{
    public static string CsvPath(string modelPath) => Trainer.Sidecar(modelPath, "curves.csv");

    public static string PngPath(string modelPath) => Trainer.Sidecar(modelPath, "curves.png");

    public static void Write(string modelPath, IReadOnlyList<EpochRecord> curve, IRunLog log)
    {
        string csv = CsvPath(modelPath);
        var text = new StringBuilder("epoch,learning_rate,training_loss,validation_loss,validation_rmse,seconds\n");
        foreach (EpochRecord r in curve)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{r.Epoch},{r.LearningRate:G6},{r.TrainingLoss:G8},{r.ValidationLoss:G8},{r.ValidationRmse:G8},{r.Seconds:F3}\n");
        }
        File.WriteAllText(csv + ".partial", text.ToString());
        File.Move(csv + ".partial", csv, overwrite: true);
        try
        {
            WritePng(PngPath(modelPath), curve);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A plot is a convenience: a machine without fonts or Skia still gets the model and the CSV.
            log.Warning($"learning-curve plot not written ({e.GetType().Name}: {e.Message}); the CSV {csv} has the numbers");
        }
    }

    private static void WritePng(string path, IReadOnlyList<EpochRecord> curve)
    {
        var plot = new ScottPlot.Plot();
        double[] epochs = [.. curve.Select(r => (double)r.Epoch)];
        var training = plot.Add.Scatter(epochs, [.. curve.Select(r => r.TrainingLoss)]);
        training.LegendText = "training";
        if (curve.Any(r => double.IsFinite(r.ValidationLoss)))
        {
            var validation = plot.Add.Scatter(epochs, [.. curve.Select(r => r.ValidationLoss)]);
            validation.LegendText = "validation";
        }
        plot.XLabel("epoch");
        plot.YLabel("loss");
        plot.Title(Path.GetFileName(path).Replace(".curves.png", "", StringComparison.Ordinal));
        plot.ShowLegend();
        string temporary = path + ".partial.png";
        plot.SavePng(temporary, 800, 500);
        File.Move(temporary, path, overwrite: true);
    }
}
