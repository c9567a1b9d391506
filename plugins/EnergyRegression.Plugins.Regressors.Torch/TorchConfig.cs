using System.ComponentModel;
using EnergyRegression.Configuration;

namespace EnergyRegression.Plugins.Regressors.Torch;

/// <summary>The network families (docs/neural-regressors.md, "Models").</summary>
public enum NetworkKind
{
    /// <summary><c>a·Σx + b</c>: the sum of all input values, scaled and shifted (2 parameters; the seeds' baseline on ΣE).</summary>
    Baseline,

    /// <summary>One linear layer on all input values (785 parameters on a 28×28 window).</summary>
    Linear,

    /// <summary>Fully connected layers of sizes <c>hidden</c> with the activation between them.</summary>
    Mlp,

    /// <summary>2-D convolutions (<c>channels</c>, kernel, same padding) each followed by the activation and max-pooling, then dense layers.</summary>
    Cnn,

    /// <summary>A CNN whose feature maps are scaled and shifted per channel by a network of the scalar columns (FiLM).</summary>
    FilmCnn,

    /// <summary>3-D convolutions over a layers × height × width input (longitudinally segmented calorimeters).</summary>
    Cnn3d,
}

/// <summary>Activation between layers.</summary>
public enum ActivationKind
{
    /// <summary>max(0, x).</summary>
    Relu,

    /// <summary>tanh(x).</summary>
    Tanh,

    /// <summary>x·sigmoid(x).</summary>
    Silu,

    /// <summary>Gaussian error linear unit.</summary>
    Gelu,
}

/// <summary>What the network is trained to predict.</summary>
public enum TargetKind
{
    /// <summary><c>y = E_true / scale</c> (the seeds: E/100 GeV); the calibrated energy is <c>ŷ·scale</c>.</summary>
    Energy,

    /// <summary><c>y = E_true / E_raw</c>; the calibrated energy is <c>ŷ·E_raw</c>.</summary>
    Ratio,
}

/// <summary>Training losses (docs/neural-regressors.md, "Losses").</summary>
public enum LossKind
{
    /// <summary>(ŷ − y)².</summary>
    Mse,

    /// <summary>(ŷ/y − 1)².</summary>
    Relative,

    /// <summary>Gaussian negative log-likelihood of (μ, σ): a per-object uncertainty.</summary>
    GaussianNll,

    /// <summary>Likelihood of a Gaussian truncated to the training range [a, b], σ = c·√y.</summary>
    TruncatedGaussian,

    /// <summary>Double-sided Crystal Ball negative log-likelihood of (μ, σ, α1, n1, α2, n2).</summary>
    CrystalBall,
}

/// <summary>Optimisers.</summary>
public enum OptimizerKind
{
    /// <summary>Adam (Kingma and Ba 2015).</summary>
    Adam,

    /// <summary>Adam with decoupled weight decay (Loshchilov and Hutter 2019).</summary>
    AdamW,

    /// <summary>RMSprop (Tieleman and Hinton 2012).</summary>
    Rmsprop,
}

/// <summary>Learning-rate schedules, applied per epoch.</summary>
public enum ScheduleKind
{
    /// <summary>The learning rate throughout.</summary>
    Constant,

    /// <summary>Multiplied by <c>gamma</c> every <c>step_epochs</c> epochs.</summary>
    Step,

    /// <summary>Multiplied by <c>gamma</c> every epoch.</summary>
    Exponential,

    /// <summary>Cosine annealing from the learning rate to <c>min_learning_rate</c> over the epochs.</summary>
    Cosine,
}

/// <summary>Where the network runs.</summary>
public enum DeviceKind
{
    /// <summary>CUDA when libtorch sees a GPU, the CPU otherwise.</summary>
    Auto,

    /// <summary>The CPU.</summary>
    Cpu,

    /// <summary>The first CUDA GPU; an error when there is none.</summary>
    Cuda,
}

