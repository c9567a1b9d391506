using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using EnergyRegression.Models;
using EnergyRegression.Running;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnergyRegression.Plugins.Regressors.Torch;

/// <summary>One epoch of the learning curves.</summary>
internal sealed record EpochRecord(int Epoch, double LearningRate, double TrainingLoss, double ValidationLoss, double ValidationRmse, double Seconds);

/// <summary>What a training run ended with.</summary>
internal sealed record TrainingOutcome(IReadOnlyList<EpochRecord> Curve, int BestEpoch, bool StoppedEarly, IReadOnlyDictionary<string, double> Metrics);

/// <summary>Evaluation of a model on a set: its loss as trained, and μ against y in target units.</summary>
internal sealed record Evaluation(double Loss, double Rmse, double MeanAbsoluteError, double SigmaEffResponse, double MedianResponse);

/// <summary>
/// The training loop: the whole training set lives in one tensor (normalised once); each step gathers a mini-batch by
/// an index tensor (no per-object allocation), optionally augments the images, and takes an optimiser step on the
/// source-weighted loss. Epoch order comes from the run's seeded streams (<c>torch.shuffle.EPOCH</c>,
/// <c>torch.augment.EPOCH</c>), so a run resumed from a checkpoint continues exactly as an uninterrupted one.
/// </summary>
internal sealed class Trainer(TorchModel model, TrainingConfig config, LossConfig lossConfig, IRunContext context)
{
    private const int EvaluationChunk = 4096;

    private long[] _sourceValues = [];

    private readonly Dictionary<long, double> _sourceWeights = lossConfig.SourceWeights.ToDictionary(
        p => long.Parse(p.Key, CultureInfo.InvariantCulture), p => p.Value);

    /// <summary>Where the checkpoint of a model file is kept.</summary>
    public static string CheckpointPath(string modelPath) => Sidecar(modelPath, "checkpoint");

    /// <summary>Beside the model: <c>DIR/NAME.KIND</c> for <c>DIR/NAME.EXT</c>.</summary>
    public static string Sidecar(string modelPath, string kind) =>
        Path.Combine(Path.GetDirectoryName(modelPath) ?? "", $"{Path.GetFileNameWithoutExtension(modelPath)}.{kind}");

