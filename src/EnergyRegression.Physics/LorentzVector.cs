namespace EnergyRegression.Physics;

/// <summary>
/// A four-momentum (px, py, pz, E) in GeV, with the collider coordinates (pT, η, φ) of the CMS/ATLAS
/// convention: z along the beam, η = −ln tan(θ/2), φ in (−π, π] (<see cref="Kinematics.WrapPhi"/> uses [−π, π)).
/// </summary>
public readonly record struct LorentzVector(double Px, double Py, double Pz, double E)
{
    /// <summary>From transverse momentum, pseudorapidity, azimuth and mass.</summary>
    public static LorentzVector FromPtEtaPhiM(double pt, double eta, double phi, double mass)
    {
        double pz = pt * Math.Sinh(eta);
        double p2 = pt * pt + pz * pz;
        return new LorentzVector(pt * Math.Cos(phi), pt * Math.Sin(phi), pz, Math.Sqrt(p2 + mass * mass));
    }

    /// <summary>From transverse momentum, rapidity y = ½ ln((E+pz)/(E−pz)), azimuth and mass.</summary>
    public static LorentzVector FromPtRapidityPhiM(double pt, double rapidity, double phi, double mass)
    {
        double transverseMass = Math.Sqrt(pt * pt + mass * mass);
        return new LorentzVector(pt * Math.Cos(phi), pt * Math.Sin(phi),
            transverseMass * Math.Sinh(rapidity), transverseMass * Math.Cosh(rapidity));
    }

    /// <summary>Transverse momentum.</summary>
    public double Pt => Math.Sqrt(Px * Px + Py * Py);

    /// <summary>Momentum magnitude.</summary>
    public double P => Math.Sqrt(Px * Px + Py * Py + Pz * Pz);

    /// <summary>Pseudorapidity (±∞-safe: a vector along the beam gets ±1e10).</summary>
    public double Eta
    {
        get
        {
            double pt = Pt;
            return pt == 0 ? (Pz >= 0 ? 1e10 : -1e10) : Math.Asinh(Pz / pt);
        }
    }

    /// <summary>Azimuth in (−π, π].</summary>
    public double Phi => Px == 0 && Py == 0 ? 0 : Math.Atan2(Py, Px);

    /// <summary>Invariant mass (negative m² from rounding gives 0).</summary>
    public double M => Math.Sqrt(Math.Max(0, E * E - Px * Px - Py * Py - Pz * Pz));

    /// <summary>Rapidity.</summary>
    public double Rapidity => 0.5 * Math.Log((E + Pz) / (E - Pz));

    /// <summary>The velocity β = p/E of this vector's rest frame.</summary>
    public (double X, double Y, double Z) Beta => (Px / E, Py / E, Pz / E);

    /// <summary>Sum of two four-vectors.</summary>
    public static LorentzVector operator +(LorentzVector a, LorentzVector b) =>
        new(a.Px + b.Px, a.Py + b.Py, a.Pz + b.Pz, a.E + b.E);

    /// <summary>This vector scaled by <paramref name="factor"/> (all four components).</summary>
    public LorentzVector Scale(double factor) => new(Px * factor, Py * factor, Pz * factor, E * factor);

    /// <summary>
    /// This vector seen from a frame moving with velocity −β, i.e. boosted by β (a vector at rest in a
    /// frame moving with β relative to the lab is taken into the lab). Standard Lorentz boost, e.g.
    /// PDG Review "Kinematics", eq. 49.
    /// </summary>
    public LorentzVector Boost(double betaX, double betaY, double betaZ)
    {
        double beta2 = betaX * betaX + betaY * betaY + betaZ * betaZ;
        if (beta2 == 0)
        {
            return this;
        }
        if (beta2 >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(betaX), "|β| must be below 1.");
        }
        double gamma = 1 / Math.Sqrt(1 - beta2);
        double betaDotP = betaX * Px + betaY * Py + betaZ * Pz;
        double gamma2 = (gamma - 1) / beta2;
        double spatial = gamma2 * betaDotP + gamma * E;
        return new LorentzVector(Px + spatial * betaX, Py + spatial * betaY, Pz + spatial * betaZ,
            gamma * (E + betaDotP));
    }
}
