using EnergyRegression.Plugins.Regressors.Gbdt.Trees;
using Xunit;

namespace EnergyRegression.Plugins.Regressors.Gbdt.Tests;

public sealed class TreeEvaluatorTests
{
    /// <summary>Every evaluation path this machine supports, by name (xunit needs public parameter types).</summary>
    public static TheoryData<string> Paths()
    {
        var paths = new TheoryData<string>();
        foreach (EnsembleEvaluator.Width w in Enum.GetValues<EnsembleEvaluator.Width>().Where(w => w <= EnsembleEvaluator.Best))
        {
            paths.Add(w.ToString());
        }
        return paths;
    }

    // x0 ≤ 1 ? (x1 ≤ 5 ? 10 : 20) : 30 — a leaf above the last level, so the layout pads it.
    private static PointerTree HandTree() => new(Left: [1, ~0], Right: [~2, ~1], Features: [0, 1], Thresholds: [1f, 5f], LeafValues: [10, 20, 30]);

    [Theory]
    [MemberData(nameof(Paths))]
    public void Hand_built_tree_sends_equal_left_and_NaN_right(string pathName)
    {
        var path = Enum.Parse<EnsembleEvaluator.Width>(pathName);
        var trees = CompleteTreeEnsemble.FromPointerTrees(2, [HandTree(), HandTree()]);
        Assert.Equal(2, trees.Depth);
        // Enough rows for every vector width and a scalar tail: 37 rows cycling through the cases.
        (float X0, float X1, float Expected)[] cases =
        [
            (0f, 0f, 20), (1f, 5f, 20), (1f, 5.0001f, 40), (1.0001f, -100f, 60), (float.NaN, 0f, 60), (0f, float.NaN, 40),
            (float.NegativeInfinity, float.PositiveInfinity, 40), (float.PositiveInfinity, 0f, 60),
        ];
        int rows = 37;
        float[] x = new float[rows * 2];
        float[] expected = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            (x[2 * r], x[2 * r + 1], expected[r]) = cases[r % cases.Length];
        }
        float[] y = new float[rows];
        EnsembleEvaluator.Predict(trees, x, y, path);
        Assert.Equal(expected, y);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Vector_paths_equal_the_scalar_path_bit_for_bit(string pathName)
    {
        var path = Enum.Parse<EnsembleEvaluator.Width>(pathName);
        var random = new Random(3);
        foreach (int depth in new[] { 0, 1, 3, 5, 6, 7, 9 })
        {
            CompleteTreeEnsemble trees = RandomEnsemble(random, depth, treeCount: 17, features: 11);
            foreach (int rows in new[] { 0, 1, 7, 8, 15, 16, 17, 63, 64, 65, 200 })
            {
                float[] x = RandomRows(random, rows, 11);
                float[] scalar = new float[rows];
                float[] vector = new float[rows];
                EnsembleEvaluator.Predict(trees, x, scalar, EnsembleEvaluator.Width.Scalar);
                EnsembleEvaluator.Predict(trees, x, vector, path);
                Assert.Equal(scalar, vector);
            }
        }
    }

    [Fact]
    public void Scalar_path_sums_the_leaves_of_each_path_in_double()
    {
        // Two identical depth-1 trees on x0 ≤ 0.5 with leaves 0.1 / 0.2: the sum is formed in double, then rounded.
        PointerTree tree = new([~0], [~1], [0], [0.5f], [0.1, 0.2]);
        var trees = CompleteTreeEnsemble.FromPointerTrees(1, [tree, tree, tree]);
        float[] y = new float[2];
        EnsembleEvaluator.Predict(trees, [0f, 1f], y, EnsembleEvaluator.Width.Scalar);
        Assert.Equal([(float)(0.1 + 0.1 + 0.1), (float)(0.2 + 0.2 + 0.2)], y);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Accumulating_one_tree_at_a_time_ends_at_the_prediction_bit_for_bit(string pathName)
    {
        // What the learning curves rely on: the running sums after tree k are the ensemble cut to k trees, and after
        // the last tree they round to exactly what Predict gives.
        var path = Enum.Parse<EnsembleEvaluator.Width>(pathName);
        var random = new Random(4);
        foreach (int depth in new[] { 0, 2, 6, 7 })
        {
            CompleteTreeEnsemble trees = RandomEnsemble(random, depth, treeCount: 13, features: 9);
            int rows = 150;
            float[] x = RandomRows(random, rows, 9);
            double[] sums = new double[rows];
            for (int k = 1; k <= trees.TreeCount; k++)
            {
                EnsembleEvaluator.Accumulate(trees.Slice(k - 1, 1), x, sums, path);
                float[] cut = new float[rows];
                EnsembleEvaluator.Predict(trees.Slice(0, k), x, cut, EnsembleEvaluator.Width.Scalar);
                Assert.Equal(cut, sums.Select(s => (float)s).ToArray());
            }
            float[] full = new float[rows];
            EnsembleEvaluator.Predict(trees, x, full, path);
            Assert.Equal(full, sums.Select(s => (float)s).ToArray());
        }
    }

    [Fact]
    public void A_slice_outside_the_ensemble_is_refused()
    {
        CompleteTreeEnsemble trees = RandomEnsemble(new Random(5), depth: 3, treeCount: 4, features: 2);
        Assert.Equal(4, trees.Slice(0, 4).TreeCount);
        Assert.Equal(0, trees.Slice(4, 0).TreeCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => trees.Slice(3, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => trees.Slice(-1, 1));
    }

    [Fact]
    public void Trees_deeper_than_the_layout_are_refused()
    {
        // A chain of 11 internal nodes.
        int n = 11;
        int[] left = [.. Enumerable.Range(0, n).Select(i => ~i)];
        int[] right = [.. Enumerable.Range(0, n).Select(i => i + 1 < n ? i + 1 : ~n)];
        var tree = new PointerTree(left, right, new int[n], new float[n], new double[n + 1]);
        var error = Assert.Throws<InvalidOperationException>(() => CompleteTreeEnsemble.FromPointerTrees(1, [tree]));
        Assert.Contains("11 levels", error.Message, StringComparison.Ordinal);
    }

    internal static CompleteTreeEnsemble RandomEnsemble(Random random, int depth, int treeCount, int features)
    {
        var trees = new List<PointerTree>();
        for (int t = 0; t < treeCount; t++)
        {
            var left = new List<int>();
            var right = new List<int>();
            var f = new List<int>();
            var th = new List<float>();
            var leaves = new List<double>();
            int Grow(int level)
            {
                // Some branches stop early, so the padding is exercised too.
                if (level == depth || (level > 0 && random.NextDouble() < 0.15))
                {
                    leaves.Add(random.NextDouble() * 2 - 1);
                    return ~(leaves.Count - 1);
                }
                int node = left.Count;
                left.Add(0);
                right.Add(0);
                f.Add(random.Next(features));
                th.Add((float)(random.NextDouble() * 2 - 1));
                left[node] = Grow(level + 1);
                right[node] = Grow(level + 1);
                return node;
            }
            int root = Grow(0);
            trees.Add(root < 0 ? new PointerTree([], [], [], [], leaves) : new PointerTree(left, right, f, th, leaves));
        }
        return CompleteTreeEnsemble.FromPointerTrees(features, trees);
    }

    internal static float[] RandomRows(Random random, int rows, int features)
    {
        float[] x = new float[rows * features];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)(random.NextDouble() * 2.4 - 1.2);
        }
        // Values exactly on thresholds and NaN take the documented directions on every path.
        if (x.Length > 3)
        {
            x[1] = float.NaN;
        }
        return x;
    }
}
