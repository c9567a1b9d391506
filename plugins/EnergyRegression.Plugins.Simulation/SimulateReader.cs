using EnergyRegression.Data;
using EnergyRegression.Running;
using EnergyRegression.Simulation;

namespace EnergyRegression.Plugins.Simulation;

/// <summary>
/// Generates events with the built-in calorimeter simulator (docs/simulation.md) as batches with
/// NanoAOD-style columns: <c>nElectron</c>, <c>Electron_pt</c>, …, <c>Electron_window</c>, truth as
/// <c>GenElectron_*</c> (photon guns: <c>Photon</c>/<c>GenPhoton</c>). Events of a batch are simulated
/// in parallel; each event has its own random stream, so the output does not depend on threads or
/// batch size.
/// </summary>
[Plugin("simulate", Description = "Generates events with the built-in calorimeter simulator: Z->ee or a particle gun, MC or pseudo-data.")]
public sealed class SimulateReader : IShardableReader, IColumnDeclaringReader
{
    private readonly SimulateReaderConfig _config;
    private readonly EventSimulator _simulator;
    private readonly bool _truth;
    private readonly int _threads;
    private SimulatedEvent[] _events = [];
    private long _start;
    private long _stop;

    /// <summary>Builds the simulated detector for the config.</summary>
    public SimulateReader(SimulateReaderConfig config, IRunContext? context = null)
    {
        config.Validate();
        _config = config;
        SimulationSettings settings = config.ToSettings(context?.Seed ?? 42);
        _simulator = new EventSimulator(settings);
        _truth = config.Truth && settings.Mode == SimulationMode.Mc;
        _threads = config.Threads > 0 ? config.Threads : Environment.ProcessorCount;
        _stop = config.Events;
        context?.Log.Debug($"simulate: {settings.Process} {settings.Mode}, {config.Events} events from {config.FirstEvent}, seed {settings.Seed}, " +
            $"{_simulator.DeadCrystals} dead crystals");
    }

    /// <summary>The simulator behind the reader (its settings, collection names).</summary>
    public EventSimulator Simulator => _simulator;

    /// <inheritdoc />
    public IReadOnlyList<string> InputFiles => [];

    /// <inheritdoc />
    public long? CountEvents() => _stop - _start;

    /// <summary>One part: the configured number of events.</summary>
    public IReadOnlyList<long> CountEntriesPerFile() => [_config.Events];

    /// <summary>
    /// Generates events <c>first_event</c> + <paramref name="start"/> … + <paramref name="stop"/> only. Each event's random
    /// stream depends on the seed and its own index, so a shard's events are those of an unsharded run.
    /// </summary>
    public void Restrict(long start, long stop)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(stop, start);
        _start = Math.Min(start, _config.Events);
        _stop = Math.Min(stop, _config.Events);
    }

    /// <inheritdoc />
    public IEnumerable<EventBatch> ReadBatches(int batchSize, CancellationToken cancellation)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (_config.DeadCrystalMap is { } mapPath)
        {
            // Written when events are read, not when the chain is built, so 'energyreg validate' writes nothing.
            DeadCrystalMapFile.Write(mapPath, _simulator);
        }
        long end = _config.FirstEvent + _stop;
        for (long start = _config.FirstEvent + _start; start < end; start += batchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            int count = (int)Math.Min(batchSize, end - start);
            Simulate(start, count, cancellation);
            EventBatch batch = BatchBuilder.Build(_events.AsSpan(0, count), _simulator, _truth);
            batch.FirstEntry = start - _config.FirstEvent;
            yield return batch;
        }
    }

    /// <summary>The columns of a batch of no events: what <c>energyreg validate</c> checks the stages against, without simulating.</summary>
    public EventBatch DeclareColumns() => BatchBuilder.Build([], _simulator, _truth);

    private void Simulate(long start, int count, CancellationToken cancellation)
    {
        if (_events.Length < count)
        {
            int previous = _events.Length;
            Array.Resize(ref _events, count);
            for (int i = previous; i < count; i++)
            {
                _events[i] = new SimulatedEvent();
            }
        }
        var options = new ParallelOptions { MaxDegreeOfParallelism = _threads, CancellationToken = cancellation };
        // Chunks of events per task: one event is ~50 µs, too little to schedule alone.
        Parallel.For(0, (count + 63) / 64, options, chunk =>
        {
            int last = Math.Min(count, (chunk + 1) * 64);
            for (int i = chunk * 64; i < last; i++)
            {
                _simulator.Simulate(start + i, _events[i]);
            }
        });
    }

    /// <inheritdoc />
    public void Dispose() => _simulator.Dispose();
}
