global using EnergyRegression.TestSupport;
using EnergyRegression.Running;

namespace EnergyRegression.TestSupport;

/// <summary>
/// The run context plugin tests hand to plugins (linked into each plugin test project): records Info and Warning
/// messages, draws stable random streams, shows no progress.
/// </summary>
internal sealed class TestRunContext(RunMode mode = RunMode.Apply, int seed = 42) : IRunContext, IRunLog
{
    public List<string> Infos { get; } = [];

    public List<string> Warnings { get; } = [];

    public IRunLog Log => this;

    public RunMode Mode => mode;

    public int Seed => seed;

    public CancellationToken Cancellation { get; set; } = CancellationToken.None;

    /// <summary>A stream from (seed, name) through FNV-1a, stable across processes (unlike string.GetHashCode).</summary>
    public Random CreateRandom(string streamName)
    {
        uint hash = 2166136261;
        foreach (char c in streamName)
        {
            hash = (hash ^ c) * 16777619;
        }
        return new Random((int)(hash ^ (uint)seed));
    }

    public IProgressTask StartProgress(string description, long? total) => new NoProgress();

    public void Info(string message) => Infos.Add(message);

    public void Warning(string message) => Warnings.Add(message);

    public void Debug(string message)
    {
    }

    private sealed class NoProgress : IProgressTask
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
