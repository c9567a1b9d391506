using System.ComponentModel;
using EnergyRegression.Configuration;
using EnergyRegression.Data;
using EnergyRegression.Expressions;

namespace EnergyRegression.Plugins.Features;

/// <summary>Element types a defined column can have.</summary>
public enum DefineType
{
    /// <summary>32-bit float (YAML <c>float32</c>).</summary>
    Float32,

    /// <summary>64-bit float (YAML <c>float64</c>).</summary>
    Float64,

    /// <summary>32-bit integer, truncated toward zero (YAML <c>int32</c>).</summary>
    Int32,

    /// <summary>64-bit integer, truncated toward zero (YAML <c>int64</c>).</summary>
    Int64,

    /// <summary>Boolean; the expression must be a condition (YAML <c>bool</c>).</summary>
    Bool,
}

/// <summary>Config of <see cref="DefinePlugin"/>.</summary>
public sealed class DefineConfig : PluginConfig
{
    /// <summary>Name of the new column.</summary>
    [Description("Name of the new column. A per-object column must be named <Collection>_<field>, e.g. Electron_ptRatio.")]
    public required string Name { get; set; }

    /// <summary>The values, in the expression language.</summary>
    [Description("The values of the new column, in the expression language (docs/expressions.md), e.g. \"Electron_pt / max_of(Electron_pt)\".")]
    public required string Expression { get; set; }

    /// <summary>Element type of the new column.</summary>
    [Description("Element type of the new column: float32, float64, int32, int64 (truncated toward zero) or bool (needs a condition).")]
    public DefineType Type { get; set; } = DefineType.Float32;

    /// <inheritdoc />
    public override void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ConfigValueException("name", "the column name must not be empty");
        }
        foreach (char c in Name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                throw new ConfigValueException("name",
                    $"the column name '{Name}' contains '{c}'; use letters, digits and '_' so expressions can refer to it");
            }
        }
        if (char.IsAsciiDigit(Name[0]))
        {
            throw new ConfigValueException("name", $"the column name '{Name}' starts with a digit; expressions could not refer to it");
        }
    }
}

/// <summary>
/// Adds a column computed from an expression: per event, or per object of the collection the expression
/// works on. The expression is parsed once and evaluated over whole columns of every batch.
/// </summary>
[Plugin("define", Description = "Adds a column computed from an expression, e.g. Electron_ptRatio = Electron_pt / max_of(Electron_pt).")]
public sealed class DefinePlugin : IFeature
{
    private readonly ConfigExpression _expression;
    private readonly string _name;
    private readonly DefineType _type;

    /// <summary>Parses the expression; a syntax error is reported on the <c>expression</c> key.</summary>
    public DefinePlugin(DefineConfig config)
    {
        _expression = new ConfigExpression(config.Expression, "expression");
        _name = config.Name;
        _type = config.Type;
    }

    /// <inheritdoc />
    public void Compute(EventBatch batch)
    {
        if (batch.HasColumn(_name))
        {
            throw new ConfigValueException("name",
                $"column '{_name}' already exists in the batch; choose another name (define never overwrites a column)");
        }
        using (ExpressionResult result = _expression.Evaluate(batch))
        {
            if (_type == DefineType.Bool && !result.IsCondition)
            {
                throw new ConfigValueException("type",
                    $"type bool needs a condition, but \"{_expression.Text}\" gives numbers; compare it, e.g. \"{_expression.Text} != 0\"");
            }
            string? collection = result.Collection;
            if (collection is not null && !_name.StartsWith(collection + "_", StringComparison.Ordinal))
            {
                throw new ConfigValueException("name",
                    $"\"{_expression.Text}\" has one value per {collection} object, so the column name must start with " +
                    $"'{collection}_' (e.g. '{collection}_{_name}'), not '{_name}'");
            }
            Type elementType = _type switch
            {
                DefineType.Float32 => typeof(float),
                DefineType.Float64 => typeof(double),
                DefineType.Int32 => typeof(int),
                DefineType.Int64 => typeof(long),
                _ => typeof(bool),
            };
            Column column = batch.AddColumn(elementType, _name, collection);
            column.SetFrom(result.Values);
        }
    }
}
