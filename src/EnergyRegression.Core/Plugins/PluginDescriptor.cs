using System.Reflection;
using EnergyRegression.Core.Configuration;
using EnergyRegression.Plugins;

namespace EnergyRegression.Core.Plugins;

/// <summary>A plugin class found in an assembly: its kind, name, config class and origin.</summary>
public sealed class PluginDescriptor
{
    internal PluginDescriptor(Type type, PluginAttribute attribute, PluginKind kind, ConstructorInfo constructor, Type? configType, string assemblyPath)
    {
        Type = type;
        Name = attribute.Name;
        Description = attribute.Description;
        Kind = kind;
        Constructor = constructor;
        ConfigType = configType;
        AssemblyPath = assemblyPath;
        AssemblyName name = type.Assembly.GetName();
        AssemblyName = name.Name ?? type.Assembly.FullName ?? "?";
        Version = type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? name.Version?.ToString() ?? "?";
    }

    /// <summary>The plugin's name (YAML <c>type:</c>).</summary>
    public string Name { get; }

    /// <summary>One line from the plugin attribute.</summary>
    public string Description { get; }

    /// <summary>Reader, selection, feature, regressor or writer.</summary>
    public PluginKind Kind { get; }

    /// <summary>The implementing class.</summary>
    public Type Type { get; }

    /// <summary>The config class bound from <c>with:</c>, or null when the plugin takes no keys.</summary>
    public Type? ConfigType { get; }

    /// <summary>The assembly's simple name.</summary>
    public string AssemblyName { get; }

    /// <summary>The assembly's informational version.</summary>
    public string Version { get; }

    /// <summary>Where the assembly was loaded from.</summary>
    public string AssemblyPath { get; }

    /// <summary>True when the plugin can also be trained (<see cref="ITrainableRegressor"/>).</summary>
    public bool IsTrainable => typeof(ITrainableRegressor).IsAssignableFrom(Type);

    /// <summary>The config keys, for listings and docs.</summary>
    public IReadOnlyList<ConfigKey> Keys => ConfigType is null ? [] : ConfigKey.Of(ConfigType);

    internal ConstructorInfo Constructor { get; }

    /// <summary>Kind and name as the user sees them: <c>selection 'filter'</c>.</summary>
    public override string ToString() => $"{Naming.ToSnakeCase(Kind.ToString())} '{Name}' ({AssemblyName} {Version})";
}
