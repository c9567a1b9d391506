namespace EnergyRegression.Physics.Tests;

/// <summary>Pair masses and the Z-mass-constraint label against four-vector sums (PDG Review "Kinematics").</summary>
public class PairMassTests
{
    public static TheoryData<double, double, double, double, double, double> Pairs => new()
    {
        { 45, 0.3, 0.1, 41, -0.5, 2.9 },
        { 30.5, 1.4, -3.0, 12.2, 2.3, 3.05 },
        { 120, -2.1, 0.0, 7.5, 0.9, -1.7 },
        { 10, 0.01, 1.0, 12, 0.02, 1.05 },
        { 55, 2.4, -2.0, 35, -2.4, 1.2 },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Massive_pair_mass_equals_the_four_vector_mass(double pt1, double eta1, double phi1, double pt2, double eta2, double phi2)
    {
        foreach (double m in new[] { Kinematics.ElectronMass, Kinematics.MuonMass, 1.5 })
        {
            LorentzVector sum = LorentzVector.FromPtEtaPhiM(pt1, eta1, phi1, m) + LorentzVector.FromPtEtaPhiM(pt2, eta2, phi2, 2 * m);
            double mass = Kinematics.PairMass(pt1, eta1, phi1, m, pt2, eta2, phi2, 2 * m);
            Assert.Equal(sum.M, mass, 1e-9 * sum.M);
        }
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void For_electrons_the_massless_formula_matches_the_full_four_vector_mass_to_1e6(double pt1, double eta1, double phi1, double pt2, double eta2, double phi2)
    {
        LorentzVector sum = LorentzVector.FromPtEtaPhiM(pt1, eta1, phi1, Kinematics.ElectronMass)
            + LorentzVector.FromPtEtaPhiM(pt2, eta2, phi2, Kinematics.ElectronMass);
        double massless = Kinematics.MasslessPairMass(pt1, eta1, phi1, pt2, eta2, phi2);
        // The electron mass shifts M² by about m_e² (p1/p2 + p2/p1): below 1e-6 relative for pairs of Z-like masses,
        // not for the 0.56 GeV pair of close-by electrons (1.7e-6 there, which is physics, not rounding).
        double tolerance = sum.M > 10 ? 1e-6 : 1e-5;
        Assert.True(Math.Abs(massless / sum.M - 1) < tolerance, $"massless {massless} vs four-vector {sum.M}");
        Assert.Equal(massless, Kinematics.PairMass(pt1, eta1, phi1, 0, pt2, eta2, phi2, 0), 1e-12 * massless);
    }

    [Fact]
    public void Back_to_back_particles_at_eta_zero_have_twice_their_energy_as_mass()
    {
        Assert.Equal(Kinematics.ZMass, Kinematics.MasslessPairMass(Kinematics.ZMass / 2, 0, 0.4, Kinematics.ZMass / 2, 0, 0.4 - Math.PI), 1e-12);
        // Massive: M = 2 E = 2 sqrt(p² + m²).
        double p = 40;
        Assert.Equal(2 * Math.Sqrt(p * p + 1), Kinematics.PairMass(p, 0, 0, 1, p, 0, Math.PI, 1), 1e-12);
    }

    [Fact]
    public void Nearly_collinear_light_particles_keep_their_precision()
    {
        // Two 1 TeV electrons 1e-5 apart in η: M² = 2 pT² (cosh(1e-5) − 1) + O(m²) = pT² · 1e-10, M ≈ 0.01 GeV
        // (plus the masses' share); E² − p² of the summed four-vector would lose everything here.
        double expected2 = 2 * 1000.0 * 1000.0 * 2 * Math.Pow(Math.Sinh(0.5e-5), 2);
        Assert.Equal(Math.Sqrt(expected2), Kinematics.MasslessPairMass(1000, 0.3, 1, 1000, 0.30001, 1), 1e-12 * Math.Sqrt(expected2));
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void The_z_constraint_energy_puts_the_pair_at_the_z_mass(double pt1, double eta1, double phi1, double pt2, double eta2, double phi2)
    {
        _ = pt2;
        double energy = Kinematics.ZConstraintEnergy(pt1, eta1, phi1, eta2, phi2);
        var probe = LorentzVector.FromPtEtaPhiM(energy / Math.Cosh(eta2), eta2, phi2, 0);
        var tag = LorentzVector.FromPtEtaPhiM(pt1, eta1, phi1, 0);
        Assert.Equal(Kinematics.ZMass, (tag + probe).M, 1e-9 * Kinematics.ZMass);
        Assert.Equal(energy, probe.E, 1e-12 * energy);
    }
}
