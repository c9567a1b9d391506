using System.Globalization;
using EnergyRegression.Data;
using EnergyRegression.Onnx;
using EnergyRegression.Running;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EnergyRegression.Plugins.Regressors.Onnx;

/// <summary>
/// Applies an ONNX model with ONNX Runtime (docs/onnx.md): one row per object of a collection; every ONNX input is
/// filled from columns (by default the column of the input's name; <c>inputs:</c> maps others, several columns side by
/// side) or a constant; every output of one value per row becomes a column. Models exported by
/// <c>energyreg model export --onnx</c> need no mapping. Runs on the CPU, or on CUDA where the runtime has it.
/// </summary>
[Plugin("onnx", Description = "Applies any ONNX model with ONNX Runtime (CPU; CUDA where present): inputs and outputs mapped to columns.")]
public sealed class OnnxRegressor : IRegressor, IDisposable
{
    private readonly OnnxRegressorConfig _config;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly ModelInput[] _inputs;
    private readonly (string Name, string Column)[] _outputs;

    /// <summary>Opens the model, chooses the device and checks the mappings against the model's inputs and outputs.</summary>
    public OnnxRegressor(OnnxRegressorConfig config, IRunContext context)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(context);
        _config = config;
        if (!File.Exists(config.Model))
        {
            throw new InputDataException(config.Model, "file", Directory.Exists(config.Model) ? "is a directory, not an ONNX model" : "no such ONNX model file");
        }
        OnnxModelInfo info;
        try
        {
            info = OnnxModelInfo.Read(config.Model);
        }
        catch (InvalidDataException e)
        {
            throw new InputDataException(config.Model, "file", e.Message, e);
        }
        _session = OpenSession(config, context.Log);
        try
        {
            _inputs = [.. _session.InputMetadata.Select(p => Describe(p.Key, p.Value, info))];
            _outputs = [.. OutputsOf(_session, config)];
            foreach (string name in config.Inputs.Keys.Concat(config.Constants.Keys))
            {
                if (!_session.InputMetadata.ContainsKey(name))
                {
                    throw new ConfigValueException(config.Inputs.ContainsKey(name) ? "inputs" : "constants",
                        $"the model {config.Model} has no input '{name}'{NameSuggestions.DidYouMean(name, _session.InputNames)}; its inputs: {string.Join(", ", info.Inputs)}");
                }
            }
            context.Log.Debug($"onnx: {config.Model}: opsets {string.Join(", ", info.Opsets)}; inputs {string.Join(", ", info.Inputs)}; outputs {string.Join(", ", info.Outputs)}");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>One model input as the plugin fills it: its name, the columns or constant, its element type and row shape.</summary>
    private sealed record ModelInput(string Name, string[] Columns, double? Constant, TensorElementType Type, int[] RowShape)
    {
        public int RowSize => RowShape.Aggregate(1, (a, b) => a * b);
    }

    private ModelInput Describe(string name, NodeMetadata metadata, OnnxModelInfo info)
    {
        if (!metadata.IsTensor || metadata.ElementDataType is not (TensorElementType.Float or TensorElementType.Double or TensorElementType.Int64 or TensorElementType.Int32))
        {
            throw new ConfigValueException("model", $"the model {_config.Model}: input '{name}' is {(metadata.IsTensor ? metadata.ElementDataType.ToString() : metadata.OnnxValueType.ToString())}; the onnx regressor fills float, double, int64 and int32 tensors");
        }
        int[] dims = metadata.Dimensions;
        if (dims.Length == 0)
        {
            throw new ConfigValueException("model", $"the model {_config.Model}: input '{name}' is a scalar; the onnx regressor fills tensors with one row per object (first dimension)");
        }
        int[] row = dims[1..];
        if (row.Any(d => d < 0))
        {
            throw new ConfigValueException("model", $"the model {_config.Model}: input '{info.Inputs.FirstOrDefault(i => i.Name == name)?.ToString() ?? name}' has a dimension of unknown size after the first; the onnx regressor needs fixed row shapes");
        }
        if (_config.Constants.TryGetValue(name, out double constant))
        {
            return new ModelInput(name, [], constant, metadata.ElementDataType, row);
        }
        string[] columns = _config.Inputs.TryGetValue(name, out string[]? mapped) ? mapped : [name];
        return new ModelInput(name, columns, null, metadata.ElementDataType, row);
    }

    private static IEnumerable<(string, string)> OutputsOf(InferenceSession session, OnnxRegressorConfig config)
    {
        foreach (string name in config.Outputs.Keys)
        {
            if (!session.OutputMetadata.ContainsKey(name))
            {
                throw new ConfigValueException("outputs", $"the model {config.Model} has no output '{name}'{NameSuggestions.DidYouMean(name, session.OutputNames)}; its outputs: {string.Join(", ", session.OutputNames)}");
            }
        }
        foreach ((string name, NodeMetadata metadata) in session.OutputMetadata)
        {
            int[] dims = metadata.Dimensions;
            bool perRow = metadata.IsTensor && metadata.ElementDataType is TensorElementType.Float or TensorElementType.Double
                && (dims.Length == 1 || (dims.Length == 2 && dims[1] == 1));
            if (!perRow)
            {
                if (config.Outputs.ContainsKey(name))
                {
                    throw new ConfigValueException("outputs", $"output '{name}' of {config.Model} is not one float or double per row (shape [{string.Join(",", dims)}])");
                }
                continue; // not a calibrated quantity: left out
            }
            yield return (name, config.Outputs.GetValueOrDefault(name, name));
        }
    }

    private static InferenceSession OpenSession(OnnxRegressorConfig config, IRunLog log)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = config.Threads > 0 ? config.Threads : 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        try
        {
            if (config.Device != OnnxDevice.Cpu)
            {
                try
                {
                    options.AppendExecutionProvider_CUDA(0);
                    log.Debug("onnx: running on CUDA device 0");
                }
                catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
                {
                    if (config.Device == OnnxDevice.Cuda)
                    {
                        throw new ConfigValueException("device", $"cuda was requested but ONNX Runtime cannot use CUDA here ({e.Message.Trim()}); the tool ships ONNX Runtime's CPU build (docs/onnx.md, \"Devices\")");
                    }
                    log.Debug($"onnx: CUDA not available ({e.Message.Trim()}): running on the CPU");
                }
            }
            return new InferenceSession(config.Model, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InputDataException(config.Model, "model", $"ONNX Runtime cannot load it: {e.Message.Trim()}", e);
        }
        finally
        {
            options.Dispose();
        }
    }

    /// <inheritdoc />
    public void Predict(EventBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!batch.HasCollection(_config.Collection))
        {
            throw new ConfigValueException("collection", $"no collection '{_config.Collection}' in the batch{NameSuggestions.DidYouMean(_config.Collection, batch.CollectionNames)}");
        }
        foreach ((_, string column) in _outputs)
        {
            if (batch.HasColumn(column))
            {
                throw new ConfigValueException("outputs", $"column '{column}' already exists: map the output to another name");
            }
        }
        int rows = batch.GetCollection(_config.Collection).TotalCount;
        var values = new List<OrtValue>();
        try
        {
            foreach (ModelInput input in _inputs)
            {
                values.Add(Fill(batch, input, rows));
            }
            string[] outputNames = [.. _outputs.Select(o => o.Name)];
            using IDisposableReadOnlyCollection<OrtValue> results = rows == 0 ? new Empty() : _session.Run(_runOptions, [.. _inputs.Select(i => i.Name)], values, outputNames);
            for (int o = 0; o < _outputs.Length; o++)
            {
                Span<float> column = batch.AddObjectColumn<float>(_config.Collection, _outputs[o].Column).Values;
                if (rows == 0)
                {
                    continue;
                }
                OrtValue result = results[o];
                if (result.GetTensorTypeAndShape().ElementDataType == TensorElementType.Double)
                {
                    ReadOnlySpan<double> data = result.GetTensorDataAsSpan<double>();
                    Check(data.Length, rows, outputNames[o]);
                    for (int i = 0; i < rows; i++)
                    {
                        column[i] = (float)data[i];
                    }
                }
                else
                {
                    ReadOnlySpan<float> data = result.GetTensorDataAsSpan<float>();
                    Check(data.Length, rows, outputNames[o]);
                    data.CopyTo(column);
                }
            }
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidOperationException($"ONNX Runtime failed on {_config.Model}: {e.Message.Trim()}", e);
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }

    private void Check(int length, int rows, string output)
    {
        if (length != rows)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"output '{output}' of {_config.Model} has {length} values for {rows} rows of {_config.Collection}"));
        }
    }

    /// <summary>The tensor of one input: [rows, row shape…] of its columns side by side, or of its constant.</summary>
    private OrtValue Fill(EventBatch batch, ModelInput input, int rows)
    {
        long[] shape = [rows, .. input.RowShape.Select(d => (long)d)];
        int size = input.RowSize;
        float[] x = new float[rows * size];
        if (input.Constant is double constant)
        {
            Array.Fill(x, (float)constant);
        }
        else
        {
            var matrix = new FeatureMatrix(_config.Collection, input.Columns);
            try
            {
                matrix.Check(batch);
            }
            catch (Exception e) when (e is KeyNotFoundException or ArgumentException)
            {
                throw new ConfigValueException(_config.Inputs.ContainsKey(input.Name) ? "inputs" : "model",
                    $"ONNX input '{input.Name}' of {_config.Model}: {e.Message.Trim('"')}" + (_config.Inputs.ContainsKey(input.Name) ? "" : " (map the input to columns with 'inputs:')"));
            }
            if (matrix.Width != size)
            {
                throw new ConfigValueException(_config.Inputs.ContainsKey(input.Name) ? "inputs" : "model", string.Create(CultureInfo.InvariantCulture,
                    $"ONNX input '{input.Name}' of {_config.Model} takes {size} value(s) per row (shape [N,{string.Join(",", input.RowShape)}]), the columns [{string.Join(", ", input.Columns)}] give {matrix.Width}"));
            }
            matrix.Gather(batch, x);
        }
        return Converted(x, shape, input.Type);
    }

    private static OrtValue Converted(float[] x, long[] shape, TensorElementType type) => type switch
    {
        TensorElementType.Float => OrtValue.CreateTensorValueFromMemory(x, shape),
        TensorElementType.Double => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(x, v => (double)v), shape),
        TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(x, v => (long)Math.Round(v)), shape),
        _ => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(x, v => (int)Math.Round(v)), shape),
    };

    /// <summary>No results (a batch without objects: the model is not run).</summary>
    private sealed class Empty : List<OrtValue>, IDisposableReadOnlyCollection<OrtValue>
    {
        public void Dispose()
        {
        }
    }

    /// <summary>Closes the session.</summary>
    public void Dispose()
    {
        _session?.Dispose();
        _runOptions.Dispose();
    }
}
