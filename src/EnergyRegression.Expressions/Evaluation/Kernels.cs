using System.Numerics;
using System.Numerics.Tensors;
using EnergyRegression.Expressions.Syntax;

namespace EnergyRegression.Expressions.Evaluation;

/// <summary>
/// Whole-column loops that <see cref="TensorPrimitives"/> does not provide: comparisons to 0/1 masks,
/// selection, sign, broadcasting and per-event reductions. Destinations may alias sources.
/// </summary>
internal static class Kernels
{
    /// <summary>destination[i] = left[i] op right[i] ? 1 : 0 (IEEE: every comparison with NaN is false except !=).</summary>
    public static void Compare(Operator op, ReadOnlySpan<double> left, ReadOnlySpan<double> right, Span<double> destination)
    {
        switch (op)
        {
            case Operator.Less: Compare<LessThan>(left, right, destination); break;
            case Operator.LessEqual: Compare<LessThanOrEqual>(left, right, destination); break;
            case Operator.Greater: Compare<LessThan>(right, left, destination); break;
            case Operator.GreaterEqual: Compare<LessThanOrEqual>(right, left, destination); break;
            case Operator.Equal: Compare<EqualTo>(left, right, destination); break;
            case Operator.NotEqual: Compare<NotEqualTo>(left, right, destination); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "not a comparison");
        }
    }

    // Vector<double> body and scalar tail, one implementation per comparison through a static interface.
    private static void Compare<TOp>(ReadOnlySpan<double> left, ReadOnlySpan<double> right, Span<double> destination)
        where TOp : IComparison
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= left.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                Vector<long> mask = TOp.Vector(new Vector<double>(left[i..]), new Vector<double>(right[i..]));
                Vector.ConditionalSelect(mask.As<long, double>(), Vector<double>.One, Vector<double>.Zero).CopyTo(destination[i..]);
            }
        }
        for (; i < left.Length; i++)
        {
            destination[i] = TOp.Scalar(left[i], right[i]) ? 1.0 : 0.0;
        }
    }

    private interface IComparison
    {
        static abstract bool Scalar(double x, double y);

        static abstract Vector<long> Vector(Vector<double> x, Vector<double> y);
    }

    private readonly struct LessThan : IComparison
    {
        public static bool Scalar(double x, double y) => x < y;

        public static Vector<long> Vector(Vector<double> x, Vector<double> y) => System.Numerics.Vector.LessThan(x, y);
    }

    private readonly struct LessThanOrEqual : IComparison
    {
        public static bool Scalar(double x, double y) => x <= y;

        public static Vector<long> Vector(Vector<double> x, Vector<double> y) => System.Numerics.Vector.LessThanOrEqual(x, y);
    }

    private readonly struct EqualTo : IComparison
    {
        public static bool Scalar(double x, double y) => x == y;

        public static Vector<long> Vector(Vector<double> x, Vector<double> y) => System.Numerics.Vector.Equals(x, y);
    }

    private readonly struct NotEqualTo : IComparison
    {
        public static bool Scalar(double x, double y) => x != y;

        public static Vector<long> Vector(Vector<double> x, Vector<double> y) => ~System.Numerics.Vector.Equals(x, y);
    }

    /// <summary>destination[i] = condition[i] != 0 ? whenTrue[i] : whenFalse[i].</summary>
    public static void Select(ReadOnlySpan<double> condition, ReadOnlySpan<double> whenTrue, ReadOnlySpan<double> whenFalse, Span<double> destination)
    {
        for (int i = 0; i < condition.Length; i++)
        {
            destination[i] = condition[i] != 0 ? whenTrue[i] : whenFalse[i];
        }
    }

    /// <summary>-1, 0 or +1 by sign; NaN stays NaN (Math.Sign would throw).</summary>
    public static void Sign(ReadOnlySpan<double> x, Span<double> destination)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            destination[i] = v > 0 ? 1.0 : v < 0 ? -1.0 : v == 0 ? 0.0 : double.NaN;
        }
    }

    /// <summary>Repeats each event's value for the objects of that event (<paramref name="offsets"/> has events + 1 entries).</summary>
    public static void BroadcastToObjects(ReadOnlySpan<double> perEvent, ReadOnlySpan<int> offsets, Span<double> perObject)
    {
        for (int e = 0; e < perEvent.Length; e++)
        {
            perObject[offsets[e]..offsets[e + 1]].Fill(perEvent[e]);
        }
    }

    /// <summary>One value per event from the objects of each event (empty events: 0 for sum/count, NaN for min/max/mean).</summary>
    public static void Reduce(Function function, ReadOnlySpan<double> perObject, ReadOnlySpan<int> offsets, Span<double> perEvent)
    {
        for (int e = 0; e < perEvent.Length; e++)
        {
            ReadOnlySpan<double> objects = perObject[offsets[e]..offsets[e + 1]];
            int n = objects.Length;
            perEvent[e] = function switch
            {
                Function.Sum or Function.Count => TensorPrimitives.Sum(objects),
                Function.Any => TensorPrimitives.Sum(objects) > 0 ? 1.0 : 0.0,
                Function.All => TensorPrimitives.Sum(objects) == n ? 1.0 : 0.0,
                Function.MinOf => n == 0 ? double.NaN : TensorPrimitives.Min(objects),
                Function.MaxOf => n == 0 ? double.NaN : TensorPrimitives.Max(objects),
                Function.Mean => n == 0 ? double.NaN : TensorPrimitives.Sum(objects) / n,
                _ => throw new ArgumentOutOfRangeException(nameof(function), function, "not a reduction"),
            };
        }
    }
}
