using BenchmarkDotNet.Running;

namespace EnergyRegression.Benchmarks;

public static class Program
{
    /// <summary>
    /// <c>dotnet run -c Release --project benchmarks/EnergyRegression.Benchmarks -- --filter '*' --job short</c>;
    /// any BenchmarkDotNet option works (<c>--list flat</c>, <c>--filter '*Json*'</c>, ...).
    /// <c>-- root-write [REPEATS]</c> prints ROOT write throughput per codec against the codec alone (<see cref="RootWriteConsole"/>).
    /// <c>-- simulate [REPEATS]</c> prints the simulator's events per second (<see cref="SimulationConsole"/>).
    /// <c>-- root-read ...</c> runs the quick ROOT read pass of <c>benchmarks/root-read.sh</c> instead (<see cref="RootReadConsole"/>).
    /// </summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "root-read")
        {
            return RootReadConsole.Run(args[1..]);
        }
        if (args.Length > 0 && args[0] == "root-write")
        {
            return RootWriteConsole.Run(args[1..]);
        }
        if (args.Length > 0 && args[0] == "simulate")
        {
            return SimulationConsole.Run(args[1..]);
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
