using System.Globalization;
using System.Text.Json;
using EnergyRegression.Data;
using EnergyRegression.Models;
using EnergyRegression.Plugins;
using EnergyRegression.Running;

namespace MyPlugin;

/// <summary>
/// A trainable regressor: a linear model of y = E_true / E_raw in standardised inputs, trained by gradient descent on
/// the training objects; applied, it writes E_raw · y. <c>energyreg train</c> builds it with <see cref="RunMode.Train"/>
/// (no model needed), calls <see cref="Train"/> and <see cref="SaveModel"/>; <c>energyreg run</c> builds it with
/// <see cref="RunMode.Apply"/>, when it loads the model archive. Every epoch leaves a checkpoint beside the model file,
/// so <c>energyreg train --resume</c> continues an interrupted training where it stopped.
/// </summary>
[Plugin(PluginName, Description = "Learns E_true/E_raw as a linear function of its inputs (gradient descent, resumable) and applies it.")]
public sealed class MyPluginRegressor : ITrainableRegressor
{
    /// <summary>The plugin's name, also stored in its model cards.</summary>
    public const string PluginName = "my-plugin";

    /// <summary>The version of this plugin's entries in the model archive; raise it when their layout changes.</summary>
    public const int FormatVersion = 1;

    private const string ModelEntry = "linear.json";

    private readonly MyPluginConfig _config;
    private LinearModel? _model;
    private TrainingSummary? _training;

    /// <summary>Builds the regressor; to apply (not train), loads its model and checks it fits the config.</summary>
    public MyPluginRegressor(MyPluginConfig config, IRunContext context)
    {
        _config = config;
        if (context.Mode == RunMode.Apply)
        {
            _model = Load(config.Model);
            if (!_model.Inputs.SequenceEqual(config.Inputs))
            {
                throw new ConfigValueException("inputs",
                    $"the model {config.Model} was trained on [{string.Join(", ", _model.Inputs)}], this step lists [{string.Join(", ", config.Inputs)}]");
            }
        }
    }

    /// <inheritdoc />
    public string? ModelPath => _config.Model;

    /// <inheritdoc />
    public void Predict(EventBatch batch)
    {
        LinearModel model = _model ?? throw new InvalidOperationException("The regressor has no model: train it first (energyreg train).");
        (float[] inputs, int width) = Inputs(batch);
        Column raw = batch.GetColumnNamedBy("raw_energy", _config.RawColumn);
        Span<float> calibrated = batch.AddObjectColumn<float>(_config.Collection, _config.OutputColumn).Values;
        for (int i = 0; i < calibrated.Length; i++)
        {
            calibrated[i] = (float)(raw.GetDouble(i) * model.Predict(inputs.AsSpan(i * width, width)));
        }
    }

