using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EnergyRegression.Cli.Output;
using EnergyRegression.Core.Plugins;
using EnergyRegression.Core.Running;
using EnergyRegression.Models;
using EnergyRegression.Onnx;

namespace EnergyRegression.Cli.Commands;

/// <summary>
/// <c>energyreg model show FILE</c>: a trained model's card — plugin, inputs, target, layers with parameter counts,
/// hyperparameters, training metrics and provenance — read from the archive without loading the plugin; for an ONNX
/// file its operator sets, inputs, outputs and the card it was exported from. <c>energyreg model export MODEL --onnx FILE</c>
/// writes a model as ONNX (docs/onnx.md).
/// </summary>
internal static class ModelCommand
{
    public static Command Create(Option<bool> verbose)
    {
        var file = new Argument<string>("file") { Description = "The model file (written by 'energyreg train'), or an ONNX model (.onnx)." };
        var json = new Option<bool>("--json") { Description = "Print the card as JSON." };
        var show = new Command("show", "Print a model's architecture layer by layer with parameter counts, its inputs, target and training metrics.")
        {
            file, json,
        };
        show.SetAction(parse =>
        {
            try
            {
                string path = parse.GetValue(file)!;
                if (IsOnnx(path))
                {
                    OnnxModelInfo info = ReadOnnx(path);
                    if (parse.GetValue(json))
                    {
                        Console.WriteLine(JsonSerializer.Serialize(info, ModelArchive.Json));
                    }
                    else
                    {
                        PrintOnnx(path, info, Console.Out);
                    }
                    return ExitCodes.Success;
                }
                using var archive = ModelArchive.Open(path);
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
        return new Command("model", "Work with trained model files.") { show, Export(verbose) };
    }

    private static Command Export(Option<bool> verbose)
    {
        var model = new Argument<string>("model") { Description = "The model file (written by 'energyreg train')." };
        var onnx = new Option<string>("--onnx") { Description = "Write the model as ONNX to this file (docs/onnx.md).", Required = true };
        var paths = new Option<string[]>("--plugin-path", "-p") { Description = "More plugin locations (as for energyreg plugins)." };
        var export = new Command("export", "Write a trained model as an ONNX model: its inputs, preprocessing, network or trees and target transform in one graph, for ONNX Runtime, CMSSW or Python.")
        {
            model, onnx, paths,
        };
        export.SetAction(parse =>
        {
            bool isVerbose = parse.GetValue(verbose);
            var output = new ConsoleOutput(isVerbose, quiet: false);
            try
            {
                string source = parse.GetValue(model)!, target = parse.GetValue(onnx)!;
                var catalog = new PluginLoader().LoadCatalog(parse.GetValue(paths) ?? []);
                ModelExport.ToOnnx(source, target, catalog, new RunContext(output, output, 0, CancellationToken.None));
                var info = OnnxModelInfo.Read(target);
                Console.WriteLine($"wrote {target} ({new FileInfo(target).Length.ToString("N0", CultureInfo.InvariantCulture)} bytes): opsets {string.Join(", ", info.Opsets)}");
                Console.WriteLine($"inputs   {string.Join(", ", info.Inputs)}");
                Console.WriteLine($"outputs  {string.Join(", ", info.Outputs)}");
                return ExitCodes.Success;
            }
            catch (Exception e)
            {
                return ErrorReport.Handle(e, isVerbose);
            }
        });
        return export;
    }

    private static bool IsOnnx(string path) => path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);

    private static OnnxModelInfo ReadOnnx(string path)
    {
        if (!File.Exists(path))
        {
            throw new EnergyRegression.Plugins.InputDataException(path, "file", "no such ONNX model file");
        }
        try
        {
            return OnnxModelInfo.Read(path);
        }
        catch (InvalidDataException e)
        {
            throw new EnergyRegression.Plugins.InputDataException(path, "file", e.Message, e);
        }
    }

    /// <summary>An ONNX model's card: producer, operator sets, inputs and outputs, and the card it was exported from.</summary>
    internal static void PrintOnnx(string path, OnnxModelInfo info, TextWriter output)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        output.WriteLine($"model        {path}");
        output.WriteLine($"format       ONNX, IR version {info.IrVersion.ToString(c)}, {info.Nodes.ToString(c)} nodes, produced by {(info.Producer.Length > 0 ? info.Producer + " " + info.ProducerVersion : "(unknown)")}");
        output.WriteLine($"opsets       {string.Join(", ", info.Opsets)}");
        output.WriteLine($"inputs ({info.Inputs.Count.ToString(c)}):");
        foreach (OnnxValueInfo input in info.Inputs)
        {
            output.WriteLine($"  {input}");
        }
        output.WriteLine($"outputs ({info.Outputs.Count.ToString(c)}):");
        foreach (OnnxValueInfo value in info.Outputs)
        {
            output.WriteLine($"  {value}");
        }
        if (info.Metadata.TryGetValue(OnnxModelInfo.TargetKey, out string? target))
        {
            output.WriteLine($"target       {target}");
        }
        if (info.Metadata.TryGetValue(OnnxModelInfo.CardKey, out string? cardJson) && JsonSerializer.Deserialize<ModelCard>(cardJson, ModelArchive.Json) is { } card)
        {
            output.WriteLine($"exported from a '{card.Plugin}' model: {card.Architecture}");
            output.WriteLine($"trained by   {card.Provenance.ToolVersion} at {card.CreatedUtc.ToString("u", c)}, chain {card.Provenance.ConfigPath}, seed {card.Provenance.Seed.ToString(c)}");
        }
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
