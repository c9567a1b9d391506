using EnergyRegression.Expressions.Syntax;

namespace EnergyRegression.Expressions;

/// <summary>
/// Entry point of the expression language (docs/expressions.md): parse once, then evaluate the compiled
/// expression over whole columns of every batch.
/// </summary>
public static class Expression
{
    /// <summary>
    /// Parses <paramref name="text"/>. Throws <see cref="ExpressionSyntaxException"/> (with the 0-based character
    /// position) when it is not a well-formed expression. Column names are only checked by
    /// <see cref="CompiledExpression.Evaluate"/>, against the batch.
    /// </summary>
    public static CompiledExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new CompiledExpression(text, Parser.Parse(text));
    }
}
