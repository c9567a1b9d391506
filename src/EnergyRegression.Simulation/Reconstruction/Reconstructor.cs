using EnergyRegression.Physics;
using EnergyRegression.Simulation.Detector;

namespace EnergyRegression.Simulation.Reconstruction;

/// <summary>The true track of an electron (or of a fake's charged hadron): pT at the vertex and at the calorimeter, charge.</summary>
internal readonly record struct TrueTrack(double PtVertex, double PtCalorimeter, int Charge);

/// <summary>Where to look for an object's cluster, and what made it: the true particle (−1 for a fake) and its track.</summary>
internal readonly record struct Candidate(double ImpactEta, double ImpactPhi, int GenIndex, TrueTrack Track);

/// <summary>
/// Builds electron/photon clusters from the crystal readout, in the manner of CMS's barrel
/// reconstruction (CMS, JINST 10 (2015) P08010 and JINST 16 (2021) P05064): the seed is the highest
/// crystal in the 5 × 5 around the impact; 3 × 3 and 5 × 5 sums around it; a supercluster of
/// 5-crystal dominoes in η along a ±17-crystal road in φ (the "hybrid" algorithm, collecting brem
/// spread by the field); log-weighted positions and σiηiη.
/// </summary>
internal sealed class Reconstructor(Readout readout)
{
    public const float SeedThreshold = 1.0f;
    public const int RoadHalfWidth = 17;
    public const float DominoThreshold = 0.35f;
    private const double LogWeightCutoff = 4.7;

    private readonly CalorimeterGeometry _geometry = readout.Geometry;

    /// <summary>Seed crystal of a candidate, or null when none above threshold.</summary>
    public (int Ring, int Phi)? FindSeed(in Candidate candidate)
    {
        int ring0 = _geometry.RingAt(candidate.ImpactEta);
        if (ring0 < 0)
        {
            return null;
        }
        Subdetector subdetector = _geometry.Ring(ring0).Subdetector;
        int phi0 = CalorimeterGeometry.PhiIndexAt(candidate.ImpactPhi);
        float best = SeedThreshold;
        (int, int)? seed = null;
        Span<float> row = stackalloc float[5];
        for (int dr = -2; dr <= 2; dr++)
        {
            int ring = ring0 + dr;
            if (!readout.Exists(ring, subdetector))
            {
                continue;
            }
            readout.ReadRow(ring, phi0 - 2, row);
            for (int dc = 0; dc < 5; dc++)
            {
                if (row[dc] > best)
                {
                    best = row[dc];
                    seed = (ring, CalorimeterGeometry.WrapPhi(phi0 - 2 + dc));
                }
            }
        }
        return seed;
    }

