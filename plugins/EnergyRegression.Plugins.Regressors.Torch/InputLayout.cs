using System.Globalization;
using EnergyRegression.Data;
using EnergyRegression.Models;

namespace EnergyRegression.Plugins.Regressors.Torch;

/// <summary>Which part of the network an input column feeds.</summary>
internal enum InputRole
{
    /// <summary>The main input: the vector of baseline/linear/mlp, the image of a CNN.</summary>
    Input,

    /// <summary>A scalar of a CNN's head and FiLM generator.</summary>
    Scalar,

    /// <summary>A physics parameter of a parameterised network.</summary>
    Parameter,
}

/// <summary>One input column of a model: name, role, row shape, and its normalisation x → (x − offset)·scale.</summary>
internal sealed record InputColumn(string Name, InputRole Role, int[] Shape, double Offset = 0, double Scale = 1)
{
    public int Size => Shape.Aggregate(1, (a, b) => a * b);
}

/// <summary>
/// The columns a model reads and how they make its input rows: inputs, then scalars, then parameters, each
/// flattened, side by side (the image part of a CNN first, so the network splits a row by position).
/// </summary>
internal sealed class InputLayout
{
    public InputLayout(string collection, IReadOnlyList<InputColumn> columns)
    {
        Collection = collection;
        Columns = columns;
        Width = columns.Sum(c => c.Size);
    }

    public string Collection { get; }

    public IReadOnlyList<InputColumn> Columns { get; }

    public int Width { get; }

    public IEnumerable<string> Names => Columns.Select(c => c.Name);

    /// <summary>Values of the scalar and parameter columns (after the main inputs).</summary>
    public int ScalarWidth => Columns.Where(c => c.Role != InputRole.Input).Sum(c => c.Size);

    /// <summary>The model card's view of the inputs.</summary>
    public IReadOnlyList<ModelInput> ToModelInputs() => [.. Columns.Select(c => new ModelInput(c.Name, c.Shape))];

    /// <summary>
    /// The layout of a config on the chain's first training batch: every column must exist in the collection (or be
    /// event-level), with the shapes the network kind needs. Errors name the key and the column.
    /// </summary>
    public static InputLayout FromBatch(TorchRegressorConfig config, EventBatch batch)
    {
        if (config.Inputs.Length == 0)
        {
            throw new ConfigValueException("inputs", "no input columns: list the columns the network reads");
        }
        RequireCollection(batch, config.Collection);
        var columns = new List<InputColumn>();
        foreach ((string[] names, InputRole role, string key) in new[]
        {
            (config.Inputs, InputRole.Input, "inputs"), (config.Scalars, InputRole.Scalar, "scalars"), (config.Parameters, InputRole.Parameter, "parameters"),
        })
        {
            foreach (string name in names)
            {
                Column column = RequireColumn(batch, name, config.Collection, key);
                columns.Add(new InputColumn(name, role, [.. column.Shape]));
            }
        }
        var layout = new InputLayout(config.Collection, columns);
        layout.ImageShape(config.Network.Kind);
        return layout;
    }

    /// <summary>The image shape of a convolutional network ([channels or layers, height, width]); empty otherwise.</summary>
    public int[] ImageShape(NetworkKind kind)
    {
        InputColumn[] inputs = [.. Columns.Where(c => c.Role == InputRole.Input)];
        switch (kind)
        {
            case NetworkKind.Cnn or NetworkKind.FilmCnn:
                if (inputs.Length == 1 && inputs[0].Shape.Length == 3)
                {
                    return inputs[0].Shape;
                }
                foreach (InputColumn input in inputs)
                {
                    if (input.Shape.Length != 2)
                    {
                        throw new ConfigValueException("inputs", $"column '{input.Name}' has shape {Shape(input.Shape)}: a {TorchRegressorConfig.Naming(kind)} needs 2-D image columns (height × width), one per channel, or one 3-D column (channels × height × width)");
                    }
                    if (!input.Shape.SequenceEqual(inputs[0].Shape))
                    {
                        throw new ConfigValueException("inputs", $"column '{input.Name}' has shape {Shape(input.Shape)} but '{inputs[0].Name}' has {Shape(inputs[0].Shape)}: image channels must have one shape");
                    }
                }
                return [inputs.Length, inputs[0].Shape[0], inputs[0].Shape[1]];
            case NetworkKind.Cnn3d:
                if (inputs.Length != 1 || inputs[0].Shape.Length != 3)
                {
                    string given = string.Join(", ", inputs.Select(i => $"'{i.Name}' {Shape(i.Shape)}"));
                    throw new ConfigValueException("inputs", $"a cnn3d needs one input column of shape layers × height × width; got {given}");
                }
                return inputs[0].Shape;
            default:
                return [];
        }
    }

    /// <summary>
    /// Checks that a batch gives every column of a trained model with the shape it was trained on: one message
    /// naming each missing or mis-shaped column (and the model file).
    /// </summary>
    public void CheckBatch(EventBatch batch, string modelPath)
    {
        if (!batch.HasCollection(Collection))
        {
            throw new ConfigValueException("collection", $"the model {modelPath} calibrates collection '{Collection}', which the chain does not provide here{NameSuggestions.DidYouMean(Collection, batch.CollectionNames)}");
        }
        var problems = new List<string>();
        foreach (InputColumn input in Columns)
        {
            if (!batch.HasColumn(input.Name))
            {
                problems.Add($"'{input.Name}' ({Shape(input.Shape)}) is missing{NameSuggestions.DidYouMean(input.Name, batch.ColumnNames)}");
                continue;
            }
            Column column = batch.GetColumn(input.Name);
            if (column.Level == ColumnLevel.Object && column.Collection != Collection)
            {
                problems.Add($"'{input.Name}' belongs to collection '{column.Collection}', not '{Collection}'");
            }
            else if (!column.Shape.SequenceEqual(input.Shape))
            {
                problems.Add($"'{input.Name}' has shape {Shape([.. column.Shape])}, the model was trained on {Shape(input.Shape)}");
            }
        }
        if (problems.Count > 0)
        {
            throw new ConfigValueException("model", $"the model {modelPath} needs columns the chain does not give as trained: {string.Join("; ", problems)}");
        }
    }

    public static string Shape(IReadOnlyList<int> shape) =>
        shape.Count == 0 ? "scalar" : string.Join("×", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));

    internal static void RequireCollection(EventBatch batch, string collection)
    {
        if (!batch.HasCollection(collection))
        {
            throw new ConfigValueException("collection", $"no collection '{collection}' in the batch{NameSuggestions.DidYouMean(collection, batch.CollectionNames)}");
        }
    }

    /// <summary>A column of the collection or of the event; otherwise a config error naming it under <paramref name="key"/>.</summary>
    internal static Column RequireColumn(EventBatch batch, string name, string collection, string key)
    {
        if (!batch.HasColumn(name))
        {
            throw new ConfigValueException(key, $"no column '{name}' in the batch{NameSuggestions.DidYouMean(name, batch.ColumnNames)}");
        }
        Column column = batch.GetColumn(name);
        if (column.Level == ColumnLevel.Object && column.Collection != collection)
        {
            throw new ConfigValueException(key, $"column '{name}' belongs to collection '{column.Collection}', not '{collection}'");
        }
        return column;
    }
}
