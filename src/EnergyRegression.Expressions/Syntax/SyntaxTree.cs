namespace EnergyRegression.Expressions.Syntax;

/// <summary>Operators of the language.</summary>
internal enum Operator
{
    // unary
    Negate, Not,

    // binary arithmetic
    Add, Subtract, Multiply, Divide, Remainder, Power,

    // comparisons
    Less, LessEqual, Greater, GreaterEqual, Equal, NotEqual,

    // logic
    And, Or,
}

/// <summary>
/// The syntax tree the parser produces: what was written, with the character position of every node.
/// It knows nothing about columns; <see cref="Binding.Binder"/> types it against a batch.
/// </summary>
internal abstract record SyntaxNode(int Position);

/// <summary>A numeric literal, <c>pi</c>, <c>true</c> (1) or <c>false</c> (0).</summary>
internal sealed record LiteralNode(int Position, double Value, bool IsCondition) : SyntaxNode(Position);

/// <summary>A column name or a count name (<c>nElectron</c>).</summary>
internal sealed record IdentifierNode(int Position, string Name) : SyntaxNode(Position);

/// <summary><c>-x</c>, <c>!x</c>, <c>not x</c>.</summary>
internal sealed record UnaryNode(int Position, Operator Operator, SyntaxNode Operand) : SyntaxNode(Position);

/// <summary><c>left op right</c>; <see cref="SyntaxNode.Position"/> is the operator's.</summary>
internal sealed record BinaryNode(int Position, Operator Operator, SyntaxNode Left, SyntaxNode Right) : SyntaxNode(Position);

/// <summary><c>condition ? whenTrue : whenFalse</c>; the position is the '?'.</summary>
internal sealed record ConditionalNode(int Position, SyntaxNode Condition, SyntaxNode WhenTrue, SyntaxNode WhenFalse) : SyntaxNode(Position);

/// <summary>A function call; the position is the function name's.</summary>
internal sealed record CallNode(int Position, FunctionInfo Function, IReadOnlyList<SyntaxNode> Arguments) : SyntaxNode(Position);

/// <summary>Facts about syntax nodes for messages.</summary>
internal static class SyntaxFacts
{
    /// <summary>The character where the text of <paramref name="node"/> starts (its leftmost token).</summary>
    public static int Start(SyntaxNode node) => node switch
    {
        BinaryNode binary => Start(binary.Left),
        ConditionalNode conditional => Start(conditional.Condition),
        _ => node.Position,
    };
}

/// <summary>Operator spellings for messages.</summary>
internal static class OperatorText
{
    public static string Of(Operator op) => op switch
    {
        Operator.Negate => "-",
        Operator.Not => "!",
        Operator.Add => "+",
        Operator.Subtract => "-",
        Operator.Multiply => "*",
        Operator.Divide => "/",
        Operator.Remainder => "%",
        Operator.Power => "**",
        Operator.Less => "<",
        Operator.LessEqual => "<=",
        Operator.Greater => ">",
        Operator.GreaterEqual => ">=",
        Operator.Equal => "==",
        Operator.NotEqual => "!=",
        Operator.And => "&&",
        Operator.Or => "||",
        _ => op.ToString(),
    };
}
