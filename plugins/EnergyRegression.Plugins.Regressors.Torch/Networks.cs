using System.Globalization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnergyRegression.Plugins.Regressors.Torch;

/// <summary>
/// Everything needed to rebuild a network: the family and its sizes, and the layout of its input vector
/// (<see cref="ImageShape"/> values first, then <see cref="Scalars"/> values). Stored in the model archive as
/// <c>torch/network.json</c>; the weights are <c>torch/weights.bin</c>.
/// </summary>
internal sealed record NetworkSpec
{
    public required NetworkKind Kind { get; init; }
    public int[] Hidden { get; init; } = [];
    public int[] Channels { get; init; } = [];
    public int Kernel { get; init; } = 5;
    public int Pool { get; init; } = 2;
    public int[] Dense { get; init; } = [];
    public int[] FilmHidden { get; init; } = [];
    public ActivationKind Activation { get; init; } = ActivationKind.Relu;

    /// <summary>Values per row of the input vector.</summary>
    public required int InputWidth { get; init; }

    /// <summary>cnn/film_cnn: [channels, height, width]; cnn3d: [layers, height, width]; empty for vector networks.</summary>
    public int[] ImageShape { get; init; } = [];

    /// <summary>Scalar values after the image in each row (cnn head, FiLM conditioning).</summary>
    public int Scalars { get; init; }

    /// <summary>Network outputs per row: 1 (μ), 2 (μ, σ) or 6 (Crystal Ball).</summary>
    public required int Outputs { get; init; }

    /// <summary>Values of the image part of a row.</summary>
    public int ImageSize => ImageShape.Aggregate(1, (a, b) => a * b);

    public static NetworkSpec From(NetworkConfig config, int inputWidth, int[] imageShape, int scalars, int outputs) => new()
    {
        Kind = config.Kind,
        Hidden = config.Hidden,
        Channels = config.Channels,
        Kernel = config.Kernel ?? (config.Kind == NetworkKind.Cnn3d ? 3 : 5),
        Pool = config.Pool,
        Dense = config.Dense,
        FilmHidden = config.FilmHidden,
        Activation = config.Activation,
        InputWidth = inputWidth,
        ImageShape = imageShape,
        Scalars = scalars,
        Outputs = outputs,
    };
}

/// <summary>One layer as the model card lists it.</summary>
internal sealed record LayerInfo(string Name, string Description, long Parameters);

/// <summary>A network: input rows [N, InputWidth] to outputs [N, Outputs], and its layers for the model card.</summary>
internal abstract class Network(string name) : nn.Module<Tensor, Tensor>(name)
{
    /// <summary>The layers in order with their parameter counts.</summary>
    public abstract IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>Trainable parameters in total.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>Builds the network a spec describes (weights from torch's current random state).</summary>
    public static Network Create(NetworkSpec spec) => spec.Kind switch
    {
        NetworkKind.Baseline => new BaselineNetwork(spec),
        NetworkKind.Linear => new MlpNetwork(spec with { Hidden = [] }),
        NetworkKind.Mlp => new MlpNetwork(spec),
        NetworkKind.Cnn or NetworkKind.FilmCnn or NetworkKind.Cnn3d => new ConvNetwork(spec),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "unknown network kind"),
    };

