using EnergyRegression.Physics;
using EnergyRegression.Simulation.Detector;
using EnergyRegression.Simulation.Randomness;

namespace EnergyRegression.Simulation.Showers;

/// <summary>
/// Electromagnetic showers in PbWO4 from the Grindhammer–Peters parameterisation for homogeneous
/// media (G. Grindhammer, S. Peters, hep-ex/0001020, section 3 and appendix A; the same numbers as
/// Geant4's GFlashHomoShowerParameterisation). Per shower:
/// <list type="number">
/// <item>ln T and ln α of the longitudinal gamma profile are drawn as correlated Gaussians
/// (⟨ln T⟩ = ln(ln y − 0.812), σ = 1/(−1.4 + 1.26 ln y); ⟨ln α⟩ = ln(0.81 + (0.458 + 2.26/Z) ln y),
/// σ = 1/(−0.58 + 0.86 ln y); ρ = 0.705 − 0.023 ln y), y = E/E_c; β = (α − 1)/T. Photons start
/// deeper: T + 1 X0 (the t_max difference of electrons and photons, PDG "Passage of particles
/// through matter", eq. 34.36).</item>
/// <item>The depth is cut into slices in τ = t/T; each gets the gamma profile's share of the energy,
/// P(α, βt₂) − P(α, βt₁); what lies beyond the crystal length (25.8 X0) leaks out of the back.</item>
/// <item>In each slice the radial profile is a core and a tail, f(r) = p·f_C(r) + (1−p)·f_T(r),
/// f(r) = 2rR²/(r²+R²)², with R_C, R_T and p functions of τ and E (appendix A), in Molière radii;
/// it is integrated exactly over each crystal face (<see cref="LateralIntegral"/>); of the part over
/// the gaps between modules 65% reaches the neighbouring crystals (<see cref="GapRetained"/>), what falls
/// outside the detector is lost.</item>
/// <item>Fluctuations: a per-shower constant term, and photo-statistics per crystal — Gaussian with
/// variance a²·E_crystal, so the sum over any cluster has variance a²·E_cluster.</item>
/// <item>Local containment: the walls between crystals (alveolar structure and gaps, ≈ 0.5 mm in CMS, crossed at a
/// small angle because the crystals point 3° off the vertex) absorb the part of the shower that crosses them, so the
/// response depends on where the shower hits a crystal (<see cref="WallContainment"/>).</item>
/// <item>The preshower (endcaps, 1.653 &lt; |η| &lt; 2.6): 3 X0 of lead in front of the crystals absorb the first part
/// of the shower; silicon after the lead samples it (<see cref="PreshowerLeadX0"/>).</item>
/// </list>
/// </summary>
internal sealed class ShowerModel
{
    public const double CriticalEnergyGeV = 0.00874;
    public const double EffectiveZ = 68.4;
    public const double CrystalDepthX0 = 25.8;

    /// <summary>Depth of the endcap crystals: 22 cm of PbWO4 (CMS ECAL TDR, CERN/LHCC 97-33).</summary>
    public const double EndcapCrystalDepthX0 = 24.7;

    /// <summary>
    /// Lead in front of the endcap crystals in the preshower's acceptance: two absorbers of 2 X0 and 1 X0, each followed
    /// by a silicon plane (CMS ECAL TDR addendum, CERN/LHCC 2002-027). The energy a shower leaves in them is lost to the
    /// crystals; the silicon measures it with <see cref="PreshowerSampling"/> relative fluctuations.
    /// </summary>
    public const double PreshowerLeadX0 = 3.0;

    /// <summary>Relative fluctuation of the preshower's measurement of the energy left in its lead (sampling of 2 planes of 320 µm silicon).</summary>
    public const double PreshowerSampling = 0.4;

    /// <summary>
    /// Effective width of the wall between two crystals, in crystal widths, for <see cref="WallContainment"/>: tuned so
    /// that a shower at a crystal's edge keeps ≈ 1% less, at a corner ≈ 2% less than at its centre, the local
    /// containment variation CMS corrects (CMS, JINST 8 (2013) P09009, section 5; the size of the seed-crystal
    /// position dependence of E3x3 and the supercluster energy).
    /// </summary>
    public const double WallWidth = 0.0035;

    /// <summary>
    /// How far (in crystal widths) the shower axis wanders across a crystal over the shower's depth: CMS crystals point
    /// 3° away from the vertex, so over ≈ 10 X0 the axis moves ≈ 4.5 mm ≈ 0.2 crystal. It widens the shower's core in
    /// <see cref="WallContainment"/>.
    /// </summary>
    public const double AxisWander = 0.15;
    public const double MoliereRadiusCm = 2.19;

