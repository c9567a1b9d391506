using EnergyRegression.Data;
using EnergyRegression.Models;
using EnergyRegression.Running;
using static TorchSharp.torch;

namespace EnergyRegression.Plugins.Regressors.Torch.Tests;

/// <summary>Training behaviour on small synthetic sets with known answers: determinism, saving, resuming, sources, parameters.</summary>
[Collection(TorchCollection.Name)]
public sealed class TrainingTests
{
    private static readonly Provenance TestProvenance = new()
    {
        ToolVersion = "test", ConfigPath = "test.yaml", ConfigText = "", ConfigSha256 = "0123456789abcdef", Seed = 7, InputFiles = [],
        StartedUtc = DateTimeOffset.UnixEpoch,
    };

    /// <summary>x uniform in [0.5, 1.5] and y = slope·x (+ noise), one object per event, in collection Obj.</summary>
    private static EventBatch Line(int n, int seed, double slope = 1, double noise = 0, double offset = 0)
    {
        var random = new Random(seed);
        double[] x = [.. Enumerable.Range(0, n).Select(_ => 0.5 + random.NextDouble())];
        double[] e = [.. Enumerable.Range(0, n).Select(_ => NextGaussian(random))];
        return Samples.Objects(n,
            ("Obj_x", [], (i, _) => (float)x[i]),
            ("Obj_true", [], (i, _) => (float)((slope * x[i]) + offset + (noise * e[i]))));
    }

    private static double NextGaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static TorchRegressorConfig LineConfig(NetworkKind kind = NetworkKind.Linear, int epochs = 5) => new()
    {
        Collection = "Obj",
        Inputs = ["Obj_x"],
        Network = new NetworkConfig { Kind = kind, Hidden = [16, 16] },
        Target = new TargetConfig { Truth = "Obj_true", Scale = 1 },
        Training = new TrainingConfig { Epochs = epochs, BatchSize = 32, LearningRate = 0.01, Checkpoints = false, Curves = false },
        Device = DeviceKind.Cpu,
        Threads = 1,   // tiny networks: more threads only add synchronisation
    };

    private static byte[] Weights(TorchRegressor regressor)
    {
        using var stream = new MemoryStream();
        regressor.Model!.SaveWeights(stream);
        return stream.ToArray();
    }

    private static float[] Predict(TorchRegressor regressor, EventBatch batch, string column = "Obj_energyNN")
    {
        using EventBatch copy = batch.Clone();
        regressor.Predict(copy);
        return copy.GetColumn<float>(column).Values.ToArray();
    }

    [Fact]
    public void Two_cpu_runs_with_the_same_seed_give_identical_weights()
    {
        using EventBatch train = Line(600, 1, noise: 0.05), validation = Line(200, 2, noise: 0.05);
        TorchRegressorConfig config = LineConfig(NetworkKind.Mlp, epochs: 3);
        using TorchRegressor a = Samples.Train(config, [train], [validation]);
        using TorchRegressor b = Samples.Train(config, [train], [validation]);
        Assert.Equal(Weights(a), Weights(b));
        using TorchRegressor c = Samples.Train(config, [train], [validation], context: new TestRunContext(RunMode.Train, 8));
        Assert.NotEqual(Weights(a), Weights(c));
    }