    /// <inheritdoc />
    public void Train(TrainingData data, IRunContext context)
    {
        (float[] x, double[] y) = Examples(data.Training);
        (float[] validationX, double[] validationY) = Examples(data.Validation);
        if (y.Length == 0)
        {
            throw new InvalidOperationException($"No {_config.Collection} objects with positive raw and true energies to train on.");
        }
        int n = _config.Inputs.Length;
        string checkpoint = CheckpointPath(data.ModelPath ?? _config.Model);
        LinearModel model = data.Resume && File.Exists(checkpoint) ? Resumed(checkpoint, context) : Start(x, y);

        using IProgressTask progress = context.StartProgress($"{PluginName}: gradient descent", _config.Epochs);
        progress.Advance(model.Epoch);
        for (int epoch = model.Epoch + 1; epoch <= _config.Epochs; epoch++)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            // The gradient of the mean squared error over every training object.
            double[] gradient = new double[n];
            double biasGradient = 0;
            for (int row = 0; row < y.Length; row++)
            {
                ReadOnlySpan<float> inputs = x.AsSpan(row * n, n);
                double residual = model.Predict(inputs) - y[row];
                biasGradient += residual;
                for (int j = 0; j < n; j++)
                {
                    gradient[j] += residual * (inputs[j] - model.Means[j]) / model.Deviations[j];
                }
            }
            double step = 2 * _config.LearningRate / y.Length;
            model = model with
            {
                Weights = [.. model.Weights.Select((w, j) => w - step * gradient[j])],
                Bias = model.Bias - step * biasGradient,
                Epoch = epoch,
            };
            WriteAtomically(checkpoint, JsonSerializer.Serialize(model, ModelArchive.Json));
            progress.Advance(1);
            progress.SetStatus(string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}: mse {MeanSquaredError(model, x, y):G4}"));
        }
        _model = model;
        _training = new TrainingSummary(y.Length, validationY.Length, MeanSquaredError(model, x, y),
            validationY.Length > 0 ? MeanSquaredError(model, validationX, validationY) : double.NaN);
        context.Log.Info(string.Create(CultureInfo.InvariantCulture,
            $"{PluginName}: trained on {y.Length} objects for {_config.Epochs} epochs, validation mse {_training.ValidationError:G4}"));
    }

    /// <inheritdoc />
    public void SaveModel(string path, Provenance provenance)
    {
        LinearModel model = _model ?? throw new InvalidOperationException("Nothing to save: the regressor has not been trained.");
        TrainingSummary training = _training!;
        int n = model.Inputs.Length;
        var card = new ModelCard
        {
            Plugin = PluginName,
            PluginFormatVersion = FormatVersion,
            Architecture = $"linear model in {n} standardised input(s)",
            Inputs = [.. model.Inputs.Select(name => new ModelInput(name, []))],
            Collection = _config.Collection,
            Outputs = [_config.OutputColumn],
            Target = new ModelTarget("ratio", "y = E_true / E_raw; applied: E = E_raw · y", [_config.TrueColumn, _config.RawColumn]),
            Layers = [new ModelLayer("linear", $"{n} weight(s) and a bias", n + 1)],
            Parameters = n + 1,
            Hyperparameters = new Dictionary<string, string>
            {
                ["epochs"] = _config.Epochs.ToString(CultureInfo.InvariantCulture),
                ["learning_rate"] = _config.LearningRate.ToString("R", CultureInfo.InvariantCulture),
            },
            Metrics = new Dictionary<string, double> { ["training_mse"] = training.TrainingError, ["validation_mse"] = training.ValidationError },
            // energyreg model show prints these: a trainer fills them itself.
            TrainingObjects = training.TrainingObjects,
            ValidationObjects = training.ValidationObjects,
            Provenance = provenance,
        };
        using (var writer = ModelArchiveWriter.Create(path))
        {
            writer.WriteJson(ModelEntry, model);
            writer.Commit(card);
        }
        File.Delete(CheckpointPath(path));
    }

    /// <summary>Where training keeps its checkpoint: beside the model file.</summary>
    public static string CheckpointPath(string modelPath) => modelPath + ".checkpoint.json";

    private static LinearModel Load(string path)
    {
        using var archive = ModelArchive.Open(path);
        if (archive.Card.Plugin != PluginName)
        {
            throw new InputDataException(path, ModelArchive.CardEntry, $"the model was written by '{archive.Card.Plugin}', not {PluginName}");
        }
        if (archive.Card.PluginFormatVersion != FormatVersion)
        {
            throw new InputDataException(path, ModelArchive.CardEntry,
                $"{PluginName} format version {archive.Card.PluginFormatVersion}; this {PluginName} reads version {FormatVersion}");
        }
        return archive.ReadJson<LinearModel>(ModelEntry);
    }

    // The start of a training: no slope, the mean ratio as bias, and each input's mean and standard deviation.
    private LinearModel Start(float[] x, double[] y)
    {
        int n = _config.Inputs.Length;
        double[] means = new double[n], deviations = new double[n];
        for (int j = 0; j < n; j++)
        {
            double sum = 0, squares = 0;
            for (int row = 0; row < y.Length; row++)
            {
                sum += x[row * n + j];
                squares += (double)x[row * n + j] * x[row * n + j];
            }
            means[j] = sum / y.Length;
            double deviation = Math.Sqrt(Math.Max(0, squares / y.Length - means[j] * means[j]));
            deviations[j] = deviation > 0 ? deviation : 1;
        }
        return new LinearModel(_config.Inputs, means, deviations, new double[n], y.Average(), 0);
    }

    private LinearModel Resumed(string checkpoint, IRunContext context)
    {
        LinearModel model = JsonSerializer.Deserialize<LinearModel>(File.ReadAllText(checkpoint), ModelArchive.Json)
            ?? throw new InputDataException(checkpoint, "file", "empty checkpoint");
        if (!model.Inputs.SequenceEqual(_config.Inputs))
        {
            throw new ConfigValueException("inputs", $"the checkpoint {checkpoint} is of a training on [{string.Join(", ", model.Inputs)}]; "
                + "train without --resume to start again");
        }
        context.Log.Info($"{PluginName}: resuming from epoch {model.Epoch} ({checkpoint})");
        return model;
    }

    // The training examples of some batches: the inputs of every object with positive raw and true energies, and its ratio.
    private (float[] X, double[] Y) Examples(IReadOnlyList<EventBatch> batches)
    {
        var x = new List<float>();
        var y = new List<double>();
        foreach (EventBatch batch in batches)
        {
            (float[] inputs, int width) = Inputs(batch);
            Column raw = batch.GetColumnNamedBy("raw_energy", _config.RawColumn);
            Column truth = batch.GetColumnNamedBy("true_energy", _config.TrueColumn);
            for (int i = 0; i < raw.Rows; i++)
            {
                double e = raw.GetDouble(i), t = truth.GetDouble(i);
                if (e > 0 && t > 0)
                {
                    x.AddRange(inputs.AsSpan(i * width, width));
                    y.Add(t / e);
                }
            }
        }
        return ([.. x], [.. y]);
    }

    // The inputs of every object of the batch, row by row, after checking each input column by the key that named it.
    private (float[] Inputs, int Width) Inputs(EventBatch batch)
    {
        batch.GetCollectionNamedBy("collection", _config.Collection);
        for (int j = 0; j < _config.Inputs.Length; j++)
        {
            Column column = batch.GetColumnNamedBy($"inputs[{j}]", _config.Inputs[j]);
            if (column.RowSize != 1 || (column.Level == ColumnLevel.Object && column.Collection != _config.Collection))
            {
                throw new ConfigValueException($"inputs[{j}]", $"'{column.Name}' is not a number per {_config.Collection} object or per event");
            }
        }
        var matrix = new FeatureMatrix(_config.Collection, _config.Inputs);
        matrix.Check(batch);
        float[] values = new float[matrix.RowsOf(batch) * matrix.Width];
        matrix.Gather(batch, values);
        return (values, matrix.Width);
    }

    private static double MeanSquaredError(LinearModel model, float[] x, double[] y)
    {
        int n = model.Inputs.Length;
        double sum = 0;
        for (int row = 0; row < y.Length; row++)
        {
            double residual = model.Predict(x.AsSpan(row * n, n)) - y[row];
            sum += residual * residual;
        }
        return sum / y.Length;
    }

    private static void WriteAtomically(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path + ".partial", text);
        File.Move(path + ".partial", path, overwrite: true);
    }

    private sealed record TrainingSummary(long TrainingObjects, long ValidationObjects, double TrainingError, double ValidationError);
}
