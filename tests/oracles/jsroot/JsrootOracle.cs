// Runs the JSROOT oracle scripts of tests/oracles/jsroot (list.mjs, dump.mjs) from .NET tests.
// Test projects link this file:
//
//   <Compile Include="../oracles/jsroot/JsrootOracle.cs" Link="Oracles/JsrootOracle.cs" />
//
// and skip (or fail, as they choose) when JsrootOracle.IsAvailable is false. See README.md next to
// this file for the JSON the scripts print.

using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace EnergyRegression.TestOracles;

/// <summary>What dump.mjs printed: the entries, and the branches JSROOT could not read.</summary>
/// <param name="Rows">One JSON object per entry, branches in the requested order.</param>
/// <param name="Unreadable">Branch (column) name to JSROOT's reason, from the "unreadable:" lines.</param>
/// <param name="Stderr">Everything the script wrote to stderr.</param>
internal sealed record JsrootDump(
    IReadOnlyList<JsonElement> Rows,
    IReadOnlyDictionary<string, string> Unreadable,
    string Stderr);

/// <summary>
/// The JSROOT reader (npm package jsroot, pinned in package.json) as an independent oracle for the
/// ROOT reader's tests. Needs <c>node</c> (>= 18) and <c>npm ci</c> run in tests/oracles/jsroot
/// (scripts/setup.sh does both).
/// </summary>
internal static class JsrootOracle
{
    private const string UnreadablePrefix = "unreadable: ";
    private static readonly Lazy<string?> s_directory = new(FindDirectory);
    private static readonly Lazy<string?> s_node = new(FindNode);

    /// <summary>Longest a single script run may take before it is killed. Default 2 minutes.</summary>
    public static TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>tests/oracles/jsroot, or null when it cannot be found.</summary>
    public static string? Directory => s_directory.Value;

    /// <summary>True when node (>= 18) runs and node_modules/jsroot is installed next to the scripts.</summary>
    public static bool IsAvailable => s_node.Value is not null && Directory is { } dir
        && File.Exists(Path.Combine(dir, "node_modules", "jsroot", "package.json"));

    /// <summary>Why <see cref="IsAvailable"/> is false, for a skip message; null when available.</summary>
    public static string? UnavailableReason =>
        Directory is null ? "tests/oracles/jsroot not found (set ENERGYREG_JSROOT_ORACLE_DIR)"
        : s_node.Value is null ? "node >= 18 not found on PATH (set ENERGYREG_NODE)"
        : !File.Exists(Path.Combine(Directory, "node_modules", "jsroot", "package.json"))
            ? $"jsroot not installed: run scripts/setup.sh or `npm ci --ignore-scripts --omit=optional` in {Directory}"
        : null;

