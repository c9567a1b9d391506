using EnergyRegression.Data;
using Xunit.Abstractions;

namespace EnergyRegression.Plugins.Regressors.Torch.Tests;

/// <summary>
/// The seeds' study (../shared/PHYSICS.md, seed 1) in small: on simulated particle-gun electrons with pile-up, the CNN
/// beats the linear regression on the window, which beats the a·ΣE + b baseline, on validation RMSE of E/100 GeV.
/// Measured here (2026-11-25, ⟨μ⟩ = 60, 3,200 + 800 events): baseline 0.0247, linear 0.0094 (converged), the seeds'
/// CNN 0.0075 after the seeds' 2,000 steps (0.0132 after 500: the CNN needs the seeds' budget to pass the linear
/// model; the seeds' smaller 8/16-channel CNN reached 0.0088).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class SimulatedLearningTests(ITestOutputHelper output)
{
    private static TorchRegressorConfig Seed(NetworkKind kind, int epochs, int steps, int batch = 32, double rate = 0.001) => new()
    {
        Collection = "Electron",
        Inputs = ["Electron_window28x28"],
        Network = new NetworkConfig { Kind = kind, Hidden = [10, 10], Channels = [32, 64], Dense = [64] },
        Target = new TargetConfig { Truth = "Electron_genEnergy", Scale = 100 },
        Training = new TrainingConfig
        {
            Epochs = epochs, StepsPerEpoch = steps, BatchSize = batch, LearningRate = rate, Schedule = ScheduleKind.Cosine,
            Checkpoints = false, Curves = false,
        },
        Device = DeviceKind.Cpu,
        Threads = 2,
    };

    [Fact]
    public void Cnn_beats_linear_beats_the_baseline_on_simulated_electrons()
    {
        // The seeds' gun (e+ 20–100 GeV at η = 0, φ = π/2), 3,200 training events as theirs, 800 for validation. In the
        // clean sample ΣE of the window is within 1% of E and the baseline is hard to beat; pile-up ⟨μ⟩ = 60 adds energy
        // the shower does not explain, which per-crystal weights (linear) and shapes (CNN) can remove and a·ΣE + b cannot.
        using EventBatch all = Samples.Gun(4000, pileup: 60);
        using EventBatch training = Samples.Select(all, i => i < 3200), validation = Samples.Select(all, i => i >= 3200);
        double Rmse(TorchRegressorConfig config)
        {
            using TorchRegressor r = Samples.Train(config, [training], [validation]);
            double rmse = r.Outcome!.Metrics["validation_rmse"];
            output.WriteLine($"{config.Network.Kind}: validation RMSE {rmse:F4} (E/100 GeV), {r.Model!.Network.ParameterCount} parameters");
            return rmse;
        }
        // The two small models take large batches and rate, so that 600 steps reach their optimum (the linear model at the
        // seeds' rate and batch is still far from it after 2,000 steps); the CNN the seeds' batch 32, rate 0.001 and 2,000 steps.
        double baseline = Rmse(Seed(NetworkKind.Baseline, 6, 100, 256, 0.03));
        double linear = Rmse(Seed(NetworkKind.Linear, 6, 100, 256, 0.03));
        double cnn = Rmse(Seed(NetworkKind.Cnn, 20, 100));
        Assert.True(linear < 0.7 * baseline, $"RMSE linear {linear:F4}, baseline {baseline:F4}");
        Assert.True(cnn < 0.95 * linear, $"RMSE cnn {cnn:F4}, linear {linear:F4}");
    }

    [Fact(Skip = "Known defect (issue 22 note, 2026-12-07): NaN training losses whenever another training ran before it in the process (alone it passes; a chain with the same settings gave NaN once, finite once). Suspected: per-pixel normalisation with near-zero standard deviations for pixels the shift augmentation fills. Unskip when fixed.")]
    public void Film_cnn_with_scalars_and_augmentation_trains_and_predicts_with_an_uncertainty()
    {
        using EventBatch all = Samples.Gun(600);
        using EventBatch training = Samples.Select(all, i => i < 400), validation = Samples.Select(all, i => i >= 400);
        TorchRegressorConfig config = Seed(NetworkKind.FilmCnn, 2, 10);
        config.Network.Channels = [8, 8];
        config.Network.Dense = [16];
        config.Scalars = ["Electron_eta", "Electron_energy"];
        config.Target = new TargetConfig { Kind = TargetKind.Ratio, Truth = "Electron_genEnergy", Raw = "Electron_energy" };
        config.Loss = new LossConfig { Kind = LossKind.CrystalBall };
        config.Training.Augment = new AugmentConfig { FlipEta = true, FlipPhi = true, Shift = 2 };
        using TorchRegressor r = Samples.Train(config, [training], [validation]);
        Assert.All(r.Outcome!.Curve, e => Assert.True(double.IsFinite(e.TrainingLoss) && double.IsFinite(e.ValidationLoss)));
        using EventBatch copy = validation.Clone();
        r.Predict(copy);
        float[] energy = copy.GetColumn<float>("Electron_energyNN").Values.ToArray();
        float[] sigma = copy.GetColumn<float>("Electron_energyNNSigma").Values.ToArray();
        float[] raw = copy.GetColumn<float>("Electron_energy").Values.ToArray();
        Assert.Equal(200, energy.Length);
        Assert.All(energy, e => Assert.True(float.IsFinite(e) && e > 0));
        Assert.All(sigma, s => Assert.True(float.IsFinite(s) && s > 0));
        // A ratio target: the prediction is ŷ · E_raw, so the calibrated energy scales with the raw energy.
        Assert.InRange(energy.Zip(raw, (e, w) => e / w).Average(), 0.8, 1.6);
    }
}
