using System.Buffers;
using System.Numerics.Tensors;
using EnergyRegression.Data;
using EnergyRegression.Expressions.Binding;
using EnergyRegression.Expressions.Syntax;

namespace EnergyRegression.Expressions.Evaluation;

/// <summary>
/// Evaluates a bound tree over whole columns. Every node yields a pooled double array holding its
/// <see cref="Domain.Rows"/> values; a parent computes in place into its first operand's array and returns
/// the others to the pool. Conditions are stored as 0 and 1.
/// </summary>
internal sealed class Evaluator
{
    private readonly EventBatch _batch;

    public Evaluator(EventBatch batch)
    {
        _batch = batch;
    }

    /// <summary>Rents an array for <paramref name="rows"/> values (at least one element, so scalars fit).</summary>
    public static double[] Rent(int rows) => ArrayPool<double>.Shared.Rent(Math.Max(rows, 1));

    public static void Return(double[] buffer) => ArrayPool<double>.Shared.Return(buffer);

    /// <summary>Computes <paramref name="node"/>; the caller owns (and returns) the array.</summary>
    public double[] Evaluate(BoundNode node)
    {
        int rows = node.Domain.Rows(_batch);
        switch (node)
        {
            case BoundConstant constant:
            {
                double[] result = Rent(1);
                result[0] = constant.Value;
                return result;
            }
            case BoundColumn column:
            {
                double[] result = Rent(rows);
                column.Column.CopyTo(result.AsSpan(0, rows));
                return result;
            }
            case BoundCount count:
            {
                double[] result = Rent(rows);
                ReadOnlySpan<int> offsets = count.Collection.Offsets;
                for (int e = 0; e < rows; e++)
                {
                    result[e] = offsets[e + 1] - offsets[e];
                }
                return result;
            }
            case BoundBroadcast broadcast:
                return EvaluateBroadcast(broadcast, rows);
            case BoundUnary unary:
            {
                double[] x = Evaluate(unary.Operand);
                Span<double> values = x.AsSpan(0, rows);
                if (unary.Operator == Operator.Not)
                {
                    TensorPrimitives.Subtract(1.0, values, values);
                }
                else
                {
                    TensorPrimitives.Negate(values, values);
                }
                return x;
            }
            case BoundBinary binary:
                return EvaluateBinary(binary, rows);
            case BoundConditional conditional:
            {
                double[] condition = Evaluate(conditional.Condition);
                double[] whenTrue = Evaluate(conditional.WhenTrue);
                double[] whenFalse = Evaluate(conditional.WhenFalse);
                Kernels.Select(condition.AsSpan(0, rows), whenTrue.AsSpan(0, rows), whenFalse.AsSpan(0, rows), whenTrue.AsSpan(0, rows));
                Return(condition);
                Return(whenFalse);
                return whenTrue;
            }
            case BoundCall call:
                return EvaluateCall(call, rows);
            case BoundReduction reduction:
            {
                ObjectCollection collection = reduction.Operand.Domain.Collection!;
                double[] perObject = Evaluate(reduction.Operand);
                double[] result = Rent(rows);
                Kernels.Reduce(reduction.Function, perObject.AsSpan(0, collection.TotalCount), collection.Offsets, result.AsSpan(0, rows));
                Return(perObject);
                return result;
            }
            default:
                throw new InvalidOperationException($"Unknown bound node {node.GetType().Name}.");
        }
    }

    private double[] EvaluateBroadcast(BoundBroadcast broadcast, int rows)
    {
        double[] source = Evaluate(broadcast.Operand);
        double[] result = Rent(rows);
        if (broadcast.Operand.Domain.Kind == DomainKind.Scalar)
        {
            result.AsSpan(0, rows).Fill(source[0]);
        }
        else
        {
            // Per event to per object of the target collection.
            Kernels.BroadcastToObjects(source.AsSpan(0, _batch.EventCount), broadcast.Domain.Collection!.Offsets, result.AsSpan(0, rows));
        }
        Return(source);
        return result;
    }