    public TrainingOutcome Train(TrainingSet training, TrainingSet validation, string? modelPath, bool resume)
    {
        Network network = model.Network;
        bool sources = lossConfig.Source is not null;
        using var data = new DeviceSet(model, training, sources);
        using var held = new DeviceSet(model, validation, sources);
        _sourceValues = sources ? [.. training.Sources.AsSpan(0, training.Rows).ToArray().Distinct().Order()] : [];
        using OptimizerHelper optimizer = CreateOptimizer(network);
        int rows = training.Rows, batch = Math.Min(config.BatchSize, rows);
        int steps = config.StepsPerEpoch > 0 ? config.StepsPerEpoch : (rows + batch - 1) / batch;
        int[] image = model.Description.Network.ImageShape;

        var curve = new List<EpochRecord>();
        int firstEpoch = 1, bestEpoch = 0, sinceBest = 0;
        double bestLoss = double.PositiveInfinity;
        byte[]? bestWeights = null;
        string? checkpoint = modelPath is null ? null : CheckpointPath(modelPath);
        if (modelPath is not null && Path.GetDirectoryName(Path.GetFullPath(modelPath)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }
        if (resume && checkpoint is not null)
        {
            if (File.Exists(checkpoint))
            {
                var state = Checkpoint.Read(checkpoint, model, optimizer);
                curve.AddRange(state.Curve);
                firstEpoch = state.Epoch + 1;
                (bestEpoch, bestLoss, sinceBest, bestWeights) = (state.BestEpoch, state.BestLoss, state.SinceBest, state.BestWeights);
                context.Log.Info($"resuming from {checkpoint} after epoch {state.Epoch} (best validation loss {bestLoss:G5} at epoch {bestEpoch})");
            }
            else
            {
                context.Log.Warning($"--resume: no checkpoint {checkpoint}; training from the start");
            }
        }

        bool stoppedEarly = curve.Count > 0 && config.Patience > 0 && sinceBest >= config.Patience;
        using IProgressTask progress = context.StartProgress($"training {model.Network.GetName()}", (long)(config.Epochs - firstEpoch + 1) * steps);
        for (int epoch = firstEpoch; epoch <= config.Epochs && !stoppedEarly; epoch++)
        {
            var clock = Stopwatch.StartNew();
            double rate = LearningRate(epoch);
            foreach (ParamGroup group in optimizer.ParamGroups)
            {
                group.LearningRate = rate;
            }
            network.train();
            long[] order = Permutation(rows, context.CreateRandom(string.Create(CultureInfo.InvariantCulture, $"torch.shuffle.{epoch}")));
            Random augmentRandom = context.CreateRandom(string.Create(CultureInfo.InvariantCulture, $"torch.augment.{epoch}"));
            double lossSum = 0;
            using (Tensor orderTensor = tensor(order, device: model.Device))
            {
                for (int step = 0; step < steps; step++)
                {
                    context.Cancellation.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    int start = (int)((long)step * batch % rows);
                    int count = config.StepsPerEpoch > 0 ? batch : Math.Min(batch, rows - start);
                    Tensor index = start + count <= rows
                        ? orderTensor.narrow(0, start, count)
                        : cat([orderTensor.narrow(0, start, rows - start), orderTensor.narrow(0, 0, count - (rows - start))], 0);
                    Tensor x = data.Features.index_select(0, index);
                    if (config.Augment.Any && image.Length == 3)
                    {
                        x = Augment(x, image, augmentRandom);
                    }
                    Tensor loss = WeightedLoss(network.forward(x), data.Targets.index_select(0, index),
                        data.Sources?.index_select(0, index));
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                    lossSum += loss.item<float>() * count;
                    progress.Advance(1);
                }
            }
            long seen = config.StepsPerEpoch > 0 ? (long)steps * batch : rows;
            double trainingLoss = lossSum / seen;
            Evaluation? val = held.Rows > 0 ? Evaluate(held) : null;
            double monitored = val?.Loss ?? trainingLoss;
            curve.Add(new EpochRecord(epoch, rate, trainingLoss, val?.Loss ?? double.NaN, val?.Rmse ?? double.NaN, clock.Elapsed.TotalSeconds));
            if (monitored < bestLoss - config.MinDelta)
            {
                (bestLoss, bestEpoch, sinceBest) = (monitored, epoch, 0);
                bestWeights = WeightsOf(model);
            }
            else
            {
                sinceBest++;
            }
            stoppedEarly = config.Patience > 0 && sinceBest >= config.Patience && epoch < config.Epochs;
            string status = string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}/{config.Epochs} loss {trainingLoss:G4}")
                + (val is null ? "" : string.Create(CultureInfo.InvariantCulture, $" val {val.Loss:G4} rmse {val.Rmse:G4}"));
            progress.SetStatus(status);
            context.Log.Info(status + (stoppedEarly ? $" (no improvement for {sinceBest} epochs: stopping)" : ""));
            if (checkpoint is not null && config.Checkpoints)
            {
                Checkpoint.Write(checkpoint, new Checkpoint(epoch, bestEpoch, bestLoss, sinceBest, [.. curve], bestWeights), model, optimizer);
            }
            if (modelPath is not null && config.Curves)
            {
                LearningCurves.Write(modelPath, curve, context.Log);
            }
        }
        if (config.RestoreBest && bestWeights is not null && bestEpoch != curve[^1].Epoch)
        {
            using var stream = new MemoryStream(bestWeights);
            model.LoadWeights(stream);
            context.Log.Info($"keeping the weights of epoch {bestEpoch} (lowest validation loss {bestLoss:G5})");
        }

        var metrics = new Dictionary<string, double>();
        Evaluation trained = Evaluate(data);
        metrics["training_loss"] = trained.Loss;
        metrics["training_rmse"] = trained.Rmse;
        if (held.Rows > 0)
        {
            Evaluation final = Evaluate(held);
            metrics["validation_loss"] = final.Loss;
            metrics["validation_rmse"] = final.Rmse;
            metrics["validation_mae"] = final.MeanAbsoluteError;
            metrics["validation_response_median"] = final.MedianResponse;
            metrics["validation_response_sigma_eff"] = final.SigmaEffResponse;
        }
        metrics["best_epoch"] = bestEpoch;
        metrics["epochs"] = curve.Count == 0 ? 0 : curve[^1].Epoch;
        return new TrainingOutcome(curve, bestEpoch, stoppedEarly, metrics);
    }