/// <summary>The network's shape.</summary>
public sealed class NetworkConfig : PluginConfig
{
    /// <summary>The family.</summary>
    [Description("Network family: baseline (a·Σx + b), linear, mlp, cnn, film_cnn or cnn3d (docs/neural-regressors.md, \"Models\").")]
    public NetworkKind Kind { get; set; } = NetworkKind.Mlp;

    /// <summary>Hidden layer sizes of an MLP.</summary>
    [Description("mlp: sizes of the hidden layers (the seeds' shallow NN: [10, 10]).")]
    public int[] Hidden { get; set; } = [10, 10];

    /// <summary>Output channels of each convolution.</summary>
    [Description("cnn, film_cnn, cnn3d: output channels of each convolution block (the seeds' CNN: [32, 64]).")]
    public int[] Channels { get; set; } = [32, 64];

    /// <summary>Convolution kernel size.</summary>
    [Description("cnn, film_cnn, cnn3d: kernel size (odd; 'same' padding). Default: 5 for 2-D, 3 for 3-D.")]
    public int? Kernel { get; set; }

    /// <summary>Max-pooling after each convolution.</summary>
    [Description("cnn, film_cnn, cnn3d: max-pooling size after each convolution (1 = none); cnn3d pools height and width only.")]
    public int Pool { get; set; } = 2;

    /// <summary>Dense layers after the convolutions.</summary>
    [Description("cnn, film_cnn, cnn3d: sizes of the dense layers after the convolutions (the seeds' CNN: [64]).")]
    public int[] Dense { get; set; } = [64];

    /// <summary>Hidden layers of the FiLM generator.</summary>
    [Description("film_cnn: hidden layer sizes of the network that maps the scalar columns to a scale and shift per channel.")]
    public int[] FilmHidden { get; set; } = [32];

    /// <summary>The activation.</summary>
    [Description("Activation between layers: relu, tanh, silu or gelu.")]
    public ActivationKind Activation { get; set; } = ActivationKind.Relu;

    /// <inheritdoc />
    public override void Validate()
    {
        if (Hidden.Any(h => h < 1) || Channels.Any(c => c < 1) || Dense.Any(d => d < 1) || FilmHidden.Any(d => d < 1))
        {
            throw new ConfigValueException(Hidden.Any(h => h < 1) ? "hidden" : Channels.Any(c => c < 1) ? "channels" : Dense.Any(d => d < 1) ? "dense" : "film_hidden", "layer sizes (hidden, channels, dense, film_hidden) must be at least 1");
        }
        if (Kernel is { } k && (k < 1 || k % 2 == 0))
        {
            throw new ConfigValueException("kernel", $"must be odd and at least 1 (for 'same' padding), got {k}");
        }
        if (Pool < 1)
        {
            throw new ConfigValueException("pool", $"must be at least 1, got {Pool}");
        }
        if (Kind is NetworkKind.Cnn or NetworkKind.FilmCnn or NetworkKind.Cnn3d && Channels.Length == 0)
        {
            throw new ConfigValueException("channels", $"a {Kind} needs at least one convolution");
        }
    }
}

/// <summary>The training target.</summary>
public sealed class TargetConfig : PluginConfig
{
    /// <summary>energy or ratio.</summary>
    [Description("energy: y = E_true / scale (the seeds: /100 GeV); ratio: y = E_true / E_raw.")]
    public TargetKind Kind { get; set; } = TargetKind.Energy;

    /// <summary>The column with the true energy (or its label).</summary>
    [Description("Column with the true energy in GeV (simulation: Electron_genEnergy) or a label (data: Probe_energyLabel from the Z mass). Objects whose value is not a positive number are not trained on. Required to train.")]
    public string? Truth { get; set; }

    /// <summary>The raw energy column.</summary>
    [Description("Column with the raw energy in GeV (ratio targets; also checked at prediction).")]
    public string? Raw { get; set; }

