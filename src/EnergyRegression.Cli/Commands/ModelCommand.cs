using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EnergyRegression.Cli.Output;
using EnergyRegression.Models;

namespace EnergyRegression.Cli.Commands;

/// <summary>
/// <c>energyreg model show FILE</c>: a trained model's card — plugin, inputs, target, layers with parameter counts,
/// hyperparameters, training metrics and provenance — read from the archive without loading the plugin.
/// </summary>
internal static class ModelCommand
{
    public static Command Create(Option<bool> verbose)
    {
        var file = new Argument<string>("file") { Description = "The model file (written by 'energyreg train')." };
        var json = new Option<bool>("--json") { Description = "Print the card as JSON." };
        var show = new Command("show", "Print a model's architecture layer by layer with parameter counts, its inputs, target and training metrics.")
        {
            file, json,
        };
        show.SetAction(parse =>
        {
            try
            {
                using var archive = ModelArchive.Open(parse.GetValue(file)!);
                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(archive.Card, ModelArchive.Json));
                }
                else
                {
                    Print(archive.Path, archive.Card, Console.Out);
                }
                return ExitCodes.Success;
            }
            catch (Exception e)
            {
                return ErrorReport.Handle(e, parse.GetValue(verbose));
            }
        });
        return new Command("model", "Work with trained model files.") { show };
    }

    /// <summary>The card as aligned text.</summary>
    internal static void Print(string path, ModelCard card, TextWriter output)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        output.WriteLine($"model        {path}");
        output.WriteLine($"plugin       {card.Plugin} (file layout {card.PluginFormatVersion.ToString(c)})");
        output.WriteLine($"architecture {card.Architecture}");
        output.WriteLine($"calibrates   {card.Collection ?? "events"}");
        output.WriteLine($"target       {card.Target.Kind}: {card.Target.Definition}"
            + (card.Target.Columns.Count > 0 ? $" (from {string.Join(", ", card.Target.Columns)})" : ""));
        output.WriteLine($"outputs      {string.Join(", ", card.Outputs)}");
        output.WriteLine($"inputs ({card.Inputs.Count.ToString(c)}):");
        foreach (ModelInput input in card.Inputs)
        {
            string shape = input.Shape.Count == 0 ? "scalar" : string.Join("×", input.Shape.Select(d => d.ToString(c)));
            output.WriteLine($"  {input.Name,-32} {shape}");
        }
        if (card.Layers.Count > 0)
        {
            int width = Math.Max(12, card.Layers.Max(l => l.Name.Length));
            output.WriteLine("layers:");
            foreach (ModelLayer layer in card.Layers)
            {
                output.WriteLine(string.Create(c, $"  {layer.Name.PadRight(width)} {layer.Description,-48} {layer.Parameters,12:N0}"));
            }
        }
        output.WriteLine(string.Create(c, $"parameters   {card.Parameters:N0}"));
        if (card.Hyperparameters.Count > 0)
        {
            output.WriteLine("hyperparameters:");
            foreach ((string key, string value) in card.Hyperparameters)
            {
                output.WriteLine($"  {key,-24} {value}");
            }
        }
        output.WriteLine(string.Create(c, $"trained on   {card.TrainingObjects:N0} objects, validated on {card.ValidationObjects:N0}"));
        if (card.Metrics.Count > 0)
        {
            output.WriteLine("metrics:");
            foreach ((string key, double value) in card.Metrics)
            {
                output.WriteLine(string.Create(c, $"  {key,-24} {value:G6}"));
            }
        }
        output.WriteLine($"written by   {card.Provenance.ToolVersion} at {card.CreatedUtc.ToString("u", c)}");
        output.WriteLine($"chain        {card.Provenance.ConfigPath} (sha256 {card.Provenance.ConfigSha256[..Math.Min(12, card.Provenance.ConfigSha256.Length)]}), seed {card.Provenance.Seed.ToString(c)}");
        if (card.Provenance.InputFiles.Count > 0)
        {
            output.WriteLine($"inputs read  {string.Join(", ", card.Provenance.InputFiles)}");
        }
    }
}
