using EnergyRegression.Data;
using EnergyRegression.Plugins;
using EnergyRegression.Plugins.Features;
using EnergyRegression.Plugins.Regressors.Torch;
using EnergyRegression.Plugins.Simulation;
using EnergyRegression.Running;

namespace EnergyRegression.Plugins.Regressors.Torch.Tests;

/// <summary>
/// Every test touching torch runs in this one collection: torch's random state and thread count are process-wide,
/// so two tests building networks at once would not be deterministic.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "torch";
}

/// <summary>A temporary directory removed at the end of a test.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("torch-tests-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>Simulated particle-gun electrons with 28 × 28 windows, as the seeds used.</summary>
internal static class Samples
{
    private static readonly Dictionary<(int, int, int, bool), EventBatch> Cache = [];

    /// <summary>
    /// The seeds' sample: e+ of 20–100 GeV at η = 0, φ = π/2, a 28 × 28 window around the most energetic crystal
    /// (Electron_window28x28); with <paramref name="barrel"/> the whole barrel in η and φ instead, with
    /// <paramref name="pileup"/> pile-up ⟨μ⟩. Cached per arguments and cloned, so tests share the simulation cost.
    /// </summary>
    public static EventBatch Gun(int events, int firstEvent = 0, int pileup = 0, bool barrel = false)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue((events, firstEvent, pileup, barrel), out EventBatch? batch))
            {
                var config = new SimulateReaderConfig
                {
                    Process = "particle-gun", Events = events, FirstEvent = firstEvent, Seed = 11, Particle = "e+",
                    Energy = [20, 100], Eta = barrel ? [-1.4, 1.4] : [0, 0], Phi = barrel ? [-Math.PI, Math.PI] : [Math.PI / 2, Math.PI / 2],
                    Pileup = pileup, Threads = 2,
                };
                using var reader = new SimulateReader(config);
                batch = reader.ReadBatches(events, CancellationToken.None).Single();
                new WindowPlugin(new WindowConfig { Collection = "Electron", Size = [28, 28] }).Compute(batch);
                Cache[(events, firstEvent, pileup, barrel)] = batch;
            }
            return batch.Clone();
        }
    }

    /// <summary>A batch of one object per event with the given columns (event-level collection Obj).</summary>
    public static EventBatch Objects(int n, params (string Name, int[] Shape, Func<int, int, float> Value)[] columns)
    {
        var batch = new EventBatch(n);
        int[] counts = [.. Enumerable.Repeat(1, n)];
        batch.AddCollection("Obj", counts);
        foreach ((string name, int[] shape, Func<int, int, float> value) in columns)
        {
            Column<float> column = batch.AddObjectColumn<float>("Obj", name, shape);
            int size = column.RowSize;
            Span<float> values = column.Values;
            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < size; k++)
                {
                    values[i * size + k] = value(i, k);
                }
            }
        }
        return batch;
    }

    /// <summary>Trains a regressor on the given batches (no model path: no checkpoints or curves unless given).</summary>
    public static TorchRegressor Train(TorchRegressorConfig config, IReadOnlyList<EventBatch> training, IReadOnlyList<EventBatch> validation,
        string? modelPath = null, bool resume = false, TestRunContext? context = null)
    {
        context ??= new TestRunContext(RunMode.Train, 7);
        var regressor = new TorchRegressor(config, context);
        regressor.Train(new TrainingData(training, validation) { ModelPath = modelPath, Resume = resume }, context);
        return regressor;
    }

    /// <summary>Keeps the events whose index satisfies <paramref name="keep"/> (a clone).</summary>
    public static EventBatch Select(EventBatch batch, Func<int, bool> keep)
    {
        EventBatch copy = batch.Clone();
        copy.KeepEvents([.. Enumerable.Range(0, batch.EventCount).Select(keep)]);
        return copy;
    }
}
