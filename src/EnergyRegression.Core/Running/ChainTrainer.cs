using EnergyRegression.Core.Configuration;
using EnergyRegression.Core.Plugins;
using EnergyRegression.Data;
using EnergyRegression.Plugins;
using EnergyRegression.Running;

namespace EnergyRegression.Core.Running;

/// <summary>Options of <c>energyreg train</c> beyond the chain file.</summary>
public sealed record TrainOptions
{
    /// <summary>Overrides of the chain's top-level settings.</summary>
    public RunOverrides Overrides { get; init; } = new();

    /// <summary>The model file (<c>--output</c>): overrides <c>train: output:</c> and the stage's <c>model:</c>.</summary>
    public string? Output { get; init; }

    /// <summary>Continue from the last checkpoint (<c>--resume</c>).</summary>
    public bool Resume { get; init; }

    /// <summary>The stages to train (<c>--stage</c>), in order; empty: <c>train: stage:</c>/<c>stages:</c> or the only one.</summary>
    public IReadOnlyList<string> Stages { get; init; } = [];
}

/// <summary>What a training run did for one stage, for the final summary.</summary>
public sealed record TrainSummary(
    EventLoopResult Loop, string Stage, long TrainingEvents, long ValidationEvents, long TestEvents,
    IReadOnlyList<string> SplitKeys, string ModelPath, string CutFlowPath, TimeSpan TrainingTime);

/// <summary>
/// <c>energyreg train</c>: runs the reader and the stages before the trainable regressor (in parallel, like
/// <c>run</c>), splits the events that reach it into training, validation and test by <see cref="DataSplit"/>,
/// keeps training and validation in memory, lets the regressor train on them and save its model. Stages after
/// the regressor and the writer do not run, nor do the chain's other trainable regressors: a regressor trains on
/// the chain's features, not on another regressor's output. Several stages (<c>train: stages:</c>) train one after
/// the other; those reached through the same stages share one read of the events. The cut flow of the events that
/// reached a regressor is written beside its model (<c>MODEL.cutflow.json</c>).
/// </summary>
public sealed class ChainTrainer(IRunLog log, IProgressDisplay progress)
{
    /// <summary>Trains the chain file's regressor (or the several stages asked for), one summary per stage.</summary>
    public async Task<IReadOnlyList<TrainSummary>> TrainAsync(string chainPath, TrainOptions options, CancellationToken cancellation)
    {
        (ChainFile file, PluginCatalog catalog) = ChainRunner.Load(chainPath);
        ChainDefinition definition = file.Definition;
        RunOverrides overrides = options.Overrides;
        int seed = overrides.Seed ?? definition.Seed;
        var context = new RunContext(log, progress, seed, cancellation, RunMode.Train);
        using var chain = Chain.Build(file, catalog, context);

        IReadOnlyList<string> wanted = options.Stages.Count > 0 ? options.Stages
            : definition.Train.Stages.Length > 0 ? definition.Train.Stages
            : definition.Train.Stage is { } one ? [one] : [];
        IReadOnlyList<(int Index, ChainStep Step)> targets = FindTrainable(file, chain, wanted);
        string? output = options.Output ?? definition.Train.Output;
        if (targets.Count > 1 && output is not null)
        {
            throw file.Binder.AtKey(file.Root, default, options.Output is null ? "train.output" : "train.stages",
                $"{targets.Count} stages are trained, each into the file of its own 'model:' key: a single --output or 'train: output:' cannot name them all");
        }

        var summaries = new List<TrainSummary>();
        var split = DataSplit.From(definition.Train);
        EventLoopOptions loopOptions = overrides.LoopOptions(definition);
        KeptEvents? kept = null;
        try
        {
            foreach ((int index, ChainStep step) in targets)
            {
                var regressor = (ITrainableRegressor)step.Instance;
                string modelPath = output ?? regressor.ModelPath ?? throw new ConfigurationException(
                    file.Path, step.Position.Line, step.Position.Column,
                    $"training {step.Description} needs a model file: give --output, 'train: output:' or the stage's 'model:' key");
                List<ChainStep> before = [.. chain.Stages.Take(index).Where(s => s.Instance is not ITrainableRegressor)];
                if (kept is null || !kept.Through.SequenceEqual(before))
                {
                    kept?.Dispose();
                    log.Info($"training {step.Description} of '{definition.Name}' ({chainPath}, sha256 {file.Sha256[..12]}): "
                        + $"reading events through the {before.Count} stage(s) before it");
                    kept = new KeptEvents(before, split);
                    kept.Loop = await new EventLoop(chain.View(before), progress, kept.Keep).RunAsync(loopOptions, cancellation);
                }
                else
                {
                    log.Info($"training {step.Description} on the events read for the previous stage");
                }
                summaries.Add(Train(file, chain, step, regressor, kept, modelPath, options.Resume, seed, context));
                cancellation.ThrowIfCancellationRequested();
            }
            return summaries;
        }
        finally
        {
            kept?.Dispose();
        }
    }