    /// <summary>
    /// Part of the shower-to-shower fluctuation of the rear leakage kept. Grindhammer–Peters's
    /// fluctuations of ln T and ln α, applied in full to 25.8 X0 crystals, spread the leakage by
    /// ≈ 0.9% at 100 GeV — three times the whole constant term the CMS test beam measured (0.3%);
    /// 15% keeps a low-side leakage tail and contributes ≈ 0.14% to the constant term.
    /// </summary>
    public const double LeakageFluctuationScale = 0.15;

    /// <summary>
    /// Scale of the radial profile's radii, tuned so that photons at a crystal's centre leave 94% of
    /// their energy in the 3 × 3 and 97% in the 5 × 5 (CMS ECAL TDR, CERN/LHCC 97-33, section 1.2).
    /// </summary>
    public const double LateralScale = 0.85;

    /// <summary>Crystals integrated on each side of the impact crystal: a 9 × 9 region.</summary>
    public const int HalfWidth = 4;

    private static readonly double[] TauEdges = [0, 0.8, 1.6, double.PositiveInfinity];

    /// <summary>A core narrower than this (crystal widths) is integrated exactly within <see cref="CoreReach"/> of the axis only (<see cref="LateralIntegral.AddNarrow"/>).</summary>
    private const double NarrowCore = 0.4, CoreReach = 2.5;

    /// <summary>Below this energy (GeV) a shower — mostly soft brem photons — gets one depth slice and a 5 × 5 region.</summary>
    public const double SoftShowerEnergy = 2.0;

    /// <summary>Below this energy (GeV) a shower is deposited in the crystal it hits, without a profile.</summary>
    public const double PointDepositEnergy = 0.2;

    private static readonly double[] SoftTauEdges = [0, double.PositiveInfinity];

    private readonly CalorimeterGeometry _geometry;
    private readonly double _stochastic;
    private readonly double _constant;

    /// <param name="geometry">The crystals.</param>
    /// <param name="stochastic">Photo-statistics term a (relative, at 1 GeV) applied per crystal.</param>
    /// <param name="constant">Relative per-shower smearing.</param>
    public ShowerModel(CalorimeterGeometry geometry, double stochastic, double constant)
    {
        _geometry = geometry;
        _stochastic = stochastic;
        _constant = constant;
    }

    /// <summary>Longitudinal parameters of one shower (after fluctuation).</summary>
    public readonly record struct Longitudinal(double T, double Alpha, double Beta);

    /// <summary>The average longitudinal profile: T = ln y − 0.858, α = 0.21 + (0.492 + 2.38/Z) ln y (PHYSICS.md).</summary>
    public static Longitudinal MeanLongitudinal(double energy, bool photon)
    {
        double lnY = Math.Log(Math.Max(energy, 0.05) / CriticalEnergyGeV);
        double t = Math.Max(lnY - 0.858, 0.5) + (photon ? 1 : 0);
        double alpha = Math.Max(0.21 + (0.492 + 2.38 / EffectiveZ) * lnY, 1.05);
        return new Longitudinal(t, alpha, (alpha - 1) / t);
    }

    /// <summary>Draws the longitudinal profile of one shower.</summary>
    public static Longitudinal SampleLongitudinal(double energy, bool photon, ref RandomStream random)
    {
        double lnY = Math.Log(Math.Max(energy, 0.05) / CriticalEnergyGeV);
        double meanLnT = Math.Log(Math.Max(lnY - 0.812, 0.1));
        double sigmaLnT = Math.Min(0.5, 1 / (-1.4 + 1.26 * lnY));
        double meanLnAlpha = Math.Log(Math.Max(0.81 + (0.458 + 2.26 / EffectiveZ) * lnY, 0.1));
        double sigmaLnAlpha = Math.Min(0.5, 1 / (-0.58 + 0.86 * lnY));
        double rho = Math.Clamp(0.705 - 0.023 * lnY, -1, 1);
        double z1 = random.NextGaussian();
        double z2 = random.NextGaussian();
        double t = Math.Exp(meanLnT + sigmaLnT * z1);
        double alpha = Math.Exp(meanLnAlpha + sigmaLnAlpha * (rho * z1 + Math.Sqrt(1 - rho * rho) * z2));
        alpha = Math.Max(alpha, 1.05);
        if (photon)
        {
            t += 1;
        }
        return new Longitudinal(t, alpha, (alpha - 1) / t);
    }

