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
        foreach (string name in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "ENERGYREG_PLUGIN_PATH", "ENERGYREG_PACKAGES" })
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
/// The plugin authors' packages — EnergyRegression.Abstractions, EnergyRegression.Testing and the template package
/// EnergyRegression.Templates — as a plugin author outside the repository gets them: the folder a Release build (the setup's)
/// leaves them in, artifacts/packages; for another configuration, packed once per test run into a temporary folder.
/// </summary>
internal static class PluginPackages
{
    private static readonly Lazy<string> s_folder = new(Find, LazyThreadSafetyMode.ExecutionAndPublication);

    public static readonly string[] Ids = ["EnergyRegression.Abstractions", "EnergyRegression.Testing", "EnergyRegression.Templates"];

    /// <summary>The folder holding the three packages of the current version.</summary>
    public static string Folder => s_folder.Value;

    /// <summary>The package file of <paramref name="id"/>.</summary>
    public static string File(string id) => Path.Combine(Folder, $"{id}.{Dotnet.AbstractionsVersion}.nupkg");

    /// <summary>The build's own folder, artifacts/packages.</summary>
    public static string BuildFolder => Path.Combine(Tool.RepoRoot, "artifacts", "packages");

    private static string Find()
    {
        if (string.Equals(Tool.Configuration, "Release", StringComparison.Ordinal)) // a call, not a constant: the other branch stays reachable
        {
            string[] missing = Ids.Where(id => !System.IO.File.Exists(Path.Combine(BuildFolder, $"{id}.{Dotnet.AbstractionsVersion}.nupkg"))).ToArray();
            return missing.Length == 0 ? BuildFolder
                : throw new InvalidOperationException($"{string.Join(", ", missing)} not in {BuildFolder}: a Release build (scripts/setup.sh) leaves them there");
        }
        string folder = Path.Combine(Path.GetTempPath(), "energyreg-e2e-packages-" + Guid.NewGuid().ToString("N")[..12]);
        foreach (string project in new[] { "src/EnergyRegression.Abstractions/EnergyRegression.Abstractions.csproj",
            "src/EnergyRegression.Testing/EnergyRegression.Testing.csproj", "templates/EnergyRegression.Templates.csproj" })
        {
            Tool.Result result = Dotnet.Run(Tool.RepoRoot, null, "pack", project, "-c", Tool.Configuration, "--no-build", "-o", folder,
                $"-p:PackageSourceForTemplate={folder}", $"-p:NuspecOutputPath={Path.Combine(folder, "nuspec")}");
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException("dotnet pack failed: " + result);
            }
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
