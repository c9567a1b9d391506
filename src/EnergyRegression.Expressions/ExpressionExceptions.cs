namespace EnergyRegression.Expressions;

/// <summary>
/// A problem with an expression the user wrote, located at a character of its text.
/// Plugins turn it into a config error on the key that holds the expression.
/// </summary>
public class ExpressionException : Exception
{
    /// <summary>Creates the error; <paramref name="message"/> already names the position.</summary>
    public ExpressionException(string message, int position)
        : base(message)
    {
        Position = position;
    }

    /// <summary>0-based character position in the expression text the problem is about.</summary>
    public int Position { get; }
}

/// <summary>The text is not a well-formed expression (unexpected character, missing parenthesis, unknown function).</summary>
public sealed class ExpressionSyntaxException : ExpressionException
{
    /// <summary>Creates the error; <paramref name="message"/> already names the position.</summary>
    public ExpressionSyntaxException(string message, int position)
        : base(message, position)
    {
    }
}

/// <summary>
/// The expression is well-formed but does not fit the batch it is evaluated on: an unknown column, a tensor
/// column, values of two different collections combined, a number where a condition is needed.
/// </summary>
public sealed class ExpressionBindingException : ExpressionException
{
    /// <summary>Creates the error; <paramref name="message"/> already names the identifier and position.</summary>
    public ExpressionBindingException(string message, int position)
        : base(message, position)
    {
    }
}