    /// <summary>Radial parameters at depth τ = t/T for energy E (hep-ex/0001020, appendix A, homogeneous media).</summary>
    public static (double CoreRadius, double TailRadius, double CoreWeight) Radial(double tau, double energy)
    {
        double lnE = Math.Log(Math.Max(energy, 0.05));
        double coreRadius = 0.0251 + 0.00319 * lnE + (0.1162 - 0.000381 * EffectiveZ) * tau;
        double k1 = 0.659 - 0.00309 * EffectiveZ;
        const double K2 = 0.645, K3 = -2.59;
        double k4 = 0.3585 + 0.0421 * lnE;
        double tailRadius = k1 * (Math.Exp(K3 * (tau - K2)) + Math.Exp(k4 * (tau - K2)));
        double p1 = 2.632 - 0.00094 * EffectiveZ;
        double p2 = 0.401 + 0.00187 * EffectiveZ;
        double p3 = 1.313 - 0.0686 * lnE;
        double x = (p2 - tau) / p3;
        double coreWeight = Math.Clamp(p1 * Math.Exp(x - Math.Exp(x)), 0, 1);
        return (coreRadius, tailRadius, coreWeight);
    }

    /// <summary>
    /// Showers <paramref name="energy"/> GeV entering the calorimeter at (η, φ) and adds the deposits
    /// to <paramref name="target"/>. Returns false when the point is outside the crystals.
    /// </summary>
    public bool Deposit(double energy, bool photon, double eta, double phi, ref RandomStream random, CrystalEnergies target) =>
        Deposit(energy, photon, eta, phi, ref random, target, out _);

