namespace EnergyRegression.Physics;

/// <summary>Angular distances and masses in collider coordinates.</summary>
public static class Kinematics
{
    /// <summary>φ1 − φ2 wrapped into [−π, π).</summary>
    public static double DeltaPhi(double phi1, double phi2) => WrapPhi(phi1 - phi2);

    /// <summary>An angle wrapped into [−π, π).</summary>
    public static double WrapPhi(double phi)
    {
        double wrapped = Math.IEEERemainder(phi, 2 * Math.PI);
        return wrapped >= Math.PI ? wrapped - 2 * Math.PI : wrapped;
    }

    /// <summary>ΔR = √(Δη² + Δφ²).</summary>
    public static double DeltaR(double eta1, double phi1, double eta2, double phi2)
    {
        double dEta = eta1 - eta2;
        double dPhi = DeltaPhi(phi1, phi2);
        return Math.Sqrt(dEta * dEta + dPhi * dPhi);
    }

    /// <summary>Mass of the Z boson, 91.1876 GeV (PDG).</summary>
    public const double ZMass = 91.1876;

    /// <summary>Electron mass, 0.51099895 MeV (PDG), in GeV.</summary>
    public const double ElectronMass = 0.00051099895;

    /// <summary>Muon mass, 105.6583755 MeV (PDG), in GeV.</summary>
    public const double MuonMass = 0.1056583755;

    /// <summary>
    /// Invariant mass of two massless particles, M² = 2 pT1 pT2 (cosh(η1−η2) − cos(φ1−φ2))
    /// (PHYSICS.md, "Labels in data from the Z mass").
    /// </summary>
    public static double MasslessPairMass(double pt1, double eta1, double phi1, double pt2, double eta2, double phi2) =>
        Math.Sqrt(Math.Max(0, 2 * pt1 * pt2 * OpeningTerm(eta1 - eta2, phi1 - phi2)));

    /// <summary>
    /// Invariant mass of two particles of masses m1, m2 given in collider coordinates: the full four-vector mass
    /// M² = m1² + m2² + 2 (E1 E2 − p⃗1·p⃗2), written so that nothing cancels for light, fast particles:
    /// E1 E2 − p⃗1·p⃗2 = |p1||p2| (1 − cos θ12) + (E1 E2 − |p1||p2|), where
    /// |p1||p2| (1 − cos θ12) = pT1 pT2 (cosh Δη − cos Δφ) (since |p| = pT cosh η, p_z = pT sinh η) and
    /// E1 E2 − |p1||p2| = (m1² p2² + m2² p1² + m1² m2²) / (E1 E2 + |p1||p2|).
    /// With m1 = m2 = 0 it is <see cref="MasslessPairMass"/>.
    /// </summary>
    public static double PairMass(double pt1, double eta1, double phi1, double m1, double pt2, double eta2, double phi2, double m2)
    {
        double p1 = pt1 * Math.Cosh(eta1);
        double p2 = pt2 * Math.Cosh(eta2);
        double e1 = Math.Sqrt(p1 * p1 + m1 * m1);
        double e2 = Math.Sqrt(p2 * p2 + m2 * m2);
        double m1s = m1 * m1;
        double m2s = m2 * m2;
        double energyExcess = (m1s * p2 * p2 + m2s * p1 * p1 + m1s * m2s) / (e1 * e2 + p1 * p2);
        double mass2 = m1s + m2s + 2 * (pt1 * pt2 * OpeningTerm(eta1 - eta2, phi1 - phi2) + energyExcess);
        return Math.Sqrt(Math.Max(0, mass2));
    }

    /// <summary>
    /// The energy of the probe implied by the Z-mass constraint (PHYSICS.md, "Labels in data from the Z mass";
    /// the FiLM-CNN paper's data labels): for massless leptons M² = 2 pT1 pT2 (cosh Δη − cos Δφ), so the tag's
    /// pT1 and the two directions give pT2 = M² / (2 pT1 (cosh Δη − cos Δφ)) and E2 = pT2 cosh η2.
    /// </summary>
    public static double ZConstraintEnergy(double tagPt, double tagEta, double tagPhi, double probeEta, double probePhi, double mass = ZMass)
    {
        double probePt = mass * mass / (2 * tagPt * OpeningTerm(tagEta - probeEta, tagPhi - probePhi));
        return probePt * Math.Cosh(probeEta);
    }

    // cosh Δη − cos Δφ = 2 sinh²(Δη/2) + 2 sin²(Δφ/2): the same value without the cancellation of two numbers
    // near 1 for close-by particles.
    private static double OpeningTerm(double dEta, double dPhi)
    {
        double a = Math.Sinh(dEta / 2);
        double b = Math.Sin(dPhi / 2);
        return 2 * (a * a + b * b);
    }

    /// <summary>Pseudorapidity of a polar angle θ: η = −ln tan(θ/2).</summary>
    public static double EtaFromTheta(double theta) => -Math.Log(Math.Tan(theta / 2));
}
