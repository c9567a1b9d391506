using System.Reflection;
using EnergyRegression.Configuration;
using EnergyRegression.Running;

namespace EnergyRegression.Plugins;

/// <summary>
/// The shape every plugin class has (docs/plugins.md, "Contracts"): exactly one of the five contracts, concrete, one public
/// constructor taking its config (a <see cref="PluginConfig"/> subclass) and optionally an <see cref="IRunContext"/>. One
/// source file compiled into the host (EnergyRegression.Core) and into EnergyRegression.Testing, so the test harness refuses
/// what energyreg refuses, with the same words.
/// </summary>
internal static class PluginShape
{
    /// <summary>A plugin class's kind, its public constructor and its config class (null: it takes no keys).</summary>
    public readonly record struct Shape(PluginKind Kind, ConstructorInfo? Constructor, Type? ConfigType);

    /// <summary>
    /// The shape of <paramref name="type"/>, or why it is not a plugin class (<paramref name="problem"/>, to follow the
    /// plugin's name in a message). <paramref name="constructorRules"/> false checks the contract only (an instance exists).
    /// </summary>
    public static Shape? Inspect(Type type, bool constructorRules, out string? problem)
    {
        var kinds = new List<PluginKind>();
        if (typeof(IEventReader).IsAssignableFrom(type)) { kinds.Add(PluginKind.Reader); }
        if (typeof(ISelection).IsAssignableFrom(type)) { kinds.Add(PluginKind.Selection); }
        if (typeof(IFeature).IsAssignableFrom(type)) { kinds.Add(PluginKind.Feature); }
        if (typeof(IRegressor).IsAssignableFrom(type)) { kinds.Add(PluginKind.Regressor); }
        if (typeof(IEventWriter).IsAssignableFrom(type)) { kinds.Add(PluginKind.Writer); }
        problem = kinds.Count switch
        {
            0 => "implements none of IEventReader, ISelection, IFeature, IRegressor, IEventWriter",
            > 1 => $"implements several plugin contracts ({string.Join(", ", kinds)}); a plugin class has exactly one",
            _ when type.IsAbstract || type.IsGenericTypeDefinition => "is abstract or generic; a plugin must be a concrete class",
            _ => null,
        };
        if (problem is not null)
        {
            return null;
        }
        if (!constructorRules)
        {
            return new Shape(kinds[0], null, null);
        }
        ConstructorInfo[] constructors = type.GetConstructors();
        if (constructors.Length != 1)
        {
            problem = $"has {constructors.Length} public constructors; a plugin has exactly one";
            return null;
        }
        Type? configType = null;
        foreach (ParameterInfo parameter in constructors[0].GetParameters())
        {
            if (typeof(PluginConfig).IsAssignableFrom(parameter.ParameterType) && configType is null)
            {
                configType = parameter.ParameterType;
            }
            else if (parameter.ParameterType != typeof(IRunContext))
            {
                problem = $"constructor parameter '{parameter.Name}' is a {parameter.ParameterType.Name}; allowed are one PluginConfig subclass and an IRunContext";
                return null;
            }
        }
        return new Shape(kinds[0], constructors[0], configType);
    }
}
