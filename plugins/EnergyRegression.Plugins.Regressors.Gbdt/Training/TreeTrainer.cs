using EnergyRegression.Plugins.Regressors.Gbdt.Trees;
using EnergyRegression.Running;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace EnergyRegression.Plugins.Regressors.Gbdt.Training;

/// <summary>Trees grown by ML.NET, converted for the project's evaluator, with what the card reports.</summary>
internal sealed record TrainedTrees(CompleteTreeEnsemble Ensemble, float[] Importance, string Engine, ITransformer? MlNetModel, MLContext? MlNet);

/// <summary>
/// Grows the trees of one region with LightGBM through ML.NET (or FastTree, managed, when LightGBM's native
/// library is missing and the engine is <c>auto</c>), then reads the tree structure out of the trained model
/// (<see cref="RegressionTreeEnsemble"/>: child pointers, split features, thresholds, leaf values).
/// </summary>
internal sealed class TreeTrainer(GbdtEngine engine, int threads, int seed, IRunLog log)
{
    private static bool _lightGbmMissing;

    /// <summary>Trains on <paramref name="training"/>; with <paramref name="earlyStopping"/> &gt; 0 stops on the validation loss.</summary>
    public TrainedTrees Train(RegionData training, RegionData? validation, Hyperparameters h, int earlyStopping)
    {
        var ml = new MLContext(seed);
        IDataView trainView = ToDataView(ml, training);
        IDataView? validView = validation is { Rows: > 0 } ? ToDataView(ml, validation) : null;
        bool useLightGbm = engine == GbdtEngine.LightGbm || (engine == GbdtEngine.Auto && !_lightGbmMissing);
        if (useLightGbm)
        {
            try
            {
                return TrainLightGbm(ml, trainView, validView, training.Width, h, earlyStopping);
            }
            catch (Exception e) when (engine == GbdtEngine.Auto && IsMissingNative(e))
            {
                _lightGbmMissing = true;
                log.Warning($"LightGBM's native library cannot be loaded ({Innermost(e).Message}); training with ML.NET FastTree instead");
            }
        }
        return TrainFastTree(ml, trainView, training.Width, h);
    }

    private TrainedTrees TrainLightGbm(MLContext ml, IDataView train, IDataView? validation, int width, Hyperparameters h, int earlyStopping)
    {
        var options = new LightGbmRegressionTrainer.Options
        {
            LabelColumnName = "Label",
            FeatureColumnName = "Features",
            ExampleWeightColumnName = "Weight",
            NumberOfIterations = h.Trees,
            NumberOfLeaves = h.Leaves,
            LearningRate = h.LearningRate,
            MinimumExampleCountPerLeaf = h.MinDataPerLeaf,
            MaximumBinCountPerFeature = h.MaxBins,
            NumberOfThreads = threads > 0 ? threads : Environment.ProcessorCount,
            Seed = seed,
            Deterministic = true,
            UseCategoricalSplit = false,
            HandleMissingValue = false,
            Silent = true,
            Verbose = false,
            EarlyStoppingRound = validation is null ? 0 : earlyStopping,
            Booster = new GradientBooster.Options
            {
                MaximumTreeDepth = h.MaxDepth,
                FeatureFraction = h.FeatureFraction,
                SubsampleFraction = h.BaggingFraction,
                SubsampleFrequency = h.BaggingFrequency,
                L2Regularization = h.L2,
            },
        };
        LightGbmRegressionTrainer trainer = ml.Regression.Trainers.LightGbm(options);
        RegressionPredictionTransformer<LightGbmRegressionModelParameters> model = validation is null || earlyStopping == 0
            ? trainer.Fit(train)
            : trainer.Fit(train, validation);
        return Convert(ml, model, model.Model.TrainedTreeEnsemble, width, model.Model, "LightGBM");
    }