    /// <summary>
    /// As <see cref="Deposit(double, bool, double, double, ref RandomStream, CrystalEnergies)"/>;
    /// <paramref name="preshowerEnergy"/> is what the preshower measures of the shower (0 outside it).
    /// </summary>
    public bool Deposit(double energy, bool photon, double eta, double phi, ref RandomStream random, CrystalEnergies target, out double preshowerEnergy)
    {
        preshowerEnergy = 0;
        int ring = _geometry.RingAt(eta);
        if (ring < 0 || !(energy > 0))
        {
            return false;
        }
        ref readonly CrystalRing hitRing = ref _geometry.Ring(ring);
        int phiIndex = hitRing.PhiIndexAt(phi);
        bool preshower = hitRing.Subdetector == Subdetector.Endcap && CalorimeterGeometry.InPreshower(eta);
        if (energy < PointDepositEnergy)
        {
            // Far below the noise of a 3 × 3: not worth a profile (nor a preshower measurement).
            target.Add(hitRing.Crystal(phiIndex), (float)(energy * (1 + _stochastic / Math.Sqrt(energy) * random.NextGaussian())));
            return true;
        }
        double u0 = (eta - hitRing.EtaLow) / hitRing.DeltaEta;
        double phiOffset = Kinematics.DeltaPhi(phi, hitRing.PhiLow(phiIndex));
        double v0 = Math.Clamp(phiOffset / hitRing.DeltaPhi, 0, 1);
        double crystalsPerMoliere = LateralScale * MoliereRadiusCm / hitRing.CrystalSizeCm;

        // Cell edges in crystal widths from the shower axis; gap strips become cells of their own, so a
        // side of 2·HalfWidth + 1 crystals has at most twice that many cells.
        const int MaxCells = 2 * (2 * HalfWidth + 1);
        Span<double> xEdges = stackalloc double[MaxCells + 1];
        Span<int> xOwner = stackalloc int[MaxCells];
        bool soft = energy < SoftShowerEnergy;
        int halfWidth = soft ? 2 : HalfWidth;
        int xCells = BuildEtaEdges(ring, hitRing.Subdetector, u0, halfWidth, xEdges, xOwner);
        Span<double> yEdges = stackalloc double[MaxCells + 1];
        Span<int> yOwner = stackalloc int[MaxCells];
        int yCells = BuildPhiEdges(hitRing, phiIndex, v0, halfWidth, yEdges, yOwner);

        Span<double> fractions = stackalloc double[xCells * yCells];
        fractions.Clear();
        // The lateral spread follows the mean longitudinal profile; the shower's own (fluctuated)
        // profile sets how much leaks out of the back.
        Longitudinal mean = MeanLongitudinal(energy, photon);
        Longitudinal profile = SampleLongitudinal(energy, photon, ref random);
        // In the preshower the crystals start after its lead: shower depth = crystal depth + PreshowerLeadX0.
        double front = preshower ? PreshowerLeadX0 : 0;
        double back = front + (hitRing.Subdetector == Subdetector.Barrel ? CrystalDepthX0 : EndcapCrystalDepthX0);
        double contained = 1 + LeakageFluctuationScale * (
            SpecialFunctions.RegularizedLowerGamma(profile.Alpha, profile.Beta * back)
            / SpecialFunctions.RegularizedLowerGamma(mean.Alpha, mean.Beta * back) - 1);
        double previousCdf = 0;
        if (preshower)
        {
            // The lead keeps the shower's own (fluctuated) first PreshowerLeadX0; the silicon measures it.
            double lead = SpecialFunctions.RegularizedLowerGamma(profile.Alpha, profile.Beta * front);
            preshowerEnergy = Math.Max(0, energy * lead * (1 + PreshowerSampling * random.NextGaussian()));
            previousCdf = SpecialFunctions.RegularizedLowerGamma(mean.Alpha, mean.Beta * front);
            contained *= (1 - lead) / Math.Max(1e-9, 1 - previousCdf);
        }
        double[] tauEdges = soft ? SoftTauEdges : TauEdges;
        for (int s = 0; s + 1 < tauEdges.Length; s++)
        {
            double tLow = Math.Max(tauEdges[s] * mean.T, front);
            if (tLow >= back)
            {
                break;
            }
            double tHigh = Math.Min(tauEdges[s + 1] * mean.T, back);
            if (tHigh <= tLow)
            {
                continue;
            }
            double cdf = SpecialFunctions.RegularizedLowerGamma(mean.Alpha, mean.Beta * tHigh);
            double share = (cdf - previousCdf) * contained;
            previousCdf = cdf;
            if (share <= 1e-6)
            {
                continue;
            }
            double tauMid = 0.5 * (tLow + Math.Min(tHigh, tLow + 1.5 * mean.T)) / mean.T;
            (double coreRadius, double tailRadius, double coreWeight) = Radial(tauMid, energy);
            double core = coreRadius * crystalsPerMoliere;
            if (core <= NarrowCore)
            {
                LateralIntegral.AddNarrow(xEdges[..(xCells + 1)], yEdges[..(yCells + 1)], core, share * coreWeight, fractions, CoreReach);
            }
            else
            {
                LateralIntegral.AddGrid(xEdges[..(xCells + 1)], yEdges[..(yCells + 1)], core, share * coreWeight, fractions);
            }
            LateralIntegral.AddGrid(xEdges[..(xCells + 1)], yEdges[..(yCells + 1)],
                tailRadius * crystalsPerMoliere, share * (1 - coreWeight), fractions);
        }

        ShareGaps(fractions, xCells, yCells, xOwner, yOwner);
        double showerScale = energy * (1 + _constant * random.NextGaussian())
            * (soft ? 1 : WallContainment(u0, v0, crystalsPerMoliere, energy));
        ulong gaussianBits = 0;
        int bitsLeft = 0;
        for (int j = 0; j < yCells; j++)
        {
            if (yOwner[j] < 0)
            {
                continue;
            }
            int crystalPhi = yOwner[j];
            for (int i = 0; i < xCells; i++)
            {
                int crystalRing = xOwner[i];
                double deposit = fractions[j * xCells + i] * showerScale;
                if (crystalRing < 0 || deposit <= 1e-5)
                {
                    continue;
                }
                if (bitsLeft == 0)
                {
                    gaussianBits = random.NextUInt64();
                    bitsLeft = 4;
                }
                deposit += _stochastic * Math.Sqrt(deposit) * Hash.Gaussian16(gaussianBits);
                gaussianBits >>= 16;
                bitsLeft--;
                target.Add(_geometry.Ring(crystalRing).FirstCrystal + crystalPhi, (float)deposit);
            }
        }
        return true;
    }

    /// <summary>
    /// The fraction of a shower that the crystal walls leave to the crystals, for a shower axis at (u0, v0) in crystal
    /// widths from the hit crystal's low corner. A wall of width w at distance d from the axis absorbs w·m(d), with m the
    /// profile's marginal density across it: for f(r) = 2rR²/(r²+R²)² it is m(d) = R² / (2 (d² + R²)^(3/2)) (integrate
    /// the planar density R²/(π (x²+y²+R²)²) along the wall). The profile is the one at shower maximum (τ = 1, core and
    /// tail), the core widened by <see cref="AxisWander"/>; the walls are the crystal edges within two crystals.
    /// </summary>
    internal static double WallContainment(double u0, double v0, double crystalsPerMoliere, double energy)
    {
        (double coreRadius, double tailRadius, double coreWeight) = Radial(1, energy);
        double core = Math.Sqrt(Math.Pow(coreRadius * crystalsPerMoliere, 2) + AxisWander * AxisWander);
        double tail = tailRadius * crystalsPerMoliere;
        double absorbed = 0;
        for (int edge = -2; edge <= 3; edge++)
        {
            absorbed += coreWeight * Marginal(edge - u0, core) + (1 - coreWeight) * Marginal(edge - u0, tail);
            absorbed += coreWeight * Marginal(edge - v0, core) + (1 - coreWeight) * Marginal(edge - v0, tail);
        }
        return 1 - WallWidth * absorbed;

        static double Marginal(double d, double r)
        {
            double s = d * d + r * r;
            return r * r / (2 * s * Math.Sqrt(s));
        }
    }