    private OptimizerHelper CreateOptimizer(Network network) => config.Optimizer switch
    {
        OptimizerKind.Adam => optim.Adam(network.parameters(), config.LearningRate, weight_decay: config.WeightDecay),
        OptimizerKind.AdamW => optim.AdamW(network.parameters(), config.LearningRate, weight_decay: config.WeightDecay),
        OptimizerKind.Rmsprop => optim.RMSProp(network.parameters(), config.LearningRate, weight_decay: config.WeightDecay),
        _ => throw new InvalidOperationException($"unknown optimizer {config.Optimizer}"),
    };

    /// <summary>The learning rate of an epoch (1-based).</summary>
    public double LearningRate(int epoch) => config.Schedule switch
    {
        ScheduleKind.Step => config.LearningRate * Math.Pow(config.Gamma, (epoch - 1) / config.StepEpochs),
        ScheduleKind.Exponential => config.LearningRate * Math.Pow(config.Gamma, epoch - 1),
        ScheduleKind.Cosine => config.MinLearningRate + ((config.LearningRate - config.MinLearningRate)
            * 0.5 * (1 + Math.Cos(Math.PI * (epoch - 1) / config.Epochs))),
        _ => config.LearningRate,
    };

    /// <summary>Σ_s w_s · (mean loss of the objects of source s); the plain mean without sources.</summary>
    private Tensor WeightedLoss(Tensor output, Tensor targets, Tensor? sources)
    {
        Tensor perObject = Losses.PerObject(model.Loss, output, targets);
        if (sources is null)
        {
            return perObject.mean();
        }
        Tensor total = zeros([], device: model.Device);
        foreach (long source in _sourceValues)
        {
            Tensor mask = sources.eq(source).to_type(ScalarType.Float32);
            total += (perObject * mask).sum() / mask.sum().clamp_min(1) * Weight(source);
        }
        return total;
    }

    private double Weight(long source) => _sourceWeights.TryGetValue(source, out double w) ? w : 1;

    /// <summary>Flips and shifts of the image part of the rows (2-D images; for 3-D inputs the last two axes).</summary>
    private Tensor Augment(Tensor x, int[] image, Random random)
    {
        long n = x.shape[0];
        int size = image.Aggregate(1, (a, b) => a * b);
        long[] shape = [n, image[0], image[1], image[2]];
        Tensor img = x.narrow(1, 0, size).reshape(shape);
        AugmentConfig augment = config.Augment;
        if (augment.FlipEta)
        {
            img = where(Coin(random, n).reshape(n, 1, 1, 1), img.flip(2), img);
        }
        if (augment.FlipPhi)
        {
            img = where(Coin(random, n).reshape(n, 1, 1, 1), img.flip(3), img);
        }
        if (augment.Shift > 0)
        {
            int k = augment.Shift;
            int dEta = random.Next(-k, k + 1), dPhi = random.Next(-k, k + 1);
            Tensor padded = nn.functional.pad(img, [k, k, k, k]);
            img = padded.narrow(2, k - dEta, image[1]).narrow(3, k - dPhi, image[2]);
        }
        Tensor flat = img.reshape(n, size);
        return x.shape[1] > size ? cat([flat, x.narrow(1, size, x.shape[1] - size)], 1) : flat;
    }

