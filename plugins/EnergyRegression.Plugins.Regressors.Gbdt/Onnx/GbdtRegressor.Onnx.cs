using EnergyRegression.Models;
using EnergyRegression.Plugins.Regressors.Gbdt.Onnx;

namespace EnergyRegression.Plugins.Regressors.Gbdt;

/// <summary>The gbdt regressor's ONNX export (<c>energyreg model export MODEL --onnx FILE</c>, docs/onnx.md).</summary>
public sealed partial class GbdtRegressor : IOnnxExportable
{
    /// <inheritdoc />
    public void ExportOnnx(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        GbdtModel model = _model ?? throw new InvalidOperationException("the gbdt regressor has no model to export");
        string path = _config.Model ?? throw new ConfigValueException("model", "exporting needs the model file");
        using var archive = ModelArchive.Open(path);
        destination.Write(GbdtOnnxExporter.Build(model, archive.Card));
    }
}
