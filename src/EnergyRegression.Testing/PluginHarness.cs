using System.Reflection;
using EnergyRegression.Configuration;
using EnergyRegression.Data;
using EnergyRegression.Models;
using EnergyRegression.Plugins;
using EnergyRegression.Running;

namespace EnergyRegression.Testing;

/// <summary>
/// Runs a plugin the way energyreg does, in a one-step chain, and checks the contract on the way: builds the plugin from
/// its config (the plugin rules, <see cref="PluginConfig.Validate"/>, an <see cref="IRunContext"/>); reads a reader's
/// batches (numbering, counts, shards); passes batches through a selection, feature or regressor (masks applied, cut
/// counts summed, and first a batch of no events, as <c>energyreg validate</c> and an emptied batch give every stage);
/// feeds a writer (nothing at its output before <see cref="IEventWriter.Commit"/>); trains and saves a trainable regressor
/// (its model card checked). A broken rule is a <see cref="PluginContractException"/>; what the plugin throws itself
/// (a <see cref="ConfigValueException"/>, an <see cref="InputDataException"/>) comes through unchanged.
/// </summary>
/// <param name="mode">What plugins are built for (<see cref="RunMode.Train"/> for <see cref="Train"/>).</param>
/// <param name="seed">The chain seed the plugins' random streams derive from.</param>
public sealed class PluginHarness(RunMode mode = RunMode.Apply, int seed = 42)
{
    /// <summary>The run context the plugins get: their log messages and progress are recorded there.</summary>
    public TestRunContext Context { get; } = new(mode, seed);

