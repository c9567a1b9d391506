namespace EnergyRegression.Plugins;

/// <summary>
/// Bad input data: a malformed line, a missing branch, a corrupt basket. The message names the file and
/// the place (line, tree/branch/entry, offset). The command exits with the input-error code.
/// </summary>
public class InputDataException : Exception
{
    /// <summary>Creates the error for <paramref name="file"/> at <paramref name="place"/> (e.g. "line 12" or "tree Events, branch Electron_pt, entry 40").</summary>
    public InputDataException(string file, string place, string message, Exception? inner = null)
        : base($"{file}: {place}: {message}", inner)
    {
        File = file;
        Place = place;
        Detail = message;
    }

    /// <summary>The input file.</summary>
    public string File { get; }

    /// <summary>Where in the file.</summary>
    public string Place { get; }

    /// <summary>What is wrong, without file and place.</summary>
    public string Detail { get; }
}

/// <summary>
/// A config value that is well-formed YAML but not acceptable (out of range, contradicts another key).
/// Thrown from <see cref="Configuration.PluginConfig.Validate"/> or a plugin constructor; the host adds
/// the file, line and column of <see cref="Key"/>.
/// </summary>
public class ConfigValueException(string key, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The config key (as written in YAML, e.g. <c>on_error</c>) the problem is about.</summary>
    public string Key { get; } = key;
}
