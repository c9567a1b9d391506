namespace EnergyRegression.Simulation.Detector;

/// <summary>Barrel or endcap.</summary>
public enum Subdetector : byte
{
    /// <summary>The barrel (EB), |η| &lt; 1.479.</summary>
    Barrel,

    /// <summary>The simplified endcaps (EE), 1.566 &lt; |η| &lt; 2.99.</summary>
    Endcap,
}

/// <summary>One ring of 360 crystals at fixed η.</summary>
internal readonly record struct CrystalRing(
    double EtaLow, double EtaHigh, int IEta, Subdetector Subdetector, double CrystalSizeCm,
    double GapBelow, double GapAbove);

/// <summary>
/// The crystal grid of a CMS-like ECAL as rings of constant η, each of 360 crystals in φ
/// (PHYSICS.md, "Reference values"). The barrel has 170 rings of Δη = Δφ = 0.0174 (iη = ±1 … ±85,
/// no 0, as in CMS); its crystals are 2.2 cm wide at the front, so a crystal is one unit in both
/// directions. The simplified endcap keeps the η–φ grid (82 rings per side, iη = ±86 … ±167) with
/// crystal fronts r(η)·Δφ wide on a disc at |z| = 315.4 cm — unlike CMS's x–y grid, but it keeps
/// windows and features identical for both. Crystal index = ring · 360 + φ index.
/// </summary>
internal sealed class CalorimeterGeometry
{
    public const int PhiCount = 360;
    public const double DeltaPhi = 2 * Math.PI / PhiCount;
    public const double BarrelDeltaEta = 0.0174;
    public const int BarrelRingsPerSide = 85;
    public const int EndcapRingsPerSide = 82;
    public const double BarrelCrystalCm = 2.2;
    public const double EndcapZCm = 315.4;
    public const double EndcapEtaLow = 1.566;

    /// <summary>Crystals per supermodule in φ: 36 supermodules of 20 crystals.</summary>
    public const int SupermoduleWidth = 20;

    /// <summary>Gap between supermodules in φ, in crystal widths (≈ 6.6 mm), where energy is lost.</summary>
    public const double SupermoduleGap = 0.3;

    /// <summary>Gap between modules in η (|iη| = 25|26, 45|46, 65|66) and at η = 0, in crystal widths (≈ 3.3 mm).</summary>
    public const double ModuleGap = 0.15;

    private readonly CrystalRing[] _rings;
    private readonly int _barrelFirstRing;

    public CalorimeterGeometry(bool endcap)
    {
        var rings = new List<CrystalRing>();
        if (endcap)
        {
            AddEndcap(rings, negative: true);
        }
        _barrelFirstRing = rings.Count;
        for (int i = 0; i < 2 * BarrelRingsPerSide; i++)
        {
            int iEta = i < BarrelRingsPerSide ? i - BarrelRingsPerSide : i - BarrelRingsPerSide + 1;
            double low = (i - BarrelRingsPerSide) * BarrelDeltaEta;
            int absIEta = Math.Abs(iEta);
            // Module boundaries sit between |iη| 25|26, 45|46, 65|66, and the half barrels meet at η = 0.
            bool gapTowardsZero = absIEta is 1 or 26 or 46 or 66;
            bool gapAwayFromZero = absIEta is 25 or 45 or 65;
            bool gapBelow = iEta > 0 ? gapTowardsZero : gapAwayFromZero;
            bool gapAbove = iEta > 0 ? gapAwayFromZero : gapTowardsZero;
            rings.Add(new CrystalRing(low, low + BarrelDeltaEta, iEta, Subdetector.Barrel, BarrelCrystalCm,
                gapBelow ? ModuleGap / 2 : 0, gapAbove ? ModuleGap / 2 : 0));
        }
        if (endcap)
        {
            AddEndcap(rings, negative: false);
        }
        _rings = [.. rings];
        BarrelEtaMax = BarrelRingsPerSide * BarrelDeltaEta;
        EtaMax = endcap ? EndcapEtaLow + EndcapRingsPerSide * BarrelDeltaEta : BarrelEtaMax;
    }

