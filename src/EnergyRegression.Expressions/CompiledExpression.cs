using EnergyRegression.Data;
using EnergyRegression.Expressions.Binding;
using EnergyRegression.Expressions.Evaluation;
using EnergyRegression.Expressions.Syntax;

namespace EnergyRegression.Expressions;

/// <summary>
/// A parsed expression. Immutable: one instance may evaluate many batches on several threads at once.
/// </summary>
public sealed class CompiledExpression
{
    private readonly SyntaxNode _root;

    internal CompiledExpression(string text, SyntaxNode root)
    {
        Text = text;
        _root = root;
        ReferencedColumns = CollectIdentifiers(root);
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>
    /// The column names the expression uses, in order of first appearance, without duplicates; count names
    /// such as <c>nElectron</c> are included.
    /// </summary>
    public IReadOnlyList<string> ReferencedColumns { get; }

    /// <summary>
    /// Computes the expression for every event (or every object of one collection) of <paramref name="batch"/>.
    /// Throws <see cref="ExpressionBindingException"/> when the expression does not fit the batch (unknown or
    /// tensor column, two collections mixed, a number where a condition is needed). Dispose the result.
    /// </summary>
    public ExpressionResult Evaluate(EventBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        BoundNode root = Binder.Bind(_root, batch);
        if (root.Domain.Kind == DomainKind.Scalar)
        {
            // A constant expression has one value per event.
            root = new BoundBroadcast(root, Domain.Event);
        }
        double[] values = new Evaluator(batch).Evaluate(root);
        return root.Domain.Kind == DomainKind.Event
            ? new ExpressionResult(ColumnLevel.Event, null, root.IsCondition, values, batch.EventCount)
            : new ExpressionResult(ColumnLevel.Object, root.Domain.Collection!.Name, root.IsCondition, values, root.Domain.Collection.TotalCount);
    }

    /// <summary>
    /// Rebuilds the expression bottom-up with <paramref name="lowering"/> — for translating it into another language
    /// (the gbdt regressor's region conditions into ONNX nodes). Operators are passed as written in the language
    /// (<c>+ - * / % ** &lt; &lt;= &gt; &gt;= == != &amp;&amp; || !</c>, unary <c>-</c>), functions by name.
    /// </summary>
    public T Lower<T>(IExpressionLowering<T> lowering)
    {
        ArgumentNullException.ThrowIfNull(lowering);
        return Lower(_root);

        T Lower(SyntaxNode node) => node switch
        {
            LiteralNode literal => lowering.Literal(literal.Value),
            IdentifierNode identifier => lowering.Column(identifier.Name),
            UnaryNode unary => lowering.Unary(OperatorText.Of(unary.Operator), Lower(unary.Operand)),
            BinaryNode binary => lowering.Binary(OperatorText.Of(binary.Operator), Lower(binary.Left), Lower(binary.Right)),
            ConditionalNode conditional => lowering.Conditional(Lower(conditional.Condition), Lower(conditional.WhenTrue), Lower(conditional.WhenFalse)),
            CallNode call => lowering.Call(call.Function.Name, [.. call.Arguments.Select(Lower)]),
            _ => throw new InvalidOperationException($"unknown syntax node {node.GetType().Name}"),
        };
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    private static string[] CollectIdentifiers(SyntaxNode root)
    {
        var names = new List<string>();
        Visit(root);
        return [.. names];

        void Visit(SyntaxNode node)
        {
            switch (node)
            {
                case IdentifierNode identifier when !names.Contains(identifier.Name):
                    names.Add(identifier.Name);
                    break;
                case UnaryNode unary:
                    Visit(unary.Operand);
                    break;
                case BinaryNode binary:
                    Visit(binary.Left);
                    Visit(binary.Right);
                    break;
                case ConditionalNode conditional:
                    Visit(conditional.Condition);
                    Visit(conditional.WhenTrue);
                    Visit(conditional.WhenFalse);
                    break;
                case CallNode call:
                    foreach (SyntaxNode argument in call.Arguments)
                    {
                        Visit(argument);
                    }
                    break;
                default:
                    break;
            }
        }
    }
}
