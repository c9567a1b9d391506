using EnergyRegression.Physics;
using EnergyRegression.Simulation.Randomness;

namespace EnergyRegression.Simulation.Generators;

/// <summary>A true particle leaving the vertex.</summary>
internal readonly record struct TrueParticle(int PdgId, double Energy, double Eta, double Phi)
{
    public int Charge => PdgId switch { 11 => -1, -11 => 1, _ => 0 };

    public bool IsPhoton => PdgId == 22;

    public double Pt => Energy / Math.Cosh(Eta);
}

/// <summary>One particle per event, uniform in energy (or pT), η and φ.</summary>
internal static class ParticleGun
{
    public static TrueParticle Generate(SimulationSettings settings, ref RandomStream random)
    {
        int pdgId = settings.Particle switch
        {
            GunParticle.Electron => 11,
            GunParticle.Positron => -11,
            GunParticle.Photon => 22,
            _ => random.Bernoulli(0.5) ? 11 : -11,
        };
        double eta = random.Uniform(settings.EtaRange.Low, settings.EtaRange.High);
        double phi = random.Uniform(settings.PhiRange.Low, settings.PhiRange.High);
        double energy = settings.PtRange is { } pt
            ? random.Uniform(pt.Low, pt.High) * Math.Cosh(eta)
            : random.Uniform(settings.EnergyRange.Low, settings.EnergyRange.High);
        return new TrueParticle(pdgId, energy, eta, Kinematics.WrapPhi(phi));
    }
}

/// <summary>
/// Z → e⁺e⁻ at a hadron collider: mass from a relativistic Breit-Wigner (M = 91.1876, Γ = 2.4952 GeV),
/// Z pT from f(pT) ∝ pT (1 + pT²/p0²)^(−k) (p0 = 6 GeV, k = 2.2: a peak near 3–4 GeV and a power-law
/// tail, the shape of the measured spectrum, e.g. CMS JHEP 12 (2019) 061), rapidity Gaussian with
/// σ = 1.9 (|y| &lt; 4), decay 1 + cos²θ about the beam axis in the Z rest frame (massless electrons).
/// </summary>
internal sealed class ZeeGenerator(SimulationSettings settings)
{
    private const double PtScale = 6.0;
    private const double PtPower = 2.2;
    private const double RapiditySigma = 1.9;

    private readonly BreitWigner _lineShape = BreitWigner.ZBoson(settings.ZMassRange.Low, settings.ZMassRange.High);

    public (TrueParticle Electron, TrueParticle Positron, double Mass, double Pt, double Rapidity) Generate(ref RandomStream random)
    {
        double mass = _lineShape.Quantile(random.NextDouble());
        double pt = PtScale * Math.Sqrt(Math.Pow(1 - random.NextDouble(), 1 / (1 - PtPower)) - 1);
        double rapidity;
        do
        {
            rapidity = RapiditySigma * random.NextGaussian();
        }
        while (Math.Abs(rapidity) > 4);
        var z = LorentzVector.FromPtRapidityPhiM(pt, rapidity, random.Uniform(-Math.PI, Math.PI), mass);

        double cosTheta;
        do
        {
            cosTheta = random.Uniform(-1, 1);
        }
        while (random.NextDouble() * 2 > 1 + cosTheta * cosTheta);
        double sinTheta = Math.Sqrt(1 - cosTheta * cosTheta);
        double phiStar = random.Uniform(-Math.PI, Math.PI);
        double half = mass / 2;
        var electronRest = new LorentzVector(half * sinTheta * Math.Cos(phiStar), half * sinTheta * Math.Sin(phiStar), half * cosTheta, half);
        var positronRest = new LorentzVector(-electronRest.Px, -electronRest.Py, -electronRest.Pz, half);
        (double bx, double by, double bz) = z.Beta;
        LorentzVector electron = electronRest.Boost(bx, by, bz);
        LorentzVector positron = positronRest.Boost(bx, by, bz);
        return (new TrueParticle(11, electron.E, electron.Eta, electron.Phi),
            new TrueParticle(-11, positron.E, positron.Eta, positron.Phi),
            mass, pt, rapidity);
    }
}