    /// <summary>Scale of energy targets.</summary>
    [Description("energy: the target is E_true / scale (GeV).")]
    public double Scale { get; set; } = 100;

    /// <inheritdoc />
    public override void Validate()
    {
        if (!(Scale > 0) || !double.IsFinite(Scale))
        {
            throw new ConfigValueException("scale", $"must be a positive number, got {Scale}");
        }
        if (Kind == TargetKind.Ratio && string.IsNullOrWhiteSpace(Raw))
        {
            throw new ConfigValueException("raw", "a ratio target y = E_true / E_raw needs the raw energy column");
        }
    }
}

/// <summary>The loss and its parameters.</summary>
public sealed class LossConfig : PluginConfig
{
    /// <summary>The loss.</summary>
    [Description("mse, relative ((ŷ/y − 1)²), gaussian_nll (predicts μ and σ), truncated_gaussian (Gaussian truncated to range, σ = sigma_coefficient·√y) or crystal_ball (double-sided Crystal Ball NLL of μ, σ, α1, n1, α2, n2).")]
    public LossKind Kind { get; set; } = LossKind.Mse;

    /// <summary>Truncation range [a, b] in target units.</summary>
    [Description("truncated_gaussian: the training range [a, b] of the target, in target units (e.g. [0.2, 1.0] for 20–100 GeV / 100 GeV).")]
    public double[]? Range { get; set; }

    /// <summary>σ = c·√y.</summary>
    [Description("truncated_gaussian: c in σ = c·√y (y in target units; the sampling-calorimeter study: 0.31 with y in GeV).")]
    public double SigmaCoefficient { get; set; } = 0.31;

    /// <summary>Lower bound of predicted σ.</summary>
    [Description("gaussian_nll, crystal_ball: smallest σ the network can predict (target units): σ = sigma_min + softplus(raw).")]
    public double SigmaMin { get; set; } = 1e-3;

    /// <summary>Range of the Crystal Ball α.</summary>
    [Description("crystal_ball: range [low, high] of α1 and α2 (the Gaussian core reaches from −α1 σ to α2 σ).")]
    public double[] AlphaRange { get; set; } = [0.5, 5];

    /// <summary>Range of the Crystal Ball n.</summary>
    [Description("crystal_ball: range [low, high] of n1 and n2 (power of the tails; above 1 so the tails integrate).")]
    public double[] NRange { get; set; } = [1.1, 20];

    /// <summary>Per-object source column for combined training.</summary>
    [Description("Combined training on several labelled sources: a column (event or object level, integer-valued) telling the source of each object, e.g. run (the simulator writes 1 for mc, 2 for data). The loss is Σ_s w_s · mean over the batch's objects of source s.")]
    public string? Source { get; set; }

    /// <summary>Loss weight per source value.</summary>
    [Description("Combined training: loss weight per value of the source column, e.g. {\"1\": 1.0, \"2\": 0.5}; sources not listed get weight 1.")]
    public Dictionary<string, double> SourceWeights { get; set; } = [];

