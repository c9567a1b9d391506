using System.Buffers;
using System.Globalization;
using EnergyRegression.Data;
using EnergyRegression.Expressions;
using EnergyRegression.Models;
using EnergyRegression.Physics;
using EnergyRegression.Plugins.Regressors.Gbdt.Training;
using EnergyRegression.Plugins.Regressors.Gbdt.Trees;
using EnergyRegression.Running;

namespace EnergyRegression.Plugins.Regressors.Gbdt;

/// <summary>
/// The <c>gbdt</c> regressor: gradient-boosted trees on tabular features (shower shapes, η, pT, ...), one tree
/// ensemble per region (barrel/endcap by default), trained by LightGBM through ML.NET and applied with the
/// project's own vectorised evaluator (<see cref="EnsembleEvaluator"/>). docs/gbdt.md describes every key.
/// </summary>
[Plugin("gbdt", Description = "Gradient-boosted trees (LightGBM) per detector region: predicts E_true/E_raw or E_true from feature columns.")]
public sealed partial class GbdtRegressor : ITrainableRegressor
{
    private readonly GbdtConfig _config;
    private readonly IRunContext _context;
    private GbdtModel? _model;
    private ConfigExpression[] _regionConditions = [];
    private List<ModelInput>? _inputs;
    private string? _searchCsv;
    private List<RegionCurve> _curves = [];
    private (long Training, long Validation) _counts;
    /// <summary>Applying: loads the model; training: checks the keys training needs.</summary>
    public GbdtRegressor(GbdtConfig config, IRunContext context)
    {
        _config = config;
        _context = context;
        if (context.Mode == RunMode.Apply)
        {
            if (config.Model is null)
            {
                throw new ConfigValueException("model", "applying the regressor needs its model file (write one with 'energyreg train')");
            }
            var model = GbdtModel.Load(config.Model);
            if (config.Features.Length > 0 && !config.Features.SequenceEqual(model.Features))
            {
                throw new ConfigValueException("features",
                    $"the model {config.Model} was trained on [{string.Join(", ", model.Features)}]; remove 'features' or list exactly those");
            }
            if (config.Collection != model.Collection)
            {
                throw new ConfigValueException("collection", $"the model {config.Model} calibrates '{model.Collection}', not '{config.Collection}'");
            }
            // The chain may write the calibrated energy (and its uncertainty) to other columns than training did.
            Use(model with
            {
                Output = config.Output ?? model.Output,
                UncertaintyOutput = model.UncertaintyOutput is null ? null : config.UncertaintyOutput ?? (config.Output is null ? model.UncertaintyOutput : config.Output + "Sigma"),
            });
        }
        else
        {
            if (config.Features.Length == 0)
            {
                throw new ConfigValueException("features", "training needs the list of feature columns");
            }
            _regionConditions = [.. config.EffectiveRegions.Select((r, i) => new ConfigExpression(r.When, $"regions[{i}].when"))];
        }
    }

    /// <inheritdoc />
    public string? ModelPath => _config.Model;

    private void Use(GbdtModel model)
    {
        _model = model;
        _regionConditions = [.. model.Regions.Select((r, i) => new ConfigExpression(r.When, $"regions[{i}].when"))];
    }

    /// <inheritdoc />
    public void Predict(EventBatch batch)
    {
        GbdtModel model = _model ?? throw new InvalidOperationException("the gbdt regressor has no trained model");
        using var rows = ObjectRows.From(batch, model.Collection, model.Features, model.RawEnergy, null, _regionConditions, model.Nan, model.NanValue, ModelPath);
        if (batch.HasColumn(model.Output))
        {
            throw new ConfigValueException("output", $"column '{model.Output}' already exists; choose another 'output'");
        }
        if (model.UncertaintyOutput is { } sigmaName && batch.HasColumn(sigmaName))
        {
            throw new ConfigValueException("uncertainty_output", $"column '{sigmaName}' already exists; choose another 'uncertainty_output'");
        }
        Span<float> output = batch.AddObjectColumn<float>(model.Collection, model.Output).Values;
        float[] prediction = new float[rows.Count];
        float[] relativeSigma = model.UncertaintyOutput is null ? [] : new float[rows.Count];
        for (int region = 0; region < model.Regions.Count; region++)
        {
            int[] members = rows.RowsOfRegion(region);
            if (members.Length == 0)
            {
                continue;
            }
            float[] x = rows.GatherRows(members);
            float[] y = new float[members.Length];
            EnsembleEvaluator.Predict(model.Regions[region].Trees, x, y);
            for (int i = 0; i < members.Length; i++)
            {
                prediction[members[i]] = y[i];
            }
            if (model.UncertaintyOutput is not null && model.Regions[region].Uncertainty is { } uncertainty)
            {
                float[] width = uncertainty.Predict(x, members.Length);
                for (int i = 0; i < members.Length; i++)
                {
                    relativeSigma[members[i]] = width[i];
                }
            }
        }
        for (int i = 0; i < rows.Count; i++)
        {
            output[i] = model.Target == GbdtTarget.Ratio ? (float)(prediction[i] * rows.RawEnergy[i]) : prediction[i];
        }
        if (model.UncertaintyOutput is { } sigmaColumn)
        {
            // Objects outside every region get no calibration (0) and no uncertainty (0).
            Span<float> sigma = batch.AddObjectColumn<float>(model.Collection, sigmaColumn).Values;
            for (int i = 0; i < rows.Count; i++)
            {
                sigma[i] = relativeSigma[i] * output[i];
            }
        }
    }