    /// <summary>The cluster quantities of an object seeded at (ring, φ).</summary>
    public (RecoObject Object, double SeedClusterEta) Cluster(int seedRing, int seedPhi)
    {
        ref readonly CrystalRing ring = ref _geometry.Ring(seedRing);
        Subdetector subdetector = ring.Subdetector;
        // The road: 5 rows in η × (2·17 + 1) crystals in φ around the seed; its middle 5 × 5 is the core.
        const int RoadWidth = 2 * RoadHalfWidth + 1;
        Span<float> road = stackalloc float[5 * RoadWidth];
        Span<float> core = stackalloc float[25];
        int dead = 0;
        for (int dr = -2; dr <= 2; dr++)
        {
            Span<float> line = road.Slice((dr + 2) * RoadWidth, RoadWidth);
            if (!readout.Exists(seedRing + dr, subdetector))
            {
                line.Clear();
                continue;
            }
            readout.ReadRow(seedRing + dr, seedPhi - RoadHalfWidth, line);
            line.Slice(RoadHalfWidth - 2, 5).CopyTo(core.Slice((dr + 2) * 5, 5));
            for (int dc = -2; dc <= 2; dc++)
            {
                dead += readout.Conditions.IsDead((seedRing + dr) * CalorimeterGeometry.PhiCount + CalorimeterGeometry.WrapPhi(seedPhi + dc)) ? 1 : 0;
            }
        }
        float e3x3 = 0, e5x5 = 0;
        for (int i = 0; i < 25; i++)
        {
            e5x5 += core[i];
            int dr = i / 5 - 2, dc = i % 5 - 2;
            e3x3 += Math.Abs(dr) <= 1 && Math.Abs(dc) <= 1 ? core[i] : 0;
        }

        // Supercluster: the 5 × 5, plus dominoes of 5 crystals in η above threshold along the φ road.
        double superCluster = 0, sumEta = 0, sumPhi = 0, sumWeight = 0;
        for (int dc = -RoadHalfWidth; dc <= RoadHalfWidth; dc++)
        {
            int column = dc + RoadHalfWidth;
            float domino = 0;
            for (int row = 0; row < 5; row++)
            {
                domino += road[row * RoadWidth + column];
            }
            if (Math.Abs(dc) > 2 && domino < DominoThreshold)
            {
                continue;
            }
            superCluster += domino;
            for (int row = 0; row < 5; row++)
            {
                float e = road[row * RoadWidth + column];
                if (e > 0)
                {
                    sumWeight += e;
                    sumEta += e * (row - 2);
                    sumPhi += e * dc;
                }
            }
        }

        // Log-weighted moments (PHYSICS.md, seed 2): position from the 3 × 3, widths from the 5 × 5.
        double seedEta = _geometry.EtaCentre(seedRing);
        double seedPhiCentre = CalorimeterGeometry.PhiCentre(seedPhi);
        (double etaOffset3, _) = LogWeightedMean(core, e3x3, 1);
        (double etaOffset5, double phiOffset5) = LogWeightedMean(core, e5x5, 2);
        double sieie = 0, sipip = 0, weights = 0;
        for (int i = 0; i < 25; i++)
        {
            double w = core[i] > 0 && e5x5 > 0 ? Math.Max(0, LogWeightCutoff + Math.Log(core[i] / e5x5)) : 0;
            double dEta = (i / 5 - 2) - etaOffset5, dPhi = (i % 5 - 2) - phiOffset5;
            sieie += w * dEta * dEta;
            sipip += w * dPhi * dPhi;
            weights += w;
        }
        float crystalEta = (float)CalorimeterGeometry.BarrelDeltaEta;
        var cluster = new RecoObject
        {
            Energy = (float)superCluster,
            E5x5 = e5x5,
            E3x3 = e3x3,
            EMax = core[12],
            R9 = superCluster > 0 ? (float)(e3x3 / superCluster) : 0,
            SigmaIEtaIEta = weights > 0 ? (float)Math.Sqrt(sieie / weights) * crystalEta : 0,
            SigmaIPhiIPhi = weights > 0 ? (float)Math.Sqrt(sipip / weights) * crystalEta : 0,
            SuperClusterEta = (float)(seedEta + (sumWeight > 0 ? sumEta / sumWeight : 0) * (ring.EtaHigh - ring.EtaLow)),
            SuperClusterPhi = (float)Kinematics.WrapPhi(seedPhiCentre + (sumWeight > 0 ? sumPhi / sumWeight : 0) * CalorimeterGeometry.DeltaPhi),
            SeedIEta = ring.IEta,
            SeedIPhi = seedPhi + 1,
            SeedEta = (float)seedEta,
            SeedPhi = (float)seedPhiCentre,
            IsBarrel = subdetector == Subdetector.Barrel,
            DeadIn5x5 = dead,
        };
        return (cluster, seedEta + etaOffset3 * (ring.EtaHigh - ring.EtaLow));
    }

    /// <summary>Log-weighted mean offset (in crystals) of the central (2h+1)² crystals of the 5 × 5.</summary>
    private static (double Eta, double Phi) LogWeightedMean(ReadOnlySpan<float> core, float total, int h)
    {
        double sumW = 0, sumEta = 0, sumPhi = 0;
        for (int i = 0; i < 25; i++)
        {
            int dr = i / 5 - 2, dc = i % 5 - 2;
            if (Math.Abs(dr) > h || Math.Abs(dc) > h || core[i] <= 0 || total <= 0)
            {
                continue;
            }
            double w = Math.Max(0, LogWeightCutoff + Math.Log(core[i] / total));
            sumW += w;
            sumEta += w * dr;
            sumPhi += w * dc;
        }
        return sumW > 0 ? (sumEta / sumW, sumPhi / sumW) : (0, 0);
    }

    /// <summary>
    /// Fills a window × window crystal image centred on the seed (seed at row = column = window/2;
    /// rows are η, columns φ, wrapping). Crystals outside the 5 × 5 read below the threshold are 0.
    /// </summary>
    public void FillWindow(int seedRing, int seedPhi, int window, float threshold, Span<float> image)
    {
        Subdetector subdetector = _geometry.Ring(seedRing).Subdetector;
        int half = window / 2;
        for (int row = 0; row < window; row++)
        {
            int dr = row - half;
            int ring = seedRing + dr;
            Span<float> line = image.Slice(row * window, window);
            if (!readout.Exists(ring, subdetector))
            {
                line.Clear();
                continue;
            }
            readout.ReadRow(ring, seedPhi - half, line);
            bool centralRow = Math.Abs(dr) <= 2;
            for (int column = 0; column < window; column++)
            {
                bool fullReadout = centralRow && Math.Abs(column - half) <= 2;
                if (!fullReadout && Math.Abs(line[column]) < threshold)
                {
                    line[column] = 0;
                }
            }
        }
    }
}