    /// <inheritdoc />
    public override void Validate()
    {
        if (Kind == LossKind.TruncatedGaussian && (Range is not { Length: 2 } r || !(r[0] < r[1])))
        {
            throw new ConfigValueException("range", "truncated_gaussian needs the training range [a, b] with a < b, in target units");
        }
        if (!(SigmaCoefficient > 0))
        {
            throw new ConfigValueException("sigma_coefficient", $"must be positive, got {SigmaCoefficient}");
        }
        if (!(SigmaMin > 0))
        {
            throw new ConfigValueException("sigma_min", $"must be positive, got {SigmaMin}");
        }
        if (AlphaRange is not { Length: 2 } a || !(a[0] > 0 && a[0] < a[1]))
        {
            throw new ConfigValueException("alpha_range", "must be [low, high] with 0 < low < high");
        }
        if (NRange is not { Length: 2 } n || !(n[0] > 1 && n[0] < n[1]))
        {
            throw new ConfigValueException("n_range", "must be [low, high] with 1 < low < high (the tails must integrate)");
        }
        foreach ((string key, double weight) in SourceWeights)
        {
            if (!long.TryParse(key, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                throw new ConfigValueException("source_weights", $"source '{key}' is not an integer value of the source column");
            }
            if (!(weight >= 0) || !double.IsFinite(weight))
            {
                throw new ConfigValueException("source_weights", $"weight of source {key} must be a finite number ≥ 0, got {weight}");
            }
        }
        if (SourceWeights.Count > 0 && Source is null)
        {
            throw new ConfigValueException("source_weights", "needs the source column (key 'source')");
        }
    }
}

/// <summary>Data augmentation of window inputs during training.</summary>
public sealed class AugmentConfig : PluginConfig
{
    /// <summary>Random flips along η.</summary>
    [Description("Flip each window along η (rows) with probability 1/2.")]
    public bool FlipEta { get; set; }

    /// <summary>Random flips along φ.</summary>
    [Description("Flip each window along φ (columns) with probability 1/2.")]
    public bool FlipPhi { get; set; }

    /// <summary>Largest random shift in crystals.</summary>
    [Description("Shift each mini-batch's windows by up to this many crystals in η and in φ (uniform, zero-filled edges); 0 = none.")]
    public int Shift { get; set; }

    /// <summary>True when any augmentation is on.</summary>
    internal bool Any => FlipEta || FlipPhi || Shift > 0;

    /// <inheritdoc />
    public override void Validate()
    {
        if (Shift < 0)
        {
            throw new ConfigValueException("shift", $"must be ≥ 0, got {Shift}");
        }
    }
}

/// <summary>How the network is trained.</summary>
public sealed class TrainingConfig : PluginConfig
{
    /// <summary>The optimiser.</summary>
    [Description("adam, adam_w or rmsprop.")]
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Adam;

    /// <summary>Initial learning rate.</summary>
    [Description("Initial learning rate (the seeds: 0.001).")]
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Weight decay.</summary>
    [Description("Weight decay (L2 for adam and rmsprop, decoupled for adam_w).")]
    public double WeightDecay { get; set; }

    /// <summary>The schedule.</summary>
    [Description("Learning-rate schedule per epoch: constant, step, exponential or cosine.")]
    public ScheduleKind Schedule { get; set; } = ScheduleKind.Constant;

    /// <summary>Decay factor of step and exponential schedules.</summary>
    [Description("step, exponential: factor applied to the learning rate (every step_epochs epochs, or every epoch).")]
    public double Gamma { get; set; } = 0.5;

    /// <summary>Epochs between steps.</summary>
    [Description("step: epochs between two decays.")]
    public int StepEpochs { get; set; } = 10;

    /// <summary>The cosine schedule's learning rate after the last epoch.</summary>
    [Description("cosine: the learning rate reached after the last epoch (SGDR with T_max = epochs; every epoch trains).")]
    public double MinLearningRate { get; set; }

    /// <summary>Mini-batch size.</summary>
    [Description("Objects per optimisation step (the seeds: 32).")]
    public int BatchSize { get; set; } = 32;

    /// <summary>Epochs.</summary>
    [Description("Maximum number of epochs (the seeds: 20).")]
    public int Epochs { get; set; } = 20;

    /// <summary>Steps per epoch.</summary>
    [Description("Optimisation steps per epoch; 0 = one pass over the training objects (the seeds: 100 steps of 32 = 3,200).")]
    public int StepsPerEpoch { get; set; }

    /// <summary>Early-stopping patience.</summary>
    [Description("Stop when the validation loss has not improved by min_delta for this many epochs; 0 = never stop early.")]
    public int Patience { get; set; }

