using System.Globalization;
using System.Text.Json;
using EnergyRegression.Models;
using EnergyRegression.Onnx;
using static TorchSharp.torch;

namespace EnergyRegression.Plugins.Regressors.Torch.Onnx;

/// <summary>
/// Writes a trained network as an ONNX graph (docs/onnx.md), built from the model's description (<see cref="NetworkSpec"/>,
/// input layout, loss, target) and its state dict — TorchSharp has no ONNX exporter. The graph repeats what
/// <see cref="TorchModel.Predict"/> and <see cref="TorchRegressor.Predict"/> compute, operation by operation:
/// <list type="number">
/// <item>one input per column (<c>float[N, shape…]</c>, named after the column), flattened and normalised
///   <c>(x − offset)·scale</c> with the model's float32 offsets and scales, side by side in layout order;</item>
/// <item>the network: <c>Gemm</c> (x·Wᵀ + b) for dense layers, <c>ReduceSum</c> for the baseline, <c>Conv</c> with
///   same padding, FiLM's (1 + γ)·h + β, the activation (ReLU, tanh, x·σ(x) for SiLU, x·½(1 + erf(x/√2)) for GELU as
///   torch's exact GELU), <c>MaxPool</c>, flatten and the scalars joined;</item>
/// <item>the target transform: μ·scale (energy targets) or μ·E_raw (ratio targets, E_raw a graph input), and for
///   likelihood losses σ = (σ_min + softplus(raw σ))·scale (or ·E_raw) as a second output.</item>
/// </list>
/// Operator set: ai.onnx 17.
/// </summary>
internal static class TorchOnnxExporter
{
    public const int Opset = 17;
    private static readonly OnnxDimension Objects = OnnxDimension.Named("N");

    /// <summary>Exports the model file <paramref name="modelPath"/> (loaded on the CPU) to <paramref name="destination"/>.</summary>
    public static void Export(string modelPath, Stream destination)
    {
        using var archive = ModelArchive.Open(modelPath);
        ModelCard card = archive.Card;
        using var model = TorchModel.Load(modelPath, CPU);
        byte[] bytes = Build(model, card);
        destination.Write(bytes);
    }

    /// <summary>The serialised ONNX model of <paramref name="model"/>; <paramref name="card"/> names the outputs and is embedded.</summary>
    public static byte[] Build(TorchModel model, ModelCard card)
    {
        var g = new OnnxGraphBuilder("energyreg_" + model.Description.Network.Kind.ToString().ToLowerInvariant());
        Dictionary<string, Tensor> state = model.Network.state_dict();
        string x = InputRows(g, model);
        var net = new NetworkGraph(g, model.Description.Network, state);
        string output = net.Forward(x);
        AddOutputs(g, model, card, output);
        var metadata = new Dictionary<string, string>
        {
            [OnnxModelInfo.CardKey] = JsonSerializer.Serialize(card, ModelArchive.Json),
            [OnnxModelInfo.TargetKey] = model.Target.Definition,
            ["energyreg.collection"] = model.Layout.Collection,
        };
        return g.ToBytes([new OnnxOpset("", Opset)], OnnxModelInfo.ProducerName, card.Provenance.ToolVersion.Split(' ')[^1],
            $"energyreg torch model: {card.Architecture}", metadata);
    }

    /// <summary>The graph inputs, flattened, normalised and joined into rows [N, width].</summary>
    private static string InputRows(OnnxGraphBuilder g, TorchModel model)
    {
        var parts = new List<string>();
        foreach (InputColumn column in model.Layout.Columns)
        {
            string input = g.Input(column.Name, OnnxElementType.Float, [Objects, .. column.Shape.Select(d => (OnnxDimension)d)]);
            string flat = g.Node("Flatten", [input], OnnxAttribute.Int("axis", 1));
            float offset = (float)column.Offset, scale = (float)column.Scale;
            if (offset != 0)
            {
                flat = g.Node("Sub", [flat, g.Scalar("offset", offset)]);
            }
            if (scale != 1)
            {
                flat = g.Node("Mul", [flat, g.Scalar("scale", scale)]);
            }
            parts.Add(flat);
        }
        return parts.Count == 1 ? parts[0] : g.Node("Concat", parts, OnnxAttribute.Int("axis", 1));
    }

