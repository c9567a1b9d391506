using System.Reflection;
using EnergyRegression.Data;
using EnergyRegression.Plugins;

namespace EnergyRegression.Core.Plugins;

/// <summary>
/// Finds plugin assemblies on disk and loads each into its own load context, sharing the
/// Abstractions assembly with the host (so a plugin's IEventReader is the host's IEventReader) while
/// the plugin's other dependencies stay private to it. Backed by McMaster.NETCore.Plugins; this class is
/// the only place that knows it, so the library can be swapped.
/// </summary>
public sealed class PluginLoader
{
    /// <summary>The environment variable listing extra plugin locations, separated by ':'.</summary>
    public const string PathVariable = "ENERGYREG_PLUGIN_PATH";

    // Types whose assemblies the host shares with every plugin.
    private static readonly Type[] SharedTypes = [typeof(IEventReader), typeof(EventBatch)];

    // Assemblies the host ships and shares by name without referencing them itself: TorchSharp (the tool references it
    // with the Linux CPU libtorch), so every plugin using it gets the same TorchSharp, tensors can cross plugins and the
    // native libtorch is initialised once. A host without it (a test host) lets each plugin load its own copy.
    private static readonly string[] SharedAssemblyNames = ["TorchSharp"];

    private readonly Dictionary<string, Assembly> _loaded = new(StringComparer.Ordinal);

    /// <summary>The folder of built-in plugins: <c>plugins/</c> next to the executable.</summary>
    public static string BuiltInDirectory => Path.Combine(AppContext.BaseDirectory, "plugins");

    /// <summary>The locations listed in <see cref="PathVariable"/>.</summary>
    public static IReadOnlyList<string> EnvironmentLocations =>
        (Environment.GetEnvironmentVariable(PathVariable) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Loads the built-in plugins, those under <see cref="PathVariable"/>, and <paramref name="extraLocations"/>
    /// (from the chain's <c>plugins:</c>), into one catalog.
    /// </summary>
    public PluginCatalog LoadCatalog(IEnumerable<string> extraLocations, bool includeBuiltIn = true)
    {
        var catalog = new PluginCatalog();
        if (includeBuiltIn && Directory.Exists(BuiltInDirectory))
        {
            AddLocation(catalog, BuiltInDirectory, mustExist: false);
        }
        foreach (string location in EnvironmentLocations.Concat(extraLocations))
        {
            AddLocation(catalog, location, mustExist: true);
        }
        return catalog;
    }

    /// <summary>
    /// Adds a location: a plugin .dll; a folder holding the plugin's build output (the entry assembly is the
    /// .dll with a matching .deps.json, or the one named like the folder); or a folder of such folders.
    /// </summary>
    public void AddLocation(PluginCatalog catalog, string location, bool mustExist)
    {
        string full = Path.GetFullPath(location);
        if (File.Exists(full))
        {
            if (!full.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            {
                throw new PluginException($"location {location}", "is a file but not a .dll");
            }
            AddAssembly(catalog, full);
            return;
        }
        if (!Directory.Exists(full))
        {
            if (mustExist)
            {
                throw new PluginException($"location {location}", "does not exist");
            }
            return;
        }
        var entries = EntryAssemblies(full).ToList();
        if (entries.Count > 0)
        {
            entries.ForEach(e => AddAssembly(catalog, e));
            return;
        }
        int found = 0;
        foreach (string sub in Directory.EnumerateDirectories(full).Order(StringComparer.Ordinal))
        {
            foreach (string entry in EntryAssemblies(sub))
            {
                AddAssembly(catalog, entry);
                found++;
            }
        }
        if (found == 0 && mustExist)
        {
            throw new PluginException($"location {location}", "holds no plugin assembly (a .dll with its .deps.json, or a folder of such)");
        }
    }

    private static IEnumerable<string> EntryAssemblies(string directory)
    {
        string named = Path.Combine(directory, Path.GetFileName(directory) + ".dll");
        if (File.Exists(named))
        {
            return [named];
        }
        return Directory.EnumerateFiles(directory, "*.deps.json")
            .Select(deps => deps[..^".deps.json".Length] + ".dll")
            .Where(File.Exists)
            .Where(dll => !Path.GetFileName(dll).StartsWith("EnergyRegression.Abstractions", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
    }

    private void AddAssembly(PluginCatalog catalog, string path)
    {
        if (!_loaded.TryGetValue(path, out Assembly? assembly))
        {
            // Before loading: a plugin built against another Abstractions would otherwise fail later, obscurely.
            PluginCompatibility.Check(path);
            try
            {
                var loader = McMaster.NETCore.Plugins.PluginLoader.CreateFromAssemblyFile(
                    path, SharedTypes, config =>
                    {
                        config.PreferSharedTypes = true;
                        foreach (string name in SharedAssemblyNames)
                        {
                            config.SharedAssemblies.Add(new AssemblyName(name));
                        }
                    });
                assembly = loader.LoadDefaultAssembly();
            }
            catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or InvalidOperationException)
            {
                throw new PluginException($"assembly {path}", $"cannot be loaded: {e.Message}", e);
            }
            _loaded.Add(path, assembly);
        }
        catalog.AddAssembly(assembly, path);
    }
}
