namespace EnergyRegression.Plugins;

/// <summary>
/// A regressor whose model can leave the project as an ONNX model file (<c>energyreg model export MODEL --onnx FILE</c>,
/// docs/onnx.md): the graph maps the model's input columns, one graph input per column named after it, to its output
/// columns, with the model's preprocessing and target transform inside, so ONNX Runtime (the <c>onnx</c> regressor,
/// CMSSW, Python) gives what the regressor itself gives. The host builds the regressor to apply its model file, then
/// calls <see cref="ExportOnnx"/>.
/// </summary>
public interface IOnnxExportable
{
    /// <summary>Writes the loaded model as a serialised ONNX <c>ModelProto</c> to <paramref name="destination"/>.</summary>
    void ExportOnnx(Stream destination);
}