    /// <summary>
    /// list.mjs: every key of the file (recursively through directories) and, for each TTree, its
    /// entries and branches; for each RNTuple its entries and fields.
    /// </summary>
    public static JsonElement List(string file)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        (string stdout, _) = Run("list.mjs", [Path.GetFullPath(file)]);
        using var doc = JsonDocument.Parse(stdout);
        return doc.RootElement.Clone();
    }

    /// <summary>
    /// dump.mjs: one JSON object per entry of <paramref name="tree"/>. With <paramref name="branches"/>
    /// given, a branch JSROOT cannot read is an error (the exception carries JSROOT's reason); without,
    /// all branches are dumped and the unreadable ones are left out — use <see cref="DumpDetailed"/>
    /// to see which.
    /// </summary>
    public static IReadOnlyList<JsonElement> Dump(
        string file, string tree, IEnumerable<string>? branches = null, (long Start, long Stop)? entries = null)
    {
        var requested = branches?.ToList();
        var dump = DumpDetailed(file, tree, requested, entries);
        if (requested is not null && dump.Unreadable.Count > 0)
        {
            string which = string.Join("; ", dump.Unreadable.Select(kv => $"{kv.Key}: {kv.Value}"));
            throw new InvalidOperationException($"JSROOT cannot read {which} (file {file}, tree {tree})");
        }
        return dump.Rows;
    }

    /// <summary>dump.mjs with its diagnostics: rows, unreadable branches with reasons, and stderr.</summary>
    public static JsrootDump DumpDetailed(
        string file, string tree, IEnumerable<string>? branches = null, (long Start, long Stop)? entries = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        ArgumentException.ThrowIfNullOrEmpty(tree);
        var args = new List<string> { Path.GetFullPath(file), "--tree", tree };
        if (branches is not null)
        {
            var names = branches.ToList();
            if (names.Count == 0)
                throw new ArgumentException("at least one branch name is needed", nameof(branches));
            if (names.Any(n => string.IsNullOrEmpty(n) || n.Contains(',', StringComparison.Ordinal)))
                throw new ArgumentException("branch names must be non-empty and contain no comma", nameof(branches));
            args.Add("--branches");
            args.Add(string.Join(',', names));
        }
        if (entries is { } range)
        {
            if (range.Start < 0 || range.Stop < 0)
                throw new ArgumentOutOfRangeException(nameof(entries), range, "entry numbers must be non-negative");
            args.Add("--entries");
            args.Add(string.Create(CultureInfo.InvariantCulture, $"{range.Start}:{range.Stop}"));
        }

        (string stdout, string stderr) = Run("dump.mjs", args);

        var rows = new List<JsonElement>();
        int lineNumber = 0;
        foreach (string line in stdout.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0)
                continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                rows.Add(doc.RootElement.Clone());
            }
            catch (JsonException e)
            {
                throw new InvalidOperationException(
                    $"dump.mjs printed invalid JSON on line {lineNumber}: {e.Message}\nstderr:\n{stderr}", e);
            }
        }

        var unreadable = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in stderr.Split('\n'))
        {
            if (!line.StartsWith(UnreadablePrefix, StringComparison.Ordinal))
                continue;
            string rest = line[UnreadablePrefix.Length..];
            int colon = rest.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0)
                unreadable[rest[..colon]] = rest[(colon + 2)..];
        }
        return new JsrootDump(rows, unreadable, stderr);
    }

    private static (string Stdout, string Stderr) Run(string script, IReadOnlyList<string> args)
    {
        if (UnavailableReason is { } why)
            throw new InvalidOperationException($"JSROOT oracle unavailable: {why}");
        string dir = Directory!;

        var psi = new ProcessStartInfo(s_node.Value!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = dir,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add(Path.Combine(dir, script));
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        string command = $"node {script} {string.Join(' ', args)}";

        using var process = Process.Start(psi)
            ?? throw new InvalidOperationException($"could not start: {command}");
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();

        if (!process.WaitForExit(Timeout))
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // it exited meanwhile
            }
            process.WaitForExit();
            throw new TimeoutException(
                $"{command} did not finish within {Timeout.TotalSeconds:0} s\nstderr:\n{stderr.GetAwaiter().GetResult()}");
        }
        process.WaitForExit(); // drains the redirected streams
        string output = stdout.GetAwaiter().GetResult();
        string errors = stderr.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{command} failed with exit code {process.ExitCode}\nstderr:\n{errors}");
        return (output, errors);
    }

    private static string? FindDirectory()
    {
        static bool IsOracleDir(string? d) => d is not null && File.Exists(Path.Combine(d, "dump.mjs"));

        string? fromEnv = Environment.GetEnvironmentVariable("ENERGYREG_JSROOT_ORACLE_DIR");
        if (!string.IsNullOrEmpty(fromEnv))
            return IsOracleDir(fromEnv) ? Path.GetFullPath(fromEnv) : null;

        string? fromSource = Path.GetDirectoryName(SourceFile());
        if (IsOracleDir(fromSource))
            return fromSource;

        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "tests", "oracles", "jsroot");
            if (IsOracleDir(candidate))
                return candidate;
        }
        return null;
    }

    private static string SourceFile([CallerFilePath] string path = "") => path;

    /// <summary>The node executable when it runs and is at least version 18, else null.</summary>
    private static string? FindNode()
    {
        string node = Environment.GetEnvironmentVariable("ENERGYREG_NODE") is { Length: > 0 } n ? n : "node";
        try
        {
            var psi = new ProcessStartInfo(node, "--version")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(psi);
            if (process is null)
                return null;
            string version = process.StandardOutput.ReadToEnd().Trim();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)) || process.ExitCode != 0)
                return null;
            // "v20.20.2"
            string major = version.TrimStart('v').Split('.')[0];
            return int.TryParse(major, NumberStyles.None, CultureInfo.InvariantCulture, out int m) && m >= 18 ? node : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not installed
        }
    }
}
