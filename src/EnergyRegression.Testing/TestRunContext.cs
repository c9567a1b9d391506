using EnergyRegression.Running;

namespace EnergyRegression.Testing;

/// <summary>
/// An in-memory <see cref="IRunContext"/> for unit tests: records what the plugin logs and the progress it reports,
/// draws random streams exactly as energyreg does (the same seed and stream name give the same numbers as in
/// <c>energyreg run</c>), and can be cancelled.
/// </summary>
/// <param name="mode">What the chain is built for: <see cref="RunMode.Apply"/> (run, validate) or <see cref="RunMode.Train"/>.</param>
/// <param name="seed">The chain's seed (YAML <c>seed:</c>, 42 by default as in energyreg).</param>
public sealed class TestRunContext(RunMode mode = RunMode.Apply, int seed = 42) : IRunContext, IRunLog
{
    private readonly List<RecordedProgress> _progress = [];

    /// <summary>The <see cref="IRunLog.Info"/> messages, in order.</summary>
    public List<string> Infos { get; } = [];

    /// <summary>The <see cref="IRunLog.Warning"/> messages, in order.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>The <see cref="IRunLog.Debug"/> messages, in order.</summary>
    public List<string> Debugs { get; } = [];

    /// <summary>Every progress task the plugin started, in order.</summary>
    public IReadOnlyList<RecordedProgress> Progress => _progress;

    /// <inheritdoc />
    public IRunLog Log => this;

    /// <inheritdoc />
    public RunMode Mode => mode;

    /// <inheritdoc />
    public int Seed => seed;

    /// <summary>The token plugins see; set it to test cancellation.</summary>
    public CancellationToken Cancellation { get; set; } = CancellationToken.None;

    /// <inheritdoc />
    public Random CreateRandom(string streamName) => new(StreamSeeds.Of(seed, streamName));

    /// <inheritdoc />
    public IProgressTask StartProgress(string description, long? total)
    {
        var task = new RecordedProgress(description, total);
        _progress.Add(task);
        return task;
    }

    /// <inheritdoc />
    public void Info(string message) => Infos.Add(message);

    /// <inheritdoc />
    public void Warning(string message) => Warnings.Add(message);

    /// <inheritdoc />
    public void Debug(string message) => Debugs.Add(message);
}

/// <summary>A progress task a plugin started on a <see cref="TestRunContext"/>: what it said and how far it got.</summary>
public sealed class RecordedProgress : IProgressTask
{
    internal RecordedProgress(string description, long? total)
    {
        Description = description;
        Total = total;
    }

    /// <summary>The task's description.</summary>
    public string Description { get; }

    /// <summary>The total announced, or null.</summary>
    public long? Total { get; }

    /// <summary>The sum of every <see cref="Advance"/>.</summary>
    public long Done { get; private set; }

    /// <summary>The last status text, or null.</summary>
    public string? Status { get; private set; }

    /// <summary>True once the plugin disposed the task.</summary>
    public bool Finished { get; private set; }

    /// <inheritdoc />
    public void Advance(long amount) => Done += amount;

    /// <inheritdoc />
    public void SetStatus(string status) => Status = status;

    /// <inheritdoc />
    public void Dispose() => Finished = true;
}
