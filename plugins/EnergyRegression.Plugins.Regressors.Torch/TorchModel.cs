using System.Globalization;
using EnergyRegression.Models;
using EnergyRegression.Running;
using TorchSharp;
using static TorchSharp.torch;

namespace EnergyRegression.Plugins.Regressors.Torch;

/// <summary>The plugin's own description of a model, <c>torch/model.json</c> in the archive.</summary>
internal sealed record ModelDescription
{
    public required NetworkSpec Network { get; init; }
    public required LossSpec Loss { get; init; }
    public required TargetSpec Target { get; init; }
    public required string Collection { get; init; }
    public required IReadOnlyList<InputColumn> Inputs { get; init; }
}

/// <summary>
/// A network with everything needed to apply it: the input layout with its normalisation, the target and the loss
/// (for the meaning of the outputs). Saved as a model archive (<see cref="ModelArchive"/>): <c>card.json</c>,
/// <c>torch/model.json</c> (this description) and <c>torch/weights.bin</c> (TorchSharp's state-dict format).
/// </summary>
internal sealed class TorchModel : IDisposable
{
    public const string PluginName = "torch";
    public const int FormatVersion = 1;
    public const string DescriptionEntry = "torch/model.json";
    public const string WeightsEntry = "torch/weights.bin";

    private readonly float[] _offsets;
    private readonly float[] _scales;
    private Tensor? _offsetTensor;
    private Tensor? _scaleTensor;

    public TorchModel(ModelDescription description, Device device)
    {
        Description = description;
        Layout = new InputLayout(description.Collection, description.Inputs);
        Device = device;
        Network = Network.Create(description.Network);
        Network.to(device);
        _offsets = new float[Layout.Width];
        _scales = new float[Layout.Width];
        int start = 0;
        foreach (InputColumn column in description.Inputs)
        {
            _offsets.AsSpan(start, column.Size).Fill((float)column.Offset);
            _scales.AsSpan(start, column.Size).Fill((float)column.Scale);
            start += column.Size;
        }
    }

    public ModelDescription Description { get; }
    public InputLayout Layout { get; }
    public Network Network { get; }
    public Device Device { get; }
    public LossSpec Loss => Description.Loss;
    public TargetSpec Target => Description.Target;

    /// <summary>Normalises rows [N, width] in place: (x − offset)·scale.</summary>
    public Tensor Normalise(Tensor rows)
    {
        lock (_offsets)
        {
            // Kept for the model's lifetime, outside any caller's dispose scope.
            _offsetTensor ??= tensor(_offsets, device: Device).DetachFromDisposeScope();
            _scaleTensor ??= tensor(_scales, device: Device).DetachFromDisposeScope();
        }
        return rows.sub_(_offsetTensor).mul_(_scaleTensor);
    }

    /// <summary>
    /// Predictions for <paramref name="rows"/> raw (not normalised) input rows: μ and, for likelihood losses, σ, in target
    /// units. Runs without gradients, in chunks of <paramref name="chunk"/> rows.
    /// </summary>
    public void Predict(ReadOnlySpan<float> features, int rows, Span<float> mu, Span<float> sigma, int chunk = 4096)
    {
        using var noGrad = no_grad();
        int width = Layout.Width;
        float[] buffer = new float[Math.Min(rows, chunk) * width];
        for (int first = 0; first < rows; first += chunk)
        {
            int n = Math.Min(chunk, rows - first);
            using var scope = NewDisposeScope();
            if (buffer.Length != n * width)
            {
                buffer = new float[n * width];
            }
            features.Slice(first * width, n * width).CopyTo(buffer);
            Tensor x = tensor(buffer, [n, width]);
            if (Device.type != DeviceType.CPU)
            {
                x = x.to(Device);
            }
            Tensor output = Network.forward(Normalise(x.clone()));
            (Tensor m, Tensor? s) = Losses.Predict(Loss, output);
            m.cpu().data<float>().CopyTo(mu.Slice(first, n));
            if (s is not null && sigma.Length > 0)
            {
                s.cpu().data<float>().CopyTo(sigma.Slice(first, n));
            }
        }
    }

    /// <summary>Writes the model archive atomically.</summary>
    public void Save(string path, Provenance provenance, TrainingReport report)
    {
        using var writer = ModelArchiveWriter.Create(path);
        writer.WriteJson(DescriptionEntry, Description);
        using (Stream weights = writer.CreateEntry(WeightsEntry))
        {
            SaveWeights(weights);
        }
        writer.Commit(Card(provenance, report));
    }

    /// <summary>The weights in TorchSharp's state-dict format (the stream stays open).</summary>
    public void SaveWeights(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        Network.save(writer);
    }

