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
/// names the plugin (and the chain step); when a line of the chain file brought the plugin in (its <c>plugins:</c>
/// entry), the message starts with that <c>file:line:column:</c>. The command exits with the plugin-error code.
/// </summary>
public sealed class PluginException : Exception
{
    /// <summary>Creates the error about <paramref name="pluginDescription"/>.</summary>
    public PluginException(string pluginDescription, string message, Exception? inner = null)
        : this(null, pluginDescription, message, inner)
    {
    }

    private PluginException(string? at, string pluginDescription, string message, Exception? inner)
        : base($"{(at is null ? "" : at + ": ")}plugin {pluginDescription}: {message}", inner)
    {
        At = at;
        Plugin = pluginDescription;
        Detail = message;
    }

    /// <summary>Which plugin, e.g. <c>'calibrate' (stages[2], type thrower from Example.dll)</c>.</summary>
    public string Plugin { get; }

    /// <summary>What went wrong, without the plugin and the place.</summary>
    public string Detail { get; }

    /// <summary>The chain file's <c>file:line:column</c> that brought the plugin in, or null.</summary>
    public string? At { get; }

    /// <summary>The same error placed at <paramref name="at"/> (<c>file:line:column</c>), unless it has a place already.</summary>
    public PluginException Placed(string? at) => at is null || At is not null ? this : new PluginException(at, Plugin, Detail, InnerException);
}