    private TrainSummary Train(ChainFile file, Chain chain, ChainStep step, ITrainableRegressor regressor, KeptEvents kept,
        string modelPath, bool resume, int seed, RunContext context)
    {
        var data = new TrainingData(kept.Training, kept.Validation) { ModelPath = modelPath, Resume = resume };
        string keys = kept.SplitKeys is { Count: > 0 } ? string.Join(", ", kept.SplitKeys) : "the input entry number";
        log.Info($"split by {keys}: {data.TrainingEvents:N0} training, {data.ValidationEvents:N0} validation, {kept.TestEvents:N0} test events");
        EventLoopResult loop = kept.Loop!;
        if (data.TrainingEvents == 0)
        {
            throw new InputDataException(file.Path, step.Place,
                $"no events reached {step.Description} for training ({loop.EventsRead:N0} read; see the cut flow with 'energyreg run')");
        }

        Provenance provenance = ChainRunner.NewProvenance(file, chain, seed);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Call(step, "training", () => regressor.Train(data, context));
        context.Cancellation.ThrowIfCancellationRequested();
        Call(step, "saving its model", () => regressor.SaveModel(modelPath, provenance));
        clock.Stop();

        string cutFlowPath = ChainRunner.SidecarPath(modelPath, "cutflow");
        ChainRunner.WriteJsonAtomically(cutFlowPath, ChainRunner.CutFlowDocument(loop.CutFlow));
        return new TrainSummary(loop, step.Label, data.TrainingEvents, data.ValidationEvents, kept.TestEvents,
            kept.SplitKeys ?? [], modelPath, cutFlowPath, clock.Elapsed);
    }

    /// <summary>The training and validation events of one read, held in memory.</summary>
    private sealed class KeptEvents(IReadOnlyList<ChainStep> through, DataSplit split) : IDisposable
    {
        public IReadOnlyList<ChainStep> Through { get; } = through;
        public List<EventBatch> Training { get; } = [];
        public List<EventBatch> Validation { get; } = [];
        public long TestEvents { get; private set; }
        public IReadOnlyList<string>? SplitKeys { get; private set; }
        public EventLoopResult? Loop { get; set; }

        public void Keep(EventBatch batch)
        {
            SplitKeys ??= split.KeysIn(batch);
            DataPart[] parts = split.Assign(batch);
            TestEvents += parts.Count(p => p == DataPart.Test);
            if (parts.Any(p => p == DataPart.Validation))
            {
                EventBatch held = batch.Clone();
                held.KeepEvents(parts.Select(p => p == DataPart.Validation).ToArray());
                Validation.Add(held);
            }
            batch.KeepEvents(parts.Select(p => p == DataPart.Training).ToArray());
            Training.Add(batch);
        }

        public void Dispose()
        {
            Training.ForEach(b => b.Dispose());
            Validation.ForEach(b => b.Dispose());
        }
    }

    private static void Call(ChainStep step, string activity, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            throw step.Translate(e, activity);
        }
    }

    /// <summary>The stages <c>wanted</c> names (in that order), or the chain's only trainable regressor.</summary>
    private static IReadOnlyList<(int Index, ChainStep Step)> FindTrainable(ChainFile file, Chain chain, IReadOnlyList<string> wanted)
    {
        var trainable = chain.Stages.Select((s, i) => (Index: i, Step: s)).Where(x => x.Step.Instance is ITrainableRegressor).ToList();
        string key = file.Definition.Train.Stages.Length > 0 ? "train.stages" : "train.stage";
        if (wanted.Count > 0)
        {
            if (wanted.Distinct(StringComparer.Ordinal).Count() != wanted.Count)
            {
                throw file.Binder.AtKey(file.Root, default, key, $"a stage is named twice: {string.Join(", ", wanted)}");
            }
            string[] labels = [.. trainable.Select(x => x.Step.Label)];
            return [.. wanted.Select(name =>
            {
                var named = chain.Stages.Select((s, i) => (Index: i, Step: s))
                    .Where(x => x.Step.Label == name || x.Step.Plugin.Name == name).ToList();
                return named.Count switch
                {
                    1 when named[0].Step.Instance is ITrainableRegressor => named[0],
                    1 => throw file.Binder.AtKey(file.Root, default, key, $"{named[0].Step.Description} cannot be trained; trainable: {(labels.Length == 0 ? "(none)" : string.Join(", ", labels))}"),
                    0 => throw file.Binder.AtKey(file.Root, default, key, $"no stage named '{name}'{NameSuggestions.DidYouMean(name, chain.Stages.Select(s => s.Label))}"),
                    _ => throw file.Binder.AtKey(file.Root, default, key, $"{named.Count} stages are called '{name}': give them distinct 'name:'s"),
                };
            })];
        }
        return trainable.Count switch
        {
            1 => [trainable[0]],
            0 => throw new ConfigurationException(file.Path, 1, 1,
                $"nothing to train: no stage of the chain is a trainable regressor ({string.Join(", ", chain.Stages.Select(s => s.Label))})"),
            _ => throw new ConfigurationException(file.Path, 1, 1,
                $"{trainable.Count} trainable regressors ({string.Join(", ", trainable.Select(x => x.Step.Label))}): choose with 'train: stage:' or 'train: stages:' (or --stage)"),
        };
    }
}
