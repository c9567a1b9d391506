using EnergyRegression.Kernels.Simd;

namespace EnergyRegression.Kernels;

// The vectorised body of ShowerShapes.Compute: one object per lane. Each block of TLanes.Count objects
// is gathered into a structure of arrays (25 cells × lanes, the 5 × 5 around each seed), then every
// variable is computed for the whole block with the same operations, in the same order, as the scalar
// reference does for one object, so sums and maxima are bit-identical to it.
public static partial class ShowerShapes
{
    private const int MaxLanes = 16; // 512 bits of float

    private static void ComputeLanes<TVector, TLanes>(ReadOnlySpan<float> windows, int height, int width,
        ReadOnlySpan<int> seeds, ReadOnlySpan<float> rawEnergies, Span<float> output)
        where TVector : unmanaged
        where TLanes : ILanes<TVector>
    {
        int lanes = TLanes.Count, n = seeds.Length;
        Span<float> core = stackalloc float[25 * MaxLanes];
        Span<float> raw = stackalloc float[MaxLanes];
        Span<float> spill = stackalloc float[MaxLanes];
        for (int start = 0; start < n; start += lanes)
        {
            int count = Math.Min(lanes, n - start);
            Gather(windows, height, width, seeds.Slice(start, count), start, core, lanes);
            raw.Clear();
            rawEnergies.Slice(start, count).CopyTo(raw);
            var block = new Block<TVector, TLanes>(core, lanes, output, n, start, count, spill);
            block.Compute(TLanes.Load(raw));
        }
    }

    /// <summary>Copies the 5 × 5 around each seed into <paramref name="core"/>[cell × lanes + lane]; crystals beyond the window and unused lanes are 0.</summary>
    private static void Gather(ReadOnlySpan<float> windows, int height, int width, ReadOnlySpan<int> seeds, int firstWindow,
        Span<float> core, int lanes)
    {
        core[..(25 * lanes)].Clear();
        int size = height * width;
        for (int lane = 0; lane < seeds.Length; lane++)
        {
            ReadOnlySpan<float> window = windows.Slice((firstWindow + lane) * size, size);
            int seedRow = seeds[lane] / width, seedColumn = seeds[lane] % width;
            for (int dr = -2; dr <= 2; dr++)
            {
                int row = seedRow + dr;
                if ((uint)row >= (uint)height)
                {
                    continue;
                }
                for (int dc = -2; dc <= 2; dc++)
                {
                    int column = seedColumn + dc;
                    if ((uint)column < (uint)width)
                    {
                        core[((dr + 2) * 5 + dc + 2) * lanes + lane] = window[row * width + column];
                    }
                }
            }
        }
    }

