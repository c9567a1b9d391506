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

    /// <summary>
    /// The folder of the plugin author's packages (EnergyRegression.Abstractions, EnergyRegression.Testing, the
    /// energyreg-plugin template) that came with this energyreg: <c>packages/</c> next to a published tool, or the
    /// repository's <c>artifacts/packages</c> for a build; null when there is none.
    /// </summary>
    public static string? PackageFolder =>
        new[] { Path.Combine(AppContext.BaseDirectory, "packages"), Path.Combine(AppContext.BaseDirectory, "..", "..", "packages") }
            .Select(Path.GetFullPath)
            .FirstOrDefault(d => Directory.Exists(d) && Directory.EnumerateFiles(d, PluginCompatibility.AbstractionsName + ".*.nupkg").Any());

    /// <summary>The locations listed in <see cref="PathVariable"/>.</summary>
    public static IReadOnlyList<string> EnvironmentLocations =>
        (Environment.GetEnvironmentVariable(PathVariable) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Loads the built-in plugins, those under <see cref="PathVariable"/>, and <paramref name="extraLocations"/>
    /// (<c>--plugin-path</c>), into one catalog.
    /// </summary>
    public PluginCatalog LoadCatalog(IEnumerable<string> extraLocations, bool includeBuiltIn = true) =>
        LoadCatalogFrom(extraLocations.Select(l => new PluginLocation(l, "--plugin-path")), includeBuiltIn);

    /// <summary>
    /// Loads the built-in plugins, those under <see cref="PathVariable"/>, and <paramref name="extraLocations"/>
    /// (a chain's <c>plugins:</c> entries, with their place in the chain file), into one catalog.
    /// </summary>
    public PluginCatalog LoadCatalogFrom(IEnumerable<PluginLocation> extraLocations, bool includeBuiltIn = true)
    {
        var catalog = new PluginCatalog();
        if (includeBuiltIn && Directory.Exists(BuiltInDirectory))
        {
            AddLocation(catalog, new PluginLocation(BuiltInDirectory, "the built-in plugins"), mustExist: false);
        }
        foreach (PluginLocation location in EnvironmentLocations.Select(l => new PluginLocation(l, PathVariable)).Concat(extraLocations))
        {
            AddLocation(catalog, location, mustExist: true);
        }
        return catalog;
    }

    /// <summary>
    /// Adds a location: a plugin .dll; a folder holding the plugin's build output (the entry assembly is the
    /// .dll with a matching .deps.json, or the one named like the folder); or a folder of such folders. Every
    /// problem is a <see cref="PluginException"/> placed at the location's entry in the chain file, if it has one.
    /// </summary>
    public void AddLocation(PluginCatalog catalog, PluginLocation location, bool mustExist)
    {
        try
        {
            AddLocation(catalog, location.Path, location.Source, mustExist);
        }
        catch (PluginException e)
        {
            throw e.Placed(location.At);
        }
    }

    private void AddLocation(PluginCatalog catalog, string location, string source, bool mustExist)
    {
        string what = $"location {location} ({source})";
        string full = Path.GetFullPath(location);
        if (File.Exists(full))
        {
            if (!full.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            {
                throw new PluginException(what, "is a file but not a .dll");
            }
            AddAssembly(catalog, full);
            return;
        }
        if (!Directory.Exists(full))
        {
            if (mustExist)
            {
                throw new PluginException(what, $"does not exist{(Path.IsPathRooted(location) ? "" : $" (relative to the current directory: {full}; ${{CONFIG_DIR}}/… is relative to the chain file)")}");
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
            throw new PluginException(what, "holds no plugin assembly (a .dll with its .deps.json, or a folder of such: build the plugin first)");
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
                // A plugin built against a newer patch (or, with 1.x, an older minor) version of the contracts may reference
                // an Abstractions version other than the host's; the compatibility check has passed, so it gets the host's.
                loader.LoadContext.Resolving += (_, name) => name.Name == PluginCompatibility.AbstractionsName ? SharedTypes[0].Assembly : null;
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

/// <summary>
/// Where to look for plugins, and where that came from: a chain's <c>plugins:</c> entry (<paramref name="At"/> is its
/// <c>file:line:column</c>), <c>--plugin-path</c>, <see cref="PluginLoader.PathVariable"/> or the built-in folder.
/// </summary>
/// <param name="Path">A plugin .dll, its build folder, or a folder of plugin folders.</param>
/// <param name="Source">Says where the location was given, for messages (<c>plugins[0]</c>, <c>--plugin-path</c>).</param>
/// <param name="At">The <c>file:line:column</c> of the chain file's entry, or null.</param>
public sealed record PluginLocation(string Path, string Source, string? At = null);
