using System.Globalization;
using System.Text.Json;
using EnergyRegression.Plugins.Regressors.Gbdt.Trees;

namespace EnergyRegression.Plugins.Regressors.Gbdt.Training;

/// <summary>
/// Grows trees with LightGBM's C API and the project's own <see cref="IObjective"/> (LightGBM's "custom objective":
/// <c>objective=none</c>, every round given the gradients and hessians of our loss at LightGBM's current scores), for
/// the losses ML.NET's wrapper cannot pass to LightGBM. Early stopping keeps the trees up to the best mean validation
/// loss. The starting score is each object's <c>init_score</c> and is folded into the first tree's leaves, as LightGBM
/// folds its own average, so the ensemble has no separate bias. The trees come out of LightGBM's JSON dump
/// (<c>tree_info[].tree_structure</c>: nested split nodes with split_feature, threshold, decision_type "&lt;=", and
/// leaves with leaf_value) into the project's pointer trees.
/// </summary>
internal sealed class NativeBoosting(int threads, int seed)
{
    public const string EngineName = "LightGBM (C API)";

    public unsafe TrainedTrees Train(RegionData training, RegionData? validation, Hyperparameters h, int earlyStopping, IObjective objective,
        CancellationToken cancellation)
    {
        int width = training.Width;
        double start = objective.InitialScore(training);
        string datasetParameters = string.Create(CultureInfo.InvariantCulture,
            $"max_bin={h.MaxBins} use_missing=false zero_as_missing=false verbosity=-1 num_threads={Threads}");
        IntPtr trainSet = CreateDataset(training, datasetParameters, IntPtr.Zero, start);
        IntPtr validSet = IntPtr.Zero;
        IntPtr booster = IntPtr.Zero;
        try
        {
            bool validate = validation is { Rows: > 0 };
            if (validate)
            {
                validSet = CreateDataset(validation!, datasetParameters, trainSet, start);
            }
            string parameters = string.Create(CultureInfo.InvariantCulture,
                $"objective=none boost_from_average=false num_leaves={h.Leaves} max_depth={h.MaxDepth} learning_rate={h.LearningRate:R} "
                + $"min_data_in_leaf={h.MinDataPerLeaf} min_sum_hessian_in_leaf=0 feature_fraction={h.FeatureFraction:R} "
                + $"bagging_fraction={h.BaggingFraction:R} bagging_freq={h.BaggingFrequency} lambda_l2={h.L2:R} max_bin={h.MaxBins} "
                + $"num_threads={Threads} seed={seed} deterministic=true force_row_wise=true use_missing=false zero_as_missing=false verbosity=-1");
            LightGbmNative.Check(LightGbmNative.BoosterCreate(trainSet, parameters, out booster), "BoosterCreate");
            if (validate)
            {
                LightGbmNative.Check(LightGbmNative.BoosterAddValidData(booster, validSet), "BoosterAddValidData");
            }
            double[] scores = new double[training.Rows];
            double[] validScores = validate ? new double[validation!.Rows] : [];
            float[] gradients = new float[training.Rows];
            float[] hessians = new float[training.Rows];
            int best = 0;
            double bestLoss = double.PositiveInfinity;
            int grown = 0;
            for (int round = 0; round < h.Trees; round++)
            {
                cancellation.ThrowIfCancellationRequested();
                Scores(booster, 0, scores);
                objective.Gradients(scores, training, gradients, hessians);
                int finished;
                fixed (float* g = gradients, hh = hessians)
                {
                    LightGbmNative.Check(LightGbmNative.BoosterUpdateOneIterCustom(booster, g, hh, out finished), "BoosterUpdateOneIterCustom");
                }
                if (finished != 0)
                {
                    break; // no split improves any more: LightGBM did not add the round's tree
                }
                grown = round + 1;
                if (validate)
                {
                    Scores(booster, 1, validScores);
                    double loss = objective.MeanLoss(validScores, validation!);
                    if (loss < bestLoss)
                    {
                        (bestLoss, best) = (loss, grown);
                    }
                    else if (earlyStopping > 0 && grown - best >= earlyStopping)
                    {
                        break;
                    }
                }
            }
            int kept = validate && earlyStopping > 0 ? Math.Max(best, Math.Min(grown, 1)) : grown;
            List<PointerTree> trees = kept == 0 ? [] : ParseDump(LightGbmNative.DumpModel(booster, kept), width);
            if (trees.Count == 0)
            {
                trees.Add(new PointerTree([], [], [], [], [0.0]));
            }
            trees[0] = trees[0] with { LeafValues = [.. trees[0].LeafValues.Select(v => v + start)] };
            float[] importance = new float[width];
            if (kept > 0)
            {
                double[] gains = new double[width];
                fixed (double* g = gains)
                {
                    LightGbmNative.Check(LightGbmNative.BoosterFeatureImportance(booster, kept, LightGbmNative.ImportanceGain, g), "BoosterFeatureImportance");
                }
                for (int f = 0; f < width; f++)
                {
                    importance[f] = (float)gains[f];
                }
            }
            return new TrainedTrees(CompleteTreeEnsemble.FromPointerTrees(width, trees), importance, EngineName, null, null);
        }
        finally
        {
            // Freeing fails only for an invalid handle; nothing to do about it here.
            _ = booster != IntPtr.Zero ? LightGbmNative.BoosterFree(booster) : 0;
            _ = validSet != IntPtr.Zero ? LightGbmNative.DatasetFree(validSet) : 0;
            _ = LightGbmNative.DatasetFree(trainSet);
        }
    }

