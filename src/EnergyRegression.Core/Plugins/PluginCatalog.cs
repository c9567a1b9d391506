using System.Reflection;
using EnergyRegression.Core.Configuration;
using EnergyRegression.Plugins;

namespace EnergyRegression.Core.Plugins;

/// <summary>
/// The plugins available to a chain: every plugin class of every assembly the host loaded, keyed by kind
/// and name. A name may appear once per kind, and once among the stage kinds: a chain's <c>stages:</c> choose a
/// selection, feature or regressor by name alone, so those kinds share their names (a reader and a writer may
/// both be called <c>json</c>: they have slots of their own).
/// </summary>
public sealed class PluginCatalog
{
    private readonly Dictionary<(PluginKind, string), PluginDescriptor> _plugins = [];
    private readonly List<string> _problems = [];

    // The kinds a chain's stages: list chooses among by name.
    private static readonly PluginKind[] StageKinds = [PluginKind.Selection, PluginKind.Feature, PluginKind.Regressor];

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
        if (StageKinds.Contains(descriptor.Kind)
            && StageKinds.Select(k => Find(k, descriptor.Name)).FirstOrDefault(p => p is not null) is { } other)
        {
            throw new PluginException($"name '{descriptor.Name}'",
                $"is used by {Describe(other)} and by {Describe(descriptor)}; a chain's stages choose their plugin by name alone, "
                + "so a selection, a feature and a regressor may not share a name: rename one of them (its [Plugin(\"...\")])");
        }
        _plugins.Add((descriptor.Kind, descriptor.Name), descriptor);

        static string Describe(PluginDescriptor p) =>
            $"a {Naming.ToSnakeCase(p.Kind.ToString())} ({p.Type.FullName} in {p.AssemblyPath})";
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
        PluginShape.Shape shape = PluginShape.Inspect(type, constructorRules: !instanceGiven, out string? problem)
            ?? throw new PluginException(what, problem!);
        ConstructorInfo constructor = shape.Constructor
            ?? type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)[0];
        return new PluginDescriptor(type, attribute, shape.Kind, constructor, shape.ConfigType, assemblyPath);
    }
}
