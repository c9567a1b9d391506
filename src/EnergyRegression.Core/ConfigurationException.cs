namespace EnergyRegression.Core;

/// <summary>
/// A chain file the tool cannot accept: bad YAML, unknown or missing keys, wrong types, unknown plugin
/// types, values a plugin rejects. The message starts with <c>file:line:column:</c>.
/// </summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates the error at a place in a file (line and column 1-based; 0 when unknown).</summary>
    public ConfigurationException(string file, int line, int column, string message, Exception? inner = null)
        : base(line > 0 ? $"{file}:{line}:{column}: {message}" : $"{file}: {message}", inner)
    {
        File = file;
        Line = line;
        Column = column;
        Detail = message;
    }

    /// <summary>The chain file.</summary>
    public string File { get; }

    /// <summary>1-based line, 0 when the error is about the whole file.</summary>
    public int Line { get; }

    /// <summary>1-based column.</summary>
    public int Column { get; }

    /// <summary>The message without the location.</summary>
    public string Detail { get; }
}

/// <summary>
/// A plugin failed: it could not be loaded, or it threw while constructing or processing. The message
/// names the plugin (and the chain step). The command exits with the plugin-error code.
/// </summary>
public sealed class PluginException(string pluginDescription, string message, Exception? inner = null)
    : Exception($"plugin {pluginDescription}: {message}", inner)
{
    /// <summary>Which plugin, e.g. <c>'calibrate' (stages[2], type thrower from Example.dll)</c>.</summary>
    public string Plugin { get; } = pluginDescription;
}
