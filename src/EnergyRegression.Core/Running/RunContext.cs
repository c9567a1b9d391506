using EnergyRegression.Running;

namespace EnergyRegression.Core.Running;

/// <summary>Shows progress of long operations; the CLI draws a bar on a terminal and log lines otherwise.</summary>
public interface IProgressDisplay
{
    /// <summary>Starts a task; <paramref name="total"/> null when unknown.</summary>
    IProgressTask Start(string description, long? total);
}

/// <summary>A display and log that show nothing (tests, library use).</summary>
public sealed class SilentConsole : IProgressDisplay, IRunLog
{
    /// <summary>The shared instance.</summary>
    public static SilentConsole Instance { get; } = new();

    /// <inheritdoc />
    public IProgressTask Start(string description, long? total) => new NoTask();

    /// <inheritdoc />
    public void Info(string message)
    {
    }

    /// <inheritdoc />
    public void Warning(string message)
    {
    }

    /// <inheritdoc />
    public void Debug(string message)
    {
    }

    private sealed class NoTask : IProgressTask
    {
        public void Advance(long amount)
        {
        }

        public void SetStatus(string status)
        {
        }

        public void Dispose()
        {
        }
    }
}

/// <summary>The host's <see cref="IRunContext"/>.</summary>
public sealed class RunContext(IRunLog log, IProgressDisplay progress, int seed, CancellationToken cancellation, RunMode mode = RunMode.Apply)
    : IRunContext
{
    /// <inheritdoc />
    public RunMode Mode { get; } = mode;

    /// <inheritdoc />
    public IRunLog Log { get; } = log;

    /// <inheritdoc />
    public int Seed { get; } = seed;

    /// <inheritdoc />
    public CancellationToken Cancellation { get; } = cancellation;

    /// <inheritdoc />
    public Random CreateRandom(string streamName) => new(StreamSeed(Seed, streamName));

    /// <inheritdoc />
    public IProgressTask StartProgress(string description, long? total) => progress.Start(description, total);

    /// <summary>
    /// Derives a stream's seed from the chain seed and the stream name with FNV-1a (stable across runs and
    /// platforms, unlike string.GetHashCode).
    /// </summary>
    public static int StreamSeed(int seed, string streamName) => StreamSeeds.Of(seed, streamName);
}
