using EnergyRegression.Data;
using EnergyRegression.Models;
using EnergyRegression.Plugins;
using EnergyRegression.Running;

namespace MyPlugin.Tests;

public sealed class MyPluginRegressorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("my-plugin-tests-").FullName;

    private string ModelPath => Path.Combine(_folder, "model.zip");

    private MyPluginConfig Config(int epochs = 100) => new()
    {
        Model = ModelPath,
        Inputs = ["Electron_absEta", "rho"],
        Epochs = epochs,
    };

    // The simulated sample with |eta| added, as a `define` stage adds it in chain.yaml.
    private static IReadOnlyList<EventBatch> Sample(int events, int seed)
    {
        IReadOnlyList<EventBatch> batches = SimulatedSample.Electrons(events, seed).BuildBatches(500);
        foreach (EventBatch batch in batches)
        {
            Span<float> eta = batch.GetColumn<float>("Electron_eta").Values;
            Span<float> absEta = batch.AddObjectColumn<float>("Electron", "Electron_absEta").Values;
            for (int i = 0; i < eta.Length; i++)
            {
                absEta[i] = Math.Abs(eta[i]);
            }
        }
        return batches;
    }

    [Fact]
    public void Learns_the_energy_scale_and_writes_a_complete_model_card()
    {
        var trainer = new PluginHarness(RunMode.Train);
        IReadOnlyList<EventBatch> training = Sample(3000, seed: 1), validation = Sample(1000, seed: 2);

        ModelCard card = trainer.Train(trainer.Create<MyPluginRegressor>(Config()), training, validation, ModelPath);

        long objects = training.Sum(b => (long)b.GetCollection("Electron").TotalCount);
        Assert.Equal((objects, validation.Sum(b => (long)b.GetCollection("Electron").TotalCount)), (card.TrainingObjects, card.ValidationObjects));
        Assert.Equal(["Electron_absEta", "rho"], card.Inputs.Select(i => i.Name));
        Assert.Equal(3, card.Parameters);
        Assert.True(card.Metrics["validation_mse"] < 0.01, $"validation mse {card.Metrics["validation_mse"]}");
        Assert.Equal(100, trainer.Context.Progress.Single().Done);

        // Applied to other events, the calibrated energies are on scale; the raw ones are not.
        var applier = new PluginHarness();
        using StageRun run = applier.Run(applier.Create<MyPluginRegressor>(Config()), Sample(2000, seed: 3));
        Dataset result = run.Contents();
        double Median(string column) => result.Values[column].Select((e, i) => e / result.Values["Electron_genEnergy"][i]).Order()
            .ElementAt(result.Values[column].Count / 2);
        Assert.InRange(Median("Electron_energy"), 0.93, 0.97);
        Assert.InRange(Median("Electron_energyCalib"), 0.99, 1.01);
    }

    [Fact]
    public void Resuming_an_interrupted_training_gives_the_model_of_an_uninterrupted_one()
    {
        var harness = new PluginHarness(RunMode.Train);
        IReadOnlyList<EventBatch> training = Sample(1000, seed: 1);

        harness.Train(harness.Create<MyPluginRegressor>(Config(epochs: 30)), training, [], ModelPath);
        LinearModel straight = ReadModel();

        // 12 epochs, then the process "dies" before saving: only the checkpoint is left.
        harness.Create<MyPluginRegressor>(Config(epochs: 12)).Train(new TrainingData(training, []) { ModelPath = ModelPath }, harness.Context);
        Assert.True(File.Exists(MyPluginRegressor.CheckpointPath(ModelPath)));
        harness.Train(harness.Create<MyPluginRegressor>(Config(epochs: 30)), training, [], ModelPath, resume: true);
        LinearModel resumed = ReadModel();

        Assert.Equal(straight.Weights, resumed.Weights);
        Assert.Equal(straight.Bias, resumed.Bias);
        Assert.Contains("my-plugin: resuming from epoch 12", harness.Context.Infos[^2], StringComparison.Ordinal);
        Assert.False(File.Exists(MyPluginRegressor.CheckpointPath(ModelPath)), "the checkpoint is removed once the model is saved");
    }

    [Fact]
    public void Mismatched_inputs_and_missing_columns_are_errors_on_their_keys()
    {
        var trainer = new PluginHarness(RunMode.Train);
        trainer.Train(trainer.Create<MyPluginRegressor>(Config(epochs: 5)), Sample(200, seed: 1), [], ModelPath);

        var applier = new PluginHarness();
        var other = Config();
        other.Inputs = ["Electron_absEta"];
        Assert.Equal("inputs", Assert.Throws<ConfigValueException>(() => applier.Create<MyPluginRegressor>(other)).Key);

        var noTruth = Config();
        noTruth.TrueEnergy = "Electron_trueEnergy";
        ConfigValueException missing = Assert.Throws<ConfigValueException>(() =>
            trainer.Train(trainer.Create<MyPluginRegressor>(noTruth), Sample(200, seed: 1), [], ModelPath));
        Assert.Equal("true_energy", missing.Key);
    }

    private LinearModel ReadModel()
    {
        using var archive = ModelArchive.Open(ModelPath);
        return archive.ReadJson<LinearModel>("linear.json");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
