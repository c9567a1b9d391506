namespace EnergyRegression.Simulation.Detector;

/// <summary>Barrel or endcap.</summary>
public enum Subdetector : byte
{
    /// <summary>The barrel (EB), |η| &lt; 1.479.</summary>
    Barrel,

    /// <summary>The simplified endcaps (EE), 1.566 &lt; |η| &lt; 2.99.</summary>
    Endcap,
}

/// <summary>
/// One ring of crystals at fixed η: its η edges, CMS-like signed iη, the crystal front in cm, the module gaps at its η
/// edges (in crystal widths), its φ segmentation (<see cref="PhiCount"/> crystals from φ = −π) and the index of its
/// first crystal. Crystal index = <see cref="FirstCrystal"/> + φ index.
/// </summary>
internal readonly record struct CrystalRing(
    double EtaLow, double EtaHigh, int IEta, Subdetector Subdetector, double CrystalSizeCm,
    double GapBelow, double GapAbove, int PhiCount, int FirstCrystal)
{
    /// <summary>Crystals per supermodule in φ: 36 supermodules of 20 crystals (barrel).</summary>
    public const int SupermoduleWidth = 20;

    /// <summary>Gap between supermodules in φ, in crystal widths (≈ 6.6 mm), where energy is lost (barrel).</summary>
    public const double SupermoduleGap = 0.3;

    /// <summary>φ width of a crystal.</summary>
    public double DeltaPhi => 2 * Math.PI / PhiCount;

    /// <summary>η width of a crystal.</summary>
    public double DeltaEta => EtaHigh - EtaLow;

    /// <summary>Centre of the ring's crystal faces in η.</summary>
    public double EtaCentre => 0.5 * (EtaLow + EtaHigh);

    /// <summary>The φ index (0 … PhiCount − 1; CMS iφ = index + 1) containing φ.</summary>
    public int PhiIndexAt(double phi) => WrapPhi((int)Math.Floor((phi + Math.PI) / DeltaPhi));

    /// <summary>Low φ edge of a φ index.</summary>
    public double PhiLow(int phiIndex) => -Math.PI + phiIndex * DeltaPhi;

    /// <summary>Centre of a crystal's face in φ.</summary>
    public double PhiCentre(int phiIndex) => PhiLow(phiIndex) + DeltaPhi / 2;

    /// <summary>Wraps a φ index around the ring.</summary>
    public int WrapPhi(int phiIndex) => ((phiIndex % PhiCount) + PhiCount) % PhiCount;

    /// <summary>The crystal index of φ index <paramref name="phiIndex"/> (wrapped) of this ring.</summary>
    public int Crystal(int phiIndex) => FirstCrystal + WrapPhi(phiIndex);

    /// <summary>
    /// The lost strips at a crystal's φ edges (in crystal widths): half a supermodule gap on the side facing a
    /// supermodule boundary (barrel only).
    /// </summary>
    public (double Below, double Above) PhiGaps(int phiIndex)
    {
        if (Subdetector != Subdetector.Barrel)
        {
            return (0, 0);
        }
        int inModule = WrapPhi(phiIndex) % SupermoduleWidth;
        return (inModule == 0 ? SupermoduleGap / 2 : 0, inModule == SupermoduleWidth - 1 ? SupermoduleGap / 2 : 0);
    }
}

/// <summary>
/// The crystal grid of a CMS-like ECAL as rings of constant η (PHYSICS.md, "Reference values"). The barrel has 170
/// rings of Δη = Δφ = 0.0174 (iη = ±1 … ±85, no 0, as in CMS; 360 crystals in φ, iφ = 1 … 360); its crystals are
/// 2.2 cm wide at the front, so a crystal is one unit in both directions. The simplified endcap keeps an η–φ grid,
/// coarser: 41 rings per side of Δη = Δφ = 2π/180 for 1.566 &lt; |η| &lt; 2.993 (iη = ±86 … ±126, 180 crystals in φ,
/// iφ = 1 … 180), with crystal fronts r(η)·Δφ wide on a disc at |z| = 315.4 cm: 4.5 cm at its inner edge, 3 cm at
/// |η| = 2, 1.6 cm at 2.6 — around CMS's 2.86 cm x–y crystals (CMS ECAL TDR, CERN/LHCC 97-33), which an η–φ grid can
/// only approximate; windows and features stay identical for both. The preshower covers 1.653 &lt; |η| &lt; 2.6.
/// </summary>
internal sealed class CalorimeterGeometry
{
    public const int BarrelPhiCount = 360;
    public const int EndcapPhiCount = 180;
    public const double BarrelDeltaEta = 0.0174;
    public const double EndcapDeltaEta = 2 * Math.PI / EndcapPhiCount;
    public const int BarrelRingsPerSide = 85;
    public const int EndcapRingsPerSide = 41;
    public const double BarrelCrystalCm = 2.2;
    public const double EndcapZCm = 315.4;
    public const double EndcapEtaLow = 1.566;