    /// <summary>One block of objects in flight: reads cells from the gathered core, writes variable rows of the output.</summary>
    private readonly ref struct Block<TVector, TLanes>(Span<float> core, int lanes, Span<float> output, int n, int start, int count,
        Span<float> spill)
        where TVector : unmanaged
        where TLanes : ILanes<TVector>
    {
        private readonly Span<float> _core = core;
        private readonly Span<float> _output = output;
        private readonly Span<float> _spill = spill;

        public void Compute(TVector raw)
        {
            TVector zero = TLanes.Create(0);
            TVector eMax = Cell(0, 0), e3x3 = Sum(-1, 1, -1, 1), e5x5 = Sum(-2, 2, -2, 2);
            Put(ShowerShapeVariable.EMax, eMax);
            Put(ShowerShapeVariable.E3x3, e3x3);
            Put(ShowerShapeVariable.E5x5, e5x5);
            Put(ShowerShapeVariable.E1x5, Sum(0, 0, -2, 2));
            Put(ShowerShapeVariable.E2x5Left, Sum(-2, 2, -2, -1));
            Put(ShowerShapeVariable.E2x5Right, Sum(-2, 2, 1, 2));
            Put(ShowerShapeVariable.E2x5Top, Sum(1, 2, -2, 2));
            Put(ShowerShapeVariable.E2x5Bottom, Sum(-2, -1, -2, 2));
            Put(ShowerShapeVariable.E2x5Max, TLanes.Max(Sum(-1, 0, -2, 2), Sum(0, 1, -2, 2)));
            Put(ShowerShapeVariable.ELeft, Cell(0, -1));
            Put(ShowerShapeVariable.ERight, Cell(0, 1));
            Put(ShowerShapeVariable.ETop, Cell(1, 0));
            Put(ShowerShapeVariable.EBottom, Cell(-1, 0));
            TVector second = TLanes.Create(float.NegativeInfinity);
            for (int dr = -1; dr <= 1; dr++)
            {
                for (int dc = -1; dc <= 1; dc++)
                {
                    if (dr != 0 || dc != 0)
                    {
                        second = TLanes.Max(second, Cell(dr, dc));
                    }
                }
            }
            Put(ShowerShapeVariable.E2nd, second);
            Put(ShowerShapeVariable.R9, Ratio(e3x3, raw, zero));
            Put(ShowerShapeVariable.E3x3OverE5x5, Ratio(e3x3, e5x5, zero));
            Put(ShowerShapeVariable.EMaxOverE3x3, Ratio(eMax, e3x3, zero));
            Moments(e5x5, zero);
        }

        /// <summary>Log-weighted centroid and widths of the 5 × 5: w = max(0, W0 + ln(E_i / E5x5)) where E_i, E5x5 &gt; 0.</summary>
        private void Moments(TVector e5x5, TVector zero)
        {
            Span<TVector> weights = stackalloc TVector[25];
            TVector cutoff = TLanes.Create(LogWeightCutoff);
            TVector sumW = zero, sumEta = zero, sumPhi = zero;
            for (int i = 0; i < 25; i++)
            {
                TVector energy = Load(i);
                TVector w = TLanes.Max(zero, TLanes.Add(cutoff, TLanes.Log(TLanes.Divide(energy, e5x5))));
                w = TLanes.KeepWhereGreater(e5x5, zero, TLanes.KeepWhereGreater(energy, zero, w));
                weights[i] = w;
                sumW = TLanes.Add(sumW, w);
                sumEta = TLanes.Add(sumEta, TLanes.Multiply(w, TLanes.Create(i / 5 - 2)));
                sumPhi = TLanes.Add(sumPhi, TLanes.Multiply(w, TLanes.Create(i % 5 - 2)));
            }
            TVector meanEta = TLanes.KeepWhereGreater(sumW, zero, TLanes.Divide(sumEta, sumW));
            TVector meanPhi = TLanes.KeepWhereGreater(sumW, zero, TLanes.Divide(sumPhi, sumW));
            TVector varEta = zero, varPhi = zero;
            for (int i = 0; i < 25; i++)
            {
                TVector dEta = TLanes.Subtract(TLanes.Create(i / 5 - 2), meanEta);
                TVector dPhi = TLanes.Subtract(TLanes.Create(i % 5 - 2), meanPhi);
                varEta = TLanes.Add(varEta, TLanes.Multiply(weights[i], TLanes.Multiply(dEta, dEta)));
                varPhi = TLanes.Add(varPhi, TLanes.Multiply(weights[i], TLanes.Multiply(dPhi, dPhi)));
            }
            TVector crystal = TLanes.Create(CrystalEta);
            Put(ShowerShapeVariable.CentroidEta, meanEta);
            Put(ShowerShapeVariable.CentroidPhi, meanPhi);
            Put(ShowerShapeVariable.SigmaIEtaIEta,
                TLanes.KeepWhereGreater(sumW, zero, TLanes.Multiply(TLanes.Sqrt(TLanes.Divide(varEta, sumW)), crystal)));
            Put(ShowerShapeVariable.SigmaIPhiIPhi,
                TLanes.KeepWhereGreater(sumW, zero, TLanes.Multiply(TLanes.Sqrt(TLanes.Divide(varPhi, sumW)), crystal)));
        }

        private static TVector Ratio(TVector numerator, TVector denominator, TVector zero) =>
            TLanes.KeepWhereGreater(denominator, zero, TLanes.Divide(numerator, denominator));

        private TVector Load(int cell) => TLanes.Load(_core.Slice(cell * lanes, lanes));

        private TVector Cell(int dr, int dc) => Load((dr + 2) * 5 + dc + 2);

        /// <summary>Sum over rows × columns relative to the seed, rows outer, starting from 0, as the reference adds.</summary>
        private TVector Sum(int rowLow, int rowHigh, int columnLow, int columnHigh)
        {
            TVector sum = TLanes.Create(0);
            for (int dr = rowLow; dr <= rowHigh; dr++)
            {
                for (int dc = columnLow; dc <= columnHigh; dc++)
                {
                    sum = TLanes.Add(sum, Cell(dr, dc));
                }
            }
            return sum;
        }

        private void Put(ShowerShapeVariable variable, TVector value)
        {
            Span<float> row = _output.Slice((int)variable * n + start);
            if (count == lanes)
            {
                TLanes.Store(value, row);
            }
            else
            {
                TLanes.Store(value, _spill);
                _spill[..count].CopyTo(row);
            }
        }
    }
}