    private static void AddEndcap(List<CrystalRing> rings, bool negative)
    {
        for (int j = 0; j < EndcapRingsPerSide; j++)
        {
            // Rings ordered by increasing η: on the negative side the outermost ring comes first.
            int n = negative ? EndcapRingsPerSide - 1 - j : j;
            double absLow = EndcapEtaLow + n * BarrelDeltaEta;
            double absMid = absLow + BarrelDeltaEta / 2;
            double sizeCm = EndcapZCm / Math.Sinh(absMid) * DeltaPhi;
            int iEta = (BarrelRingsPerSide + 1 + n) * (negative ? -1 : 1);
            double low = negative ? -(absLow + BarrelDeltaEta) : absLow;
            rings.Add(new CrystalRing(low, low + BarrelDeltaEta, iEta, Subdetector.Endcap, sizeCm, 0, 0));
        }
    }

    public int RingCount => _rings.Length;

    public int CrystalCount => _rings.Length * PhiCount;

    public double BarrelEtaMax { get; }

    public double EtaMax { get; }

    public ref readonly CrystalRing Ring(int ring) => ref _rings[ring];

    /// <summary>The ring containing η, or −1 outside the crystals (beyond the acceptance, in the EB/EE transition, NaN).</summary>
    public int RingAt(double eta)
    {
        if (double.IsNaN(eta))
        {
            return -1;
        }
        if (Math.Abs(eta) < BarrelEtaMax)
        {
            int i = (int)Math.Floor(eta / BarrelDeltaEta) + BarrelRingsPerSide;
            return _barrelFirstRing + Math.Clamp(i, 0, 2 * BarrelRingsPerSide - 1);
        }
        if (_barrelFirstRing == 0 || Math.Abs(eta) < EndcapEtaLow || Math.Abs(eta) >= EtaMax)
        {
            return -1;
        }
        int n = Math.Min((int)Math.Floor((Math.Abs(eta) - EndcapEtaLow) / BarrelDeltaEta), EndcapRingsPerSide - 1);
        return eta < 0 ? EndcapRingsPerSide - 1 - n : _barrelFirstRing + 2 * BarrelRingsPerSide + n;
    }

    /// <summary>The φ index (0 … 359; CMS iφ = index + 1) containing φ.</summary>
    public static int PhiIndexAt(double phi)
    {
        int k = (int)Math.Floor((phi + Math.PI) / DeltaPhi);
        return ((k % PhiCount) + PhiCount) % PhiCount;
    }

    /// <summary>Low φ edge of a φ index.</summary>
    public static double PhiLow(int phiIndex) => -Math.PI + phiIndex * DeltaPhi;

    /// <summary>Centre of a crystal's face in η.</summary>
    public double EtaCentre(int ring) => 0.5 * (_rings[ring].EtaLow + _rings[ring].EtaHigh);

    /// <summary>Centre of a crystal's face in φ.</summary>
    public static double PhiCentre(int phiIndex) => PhiLow(phiIndex) + DeltaPhi / 2;

    /// <summary>Wraps a φ index around the barrel.</summary>
    public static int WrapPhi(int phiIndex) => ((phiIndex % PhiCount) + PhiCount) % PhiCount;

    /// <summary>
    /// The lost strips at a crystal's φ edges (in crystal widths): half a supermodule gap on the side
    /// facing a supermodule boundary (barrel only).
    /// </summary>
    public static (double Below, double Above) PhiGaps(int phiIndex, Subdetector subdetector)
    {
        if (subdetector != Subdetector.Barrel)
        {
            return (0, 0);
        }
        int inModule = phiIndex % SupermoduleWidth;
        return (inModule == 0 ? SupermoduleGap / 2 : 0, inModule == SupermoduleWidth - 1 ? SupermoduleGap / 2 : 0);
    }
}
