using EnergyRegression.Data;

namespace EnergyRegression.Plugins;

/// <summary>
/// A source of events: files or a generator. Called from one thread. Throw
/// <see cref="InputDataException"/> for bad input, naming the file and the place.
/// </summary>
public interface IEventReader : IDisposable
{
    /// <summary>The input files (for provenance); empty for generators.</summary>
    IReadOnlyList<string> InputFiles { get; }

    /// <summary>Total number of events the reader will produce, when it can tell cheaply (drives the progress ETA).</summary>
    long? CountEvents();

    /// <summary>
    /// Produces the events as batches of at most <paramref name="batchSize"/> events, in input order,
    /// with <see cref="EventBatch.FirstEntry"/> set. The caller disposes every batch it receives.
    /// </summary>
    IEnumerable<EventBatch> ReadBatches(int batchSize, CancellationToken cancellation);
}

/// <summary>
/// Marks the processing steps of a chain (selections, features, regressors). The event loop calls a
/// stage from several threads at once, each with its own batch: keep per-batch state local.
/// </summary>
public interface IStage;

/// <summary>
/// Decides which events and objects survive. It fills a mask; the event loop compacts the batch
/// afterwards and counts what each selection kept (the cut flow). It may also add columns.
/// </summary>
public interface ISelection : IStage
{
    /// <summary>Clears entries of <paramref name="mask"/> (all true on entry) for events or objects to drop.</summary>
    void Select(EventBatch batch, SelectionMask mask);
}

/// <summary>Adds derived columns (crystal windows, shower shapes, expressions) to a batch.</summary>
public interface IFeature : IStage
{
    /// <summary>Adds this feature's columns to <paramref name="batch"/>.</summary>
    void Compute(EventBatch batch);
}

/// <summary>Predicts calibrated energies and adds them as columns.</summary>
public interface IRegressor : IStage
{
    /// <summary>Adds the prediction columns to <paramref name="batch"/>.</summary>
    void Predict(EventBatch batch);
}

/// <summary>
/// A regressor that can be trained by <c>energyreg train</c>. Built with <see cref="Running.RunMode.Train"/>, it must not
/// require its model file to exist; built to apply, it loads the model (a <see cref="Models.ModelArchive"/>) and checks
/// the chain gives the model's inputs.
/// </summary>
public interface ITrainableRegressor : IRegressor
{
    /// <summary>The model file named in the plugin's config (by convention its <c>model:</c> key), or null.</summary>
    string? ModelPath { get; }

    /// <summary>Trains on batches that have passed every stage before this regressor in the chain.</summary>
    void Train(TrainingData data, Running.IRunContext context);

    /// <summary>Saves the trained model (with its provenance) so a later chain can apply it.</summary>
    void SaveModel(string path, Running.Provenance provenance);
}

/// <summary>
/// Training and validation events for <see cref="ITrainableRegressor.Train"/>, held in memory after the stages
/// before the regressor have run. The batches belong to the host: read them as often as needed (epochs), but
/// do not add or remove columns, keep them after training, or dispose them.
/// </summary>
public sealed record TrainingData(IReadOnlyList<EventBatch> Training, IReadOnlyList<EventBatch> Validation)
{
    /// <summary>Where the model will be saved; a trainer keeps its checkpoints beside it.</summary>
    public string? ModelPath { get; init; }

    /// <summary><c>energyreg train --resume</c>: continue from the last checkpoint beside <see cref="ModelPath"/>, if any.</summary>
    public bool Resume { get; init; }

    /// <summary>Events in the training batches.</summary>
    public long TrainingEvents => Training.Sum(b => (long)b.EventCount);

    /// <summary>Events in the validation batches.</summary>
    public long ValidationEvents => Validation.Sum(b => (long)b.EventCount);
}

/// <summary>
/// Writes batches to an output. Write to a temporary name and rename in <see cref="Commit"/>, so an
/// interrupted run never leaves a file that looks complete; disposing without committing removes it.
/// Called from one thread, batches in input order.
/// </summary>
public interface IEventWriter : IDisposable
{
    /// <summary>The final output path (what exists after <see cref="Commit"/>).</summary>
    string OutputPath { get; }

    /// <summary>Prepares the output; <paramref name="provenance"/> is stored with it where the format allows.</summary>
    void Open(Running.Provenance provenance);

    /// <summary>Appends a batch.</summary>
    void Write(EventBatch batch);

    /// <summary>Finishes the output and moves it to <see cref="OutputPath"/>.</summary>
    void Commit();
}