    private double[] EvaluateBinary(BoundBinary binary, int rows)
    {
        double[] left = Evaluate(binary.Left);
        double[] right = Evaluate(binary.Right);
        Span<double> x = left.AsSpan(0, rows);
        ReadOnlySpan<double> y = right.AsSpan(0, rows);
        switch (binary.Operator)
        {
            case Operator.Add: TensorPrimitives.Add(x, y, x); break;
            case Operator.Subtract: TensorPrimitives.Subtract(x, y, x); break;
            case Operator.Multiply: TensorPrimitives.Multiply(x, y, x); break;
            case Operator.Divide: TensorPrimitives.Divide(x, y, x); break;
            case Operator.Remainder: TensorPrimitives.Remainder(x, y, x); break;
            case Operator.Power: TensorPrimitives.Pow(x, y, x); break;
            // Conditions are exactly 0 or 1: and is a product, or is a maximum.
            case Operator.And: TensorPrimitives.Multiply(x, y, x); break;
            case Operator.Or: TensorPrimitives.Max(x, y, x); break;
            default: Kernels.Compare(binary.Operator, x, y, x); break;
        }
        Return(right);
        return left;
    }

    private double[] EvaluateCall(BoundCall call, int rows)
    {
        double[] first = Evaluate(call.Arguments[0]);
        Span<double> x = first.AsSpan(0, rows);
        if (call.Arguments.Count == 1)
        {
            ApplyUnary(call.Function, x);
            return first;
        }
        for (int a = 1; a < call.Arguments.Count; a++)
        {
            double[] other = Evaluate(call.Arguments[a]);
            ReadOnlySpan<double> y = other.AsSpan(0, rows);
            switch (call.Function)
            {
                case Function.Atan2: TensorPrimitives.Atan2(x, y, x); break;
                case Function.Pow: TensorPrimitives.Pow(x, y, x); break;
                case Function.Hypot: TensorPrimitives.Hypot(x, y, x); break;
                case Function.Min: TensorPrimitives.Min(x, y, x); break;
                case Function.Max: TensorPrimitives.Max(x, y, x); break;
                default: throw new InvalidOperationException($"{call.Function} is not a function of several arguments.");
            }
            Return(other);
        }
        return first;
    }

    private static void ApplyUnary(Function function, Span<double> x)
    {
        switch (function)
        {
            case Function.Abs: TensorPrimitives.Abs(x, x); break;
            case Function.Sqrt: TensorPrimitives.Sqrt(x, x); break;
            case Function.Exp: TensorPrimitives.Exp(x, x); break;
            case Function.Log: TensorPrimitives.Log(x, x); break;
            case Function.Log10: TensorPrimitives.Log10(x, x); break;
            case Function.Sin: TensorPrimitives.Sin(x, x); break;
            case Function.Cos: TensorPrimitives.Cos(x, x); break;
            case Function.Tan: TensorPrimitives.Tan(x, x); break;
            case Function.Asin: TensorPrimitives.Asin(x, x); break;
            case Function.Acos: TensorPrimitives.Acos(x, x); break;
            case Function.Atan: TensorPrimitives.Atan(x, x); break;
            case Function.Sinh: TensorPrimitives.Sinh(x, x); break;
            case Function.Cosh: TensorPrimitives.Cosh(x, x); break;
            case Function.Tanh: TensorPrimitives.Tanh(x, x); break;
            case Function.Floor: TensorPrimitives.Floor(x, x); break;
            case Function.Ceil: TensorPrimitives.Ceiling(x, x); break;
            case Function.Round: TensorPrimitives.Round(x, MidpointRounding.ToEven, x); break;
            case Function.Sign: Kernels.Sign(x, x); break;
            default: throw new InvalidOperationException($"{function} is not a function of one argument.");
        }
    }
}
