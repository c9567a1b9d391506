using System.Reflection;
using EnergyRegression.Configuration;
using EnergyRegression.Core.Configuration;
using EnergyRegression.Plugins;
using EnergyRegression.Running;

namespace EnergyRegression.Core.Plugins;

/// <summary>
/// The plugins available to a chain: every plugin class of every assembly the host loaded, keyed by kind
/// and name. A name may appear once per kind (a reader and a writer may both be called <c>json</c>).
/// </summary>
public sealed class PluginCatalog
{
    private readonly Dictionary<(PluginKind, string), PluginDescriptor> _plugins = [];
    private readonly List<string> _problems = [];

    /// <summary>All plugins, ordered by kind then name.</summary>
    public IEnumerable<PluginDescriptor> All => _plugins.Values.OrderBy(p => p.Kind).ThenBy(p => p.Name, StringComparer.Ordinal);

    /// <summary>Warnings collected while scanning (assemblies with no plugins, skipped classes).</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Adds every class marked <see cref="PluginAttribute"/> in <paramref name="assembly"/>.</summary>
    public void AddAssembly(Assembly assembly, string assemblyPath)
    {
        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or TypeLoadException)
        {
            throw new PluginException($"assembly {assemblyPath}", $"its types cannot be loaded: {e.Message}", e);
        }
        foreach (Type type in types)
        {
            if (type.GetCustomAttribute<PluginAttribute>() is { } attribute)
            {
                Add(Describe(type, attribute, assemblyPath));
            }
        }
    }

    /// <summary>Adds one plugin class (tests use this to add classes without an assembly on disk).</summary>
    public void Add(PluginDescriptor descriptor)
    {
        if (_plugins.TryGetValue((descriptor.Kind, descriptor.Name), out PluginDescriptor? existing))
        {
            if (existing.Type == descriptor.Type)
            {
                return;
            }
            throw new PluginException($"{Naming.ToSnakeCase(descriptor.Kind.ToString())} '{descriptor.Name}'",
                $"defined twice: in {existing.AssemblyPath} and in {descriptor.AssemblyPath}");
        }
        _plugins.Add((descriptor.Kind, descriptor.Name), descriptor);
    }

    /// <summary>Adds <paramref name="type"/> (must carry <see cref="PluginAttribute"/>).</summary>
    public void Add(Type type) => Add(Describe(type));

    /// <summary>The plugin of that kind and name, or null.</summary>
    public PluginDescriptor? Find(PluginKind kind, string name) => _plugins.GetValueOrDefault((kind, name));

    /// <summary>The names of the plugins of a kind.</summary>
    public IEnumerable<string> NamesOf(PluginKind kind) => All.Where(p => p.Kind == kind).Select(p => p.Name);

    /// <summary>Plugins of any kind with that name (to say "'json' is a writer, not a selection").</summary>
    public IEnumerable<PluginDescriptor> WithName(string name) => All.Where(p => p.Name == name);

    /// <summary>Describes a plugin class; <paramref name="instanceGiven"/> skips the constructor rules (the instance exists already).</summary>
    internal static PluginDescriptor Describe(Type type, bool instanceGiven = false) =>
        Describe(type, type.GetCustomAttribute<PluginAttribute>() ?? throw new ArgumentException($"{type} has no [Plugin] attribute."),
            type.Assembly.Location, instanceGiven);

    private static PluginDescriptor Describe(Type type, PluginAttribute attribute, string assemblyPath, bool instanceGiven = false)
    {
        string what = $"'{attribute.Name}' ({type.FullName} in {assemblyPath})";
        var kinds = new List<PluginKind>();
        if (typeof(IEventReader).IsAssignableFrom(type)) { kinds.Add(PluginKind.Reader); }
        if (typeof(ISelection).IsAssignableFrom(type)) { kinds.Add(PluginKind.Selection); }
        if (typeof(IFeature).IsAssignableFrom(type)) { kinds.Add(PluginKind.Feature); }
        if (typeof(IRegressor).IsAssignableFrom(type)) { kinds.Add(PluginKind.Regressor); }
        if (typeof(IEventWriter).IsAssignableFrom(type)) { kinds.Add(PluginKind.Writer); }
        if (kinds.Count != 1)
        {
            throw new PluginException(what, kinds.Count == 0
                ? "implements none of IEventReader, ISelection, IFeature, IRegressor, IEventWriter"
                : $"implements several plugin contracts ({string.Join(", ", kinds)}); a plugin class has exactly one");
        }
        if (type.IsAbstract || type.IsGenericTypeDefinition)
        {
            throw new PluginException(what, "is abstract or generic; a plugin must be a concrete class");
        }

        ConstructorInfo[] constructors = type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance);
        if (instanceGiven)
        {
            return new PluginDescriptor(type, attribute, kinds[0], constructors[0], null, assemblyPath);
        }
        constructors = type.GetConstructors();
        if (constructors.Length != 1)
        {
            throw new PluginException(what, $"has {constructors.Length} public constructors; a plugin has exactly one");
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
                throw new PluginException(what,
                    $"constructor parameter '{parameter.Name}' is a {parameter.ParameterType.Name}; allowed are one PluginConfig subclass and an IRunContext");
            }
        }
        return new PluginDescriptor(type, attribute, kinds[0], constructors[0], configType, assemblyPath);
    }
}
