using EnergyRegression.Kernels;

namespace EnergyRegression.Kernels.Tests;

/// <summary>The scalar reference shower shapes on windows whose answers are computed by hand.</summary>
public class ShowerShapesTests
{
    private static float[] Window(int height, int width, params (int Row, int Column, float Energy)[] hits)
    {
        float[] window = new float[height * width];
        foreach ((int row, int column, float energy) in hits)
        {
            window[row * width + column] = energy;
        }
        return window;
    }

    [Fact]
    public void A_single_hot_crystal_has_r9_one_and_no_width()
    {
        float[] window = Window(7, 7, (3, 3, 10f));
        ShowerShape s = ShowerShapes.Reference(window, 7, 7, 3, 3);
        Assert.Equal(10f, s.EMax);
        Assert.Equal(10f, s.E3x3);
        Assert.Equal(10f, s.E5x5);
        Assert.Equal(10f, s.E1x5);
        Assert.Equal(10f, s.E2x5Max);
        Assert.Equal(0f, s.E2nd);
        Assert.Equal(0f, s.E2x5Left + s.E2x5Right + s.E2x5Top + s.E2x5Bottom);
        Assert.Equal(1f, s.E3x3 / s.E5x5);
        Assert.Equal(0f, s.SigmaIEtaIEta);
        Assert.Equal(0f, s.SigmaIPhiIPhi);
        Assert.Equal(0f, s.CentroidEta);
    }

    [Fact]
    public void A_symmetric_3x3_pattern_gives_the_hand_computed_sums_and_width()
    {
        // Seed 8 GeV, edge neighbours 1 GeV, corners 0.5 GeV.
        float[] window = Window(5, 5,
            (2, 2, 8f), (1, 2, 1f), (3, 2, 1f), (2, 1, 1f), (2, 3, 1f),
            (1, 1, 0.5f), (1, 3, 0.5f), (3, 1, 0.5f), (3, 3, 0.5f));
        ShowerShape s = ShowerShapes.Reference(window, 5, 5, 2, 2);
        Assert.Equal(14f, s.E3x3);
        Assert.Equal(14f, s.E5x5);
        Assert.Equal(10f, s.E1x5);
        Assert.Equal(12f, s.E2x5Max);  // seed row (10) + one neighbouring row (0.5 + 1 + 0.5)
        Assert.Equal(2f, s.E2x5Left);  // the column left of the seed: 0.5 + 1 + 0.5
        Assert.Equal(2f, s.E2x5Top);
        Assert.Equal(1f, s.E2nd);
        Assert.Equal((1f, 1f, 1f, 1f), (s.ELeft, s.ERight, s.ETop, s.EBottom));
        Assert.Equal(0f, s.CentroidEta, 6);
        Assert.Equal(0f, s.CentroidPhi, 6);

        // w = 4.7 + ln(E/14): rows ±1 carry w(0.5) + w(1) + w(0.5) each at distance 1.
        double w8 = 4.7 + Math.Log(8 / 14.0), w1 = 4.7 + Math.Log(1 / 14.0), wHalf = 4.7 + Math.Log(0.5 / 14.0);
        double sumW = w8 + 4 * w1 + 4 * wHalf;
        double expected = Math.Sqrt(2 * (w1 + 2 * wHalf) / sumW) * 0.0174;
        Assert.Equal(0.012754, expected, 5); // by hand: sqrt(9.5930 / 17.8552) × 0.0174
        Assert.Equal(expected, s.SigmaIEtaIEta, 6);
        Assert.Equal(expected, s.SigmaIPhiIPhi, 6);
    }

    [Fact]
    public void Crystals_beyond_the_window_edge_count_as_zero()
    {
        // Seed on the first row: rows −1 and −2 are outside (a window at the edge of the barrel).
        float[] window = Window(5, 5, (0, 2, 6f), (1, 2, 2f), (0, 1, 1f));
        ShowerShape s = ShowerShapes.Reference(window, 5, 5, 0, 2);
        Assert.Equal(9f, s.E3x3);
        Assert.Equal(0f, s.EBottom);
        Assert.Equal(2f, s.ETop);
        Assert.Equal(0f, s.E2x5Bottom);
        Assert.Equal(9f, s.E2x5Max); // rows 0..1: 6 + 1 + 2
        Assert.True(s.CentroidEta > 0); // pulled towards the row inside the window
    }

    [Fact]
    public void Negative_crystals_count_in_sums_but_get_no_weight()
    {
        float[] window = Window(5, 5, (2, 2, 5f), (2, 0, -0.2f), (0, 2, -0.1f));
        ShowerShape s = ShowerShapes.Reference(window, 5, 5, 2, 2);
        Assert.Equal(4.7f, s.E5x5, 5);
        Assert.Equal(5f, s.E3x3);
        Assert.Equal(0f, s.SigmaIEtaIEta);
    }

    [Fact]
    public void Bad_shapes_and_seeds_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => ShowerShapes.Reference(new float[24], 5, 5, 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShowerShapes.Reference(new float[25], 5, 5, 5, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShowerShapes.Reference(new float[25], 5, 5, 2, -1));
    }
}
