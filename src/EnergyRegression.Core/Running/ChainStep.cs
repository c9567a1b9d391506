using EnergyRegression.Core.Configuration;
using EnergyRegression.Core.Plugins;
using EnergyRegression.Core.Yaml;
using EnergyRegression.Data;
using EnergyRegression.Plugins;

namespace EnergyRegression.Core.Running;

/// <summary>One constructed step of a chain: the plugin instance with where it came from in the chain file.</summary>
public sealed class ChainStep
{
    private readonly ConfigBinder _binder;

    internal ChainStep(string label, string place, PluginDescriptor plugin, object instance, YamlMapping? with, YamlPosition position, ConfigBinder binder)
    {
        Label = label;
        Place = place;
        Plugin = plugin;
        Instance = instance;
        With = with;
        Position = position;
        _binder = binder;
    }

    /// <summary>The step's label (YAML <c>name:</c>, or the plugin name).</summary>
    public string Label { get; }

    /// <summary>Where it is in the chain: <c>reader</c>, <c>stages[2]</c>, <c>writer</c>.</summary>
    public string Place { get; }

    /// <summary>The plugin.</summary>
    public PluginDescriptor Plugin { get; }

    /// <summary>The plugin instance.</summary>
    public object Instance { get; }

    /// <summary>The step's <c>with:</c> section, if any.</summary>
    public YamlMapping? With { get; }

    /// <summary>Where the step starts in the chain file.</summary>
    public YamlPosition Position { get; }

    /// <summary>How messages name the step: <c>'calibrate' (stages[2], regressor 'linear' from X.dll)</c>.</summary>
    public string Description => $"'{Label}' ({Place}, {Naming.ToSnakeCase(Plugin.Kind.ToString())} '{Plugin.Name}' from {Plugin.AssemblyName} {Plugin.Version})";

    /// <summary>
    /// Runs this stage (a selection, feature or regressor) on <paramref name="batch"/>; a selection's mask is applied to it.
    /// Returns the cuts a selection reported, else null. Exceptions are the plugin's own (see <see cref="Translate"/>).
    /// </summary>
    internal IReadOnlyList<CutCount>? Process(EventBatch batch) => Stages.Process(Instance, batch);

    /// <summary>
    /// Turns what a plugin threw into the error the user sees: bad config values point at the key in the
    /// chain file, bad input data and cancellation pass through, anything else is a plugin failure.
    /// </summary>
    public Exception Translate(Exception error, string activity)
    {
        return error switch
        {
            ConfigValueException value => _binder.AtKey(With, Position, value.Key, $"{value.Message} (in {Place} '{Label}')", value),
            InputDataException or OperationCanceledException or ConfigurationException or PluginException => error,
            // The disk, not the plugin: full, read-only, a directory where a file should be. Exits as a runtime failure.
            IOException or UnauthorizedAccessException => new IOException($"{Description} failed {activity}: {error.Message}", error),
            _ => new PluginException(Description, $"failed {activity}: {error.GetType().Name}: {error.Message}", error),
        };
    }
}
