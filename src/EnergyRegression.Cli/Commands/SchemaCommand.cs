using System.CommandLine;
using EnergyRegression.Cli.Output;
using EnergyRegression.Core.Configuration;
using EnergyRegression.Core.Plugins;

namespace EnergyRegression.Cli.Commands;

/// <summary>
/// <c>energyreg schema [--markdown]</c>: the JSON Schema of chain files, or the YAML reference in Markdown, generated
/// from the config classes of the plugins found (docs/plugins.md, docs/reference.md).
/// </summary>
internal static class SchemaCommand
{
    public static Command Create(Option<bool> verbose)
    {
        var markdown = new Option<bool>("--markdown")
        {
            Description = "Write the YAML reference in Markdown (docs/reference.md) instead of the JSON Schema.",
        };
        var paths = new Option<string[]>("--plugin-path", "-p")
        {
            Description = "Extra plugin locations whose plugins the schema also describes.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("schema",
            $"Write the JSON Schema (draft-07) of chain files to stdout, generated from the config classes of the plugins found "
            + $"(built-in, {PluginLoader.PathVariable}, --plugin-path): energyreg schema > chain.schema.json")
        {
            markdown, paths,
        };
        command.SetAction(parse =>
        {
            try
            {
                PluginCatalog catalog = new PluginLoader().LoadCatalog(parse.GetValue(paths) ?? []);
                string text = parse.GetValue(markdown) ? ConfigReference.ToMarkdown(catalog) : ChainSchema.ToJson(catalog);
                Console.Out.Write(text);
                Console.Out.Flush();
                return ExitCodes.Success;
            }
            catch (Exception e)
            {
                return ErrorReport.Handle(e, parse.GetValue(verbose));
            }
        });
        return command;
    }
}