    private const int GapCell = -1;
    private const int MissingCrystal = -2;

    /// <summary>
    /// Energy reaching a gap: <see cref="GapRetained"/> of it goes half to each neighbouring crystal, the rest
    /// is lost. CMS tilts its crystals by ≈ 3° away from the vertex so that no particle travels along a
    /// crack; a shower crosses the gap over part of its depth only. With this value the response of
    /// crystals at a supermodule edge dips by ≈ 5% and at a module edge by ≈ 2% (docs/simulation.md),
    /// the size of the dips CMS corrects for.
    /// </summary>
    public const double GapRetained = 0.65;

    private static void ShareGaps(Span<double> fractions, int xCells, int yCells, ReadOnlySpan<int> xOwner, ReadOnlySpan<int> yOwner)
    {
        for (int i = 0; i < xCells; i++)
        {
            if (xOwner[i] != GapCell)
            {
                continue;
            }
            for (int j = 0; j < yCells; j++)
            {
                double share = fractions[j * xCells + i] * GapRetained / 2;
                fractions[j * xCells + i] = 0;
                if (i > 0)
                {
                    fractions[j * xCells + i - 1] += share;
                }
                if (i + 1 < xCells)
                {
                    fractions[j * xCells + i + 1] += share;
                }
            }
        }
        for (int j = 0; j < yCells; j++)
        {
            if (yOwner[j] != GapCell)
            {
                continue;
            }
            for (int i = 0; i < xCells; i++)
            {
                double share = fractions[j * xCells + i] * GapRetained / 2;
                fractions[j * xCells + i] = 0;
                if (j > 0)
                {
                    fractions[(j - 1) * xCells + i] += share;
                }
                if (j + 1 < yCells)
                {
                    fractions[(j + 1) * xCells + i] += share;
                }
            }
        }
    }

    /// <summary>Edges along η around <paramref name="ring"/>; owner = ring index, <see cref="GapCell"/> or <see cref="MissingCrystal"/>.</summary>
    private int BuildEtaEdges(int ring, Subdetector subdetector, double u0, int halfWidth, Span<double> edges, Span<int> owner)
    {
        int cells = 0;
        edges[0] = -halfWidth - u0;
        for (int c = -halfWidth; c <= halfWidth; c++)
        {
            int r = ring + c;
            bool exists = r >= 0 && r < _geometry.RingCount && _geometry.Ring(r).Subdetector == subdetector;
            double below = exists ? _geometry.Ring(r).GapBelow : 0;
            double above = exists ? _geometry.Ring(r).GapAbove : 0;
            cells = AppendCell(edges, owner, cells, c - u0 + below, c + 1 - u0 - above, exists ? r : MissingCrystal);
        }
        return cells;
    }

    /// <summary>Edges along φ around <paramref name="phiIndex"/> (wrapping); owner = φ index, or −1 for gaps.</summary>
    private static int BuildPhiEdges(in CrystalRing ring, int phiIndex, double v0, int halfWidth, Span<double> edges, Span<int> owner)
    {
        int cells = 0;
        edges[0] = -halfWidth - v0;
        for (int c = -halfWidth; c <= halfWidth; c++)
        {
            int k = ring.WrapPhi(phiIndex + c);
            (double below, double above) = ring.PhiGaps(k);
            cells = AppendCell(edges, owner, cells, c - v0 + below, c + 1 - v0 - above, k);
        }
        return cells;
    }

    /// <summary>Appends a cell [low, high] owned by <paramref name="cellOwner"/>, preceded by a gap cell when low is past the last edge.</summary>
    private static int AppendCell(Span<double> edges, Span<int> owner, int cells, double low, double high, int cellOwner)
    {
        if (low > edges[cells] + 1e-12)
        {
            owner[cells] = GapCell;
            edges[++cells] = low;
        }
        owner[cells] = cellOwner;
        edges[++cells] = high;
        return cells;
    }
}
