namespace EnergyRegression.Kernels;

/// <summary>Shower shapes of crystal windows.</summary>
public static class ShowerShapes
{
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
