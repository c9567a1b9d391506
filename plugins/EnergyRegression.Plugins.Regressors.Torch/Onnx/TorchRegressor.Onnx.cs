using EnergyRegression.Plugins.Regressors.Torch.Onnx;

namespace EnergyRegression.Plugins.Regressors.Torch;

/// <summary>The torch regressor's ONNX export (<c>energyreg model export MODEL --onnx FILE</c>, docs/onnx.md).</summary>
public sealed partial class TorchRegressor : IOnnxExportable
{
    /// <inheritdoc />
    public void ExportOnnx(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        TorchOnnxExporter.Export(_config.Model ?? throw new ConfigValueException("model", "exporting needs the model file"), destination);
    }
}