    [Fact]
    public void Saved_model_predicts_exactly_as_the_trained_one_and_its_card_describes_it()
    {
        using var dir = new TempDir();
        using EventBatch train = Line(500, 3, slope: 2), validation = Line(200, 4, slope: 2);
        TorchRegressorConfig config = LineConfig(NetworkKind.Mlp, epochs: 3);
        config.Loss = new LossConfig { Kind = LossKind.GaussianNll };
        using TorchRegressor trained = Samples.Train(config, [train], [validation]);
        string path = dir.File("line.model");
        trained.SaveModel(path, TestProvenance);

        config.Model = path;
        using var applied = new TorchRegressor(config, new TestRunContext(RunMode.Apply, 7));
        Assert.Equal(Predict(trained, validation), Predict(applied, validation));
        Assert.Equal(Predict(trained, validation, "Obj_energyNNSigma"), Predict(applied, validation, "Obj_energyNNSigma"));

        using var archive = ModelArchive.Open(path);
        ModelCard card = archive.Card;
        Assert.Equal("torch", card.Plugin);
        Assert.Equal("Obj", card.Collection);
        Assert.Equal("Obj_x", Assert.Single(card.Inputs).Name);
        Assert.Empty(card.Inputs[0].Shape);
        Assert.Equal(["Obj_energyNN", "Obj_energyNNSigma"], card.Outputs);
        Assert.Equal("energy", card.Target.Kind);
        Assert.Equal(["Obj_true"], card.Target.Columns);
        // 1→16→16→2: 32 + 272 + 34
        Assert.Equal(338, card.Parameters);
        Assert.Equal(["dense1", "dense2", "output"], card.Layers.Select(l => l.Name));
        Assert.Equal(500, card.TrainingObjects);
        Assert.Equal(200, card.ValidationObjects);
        Assert.Contains("validation_rmse", card.Metrics.Keys);
        Assert.Equal("GaussianNll", card.Hyperparameters["loss"]);
    }

    [Fact]
    public void Resuming_from_a_checkpoint_continues_exactly_as_an_uninterrupted_run()
    {
        using var dir = new TempDir();
        using EventBatch train = Line(400, 5, noise: 0.1), validation = Line(200, 6, noise: 0.1);
        TorchRegressorConfig config = LineConfig(NetworkKind.Mlp, epochs: 4);
        config.Training.Checkpoints = true;
        config.Training.Curves = true;
        using TorchRegressor whole = Samples.Train(config, [train], [validation], dir.File("whole.model"));

        config.Training.Epochs = 2;
        using (Samples.Train(config, [train], [validation], dir.File("part.model")))
        {
        }
        Assert.True(File.Exists(dir.File("part.checkpoint")));
        config.Training.Epochs = 4;
        var context = new TestRunContext(RunMode.Train, 7);
        using TorchRegressor resumed = Samples.Train(config, [train], [validation], dir.File("part.model"), resume: true, context);
        Assert.Contains(context.Infos, m => m.Contains("resuming from", StringComparison.Ordinal) && m.Contains("after epoch 2", StringComparison.Ordinal));
        Assert.Equal(Weights(whole), Weights(resumed));
        Assert.Equal(whole.Outcome!.Curve.Select(r => r.ValidationLoss), resumed.Outcome!.Curve.Select(r => r.ValidationLoss));
        string[] csv = File.ReadAllLines(dir.File("part.curves.csv"));
        Assert.Equal("epoch,learning_rate,training_loss,validation_loss,validation_rmse,seconds", csv[0]);
        Assert.Equal(5, csv.Length);
        Assert.True(new FileInfo(dir.File("part.curves.png")).Length > 1000);
    }

    [Fact]
    public void Resuming_with_another_network_is_refused()
    {
        using var dir = new TempDir();
        using EventBatch train = Line(100, 5), validation = Line(50, 6);
        TorchRegressorConfig config = LineConfig(NetworkKind.Mlp, epochs: 1);
        config.Training.Checkpoints = true;
        using (Samples.Train(config, [train], [validation], dir.File("m.model")))
        {
        }
        config.Network.Hidden = [8];
        var e = Assert.Throws<InputDataException>(() => Samples.Train(config, [train], [validation], dir.File("m.model"), resume: true));
        Assert.Contains("another network", e.Message);
    }

    [Fact]
    public void Early_stopping_keeps_the_best_epoch()
    {
        // min_delta larger than any possible gain: only the first epoch improves (on infinity), so training stops
        // after patience more epochs and keeps the first epoch's weights.
        using EventBatch train = Line(400, 7, slope: 1), validation = Line(200, 8, slope: 1);
        TorchRegressorConfig config = LineConfig(NetworkKind.Linear, epochs: 20);
        config.Training.Patience = 2;
        config.Training.MinDelta = 1e6;
        using TorchRegressor regressor = Samples.Train(config, [train], [validation]);
        TrainingOutcome outcome = regressor.Outcome!;
        Assert.True(outcome.StoppedEarly);
        Assert.Equal(1, outcome.BestEpoch);
        Assert.Equal(3, outcome.Curve.Count);
        Assert.Equal(outcome.BestEpoch, outcome.Metrics["best_epoch"]);
        Assert.Equal(outcome.Curve[0].ValidationLoss, outcome.Metrics["validation_loss"], 5);
    }

