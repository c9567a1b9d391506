using EnergyRegression.Data;
using EnergyRegression.Models;
using EnergyRegression.Running;
using TorchSharp;
using static TorchSharp.torch;

namespace EnergyRegression.Plugins.Regressors.Torch.Tests;

/// <summary>What a user can get wrong gives one clear message naming the key and the column.</summary>
[Collection(TorchCollection.Name)]
public sealed class ErrorTests
{
    private static readonly Provenance TestProvenance = new()
    {
        ToolVersion = "test", ConfigPath = "t.yaml", ConfigText = "", ConfigSha256 = "00", Seed = 1, InputFiles = [], StartedUtc = DateTimeOffset.UnixEpoch,
    };

    private static EventBatch Images(int n, int side, string name = "Obj_img") => Samples.Objects(n,
        (name, [side, side], (i, k) => ((i * 7) + k) % 5),
        ("Obj_true", [], (i, _) => 1 + (i % 3)));

    private static TorchRegressorConfig ImageConfig(string input = "Obj_img") => new()
    {
        Collection = "Obj",
        Inputs = [input],
        Network = new NetworkConfig { Kind = NetworkKind.Cnn, Channels = [2], Dense = [4], Kernel = 3 },
        Target = new TargetConfig { Truth = "Obj_true", Scale = 1 },
        Training = new TrainingConfig { Epochs = 1, Checkpoints = false, Curves = false },
        Device = DeviceKind.Cpu,
        Threads = 1,
    };

    [Fact]
    public void A_missing_input_column_is_named_with_the_closest_existing_one()
    {
        using EventBatch batch = Images(20, 4);
        var e = Assert.Throws<ConfigValueException>(() => Samples.Train(ImageConfig("Obj_im"), [batch], [batch]));
        Assert.Equal("inputs", e.Key);
        Assert.Contains("no column 'Obj_im'", e.Message);
        Assert.Contains("Obj_img", e.Message);
    }

    [Fact]
    public void A_cnn_on_a_scalar_column_says_which_shape_it_needs()
    {
        using EventBatch batch = Images(20, 4);
        var e = Assert.Throws<ConfigValueException>(() => Samples.Train(ImageConfig("Obj_true"), [batch], [batch]));
        Assert.Equal("inputs", e.Key);
        Assert.Contains("column 'Obj_true' has shape scalar", e.Message);
    }

    [Fact]
    public void A_missing_truth_column_is_named()
    {
        using EventBatch batch = Images(20, 4);
        TorchRegressorConfig config = ImageConfig();
        config.Target.Truth = "Obj_truth";
        var e = Assert.Throws<ConfigValueException>(() => Samples.Train(config, [batch], [batch]));
        Assert.Equal("target.truth", e.Key);
        Assert.Contains("'Obj_truth'", e.Message);
    }

    [Fact]
    public void Applying_checks_the_chain_gives_the_models_columns_with_their_shapes()
    {
        using var dir = new TempDir();
        using EventBatch batch = Images(20, 4);
        using (TorchRegressor trained = Samples.Train(ImageConfig(), [batch], [batch]))
        {
            trained.SaveModel(dir.File("m.model"), TestProvenance);
        }
        TorchRegressorConfig config = ImageConfig();
        config.Model = dir.File("m.model");
        using var applied = new TorchRegressor(config, new TestRunContext(RunMode.Apply, 7));

        using EventBatch wrongShape = Images(3, 5);
        var shape = Assert.Throws<ConfigValueException>(() => applied.Predict(wrongShape));
        Assert.Equal("model", shape.Key);
        Assert.Contains("'Obj_img' has shape 5×5, the model was trained on 4×4", shape.Message);

        using EventBatch missing = Images(3, 4, "Obj_image");
        var gone = Assert.Throws<ConfigValueException>(() => applied.Predict(missing));
        Assert.Contains("'Obj_img' (4×4) is missing", gone.Message);
        Assert.Contains(dir.File("m.model"), gone.Message);
    }

    [Fact]
    public void Applying_without_a_model_file_names_the_key_or_the_file()
    {
        TorchRegressorConfig config = ImageConfig();
        var none = Assert.Throws<ConfigValueException>(() => new TorchRegressor(config, new TestRunContext(RunMode.Apply, 7)));
        Assert.Equal("model", none.Key);
        config.Model = "/nonexistent/m.model";
        var missing = Assert.Throws<InputDataException>(() => new TorchRegressor(config, new TestRunContext(RunMode.Apply, 7)));
        Assert.Contains("no such model file", missing.Message);
        // Training does not need the file.
        using var training = new TorchRegressor(config, new TestRunContext(RunMode.Train, 7));
    }

    [Fact]
    public void A_model_of_another_plugin_is_refused()
    {
        using var dir = new TempDir();
        using (var writer = ModelArchiveWriter.Create(dir.File("gbdt.model")))
        {
            writer.Commit(new ModelCard
            {
                Plugin = "gbdt", PluginFormatVersion = 1, Architecture = "trees", Inputs = [], Outputs = [],
                Target = new ModelTarget("ratio", "y", []), Provenance = TestProvenance,
            });
        }
        TorchRegressorConfig config = ImageConfig();
        config.Model = dir.File("gbdt.model");
        var e = Assert.Throws<InputDataException>(() => new TorchRegressor(config, new TestRunContext(RunMode.Apply, 7)));
        Assert.Contains("written by plugin 'gbdt'", e.Message);
    }

    [Fact]
    public void Cuda_on_a_cpu_only_machine_falls_back_with_auto_and_is_a_clear_error_with_cuda()
    {
        TorchRuntime.Start();
        var messages = new List<string>();
        Assert.Equal(DeviceType.CPU, TorchRuntime.Select(DeviceKind.Auto, () => false, messages.Add));
        Assert.Contains("no CUDA device, using the CPU", Assert.Single(messages));
        var e = Assert.Throws<ConfigValueException>(() => TorchRuntime.Select(DeviceKind.Cuda, () => false));
        Assert.Equal("device", e.Key);
        Assert.Contains("no usable CUDA device", e.Message);
        Assert.Equal(DeviceType.CUDA, TorchRuntime.Select(DeviceKind.Auto, () => true));
        Assert.Equal(DeviceType.CPU, TorchRuntime.Select(DeviceKind.Cpu, () => true));
        if (!TorchRuntime.CudaAvailable())
        {
            // This machine: the plugin itself refuses cuda at construction, before any work.
            TorchRegressorConfig config = ImageConfig();
            config.Device = DeviceKind.Cuda;
            Assert.Equal("device", Assert.Throws<ConfigValueException>(() => new TorchRegressor(config, new TestRunContext(RunMode.Train, 7))).Key);
        }
    }

    [Theory]
    [InlineData("network.kernel", "kernel")]
    [InlineData("loss.range", "range")]
    [InlineData("scalars", "scalars")]
    [InlineData("training.batch_size", "batch_size")]
    public void Config_errors_name_their_key(string what, string key)
    {
        TorchRegressorConfig config = ImageConfig();
        Action validate = what switch
        {
            "network.kernel" => () => new NetworkConfig { Kernel = 4 }.Validate(),
            "loss.range" => () => new LossConfig { Kind = LossKind.TruncatedGaussian }.Validate(),
            "scalars" => () => new TorchRegressorConfig { Collection = "Obj", Inputs = ["a"], Scalars = ["b"], Network = new NetworkConfig { Kind = NetworkKind.Mlp } }.Validate(),
            _ => () => new TrainingConfig { BatchSize = 0 }.Validate(),
        };
        Assert.Equal(key, Assert.Throws<ConfigValueException>(validate).Key);
    }
}
