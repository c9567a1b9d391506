using System.Runtime.Intrinsics;
using EnergyRegression.Kernels.Simd;

namespace EnergyRegression.Kernels;

/// <summary>
/// Shower shapes of crystal windows: a scalar reference per window (<see cref="Reference"/>) and a batched
/// pass over many windows (<see cref="Compute"/>) that works across objects, one object per vector lane
/// (a 5 × 5 core is shorter than useful vectors, so vectorising inside one window would waste lanes).
/// </summary>
public static partial class ShowerShapes
{
    /// <summary>Number of <see cref="ShowerShapeVariable"/> rows in the batched output.</summary>
    public static readonly int VariableCount = Enum.GetValues<ShowerShapeVariable>().Length;

    /// <summary>Crystal size in η units: σiηiη is quoted in η (CMS: crystal index × 0.0174).</summary>
    public const float CrystalEta = 0.0174f;

    /// <summary>The cut-off of the log weights, w = max(0, W0 + ln(E_i / E5x5)).</summary>
    public const float LogWeightCutoff = 4.7f;

    /// <summary>
    /// The scalar reference: shapes of one <paramref name="height"/> × <paramref name="width"/> window
    /// around the crystal (<paramref name="seedRow"/>, <paramref name="seedColumn"/>). Crystals outside
    /// the window count as 0 (a window at the edge of the detector).
    /// </summary>
    public static ShowerShape Reference(ReadOnlySpan<float> window, int height, int width, int seedRow, int seedColumn)
    {
        if (window.Length != height * width)
        {
            throw new ArgumentException($"window has {window.Length} values, {height} × {width} needs {height * width}", nameof(window));
        }
        if ((uint)seedRow >= (uint)height || (uint)seedColumn >= (uint)width)
        {
            throw new ArgumentOutOfRangeException(nameof(seedRow), $"seed ({seedRow}, {seedColumn}) outside the {height} × {width} window");
        }
        Span<float> core = stackalloc float[25];
        for (int dr = -2; dr <= 2; dr++)
        {
            for (int dc = -2; dc <= 2; dc++)
            {
                int r = seedRow + dr, c = seedColumn + dc;
                core[(dr + 2) * 5 + dc + 2] = (uint)r < (uint)height && (uint)c < (uint)width ? window[r * width + c] : 0;
            }
        }
        return FromCore(core);
    }

    /// <summary>The shapes from the 5 × 5 around the seed (row-major, seed at index 12).</summary>
    internal static ShowerShape FromCore(ReadOnlySpan<float> core)
    {
        var s = new ShowerShape
        {
            EMax = Cell(core, 0, 0),
            E3x3 = Sum(core, -1, 1, -1, 1),
            E5x5 = Sum(core, -2, 2, -2, 2),
            E1x5 = Sum(core, 0, 0, -2, 2),
            E2x5Left = Sum(core, -2, 2, -2, -1),
            E2x5Right = Sum(core, -2, 2, 1, 2),
            E2x5Top = Sum(core, 1, 2, -2, 2),
            E2x5Bottom = Sum(core, -2, -1, -2, 2),
            E2x5Max = Math.Max(Sum(core, -1, 0, -2, 2), Sum(core, 0, 1, -2, 2)),
            ELeft = Cell(core, 0, -1),
            ERight = Cell(core, 0, 1),
            ETop = Cell(core, 1, 0),
            EBottom = Cell(core, -1, 0),
        };
        float second = float.NegativeInfinity;
        for (int dr = -1; dr <= 1; dr++)
        {
            for (int dc = -1; dc <= 1; dc++)
            {
                if (dr != 0 || dc != 0)
                {
                    second = Math.Max(second, Cell(core, dr, dc));
                }
            }
        }
        s.E2nd = second;

        // Log-weighted moments over the 5 × 5 (crystals with E ≤ 0 get no weight).
        double sumW = 0, sumEta = 0, sumPhi = 0;
        for (int i = 0; i < 25; i++)
        {
            double w = Weight(core[i], s.E5x5);
            sumW += w;
            sumEta += w * (i / 5 - 2);
            sumPhi += w * (i % 5 - 2);
        }
        if (sumW > 0)
        {
            double meanEta = sumEta / sumW, meanPhi = sumPhi / sumW;
            double varEta = 0, varPhi = 0;
            for (int i = 0; i < 25; i++)
            {
                double w = Weight(core[i], s.E5x5);
                double dEta = i / 5 - 2 - meanEta, dPhi = i % 5 - 2 - meanPhi;
                varEta += w * dEta * dEta;
                varPhi += w * dPhi * dPhi;
            }
            s.CentroidEta = (float)meanEta;
            s.CentroidPhi = (float)meanPhi;
            s.SigmaIEtaIEta = (float)Math.Sqrt(varEta / sumW) * CrystalEta;
            s.SigmaIPhiIPhi = (float)Math.Sqrt(varPhi / sumW) * CrystalEta;
        }
        return s;
    }

