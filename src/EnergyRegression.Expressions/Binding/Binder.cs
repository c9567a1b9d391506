using EnergyRegression.Plugins;
using EnergyRegression.Data;
using EnergyRegression.Expressions.Syntax;

namespace EnergyRegression.Expressions.Binding;

/// <summary>
/// Resolves a syntax tree against a batch: identifiers become columns or count columns, every node gets its
/// row domain (scalar, per event, per object of one collection) and its kind (condition or number), and
/// broadcasts are made explicit. All user errors that depend on the batch are raised here, before any
/// values are computed.
/// </summary>
internal sealed class Binder
{
    // List every name in "unknown column" messages when there are at most this many.
    private const int MaxListedNames = 20;

    private readonly EventBatch _batch;

    private Binder(EventBatch batch)
    {
        _batch = batch;
    }

    /// <summary>Binds <paramref name="root"/> to <paramref name="batch"/>; throws <see cref="ExpressionBindingException"/>.</summary>
    public static BoundNode Bind(SyntaxNode root, EventBatch batch) => new Binder(batch).BindNode(root);

    private BoundNode BindNode(SyntaxNode node) => node switch
    {
        LiteralNode literal => new BoundConstant(literal.Value, literal.IsCondition),
        IdentifierNode identifier => BindIdentifier(identifier),
        UnaryNode unary => BindUnary(unary),
        BinaryNode binary => BindBinary(binary),
        ConditionalNode conditional => BindConditional(conditional),
        CallNode { Function.IsReduction: true } call => BindReduction(call),
        CallNode call => BindCall(call),
        _ => throw new InvalidOperationException($"Unknown syntax node {node.GetType().Name}."),
    };

    private BoundNode BindIdentifier(IdentifierNode node)
    {
        // Implicit count columns win over stored ones: after an object selection only the offsets are current.
        foreach (string name in _batch.CollectionNames)
        {
            ObjectCollection collection = _batch.GetCollection(name);
            if (collection.CountName == node.Name)
            {
                return new BoundCount(collection);
            }
        }
        if (!_batch.HasColumn(node.Name))
        {
            throw UnknownColumn(node);
        }
        Column column = _batch.GetColumn(node.Name);
        if (column.RowSize != 1)
        {
            throw new ExpressionBindingException(
                $"column '{node.Name}' at character {node.Position} holds a {string.Join("×", column.Shape)} tensor per row; " +
                "expressions work on scalar columns only", node.Position);
        }
        Domain domain = column.Level == ColumnLevel.Event
            ? Domain.Event
            : new Domain(DomainKind.Object, _batch.GetCollection(column.Collection!), node.Name, node.Position);
        return new BoundColumn(column, domain, IsCondition: column.ElementType == typeof(bool));
    }

    private ExpressionBindingException UnknownColumn(IdentifierNode node)
    {
        var names = new List<string>(_batch.ColumnNames);
        foreach (string collection in _batch.CollectionNames)
        {
            string countName = _batch.GetCollection(collection).CountName;
            if (!names.Contains(countName))
            {
                names.Add(countName);
            }
        }
        string message = $"unknown column '{node.Name}' at character {node.Position}";
        if (Functions.TryGet(node.Name, out _))
        {
            message += $"; '{node.Name}' is a function, write {node.Name}(...)";
        }
        else if (NameSuggestions.Closest(node.Name, names) is string suggestion)
        {
            message += $"; did you mean '{suggestion}'?";
        }
        if (names.Count == 0)
        {
            message += " (the batch has no columns)";
        }
        else if (names.Count <= MaxListedNames)
        {
            message += $" (columns: {string.Join(", ", names)})";
        }
        return new ExpressionBindingException(message, node.Position);
    }

    private BoundUnary BindUnary(UnaryNode node)
    {
        BoundNode operand = BindNode(node.Operand);
        if (node.Operator == Operator.Not)
        {
            RequireCondition(operand, node.Operand, $"'!' at character {node.Position}");
            return new BoundUnary(Operator.Not, operand, IsCondition: true);
        }
        return new BoundUnary(Operator.Negate, operand, IsCondition: false);
    }