    private TrainedTrees TrainFastTree(MLContext ml, IDataView train, int width, Hyperparameters h)
    {
        var options = new FastTreeRegressionTrainer.Options
        {
            LabelColumnName = "Label",
            FeatureColumnName = "Features",
            ExampleWeightColumnName = "Weight",
            NumberOfTrees = h.Trees,
            NumberOfLeaves = Math.Min(h.Leaves, 1 << h.MaxDepth),
            LearningRate = h.LearningRate,
            MinimumExampleCountPerLeaf = h.MinDataPerLeaf,
            MaximumBinCountPerFeature = h.MaxBins,
            FeatureFraction = h.FeatureFraction,
            NumberOfThreads = threads > 0 ? threads : Environment.ProcessorCount,
            Seed = seed,
        };
        RegressionPredictionTransformer<FastTreeRegressionModelParameters> model = ml.Regression.Trainers.FastTree(options).Fit(train);
        return Convert(ml, model, model.Model.TrainedTreeEnsemble, width, model.Model, "FastTree");
    }

    private static TrainedTrees Convert(MLContext ml, ITransformer model, RegressionTreeEnsemble ensemble, int width,
        TreeEnsembleModelParameters weights, string engineName)
    {
        if (ensemble.Bias != 0)
        {
            // ML.NET's GetOutput sums the trees only; a bias would change predictions. LightGBM and FastTree fold
            // the initial score into the trees, so this never happens; refuse rather than predict differently.
            throw new InvalidOperationException($"the {engineName} ensemble has a bias ({ensemble.Bias}), which the evaluator does not model");
        }
        var trees = new List<PointerTree>(ensemble.Trees.Count);
        for (int t = 0; t < ensemble.Trees.Count; t++)
        {
            RegressionTree tree = ensemble.Trees[t];
            if (ensemble.TreeWeights[t] != 1.0)
            {
                throw new InvalidOperationException($"tree {t} has weight {ensemble.TreeWeights[t]}; the evaluator expects 1");
            }
            if (tree.CategoricalSplitFlags.Any(flag => flag))
            {
                throw new InvalidOperationException("categorical splits are not supported");
            }
            trees.Add(new PointerTree(tree.LeftChild, tree.RightChild, tree.NumericalSplitFeatureIndexes,
                tree.NumericalSplitThresholds, tree.LeafValues));
        }
        VBuffer<float> gains = default;
        weights.GetFeatureWeights(ref gains);
        float[] importance = new float[width];
        gains.DenseValues().Take(width).ToArray().CopyTo(importance, 0);
        return new TrainedTrees(CompleteTreeEnsemble.FromPointerTrees(width, trees), importance, engineName, model, ml);
    }

    /// <summary>ML.NET's predictions through its own row pipeline (tests compare them with the evaluator's).</summary>
    public static float[] PredictWithMlNet(TrainedTrees trees, ReadOnlySpan<float> features, int width)
    {
        var data = new RegionData(width);
        for (int r = 0; r < features.Length / width; r++)
        {
            data.Add(features.Slice(r * width, width), 0, 1, 0, 0);
        }
        if (trees.MlNetModel is null || trees.MlNet is null)
        {
            throw new InvalidOperationException($"trees grown by {trees.Engine} have no ML.NET model");
        }
        IDataView scored = trees.MlNetModel.Transform(ToDataView(trees.MlNet, data));
        return [.. scored.GetColumn<float>("Score")];
    }

    private static IDataView ToDataView(MLContext ml, RegionData data)
    {
        int width = data.Width;
        var rows = new Row[data.Rows];
        ReadOnlySpan<float> features = data.Features;
        for (int r = 0; r < rows.Length; r++)
        {
            rows[r] = new Row
            {
                Features = features.Slice(r * width, width).ToArray(),
                Label = data.Target[r],
                Weight = data.Weight[r],
            };
        }
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    private static bool IsMissingNative(Exception e) =>
        Innermost(e) is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException;

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }
        return e;
    }

    /// <summary>One training row as ML.NET loads it.</summary>
    private sealed class Row
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }

        public float Weight { get; set; }
    }
}
