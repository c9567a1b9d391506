// Runs tests/oracles/jsonschema/validate.mjs (Ajv, JSON Schema draft-07, and the yaml package) from .NET tests.
// Test projects link this file:
//
//   <Compile Include="../oracles/jsonschema/JsonSchemaOracle.cs" Link="Oracles/JsonSchemaOracle.cs" />
//
// See README.md next to this file.

using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace EnergyRegression.TestOracles;

/// <summary>One file checked by Ajv: valid or not, and Ajv's errors (instance path, keyword, message).</summary>
internal sealed record SchemaVerdict(string File, bool Valid, IReadOnlyList<(string Path, string Keyword, string Message)> Errors);

/// <summary>Ajv as an independent JSON Schema validator of YAML chain files. Needs node (>= 18) and npm ci in tests/oracles/jsonschema.</summary>
internal static class JsonSchemaOracle
{
    private static readonly string Directory = Path.GetDirectoryName(Here())!;

    public static bool IsAvailable => File.Exists(Path.Combine(Directory, "node_modules", "ajv", "package.json"))
        && File.Exists(Path.Combine(Directory, "node_modules", "yaml", "package.json"));

    public static string UnavailableReason =>
        $"Ajv not installed: run scripts/setup.sh or `npm ci --ignore-scripts` in {Directory}";

    /// <summary>Validates each YAML file against the schema file; throws when the schema itself is unusable (exit 2).</summary>
    public static IReadOnlyList<SchemaVerdict> Validate(string schemaFile, IEnumerable<string> yamlFiles)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("ENERGYREG_NODE") ?? "node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        start.ArgumentList.Add(Path.Combine(Directory, "validate.mjs"));
        start.ArgumentList.Add(schemaFile);
        foreach (string file in yamlFiles)
        {
            start.ArgumentList.Add(file);
        }
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("validate.mjs did not finish in 2 minutes");
        }
        if (process.ExitCode is not (0 or 1))
        {
            throw new InvalidOperationException($"validate.mjs exited {process.ExitCode}: {stderr.Result}");
        }
        var verdicts = new List<SchemaVerdict>();
        foreach (string line in stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            verdicts.Add(new SchemaVerdict(root.GetProperty("file").GetString()!, root.GetProperty("valid").GetBoolean(),
                root.GetProperty("errors").EnumerateArray()
                    .Select(e => (e.GetProperty("path").GetString()!, e.GetProperty("keyword").GetString()!, e.GetProperty("message").GetString()!))
                    .ToList()));
        }
        return verdicts;
    }

    private static string Here([CallerFilePath] string path = "") => path;
}
