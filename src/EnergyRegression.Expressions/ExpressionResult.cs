using EnergyRegression.Data;
using EnergyRegression.Expressions.Evaluation;

namespace EnergyRegression.Expressions;

/// <summary>
/// The values of an evaluated expression: one per event, or one per object of <see cref="Collection"/>.
/// Holds pooled storage: dispose it when done.
/// </summary>
public sealed class ExpressionResult : IDisposable
{
    private double[]? _values;

    internal ExpressionResult(ColumnLevel level, string? collection, bool isCondition, double[] values, int rows)
    {
        Level = level;
        Collection = collection;
        IsCondition = isCondition;
        _values = values;
        Rows = rows;
    }

    /// <summary>Per event, or per object of <see cref="Collection"/>.</summary>
    public ColumnLevel Level { get; }

    /// <summary>The collection of a per-object result; null for per-event results.</summary>
    public string? Collection { get; }

    /// <summary>True when the values are conditions (comparisons, logic, bool columns): each is 0 or 1.</summary>
    public bool IsCondition { get; }

    /// <summary>Number of values: the batch's events, or the collection's objects.</summary>
    public int Rows { get; }

    /// <summary>The values; conditions are 0 (false) and 1 (true).</summary>
    public ReadOnlySpan<double> Values
    {
        get
        {
            ObjectDisposedException.ThrowIf(_values is null, this);
            return _values.AsSpan(0, Rows);
        }
    }

    /// <summary>Returns the pooled storage.</summary>
    public void Dispose()
    {
        if (_values is not null)
        {
            Evaluator.Return(_values);
            _values = null;
        }
    }
}
