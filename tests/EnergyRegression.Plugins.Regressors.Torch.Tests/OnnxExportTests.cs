using EnergyRegression.Models;
using EnergyRegression.Onnx;
using EnergyRegression.Plugins.Regressors.Torch.Onnx;
using EnergyRegression.Running;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace EnergyRegression.Plugins.Regressors.Torch.Tests;

/// <summary>
/// Every network family, activation, loss and target exported to ONNX gives, in ONNX Runtime, what the model gives in
/// TorchSharp (TorchModel.Predict plus the target transform of TorchRegressor.Predict), to 1e-5 relative: random weights
/// (a fixed torch seed), random normalisation, random inputs.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class OnnxExportTests
{
    public OnnxExportTests() => TorchRuntime.Start();

    public static TheoryData<string, NetworkKind, ActivationKind, LossKind, TargetKind> Cases => new()
    {
        { "baseline", NetworkKind.Baseline, ActivationKind.Relu, LossKind.Mse, TargetKind.Energy },
        { "linear", NetworkKind.Linear, ActivationKind.Relu, LossKind.Relative, TargetKind.Ratio },
        { "mlp relu", NetworkKind.Mlp, ActivationKind.Relu, LossKind.Mse, TargetKind.Energy },
        { "mlp tanh, gaussian", NetworkKind.Mlp, ActivationKind.Tanh, LossKind.GaussianNll, TargetKind.Ratio },
        { "mlp silu, crystal ball", NetworkKind.Mlp, ActivationKind.Silu, LossKind.CrystalBall, TargetKind.Energy },
        { "mlp gelu", NetworkKind.Mlp, ActivationKind.Gelu, LossKind.TruncatedGaussian, TargetKind.Energy },
        { "cnn", NetworkKind.Cnn, ActivationKind.Relu, LossKind.Mse, TargetKind.Energy },
        { "cnn gelu, gaussian", NetworkKind.Cnn, ActivationKind.Gelu, LossKind.GaussianNll, TargetKind.Ratio },
        { "film-cnn", NetworkKind.FilmCnn, ActivationKind.Silu, LossKind.Mse, TargetKind.Ratio },
        { "cnn3d", NetworkKind.Cnn3d, ActivationKind.Relu, LossKind.Mse, TargetKind.Energy },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Exported_network_gives_the_torch_outputs_in_onnx_runtime(string name, NetworkKind kind, ActivationKind activation, LossKind loss, TargetKind target)
    {
        Assert.NotEmpty(name);
        var random = new Random(5);
        bool conv = kind is NetworkKind.Cnn or NetworkKind.FilmCnn or NetworkKind.Cnn3d;
        // Columns: a window (2-D image, or layers × h × w for cnn3d), scalars for the CNN head, a parameter; the raw energy.
        int[] image = kind == NetworkKind.Cnn3d ? [3, 8, 8] : [7, 9];
        var columns = new List<InputColumn>
        {
            new("Obj_window", InputRole.Input, image, Offset: 0, Scale: 1 / 40.0),
            new("Obj_eta", conv ? InputRole.Scalar : InputRole.Input, [], Offset: 0.1, Scale: 1 / 0.7),
            new("Obj_energy", conv ? InputRole.Scalar : InputRole.Input, [], Offset: 45, Scale: 1 / 20.0),
            new("Obj_scale", InputRole.Parameter, [], Offset: 1, Scale: 10),
        };
        var layout = new InputLayout("Obj", columns);
        int[] imageShape = layout.ImageShape(kind);
        var lossSpec = new LossSpec { Kind = loss, Range = [0.1, 2], SigmaMin = 0.01 };
        var spec = NetworkSpec.From(new NetworkConfig
        {
            Kind = kind, Hidden = [12, 6], Channels = [3, 4], Kernel = 3, Pool = 2, Dense = [8], FilmHidden = [5], Activation = activation,
        }, layout.Width, imageShape, conv ? layout.ScalarWidth : 0, lossSpec.Outputs);
        var description = new ModelDescription
        {
            Network = spec, Loss = lossSpec, Collection = "Obj", Inputs = columns,
            Target = new TargetSpec { Kind = target, Scale = 100, Truth = "Obj_genEnergy", Raw = "Obj_energy" },
        };
        manual_seed(17);
        using var model = new TorchModel(description, CPU);
        if (kind == NetworkKind.FilmCnn)
        {
            // FiLM starts as the plain CNN (γ = β = 0): give its generator weights so the test sees the modulation.
            using var noGrad = no_grad();
            foreach ((string parameter, Tensor tensor) in model.Network.named_parameters().Where(p => p.name.StartsWith("film.", StringComparison.Ordinal)))
            {
                tensor.copy_(randn_like(tensor) * 0.3);
            }
        }

        const int rows = 37;
        float[] window = Values(random, rows * columns[0].Size, 0, 80);
        float[] eta = Values(random, rows, -1.4, 1.4);
        float[] energy = Values(random, rows, 20, 100);
        float[] scale = Values(random, rows, 0.95, 1.05);
        float[] x = new float[rows * layout.Width];
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = x.AsSpan(r * layout.Width, layout.Width);
            window.AsSpan(r * columns[0].Size, columns[0].Size).CopyTo(row);
            row[columns[0].Size] = eta[r];
            row[columns[0].Size + 1] = energy[r];
            row[columns[0].Size + 2] = scale[r];
        }
        float[] mu = new float[rows], sigma = new float[rows];
        model.Predict(x, rows, mu, lossSpec.HasSigma ? sigma : [], 16);
        float[] expected = [.. mu.Select((m, i) => (float)model.Target.Energy(m, energy[i]))];
        float[] expectedSigma = [.. sigma.Select((s, i) => (float)model.Target.Energy(s, energy[i]))];

        string[] outputs = lossSpec.HasSigma ? ["Obj_energyNN", "Obj_energyNNSigma"] : ["Obj_energyNN"];
        byte[] onnx = TorchOnnxExporter.Build(model, Card(outputs));
        var info = OnnxModelInfo.Parse(onnx);
        Assert.Equal([new OnnxOpset("", TorchOnnxExporter.Opset)], info.Opsets);
        Assert.Equal(["Obj_window", "Obj_eta", "Obj_energy", "Obj_scale"], info.Inputs.Select(i => i.Name));
        Assert.Equal([.. new OnnxDimension[] { OnnxDimension.Named("N") }, .. image.Select(d => (OnnxDimension)d)], info.Inputs[0].Shape);
        Assert.Equal(outputs, info.Outputs.Select(o => o.Name));

        using var session = new InferenceSession(onnx);
        var feeds = new Dictionary<string, OrtValue>
        {
            ["Obj_window"] = OrtValue.CreateTensorValueFromMemory(window, [rows, .. image.Select(d => (long)d)]),
            ["Obj_eta"] = OrtValue.CreateTensorValueFromMemory(eta, [rows]),
            ["Obj_energy"] = OrtValue.CreateTensorValueFromMemory(energy, [rows]),
            ["Obj_scale"] = OrtValue.CreateTensorValueFromMemory(scale, [rows]),
        };
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, feeds, outputs);
        AssertClose(expected, results[0].GetTensorDataAsSpan<float>().ToArray());
        if (lossSpec.HasSigma)
        {
            AssertClose(expectedSigma, results[1].GetTensorDataAsSpan<float>().ToArray());
        }
        foreach (OrtValue v in feeds.Values)
        {
            v.Dispose();
        }
    }

    internal static ModelCard Card(IReadOnlyList<string> outputs) => new()
    {
        Plugin = "torch", PluginFormatVersion = 1, Architecture = "test", Inputs = [], Outputs = outputs,
        Target = new ModelTarget("energy", "test", []),
        Provenance = new Provenance { ToolVersion = "energyreg test", ConfigPath = "test.yaml", ConfigText = "", ConfigSha256 = "0", Seed = 1, InputFiles = [], StartedUtc = DateTimeOffset.UnixEpoch },
    };

    private static float[] Values(Random random, int n, double low, double high) =>
        [.. Enumerable.Range(0, n).Select(_ => (float)(low + (high - low) * random.NextDouble()))];

    /// <summary>Every value within 1e-5 relative (with a floor of 1e-5 of the largest value, for values near zero).</summary>
    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double floor = 1e-5 * expected.Max(v => Math.Abs((double)v));
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = Math.Max(1e-5 * Math.Abs(expected[i]), floor);
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"row {i}: torch {expected[i]:R}, ONNX Runtime {actual[i]:R}");
        }
        Assert.Contains(expected, v => v != expected[0]); // the rows differ: the inputs matter
    }
}