    private int Threads => threads > 0 ? threads : Environment.ProcessorCount;

    private static unsafe IntPtr CreateDataset(RegionData data, string parameters, IntPtr reference, double start)
    {
        IntPtr handle;
        fixed (float* x = data.Features)
        {
            LightGbmNative.Check(LightGbmNative.DatasetCreateFromMat(x, LightGbmNative.Float32, data.Rows, data.Width, 1, parameters, reference, out handle),
                "DatasetCreateFromMat");
        }
        // The label is not used by a custom objective, but LightGBM wants one; the starting score is init_score.
        double[] initial = new double[data.Rows];
        Array.Fill(initial, start);
        fixed (float* label = data.Target)
        fixed (double* init = initial)
        {
            LightGbmNative.Check(LightGbmNative.DatasetSetField(handle, "label", label, data.Rows, LightGbmNative.Float32), "DatasetSetField(label)");
            LightGbmNative.Check(LightGbmNative.DatasetSetField(handle, "init_score", init, data.Rows, LightGbmNative.Float64), "DatasetSetField(init_score)");
        }
        return handle;
    }

    private static unsafe void Scores(IntPtr booster, int dataIndex, double[] scores)
    {
        fixed (double* s = scores)
        {
            LightGbmNative.Check(LightGbmNative.BoosterGetPredict(booster, dataIndex, out long length, s), "BoosterGetPredict");
            if (length != scores.Length)
            {
                throw new InvalidOperationException($"LightGBM returned {length} scores for {scores.Length} objects");
            }
        }
    }

    /// <summary>The trees of a LightGBM JSON dump as pointer trees (children ≥ 0: internal nodes; ~k: leaf k).</summary>
    internal static List<PointerTree> ParseDump(string json, int width)
    {
        using var document = JsonDocument.Parse(json);
        var trees = new List<PointerTree>();
        foreach (JsonElement info in document.RootElement.GetProperty("tree_info").EnumerateArray())
        {
            var left = new List<int>();
            var right = new List<int>();
            var features = new List<int>();
            var thresholds = new List<float>();
            var leaves = new List<double>();
            int Visit(JsonElement node)
            {
                if (!node.TryGetProperty("split_feature", out JsonElement feature))
                {
                    leaves.Add(node.GetProperty("leaf_value").GetDouble());
                    return ~(leaves.Count - 1);
                }
                string decision = node.GetProperty("decision_type").GetString() ?? "";
                if (decision != "<=")
                {
                    throw new InvalidOperationException($"LightGBM split with decision '{decision}': only numerical '<=' splits are supported");
                }
                int index = left.Count;
                int f = feature.GetInt32();
                if ((uint)f >= (uint)width)
                {
                    throw new InvalidOperationException($"LightGBM split on feature {f} of {width}");
                }
                left.Add(0);
                right.Add(0);
                features.Add(f);
                thresholds.Add(FloatAtOrBelow(node.GetProperty("threshold").GetDouble()));
                left[index] = Visit(node.GetProperty("left_child"));
                right[index] = Visit(node.GetProperty("right_child"));
                return index;
            }
            Visit(info.GetProperty("tree_structure"));
            trees.Add(new PointerTree(left, right, features, thresholds, leaves));
        }
        return trees;
    }

    /// <summary>
    /// The largest float not above <paramref name="threshold"/>: LightGBM sends x left when (double)x ≤ threshold, and
    /// for a float x that holds exactly when x ≤ this float, the comparison the evaluator makes.
    /// </summary>
    internal static float FloatAtOrBelow(double threshold)
    {
        float f = (float)threshold;
        return f > threshold ? MathF.BitDecrement(f) : f;
    }
}
