using EnergyRegression.Data;
using static EnergyRegression.Expressions.Tests.TestBatches;

namespace EnergyRegression.Expressions.Tests;

public class FunctionTests
{
    // Values that cover signs, zero, fractions, domain edges and NaN-producing inputs.
    private static readonly double[] Inputs = [-2.75, -1.0, -0.5, 0.0, 0.3, 0.5, 1.0, 2.5, 3.5, 10.0, 710.0];

    // TensorPrimitives' vectorised functions are not bit-identical to Math.*: most agree within a few ulps,
    // sinh/cosh near overflow (710) within 5e-14 relative. The stated tolerance is 1e-13 relative.
    private const double Tolerance = 1e-13;

    public static TheoryData<string> UnaryNames => ["abs", "sqrt", "exp", "log", "log10", "sin", "cos", "tan", "asin", "acos", "atan",
        "sinh", "cosh", "tanh", "floor", "ceil", "round", "sign"];

    [Theory]
    [MemberData(nameof(UnaryNames))]
    public void Unary_functions_match_math(string name)
    {
        Func<double, double> reference = name switch
        {
            "abs" => Math.Abs,
            "sqrt" => Math.Sqrt,
            "exp" => Math.Exp,
            "log" => Math.Log,
            "log10" => Math.Log10,
            "sin" => Math.Sin,
            "cos" => Math.Cos,
            "tan" => Math.Tan,
            "asin" => Math.Asin,
            "acos" => Math.Acos,
            "atan" => Math.Atan,
            "sinh" => Math.Sinh,
            "cosh" => Math.Cosh,
            "tanh" => Math.Tanh,
            "floor" => Math.Floor,
            "ceil" => Math.Ceiling,
            "round" => Math.Round,
            "sign" => v => Math.Sign(v),
            _ => throw new ArgumentException(name),
        };
        using EventBatch batch = WithEventValues(Inputs);
        double[] actual = Eval($"{name}(x)", batch);
        for (int i = 0; i < Inputs.Length; i++)
        {
            AssertClose(reference(Inputs[i]), actual[i], $"{name}({Inputs[i]})");
        }
    }

    public static TheoryData<string> BinaryNames => ["atan2", "pow", "hypot", "min", "max"];

    [Theory]
    [MemberData(nameof(BinaryNames))]
    public void Binary_functions_match_math(string name)
    {
        Func<double, double, double> reference = name switch
        {
            "atan2" => Math.Atan2,
            "pow" => Math.Pow,
            "hypot" => (a, b) => Math.Sqrt((a * a) + (b * b)),
            "min" => Math.Min,
            "max" => Math.Max,
            _ => throw new ArgumentException(name),
        };
        double[] a = [3.0, -1.5, 0.0, 2.0, -4.0, 0.5];
        double[] b = [4.0, 2.0, -1.0, 0.5, -3.0, 7.0];
        using var batch = new EventBatch(a.Length);
        Set(batch.AddEventColumn<double>("a"), a);
        Set(batch.AddEventColumn<double>("b"), b);
        double[] actual = Eval($"{name}(a, b)", batch);
        for (int i = 0; i < a.Length; i++)
        {
            AssertClose(reference(a[i], b[i]), actual[i], $"{name}({a[i]}, {b[i]})");
        }
    }

    [Fact]
    public void Round_is_half_to_even_and_sign_keeps_nan()
    {
        using EventBatch batch = WithEventValues(2.5, 3.5, -2.5, 0.5, double.NaN, -0.0);
        Assert.Equal([2, 4, -2, 0, double.NaN, 0], Eval("round(x)", batch));
        Assert.Equal([1, 1, -1, 1, double.NaN, 0], Eval("sign(x)", batch));
    }

    [Fact]
    public void Power_operator_matches_pow_function()
    {
        using EventBatch batch = WithEventValues(-2, 0.5, 3);
        Assert.Equal([4, 0.25, 9], Eval("x ** 2", batch));
        Assert.Equal(Eval("pow(x, 3)", batch), Eval("x ** 3", batch));
        Assert.Equal([-8, 0.125, 27], Eval("x ** 3", batch));
    }

    [Fact]
    public void Min_and_max_take_any_number_of_arguments()
    {
        using EventBatch batch = WithEventValues(1, 5, -3);
        Assert.Equal([3, 5, 7], Eval("max(x, 2, 4 - x)", batch));
        Assert.Equal([1, -1, -3], Eval("min(x, 2, 4 - x)", batch));
    }

    [Fact]
    public void Division_follows_ieee()
    {
        using EventBatch batch = WithEventValues(1, -1, 0);
        Assert.Equal([double.PositiveInfinity, double.NegativeInfinity, double.NaN], Eval("x / 0", batch));
    }

    [Fact]
    public void Comparisons_with_nan_are_false_except_not_equal()
    {
        using EventBatch batch = WithEventValues(double.NaN, 1);
        Assert.Equal([0, 1], Eval("x == x", batch));
        Assert.Equal([1, 0], Eval("x != x", batch));
        Assert.Equal([0, 0], Eval("x < x", batch));
        Assert.Equal([0, 1], Eval("x <= x", batch));
        Assert.Equal([0, 0], Eval("x > x", batch));
        Assert.Equal([0, 1], Eval("x >= x", batch));
    }

    [Fact]
    public void Comparisons_agree_with_scalar_operators_at_every_length()
    {
        // Lengths 0..40 hit every vector width's remainder.
        string[] ops = ["<", "<=", ">", ">=", "==", "!="];
        for (int n = 0; n <= 40; n++)
        {
            double[] a = [.. Enumerable.Range(0, n).Select(i => (double)(i % 5))];
            double[] b = [.. Enumerable.Range(0, n).Select(i => (double)(i % 3))];
            using var batch = new EventBatch(n);
            Set(batch.AddEventColumn<double>("a"), a);
            Set(batch.AddEventColumn<double>("b"), b);
            foreach (string op in ops)
            {
                double[] actual = Eval($"a {op} b", batch);
                for (int i = 0; i < n; i++)
                {
                    bool expected = op switch
                    {
                        "<" => a[i] < b[i],
                        "<=" => a[i] <= b[i],
                        ">" => a[i] > b[i],
                        ">=" => a[i] >= b[i],
                        "==" => a[i] == b[i],
                        _ => a[i] != b[i],
                    };
                    Assert.True((expected ? 1.0 : 0.0) == actual[i], $"{a[i]} {op} {b[i]} at length {n}");
                }
            }
        }
    }

    private static void AssertClose(double expected, double actual, string what)
    {
        if (double.IsNaN(expected) || double.IsInfinity(expected))
        {
            Assert.True(expected.Equals(actual), $"{what}: expected {expected}, got {actual}");
            return;
        }
        double error = Math.Abs(expected - actual);
        Assert.True(error <= Tolerance * Math.Max(1.0, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");
    }
}
