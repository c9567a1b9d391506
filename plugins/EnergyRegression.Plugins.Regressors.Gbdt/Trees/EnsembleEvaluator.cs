using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EnergyRegression.Plugins.Regressors.Gbdt.Trees;

/// <summary>
/// Evaluates a <see cref="CompleteTreeEnsemble"/> on a row-major float matrix, many objects at once: tree after
/// tree over a block of objects, so one tree's nodes stay in L1 while all objects of the block walk it.
/// With AVX-512 16 objects walk a tree in the lanes of one vector: the nodes of the first levels (up to 32)
/// are picked by register permutes, deeper ones and the objects' feature values by AVX2 gathers; with AVX2
/// alone 8 objects, permutes up to 8 nodes per level. Every path makes the same comparisons and sums the leaf
/// values in the same order, in double, so all paths (and ML.NET) give identical results. See
/// benchmarks/README.md for the throughput.
/// </summary>
internal static class EnsembleEvaluator
{
    private const int Block = 64;

    /// <summary>The instruction sets an evaluation can use.</summary>
    public enum Width
    {
        /// <summary>One object at a time (also the reference).</summary>
        Scalar,

        /// <summary>8 objects per AVX2 vector.</summary>
        Avx2,

        /// <summary>16 objects per AVX-512 vector.</summary>
        Avx512,
    }

    /// <summary>The widest path this machine supports.</summary>
    public static Width Best => Avx512F.IsSupported && Avx2.IsSupported ? Width.Avx512 : Avx2.IsSupported ? Width.Avx2 : Width.Scalar;

    /// <summary>
    /// Writes the ensemble's prediction for every row of <paramref name="features"/> (rows × FeatureCount, row-major)
    /// into <paramref name="output"/>.
    /// </summary>
    public static void Predict(CompleteTreeEnsemble ensemble, ReadOnlySpan<float> features, Span<float> output) =>
        Predict(ensemble, features, output, Best);

    /// <summary>As <see cref="Predict(CompleteTreeEnsemble, ReadOnlySpan{float}, Span{float})"/> with a chosen path (tests run each one).</summary>
    public static void Predict(CompleteTreeEnsemble ensemble, ReadOnlySpan<float> features, Span<float> output, Width path)
    {
        if (path > Best)
        {
            throw new PlatformNotSupportedException($"{path} is not supported on this machine");
        }
        int width = ensemble.FeatureCount;
        int rows = output.Length;
        if (features.Length < rows * width)
        {
            throw new ArgumentException($"{features.Length} feature values for {rows} rows × {width}", nameof(features));
        }
        Span<double> sums = stackalloc double[Block];
        for (int start = 0; start < rows; start += Block)
        {
            int count = Math.Min(Block, rows - start);
            ReadOnlySpan<float> block = features.Slice(start * width, count * width);
            Span<double> sum = sums[..count];
            sum.Clear();
            int done = 0;
            if (path == Width.Avx512)
            {
                done = Avx512Block(ensemble, block, sum);
            }
            else if (path == Width.Avx2)
            {
                done = Avx2Block(ensemble, block, sum);
            }
            ScalarBlock(ensemble, block, sum, done);
            for (int i = 0; i < count; i++)
            {
                output[start + i] = (float)sum[i];
            }
        }
    }

    /// <summary>
    /// Adds the ensemble's leaf values, tree after tree, to the running sums of the rows of <paramref name="features"/>,
    /// in double and without rounding. Starting from zero and accumulating an ensemble's trees in order, one slice
    /// after another (<see cref="CompleteTreeEnsemble.Slice"/>), performs the additions <see cref="Predict(CompleteTreeEnsemble, ReadOnlySpan{float}, Span{float}, Width)"/>
    /// performs: the sums rounded to float are its predictions, bit for bit.
    /// </summary>
    public static void Accumulate(CompleteTreeEnsemble ensemble, ReadOnlySpan<float> features, Span<double> sums, Width path)
    {
        if (path > Best)
        {
            throw new PlatformNotSupportedException($"{path} is not supported on this machine");
        }
        int width = ensemble.FeatureCount;
        int rows = sums.Length;
        if (features.Length < rows * width)
        {
            throw new ArgumentException($"{features.Length} feature values for {rows} rows × {width}", nameof(features));
        }
        for (int start = 0; start < rows; start += Block)
        {
            int count = Math.Min(Block, rows - start);
            ReadOnlySpan<float> block = features.Slice(start * width, count * width);
            Span<double> sum = sums.Slice(start, count);
            int done = path switch
            {
                Width.Avx512 => Avx512Block(ensemble, block, sum),
                Width.Avx2 => Avx2Block(ensemble, block, sum),
                _ => 0,
            };
            ScalarBlock(ensemble, block, sum, done);
        }
    }

