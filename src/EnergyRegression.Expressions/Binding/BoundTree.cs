using EnergyRegression.Data;
using EnergyRegression.Expressions.Syntax;

namespace EnergyRegression.Expressions.Binding;

/// <summary>How many rows a node's values have.</summary>
internal enum DomainKind
{
    /// <summary>One value for the whole batch (a literal, or arithmetic on literals).</summary>
    Scalar,

    /// <summary>One value per event.</summary>
    Event,

    /// <summary>One value per object of <see cref="Domain.Collection"/>.</summary>
    Object,
}

/// <summary>
/// A node's row domain. For object domains, <see cref="Origin"/> and <see cref="OriginPosition"/> name the
/// identifier that made the node per-object, so mixing errors can point at it.
/// </summary>
internal readonly record struct Domain(DomainKind Kind, ObjectCollection? Collection = null, string? Origin = null, int OriginPosition = 0)
{
    public static Domain Scalar => new(DomainKind.Scalar);

    public static Domain Event => new(DomainKind.Event);

    /// <summary>Number of rows in <paramref name="batch"/>: 1, the events, or the objects.</summary>
    public int Rows(EventBatch batch) => Kind switch
    {
        DomainKind.Scalar => 1,
        DomainKind.Event => batch.EventCount,
        _ => Collection!.TotalCount,
    };
}

/// <summary>
/// The typed tree: the syntax tree resolved against one batch. Every node knows its row domain and whether
/// its values are conditions (0 or 1) or numbers; operands of a node always share the node's domain
/// (the binder inserts <see cref="BoundBroadcast"/> where they did not).
/// </summary>
internal abstract record BoundNode(Domain Domain, bool IsCondition);

/// <summary>A literal.</summary>
internal sealed record BoundConstant(double Value, bool IsCondition) : BoundNode(Domain.Scalar, IsCondition);

/// <summary>The values of a scalar column, converted to double.</summary>
internal sealed record BoundColumn(Column Column, Domain Domain, bool IsCondition) : BoundNode(Domain, IsCondition);

/// <summary>The implicit count column <c>nCollection</c>: objects per event.</summary>
internal sealed record BoundCount(ObjectCollection Collection) : BoundNode(Domain.Event, false);

/// <summary>Repeats a scalar or per-event value for every row of a larger domain.</summary>
internal sealed record BoundBroadcast(BoundNode Operand, Domain Domain) : BoundNode(Domain, Operand.IsCondition);

/// <summary>Negation or logical not.</summary>
internal sealed record BoundUnary(Operator Operator, BoundNode Operand, bool IsCondition) : BoundNode(Operand.Domain, IsCondition);

/// <summary>Arithmetic, comparison or logic on two operands of the same domain.</summary>
internal sealed record BoundBinary(Operator Operator, BoundNode Left, BoundNode Right, bool IsCondition) : BoundNode(Left.Domain, IsCondition);

/// <summary><c>c ? a : b</c>, elementwise.</summary>
internal sealed record BoundConditional(BoundNode Condition, BoundNode WhenTrue, BoundNode WhenFalse, bool IsCondition)
    : BoundNode(Condition.Domain, IsCondition);

/// <summary>An elementwise function of one or more operands of the same domain.</summary>
internal sealed record BoundCall(Function Function, IReadOnlyList<BoundNode> Arguments) : BoundNode(Arguments[0].Domain, false);

/// <summary>A reduction of a per-object operand to one value per event.</summary>
internal sealed record BoundReduction(Function Function, BoundNode Operand, bool IsCondition) : BoundNode(Domain.Event, IsCondition);
