using System.Diagnostics;
using System.Xml.Linq;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>Runs the <c>dotnet</c> CLI as a child process (pack, new, build, test), the way a plugin author does.</summary>
internal static class Dotnet
{
    public static Tool.Result Run(string workingDirectory, IDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // The test host's own MSBuild settings must not leak into a child build.
        foreach (string name in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "ENERGYREG_PLUGIN_PATH" })
        {
            start.Environment.Remove(name);
        }
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', args)} did not finish in 8 minutes");
        }
        return new Tool.Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The version of EnergyRegression.Abstractions, read from its one place (Directory.Build.props).</summary>
    public static string AbstractionsVersion { get; } =
        XDocument.Load(Path.Combine(Tool.RepoRoot, "Directory.Build.props")).Descendants("AbstractionsVersion").Single().Value;
}

/// <summary>
/// EnergyRegression.Abstractions packed once per test run (dotnet pack of the Release build) into a folder that serves
/// as a local NuGet source, the way a plugin author outside the repository gets it.
/// </summary>
internal static class AbstractionsPackage
{
    private static readonly Lazy<string> s_folder = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The folder holding EnergyRegression.Abstractions.VERSION.nupkg.</summary>
    public static string Folder => s_folder.Value;

    public static string File => Path.Combine(Folder, $"EnergyRegression.Abstractions.{Dotnet.AbstractionsVersion}.nupkg");

    private static string Pack()
    {
        string folder = Path.Combine(Path.GetTempPath(), "energyreg-e2e-packages-" + Guid.NewGuid().ToString("N")[..12]);
        Tool.Result result = Dotnet.Run(Tool.RepoRoot, null, "pack", "src/EnergyRegression.Abstractions/EnergyRegression.Abstractions.csproj",
            "-c", Tool.Configuration, "--no-build", "-o", folder, $"-p:NuspecOutputPath={Path.Combine(folder, "nuspec")}");
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet pack failed: " + result);
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return folder;
    }
}
