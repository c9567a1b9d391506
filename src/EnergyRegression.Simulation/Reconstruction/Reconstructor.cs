using EnergyRegression.Physics;
using EnergyRegression.Simulation.Detector;

namespace EnergyRegression.Simulation.Reconstruction;

/// <summary>The true track of an electron (or of a fake's charged hadron): pT at the vertex and at the calorimeter, charge.</summary>
internal readonly record struct TrueTrack(double PtVertex, double PtCalorimeter, int Charge);

/// <summary>Where to look for an object's cluster, and what made it: the true particle (−1 for a fake) and its track.</summary>
internal readonly record struct Candidate(double ImpactEta, double ImpactPhi, int GenIndex, TrueTrack Track);

/// <summary>What the preshower measured of one shower, at the shower's impact.</summary>
internal readonly record struct PreshowerHit(double Eta, double Phi, double Energy);

/// <summary>
/// Builds electron/photon clusters from the crystal readout, in the manner of CMS's "hybrid" supercluster
/// algorithm (CMS, JINST 10 (2015) P08010, section 3; CMS Note 2006/040): the seed is the highest crystal in the
/// 5 × 5 around the impact; along a road of ±17 crystals in φ (where the field spreads the brem) every φ column gives a
/// "domino" of the 5 crystals in η centred on the seed's row; dominoes above <see cref="Thresholds"/>' domino
/// threshold join, contiguous dominoes form sub-clusters, and a sub-cluster is kept when its largest domino passes the
/// sub-cluster seed threshold (the seed's own 5 × 5 columns always count). What lies outside the η window or the
/// road, in a sub-cluster too soft to be seeded, or in a domino below threshold, is lost — the supercluster's low
/// tail. 3 × 3 and 5 × 5 sums and log-weighted shapes come from the seed's 5 × 5; the preshower energy (endcaps) is
/// what the preshower measured under the kept sub-clusters.
/// </summary>
internal sealed class Reconstructor(Readout readout)
{
    public const float SeedThreshold = 1.0f;
    public const int RoadHalfWidth = 17;
    private const double LogWeightCutoff = 4.7;

    /// <summary>
    /// Thresholds of the supercluster (GeV): a crystal outside the seed's 3 × 3 counts when it reads more than twice its
    /// noise (CMS's particle-flow rechit thresholds, 80 MeV in the barrel and 300 MeV in the endcaps); the barrel's
    /// domino and sub-cluster seed thresholds are CMS's hybrid values (0.1 and 0.35 GeV); the endcaps' noise is
    /// 150 MeV per crystal, so their dominoes need 0.5 GeV and their sub-clusters 1.5 GeV.
    /// </summary>
    public static (float Crystal, float Domino, float SubClusterSeed) Thresholds(Subdetector subdetector) =>
        subdetector == Subdetector.Barrel ? (0.08f, 0.10f, 0.35f) : (0.30f, 0.50f, 1.5f);

    /// <summary>Non-seed sub-clusters whose energy and position are reported, largest first.</summary>
    public const int ReportedClusters = 3;

    private readonly CalorimeterGeometry _geometry = readout.Geometry;