    /// <summary>
    /// The batched pass: shapes of <paramref name="seeds"/>.Length windows of <paramref name="height"/> ×
    /// <paramref name="width"/> stored one after the other in <paramref name="windows"/>, each around its seed
    /// (an index into its window, e.g. from <see cref="SeedFinder.IndexOfMax(ReadOnlySpan{float}, int, Span{int})"/>).
    /// <paramref name="rawEnergies"/> (one per window) is the denominator of r9. <paramref name="output"/>
    /// holds <see cref="VariableCount"/> rows of one value per window, in <see cref="ShowerShapeVariable"/>
    /// order. Sums and maxima equal <see cref="ComputeReference"/> exactly (same additions in the same
    /// order); the log-weighted widths and centroids are computed in float with vector logarithms and
    /// agree to a relative 2e-5 (tests/EnergyRegression.Kernels.Tests).
    /// </summary>
    public static void Compute(ReadOnlySpan<float> windows, int height, int width, ReadOnlySpan<int> seeds,
        ReadOnlySpan<float> rawEnergies, Span<float> output)
    {
        CheckBatch(windows, height, width, seeds, rawEnergies, output);
        if (Vector512.IsHardwareAccelerated)
        {
            ComputeLanes<Vector512<float>, Lanes512>(windows, height, width, seeds, rawEnergies, output);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            ComputeLanes<Vector256<float>, Lanes256>(windows, height, width, seeds, rawEnergies, output);
        }
        else
        {
            ComputeLanes<Vector128<float>, Lanes128>(windows, height, width, seeds, rawEnergies, output);
        }
    }

    /// <summary>The scalar reference of <see cref="Compute"/>: <see cref="Reference"/> per window, in double where it takes logs.</summary>
    public static void ComputeReference(ReadOnlySpan<float> windows, int height, int width, ReadOnlySpan<int> seeds,
        ReadOnlySpan<float> rawEnergies, Span<float> output)
    {
        CheckBatch(windows, height, width, seeds, rawEnergies, output);
        int n = seeds.Length, size = height * width;
        for (int i = 0; i < n; i++)
        {
            ShowerShape s = Reference(windows.Slice(i * size, size), height, width, seeds[i] / width, seeds[i] % width);
            ReadOnlySpan<float> values =
            [
                s.EMax, s.E2nd, s.E3x3, s.E5x5, s.E1x5, s.E2x5Left, s.E2x5Right, s.E2x5Top, s.E2x5Bottom, s.E2x5Max,
                s.ELeft, s.ERight, s.ETop, s.EBottom, s.SigmaIEtaIEta, s.SigmaIPhiIPhi, s.CentroidEta, s.CentroidPhi,
                Ratio(s.E3x3, rawEnergies[i]), Ratio(s.E3x3, s.E5x5), Ratio(s.EMax, s.E3x3),
            ];
            for (int v = 0; v < values.Length; v++)
            {
                output[v * n + i] = values[v];
            }
        }
    }

    private static float Ratio(float numerator, float denominator) => denominator > 0 ? numerator / denominator : 0;

    private static void CheckBatch(ReadOnlySpan<float> windows, int height, int width, ReadOnlySpan<int> seeds,
        ReadOnlySpan<float> rawEnergies, Span<float> output)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        int n = seeds.Length;
        if (windows.Length != n * height * width)
        {
            throw new ArgumentException($"{windows.Length} values for {n} windows of {height} × {width}", nameof(windows));
        }
        if (rawEnergies.Length != n)
        {
            throw new ArgumentException($"{rawEnergies.Length} raw energies for {n} windows", nameof(rawEnergies));
        }
        if (output.Length != n * VariableCount)
        {
            throw new ArgumentException($"output has {output.Length} values, {n} windows need {n * VariableCount}", nameof(output));
        }
        foreach (int seed in seeds)
        {
            if ((uint)seed >= (uint)(height * width))
            {
                throw new ArgumentOutOfRangeException(nameof(seeds), $"seed index {seed} outside a {height} × {width} window");
            }
        }
    }

    private static float Cell(ReadOnlySpan<float> core, int dr, int dc) => core[(dr + 2) * 5 + dc + 2];

    /// <summary>Sum over rows [rowLow, rowHigh] × columns [columnLow, columnHigh] relative to the seed.</summary>
    private static float Sum(ReadOnlySpan<float> core, int rowLow, int rowHigh, int columnLow, int columnHigh)
    {
        float sum = 0;
        for (int dr = rowLow; dr <= rowHigh; dr++)
        {
            for (int dc = columnLow; dc <= columnHigh; dc++)
            {
                sum += Cell(core, dr, dc);
            }
        }
        return sum;
    }

    private static double Weight(float energy, float e5x5) =>
        energy > 0 && e5x5 > 0 ? Math.Max(0, LogWeightCutoff + Math.Log(energy / e5x5)) : 0;
}
