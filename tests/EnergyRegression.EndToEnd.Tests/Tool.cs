using System.Diagnostics;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>Runs the built <c>energyreg</c> as a child process, the way a user does.</summary>
internal static class Tool
{
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string ToolDll => Path.Combine(RepoRoot, "artifacts", Configuration, "energyreg", "energyreg.dll");

    public static string ExamplePluginDir =>
        Path.Combine(RepoRoot, "examples", "EnergyScalePlugin", "EnergyScale", "bin", Configuration, "net10.0");

    public static string FaultyPluginDir =>
        Path.Combine(RepoRoot, "tests", "TestPlugins", "FaultyPlugin", "bin", Configuration, "net10.0");

    public static string SampleData => Path.Combine(RepoRoot, "examples", "data", "electrons.jsonl");

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    public static Result Run(string workingDirectory, IDictionary<string, string>? environment, params string[] args) =>
        Run(TimeSpan.FromMinutes(3), workingDirectory, environment, args);

    /// <summary>Runs the tool and waits at most <paramref name="timeout"/> (the few runs that train for minutes).</summary>
    public static Result Run(TimeSpan timeout, string workingDirectory, IDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ToolDll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("ENERGYREG_PLUGIN_PATH");
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"energyreg {string.Join(' ', args)} did not finish in {timeout.TotalMinutes:0} minutes");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static Result Run(string workingDirectory, params string[] args) => Run(workingDirectory, null, args);

    private static string FindRepoRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EnergyRegression.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("EnergyRegression.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fresh, empty working directory per test, removed afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "energyreg-e2e-" + Guid.NewGuid().ToString("N")[..12]);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text)
    {
        string path = File(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