    /// <summary>Seed crystal of a candidate, or null when none above threshold.</summary>
    public (int Ring, int Phi)? FindSeed(in Candidate candidate)
    {
        int ring0 = _geometry.RingAt(candidate.ImpactEta);
        if (ring0 < 0)
        {
            return null;
        }
        ref readonly CrystalRing hit = ref _geometry.Ring(ring0);
        Subdetector subdetector = hit.Subdetector;
        int phi0 = hit.PhiIndexAt(candidate.ImpactPhi);
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
                    seed = (ring, hit.WrapPhi(phi0 - 2 + dc));
                }
            }
        }
        return seed;
    }

    /// <summary>The cluster quantities of an object seeded at (ring, φ); <paramref name="preshower"/> holds the event's preshower hits.</summary>
    public (RecoObject Object, double SeedClusterEta) Cluster(int seedRing, int seedPhi, ReadOnlySpan<PreshowerHit> preshower)
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
            ref readonly CrystalRing rowRing = ref _geometry.Ring(seedRing + dr);
            for (int dc = -2; dc <= 2; dc++)
            {
                dead += readout.Conditions.IsDead(rowRing.Crystal(seedPhi + dc)) ? 1 : 0;
            }
        }
        float e3x3 = 0, e5x5 = 0;
        for (int i = 0; i < 25; i++)
        {
            e5x5 += core[i];
            int dr = i / 5 - 2, dc = i % 5 - 2;
            e3x3 += Math.Abs(dr) <= 1 && Math.Abs(dc) <= 1 ? core[i] : 0;
        }

        var thresholds = Thresholds(subdetector);
        for (int i = 0; i < road.Length; i++)
        {
            bool inSeed3x3 = Math.Abs(i / RoadWidth - 2) <= 1 && Math.Abs(i % RoadWidth - RoadHalfWidth) <= 1;
            if (!inSeed3x3 && road[i] < thresholds.Crystal)
            {
                road[i] = 0;
            }
        }
        SuperCluster sc = BuildSuperCluster(road, (thresholds.Domino, thresholds.SubClusterSeed));

        // Log-weighted moments (PHYSICS.md, seed 2): position from the 3 × 3, widths from the 5 × 5.
        double seedEta = ring.EtaCentre;
        double seedPhiCentre = ring.PhiCentre(seedPhi);
        (double etaOffset3, double phiOffset3) = LogWeightedMean(core, e3x3, 1);
        (double etaOffset5, double phiOffset5) = LogWeightedMean(core, e5x5, 2);
        double sieie = 0, sipip = 0, weights = 0;
        float e2nd = 0;
        for (int i = 0; i < 25; i++)
        {
            double w = core[i] > 0 && e5x5 > 0 ? Math.Max(0, LogWeightCutoff + Math.Log(core[i] / e5x5)) : 0;
            double dEta = (i / 5 - 2) - etaOffset5, dPhi = (i % 5 - 2) - phiOffset5;
            sieie += w * dEta * dEta;
            sipip += w * dPhi * dPhi;
            weights += w;
            if (i != 12 && core[i] > e2nd)
            {
                e2nd = core[i];
            }
        }
        float crystalEta = (float)CalorimeterGeometry.BarrelDeltaEta;
        double deltaEta = ring.DeltaEta, deltaPhi = ring.DeltaPhi;
        double preshowerEnergy = subdetector == Subdetector.Endcap ? PreshowerUnder(sc, ring, seedPhi, preshower) : 0;
        var cluster = new RecoObject
        {
            Energy = (float)sc.Energy,
            E5x5 = e5x5,
            E3x3 = e3x3,
            EMax = core[12],
            E2nd = e2nd,
            ETop = core[17],
            EBottom = core[7],
            ELeft = core[11],
            ERight = core[13],
            E1x5 = Column(core, 0),
            E2x5Max = Math.Max(Column(core, -1), Column(core, 1)) + Column(core, 0),
            R9 = sc.Energy > 0 ? (float)(e3x3 / sc.Energy) : 0,
            SigmaIEtaIEta = weights > 0 ? (float)Math.Sqrt(sieie / weights) * crystalEta : 0,
            SigmaIPhiIPhi = weights > 0 ? (float)Math.Sqrt(sipip / weights) * crystalEta : 0,
            SuperClusterEta = (float)(seedEta + sc.EtaOffset * deltaEta),
            SuperClusterPhi = (float)Kinematics.WrapPhi(seedPhiCentre + sc.PhiOffset * deltaPhi),
            EtaWidth = (float)(sc.EtaWidth * deltaEta),
            PhiWidth = (float)(sc.PhiWidth * deltaPhi),
            SeedClusterEnergy = (float)sc.SeedClusterEnergy,
            Clusters = sc.Count,
            PreshowerEnergy = (float)preshowerEnergy,
            CrystalEta = (float)etaOffset3,
            CrystalPhi = (float)phiOffset3,
            SeedIEta = ring.IEta,
            SeedIPhi = seedPhi + 1,
            SeedEta = (float)seedEta,
            SeedPhi = (float)seedPhiCentre,
            IsBarrel = subdetector == Subdetector.Barrel,
            DeadIn5x5 = dead,
        };
        for (int k = 0; k < ReportedClusters; k++)
        {
            SubCluster c = k < sc.Others.Length ? sc.Others[k] : default;
            bool present = c.Energy > 0;
            cluster.SetCluster(k, (float)c.Energy,
                present ? (float)((c.EtaOffset - sc.SeedCluster.EtaOffset) * deltaEta) : 0,
                present ? (float)((c.PhiOffset - sc.SeedCluster.PhiOffset) * deltaPhi) : 0);
        }
        return (cluster, seedEta + etaOffset3 * deltaEta);
    }

    /// <summary>The η strip of the 5 × 5 at φ offset <paramref name="dc"/> from the seed.</summary>
    private static float Column(ReadOnlySpan<float> core, int dc) =>
        core[dc + 2] + core[5 + dc + 2] + core[10 + dc + 2] + core[15 + dc + 2] + core[20 + dc + 2];

    /// <summary>A sub-cluster: its energy and energy-weighted centre, in crystals from the seed.</summary>
    internal readonly record struct SubCluster(double Energy, double EtaOffset, double PhiOffset, int FirstColumn, int LastColumn);

    /// <summary>A supercluster: energy, centre and widths (crystals from the seed), its seed sub-cluster and the others by energy.</summary>
    internal readonly record struct SuperCluster(
        double Energy, double EtaOffset, double PhiOffset, double EtaWidth, double PhiWidth,
        SubCluster SeedCluster, SubCluster[] Others)
    {
        public double SeedClusterEnergy => SeedCluster.Energy;

        public int Count => 1 + Others.Length;
    }

    /// <summary>
    /// The hybrid supercluster of a road of 5 rows × (2·17 + 1) columns centred on the seed (row-major): dominoes,
    /// contiguous runs above the domino threshold, runs kept by their seed domino; then centre and widths
    /// (σ² = Σ E_i (x_i − x̄)² / Σ E_i over the kept crystals with E_i &gt; 0, as CMS's η and φ widths).
    /// </summary>
    internal static SuperCluster BuildSuperCluster(ReadOnlySpan<float> road, (float Domino, float SubClusterSeed) thresholds)
    {
        const int RoadWidth = 2 * RoadHalfWidth + 1;
        Span<float> domino = stackalloc float[RoadWidth];
        Span<bool> inRun = stackalloc bool[RoadWidth];
        for (int column = 0; column < RoadWidth; column++)
        {
            float sum = 0;
            for (int row = 0; row < 5; row++)
            {
                sum += road[row * RoadWidth + column];
            }
            domino[column] = sum;
            // The seed's 5 × 5 columns are read out in full and always belong to the seed sub-cluster.
            inRun[column] = Math.Abs(column - RoadHalfWidth) <= 2 || sum > thresholds.Domino;
        }
        SubCluster seed = default;
        var others = new List<SubCluster>();
        Span<bool> kept = stackalloc bool[RoadWidth];
        for (int first = 0; first < RoadWidth;)
        {
            if (!inRun[first])
            {
                first++;
                continue;
            }
            int last = first;
            float peak = domino[first];
            while (last + 1 < RoadWidth && inRun[last + 1])
            {
                last++;
                peak = Math.Max(peak, domino[last]);
            }
            bool isSeed = first <= RoadHalfWidth && RoadHalfWidth <= last;
            if (isSeed || peak > thresholds.SubClusterSeed)
            {
                SubCluster run = Moments(road, first, last);
                if (isSeed)
                {
                    seed = run;
                }
                else if (run.Energy > 0)
                {
                    others.Add(run);
                }
                kept[first..(last + 1)].Fill(true);
            }
            first = last + 1;
        }
        others.Sort((a, b) => b.Energy.CompareTo(a.Energy));

        double energy = 0, sumEta = 0, sumPhi = 0, positive = 0;
        for (int column = 0; column < RoadWidth; column++)
        {
            if (!kept[column])
            {
                continue;
            }
            energy += domino[column];
            for (int row = 0; row < 5; row++)
            {
                float e = road[row * RoadWidth + column];
                if (e > 0)
                {
                    positive += e;
                    sumEta += e * (row - 2);
                    sumPhi += e * (column - RoadHalfWidth);
                }
            }
        }
        double etaCentre = positive > 0 ? sumEta / positive : 0, phiCentre = positive > 0 ? sumPhi / positive : 0;
        double etaSpread = 0, phiSpread = 0;
        for (int column = 0; column < RoadWidth; column++)
        {
            if (!kept[column])
            {
                continue;
            }
            for (int row = 0; row < 5; row++)
            {
                float e = road[row * RoadWidth + column];
                if (e > 0)
                {
                    etaSpread += e * (row - 2 - etaCentre) * (row - 2 - etaCentre);
                    phiSpread += e * (column - RoadHalfWidth - phiCentre) * (column - RoadHalfWidth - phiCentre);
                }
            }
        }
        return new SuperCluster(energy, etaCentre, phiCentre,
            positive > 0 ? Math.Sqrt(etaSpread / positive) : 0, positive > 0 ? Math.Sqrt(phiSpread / positive) : 0,
            seed, [.. others]);
    }

    /// <summary>Energy and energy-weighted centre (positive crystals) of the columns first … last of a road.</summary>
    private static SubCluster Moments(ReadOnlySpan<float> road, int first, int last)
    {
        const int RoadWidth = 2 * RoadHalfWidth + 1;
        double energy = 0, positive = 0, sumEta = 0, sumPhi = 0;
        for (int column = first; column <= last; column++)
        {
            for (int row = 0; row < 5; row++)
            {
                float e = road[row * RoadWidth + column];
                energy += e;
                if (e > 0)
                {
                    positive += e;
                    sumEta += e * (row - 2);
                    sumPhi += e * (column - RoadHalfWidth);
                }
            }
        }
        return new SubCluster(energy, positive > 0 ? sumEta / positive : 0, positive > 0 ? sumPhi / positive : 0, first, last);
    }

    /// <summary>The preshower energy measured within the supercluster's η window and its kept sub-clusters' φ columns.</summary>
    private static double PreshowerUnder(in SuperCluster sc, in CrystalRing seedRing, int seedPhi, ReadOnlySpan<PreshowerHit> hits)
    {
        double sum = 0;
        foreach (PreshowerHit hit in hits)
        {
            double rows = (hit.Eta - seedRing.EtaCentre) / seedRing.DeltaEta;
            if (Math.Abs(rows) > 2.5)
            {
                continue;
            }
            int column = (int)Math.Round(Kinematics.DeltaPhi(hit.Phi, seedRing.PhiCentre(seedPhi)) / seedRing.DeltaPhi);
            bool under = column >= sc.SeedCluster.FirstColumn - RoadHalfWidth && column <= sc.SeedCluster.LastColumn - RoadHalfWidth;
            foreach (SubCluster other in sc.Others)
            {
                under |= column >= other.FirstColumn - RoadHalfWidth && column <= other.LastColumn - RoadHalfWidth;
            }
            sum += under ? hit.Energy : 0;
        }
        return sum;
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
