using BenchmarkDotNet.Running;

namespace EnergyRegression.Benchmarks;

public static class Program
{
    /// <summary>
    /// <c>dotnet run -c Release --project benchmarks/EnergyRegression.Benchmarks -- --filter '*' --job short</c>;
    /// any BenchmarkDotNet option works (<c>--list flat</c>, <c>--filter '*Json*'</c>, ...).
    /// </summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
