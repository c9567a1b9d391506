using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using EnergyRegression.Data;
using EnergyRegression.Expressions;

namespace EnergyRegression.Benchmarks;

/// <summary>
/// <c>Electron_pt &gt; 25 &amp;&amp; abs(Electron_eta) &lt; 1.4442</c> over one batch of 100 000 electrons (float columns),
/// computed several ways, all producing the same 0/1 mask as doubles (checked in setup): a hand-written scalar
/// loop without branches (baseline: the best one can do), the same loop with <c>&amp;&amp;</c>, the library's column-wise
/// evaluator (with and without parsing), and a naive per-row tree-walking interpreter.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class ExpressionBenchmarks
{
    public const int Electrons = 100_000;

    public const string Text = "Electron_pt > 25 && abs(Electron_eta) < 1.4442";

    private EventBatch _batch = null!;
    private CompiledExpression _parsed = null!;
    private double[] _mask = null!;

    private sealed class Config : BenchmarkDotNet.Configs.ManualConfig
    {
        public Config() => AddColumn(new ThroughputColumn("ns/row", "mean time per electron", _ => Electrons, perUnit: true));
    }

    [GlobalSetup]
    public void Setup()
    {
        var data = SyntheticEvents.WithElectrons(Electrons, seed: 2);
        _batch = data.CreateBatch(0, data.EventCount, withWindows: false);
        _parsed = Expression.Parse(Text);
        _mask = new double[Electrons];

        // The three ways must agree, value for value.
        HandLoop();
        double[] hand = (double[])_mask.Clone();
        Array.Clear(_mask);
        HandLoopBranching();
        double[] branching = (double[])_mask.Clone();
        Array.Clear(_mask);
        PerRowInterpreter();
        double[] perRow = (double[])_mask.Clone();
        using ExpressionResult columnWise = _parsed.Evaluate(_batch);
        if (columnWise.Rows != Electrons || columnWise.Collection != "Electron" || !columnWise.Values.SequenceEqual(hand) || !perRow.AsSpan().SequenceEqual(hand)
            || !branching.AsSpan().SequenceEqual(hand))
        {
            throw new InvalidOperationException("The column-wise evaluator, the hand loops and the per-row interpreter disagree.");
        }
        int kept = hand.Count(v => v != 0);
        if (kept is 0 or Electrons)
        {
            throw new InvalidOperationException($"The cut keeps {kept} of {Electrons} electrons; expected some but not all.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _batch.Dispose();

    /// <summary>
    /// Baseline: one pass over the two float columns, no allocation, no branch in the loop body (both comparisons
    /// are computed and combined with a non-short-circuit <c>&amp;</c>; the bool becomes 0 or 1 without a jump).
    /// </summary>
    [Benchmark(Baseline = true, Description = "hand loop, branch-free")]
    public double[] HandLoop()
    {
        ReadOnlySpan<float> pt = _batch.GetColumn<float>("Electron_pt").Values;
        ReadOnlySpan<float> eta = _batch.GetColumn<float>("Electron_eta").Values;
        double[] mask = _mask;
        for (int i = 0; i < pt.Length; i++)
        {
            bool keep = (pt[i] > 25.0) & (Math.Abs((double)eta[i]) < 1.4442);
            mask[i] = Unsafe.BitCast<bool, byte>(keep);
        }
        return mask;
    }

    /// <summary>The loop as one first writes it: <c>&amp;&amp;</c> and <c>?:</c>, i.e. data-dependent branches.</summary>
    [Benchmark(Description = "hand loop with && (branches)")]
    public double[] HandLoopBranching()
    {
        ReadOnlySpan<float> pt = _batch.GetColumn<float>("Electron_pt").Values;
        ReadOnlySpan<float> eta = _batch.GetColumn<float>("Electron_eta").Values;
        double[] mask = _mask;
        for (int i = 0; i < pt.Length; i++)
        {
            mask[i] = pt[i] > 25.0 && Math.Abs((double)eta[i]) < 1.4442 ? 1.0 : 0.0;
        }
        return mask;
    }

    [Benchmark(Description = "column-wise: Parse + Evaluate")]
    public int ColumnWiseParseAndEvaluate()
    {
        using ExpressionResult result = Expression.Parse(Text).Evaluate(_batch);
        return result.Rows;
    }

    [Benchmark(Description = "column-wise: Evaluate (parsed once)")]
    public int ColumnWiseEvaluate()
    {
        using ExpressionResult result = _parsed.Evaluate(_batch);
        return result.Rows;
    }

    /// <summary>
    /// A per-row interpreter: the tree (built by hand, columns looked up once) is walked for every electron,
    /// each node a virtual call returning a double, columns read through <see cref="Column.GetDouble"/>;
    /// <c>&amp;&amp;</c> short-circuits.
    /// </summary>
    [Benchmark(Description = "per-row tree-walking interpreter")]
    public double[] PerRowInterpreter()
    {
        Node tree = new Binary(Op.And,
            new Binary(Op.Greater, new ColumnRef(_batch.GetColumn("Electron_pt")), new Constant(25)),
            new Binary(Op.Less, new Call(Function.Abs, new ColumnRef(_batch.GetColumn("Electron_eta"))), new Constant(1.4442)));
        double[] mask = _mask;
        int rows = _batch.GetCollection("Electron").TotalCount;
        for (int row = 0; row < rows; row++)
        {
            mask[row] = tree.Evaluate(row);
        }
        return mask;
    }

    private enum Op
    {
        And,
        Greater,
        Less,
    }

    private enum Function
    {
        Abs,
    }

    private abstract class Node
    {
        public abstract double Evaluate(int row);
    }

    private sealed class Constant(double value) : Node
    {
        public override double Evaluate(int row) => value;
    }

    private sealed class ColumnRef(Column column) : Node
    {
        public override double Evaluate(int row) => column.GetDouble(row);
    }

    private sealed class Call(Function function, Node argument) : Node
    {
        public override double Evaluate(int row) => function switch
        {
            Function.Abs => Math.Abs(argument.Evaluate(row)),
            _ => throw new NotSupportedException(function.ToString()),
        };
    }

    private sealed class Binary(Op op, Node left, Node right) : Node
    {
        public override double Evaluate(int row) => op switch
        {
            Op.And => left.Evaluate(row) != 0 && right.Evaluate(row) != 0 ? 1 : 0,
            Op.Greater => left.Evaluate(row) > right.Evaluate(row) ? 1 : 0,
            Op.Less => left.Evaluate(row) < right.Evaluate(row) ? 1 : 0,
            _ => throw new NotSupportedException(op.ToString()),
        };
    }
}