    /// <summary>η range of the preshower in front of the endcaps (CMS ECAL TDR addendum, CERN/LHCC 2002-027).</summary>
    public const double PreshowerEtaLow = 1.653, PreshowerEtaHigh = 2.6;

    /// <summary>Gap between modules in η (|iη| = 25|26, 45|46, 65|66) and at η = 0, in crystal widths (≈ 3.3 mm).</summary>
    public const double ModuleGap = 0.15;

    private readonly CrystalRing[] _rings;
    private readonly int _barrelFirstRing;

    public CalorimeterGeometry(bool endcap)
    {
        var rings = new List<CrystalRing>();
        int crystals = 0;
        void Add(double low, double high, int iEta, Subdetector subdetector, double sizeCm, double gapBelow, double gapAbove, int phiCount)
        {
            rings.Add(new CrystalRing(low, high, iEta, subdetector, sizeCm, gapBelow, gapAbove, phiCount, crystals));
            crystals += phiCount;
        }
        if (endcap)
        {
            AddEndcap(Add, negative: true);
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
            Add(low, low + BarrelDeltaEta, iEta, Subdetector.Barrel, BarrelCrystalCm,
                gapBelow ? ModuleGap / 2 : 0, gapAbove ? ModuleGap / 2 : 0, BarrelPhiCount);
        }
        if (endcap)
        {
            AddEndcap(Add, negative: false);
        }
        _rings = [.. rings];
        CrystalCount = crystals;
        BarrelEtaMax = BarrelRingsPerSide * BarrelDeltaEta;
        EtaMax = endcap ? EndcapEtaLow + EndcapRingsPerSide * EndcapDeltaEta : BarrelEtaMax;
    }

    private delegate void RingAdder(double low, double high, int iEta, Subdetector subdetector, double sizeCm, double gapBelow, double gapAbove, int phiCount);

    private static void AddEndcap(RingAdder add, bool negative)
    {
        for (int j = 0; j < EndcapRingsPerSide; j++)
        {
            // Rings ordered by increasing η: on the negative side the outermost ring comes first.
            int n = negative ? EndcapRingsPerSide - 1 - j : j;
            double absLow = EndcapEtaLow + n * EndcapDeltaEta;
            double absMid = absLow + EndcapDeltaEta / 2;
            double sizeCm = EndcapZCm / Math.Sinh(absMid) * EndcapDeltaEta;
            int iEta = (BarrelRingsPerSide + 1 + n) * (negative ? -1 : 1);
            double low = negative ? -(absLow + EndcapDeltaEta) : absLow;
            add(low, low + EndcapDeltaEta, iEta, Subdetector.Endcap, sizeCm, 0, 0, EndcapPhiCount);
        }
    }

    public int RingCount => _rings.Length;

    public int CrystalCount { get; }

    public double BarrelEtaMax { get; }

    public double EtaMax { get; }

    public ref readonly CrystalRing Ring(int ring) => ref _rings[ring];

    /// <summary>The ring holding crystal index <paramref name="crystal"/>.</summary>
    public int RingOfCrystal(int crystal)
    {
        int low = 0, high = _rings.Length - 1;
        while (low < high)
        {
            int mid = (low + high + 1) / 2;
            if (_rings[mid].FirstCrystal <= crystal)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }
        return low;
    }

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
        int n = Math.Min((int)Math.Floor((Math.Abs(eta) - EndcapEtaLow) / EndcapDeltaEta), EndcapRingsPerSide - 1);
        return eta < 0 ? EndcapRingsPerSide - 1 - n : _barrelFirstRing + 2 * BarrelRingsPerSide + n;
    }

    /// <summary>True when the ring exists and belongs to <paramref name="subdetector"/>.</summary>
    public bool Exists(int ring, Subdetector subdetector) =>
        ring >= 0 && ring < _rings.Length && _rings[ring].Subdetector == subdetector;

    /// <summary>True when η lies in front of the preshower.</summary>
    public static bool InPreshower(double eta) => Math.Abs(eta) is > PreshowerEtaLow and < PreshowerEtaHigh;
}