    internal static Tensor Activate(ActivationKind kind, Tensor x) => kind switch
    {
        ActivationKind.Relu => nn.functional.relu(x),
        ActivationKind.Tanh => x.tanh(),
        ActivationKind.Silu => nn.functional.silu(x),
        ActivationKind.Gelu => nn.functional.gelu(x),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    internal static string Name(ActivationKind kind) => kind switch
    {
        ActivationKind.Relu => "ReLU",
        ActivationKind.Tanh => "tanh",
        ActivationKind.Silu => "SiLU",
        _ => "GELU",
    };

    internal static long Count(nn.Module module) => module.parameters().Sum(p => p.numel());

    internal static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The seeds' baseline: <c>a·Σx + b</c> (2 parameters).</summary>
internal sealed class BaselineNetwork : Network
{
    private readonly Linear affine;

    public BaselineNetwork(NetworkSpec spec) : base("baseline")
    {
        if (spec.Outputs != 1)
        {
            throw new ArgumentException("the baseline predicts one value: use the mse, relative or truncated_gaussian loss");
        }
        affine = nn.Linear(1, 1);
        RegisterComponents();
        Layers =
        [
            new LayerInfo("sum", Inv($"Σ of the {spec.InputWidth} input values"), 0),
            new LayerInfo("affine", "a·Σ + b", Count(affine)),
        ];
    }

    public override IReadOnlyList<LayerInfo> Layers { get; }

    public override Tensor forward(Tensor input)
    {
        using Tensor sum = input.sum(1, keepdim: true);
        return affine.forward(sum);
    }
}

/// <summary>Fully connected layers (no hidden layer: the linear regression).</summary>
internal sealed class MlpNetwork : Network
{
    private readonly ModuleList<Linear> layers = new();
    private readonly ActivationKind activation;

    public MlpNetwork(NetworkSpec spec) : base(spec.Hidden.Length == 0 ? "linear" : "mlp")
    {
        activation = spec.Activation;
        var info = new List<LayerInfo>();
        int width = spec.InputWidth;
        int[] sizes = [.. spec.Hidden, spec.Outputs];
        for (int i = 0; i < sizes.Length; i++)
        {
            var layer = nn.Linear(width, sizes[i]);
            layers.Add(layer);
            bool last = i == sizes.Length - 1;
            info.Add(new LayerInfo(last ? "output" : Inv($"dense{i + 1}"),
                Inv($"dense {width}→{sizes[i]}") + (last ? "" : ", " + Name(activation)), Count(layer)));
            width = sizes[i];
        }
        RegisterComponents();
        Layers = info;
    }

    public override IReadOnlyList<LayerInfo> Layers { get; }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor x = input;
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].forward(x);
            if (i < layers.Count - 1)
            {
                x = Activate(activation, x);
            }
        }
        return x.MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Convolutions (2-D, or 3-D over layers × height × width), each followed by the activation and max-pooling, then
/// dense layers on the flattened maps joined with the scalar inputs. With FiLM, a network of the scalars gives
/// a scale γ and shift β per channel of every convolution: h → (1 + γ)·h + β before the activation
/// (Perez et al., "FiLM: Visual Reasoning with a General Conditioning Layer", AAAI 2018).
/// </summary>
internal sealed class ConvNetwork : Network
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> convs = new();
    private readonly ModuleList<Linear> dense = new();
    private readonly ModuleList<Linear> film = new();
    private readonly NetworkSpec _spec;
    private readonly bool _threeD;
    private readonly long[] _imageShape;