    /// <summary>Reads weights written by <see cref="SaveWeights"/>; every parameter must be there with its shape.</summary>
    public void LoadWeights(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        Network.load(reader, strict: true);
    }

    /// <summary>Opens a model archive written by this plugin; an archive of another plugin or version is an input error.</summary>
    public static TorchModel Load(string path, Device device)
    {
        using var archive = ModelArchive.Open(path);
        if (archive.Card.Plugin != PluginName)
        {
            throw new InputDataException(path, ModelArchive.CardEntry, $"the model was written by plugin '{archive.Card.Plugin}', not '{PluginName}'");
        }
        if (archive.Card.PluginFormatVersion != FormatVersion)
        {
            throw new InputDataException(path, ModelArchive.CardEntry, $"file layout {archive.Card.PluginFormatVersion} of the torch plugin is unknown to this version (it reads {FormatVersion})");
        }
        ModelDescription description = archive.ReadJson<ModelDescription>(DescriptionEntry);
        var model = new TorchModel(description, device);
        try
        {
            using Stream weights = archive.OpenEntry(WeightsEntry);
            model.LoadWeights(weights);
            return model;
        }
        catch (Exception e) when (e is not InputDataException)
        {
            model.Dispose();
            throw new InputDataException(path, WeightsEntry, $"weights do not match the network in {DescriptionEntry}: {e.Message}", e);
        }
    }

    /// <summary>The model card: layers with parameter counts, inputs, target, training settings and metrics.</summary>
    public ModelCard Card(Provenance provenance, TrainingReport report)
    {
        var outputs = new List<string> { report.OutputColumn };
        if (Loss.HasSigma)
        {
            outputs.Add(report.SigmaColumn);
        }
        string[] targetColumns = [.. new[] { Target.Truth, Target.Raw }.OfType<string>()];
        return new ModelCard
        {
            Plugin = PluginName,
            PluginFormatVersion = FormatVersion,
            Architecture = Architecture(),
            Inputs = Layout.ToModelInputs(),
            Collection = Layout.Collection,
            Outputs = outputs,
            Target = new ModelTarget(Target.Kind.ToString().ToLowerInvariant(), Target.Definition, targetColumns),
            Layers = [.. Network.Layers.Select(l => new ModelLayer(l.Name, l.Description, l.Parameters))],
            Parameters = Network.ParameterCount,
            Hyperparameters = report.Hyperparameters,
            Metrics = report.Metrics,
            TrainingObjects = report.TrainingObjects,
            ValidationObjects = report.ValidationObjects,
            Provenance = provenance,
        };
    }

    public string Architecture()
    {
        NetworkSpec n = Description.Network;
        string image = n.ImageShape.Length > 0 ? InputLayout.Shape(n.ImageShape) : "";
        string body = n.Kind switch
        {
            NetworkKind.Baseline => "baseline a·Σx + b",
            NetworkKind.Linear => $"linear regression on {n.InputWidth} values",
            NetworkKind.Mlp => $"MLP {n.InputWidth}→{string.Join("→", n.Hidden)}→{n.Outputs}, {Network.Name(n.Activation)}",
            NetworkKind.Cnn => $"CNN on {image}, conv {string.Join("/", n.Channels)} {n.Kernel}×{n.Kernel}, dense {string.Join("/", n.Dense)}",
            NetworkKind.FilmCnn => $"FiLM-CNN on {image} conditioned on {n.Scalars} scalars, conv {string.Join("/", n.Channels)} {n.Kernel}×{n.Kernel}, dense {string.Join("/", n.Dense)}",
            _ => $"3-D CNN on {image}, conv {string.Join("/", n.Channels)} {n.Kernel}³, dense {string.Join("/", n.Dense)}",
        };
        int parameters = Description.Inputs.Count(c => c.Role == InputRole.Parameter);
        string parameterised = parameters > 0 ? string.Create(CultureInfo.InvariantCulture, $", parameterised by {parameters} column(s)") : "";
        return string.Create(CultureInfo.InvariantCulture, $"{body}{parameterised}; {Network.ParameterCount:N0} parameters; loss {Loss.Kind}");
    }

    public void Dispose()
    {
        _offsetTensor?.Dispose();
        _scaleTensor?.Dispose();
        Network.Dispose();
    }
}

/// <summary>What training produced besides the weights: for the model card.</summary>
internal sealed record TrainingReport
{
    public required string OutputColumn { get; init; }
    public required string SigmaColumn { get; init; }
    public IReadOnlyDictionary<string, string> Hyperparameters { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
    public long TrainingObjects { get; init; }
    public long ValidationObjects { get; init; }
}
