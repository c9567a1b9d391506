using System.Diagnostics;
using EnergyRegression.Kernels.Probe;

namespace EnergyRegression.Kernels.Tests;

/// <summary>
/// Every vectorised kernel against its scalar reference on the fixed cases of <see cref="KernelCases"/>
/// (object counts 0…33, windows 5×5 to 32×32, crops smaller and larger than their source, φ wrap):
/// in this process, and in child processes with the hardware paths switched off one by one.
/// </summary>
public class VectorisedKernelTests
{
    private static readonly Lazy<List<KernelOutput>> s_reference = new(KernelCases.Reference);

    [Fact]
    public void Vectorised_kernels_equal_their_references_in_this_process()
    {
        List<KernelOutput> vectorised = KernelCases.Vectorised();
        Assert.True(vectorised.Count > 1000, $"only {vectorised.Count} cases");
        string differences = KernelAgreement.Differences(vectorised, s_reference.Value);
        Assert.True(differences.Length == 0, differences);
    }

    // .NET 10 folded the AVX-512 subsets into one switch: DOTNET_EnableAVX512F=0 alone no longer turns
    // Vector512 off (measured), DOTNET_EnableAVX512=0 does. Both are set so the case means the same on
    // older runtimes; the child reports the width it ran at, so a switch that stops working fails here.
    [Theory]
    [InlineData("DOTNET_EnableAVX512F=0,DOTNET_EnableAVX512=0", "v512=False")]
    [InlineData("DOTNET_EnableAVX2=0", "lanes=128 v512=False v256=False v128=True")]
    [InlineData("DOTNET_EnableHWIntrinsic=0", "lanes=128 v512=False v256=False v128=False")]
    public void Kernels_with_hardware_paths_switched_off_give_the_same_results(string environment, string expectedWidth)
    {
        string output = Path.Combine(Path.GetTempPath(), $"kernel-probe-{Guid.NewGuid():N}.bin");
        try
        {
            string description = RunProbe(environment, output);
            Assert.Contains(expectedWidth, description, StringComparison.Ordinal);
            string differences = KernelAgreement.Differences(ReadOutputs(output), s_reference.Value);
            Assert.True(differences.Length == 0, differences);
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static string RunProbe(string environment, string output)
    {
        string probe = Path.Combine(AppContext.BaseDirectory, "KernelProbe.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(probe);
        start.ArgumentList.Add(output);
        foreach (string assignment in environment.Split(','))
        {
            string[] parts = assignment.Split('=');
            start.Environment[parts[0]] = parts[1];
        }
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "the kernel probe did not finish in 2 minutes");
        Assert.True(process.ExitCode == 0, $"KernelProbe exited with {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }

    private static List<KernelOutput> ReadOutputs(string path)
    {
        var outputs = new List<KernelOutput>();
        using var reader = new BinaryReader(File.OpenRead(path));
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            string name = reader.ReadString();
            float[] values = new float[reader.ReadInt32()];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = reader.ReadSingle();
            }
            outputs.Add(new KernelOutput(name, values));
        }
        return outputs;
    }
}