    /// <summary>
    /// Builds plugin class <typeparamref name="TPlugin"/> as energyreg does: it carries <see cref="PluginAttribute"/>,
    /// implements one contract, has one public constructor taking its config (validated first) and optionally an
    /// <see cref="IRunContext"/> (<see cref="Context"/>). Pass null for a plugin without config.
    /// </summary>
    public TPlugin Create<TPlugin>(PluginConfig? config) where TPlugin : class
    {
        Type type = typeof(TPlugin);
        string name = type.GetCustomAttribute<PluginAttribute>()?.Name
            ?? throw new PluginContractException($"{type.FullName} has no [Plugin(\"name\")] attribute: energyreg would not find it");
        PluginShape.Shape shape = PluginShape.Inspect(type, constructorRules: true, out string? problem)
            ?? throw new PluginContractException($"plugin '{name}' ({type.FullName}) {problem}");
        if (shape.ConfigType is { } configType && !configType.IsInstanceOfType(config))
        {
            throw new ArgumentException($"Plugin '{name}' takes a {configType.Name}; got {config?.GetType().Name ?? "null"}.", nameof(config));
        }
        if (shape.ConfigType is null && config is not null)
        {
            throw new ArgumentException($"Plugin '{name}' takes no config; energyreg refuses a 'with:' section for it.", nameof(config));
        }
        config?.Validate();
        object[] arguments = shape.Constructor!.GetParameters()
            .Select(p => p.ParameterType == typeof(IRunContext) ? Context : (object)config!)
            .ToArray();
        try
        {
            return (TPlugin)shape.Constructor.Invoke(arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    /// <summary>
    /// Reads every batch of <paramref name="reader"/> in batches of <paramref name="batchSize"/>, checking that batches are
    /// no larger, numbered consecutively (<see cref="EventBatch.FirstEntry"/>) and as many events as
    /// <see cref="IEventReader.CountEvents"/> announced. Dispose the batches.
    /// </summary>
    public IReadOnlyList<EventBatch> Read(IEventReader reader, int batchSize = 1000)
    {
        long? announced = reader.CountEvents();
        var batches = new List<EventBatch>();
        try
        {
            foreach (EventBatch batch in reader.ReadBatches(batchSize, Context.Cancellation))
            {
                batches.Add(batch);
                if (batch.EventCount > batchSize)
                {
                    throw new PluginContractException($"the reader gave a batch of {batch.EventCount} events; batches hold at most batch_size ({batchSize})");
                }
                if (batches.Count > 1 && batch.FirstEntry != batches[^2].FirstEntry + batches[^2].EventCount)
                {
                    throw new PluginContractException($"batch {batches.Count - 1} starts at entry {batch.FirstEntry}, but the one before ended at "
                        + $"{batches[^2].FirstEntry + batches[^2].EventCount}: set FirstEntry to each batch's first input entry");
                }
            }
            long read = batches.Sum(b => (long)b.EventCount);
            if (announced is { } count && count != read)
            {
                throw new PluginContractException($"CountEvents() said {count} events, the reader gave {read}");
            }
            return batches;
        }
        catch
        {
            batches.ForEach(b => b.Dispose());
            throw;
        }
    }

    /// <summary>
    /// Checks a shardable reader as <c>energyreg run --shard K/N</c> uses it: the input read whole and in
    /// <paramref name="shards"/> contiguous shards (each from a reader <paramref name="createReader"/> makes, restricted
    /// with <see cref="IShardableReader.Restrict"/>) gives the same events, entry numbers and values, and
    /// <see cref="IShardableReader.CountEntriesPerFile"/> adds up to the entries read. Returns the whole input's contents.
    /// </summary>
    public Dataset CheckShards(Func<IShardableReader> createReader, int shards, int batchSize = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shards);
        Dataset whole;
        long total;
        using (IShardableReader reader = createReader())
        {
            total = reader.CountEntriesPerFile().Sum();
            whole = Dataset.Of(Read(reader, batchSize));
        }
        if (total != whole.Events)
        {
            throw new PluginContractException($"CountEntriesPerFile() adds up to {total} entries, the reader gave {whole.Events} events");
        }
        var pieces = new Dataset();
        for (int k = 0; k < shards; k++)
        {
            long start = total * k / shards, stop = total * (k + 1) / shards;
            using IShardableReader reader = createReader();
            reader.Restrict(start, stop);
            IReadOnlyList<EventBatch> batches = Read(reader, batchSize);
            long first = batches.Count > 0 ? batches[0].FirstEntry : start;
            long events = batches.Sum(b => (long)b.EventCount);
            if (events != stop - start || (events > 0 && first != whole.FirstEntries[0] + start))
            {
                batches.ToList().ForEach(b => b.Dispose());
                throw new PluginContractException($"shard {k + 1}/{shards} (entries {start}..{stop}) gave {events} events from entry {first}; "
                    + $"expected {stop - start} from entry {whole.FirstEntries[0] + start}");
            }
            foreach (EventBatch batch in batches)
            {
                pieces.Add(batch);
                batch.Dispose();
            }
        }
        pieces.AssertSameAs(whole);
        return whole;
    }

    /// <summary>
    /// Passes <paramref name="batches"/> through <paramref name="stage"/> as the event loop does (a selection's mask is
    /// applied, its cuts summed), after running it on a batch of no events with the first batch's columns: that run must
    /// succeed and add the same columns, since writers need the same columns in every batch. The returned run holds the
    /// processed batches (the ones given, changed in place); dispose it.
    /// </summary>
    public StageRun Run(IStage stage, IEnumerable<EventBatch> batches)
    {
        var run = new StageRun();
        try
        {
            foreach (EventBatch batch in batches)
            {
                Context.Cancellation.ThrowIfCancellationRequested();
                if (run.Batches.Count == 0)
                {
                    CheckEmptyBatch(stage, batch);
                }
                run.CountIn(batch);
                IReadOnlyList<CutCount>? cuts;
                try
                {
                    cuts = Process(stage, batch);
                }
                catch
                {
                    batch.Dispose();
                    throw;
                }
                run.Add(batch, cuts);
            }
            return run;
        }
        catch
        {
            run.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes <paramref name="batches"/> with <paramref name="writer"/> as energyreg does: <see cref="IEventWriter.Open"/> with
    /// <paramref name="provenance"/> (default: <see cref="TestProvenance.Create"/>), every batch, then
    /// <see cref="IEventWriter.Commit"/>; checks that nothing appeared at <see cref="IEventWriter.OutputPath"/> before the
    /// commit and that it exists after. Disposes the writer. The batches stay the caller's.
    /// </summary>
    public void Write(IEventWriter writer, IEnumerable<EventBatch> batches, Provenance? provenance = null)
    {
        using (writer)
        {
            bool existedBefore = File.Exists(writer.OutputPath);
            writer.Open(provenance ?? TestProvenance.Create(Context.Seed));
            foreach (EventBatch batch in batches)
            {
                writer.Write(batch);
            }
            if (!existedBefore && File.Exists(writer.OutputPath))
            {
                throw new PluginContractException($"{writer.OutputPath} exists before Commit(): write to a temporary name and rename it in Commit, "
                    + "so an interrupted run leaves nothing that looks complete");
            }
            writer.Commit();
            if (!File.Exists(writer.OutputPath) && !Directory.Exists(writer.OutputPath))
            {
                throw new PluginContractException($"after Commit() there is nothing at OutputPath {writer.OutputPath}");
            }
        }
    }

    /// <summary>
    /// Trains <paramref name="regressor"/> (built with <see cref="RunMode.Train"/>) as <c>energyreg train</c> does, saves the
    /// model to <paramref name="modelPath"/> and returns its card, checked: written by this plugin, with its inputs and
    /// outputs, and the number of training objects filled in. <paramref name="resume"/> is <c>energyreg train --resume</c>.
    /// </summary>
    public ModelCard Train(ITrainableRegressor regressor, IReadOnlyList<EventBatch> training, IReadOnlyList<EventBatch> validation,
        string modelPath, bool resume = false, Provenance? provenance = null)
    {
        if (Context.Mode != RunMode.Train)
        {
            throw new InvalidOperationException("Build the regressor with a PluginHarness(RunMode.Train) to train it, as energyreg train does.");
        }
        regressor.Train(new TrainingData(training, validation) { ModelPath = modelPath, Resume = resume }, Context);
        regressor.SaveModel(modelPath, provenance ?? TestProvenance.Create(Context.Seed));
        ModelCard card;
        using (var archive = ModelArchive.Open(modelPath))
        {
            card = archive.Card;
        }
        string? name = regressor.GetType().GetCustomAttribute<PluginAttribute>()?.Name;
        if (name is not null && card.Plugin != name)
        {
            throw new PluginContractException($"the model card names plugin '{card.Plugin}', but the regressor is '{name}': energyreg model show and the "
                + "regressor applying it go by that name");
        }
        if (card.Inputs.Count == 0 || card.Outputs.Count == 0)
        {
            throw new PluginContractException("the model card lists no inputs or no outputs: fill ModelCard.Inputs and Outputs");
        }
        if (card.TrainingObjects <= 0 && training.Any(b => b.EventCount > 0))
        {
            throw new PluginContractException("the model card says it was trained on 0 objects: set ModelCard.TrainingObjects (and ValidationObjects)");
        }
        return card;
    }

    private static IReadOnlyList<CutCount>? Process(IStage stage, EventBatch batch) => stage is ISelection or IFeature or IRegressor
        ? Stages.Process(stage, batch)
        : throw new PluginContractException($"{stage.GetType().FullName} is a stage of no known kind: implement ISelection, IFeature or IRegressor");

    private static void CheckEmptyBatch(IStage stage, EventBatch template)
    {
        using EventBatch empty = template.Clone();
        empty.KeepEvents(new bool[empty.EventCount]);
        using EventBatch full = template.Clone();
        try
        {
            Process(stage, empty);
        }
        catch (Exception e) when (e is not (ConfigValueException or InputDataException or OperationCanceledException))
        {
            throw new PluginContractException($"{stage.GetType().Name} failed on a batch of no events ({e.GetType().Name}: {e.Message}); "
                + "energyreg validate gives every stage one, and a selection can empty any batch of a run", e);
        }
        Process(stage, full);
        if (!empty.ColumnNames.SequenceEqual(full.ColumnNames))
        {
            throw new PluginContractException($"{stage.GetType().Name} leaves columns [{string.Join(", ", full.ColumnNames)}] in a batch of events but "
                + $"[{string.Join(", ", empty.ColumnNames)}] in a batch of no events; add your columns to every batch: writers need the same columns in each");
        }
    }
}

/// <summary>A rule of the plugin contract that a plugin broke (docs/plugins.md): the message says which and what to do.</summary>
public sealed class PluginContractException(string message, Exception? inner = null) : Exception(message, inner);
