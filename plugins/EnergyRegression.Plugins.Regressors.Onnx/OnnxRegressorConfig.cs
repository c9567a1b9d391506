using System.ComponentModel;
using EnergyRegression.Configuration;

namespace EnergyRegression.Plugins.Regressors.Onnx;

/// <summary>Where ONNX Runtime runs the model.</summary>
public enum OnnxDevice
{
    /// <summary>CUDA when the runtime has its CUDA provider and a GPU, the CPU otherwise.</summary>
    Auto,

    /// <summary>The CPU.</summary>
    Cpu,

    /// <summary>The first CUDA GPU; an error when the CUDA provider or a GPU is missing.</summary>
    Cuda,
}

/// <summary>Keys of the <c>onnx</c> regressor (docs/onnx.md).</summary>
public sealed class OnnxRegressorConfig : PluginConfig
{
    /// <summary>The ONNX model file.</summary>
    [Description("The ONNX model file (.onnx): exported by energyreg model export --onnx, or written by any other tool.")]
    [PathValue]
    public required string Model { get; set; }

    /// <summary>The collection whose objects are the rows.</summary>
    [Description("The object collection the model calibrates: one row per object (event-level columns are repeated for each object of the event), e.g. Electron.")]
    public required string Collection { get; set; }

    /// <summary>ONNX input → columns.</summary>
    [Description("Input mapping: ONNX input name → the columns that fill it, side by side in each row (a tensor column contributes all its values), e.g. {features: [Electron_r9, Electron_eta]}. Inputs not listed take the column of their own name (models exported by energyreg name their inputs after the columns).")]
    public Dictionary<string, string[]> Inputs { get; set; } = [];

    /// <summary>ONNX input → a fixed value.</summary>
    [Description("ONNX inputs filled with one value for every row instead of a column, e.g. a parameterised network's parameter {Electron_scale: 1.05}.")]
    public Dictionary<string, double> Constants { get; set; } = [];

    /// <summary>ONNX output → column.</summary>
    [Description("Output mapping: ONNX output name → the column it becomes (one value per object). Outputs not listed become columns of their own name.")]
    public Dictionary<string, string> Outputs { get; set; } = [];

    /// <summary>Device.</summary>
    [Description("auto (CUDA when ONNX Runtime has its CUDA provider and a GPU, else the CPU), cpu, or cuda (an error when CUDA is not usable).")]
    public OnnxDevice Device { get; set; } = OnnxDevice.Auto;

    /// <summary>Threads of one inference.</summary>
    [Description("Threads ONNX Runtime uses for one batch; 0 = 1 (the event loop already runs one worker per core).")]
    public int Threads { get; set; }

    /// <inheritdoc />
    public override void Validate()
    {
        if (Threads < 0)
        {
            throw new ConfigValueException("threads", $"must be ≥ 0, got {Threads}");
        }
        foreach ((string input, string[] columns) in Inputs)
        {
            if (columns.Length == 0)
            {
                throw new ConfigValueException("inputs", $"ONNX input '{input}' is mapped to no column");
            }
        }
        foreach (string input in Constants.Keys)
        {
            if (Inputs.ContainsKey(input))
            {
                throw new ConfigValueException("constants", $"ONNX input '{input}' is given both columns (inputs) and a constant");
            }
        }
        RequireDistinctNames("outputs", Outputs.Values);
    }
}
