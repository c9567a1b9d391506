namespace EnergyRegression.Running;

/// <summary>What the host gives a plugin at run time: logging, seeded randomness, cancellation, progress.</summary>
public interface IRunContext
{
    /// <summary>Messages for the user (stderr; with timestamps when redirected).</summary>
    IRunLog Log { get; }

    /// <summary>
    /// Why the chain was built: <see cref="RunMode.Apply"/> (<c>run</c>, <c>validate</c>) or <see cref="RunMode.Train"/>
    /// (<c>train</c>). A trainable regressor loads its model file only when applying.
    /// </summary>
    RunMode Mode { get; }

    /// <summary>The chain's seed (YAML <c>seed:</c>, or <c>--seed</c>).</summary>
    int Seed { get; }

    /// <summary>
    /// A random stream derived from the seed and <paramref name="streamName"/>: the same name always
    /// gives the same sequence for the same seed, whatever other streams are used.
    /// </summary>
    Random CreateRandom(string streamName);

    /// <summary>Signalled on Ctrl+C or failure elsewhere in the chain.</summary>
    CancellationToken Cancellation { get; }

    /// <summary>Starts a progress task (training epochs, file generation); dispose it when done.</summary>
    IProgressTask StartProgress(string description, long? total);
}

/// <summary>Messages for the user.</summary>
public interface IRunLog
{
    /// <summary>Normal progress information.</summary>
    void Info(string message);

    /// <summary>Something the user should look at; the run goes on.</summary>
    void Warning(string message);

    /// <summary>Detail shown only with <c>--verbose</c>.</summary>
    void Debug(string message);
}

/// <summary>One task's progress.</summary>
public interface IProgressTask : IDisposable
{
    /// <summary>Adds <paramref name="amount"/> units of work done.</summary>
    void Advance(long amount);

    /// <summary>Replaces the status text shown next to the bar (e.g. the current loss).</summary>
    void SetStatus(string status);
}

/// <summary>Why a chain was built.</summary>
public enum RunMode
{
    /// <summary>Processing events: regressors predict with a trained model.</summary>
    Apply,

    /// <summary><c>energyreg train</c>: the trainable regressor learns and writes its model file.</summary>
    Train,
}
