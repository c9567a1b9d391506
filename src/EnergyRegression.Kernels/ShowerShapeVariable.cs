namespace EnergyRegression.Kernels;

/// <summary>
/// The rows of the batched shower-shape output (<see cref="ShowerShapes.Compute"/>), in order. Definitions
/// as in <see cref="ShowerShape"/>; the ratios are 0 when their denominator is not positive.
/// </summary>
public enum ShowerShapeVariable
{
    /// <summary>e1x1, the seed crystal.</summary>
    EMax,

    /// <summary>The highest of the seed's 8 neighbours.</summary>
    E2nd,

    /// <summary>3 × 3 around the seed.</summary>
    E3x3,

    /// <summary>5 × 5 around the seed.</summary>
    E5x5,

    /// <summary>The seed's row over 5 columns.</summary>
    E1x5,

    /// <summary>5 rows × the 2 columns left of the seed.</summary>
    E2x5Left,

    /// <summary>5 rows × the 2 columns right of the seed.</summary>
    E2x5Right,

    /// <summary>The 2 rows above the seed (+η) × 5 columns.</summary>
    E2x5Top,

    /// <summary>The 2 rows below the seed (−η) × 5 columns.</summary>
    E2x5Bottom,

    /// <summary>The larger 2-row × 5-column strip containing the seed's row.</summary>
    E2x5Max,

    /// <summary>The neighbour at −φ.</summary>
    ELeft,

    /// <summary>The neighbour at +φ.</summary>
    ERight,

    /// <summary>The neighbour at +η.</summary>
    ETop,

    /// <summary>The neighbour at −η.</summary>
    EBottom,

    /// <summary>σiηiη of the 5 × 5 with log weights, in η units.</summary>
    SigmaIEtaIEta,

    /// <summary>σiφiφ of the 5 × 5 with log weights, in η-crystal units (× 0.0174, as CMS quotes it).</summary>
    SigmaIPhiIPhi,

    /// <summary>Log-weighted η centroid of the 5 × 5 relative to the seed, in crystals.</summary>
    CentroidEta,

    /// <summary>Log-weighted φ centroid of the 5 × 5 relative to the seed, in crystals.</summary>
    CentroidPhi,

    /// <summary>r9 = e3x3 / E_raw.</summary>
    R9,

    /// <summary>e3x3 / e5x5.</summary>
    E3x3OverE5x5,

    /// <summary>eMax / e3x3.</summary>
    EMaxOverE3x3,
}
