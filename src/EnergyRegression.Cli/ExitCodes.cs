namespace EnergyRegression.Cli;

/// <summary>The process exit codes of <c>energyreg</c> (documented in the README).</summary>
public static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Success = 0;

    /// <summary>An unexpected failure (a bug, the disk filled up, out of memory).</summary>
    public const int RuntimeFailure = 1;

    /// <summary>The command line is wrong (unknown option, missing argument).</summary>
    public const int Usage = 2;

    /// <summary>The chain file is wrong: YAML, keys, types, plugin types, values.</summary>
    public const int Configuration = 3;

    /// <summary>Input data is missing, unreadable or malformed.</summary>
    public const int Input = 4;

    /// <summary>A plugin could not be loaded or failed while running.</summary>
    public const int Plugin = 5;

    /// <summary>A grid run is incomplete: <c>merge</c> found shards that are not done (docs/grid.md).</summary>
    public const int Incomplete = 6;

    /// <summary>Interrupted (Ctrl+C / SIGINT); outputs were not committed.</summary>
    public const int Interrupted = 130;
}
