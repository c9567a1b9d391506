using EnergyRegression.Data;
using EnergyRegression.Plugins;

namespace EnergyRegression.Expressions;

/// <summary>
/// An expression that is a plugin's config value: parse and binding errors become
/// <see cref="ConfigValueException"/>s on that key, so the host reports them at the key's place in the
/// chain file.
/// </summary>
public sealed class ConfigExpression
{
    private readonly string _key;

    /// <summary>Parses <paramref name="text"/>, the value of config key <paramref name="key"/>.</summary>
    public ConfigExpression(string text, string key)
    {
        _key = key;
        try
        {
            Compiled = Expression.Parse(text);
        }
        catch (ExpressionException e)
        {
            throw new ConfigValueException(key, e.Message, e);
        }
    }

    /// <summary>The parsed expression.</summary>
    public CompiledExpression Compiled { get; }

    /// <summary>The expression text as written.</summary>
    public string Text => Compiled.Text;

    /// <summary>Evaluates over the whole batch; the caller disposes the result.</summary>
    public ExpressionResult Evaluate(EventBatch batch)
    {
        try
        {
            return Compiled.Evaluate(batch);
        }
        catch (ExpressionException e)
        {
            throw new ConfigValueException(_key, e.Message, e);
        }
    }
}
