using System.Reflection;
using System.Text.Json;
using EnergyRegression.Core.Configuration;
using EnergyRegression.Core.Plugins;
using EnergyRegression.Core.Yaml;
using EnergyRegression.Models;
using EnergyRegression.Plugins;
using EnergyRegression.Running;

namespace EnergyRegression.Core.Running;

/// <summary>
/// <c>energyreg model export MODEL --onnx FILE</c> (docs/onnx.md): builds the regressor plugin that wrote the model
/// (named in its card) to apply it, as a chain would, and lets it write the ONNX model (<see cref="IOnnxExportable"/>)
/// to <c>FILE.partial</c>, renamed to FILE when complete.
/// </summary>
public static class ModelExport
{
    /// <summary>Exports <paramref name="modelPath"/> to <paramref name="onnxPath"/>.</summary>
    public static void ToOnnx(string modelPath, string onnxPath, PluginCatalog catalog, IRunContext context)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ModelCard card;
        using (var archive = ModelArchive.Open(modelPath))
        {
            card = archive.Card;
        }
        PluginDescriptor plugin = catalog.Find(PluginKind.Regressor, card.Plugin)
            ?? throw new PluginException($"regressor '{card.Plugin}'", $"wrote {modelPath} but is not among the plugins found (energyreg plugins lists them)");
        if (!typeof(IOnnxExportable).IsAssignableFrom(plugin.Type))
        {
            throw new UsageException($"{modelPath}: the '{card.Plugin}' regressor cannot export its models to ONNX.");
        }
        // The step a chain applying the model would have: the model file and its collection.
        string with = $"{{model: {JsonSerializer.Serialize(Path.GetFullPath(modelPath))}"
            + (card.Collection is null ? "" : $", collection: {JsonSerializer.Serialize(card.Collection)}") + "}";
        var file = ChainFile.Parse($"reader: {{type: none}}\nstages:\n  - type: {card.Plugin}\n    with: {with}\n", $"(export of {modelPath})");
        var step = (YamlMapping)((YamlSequence)file.Root.Find("stages")!).Items[0];
        var stepWith = (YamlMapping)step.Find("with")!;
        object? config = plugin.ConfigType is null ? null : file.Binder.Bind(plugin.ConfigType, stepWith, $"the export of {modelPath}", step.Position);
        object instance;
        try
        {
            instance = plugin.Constructor.Invoke([.. plugin.Constructor.GetParameters().Select(p => p.ParameterType == typeof(IRunContext) ? context : config!)]);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
        string partial = onnxPath + ".partial";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(onnxPath))!);
            using (var output = new FileStream(partial, FileMode.Create, FileAccess.Write))
            {
                ((IOnnxExportable)instance).ExportOnnx(output);
            }
            File.Move(partial, onnxPath, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
            (instance as IDisposable)?.Dispose();
        }
    }
}
