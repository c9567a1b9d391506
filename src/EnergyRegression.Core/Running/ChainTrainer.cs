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
}

/// <summary>What a training run did, for the final summary.</summary>
public sealed record TrainSummary(
    EventLoopResult Loop, string Stage, long TrainingEvents, long ValidationEvents, long TestEvents,
    IReadOnlyList<string> SplitKeys, string ModelPath, string CutFlowPath, TimeSpan TrainingTime);

/// <summary>
/// <c>energyreg train</c>: runs the reader and the stages before the trainable regressor (in parallel, like
/// <c>run</c>), splits the events that reach it into training, validation and test by <see cref="DataSplit"/>,
/// keeps training and validation in memory, lets the regressor train on them and save its model. Stages after
/// the regressor and the writer do not run. The cut flow of the events that reached the regressor is written
/// beside the model (<c>MODEL.cutflow.json</c>).
/// </summary>
public sealed class ChainTrainer(IRunLog log, IProgressDisplay progress)
{
    /// <summary>Trains the chain file's regressor.</summary>
    public async Task<TrainSummary> TrainAsync(string chainPath, TrainOptions options, CancellationToken cancellation)
    {
        (ChainFile file, PluginCatalog catalog) = ChainRunner.Load(chainPath);
        ChainDefinition definition = file.Definition;
        RunOverrides overrides = options.Overrides;
        int seed = overrides.Seed ?? definition.Seed;
        var context = new RunContext(log, progress, seed, cancellation, RunMode.Train);
        using var chain = Chain.Build(file, catalog, context);

        (int index, ChainStep step) = FindTrainable(file, chain);
        var regressor = (ITrainableRegressor)step.Instance;
        string modelPath = options.Output ?? definition.Train.Output ?? regressor.ModelPath ?? throw new ConfigurationException(
            file.Path, step.Position.Line, step.Position.Column,
            $"training {step.Description} needs a model file: give --output, 'train: output:' or the stage's 'model:' key");

        var split = DataSplit.From(definition.Train);
        var training = new List<EventBatch>();
        var validation = new List<EventBatch>();
        long testEvents = 0;
        IReadOnlyList<string>? splitKeys = null;
        void Keep(EventBatch batch)
        {
            splitKeys ??= split.KeysIn(batch);
            DataPart[] parts = split.Assign(batch);
            testEvents += parts.Count(p => p == DataPart.Test);
            if (parts.Any(p => p == DataPart.Validation))
            {
                EventBatch held = batch.Clone();
                held.KeepEvents(parts.Select(p => p == DataPart.Validation).ToArray());
                validation.Add(held);
            }
            batch.KeepEvents(parts.Select(p => p == DataPart.Training).ToArray());
            training.Add(batch);
        }

        try
        {
            EventLoopOptions loopOptions = overrides.LoopOptions(definition);
            log.Info($"training {step.Description} of '{definition.Name}' ({chainPath}, sha256 {file.Sha256[..12]}): "
                + $"reading events through the {index} stage(s) before it");
            EventLoopResult loop = await new EventLoop(chain.Prefix(index), progress, Keep).RunAsync(loopOptions, cancellation);

            var data = new TrainingData(training, validation) { ModelPath = modelPath, Resume = options.Resume };
            string keys = splitKeys is { Count: > 0 } ? string.Join(", ", splitKeys) : "the input entry number";
            log.Info($"split by {keys}: {data.TrainingEvents:N0} training, {data.ValidationEvents:N0} validation, {testEvents:N0} test events");
            if (data.TrainingEvents == 0)
            {
                throw new InputDataException(file.Path, step.Place,
                    $"no events reached {step.Description} for training ({loop.EventsRead:N0} read; see the cut flow with 'energyreg run')");
            }

            Provenance provenance = ChainRunner.NewProvenance(file, chain, seed);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Call(step, "training", () => regressor.Train(data, context));
            cancellation.ThrowIfCancellationRequested();
            Call(step, "saving its model", () => regressor.SaveModel(modelPath, provenance));
            clock.Stop();

            string cutFlowPath = ChainRunner.SidecarPath(modelPath, "cutflow");
            ChainRunner.WriteJsonAtomically(cutFlowPath, ChainRunner.CutFlowDocument(loop.CutFlow));
            return new TrainSummary(loop, step.Label, data.TrainingEvents, data.ValidationEvents, testEvents,
                splitKeys ?? [], modelPath, cutFlowPath, clock.Elapsed);
        }
        finally
        {
            training.ForEach(b => b.Dispose());
            validation.ForEach(b => b.Dispose());
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

    /// <summary>The stage <c>train: stage:</c> names, or the chain's only trainable regressor.</summary>
    private static (int Index, ChainStep Step) FindTrainable(ChainFile file, Chain chain)
    {
        string? wanted = file.Definition.Train.Stage;
        var trainable = chain.Stages.Select((s, i) => (Index: i, Step: s)).Where(x => x.Step.Instance is ITrainableRegressor).ToList();
        if (wanted is not null)
        {
            var named = chain.Stages.Select((s, i) => (Index: i, Step: s))
                .Where(x => x.Step.Label == wanted || x.Step.Plugin.Name == wanted).ToList();
            string[] labels = trainable.Select(x => x.Step.Label).ToArray();
            return named.Count switch
            {
                1 when named[0].Step.Instance is ITrainableRegressor => named[0],
                1 => throw file.Binder.AtKey(file.Root, default, "train.stage", $"{named[0].Step.Description} cannot be trained; trainable: {(labels.Length == 0 ? "(none)" : string.Join(", ", labels))}"),
                0 => throw file.Binder.AtKey(file.Root, default, "train.stage", $"no stage named '{wanted}'{NameSuggestions.DidYouMean(wanted, chain.Stages.Select(s => s.Label))}"),
                _ => throw file.Binder.AtKey(file.Root, default, "train.stage", $"{named.Count} stages are called '{wanted}': give them distinct 'name:'s"),
            };
        }
        return trainable.Count switch
        {
            1 => trainable[0],
            0 => throw new ConfigurationException(file.Path, 1, 1,
                $"nothing to train: no stage of the chain is a trainable regressor ({string.Join(", ", chain.Stages.Select(s => s.Label))})"),
            _ => throw new ConfigurationException(file.Path, 1, 1,
                $"{trainable.Count} trainable regressors ({string.Join(", ", trainable.Select(x => x.Step.Label))}): choose one with 'train: stage:'"),
        };
    }
}