    [Fact]
    public void Combined_sources_weight_their_losses()
    {
        // Source 1 says y = 2x, source 2 says y = 3x: the fitted slope follows the weights.
        using EventBatch one = Line(600, 9, slope: 2), two = Line(600, 9, slope: 3);   // the same x
        EventBatch Tag(EventBatch b, int source)
        {
            EventBatch c = b.Clone();
            c.AddObjectColumn<int>("Obj", "Obj_source").Values.Fill(source);
            return c;
        }
        using EventBatch a = Tag(one, 1), b = Tag(two, 2);
        double Slope(Dictionary<string, double> weights)
        {
            // Full-batch steps with a cosine decay: the exact weighted objective, no mini-batch noise.
            TorchRegressorConfig config = LineConfig(NetworkKind.Linear, epochs: 300);
            config.Training.BatchSize = 1200;
            config.Training.LearningRate = 0.05;
            config.Training.Schedule = ScheduleKind.Cosine;
            config.Loss = new LossConfig { Source = "Obj_source", SourceWeights = weights };
            using TorchRegressor r = Samples.Train(config, [a, b], [a, b]);
            using EventBatch probe = Samples.Objects(2, ("Obj_x", [], (i, _) => i + 1f), ("Obj_true", [], (_, _) => 1f));
            float[] y = Predict(r, probe);
            return y[1] - y[0];
        }
        double[] slopes = [Slope(new() { ["1"] = 1, ["2"] = 0 }), Slope(new() { ["1"] = 0, ["2"] = 1 }),
            Slope(new() { ["1"] = 1, ["2"] = 1 }), Slope(new() { ["1"] = 1, ["2"] = 4 })];
        // Weighted least squares of two lines: slope (2 w1 + 3 w2)/(w1 + w2).
        double[] expected = [2, 3, 2.5, 2.8];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(slopes[i] - expected[i]) < 0.03, $"slopes {string.Join(", ", slopes)}, expected {string.Join(", ", expected)}");
        }
    }

    [Fact]
    public void Parameterised_network_interpolates_between_trained_parameter_values()
    {
        using var dir = new TempDir();
        var random = new Random(12);
        int n = 3000;
        double[] p = [.. Enumerable.Range(0, n).Select(i => new[] { 0.8, 1.0, 1.2 }[i % 3])];
        double[] x = [.. Enumerable.Range(0, n).Select(_ => 0.5 + random.NextDouble())];
        using EventBatch train = Samples.Objects(n, ("Obj_x", [], (i, _) => (float)x[i]), ("Obj_p", [], (i, _) => (float)p[i]),
            ("Obj_true", [], (i, _) => (float)(p[i] * x[i])));
        TorchRegressorConfig config = LineConfig(NetworkKind.Mlp, epochs: 25);
        config.Parameters = ["Obj_p"];
        config.Network.Hidden = [32, 32];
        config.Network.Activation = ActivationKind.Tanh;
        config.Training.Schedule = ScheduleKind.Cosine;
        using TorchRegressor trained = Samples.Train(config, [train], [train]);
        trained.SaveModel(dir.File("p.model"), TestProvenance);
        using EventBatch probe = Samples.Objects(5, ("Obj_x", [], (i, _) => 0.6f + (0.2f * i)), ("Obj_p", [], (_, _) => 1f));
        foreach (double value in new[] { 0.9, 1.1 })
        {
            config.Model = dir.File("p.model");
            config.ParameterValues = new() { ["Obj_p"] = value };
            using var applied = new TorchRegressor(config, new TestRunContext(RunMode.Apply, 7));
            float[] y = Predict(applied, probe);
            for (int i = 0; i < 5; i++)
            {
                double expected = value * (0.6 + (0.2 * i));
                Assert.InRange(y[i] / expected, 0.97, 1.03);
            }
        }
    }

    [Fact]
    public void Gaussian_nll_learns_a_per_object_uncertainty()
    {
        // y = x + N(0, 0.02 + 0.1 (x − 0.5)): σ grows from 0.02 to 0.12 across the range.
        var random = new Random(13);
        int n = 6000;
        double[] x = [.. Enumerable.Range(0, n).Select(_ => 0.5 + random.NextDouble())];
        double[] y = [.. x.Select(v => v + ((0.02 + (0.1 * (v - 0.5))) * NextGaussian(random)))];
        using EventBatch train = Samples.Objects(n, ("Obj_x", [], (i, _) => (float)x[i]), ("Obj_true", [], (i, _) => (float)y[i]));
        TorchRegressorConfig config = LineConfig(NetworkKind.Mlp, epochs: 12);
        config.Loss = new LossConfig { Kind = LossKind.GaussianNll };
        config.Training.BatchSize = 64;
        using TorchRegressor r = Samples.Train(config, [train], [train]);
        using EventBatch probe = Samples.Objects(2, ("Obj_x", [], (i, _) => i == 0 ? 0.6f : 1.4f), ("Obj_true", [], (_, _) => 1f));
        float[] sigma = Predict(r, probe, "Obj_energyNNSigma");
        Assert.InRange(sigma[0], 0.02, 0.05);   // true 0.03
        Assert.InRange(sigma[1], 0.09, 0.14);   // true 0.11
    }

    [Fact(Skip = "Known defect (issue 22 note, 2026-12-07): passes alone and with every other class of this project except SimulatedLearningTests; after those, Adam.step fails with libtorch's 'Unknown scalar type' (state left behind in the process). Unskip when that is found.")]
    public void Truncated_gaussian_removes_the_boundary_kink_of_mse()
    {
        // A bounded target y ∈ [0.2, 1] measured as x = y + N(0, c√y): MSE learns E[y|x], pulled inwards at both edges (a
        // bias of the response near the boundaries); the truncated-Gaussian likelihood learns ŷ ≈ x, unbiased up to the edges.
        const double a = 0.2, b = 1.0, c = 0.05;
        var random = new Random(14);
        int n = 20000;
        double[] truth = [.. Enumerable.Range(0, n).Select(_ => a + ((b - a) * random.NextDouble()))];
        double[] measured = [.. truth.Select(t => t + (c * Math.Sqrt(t) * NextGaussian(random)))];
        using EventBatch train = Samples.Objects(n, ("Obj_x", [], (i, _) => (float)measured[i]), ("Obj_true", [], (i, _) => (float)truth[i]));

        (double Low, double High, double Middle) EdgeBias(LossKind kind)
        {
            TorchRegressorConfig config = LineConfig(NetworkKind.Mlp, epochs: 20);
            config.Network.Activation = ActivationKind.Tanh;
            config.Training.BatchSize = 128;
            config.Training.LearningRate = 0.003;
            config.Training.Schedule = ScheduleKind.Cosine;
            config.Loss = new LossConfig { Kind = kind, Range = [a, b], SigmaCoefficient = c };
            using TorchRegressor r = Samples.Train(config, [train], [train]);
            float[] y = Predict(r, train);
            double Bias(Func<double, bool> where)
            {
                int[] rows = [.. Enumerable.Range(0, n).Where(i => where(truth[i]))];
                return rows.Average(i => y[i] - truth[i]);
            }
            return (Bias(t => t < a + 0.03), Bias(t => t > b - 0.05), Bias(t => t is > 0.5 and < 0.7));
        }
        (double mseLow, double mseHigh, double mseMiddle) = EdgeBias(LossKind.Mse);
        (double tLow, double tHigh, double tMiddle) = EdgeBias(LossKind.TruncatedGaussian);
        Assert.True(mseLow > 0.008 && mseHigh < -0.015, $"MSE edge biases {mseLow:F4}, {mseHigh:F4}");
        Assert.True(Math.Abs(tLow) < 0.4 * mseLow && Math.Abs(tHigh) < 0.4 * -mseHigh, $"truncated edge biases {tLow:F4}, {tHigh:F4} vs MSE {mseLow:F4}, {mseHigh:F4}");
        Assert.True(Math.Abs(mseMiddle) < 0.005 && Math.Abs(tMiddle) < 0.005, $"middle biases {mseMiddle:F4}, {tMiddle:F4}");
    }
}
