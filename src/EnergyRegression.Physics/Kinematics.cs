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

    /// <summary>
    /// Invariant mass of two massless particles, M² = 2 pT1 pT2 (cosh(η1−η2) − cos(φ1−φ2))
    /// (PHYSICS.md, "Labels in data from the Z mass").
    /// </summary>
    public static double MasslessPairMass(double pt1, double eta1, double phi1, double pt2, double eta2, double phi2) =>
        Math.Sqrt(Math.Max(0, 2 * pt1 * pt2 * (Math.Cosh(eta1 - eta2) - Math.Cos(phi1 - phi2))));

    /// <summary>Pseudorapidity of a polar angle θ: η = −ln tan(θ/2).</summary>
    public static double EtaFromTheta(double theta) => -Math.Log(Math.Tan(theta / 2));
}