    private BoundBinary BindBinary(BinaryNode node)
    {
        BoundNode left = BindNode(node.Left);
        BoundNode right = BindNode(node.Right);
        bool isCondition;
        switch (node.Operator)
        {
            case Operator.And or Operator.Or:
                string what = $"'{OperatorText.Of(node.Operator)}' at character {node.Position}";
                RequireCondition(left, node.Left, what);
                RequireCondition(right, node.Right, what);
                isCondition = true;
                break;
            case Operator.Less or Operator.LessEqual or Operator.Greater or Operator.GreaterEqual or Operator.Equal or Operator.NotEqual:
                isCondition = true;
                break;
            default:
                isCondition = false;
                break;
        }
        Domain domain = Unify([left, right]);
        return new BoundBinary(node.Operator, Broadcast(left, domain), Broadcast(right, domain), isCondition);
    }

    private BoundConditional BindConditional(ConditionalNode node)
    {
        BoundNode condition = BindNode(node.Condition);
        BoundNode whenTrue = BindNode(node.WhenTrue);
        BoundNode whenFalse = BindNode(node.WhenFalse);
        RequireCondition(condition, node.Condition, $"'?' at character {node.Position}");
        Domain domain = Unify([condition, whenTrue, whenFalse]);
        return new BoundConditional(
            Broadcast(condition, domain), Broadcast(whenTrue, domain), Broadcast(whenFalse, domain),
            IsCondition: whenTrue.IsCondition && whenFalse.IsCondition);
    }

    private BoundCall BindCall(CallNode node)
    {
        var arguments = node.Arguments.Select(BindNode).ToList();
        Domain domain = Unify(arguments);
        return new BoundCall(node.Function.Function, [.. arguments.Select(a => Broadcast(a, domain))]);
    }

    private BoundReduction BindReduction(CallNode node)
    {
        BoundNode operand = BindNode(node.Arguments[0]);
        string name = node.Function.Name;
        if (operand.Domain.Kind != DomainKind.Object)
        {
            string what = operand.Domain.Kind == DomainKind.Event ? "has one value per event" : "is a constant";
            throw new ExpressionBindingException(
                $"{name}() at character {node.Position} reduces the objects of a collection, but its argument {what}; " +
                $"give it a per-object value, e.g. {name}(Electron_pt{(node.Function.Function is Function.Count or Function.Any or Function.All ? " > 25" : "")})",
                node.Position);
        }
        bool isCondition = node.Function.Function is Function.Any or Function.All;
        if (node.Function.Function is Function.Count or Function.Any or Function.All)
        {
            RequireCondition(operand, node.Arguments[0], $"{name}() at character {node.Position}");
        }
        return new BoundReduction(node.Function.Function, operand, isCondition);
    }

    // The common domain of operands: the object collection if any (all the same), else per event, else scalar.
    private static Domain Unify(IReadOnlyList<BoundNode> operands)
    {
        Domain result = Domain.Scalar;
        foreach (BoundNode operand in operands)
        {
            Domain domain = operand.Domain;
            if (domain.Kind == DomainKind.Object)
            {
                if (result.Kind == DomainKind.Object && result.Collection != domain.Collection)
                {
                    throw new ExpressionBindingException(
                        $"'{domain.Origin}' at character {domain.OriginPosition} has one value per {domain.Collection!.Name} " +
                        $"but '{result.Origin}' at character {result.OriginPosition} has one per {result.Collection!.Name}: " +
                        $"values of two collections cannot be combined outside a reduction; reduce one of them first, " +
                        $"e.g. max_of({domain.Origin})", domain.OriginPosition);
                }
                if (result.Kind != DomainKind.Object)
                {
                    result = domain;
                }
            }
            else if (domain.Kind == DomainKind.Event && result.Kind == DomainKind.Scalar)
            {
                result = Domain.Event;
            }
        }
        return result;
    }

    private static BoundNode Broadcast(BoundNode node, Domain domain) =>
        node.Domain.Kind == domain.Kind ? node : new BoundBroadcast(node, domain);

    private static void RequireCondition(BoundNode operand, SyntaxNode syntax, string what)
    {
        if (operand.IsCondition)
        {
            return;
        }
        string operandText = syntax switch
        {
            IdentifierNode identifier => $"'{identifier.Name}' (character {identifier.Position}) is a number",
            LiteralNode => $"the number at character {syntax.Position} is not a condition",
            _ => $"the operand starting at character {SyntaxFacts.Start(syntax)} is a number",
        };
        string example = syntax is IdentifierNode id ? $"'{id.Name} != 0'" : "'x != 0'";
        throw new ExpressionBindingException(
            $"{what} needs a condition, but {operandText}; compare it, e.g. {example}", SyntaxFacts.Start(syntax));
    }
}
