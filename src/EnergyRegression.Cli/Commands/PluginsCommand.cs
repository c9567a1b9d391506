using EnergyRegression.Plugins;
using System.CommandLine;
using EnergyRegression.Cli.Output;
using EnergyRegression.Core.Configuration;
using EnergyRegression.Core.Plugins;
using EnergyRegression.Core.Running;
using Spectre.Console;

namespace EnergyRegression.Cli.Commands;

/// <summary><c>energyreg plugins [name]</c>: lists the plugins found and their config keys.</summary>
internal static class PluginsCommand
{
    public static Command Create(Option<bool> verbose)
    {
        var name = new Argument<string?>("name") { Description = "Show one plugin's keys in detail.", Arity = ArgumentArity.ZeroOrOne };
        var paths = new Option<string[]>("--plugin-path", "-p")
        {
            Description = "Extra plugin locations (a .dll, its folder, or a folder of plugin folders).",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("plugins",
            $"List the plugins found (built-in, {PluginLoader.PathVariable}, --plugin-path) with kind, name, assembly, version and config keys.")
        {
            name, paths,
        };
        command.SetAction(parse =>
        {
            try
            {
                PluginCatalog catalog = new PluginLoader().LoadCatalog(parse.GetValue(paths) ?? []);
                string? only = parse.GetValue(name);
                if (only is not null)
                {
                    return Detail(catalog, only);
                }
                Overview(catalog);
                return ExitCodes.Success;
            }
            catch (Exception e)
            {
                return ErrorReport.Handle(e, parse.GetValue(verbose));
            }
        });
        return command;
    }

    /// <summary>What this host offers plugin authors: the contract version it provides and where its packages are.</summary>
    private static void HostLine()
    {
        Console.WriteLine($"{ChainRunner.ToolVersion} provides {PluginCompatibility.AbstractionsName} {PluginCompatibility.HostPackageVersion}: "
            + $"plugins built against {PluginCompatibility.CompatibleRange(PluginCompatibility.HostVersion)} load (docs/plugins.md, \"Compatibility\")");
        if (PluginLoader.PackageFolder is { } packages)
        {
            Console.WriteLine($"plugin author packages (Abstractions, Testing, the energyreg-plugin template): {packages}");
        }
    }

    private static void Overview(PluginCatalog catalog)
    {
        HostLine();
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("kind", "name", "assembly", "version", "keys", "description");
        foreach (PluginDescriptor plugin in catalog.All)
        {
            string keys = string.Join(", ", plugin.Keys.Select(k => k.Required ? k.Key + "*" : k.Key));
            table.AddRow(Markup.Escape(Naming.ToSnakeCase(plugin.Kind.ToString())), Markup.Escape(plugin.Name),
                Markup.Escape(plugin.AssemblyName), Markup.Escape(plugin.Version), Markup.Escape(keys), Markup.Escape(plugin.Description));
        }
        Console.Out.Flush();
        Plain.Console.Write(table);
        Console.WriteLine("* required key. Details: energyreg plugins NAME");
    }

    private static int Detail(PluginCatalog catalog, string name)
    {
        var matches = catalog.WithName(name).ToList();
        if (matches.Count == 0)
        {
            Console.Error.WriteLine($"energyreg: no plugin named '{name}'{NameSuggestions.DidYouMean(name, catalog.All.Select(p => p.Name))}");
            return ExitCodes.Usage;
        }
        HostLine();
        foreach (PluginDescriptor plugin in matches)
        {
            Console.WriteLine($"{Naming.ToSnakeCase(plugin.Kind.ToString())} '{plugin.Name}': {plugin.Description}");
            Console.WriteLine($"  assembly {plugin.AssemblyName} {plugin.Version} ({plugin.AssemblyPath})");
            if (PluginCompatibility.ReferencedVersion(plugin.AssemblyPath) is { } builtAgainst)
            {
                // Major.minor only: the assembly version of the contracts is pinned to major.minor.0, patches do not show.
                Console.WriteLine($"  built against {PluginCompatibility.AbstractionsName} {builtAgainst.Major}.{builtAgainst.Minor}");
            }
            var table = new Table().Border(TableBorder.Simple).AddColumns("key", "type", "default", "description");
            // Nested sections (gbdt's search.ranges, torch's network/training, ...) as dotted keys, as in docs/reference.md.
            foreach (FlatKey key in plugin.ConfigType is null ? [] : ConfigReference.Keys(plugin.ConfigType))
            {
                table.AddRow(Markup.Escape(key.Path), Markup.Escape(key.TypeName),
                    Markup.Escape(key.Required ? "(required)" : key.Default ?? ""), Markup.Escape(key.Description));
            }
            Plain.Console.Write(table);
        }
        return ExitCodes.Success;
    }
}
