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

/// <summary>A regressor that can be trained by <c>energyreg train</c>.</summary>
public interface ITrainableRegressor : IRegressor
{
    /// <summary>Trains on batches that have passed every stage before this regressor in the chain.</summary>
    void Train(TrainingData data, Running.IRunContext context);

    /// <summary>Saves the trained model (with its provenance) so a later chain can apply it.</summary>
    void SaveModel(string path, Running.Provenance provenance);
}

/// <summary>
/// Training and validation events for <see cref="ITrainableRegressor.Train"/>. Enumerating a sequence
/// again replays it (epochs); every enumerated batch is disposed by the enumerator.
/// </summary>
public sealed record TrainingData(IEnumerable<EventBatch> Training, IEnumerable<EventBatch>? Validation);

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
