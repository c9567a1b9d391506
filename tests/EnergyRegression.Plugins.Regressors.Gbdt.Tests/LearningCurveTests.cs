using System.Buffers.Binary;
using System.Globalization;
using EnergyRegression.Data;
using EnergyRegression.Plugins.Regressors.Gbdt.Trees;
using EnergyRegression.Running;
using Xunit;

namespace EnergyRegression.Plugins.Regressors.Gbdt.Tests;

/// <summary>MODEL.curves.csv and MODEL.curves.png, written beside the model by training.</summary>
public sealed class LearningCurveTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gbdt-curves").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private sealed record Row(string Region, int Trees, double TrainingLoss, double ValidationLoss);

    private static Row[] ReadCurves(string path)
    {
        string[] lines = File.ReadAllLines(path);
        Assert.Equal("region,trees,training_loss,validation_loss", lines[0]);
        return [.. lines.Skip(1).Select(line =>
        {
            string[] f = line.Split(',');
            Assert.Equal(4, f.Length);
            return new Row(f[0], int.Parse(f[1], CultureInfo.InvariantCulture),
                double.Parse(f[2], CultureInfo.InvariantCulture), double.Parse(f[3], CultureInfo.InvariantCulture));
        })];
    }

    [Fact]
    public void Training_writes_a_row_per_region_and_tree_count_and_a_PNG_where_evaluate_looks()
    {
        string path = Path.Combine(_directory, "electrons-bdt.zip");
        var context = new TestRunContext(RunMode.Train);
        Electrons.Train(Electrons.Config(path, trees: 40), path, context: context);

        Row[] rows = ReadCurves(Path.Combine(_directory, "electrons-bdt.curves.csv"));
        var model = GbdtModel.Load(path);
        Assert.Equal(["barrel", "endcap"], model.Regions.Select(r => r.Name));
        var expected = model.Regions.SelectMany(r => Enumerable.Range(1, r.Trees.TreeCount).Select(k => (r.Name, k))).ToArray();
        Assert.Equal(expected, rows.Select(r => (r.Region, r.Trees)).ToArray());
        Assert.Equal(40, model.Regions[0].Trees.TreeCount);
        Assert.All(rows, r => Assert.True(double.IsFinite(r.TrainingLoss) && double.IsFinite(r.ValidationLoss) && r.TrainingLoss > 0, r.ToString()));

        // Where `energyreg evaluate` (ReportPlots) looks for a model's curves: <model dir>/<model name>.curves.png.
        string png = Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + ".curves.png");
        AssertValidPng(png);
        Assert.Empty(Directory.GetFiles(_directory, "*.partial*"));
        Assert.Empty(context.Warnings);
        Assert.Contains(context.Infos, m => m.Contains("electrons-bdt.curves.csv", StringComparison.Ordinal));
    }

    [Fact]
    public void Training_loss_never_rises_from_one_tree_to_the_next()
    {
        // Least-squares boosting with shrinkage and no subsampling: each tree moves every leaf's objects a fraction
        // of the way to their weighted mean residual, which lowers the weighted training loss. The curve must
        // fall at every step, up to the rounding of the predictions to float.
        string path = Path.Combine(_directory, "model.zip");
        Electrons.Train(Electrons.Config(path, trees: 60), path);
        Row[] rows = ReadCurves(Path.Combine(_directory, "model.curves.csv"));
        foreach (IGrouping<string, Row> region in rows.GroupBy(r => r.Region))
        {
            Row[] curve = [.. region];
            for (int k = 1; k < curve.Length; k++)
            {
                Assert.True(curve[k].TrainingLoss <= curve[k - 1].TrainingLoss * (1 + 1e-6),
                    $"{region.Key}: training loss {curve[k - 1].TrainingLoss:R} after {k} trees, {curve[k].TrainingLoss:R} after {k + 1}");
            }
            Assert.True(curve[^1].TrainingLoss < curve[0].TrainingLoss, $"{region.Key}: {curve[0].TrainingLoss:R} → {curve[^1].TrainingLoss:R}");
            Assert.True(curve[^1].ValidationLoss < curve[0].ValidationLoss, $"{region.Key}: {curve[0].ValidationLoss:R} → {curve[^1].ValidationLoss:R}");
        }
    }

    [Fact]
    public void The_last_validation_point_is_the_loss_of_the_saved_model_on_the_validation_objects()
    {
        string path = Path.Combine(_directory, "model.zip");
        Electrons.Train(Electrons.Config(path, trees: 30), path);
        Row[] rows = ReadCurves(Path.Combine(_directory, "model.curves.csv"));
        var model = GbdtModel.Load(path);

        // The validation electrons again, and the saved model's own predictions of y = E_true/E_raw on them.
        using EventBatch validation = Electrons.Gun(Electrons.ValidationEvents, Electrons.ValidationSeed);
        var matrix = new FeatureMatrix("Electron", model.Features);
        matrix.Check(validation);
        int objects = matrix.RowsOf(validation);
        float[] x = new float[objects * matrix.Width];
        matrix.Gather(validation, x);
        float[] eta = validation.GetColumn<float>("Electron_eta").Values.ToArray();
        float[] raw = validation.GetColumn<float>("Electron_energy").Values.ToArray();
        float[] truth = validation.GetColumn<float>("Electron_genEnergy").Values.ToArray();
        using EventBatch applied = validation.Clone();
        new GbdtRegressor(new GbdtConfig { Model = path }, new TestRunContext(RunMode.Apply)).Predict(applied);
        float[] calibrated = applied.GetColumn<float>("Electron_energyCalib").Values.ToArray();

        for (int r = 0; r < model.Regions.Count; r++)
        {
            float[] prediction = new float[objects];
            EnsembleEvaluator.Predict(model.Regions[r].Trees, x, prediction);
            // The objective LightGBM minimised (loss: relative): Σ w (ŷ − y)² / Σ w with w = 1/y², in the order and
            // precision training stores y and w (float).
            double loss = 0, weights = 0;
            // The same in physics terms: w (ŷ − y)² = ((E_calib − E_true)/E_true)², from the calibrated energy.
            double relative = 0;
            int used = 0;
            for (int i = 0; i < objects; i++)
            {
                bool barrel = Math.Abs(eta[i]) < 1.479;
                if ((r == 0) != barrel || !(truth[i] > 0 && raw[i] > 0))
                {
                    continue;
                }
                double ratio = (double)truth[i] / raw[i];
                float y = (float)ratio;
                float w = (float)(1 / (ratio * ratio));
                double diff = (double)prediction[i] - y;
                loss += w * diff * diff;
                weights += w;
                double error = (calibrated[i] - (double)truth[i]) / truth[i];
                relative += error * error;
                used++;
            }
            Assert.True(used > 100, $"{used} validation objects in {model.Regions[r].Name}");
            Row last = rows.Last(row => row.Region == model.Regions[r].Name);
            Assert.Equal(model.Regions[r].Trees.TreeCount, last.Trees);
            Assert.Equal(loss / weights, last.ValidationLoss, 1e-12 * last.ValidationLoss);
            // E_calib is rounded to float and the residuals are ~1% of E: agreement to ~1e-5, not bit for bit.
            Assert.Equal(relative / weights, last.ValidationLoss, 1e-4 * last.ValidationLoss);
            Assert.Equal(model.Regions[r].Metrics["loss"], last.ValidationLoss);
        }
    }

    [Fact]
    public void Early_stopping_keeps_the_curve_to_the_trees_it_kept_and_says_so()
    {
        string path = Path.Combine(_directory, "early.zip");
        GbdtConfig config = Electrons.Config(path, trees: 400);
        config.Regions = [new GbdtRegion { Name = "all", When = "Electron_energy > 0" }];
        config.LearningRate = 0.5;
        config.EarlyStopping = 3;
        var context = new TestRunContext(RunMode.Train);
        Electrons.Train(config, path, context: context);

        var model = GbdtModel.Load(path);
        int kept = model.Regions[0].Trees.TreeCount;
        Assert.InRange(kept, 1, 399);
        Row[] rows = ReadCurves(Path.Combine(_directory, "early.curves.csv"));
        Assert.Equal(Enumerable.Range(1, kept), rows.Select(r => r.Trees));
        Assert.Contains(context.Infos, m => m.Contains($"all: {kept} of 400 trees (early stopping)", StringComparison.Ordinal));
        AssertValidPng(Path.Combine(_directory, "early.curves.png"));
        Assert.Empty(context.Warnings);
    }

    /// <summary>The PNG signature, then an IHDR chunk with the plot's size.</summary>
    private static void AssertValidPng(string path)
    {
        Assert.True(File.Exists(path), path);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 1000, $"{path}: {bytes.Length} bytes");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal(13, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8)));
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(800, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(500, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}
