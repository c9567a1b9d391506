using System.Diagnostics;

namespace EnergyRegression.Benchmarks;

/// <summary>Wall-clock timing for the console measurements (root-write, simulate).</summary>
internal static class Timing
{
    /// <summary>The shortest of <paramref name="repeats"/> runs of <paramref name="action"/>, in seconds, after one warm-up run.</summary>
    public static double BestSeconds(int repeats, Action action)
    {
        action();
        double best = double.MaxValue;
        for (int i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        return best;
    }
}
