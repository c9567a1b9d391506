namespace EnergyRegression.Plugins.Regressors.Gbdt.Trees;

/// <summary>
/// A trained tree ensemble in the layout the evaluator wants: every tree padded to a complete binary tree of
/// <see cref="Depth"/> levels, nodes in breadth-first order (node i has children 2i+1 and 2i+2, level k starts
/// at 2^k − 1), so a path is a chain of index arithmetic with no pointers. A leaf that sits above the last
/// level is copied into every leaf below its place, and the padding nodes' tests do not matter. Depth ≤ 10
/// keeps a 300-tree model within a few MB (6 levels: 1 KiB per tree).
/// A node sends an object left when <c>x ≤ threshold</c> and right otherwise (also for NaN), as ML.NET's
/// <c>InternalRegressionTree.GetLeaf</c> does without missing-value defaults; the prediction is the sum of the
/// trees' leaf values in tree order, in double precision, rounded to float — the same operations in the same
/// order as ML.NET's <c>InternalTreeEnsemble.GetOutput</c>, so predictions are bit-identical.
/// </summary>
internal sealed class CompleteTreeEnsemble
{
    /// <summary>Deepest tree this layout stores.</summary>
    public const int MaxDepth = 10;

    public CompleteTreeEnsemble(int depth, int featureCount, int[] features, float[] thresholds, double[] leaves)
    {
        if (depth is < 0 or > MaxDepth)
        {
            throw new ArgumentOutOfRangeException(nameof(depth), $"tree depth {depth} is outside 0…{MaxDepth}");
        }
        Depth = depth;
        FeatureCount = featureCount;
        int nodes = NodesPerTree(depth);
        int leavesPerTree = 1 << depth;
        TreeCount = leaves.Length / leavesPerTree;
        if (features.Length != TreeCount * nodes || thresholds.Length != TreeCount * nodes || leaves.Length != TreeCount * leavesPerTree)
        {
            throw new ArgumentException("node and leaf arrays do not match the depth and tree count");
        }
        foreach (int f in features)
        {
            if ((uint)f >= (uint)Math.Max(featureCount, 1))
            {
                throw new ArgumentException($"a node tests feature {f}, but the model has {featureCount} features");
            }
        }
        // Padded by one level's worth so vector loads of a level's nodes never run past the end.
        Features = new int[features.Length + 32];
        Thresholds = new float[thresholds.Length + 32];
        features.CopyTo(Features, 0);
        thresholds.CopyTo(Thresholds, 0);
        Leaves = new double[leaves.Length + 64];
        leaves.CopyTo(Leaves, 0);
    }

    /// <summary>Leaf values in <see cref="Leaves"/> (without its padding).</summary>
    public int LeafCount => TreeCount << Depth;

    /// <summary>Levels of internal nodes (a single-leaf tree has depth 0).</summary>
    public int Depth { get; }

    /// <summary>Number of trees.</summary>
    public int TreeCount { get; }

    /// <summary>Values per object the trees read.</summary>
    public int FeatureCount { get; }

    /// <summary>Feature index of every node, tree after tree (plus padding at the end).</summary>
    public int[] Features { get; }

    /// <summary>Threshold of every node, tree after tree (plus padding at the end).</summary>
    public float[] Thresholds { get; }

    /// <summary>The 2^Depth leaf values of every tree (plus padding at the end, for vector loads).</summary>
    public double[] Leaves { get; }

    /// <summary>
    /// Trees <paramref name="first"/> … <paramref name="first"/> + <paramref name="count"/> − 1 as an ensemble of their
    /// own, with the same depth and features (learning curves evaluate the trees one at a time).
    /// </summary>
    public CompleteTreeEnsemble Slice(int first, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first + count, TreeCount, nameof(count));
        int nodes = NodesPerTree(Depth);
        int leaves = 1 << Depth;
        return new CompleteTreeEnsemble(Depth, FeatureCount, Features.AsSpan(first * nodes, count * nodes).ToArray(),
            Thresholds.AsSpan(first * nodes, count * nodes).ToArray(), Leaves.AsSpan(first * leaves, count * leaves).ToArray());
    }

    /// <summary>Internal nodes of a complete tree of <paramref name="depth"/> levels.</summary>
    public static int NodesPerTree(int depth) => (1 << depth) - 1;

    /// <summary>
    /// Builds the layout from pointer trees in ML.NET's convention: node arrays Left and
    /// Right hold a child node index, or <c>~leaf</c> for a leaf.
    /// </summary>
    public static CompleteTreeEnsemble FromPointerTrees(int featureCount, IReadOnlyList<PointerTree> trees)
    {
        int depth = trees.Count == 0 ? 0 : trees.Max(t => t.Depth());
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException($"a tree is {depth} levels deep; at most {MaxDepth} are supported (set max_depth)");
        }
        int nodes = NodesPerTree(depth);
        int leafCount = 1 << depth;
        var features = new int[trees.Count * nodes];
        var thresholds = new float[trees.Count * nodes];
        var leaves = new double[trees.Count * leafCount];
        // Padding nodes: feature 0, threshold +inf; both subtrees hold the same leaf value, so their test is moot.
        thresholds.AsSpan().Fill(float.PositiveInfinity);
        for (int t = 0; t < trees.Count; t++)
        {
            PointerTree tree = trees[t];
            Span<int> f = features.AsSpan(t * nodes, nodes);
            Span<float> th = thresholds.AsSpan(t * nodes, nodes);
            Span<double> lv = leaves.AsSpan(t * leafCount, leafCount);
            if (tree.Left.Count == 0)
            {
                lv.Fill(tree.LeafValues[0]);
                continue;
            }
            Place(tree, 0, 0, 0, depth, f, th, lv);
        }
        return new CompleteTreeEnsemble(depth, featureCount, features, thresholds, leaves);
    }

    private static void Place(PointerTree tree, int node, int position, int level, int depth, Span<int> features, Span<float> thresholds, Span<double> leaves)
    {
        if (node < 0)
        {
            // A leaf at `level`: its place covers 2^(depth-level) leaves of the complete tree.
            int firstOfLevel = (1 << level) - 1;
            int span = 1 << (depth - level);
            leaves.Slice((position - firstOfLevel) * span, span).Fill(tree.LeafValues[~node]);
            return;
        }
        features[position] = tree.Features[node];
        thresholds[position] = tree.Thresholds[node];
        Place(tree, tree.Left[node], 2 * position + 1, level + 1, depth, features, thresholds, leaves);
        Place(tree, tree.Right[node], 2 * position + 2, level + 1, depth, features, thresholds, leaves);
    }
}

/// <summary>One regression tree with child pointers, as ML.NET exposes it: a child is a node index, or <c>~leaf</c>.</summary>
internal sealed record PointerTree(
    IReadOnlyList<int> Left, IReadOnlyList<int> Right, IReadOnlyList<int> Features, IReadOnlyList<float> Thresholds, IReadOnlyList<double> LeafValues)
{
    /// <summary>Levels of internal nodes on the longest path (0 for a single leaf).</summary>
    public int Depth() => Left.Count == 0 ? 0 : DepthOf(0);

    private int DepthOf(int node) => node < 0 ? 0 : 1 + Math.Max(DepthOf(Left[node]), DepthOf(Right[node]));
}