    /// <summary>The scalar path, also the reference: rows <paramref name="firstRow"/>… of the block.</summary>
    public static void ScalarBlock(CompleteTreeEnsemble ensemble, ReadOnlySpan<float> block, Span<double> sum, int firstRow = 0)
    {
        int depth = ensemble.Depth;
        int nodes = CompleteTreeEnsemble.NodesPerTree(depth);
        int leafCount = 1 << depth;
        int width = ensemble.FeatureCount;
        int[] features = ensemble.Features;
        float[] thresholds = ensemble.Thresholds;
        double[] leaves = ensemble.Leaves;
        for (int t = 0; t < ensemble.TreeCount; t++)
        {
            int nodeBase = t * nodes;
            int leafBase = t * leafCount;
            for (int r = firstRow; r < sum.Length; r++)
            {
                ReadOnlySpan<float> x = block.Slice(r * width, width);
                int i = 0;
                for (int level = 0; level < depth; level++)
                {
                    int n = nodeBase + i;
                    i = 2 * i + (x[features[n]] <= thresholds[n] ? 1 : 2);
                }
                sum[r] += leaves[leafBase + i - nodes];
            }
        }
    }

    /// <summary>16 rows at a time; returns how many rows of the block it did (a multiple of 16).</summary>
    private static unsafe int Avx512Block(CompleteTreeEnsemble ensemble, ReadOnlySpan<float> block, Span<double> sum)
    {
        int width = ensemble.FeatureCount;
        int rows = sum.Length & ~15;
        if (rows == 0 || width == 0)
        {
            return 0;
        }
        int depth = ensemble.Depth;
        int nodes = CompleteTreeEnsemble.NodesPerTree(depth);
        int leafCount = 1 << depth;
        Vector512<int> laneRow = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) * width;
        fixed (float* x = block)
        fixed (int* features = ensemble.Features)
        fixed (float* thresholds = ensemble.Thresholds)
        fixed (double* leaves = ensemble.Leaves)
        fixed (double* output = sum)
        {
            for (int r = 0; r < rows; r += 16)
            {
                float* rowBase = x + r * width;
                var low = Vector512.Load(output + r);
                var high = Vector512.Load(output + r + 8);
                for (int t = 0; t < ensemble.TreeCount; t++)
                {
                    int* f = features + t * nodes;
                    float* th = thresholds + t * nodes;
                    // j: each lane's node within the current level (level k holds 2^k nodes from index 2^k − 1).
                    Vector512<int> j = Vector512<int>.Zero;
                    for (int level = 0; level < depth; level++)
                    {
                        int first = (1 << level) - 1;
                        Vector512<int> feature;
                        Vector512<float> threshold;
                        if (level <= 4)
                        {
                            feature = Avx512F.PermuteVar16x32(Vector512.Load(f + first), j);
                            threshold = Avx512F.PermuteVar16x32(Vector512.Load(th + first), j);
                        }
                        else if (level == 5)
                        {
                            feature = Avx512F.PermuteVar16x32x2(Vector512.Load(f + first), j, Vector512.Load(f + first + 16));
                            threshold = Avx512F.PermuteVar16x32x2(Vector512.Load(th + first), j, Vector512.Load(th + first + 16));
                        }
                        else
                        {
                            feature = Gather(f + first, j);
                            threshold = Gather(th + first, j);
                        }
                        Vector512<float> value = Gather(rowBase, laneRow + feature);
                        // ≤ gives −1 (left) or 0 (right, also NaN): next j = 2j + 1 + that.
                        Vector512<int> left = Vector512.LessThanOrEqual(value, threshold).AsInt32();
                        j = j + j + Vector512<int>.One + left;
                    }
                    double* leaf = leaves + t * leafCount;
                    if (leafCount <= 64)
                    {
                        low += Leaf(leaf, leafCount, Avx512F.ConvertToVector512Int64(j.GetLower()));
                        high += Leaf(leaf, leafCount, Avx512F.ConvertToVector512Int64(j.GetUpper()));
                    }
                    else
                    {
                        low += Gather(leaf, j.GetLower());
                        high += Gather(leaf, j.GetUpper());
                    }
                }
                low.Store(output + r);
                high.Store(output + r + 8);
            }
        }
        return rows;
    }

    /// <summary>8 rows at a time with AVX2; returns how many rows of the block it did (a multiple of 8).</summary>
    private static unsafe int Avx2Block(CompleteTreeEnsemble ensemble, ReadOnlySpan<float> block, Span<double> sum)
    {
        int width = ensemble.FeatureCount;
        int rows = sum.Length & ~7;
        if (rows == 0 || width == 0)
        {
            return 0;
        }
        int depth = ensemble.Depth;
        int nodes = CompleteTreeEnsemble.NodesPerTree(depth);
        int leafCount = 1 << depth;
        Vector256<int> laneRow = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * width;
        fixed (float* x = block)
        fixed (int* features = ensemble.Features)
        fixed (float* thresholds = ensemble.Thresholds)
        fixed (double* leaves = ensemble.Leaves)
        fixed (double* output = sum)
        {
            for (int r = 0; r < rows; r += 8)
            {
                float* rowBase = x + r * width;
                var low = Vector256.Load(output + r);
                var high = Vector256.Load(output + r + 4);
                for (int t = 0; t < ensemble.TreeCount; t++)
                {
                    int* f = features + t * nodes;
                    float* th = thresholds + t * nodes;
                    Vector256<int> j = Vector256<int>.Zero;
                    for (int level = 0; level < depth; level++)
                    {
                        int first = (1 << level) - 1;
                        Vector256<int> feature;
                        Vector256<float> threshold;
                        if (level <= 3)
                        {
                            feature = Avx2.PermuteVar8x32(Vector256.Load(f + first), j);
                            threshold = Avx2.PermuteVar8x32(Vector256.Load(th + first), j);
                        }
                        else
                        {
                            feature = Avx2.GatherVector256(f + first, j, 4);
                            threshold = Avx2.GatherVector256(th + first, j, 4);
                        }
                        Vector256<float> value = Avx2.GatherVector256(rowBase, laneRow + feature, 4);
                        Vector256<int> left = Vector256.LessThanOrEqual(value, threshold).AsInt32();
                        j = j + j + Vector256<int>.One + left;
                    }
                    double* leaf = leaves + t * leafCount;
                    low += Avx2.GatherVector256(leaf, j.GetLower(), 8);
                    high += Avx2.GatherVector256(leaf, j.GetUpper(), 8);
                }
                low.Store(output + r);
                high.Store(output + r + 4);
            }
        }
        return rows;
    }

    /// <summary>
    /// Leaf values of up to 64 leaves by register permutes (16 per two-table permute, then selects on bits 4 and 5
    /// of the leaf index) instead of gathers. Reads up to 64 values from <paramref name="leaf"/> (the array is padded).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<double> Leaf(double* leaf, int leafCount, Vector512<long> j)
    {
        Vector512<double> low16 = Avx512F.PermuteVar8x64x2(Vector512.Load(leaf), j, Vector512.Load(leaf + 8));
        if (leafCount <= 16)
        {
            return low16;
        }
        Vector512<double> high16 = Avx512F.PermuteVar8x64x2(Vector512.Load(leaf + 16), j, Vector512.Load(leaf + 24));
        var low32 = Vector512.ConditionalSelect(Bit(j, 16), high16, low16);
        if (leafCount <= 32)
        {
            return low32;
        }
        Vector512<double> third = Avx512F.PermuteVar8x64x2(Vector512.Load(leaf + 32), j, Vector512.Load(leaf + 40));
        Vector512<double> fourth = Avx512F.PermuteVar8x64x2(Vector512.Load(leaf + 48), j, Vector512.Load(leaf + 56));
        var high32 = Vector512.ConditionalSelect(Bit(j, 16), fourth, third);
        return Vector512.ConditionalSelect(Bit(j, 32), high32, low32);

        static Vector512<double> Bit(Vector512<long> index, long bit) =>
            Vector512.Equals(index & Vector512.Create(bit), Vector512.Create(bit)).AsDouble();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<int> Gather(int* table, Vector512<int> index) =>
        Vector512.Create(Avx2.GatherVector256(table, index.GetLower(), 4), Avx2.GatherVector256(table, index.GetUpper(), 4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<float> Gather(float* table, Vector512<int> index) =>
        Vector512.Create(Avx2.GatherVector256(table, index.GetLower(), 4), Avx2.GatherVector256(table, index.GetUpper(), 4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<double> Gather(double* table, Vector256<int> index) =>
        Vector512.Create(Avx2.GatherVector256(table, index.GetLower(), 8), Avx2.GatherVector256(table, index.GetUpper(), 8));
}