    /// <summary>Smallest improvement that counts.</summary>
    [Description("Early stopping: the smallest decrease of the validation loss that counts as an improvement.")]
    public double MinDelta { get; set; }

    /// <summary>Keep the best epoch's weights.</summary>
    [Description("At the end, keep the weights of the epoch with the lowest validation loss (otherwise the last epoch's).")]
    public bool RestoreBest { get; set; } = true;

    /// <summary>Standardise inputs.</summary>
    [Description("Normalise the inputs with statistics of the training objects, saved with the model: scalar columns to mean 0 and standard deviation 1, tensor columns (windows) divided by their mean sum.")]
    public bool Normalize { get; set; } = true;

    /// <summary>Checkpoints.</summary>
    [Description("Write a checkpoint (MODEL.checkpoint) after every epoch, so energyreg train --resume can continue.")]
    public bool Checkpoints { get; set; } = true;

    /// <summary>Learning-curve files.</summary>
    [Description("Write the learning curves beside the model: MODEL.curves.csv and MODEL.curves.png.")]
    public bool Curves { get; set; } = true;

    /// <summary>Augmentation of window inputs.</summary>
    [Description("Augmentation of the image inputs (cnn, film_cnn): flips and shifts in η/φ.")]
    public AugmentConfig Augment { get; set; } = new();

    /// <inheritdoc />
    public override void Validate()
    {
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
        {
            throw new ConfigValueException("learning_rate", $"must be a positive number, got {LearningRate}");
        }
        if (WeightDecay < 0)
        {
            throw new ConfigValueException("weight_decay", $"must be ≥ 0, got {WeightDecay}");
        }
        if (!(Gamma > 0 && Gamma <= 1))
        {
            throw new ConfigValueException("gamma", $"must be in (0, 1], got {Gamma}");
        }
        if (StepEpochs < 1)
        {
            throw new ConfigValueException("step_epochs", $"must be at least 1, got {StepEpochs}");
        }
        if (MinLearningRate < 0 || MinLearningRate > LearningRate)
        {
            throw new ConfigValueException("min_learning_rate", $"must be in [0, learning_rate], got {MinLearningRate}");
        }
        if (BatchSize < 1)
        {
            throw new ConfigValueException("batch_size", $"must be at least 1, got {BatchSize}");
        }
        if (Epochs < 1)
        {
            throw new ConfigValueException("epochs", $"must be at least 1, got {Epochs}");
        }
        if (StepsPerEpoch < 0 || Patience < 0 || MinDelta < 0)
        {
            throw new ConfigValueException(StepsPerEpoch < 0 ? "steps_per_epoch" : Patience < 0 ? "patience" : "min_delta", "must be ≥ 0");
        }
    }
}

/// <summary>Config of <see cref="TorchRegressor"/>.</summary>
public sealed class TorchRegressorConfig : PluginConfig
{
    /// <summary>The model file.</summary>
    [Description("The model file: written by energyreg train, read to apply the model (energyreg run).")]
    [PathValue]
    public string? Model { get; set; }

    /// <summary>The collection calibrated.</summary>
    [Description("The object collection whose energies are calibrated, e.g. Electron (one prediction per object).")]
    public required string Collection { get; set; }

    /// <summary>The network's main inputs.</summary>
    [Description("Input columns: for baseline, linear and mlp all values side by side (scalars and flattened tensors); for cnn and film_cnn 2-D tensor columns of one shape, one channel each (or one 3-D column channels × height × width); for cnn3d one layers × height × width column. Required to train; applying takes them from the model.")]
    public string[] Inputs { get; set; } = [];

    /// <summary>Scalar columns of a CNN.</summary>
    [Description("cnn, film_cnn, cnn3d: scalar columns (η, pile-up, track pT, ...) joined to the flattened convolution output; film_cnn also computes its per-channel scale and shift from them.")]
    public string[] Scalars { get; set; } = [];