    /// <inheritdoc />
    public void Train(TrainingData data, IRunContext context)
    {
        IReadOnlyList<GbdtRegion> regions = _config.EffectiveRegions;
        var hyper = Hyperparameters.From(_config);
        (RegionData[] training, long trainObjects) = Collect(data.Training, regions.Count, "training");
        (RegionData[] validation, long validObjects) = Collect(data.Validation, regions.Count, "validation");
        var trainer = new TreeTrainer(_config.Engine, _config.Threads, context.Seed, context.Log);
        var native = new NativeBoosting(_config.Threads, context.Seed);
        IObjective objective = _config.Loss == GbdtLoss.Huber ? new RelativeHuber(_config.HuberDelta) : SquaredError.Instance;
        TrainedTrees Grow(RegionData train, RegionData valid, Hyperparameters h) => _config.Loss == GbdtLoss.Huber
            ? native.Train(train, valid, h, _config.EarlyStopping, objective, context.Cancellation)
            : trainer.Train(train, valid, h, _config.EarlyStopping);
        var models = new List<GbdtRegionModel>();
        var curves = new List<RegionCurve>();
        var searchLog = new System.Text.StringBuilder();
        using IProgressTask progress = context.StartProgress("gbdt regions", regions.Count);
        for (int r = 0; r < regions.Count; r++)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            GbdtRegion region = regions[r];
            if (training[r].Rows == 0)
            {
                throw new InputDataException("training data", $"region '{region.Name}'",
                    $"no {_config.Collection} objects with E_true > 0 and E_raw > 0 satisfy \"{region.When}\"; change 'regions' or the selection");
            }
            RegionData scoring = validation[r].Rows > 0 ? validation[r] : training[r];
            if (validation[r].Rows == 0)
            {
                context.Log.Warning($"gbdt {region.Name}: no validation objects; metrics and search use the training objects");
            }
            context.Log.Info($"gbdt {region.Name}: training on {training[r].Rows:N0} objects, validating on {validation[r].Rows:N0}");
            TrainedTrees trees;
            Hyperparameters chosen;
            if (_config.Search.Method == SearchMethod.None)
            {
                chosen = hyper;
                trees = Grow(training[r], validation[r], hyper);
            }
            else
            {
                var search = new HyperparameterSearch(_config.Search, hyper, context.CreateRandom("gbdt-search:" + region.Name), context.Log, region.Name);
                (chosen, trees) = search.Run(h => Grow(training[r], validation[r], h),
                    t => Metrics(t.Ensemble, scoring, objective)["loss"]);
                searchLog.Append(search.Csv(region.Name));
            }
            Dictionary<string, double> metrics = Metrics(trees.Ensemble, scoring, objective);
            metrics["training_objects"] = training[r].Rows;
            metrics["validation_objects"] = validation[r].Rows;
            // LightGBM keeps the trees up to the best validation loss when early stopping ends training.
            int? stoppedFrom = _config.EarlyStopping > 0 && validation[r].Rows > 0 && trees.Ensemble.TreeCount < chosen.Trees ? chosen.Trees : null;
            curves.Add(new RegionCurve(region.Name, LearningCurves.Losses(trees.Ensemble, training[r], objective, context.Cancellation),
                LearningCurves.Losses(trees.Ensemble, validation[r], objective, context.Cancellation), stoppedFrom));
            string kept = stoppedFrom is int configured ? $"{trees.Ensemble.TreeCount} of {configured} trees (early stopping)" : $"{trees.Ensemble.TreeCount} trees";
            context.Log.Info(string.Create(CultureInfo.InvariantCulture,
                $"gbdt {region.Name}: {kept}; E/E_true median {metrics["median_response_raw"]:0.####} → {metrics["median_response"]:0.####}, σ_eff/median {metrics["resolution_raw"]:0.#####} → {metrics["resolution"]:0.#####}"));
            var chosenSet = new Dictionary<string, string>(chosen.ToDictionary()) { ["trees_grown"] = trees.Ensemble.TreeCount.ToString(CultureInfo.InvariantCulture) };
            if (_config.Loss == GbdtLoss.Huber)
            {
                chosenSet["huber_delta"] = _config.HuberDelta.ToString("G6", CultureInfo.InvariantCulture);
            }
            UncertaintyModel? uncertainty = null;
            if (_config.Uncertainty)
            {
                uncertainty = UncertaintyModel.Train(trees.Ensemble, training[r], validation[r], chosen, _config.EarlyStopping, _config.Target, native, context.Cancellation);
                metrics["uncertainty_trees"] = uncertainty.Trees.TreeCount;
                metrics["uncertainty_scale"] = uncertainty.Scale;
                metrics["pull_width"] = uncertainty.PullWidth(trees.Ensemble, scoring, _config.Target);
                context.Log.Info(string.Create(CultureInfo.InvariantCulture,
                    $"gbdt {region.Name}: uncertainty from {uncertainty.Trees.TreeCount} trees, scale {uncertainty.Scale:0.###}; pull width (σ_eff) {metrics["pull_width"]:0.###} on the {(validation[r].Rows > 0 ? "validation" : "training")} objects"));
            }
            models.Add(new GbdtRegionModel(region.Name, region.When, trees.Ensemble, trees.Engine, chosenSet, metrics, trees.Importance, uncertainty));
            progress.Advance(1);
        }
        Use(new GbdtModel(_config.Collection, _config.Features, _config.RawEnergyColumn, _config.TrueEnergyColumn, _config.Target,
            _config.OutputColumn, _config.Nan, _config.NanValue, models, _config.Uncertainty ? _config.UncertaintyColumn : null));
        _searchCsv = searchLog.Length > 0 ? searchLog.ToString() : null;
        _curves = curves;
        _counts = (trainObjects, validObjects);
    }

    /// <inheritdoc />
    public void SaveModel(string path, Provenance provenance)
    {
        GbdtModel model = _model ?? throw new InvalidOperationException("train before saving");
        model.Save(path, model.Card(provenance, _inputs ?? [.. model.Features.Select(f => new ModelInput(f, []))], _counts.Training, _counts.Validation));
        // Beside the model, for people who read files rather than archives.
        WriteSidecar(path, "importance.csv", model.ImportanceCsv());
        if (_searchCsv is not null)
        {
            WriteSidecar(path, "search.csv", _searchCsv);
        }
        LearningCurves.Write(path, _curves, LearningCurves.Describe(model.Target, _config.Loss, _config.HuberDelta), _context.Log);
        _context.Log.Info($"gbdt: learning curves (the loss after each tree) in {LearningCurves.CsvPath(path)} and {LearningCurves.PngPath(path)}");
    }

    /// <summary>Beside the model: <c>DIR/NAME.KIND</c> for <c>DIR/NAME.EXT</c> (where <c>energyreg evaluate</c> looks for <c>NAME.curves.png</c>).</summary>
    internal static string Sidecar(string modelPath, string kind) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, $"{Path.GetFileNameWithoutExtension(modelPath)}.{kind}");

    private static void WriteSidecar(string modelPath, string suffix, string text)
    {
        string path = Sidecar(modelPath, suffix);
        File.WriteAllText(path + ".partial", text);
        File.Move(path + ".partial", path, overwrite: true);
    }

    /// <summary>Gathers every usable object (E_raw &gt; 0, E_true &gt; 0, finite) of the batches into per-region tables.</summary>
    private (RegionData[] Regions, long Objects) Collect(IReadOnlyList<EventBatch> batches, int regionCount, string part)
    {
        int width = 0;
        RegionData[]? regions = null;
        long objects = 0;
        long skipped = 0;
        foreach (EventBatch batch in batches)
        {
            using var rows = ObjectRows.From(batch, _config.Collection, _config.Features, _config.RawEnergyColumn, _config.TrueEnergyColumn,
                _regionConditions, _config.Nan, _config.NanValue, null);
            if (regions is null)
            {
                width = rows.Width;
                _inputs ??= rows.Inputs;
                regions = [.. Enumerable.Range(0, regionCount).Select(_ => new RegionData(width))];
            }
            for (int i = 0; i < rows.Count; i++)
            {
                double raw = rows.RawEnergy[i];
                double truth = rows.TrueEnergy[i];
                int region = rows.Region[i];
                if (!(raw > 0 && truth > 0 && double.IsFinite(raw) && double.IsFinite(truth)) || region < 0)
                {
                    skipped++;
                    continue;
                }
                double y = _config.Target == GbdtTarget.Ratio ? truth / raw : truth;
                // The Huber objective works on the relative error itself; the squared errors take it as weights.
                double weight = _config.Loss == GbdtLoss.Relative ? 1 / (y * y) : 1;
                regions[region].Add(rows.Row(i), (float)y, (float)weight, raw, truth);
                objects++;
            }
        }
        if (skipped > 0)
        {
            _context.Log.Info($"gbdt: {skipped:N0} {part} objects without a positive E_true and E_raw (or outside every region) are not used");
        }
        return (regions ?? [.. Enumerable.Range(0, regionCount).Select(_ => new RegionData(width))], objects);
    }

    /// <summary>
    /// The loss the trees minimise (weighted mean squared error of y) and the resolution of E_pred/E_true as σ_eff,
    /// with the raw energy's for comparison, on <paramref name="data"/>.
    /// </summary>
    private Dictionary<string, double> Metrics(CompleteTreeEnsemble trees, RegionData data, IObjective objective)
    {
        float[] y = new float[data.Rows];
        EnsembleEvaluator.Predict(trees, data.Features, y);
        double[] response = new double[data.Rows];
        double[] rawResponse = new double[data.Rows];
        for (int i = 0; i < data.Rows; i++)
        {
            double predicted = _config.Target == GbdtTarget.Ratio ? y[i] * data.RawEnergy[i] : y[i];
            response[i] = predicted / data.TrueEnergy[i];
            rawResponse[i] = data.RawEnergy[i] / data.TrueEnergy[i];
        }
        double sigmaEff = Resolution.SigmaEff(response);
        double sigmaEffRaw = Resolution.SigmaEff(rawResponse);
        double median = Resolution.Median(response);
        double medianRaw = Resolution.Median(rawResponse);
        return new Dictionary<string, double>
        {
            ["loss"] = LearningCurves.Loss(y, data, objective),
            ["sigma_eff"] = sigmaEff,
            ["sigma_eff_raw"] = sigmaEffRaw,
            ["median_response"] = median,
            ["median_response_raw"] = medianRaw,
            // σ_eff at each energy's own scale: the raw energy is low, and rescaling alone widens σ_eff.
            ["resolution"] = sigmaEff / median,
            ["resolution_raw"] = sigmaEffRaw / medianRaw,
        };
    }

    /// <summary>
    /// The objects of one batch as the regressor sees them: the feature matrix, the raw (and true) energies and the
    /// region of every object (−1: none). Missing columns and NaN features become one clear error.
    /// </summary>
    private sealed class ObjectRows : IDisposable
    {
        private float[] _features = [];

        public int Count { get; private init; }

        public int Width { get; private init; }

        public List<ModelInput> Inputs { get; private init; } = [];

        public double[] RawEnergy { get; private init; } = [];

        public double[] TrueEnergy { get; private init; } = [];

        public int[] Region { get; private init; } = [];

        public ReadOnlySpan<float> Row(int i) => _features.AsSpan(i * Width, Width);

        public int[] RowsOfRegion(int region) => [.. Enumerable.Range(0, Count).Where(i => Region[i] == region)];

        public float[] GatherRows(int[] rows)
        {
            float[] x = new float[rows.Length * Width];
            for (int i = 0; i < rows.Length; i++)
            {
                Row(rows[i]).CopyTo(x.AsSpan(i * Width, Width));
            }
            return x;
        }

        public static ObjectRows From(EventBatch batch, string collection, IReadOnlyList<string> features, string rawColumn, string? trueColumn,
            ConfigExpression[] regions, NanPolicy nan, float nanValue, string? modelPath)
        {
            var matrix = new FeatureMatrix(collection, features);
            IReadOnlyList<ModelInput> inputs;
            try
            {
                inputs = matrix.Check(batch);
                RequireObjectColumn(batch, collection, rawColumn);
                if (trueColumn is not null)
                {
                    RequireObjectColumn(batch, collection, trueColumn);
                }
            }
            catch (Exception e) when (e is KeyNotFoundException or ArgumentException)
            {
                string message = e is KeyNotFoundException ? e.Message.Trim('"') : e.Message;
                throw modelPath is null
                    ? new ConfigValueException("features", message)
                    : new ConfigValueException("model", $"the model {modelPath} needs it: {message}");
            }
            int count = matrix.RowsOf(batch);
            float[] x = ArrayPool<float>.Shared.Rent(Math.Max(1, count * matrix.Width));
            matrix.Gather(batch, x);
            var rows = new ObjectRows
            {
                _features = x,
                Count = count,
                Width = matrix.Width,
                Inputs = [.. inputs],
                RawEnergy = Doubles(batch, rawColumn),
                TrueEnergy = trueColumn is null ? [] : Doubles(batch, trueColumn),
                Region = AssignRegions(batch, collection, regions, count),
            };
            rows.HandleNaN(batch, collection, features, nan, nanValue);
            return rows;
        }

        private static void RequireObjectColumn(EventBatch batch, string collection, string name)
        {
            if (!batch.HasColumn(name))
            {
                throw new KeyNotFoundException($"No column '{name}' in the batch{NameSuggestions.DidYouMean(name, batch.ColumnNames)}.");
            }
            if (batch.GetColumn(name) is not { Level: ColumnLevel.Object, RowSize: 1 } column || column.Collection != collection)
            {
                throw new ArgumentException($"Column '{name}' must hold one number per {collection} object.");
            }
        }

        private static double[] Doubles(EventBatch batch, string name)
        {
            Column column = batch.GetColumn(name);
            double[] values = new double[column.Rows];
            column.CopyTo(values);
            return values;
        }

        private static int[] AssignRegions(EventBatch batch, string collection, ConfigExpression[] regions, int count)
        {
            int[] region = new int[count];
            Array.Fill(region, -1);
            for (int r = regions.Length - 1; r >= 0; r--)
            {
                using ExpressionResult result = regions[r].Evaluate(batch);
                if (!result.IsCondition || result.Level != ColumnLevel.Object || result.Collection != collection)
                {
                    throw new ConfigValueException($"regions[{r}].when", $"\"{regions[r].Text}\" must be a condition on the {collection} objects");
                }
                ReadOnlySpan<double> holds = result.Values;
                for (int i = 0; i < count; i++)
                {
                    if (holds[i] != 0)
                    {
                        region[i] = r; // walking backwards: the first region that holds wins
                    }
                }
            }
            return region;
        }

        private void HandleNaN(EventBatch batch, string collection, IReadOnlyList<string> features, NanPolicy nan, float nanValue)
        {
            Span<float> values = _features.AsSpan(0, Count * Width);
            int at = IndexOfNaN(values);
            if (at < 0)
            {
                return;
            }
            if (nan == NanPolicy.Replace)
            {
                foreach (ref float v in values)
                {
                    if (float.IsNaN(v))
                    {
                        v = nanValue;
                    }
                }
                return;
            }
            int row = at / Width;
            ReadOnlySpan<int> offsets = batch.GetCollection(collection).Offsets;
            int e = 0;
            while (offsets[e + 1] <= row)
            {
                e++;
            }
            string column = ColumnAt(batch, features, at % Width);
            throw new InputDataException("input", $"entry {batch.EntryOf(e)}, {collection}[{row - offsets[e]}], {column}",
                "NaN feature value; the gbdt regressor stops on NaN unless 'nan: replace' (with 'nan_value') is set");
        }

        private static int IndexOfNaN(ReadOnlySpan<float> values)
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (float.IsNaN(values[i]))
                {
                    return i;
                }
            }
            return -1;
        }

        private static string ColumnAt(EventBatch batch, IReadOnlyList<string> features, int offset)
        {
            foreach (string name in features)
            {
                int size = batch.GetColumn(name).RowSize;
                if (offset < size)
                {
                    return size == 1 ? name : $"{name}[{offset}]";
                }
                offset -= size;
            }
            return "?";
        }

        public void Dispose()
        {
            if (_features.Length > 0)
            {
                ArrayPool<float>.Shared.Return(_features);
            }
            _features = [];
        }
    }
}