    private Tensor Coin(Random random, long n)
    {
        bool[] heads = new bool[n];
        for (int i = 0; i < n; i++)
        {
            heads[i] = random.Next(2) == 1;
        }
        return tensor(heads, device: model.Device);
    }

    /// <summary>Loss as trained (source-weighted), RMSE and MAE of μ − y, and the median and σ_eff of μ/y.</summary>
    public Evaluation Evaluate(DeviceSet set)
    {
        using var noGrad = no_grad();
        model.Network.eval();
        var mu = new float[set.Rows];
        double lossSum = 0;
        var sourceSums = new Dictionary<long, (double Sum, long Count)>();
        for (int first = 0; first < set.Rows; first += EvaluationChunk)
        {
            using var scope = NewDisposeScope();
            int n = Math.Min(EvaluationChunk, set.Rows - first);
            Tensor output = model.Network.forward(set.Features.narrow(0, first, n));
            Tensor perObject = Losses.PerObject(model.Loss, output, set.Targets.narrow(0, first, n));
            float[] losses = perObject.cpu().data<float>().ToArray();
            output.select(1, 0).cpu().data<float>().CopyTo(mu.AsSpan(first, n));
            if (set.Sources is null)
            {
                lossSum += losses.Sum(v => (double)v);
            }
            else
            {
                for (int i = 0; i < n; i++)
                {
                    long s = set.SourceArray![first + i];
                    sourceSums[s] = sourceSums.TryGetValue(s, out var acc) ? (acc.Sum + losses[i], acc.Count + 1) : (losses[i], 1);
                }
            }
        }
        model.Network.train();
        double loss = set.Sources is null ? lossSum / Math.Max(1, set.Rows)
            : sourceSums.Sum(p => Weight(p.Key) * p.Value.Sum / p.Value.Count);
        double se = 0, ae = 0;
        var response = new double[set.Rows];
        for (int i = 0; i < set.Rows; i++)
        {
            double d = mu[i] - set.TargetArray[i];
            se += d * d;
            ae += Math.Abs(d);
            response[i] = mu[i] / set.TargetArray[i];
        }
        Array.Sort(response);
        return new Evaluation(loss, Math.Sqrt(se / Math.Max(1, set.Rows)), ae / Math.Max(1, set.Rows), SigmaEff(response), Median(response));
    }

    /// <summary>Half the width of the smallest interval holding 68.3% of the sorted values (../shared/PHYSICS.md, "Metrics").</summary>
    public static double SigmaEff(double[] sorted)
    {
        int n = sorted.Length;
        if (n < 2)
        {
            return double.NaN;
        }
        int k = Math.Max(1, (int)Math.Ceiling(0.683 * n)) - 1;
        double best = double.PositiveInfinity;
        for (int i = 0; i + k < n; i++)
        {
            best = Math.Min(best, sorted[i + k] - sorted[i]);
        }
        return best / 2;
    }