    /// <summary>μ (and σ) from the network's raw outputs [N, K], through the loss's mapping and the target transform.</summary>
    private static void AddOutputs(OnnxGraphBuilder g, TorchModel model, ModelCard card, string output)
    {
        string? raw = null;
        if (model.Target.Kind == TargetKind.Ratio)
        {
            string rawName = model.Target.Raw ?? throw new InvalidOperationException("a ratio target without its raw energy column");
            InputColumn? asInput = model.Layout.Columns.FirstOrDefault(c => c.Name == rawName);
            if (asInput is not null && asInput.Size != 1)
            {
                throw new NotSupportedException($"the raw energy '{rawName}' is an input of shape {InputLayout.Shape(asInput.Shape)}, not one value per object");
            }
            raw = asInput is not null ? Column(g, asInput) : g.Input(rawName, OnnxElementType.Float, Objects);
        }
        string Transform(string value) => raw is not null ? g.Node("Mul", [value, raw]) : g.Node("Mul", [value, g.Scalar("target_scale", (float)model.Target.Scale)]);
        string mu = g.Node("Gather", [output, g.Constant("mu_index", [0L])], OnnxAttribute.Int("axis", 1));
        g.Output(Transform(mu), card.Outputs[0], OnnxElementType.Float, Objects);
        switch (model.Loss.Kind)
        {
            case LossKind.GaussianNll or LossKind.CrystalBall:
                string rawSigma = g.Node("Gather", [output, g.Constant("sigma_index", [1L])], OnnxAttribute.Int("axis", 1));
                string sigma = g.Node("Add", [g.Node("Softplus", [rawSigma]), g.Scalar("sigma_min", (float)model.Loss.SigmaMin)]);
                g.Output(Transform(sigma), card.Outputs[1], OnnxElementType.Float, Objects);
                break;
            case LossKind.Mse or LossKind.Relative or LossKind.TruncatedGaussian:
                break;
            default:
                throw new NotSupportedException($"the ONNX export does not know the outputs of loss '{model.Loss.Kind}'");
        }
    }

    /// <summary>The graph input of a one-value column as [N] (inputs of scalar columns are declared [N]).</summary>
    private static string Column(OnnxGraphBuilder g, InputColumn column) =>
        column.Shape.Length == 0 ? column.Name : g.Node("Reshape", [column.Name, g.Int64s("objects", -1)]);

    /// <summary>The network part of the graph, from the state dict's tensors by their module names.</summary>
    private sealed class NetworkGraph(OnnxGraphBuilder g, NetworkSpec spec, Dictionary<string, Tensor> state)
    {
        public string Forward(string x) => spec.Kind switch
        {
            NetworkKind.Baseline => Dense(g.Node("ReduceSum", [x, g.Int64s("axes", 1)], OnnxAttribute.Int("keepdims", 1)), "affine"),
            NetworkKind.Linear or NetworkKind.Mlp => Stack(x, "layers", spec.Kind == NetworkKind.Linear ? 1 : spec.Hidden.Length + 1),
            NetworkKind.Cnn or NetworkKind.FilmCnn or NetworkKind.Cnn3d => Convolutional(x),
            _ => throw new NotSupportedException($"the ONNX export does not know network kind {spec.Kind}"),
        };

        /// <summary>Dense layers <c>prefix.0</c> … <c>prefix.(count−1)</c>, the activation between them.</summary>
        private string Stack(string x, string prefix, int count)
        {
            for (int i = 0; i < count; i++)
            {
                x = Dense(x, Inv($"{prefix}.{i}"));
                if (i < count - 1)
                {
                    x = Activate(x);
                }
            }
            return x;
        }

        /// <summary>x·Wᵀ + b of the linear module <paramref name="module"/> (weight [out, in], bias [out]).</summary>
        private string Dense(string x, string module)
        {
            (string w, _) = Parameter(module + ".weight");
            (string b, _) = Parameter(module + ".bias");
            return g.Node("Gemm", [x, w, b], OnnxAttribute.Int("transB", 1));
        }

