using System.Buffers;
using System.Globalization;
using EnergyRegression.Data;
using EnergyRegression.Running;
using static TorchSharp.torch;

namespace EnergyRegression.Plugins.Regressors.Torch;

/// <summary>
/// Neural-network energy regression on TorchSharp (docs/neural-regressors.md): the seeds' baseline, linear, MLP and
/// CNN, FiLM-CNN, parameterised networks and a 3-D CNN, with MSE, relative, Gaussian, truncated-Gaussian and
/// Crystal Ball losses. Trained by <c>energyreg train</c> on the objects of one collection; applied batch by batch,
/// it adds the calibrated energy (and, for likelihood losses, its uncertainty) to every object.
/// </summary>
[Plugin("torch", Description = "Neural-network energy regression (TorchSharp): baseline, linear, MLP, CNN, FiLM-CNN, parameterised and 3-D CNN; trainable with energyreg train.")]
public sealed partial class TorchRegressor : ITrainableRegressor, IDisposable
{
    private readonly TorchRegressorConfig _config;
    private readonly Device _device;
    private TorchModel? _model;
    private TrainingReport? _report;
    private string _output;
    private string _sigmaOutput;

    /// <summary>Starts libtorch, picks the device and, to apply, loads the model file.</summary>
    public TorchRegressor(TorchRegressorConfig config, IRunContext context)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(context);
        _config = config;
        _output = config.OutputColumn;
        _sigmaOutput = config.SigmaColumn;
        TorchRuntime.Start();
        _device = device(TorchRuntime.Select(config.Device, TorchRuntime.CudaAvailable, context.Log.Debug));
        if (context.Mode == RunMode.Apply)
        {
            if (config.Model is null)
            {
                throw new ConfigValueException("model", "applying a network needs its model file (written by energyreg train)");
            }
            // The event loop runs one worker per core already: one torch thread each unless told otherwise.
            TorchRuntime.SetThreads(config.Threads > 0 ? config.Threads : 1);
            _model = TorchModel.Load(config.Model, _device);
            if (_model.Layout.Collection != config.Collection)
            {
                string trained = _model.Layout.Collection;
                _model.Dispose();
                throw new ConfigValueException("collection", $"the model {config.Model} was trained on collection '{trained}', not '{config.Collection}'");
            }
            foreach (string name in config.ParameterValues.Keys)
            {
                if (!_model.Layout.Columns.Any(c => c.Role == InputRole.Parameter && c.Name == name))
                {
                    throw new ConfigValueException("parameter_values", $"'{name}' is not a parameter of the model {config.Model}");
                }
            }
        }
    }

    /// <inheritdoc />
    public string? ModelPath => _config.Model;

    /// <summary>The trained or loaded model (tests).</summary>
    internal TorchModel? Model => _model;

    /// <summary>The last training run's curves and metrics (tests).</summary>
    internal TrainingOutcome? Outcome { get; private set; }

    /// <inheritdoc />
    public void Predict(EventBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        TorchModel model = _model ?? throw new InvalidOperationException("the torch regressor has no model: train it or give model:");
        model.Layout.CheckBatch(batch, _config.Model ?? "(trained in this run)");
        if (batch.HasColumn(_output) || (model.Loss.HasSigma && batch.HasColumn(_sigmaOutput)))
        {
            throw new ConfigValueException("output", $"column '{(batch.HasColumn(_output) ? _output : _sigmaOutput)}' already exists: choose another output name");
        }
        string? rawName = model.Target.Kind == TargetKind.Ratio ? model.Target.Raw : null;
        if (rawName is not null)
        {
            InputLayout.RequireColumn(batch, rawName, model.Layout.Collection, "target.raw");
        }
        var features = new FeatureMatrix(model.Layout.Collection, [.. model.Layout.Names]);
        features.Check(batch);
        int rows = features.RowsOf(batch);
        int width = model.Layout.Width;
        float[] x = ArrayPool<float>.Shared.Rent(Math.Max(1, rows * width));
        float[] values = ArrayPool<float>.Shared.Rent(Math.Max(1, 3 * rows));
        try
        {
            features.Gather(batch, x.AsSpan(0, rows * width));
            OverrideParameters(model.Layout, x.AsSpan(0, rows * width), rows);
            Span<float> mu = values.AsSpan(0, rows), sigma = values.AsSpan(rows, model.Loss.HasSigma ? rows : 0), raw = values.AsSpan(2 * rows, rows);
            if (rawName is not null)
            {
                new FeatureMatrix(model.Layout.Collection, [rawName]).Gather(batch, raw);
            }
            model.Predict(x.AsSpan(0, rows * width), rows, mu, sigma, _config.InferenceBatch);
            Span<float> energy = batch.AddObjectColumn<float>(model.Layout.Collection, _output).Values;
            for (int i = 0; i < rows; i++)
            {
                energy[i] = (float)model.Target.Energy(mu[i], raw[i]);
            }
            if (model.Loss.HasSigma)
            {
                Span<float> width2 = batch.AddObjectColumn<float>(model.Layout.Collection, _sigmaOutput).Values;
                for (int i = 0; i < rows; i++)
                {
                    width2[i] = (float)model.Target.Energy(sigma[i], raw[i]);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(x);
            ArrayPool<float>.Shared.Return(values);
        }
    }

    private void OverrideParameters(InputLayout layout, Span<float> x, int rows)
    {
        if (_config.ParameterValues.Count == 0)
        {
            return;
        }
        int start = 0;
        foreach (InputColumn column in layout.Columns)
        {
            if (column.Role == InputRole.Parameter && _config.ParameterValues.TryGetValue(column.Name, out double value))
            {
                for (int r = 0; r < rows; r++)
                {
                    x.Slice(r * layout.Width + start, column.Size).Fill((float)value);
                }
            }
            start += column.Size;
        }
    }

    /// <inheritdoc />
    public void Train(TrainingData data, IRunContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(context);
        TorchRuntime.SetThreads(_config.Threads);
        EventBatch first = data.Training.FirstOrDefault(b => b.HasCollection(_config.Collection))
            ?? (data.Training.Count > 0 ? data.Training[0] : null) ?? throw new ConfigValueException("collection", "no training batches");
        var layout = InputLayout.FromBatch(_config, first);
        var target = TargetSpec.From(_config.Target);
        if (target.Truth is null)
        {
            throw new ConfigValueException("target.truth", "training needs the column of true energies or labels (target: truth:)");
        }
        var training = TrainingSet.Gather(data.Training, layout, target, _config.Loss.Source);
        var validation = TrainingSet.Gather(data.Validation, layout, target, _config.Loss.Source);
        if (training.Rows == 0)
        {
            throw new ConfigValueException("target.truth", $"no training object of '{_config.Collection}' has a positive '{target.Truth}'"
                + (target.Kind == TargetKind.Ratio ? $" and '{target.Raw}'" : "") + $" ({training.Dropped:N0} left out)");
        }
        context.Log.Info(string.Create(CultureInfo.InvariantCulture,
            $"torch: {training.Rows:N0} training and {validation.Rows:N0} validation objects of {_config.Collection} ({training.Dropped + validation.Dropped:N0} without a target left out), {layout.Width} inputs per object, device {_device.type}"));
        IReadOnlyList<InputColumn> columns = _config.Training.Normalize ? training.FitNormalisation(layout.Columns) : layout.Columns;
        var loss = LossSpec.From(_config.Loss);
        bool convolutional = _config.Network.Kind is NetworkKind.Cnn or NetworkKind.FilmCnn or NetworkKind.Cnn3d;
        var spec = NetworkSpec.From(_config.Network, layout.Width, layout.ImageShape(_config.Network.Kind),
            convolutional ? layout.ScalarWidth : 0, loss.Outputs);
        var description = new ModelDescription { Network = spec, Loss = loss, Target = target, Collection = _config.Collection, Inputs = columns };

        manual_seed(context.Seed);
        _model?.Dispose();
        _model = null;
        TorchModel model;
        try
        {
            model = new TorchModel(description, _device);
        }
        catch (ArgumentException e)
        {
            throw new ConfigValueException("network", e.Message);
        }
        _model = model;
        var trainer = new Trainer(model, _config.Training, _config.Loss, context);
        TrainingOutcome outcome = trainer.Train(training, validation, data.ModelPath, data.Resume);
        Outcome = outcome;
        _report = new TrainingReport
        {
            OutputColumn = _output,
            SigmaColumn = _sigmaOutput,
            Hyperparameters = Hyperparameters(context.Seed, outcome),
            Metrics = outcome.Metrics,
            TrainingObjects = training.Rows,
            ValidationObjects = validation.Rows,
        };
    }

    private Dictionary<string, string> Hyperparameters(int seed, TrainingOutcome outcome)
    {
        TrainingConfig t = _config.Training;
        CultureInfo c = CultureInfo.InvariantCulture;
        var h = new Dictionary<string, string>
        {
            ["loss"] = _config.Loss.Kind.ToString(),
            ["optimizer"] = t.Optimizer.ToString(),
            ["learning_rate"] = t.LearningRate.ToString("G", c),
            ["schedule"] = t.Schedule.ToString(),
            ["weight_decay"] = t.WeightDecay.ToString("G", c),
            ["batch_size"] = t.BatchSize.ToString(c),
            ["epochs"] = string.Create(c, $"{outcome.Curve.Count} of {t.Epochs}{(outcome.StoppedEarly ? " (early stop)" : "")}"),
            ["steps_per_epoch"] = t.StepsPerEpoch == 0 ? "one pass" : t.StepsPerEpoch.ToString(c),
            ["patience"] = t.Patience.ToString(c),
            ["normalize"] = t.Normalize ? "yes" : "no",
            ["device"] = _device.type.ToString(),
            ["seed"] = seed.ToString(c),
        };
        if (t.Augment.Any)
        {
            h["augment"] = string.Create(c, $"flip_eta {t.Augment.FlipEta}, flip_phi {t.Augment.FlipPhi}, shift {t.Augment.Shift}");
        }
        if (_config.Loss.Source is not null)
        {
            h["source"] = _config.Loss.Source + " " + string.Join(", ", _config.Loss.SourceWeights.Select(p => $"{p.Key}: {p.Value.ToString("G", c)}"));
        }
        return h;
    }

    /// <inheritdoc />
    public void SaveModel(string path, Provenance provenance)
    {
        TorchModel model = _model ?? throw new InvalidOperationException("nothing to save: the network was not trained");
        model.Save(path, provenance, _report ?? new TrainingReport { OutputColumn = _output, SigmaColumn = _sigmaOutput });
    }

    /// <summary>Frees the network's native memory.</summary>
    public void Dispose()
    {
        _model?.Dispose();
        _model = null;
    }
}
