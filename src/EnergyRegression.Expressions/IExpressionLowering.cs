namespace EnergyRegression.Expressions;

/// <summary>
/// Translates an expression into another representation, node by node from the leaves up
/// (<see cref="CompiledExpression.Lower{T}"/>). Conditions follow the language's convention: a comparison or logic
/// operator gives 1 for true and 0 for false, <c>&amp;&amp;</c> is a product of conditions, <c>||</c> their maximum,
/// <c>!x</c> is <c>1 − x</c>, and <c>c ? a : b</c> takes <c>a</c> where <c>c</c> is not 0.
/// </summary>
public interface IExpressionLowering<T>
{
    /// <summary>A number (also <c>pi</c>, and <c>true</c>/<c>false</c> as 1/0).</summary>
    T Literal(double value);

    /// <summary>A column or count name as written.</summary>
    T Column(string name);

    /// <summary><c>-</c> or <c>!</c> applied to an operand.</summary>
    T Unary(string op, T operand);

    /// <summary>An arithmetic, comparison or logic operator.</summary>
    T Binary(string op, T left, T right);

    /// <summary><c>condition ? whenTrue : whenFalse</c>.</summary>
    T Conditional(T condition, T whenTrue, T whenFalse);

    /// <summary>A function call by name (<c>abs</c>, <c>sqrt</c>, <c>min</c>, ..., reductions such as <c>sum</c>).</summary>
    T Call(string function, IReadOnlyList<T> arguments);
}