        private string Convolutional(string input)
        {
            bool threeD = spec.Kind == NetworkKind.Cnn3d;
            int image = spec.ImageSize;
            long[] imageShape = threeD ? [0, 1, .. spec.ImageShape.Select(d => (long)d)] : [0, .. spec.ImageShape.Select(d => (long)d)];
            string x = g.Node("Reshape", [Columns(input, 0, image), g.Int64s("image_shape", imageShape)]);
            string? scalars = spec.Scalars > 0 ? Columns(input, image, spec.Scalars) : null;
            string? modulation = spec.Kind == NetworkKind.FilmCnn ? Stack(scalars!, "film", spec.FilmHidden.Length + 1) : null;
            int totalChannels = spec.Channels.Sum();
            int offset = 0;
            int k = spec.Kernel, pad = spec.Kernel / 2, dims = threeD ? 3 : 2;
            for (int i = 0; i < spec.Channels.Length; i++)
            {
                int c = spec.Channels[i];
                (string w, _) = Parameter(Inv($"convs.{i}.weight"));
                (string b, _) = Parameter(Inv($"convs.{i}.bias"));
                x = g.Node("Conv", [x, w, b],
                    OnnxAttribute.Ints("kernel_shape", [.. Enumerable.Repeat((long)k, dims)]),
                    OnnxAttribute.Ints("pads", [.. Enumerable.Repeat((long)pad, 2 * dims)]),
                    OnnxAttribute.Ints("strides", [.. Enumerable.Repeat(1L, dims)]));
                if (modulation is not null)
                {
                    long[] view = threeD ? [0, c, 1, 1, 1] : [0, c, 1, 1];
                    string gamma = g.Node("Reshape", [Columns(modulation, offset, c), g.Int64s("film_shape", view)]);
                    string beta = g.Node("Reshape", [Columns(modulation, offset + totalChannels, c), g.Int64s("film_shape", view)]);
                    x = g.Node("Add", [g.Node("Mul", [x, g.Node("Add", [gamma, g.Scalar("one", 1f)])]), beta]);
                    offset += c;
                }
                x = Activate(x);
                if (spec.Pool > 1)
                {
                    long[] window = threeD ? [1, spec.Pool, spec.Pool] : [spec.Pool, spec.Pool];
                    x = g.Node("MaxPool", [x], OnnxAttribute.Ints("kernel_shape", window), OnnxAttribute.Ints("strides", window));
                }
            }
            x = g.Node("Flatten", [x], OnnxAttribute.Int("axis", 1));
            if (scalars is not null)
            {
                x = g.Node("Concat", [x, scalars], OnnxAttribute.Int("axis", 1));
            }
            return Stack(x, "dense", spec.Dense.Length + 1);
        }

        /// <summary>Columns [start, start + count) of rows [N, W] (torch's narrow along dimension 1).</summary>
        private string Columns(string rows, int start, int count) =>
            g.Node("Slice", [rows, g.Int64s("starts", start), g.Int64s("ends", start + count), g.Int64s("axes", 1)]);

        private string Activate(string x) => spec.Activation switch
        {
            ActivationKind.Relu => g.Node("Relu", [x]),
            ActivationKind.Tanh => g.Node("Tanh", [x]),
            ActivationKind.Silu => g.Node("Mul", [x, g.Node("Sigmoid", [x])]),
            // torch's gelu (approximate 'none'): x · ½ · (1 + erf(x / √2)), the division as a product with 1/√2.
            ActivationKind.Gelu => g.Node("Mul", [x, g.Node("Mul", [g.Node("Add", [g.Node("Erf", [g.Node("Mul", [x, g.Scalar("inv_sqrt2", (float)(1 / Math.Sqrt(2)))])]), g.Scalar("one", 1f)]), g.Scalar("half", 0.5f)])]),
            _ => throw new NotSupportedException($"the ONNX export does not know activation {spec.Activation}"),
        };

        private (string Name, long[] Shape) Parameter(string name)
        {
            if (!state.TryGetValue(name, out Tensor? tensor))
            {
                throw new InvalidOperationException($"the network has no parameter '{name}' (state dict: {string.Join(", ", state.Keys)})");
            }
            using Tensor cpu = tensor.detach().cpu().contiguous();
            float[] values = cpu.data<float>().ToArray();
            long[] shape = cpu.shape;
            return (g.Constant(name.Replace('.', '_'), values, shape), shape);
        }

        private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
    }
}
