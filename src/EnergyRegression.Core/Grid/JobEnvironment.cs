using System.Text;
using System.Text.RegularExpressions;
using EnergyRegression.Core.Plugins;

namespace EnergyRegression.Core.Grid;

/// <summary>
/// The environment variables a grid job needs (docs/grid.md, "Environment"): those the chain reads as <c>${NAME}</c>,
/// <c>ENERGYREG_PLUGIN_PATH</c> when set, and those named with <c>submit --env NAME[=VALUE]</c>. Their values are taken
/// when submitting, recorded in the ledger and written into the submit description — HTCondor's <c>environment</c>,
/// Slurm's <c>--export</c> — so every job, resubmissions included, runs with the same values whatever the node's
/// environment holds.
/// </summary>
public static partial class JobEnvironment
{
    /// <summary>
    /// The variables and values for a chain: <paramref name="chainText"/>'s <c>${NAME}</c> references that are not
    /// chain variables, the plugin path, and <paramref name="requested"/> (<c>NAME</c> takes the current value,
    /// <c>NAME=VALUE</c> sets one). A variable without a value is a usage error naming it.
    /// </summary>
    public static SortedDictionary<string, string> Collect(string chainText, IEnumerable<string> requested)
    {
        ArgumentNullException.ThrowIfNull(chainText);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in Reference().Matches(chainText))
        {
            string name = m.Groups["name"].Value;
            if (name != "CONFIG_DIR" && Environment.GetEnvironmentVariable(name) is { } value)
            {
                result[name] = value;
            }
        }
        if (Environment.GetEnvironmentVariable(PluginLoader.PathVariable) is { Length: > 0 } plugins)
        {
            result[PluginLoader.PathVariable] = plugins;
        }
        foreach (string entry in requested ?? [])
        {
            int eq = entry.IndexOf('=', StringComparison.Ordinal);
            string name = eq < 0 ? entry : entry[..eq];
            if (!Name().IsMatch(name))
            {
                throw new UsageException($"--env {entry}: '{name}' is not an environment variable name (letters, digits, _).");
            }
            result[name] = eq >= 0 ? entry[(eq + 1)..]
                : Environment.GetEnvironmentVariable(name) ?? throw new UsageException($"--env {name}: not set in this environment; give --env {name}=VALUE.");
        }
        foreach ((string name, string value) in result)
        {
            if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\0', StringComparison.Ordinal))
            {
                throw new UsageException($"environment variable {name}: a value with a line break cannot be passed to batch jobs.");
            }
        }
        return result;
    }

    /// <summary>
    /// HTCondor's <c>environment = "…"</c> line (the quoted syntax of condor_submit: NAME='value' pairs separated by
    /// spaces, a ' inside a value doubled, a " doubled), or null without variables.
    /// </summary>
    public static string? HtCondorLine(IReadOnlyDictionary<string, string>? environment)
    {
        if (environment is null || environment.Count == 0)
        {
            return null;
        }
        var text = new StringBuilder("environment = \"");
        bool first = true;
        foreach ((string name, string value) in environment)
        {
            text.Append(first ? "" : " ").Append(name).Append("='")
                .Append(value.Replace("'", "''", StringComparison.Ordinal).Replace("\"", "\"\"", StringComparison.Ordinal)).Append('\'');
            first = false;
        }
        return text.Append('"').ToString();
    }

    /// <summary>
    /// Slurm's <c>#SBATCH --export=ALL,NAME=value,…</c> line, or null without variables. sbatch splits the list at
    /// commas, so a value holding one cannot be passed this way (a usage error naming it).
    /// </summary>
    public static string? SlurmLine(IReadOnlyDictionary<string, string>? environment)
    {
        if (environment is null || environment.Count == 0)
        {
            return null;
        }
        foreach ((string name, string value) in environment)
        {
            if (value.Contains(',', StringComparison.Ordinal) || value.Contains(' ', StringComparison.Ordinal))
            {
                throw new UsageException($"environment variable {name}='{value}': sbatch --export cannot pass a value with a comma or space; set it in the job's environment another way (a profile the jobs source).");
            }
        }
        return "#SBATCH --export=ALL," + string.Join(',', environment.Select(p => $"{p.Key}={p.Value}"));
    }

    [GeneratedRegex(@"(?<!\$)\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Name();
}
