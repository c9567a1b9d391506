using System.Globalization;
using EnergyRegression.Simulation;

namespace EnergyRegression.Benchmarks;

/// <summary>
/// <c>benchmarks/simulate.sh</c>: simulator throughput in events per second — one thread per process
/// and setting (the issue's target: ≥ 20 000 Z → ee events/s per core), then all cores — as the best
/// of several repeats after a warm-up, and what the window and the tracker material cost.
/// </summary>
internal static class SimulationConsole
{
    public static int Run(string[] args)
    {
        int repeats = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        const int Events = 20_000;
        Console.WriteLine($"simulator throughput, best of {repeats} × {Events:N0} events, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");
        Console.WriteLine($"{"setting",-52} {"1 thread",12} {"all cores",12}");
        (string Name, SimulationSettings Settings)[] cases =
        [
            ("Z→ee, defaults (window 32, no pile-up)", new SimulationSettings()),
            ("Z→ee, <mu> = 30", new SimulationSettings { Pileup = 30 }),
            ("Z→ee, <mu> = 30, window 5 (cost of the 32×32 window)", new SimulationSettings { Pileup = 30, WindowSize = 5 }),
            ("Z→ee, no tracker material (cost of brem)", new SimulationSettings { TrackerMaterialScale = 0 }),
            ("Z→ee, barrel + endcaps", new SimulationSettings { Endcap = true }),
            ("particle gun e+ 20–100 GeV, barrel", new SimulationSettings { Process = SimulatedProcess.ParticleGun }),
        ];
        foreach ((string name, SimulationSettings settings) in cases)
        {
            using var simulator = new EventSimulator(settings);
            double single = Events / Timing.BestSeconds(repeats, () => Simulate(simulator, Events, 1));
            double all = Events / Timing.BestSeconds(repeats, () => Simulate(simulator, Events, Environment.ProcessorCount));
            Console.WriteLine($"{name,-52} {single,10:N0}/s {all,10:N0}/s");
        }
        return 0;
    }

    /// <summary>Simulates <paramref name="count"/> events on <paramref name="threads"/> threads (the last takes the remainder).</summary>
    private static void Simulate(EventSimulator simulator, int count, int threads)
    {
        int chunk = count / threads;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var ev = new SimulatedEvent();
            for (int i = t * chunk; i < (t == threads - 1 ? count : (t + 1) * chunk); i++)
            {
                simulator.Simulate(i, ev);
            }
        });
    }
}