    /// <summary>Physics-parameter inputs.</summary>
    [Description("Parameterised network: physics-parameter columns (particle type, pile-up, a calibration scale) given to the network as extra inputs; train across several values, apply at any value (see parameter_values).")]
    public string[] Parameters { get; set; } = [];

    /// <summary>Fixed parameter values at prediction.</summary>
    [Description("Applying a parameterised network: evaluate it at these values of its parameters instead of the columns' values, e.g. {\"Electron_scale\": 1.05}.")]
    public Dictionary<string, double> ParameterValues { get; set; } = [];

    /// <summary>Network shape.</summary>
    [Description("The network (training only; applying reads it from the model).")]
    public NetworkConfig Network { get; set; } = new();

    /// <summary>The target.</summary>
    [Description("The training target (truth column, energy or ratio); applying reads the kind from the model.")]
    public TargetConfig Target { get; set; } = new();

    /// <summary>The loss.</summary>
    [Description("The loss and its parameters.")]
    public LossConfig Loss { get; set; } = new();

    /// <summary>Optimiser, schedule, epochs, early stopping, augmentation.</summary>
    [Description("Optimiser, learning-rate schedule, batch size, epochs, early stopping, checkpoints, curves, augmentation.")]
    public TrainingConfig Training { get; set; } = new();

    /// <summary>Output column.</summary>
    [Description("Column for the calibrated energy (GeV). Default: <collection>_energyNN.")]
    public string? Output { get; set; }

    /// <summary>Uncertainty column.</summary>
    [Description("gaussian_nll and crystal_ball: column for the per-object energy uncertainty σ (GeV). Default: <output>Sigma.")]
    public string? SigmaOutput { get; set; }

    /// <summary>Device.</summary>
    [Description("auto (CUDA when available, else the CPU), cpu, or cuda (an error when no GPU is usable).")]
    public DeviceKind Device { get; set; } = DeviceKind.Auto;

    /// <summary>Torch threads.</summary>
    [Description("Threads of torch's CPU kernels; 0 = one per core when training, one per event-loop worker when applying (the workers already run in parallel).")]
    public int Threads { get; set; }

    /// <summary>Objects per forward pass when applying.</summary>
    [Description("Applying: at most this many objects per forward pass (bounds memory for big batches).")]
    public int InferenceBatch { get; set; } = 4096;

    internal string OutputColumn => Output ?? $"{Collection}_energyNN";

    internal string SigmaColumn => SigmaOutput ?? OutputColumn + "Sigma";

    /// <inheritdoc />
    public override void Validate()
    {
        RequireDistinctNames("inputs", Inputs.Concat(Scalars).Concat(Parameters));
        if (Threads < 0)
        {
            throw new ConfigValueException("threads", $"must be ≥ 0, got {Threads}");
        }
        if (InferenceBatch < 1)
        {
            throw new ConfigValueException("inference_batch", $"must be at least 1, got {InferenceBatch}");
        }
        foreach (string name in ParameterValues.Keys)
        {
            if (Parameters.Length > 0 && !Parameters.Contains(name))
            {
                throw new ConfigValueException("parameter_values", $"'{name}' is not one of the parameters ({string.Join(", ", Parameters)})");
            }
        }
        if (Scalars.Length > 0 && Network.Kind is NetworkKind.Baseline or NetworkKind.Linear or NetworkKind.Mlp)
        {
            throw new ConfigValueException("scalars", $"a {Naming(Network.Kind)} network takes all its columns in 'inputs'");
        }
        if (Network.Kind == NetworkKind.FilmCnn && Scalars.Length == 0 && Parameters.Length == 0)
        {
            throw new ConfigValueException("scalars", "film_cnn needs scalar columns to compute its per-channel scale and shift");
        }
    }

    internal static string Naming(NetworkKind kind) => kind switch
    {
        NetworkKind.FilmCnn => "film_cnn",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
