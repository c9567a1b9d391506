using System.Diagnostics;
using System.Globalization;
using EnergyRegression.Physics;
using EnergyRegression.Plugins.Regressors.Gbdt;
using EnergyRegression.Plugins.Regressors.Gbdt.Training;
using EnergyRegression.Plugins.Regressors.Gbdt.Trees;
using EnergyRegression.Core.Running;

namespace EnergyRegression.Benchmarks;

/// <summary>
/// <c>-- gbdt DIR [ROWS] [THREADS]</c>: the gbdt regressor against XGBoost (benchmarks/gbdt.sh runs both). Writes a seeded synthetic
/// regression set (ROWS × 20 features, a ratio-like target near 1) to DIR as raw float32 files for the XGBoost
/// script, trains 300 trees of depth ≤ 6 with LightGBM through ML.NET, and measures prediction throughput of the
/// project's evaluator (1 and all threads) and of ML.NET's own Transform pipeline on the same rows.
/// Prints <c>key value</c> lines.
/// </summary>
internal static class GbdtConsole
{
    public const int Features = 20;

    public static int Run(string[] args)
    {
        string directory = args.Length > 0 ? args[0] : "out/gbdt-bench";
        int rows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000;
        int threads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : Environment.ProcessorCount;
        Directory.CreateDirectory(directory);
        (float[] x, float[] y) = Synthetic(rows, seed: 1);
        (float[] testX, float[] testY) = Synthetic(rows / 4, seed: 2);
        WriteFloats(Path.Combine(directory, "train_x.f32"), x);
        WriteFloats(Path.Combine(directory, "train_y.f32"), y);
        WriteFloats(Path.Combine(directory, "test_x.f32"), testX);
        WriteFloats(Path.Combine(directory, "test_y.f32"), testY);

        var data = new RegionData(Features);
        for (int r = 0; r < rows; r++)
        {
            data.Add(x.AsSpan(r * Features, Features), y[r], 1 / (y[r] * y[r]), 1, y[r]);
        }
        // Matched with benchmarks/gbdt-xgboost.py: 300 trees, depth 6 (LightGBM: ≤ 63 leaves), η = 0.1, 255 bins.
        var hyper = new Hyperparameters(300, 63, 6, 0.1, 20, 1.0, 1.0, 0, 1.0, 255);
        var clock = Stopwatch.StartNew();
        TrainedTrees trees = new TreeTrainer(GbdtEngine.LightGbm, threads, 7, SilentConsole.Instance).Train(data, null, hyper, 0);
        double trainSeconds = clock.Elapsed.TotalSeconds;
        float[] prediction = new float[testY.Length];
        EnsembleEvaluator.Predict(trees.Ensemble, testX, prediction);
        double sigmaEff = Resolution.SigmaEff([.. prediction.Select((p, i) => (double)p / testY[i])]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"train_seconds {trainSeconds:F3}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sigma_eff {sigmaEff:F6}"));
        Console.WriteLine($"trees {trees.Ensemble.TreeCount} depth {trees.Ensemble.Depth} path {EnsembleEvaluator.Best}");

        float[] all = new float[rows];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"predict_1thread_rows_per_s {rows / Timing.BestSeconds(5, () => EnsembleEvaluator.Predict(trees.Ensemble, x, all)):F0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"predict_{threads}threads_rows_per_s {rows / Timing.BestSeconds(5, () => Parallel.For(0, threads, t =>
        {
            int first = (int)((long)rows * t / threads);
            int last = (int)((long)rows * (t + 1) / threads);
            EnsembleEvaluator.Predict(trees.Ensemble, x.AsSpan(first * Features, (last - first) * Features), all.AsSpan(first, last - first));
        })):F0}"));
        float[] mlnet = [];
        double mlnetSeconds = Timing.BestSeconds(2, () => mlnet = TreeTrainer.PredictWithMlNet(trees, x, Features));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"predict_mlnet_rows_per_s {rows / mlnetSeconds:F0}"));
        Console.WriteLine($"identical_to_mlnet {mlnet.AsSpan().SequenceEqual(all)}");
        return 0;
    }

    /// <summary>A smooth, interacting target near 1 (like E_true/E_raw) with 2% noise; features uniform in [−2, 2].</summary>
    private static (float[] X, float[] Y) Synthetic(int rows, int seed)
    {
        var random = new Random(seed);
        float[] x = new float[rows * Features];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = x.AsSpan(r * Features, Features);
            for (int f = 0; f < Features; f++)
            {
                row[f] = (float)(random.NextDouble() * 4 - 2);
            }
            double noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            y[r] = (float)(1 + 0.08 * Math.Sin(row[0]) + 0.03 * row[1] * row[2] + 0.02 * Math.Tanh(row[3] + row[4]) + 0.02 * noise);
        }
        return (x, y);
    }

    private static void WriteFloats(string path, float[] values)
    {
        using var file = File.Create(path);
        file.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }
}
