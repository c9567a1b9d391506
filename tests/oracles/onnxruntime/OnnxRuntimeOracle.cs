// Runs tests/oracles/onnxruntime/run.mjs (onnxruntime-node) from .NET tests. Test projects link this file:
//
//   <Compile Include="../oracles/onnxruntime/OnnxRuntimeOracle.cs" Link="Oracles/OnnxRuntimeOracle.cs" />
//
// See README.md next to this file.

using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace EnergyRegression.TestOracles;

/// <summary>onnxruntime-node as an independent ONNX runtime. Needs node (>= 18) and npm ci in tests/oracles/onnxruntime.</summary>
internal static class OnnxRuntimeOracle
{
    private static readonly string Directory = Path.GetDirectoryName(Here())!;

    public static bool IsAvailable => File.Exists(Path.Combine(Directory, "node_modules", "onnxruntime-node", "package.json"));

    public static string UnavailableReason =>
        $"onnxruntime-node not installed: run scripts/setup.sh or `npm ci --ignore-scripts` in {Directory}";

    /// <summary>Runs <paramref name="model"/> on float32 inputs (name → dims and values); returns every output's values.</summary>
    public static IReadOnlyDictionary<string, double[]> Run(string model, IReadOnlyDictionary<string, (long[] Dims, float[] Data)> inputs)
    {
        string inputsFile = Path.Combine(Path.GetTempPath(), $"onnx-oracle-{Guid.NewGuid():N}.json");
        File.WriteAllText(inputsFile, JsonSerializer.Serialize(inputs.ToDictionary(p => p.Key, p => new { type = "float32", dims = p.Value.Dims, data = p.Value.Data })));
        try
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("ENERGYREG_NODE") ?? "node")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = Directory,
            };
            start.ArgumentList.Add(Path.Combine(Directory, "run.mjs"));
            start.ArgumentList.Add(model);
            start.ArgumentList.Add(inputsFile);
            using Process process = Process.Start(start)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("run.mjs did not finish in 2 minutes");
            }
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"run.mjs exited {process.ExitCode}: {stderr.Result}");
            }
            using var document = JsonDocument.Parse(stdout.Result);
            return document.RootElement.GetProperty("outputs").EnumerateObject()
                .ToDictionary(o => o.Name, o => o.Value.GetProperty("data").EnumerateArray().Select(v => v.GetDouble()).ToArray());
        }
        finally
        {
            File.Delete(inputsFile);
        }
    }

    private static string Here([CallerFilePath] string path = "") => path;
}
