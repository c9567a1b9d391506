using BenchmarkDotNet.Running;

namespace EnergyRegression.Benchmarks;

public static class Program
{
    /// <summary>
    /// <c>dotnet run -c Release --project benchmarks/EnergyRegression.Benchmarks -- --filter '*' --job short</c>;
    /// any BenchmarkDotNet option works (<c>--list flat</c>, <c>--filter '*Json*'</c>, ...).
    /// <c>-- root-write [REPEATS]</c> prints ROOT write throughput per codec against the codec alone (<see cref="RootWriteConsole"/>).
    /// <c>-- gbdt DIR [ROWS]</c> trains and times the gbdt regressor for benchmarks/gbdt.sh (<see cref="GbdtConsole"/>).
    /// <c>-- hdf5-read FILE...</c> prints HDF5 read throughput for <c>benchmarks/hdf5-read.sh</c> (<see cref="Hdf5ReadConsole"/>).
    /// <c>-- simulate [REPEATS]</c> prints the simulator's events per second (<see cref="SimulationConsole"/>).
    /// <c>-- torch-loop [--steps N]</c> trains the seeds' CNN in a bare TorchSharp loop (<see cref="TorchLoopConsole"/>, benchmarks/torch-train.sh).
    /// <c>-- --filter '*' --job dry</c> runs everything once (benchmarks/dry-run.sh, part of CI); the exit code is 1 when a benchmark failed.
    /// <c>-- rntuple-read ...</c> compares reading the same events as an RNTuple and as a TTree (<see cref="NtupleReadConsole"/>, benchmarks/rntuple-read.sh).
    /// <c>-- root-read ...</c> runs the quick ROOT read pass of <c>benchmarks/root-read.sh</c> instead (<see cref="RootReadConsole"/>).
    /// </summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "root-read")
        {
            return RootReadConsole.Run(args[1..]);
        }
        if (args.Length > 0 && args[0] == "rntuple-read")
        {
            return NtupleReadConsole.Run(args[1..]);
        }
        if (args.Length > 0 && args[0] == "hdf5-read")
        {
            return Hdf5ReadConsole.Run(args[1..]);
        }
        if (args.Length > 0 && args[0] == "root-write")
        {
            return RootWriteConsole.Run(args[1..]);
        }
        if (args.Length > 0 && args[0] == "gbdt")
        {
            return GbdtConsole.Run(args[1..]);
        }
        if (args.Length > 0 && args[0] == "torch-loop")
        {
            return TorchLoopConsole.Run(args[1..]);
        }
        if (args.Length > 0 && args[0] == "simulate")
        {
            return SimulationConsole.Run(args[1..]);
        }
        // A benchmark that fails (setup throws, a run crashes) must fail the CI dry run too.
        IEnumerable<BenchmarkDotNet.Reports.Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        bool failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
        return failed ? 1 : 0;
    }
}