    private static double Median(double[] sorted) => sorted.Length == 0 ? double.NaN
        : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]);

    private static long[] Permutation(int n, Random random)
    {
        var order = new long[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private static byte[] WeightsOf(TorchModel model)
    {
        using var stream = new MemoryStream();
        model.SaveWeights(stream);
        return stream.ToArray();
    }
}

/// <summary>A training set as tensors on the model's device, normalised once.</summary>
internal sealed class DeviceSet : IDisposable
{
    public DeviceSet(TorchModel model, TrainingSet set, bool withSources)
    {
        Rows = set.Rows;
        float[] features = set.Features.Length == set.Rows * set.Width ? set.Features : set.Features.AsSpan(0, set.Rows * set.Width).ToArray();
        Features = model.Normalise(tensor(features, [set.Rows, set.Width]).to(model.Device));
        TargetArray = set.Targets.AsSpan(0, set.Rows).ToArray();
        Targets = tensor(TargetArray, device: model.Device);
        if (withSources)
        {
            SourceArray = set.Sources.AsSpan(0, set.Rows).ToArray();
            Sources = tensor(SourceArray, device: model.Device);
        }
    }

    public int Rows { get; }
    public Tensor Features { get; }
    public Tensor Targets { get; }
    public float[] TargetArray { get; }
    public Tensor? Sources { get; }
    public long[]? SourceArray { get; }

    public void Dispose()
    {
        Features.Dispose();
        Targets.Dispose();
        Sources?.Dispose();
    }
}

/// <summary>
/// The state after an epoch, beside the model (<c>MODEL.checkpoint</c>, a zip): the epoch, the best epoch and loss,
/// the learning curves, the current and best weights and the optimiser's state. Written atomically every epoch.
/// </summary>
internal sealed record Checkpoint(int Epoch, int BestEpoch, double BestLoss, int SinceBest, EpochRecord[] Curve, byte[]? BestWeights)
{
    private const string StateEntry = "state.json", WeightsEntry = "weights.bin", BestEntry = "best.bin", OptimizerEntry = "optimizer.bin", ModelEntry = "model.json";

    public static void Write(string path, Checkpoint state, TorchModel model, OptimizerHelper optimizer)
    {
        string temporary = path + ".partial";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
        {
            using (Stream s = zip.CreateEntry(StateEntry).Open())
            {
                JsonSerializer.Serialize(s, state with { BestWeights = null }, ModelArchive.Json);
            }
            using (Stream s = zip.CreateEntry(ModelEntry).Open())
            {
                JsonSerializer.Serialize(s, model.Description, ModelArchive.Json);
            }
            using (Stream s = zip.CreateEntry(WeightsEntry, CompressionLevel.Fastest).Open())
            {
                model.SaveWeights(s);
            }
            if (state.BestWeights is not null)
            {
                using Stream s = zip.CreateEntry(BestEntry, CompressionLevel.Fastest).Open();
                s.Write(state.BestWeights);
            }
            using (Stream s = zip.CreateEntry(OptimizerEntry, CompressionLevel.Fastest).Open())
            {
                using var buffer = new MemoryStream();
                using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
                {
                    optimizer.save_state_dict(writer);
                }
                buffer.Position = 0;
                buffer.CopyTo(s);
            }
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a checkpoint into the model and optimiser; one written for another network is an input error.</summary>
    public static Checkpoint Read(string path, TorchModel model, OptimizerHelper optimizer)
    {
        try
        {
            using ZipArchive zip = ZipFile.OpenRead(path);
            byte[] Bytes(string entry)
            {
                using Stream s = (zip.GetEntry(entry) ?? throw new InputDataException(path, entry, "entry missing from the checkpoint")).Open();
                using var m = new MemoryStream();
                s.CopyTo(m);
                return m.ToArray();
            }
            Checkpoint state = JsonSerializer.Deserialize<Checkpoint>(Bytes(StateEntry), ModelArchive.Json)
                ?? throw new InputDataException(path, StateEntry, "empty");
            string saved = System.Text.Encoding.UTF8.GetString(Bytes(ModelEntry));
            string current = JsonSerializer.Serialize(model.Description, ModelArchive.Json);
            if (saved != current)
            {
                throw new InputDataException(path, ModelEntry,
                    "the checkpoint was written for another network, inputs, normalisation or loss than this chain trains: remove it, or train without --resume");
            }
            using (var weights = new MemoryStream(Bytes(WeightsEntry)))
            {
                model.LoadWeights(weights);
            }
            using (var reader = new BinaryReader(new MemoryStream(Bytes(OptimizerEntry))))
            {
                optimizer.load_state_dict(reader);
            }
            return state with { BestWeights = zip.GetEntry(BestEntry) is null ? null : Bytes(BestEntry) };
        }
        catch (InvalidDataException e)
        {
            throw new InputDataException(path, "file", $"not a readable checkpoint: {e.Message}", e);
        }
    }
}
