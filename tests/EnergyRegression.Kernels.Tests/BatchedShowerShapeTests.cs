namespace EnergyRegression.Kernels.Tests;

/// <summary>The batched shower-shape pass on windows whose answers are known by hand, mixed in one batch.</summary>
public class BatchedShowerShapeTests
{
    private static float Value(float[] output, int n, ShowerShapeVariable variable, int obj) => output[(int)variable * n + obj];

    [Fact]
    public void A_batch_of_hand_computed_windows_gives_their_shapes_in_every_lane()
    {
        // 19 windows of 5 × 5 (two full 8-lane blocks and a remainder): even ones a single 10 GeV crystal,
        // odd ones the symmetric 3 × 3 pattern (seed 8, edges 1, corners 0.5 → e3x3 = 14).
        const int n = 19;
        float[] windows = new float[n * 25];
        float[] raw = new float[n];
        for (int i = 0; i < n; i++)
        {
            Span<float> w = windows.AsSpan(i * 25, 25);
            w[12] = i % 2 == 0 ? 10 : 8;
            if (i % 2 == 1)
            {
                w[7] = w[17] = w[11] = w[13] = 1;
                w[6] = w[8] = w[16] = w[18] = 0.5f;
            }
            raw[i] = i % 2 == 0 ? 10 : 16; // r9 = 1 and 14/16
        }
        int[] seeds = new int[n];
        SeedFinder.IndexOfMax(windows, 25, seeds);
        Assert.All(seeds, s => Assert.Equal(12, s));
        float[] output = new float[n * ShowerShapes.VariableCount];
        ShowerShapes.Compute(windows, 5, 5, seeds, raw, output);

        double w8 = 4.7 + Math.Log(8 / 14.0), w1 = 4.7 + Math.Log(1 / 14.0), wHalf = 4.7 + Math.Log(0.5 / 14.0);
        double symmetricWidth = Math.Sqrt(2 * (w1 + 2 * wHalf) / (w8 + 4 * w1 + 4 * wHalf)) * 0.0174; // 0.012754
        for (int i = 0; i < n; i++)
        {
            bool single = i % 2 == 0;
            Assert.Equal(single ? 1f : 14f / 16f, Value(output, n, ShowerShapeVariable.R9, i));
            Assert.Equal(1f, Value(output, n, ShowerShapeVariable.E3x3OverE5x5, i));
            Assert.Equal(single ? 1f : 8f / 14f, Value(output, n, ShowerShapeVariable.EMaxOverE3x3, i));
            Assert.Equal(single ? 0f : 1f, Value(output, n, ShowerShapeVariable.E2nd, i));
            Assert.Equal(single ? 10f : 12f, Value(output, n, ShowerShapeVariable.E2x5Max, i));
            Assert.Equal(single ? 0f : 2f, Value(output, n, ShowerShapeVariable.E2x5Left, i));
            Assert.Equal(single ? 0 : symmetricWidth, Value(output, n, ShowerShapeVariable.SigmaIEtaIEta, i), 1e-6);
            Assert.Equal(single ? 0 : symmetricWidth, Value(output, n, ShowerShapeVariable.SigmaIPhiIPhi, i), 1e-6);
            Assert.Equal(0f, Value(output, n, ShowerShapeVariable.CentroidEta, i), 1e-6);
        }
    }

    [Fact]
    public void A_seed_on_the_window_edge_reads_zeros_beyond_it_and_an_empty_window_gives_zeros()
    {
        // Window 0: seed on the first row (the barrel edge), a neighbour above (+η row 1). Window 1: empty.
        float[] windows = new float[2 * 25];
        windows[2] = 6;
        windows[7] = 2;
        float[] output = new float[2 * ShowerShapes.VariableCount];
        ShowerShapes.Compute(windows, 5, 5, [2, 0], [8, 0], output);
        Assert.Equal(8f, Value(output, 2, ShowerShapeVariable.E3x3, 0));
        Assert.Equal(2f, Value(output, 2, ShowerShapeVariable.ETop, 0));
        Assert.Equal(0f, Value(output, 2, ShowerShapeVariable.EBottom, 0));
        Assert.True(Value(output, 2, ShowerShapeVariable.CentroidEta, 0) > 0);
        for (int v = 0; v < ShowerShapes.VariableCount; v++)
        {
            Assert.Equal(0f, output[v * 2 + 1]); // every sum, ratio and moment of an empty window
        }
    }

    [Fact]
    public void Mismatched_buffers_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ShowerShapes.Compute(new float[25], 5, 5, [12], [], new float[ShowerShapes.VariableCount]));
        Assert.Throws<ArgumentException>(() => ShowerShapes.Compute(new float[25], 5, 5, [12], [1f], new float[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShowerShapes.Compute(new float[25], 5, 5, [-1], [1f], new float[ShowerShapes.VariableCount]));
    }
}
