namespace EnergyRegression.Kernels;

// Plain data filled per object by the kernels and copied into columns: public fields on purpose.
#pragma warning disable CA1051

/// <summary>
/// The shower-shape variables of one crystal window around its seed (CMS conventions, e.g.
/// RecoEcal/EgammaCoreTools EcalClusterTools; PHYSICS.md, seed 2). Windows are row-major with rows
/// along η and columns along φ; "top/bottom" are ±η (rows), "left/right" ±φ (columns). Energies in
/// the window's unit (GeV), widths in η units (crystal index × 0.0174).
/// </summary>
public struct ShowerShape
{
    /// <summary>The seed crystal's energy (e1x1).</summary>
    public float EMax;

    /// <summary>The highest energy among the seed's 8 neighbours.</summary>
    public float E2nd;

    /// <summary>3 × 3 around the seed.</summary>
    public float E3x3;

    /// <summary>5 × 5 around the seed.</summary>
    public float E5x5;

    /// <summary>The seed's row (1 in η) over 5 columns in φ.</summary>
    public float E1x5;

    /// <summary>2 × 5 strips next to the seed, not containing it: 5 rows × 2 columns left/right, 2 rows × 5 columns top/bottom.</summary>
    public float E2x5Left, E2x5Right, E2x5Top, E2x5Bottom;

    /// <summary>The larger of the two 2-row × 5-column strips containing the seed's row.</summary>
    public float E2x5Max;

    /// <summary>The seed's four direct neighbours.</summary>
    public float ELeft, ERight, ETop, EBottom;

    /// <summary>σiηiη, σiφiφ: log-weighted widths of the 5 × 5, w = max(0, 4.7 + ln(E_i / E5x5)).</summary>
    public float SigmaIEtaIEta, SigmaIPhiIPhi;

    /// <summary>Log-weighted centroid of the 5 × 5 relative to the seed, in crystals (η rows, φ columns).</summary>
    public float CentroidEta, CentroidPhi;
}
#pragma warning restore CA1051