    public ConvNetwork(NetworkSpec spec) : base(TorchRegressorConfig.Naming(spec.Kind))
    {
        _spec = spec;
        _threeD = spec.Kind == NetworkKind.Cnn3d;
        if (spec.ImageShape.Length != 3)
        {
            throw new ArgumentException("a convolutional network needs an image shape [channels, height, width] or [layers, height, width]");
        }
        // 2-D: [N, C, H, W]; 3-D: [N, 1, L, H, W].
        _imageShape = _threeD ? [-1, 1, .. spec.ImageShape.Select(d => (long)d)] : [-1, .. spec.ImageShape.Select(d => (long)d)];
        var info = new List<LayerInfo>();
        int channels = _threeD ? 1 : spec.ImageShape[0];
        int layers = _threeD ? spec.ImageShape[0] : 1, height = spec.ImageShape[1], width = spec.ImageShape[2];
        int k = spec.Kernel, pad = spec.Kernel / 2;
        string act = Name(spec.Activation);
        for (int i = 0; i < spec.Channels.Length; i++)
        {
            int cout = spec.Channels[i];
            nn.Module<Tensor, Tensor> conv = _threeD
                ? nn.Conv3d(channels, cout, kernel_size: k, padding: pad)
                : nn.Conv2d(channels, cout, kernel_size: k, padding: pad);
            convs.Add(conv);
            height /= spec.Pool;
            width /= spec.Pool;
            if (height < 1 || width < 1)
            {
                throw new ArgumentException(Inv($"{spec.Channels.Length} poolings of {spec.Pool} shrink the {spec.ImageShape[1]}×{spec.ImageShape[2]} image to nothing"));
            }
            string kernel = _threeD ? Inv($"{k}×{k}×{k}") : Inv($"{k}×{k}");
            string output = _threeD ? Inv($"{cout}×{layers}×{height}×{width}") : Inv($"{cout}×{height}×{width}");
            string pool = spec.Pool > 1 ? Inv($", maxpool {spec.Pool}") + (_threeD ? " in h, w" : "") : "";
            info.Add(new LayerInfo(Inv($"conv{i + 1}"),
                Inv($"conv {channels}→{cout}, {kernel} same") + (spec.Kind == NetworkKind.FilmCnn ? ", FiLM" : "") + $", {act}{pool} → {output}",
                Count(conv)));
            channels = cout;
        }
        int flat = channels * layers * height * width;
        FlatSize = flat;
        if (spec.Kind == NetworkKind.FilmCnn)
        {
            int filmWidth = spec.Scalars;
            int[] sizes = [.. spec.FilmHidden, 2 * spec.Channels.Sum()];
            for (int i = 0; i < sizes.Length; i++)
            {
                var layer = nn.Linear(filmWidth, sizes[i]);
                bool last = i == sizes.Length - 1;
                if (last)
                {
                    // Start as the plain CNN: γ = β = 0.
                    using (no_grad())
                    {
                        layer.weight!.zero_();
                        layer.bias!.zero_();
                    }
                }
                film.Add(layer);
                info.Add(new LayerInfo(Inv($"film{i + 1}"),
                    Inv($"FiLM dense {filmWidth}→{sizes[i]}") + (last ? " (γ, β per channel)" : ", " + act), Count(layer)));
                filmWidth = sizes[i];
            }
        }
        int inWidth = flat + spec.Scalars;
        int[] denseSizes = [.. spec.Dense, spec.Outputs];
        for (int i = 0; i < denseSizes.Length; i++)
        {
            var layer = nn.Linear(inWidth, denseSizes[i]);
            dense.Add(layer);
            bool last = i == denseSizes.Length - 1;
            string from = i == 0 && spec.Scalars > 0 ? Inv($"{flat}+{spec.Scalars} scalars") : Inv($"{inWidth}");
            info.Add(new LayerInfo(last ? "output" : Inv($"dense{i + 1}"), Inv($"dense {from}→{denseSizes[i]}") + (last ? "" : ", " + act), Count(layer)));
            inWidth = denseSizes[i];
        }
        RegisterComponents();
        Layers = info;
    }

    /// <summary>Values of the flattened maps after the last convolution.</summary>
    public int FlatSize { get; }

    public override IReadOnlyList<LayerInfo> Layers { get; }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        int image = _spec.ImageSize;
        Tensor x = input.narrow(1, 0, image).reshape(_imageShape);
        Tensor? scalars = _spec.Scalars > 0 ? input.narrow(1, image, _spec.Scalars) : null;
        Tensor? modulation = null;
        if (film.Count > 0)
        {
            Tensor f = scalars!;
            for (int i = 0; i < film.Count; i++)
            {
                f = film[i].forward(f);
                if (i < film.Count - 1)
                {
                    f = Activate(_spec.Activation, f);
                }
            }
            modulation = f;
        }
        int offset = 0;
        for (int i = 0; i < convs.Count; i++)
        {
            x = convs[i].forward(x);
            int c = _spec.Channels[i];
            if (modulation is not null)
            {
                long[] view = _threeD ? [-1, c, 1, 1, 1] : [-1, c, 1, 1];
                Tensor gamma = modulation.narrow(1, offset, c).reshape(view);
                Tensor beta = modulation.narrow(1, offset + _spec.Channels.Sum(), c).reshape(view);
                x = x * (gamma + 1) + beta;
                offset += c;
            }
            x = Activate(_spec.Activation, x);
            if (_spec.Pool > 1)
            {
                x = _threeD
                    ? nn.functional.max_pool3d(x, [1, _spec.Pool, _spec.Pool])
                    : nn.functional.max_pool2d(x, _spec.Pool);
            }
        }
        x = x.flatten(1);
        if (scalars is not null)
        {
            x = cat([x, scalars], 1);
        }
        for (int i = 0; i < dense.Count; i++)
        {
            x = dense[i].forward(x);
            if (i < dense.Count - 1)
            {
                x = Activate(_spec.Activation, x);
            }
        }
        return x.MoveToOuterDisposeScope();
    }
}
