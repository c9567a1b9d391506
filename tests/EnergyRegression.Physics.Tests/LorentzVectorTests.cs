namespace EnergyRegression.Physics.Tests;

/// <summary>Four-vectors: collider coordinates, invariant mass, boosts (PDG Review "Kinematics").</summary>
public class LorentzVectorTests
{
    [Theory]
    [InlineData(45.0, 0.0, 0.0, 0.0)]
    [InlineData(45.0, 1.3, 2.9, 0.000511)]
    [InlineData(12.5, -2.4, -3.1, 0.1057)]
    [InlineData(80.0, 0.7, -1.2, 91.1876)]
    [InlineData(3.0, 4.5, 1.0, 1.5)]
    public void FromPtEtaPhiM_round_trips_the_collider_coordinates(double pt, double eta, double phi, double mass)
    {
        var v = LorentzVector.FromPtEtaPhiM(pt, eta, phi, mass);
        Assert.Equal(pt, v.Pt, 1e-12 * pt);
        Assert.Equal(eta, v.Eta, 1e-12);
        Assert.Equal(phi, v.Phi, 1e-12);
        // m² = E² − p² loses relative precision ~ (E/m)² ε: compare m² with that tolerance.
        Assert.Equal(mass * mass, v.M * v.M, 1e-14 * v.E * v.E + 1e-12);
        // p = pT cosh η, E² = p² + m².
        Assert.Equal(pt * Math.Cosh(eta), v.P, 1e-12 * v.P);
        Assert.Equal(Math.Sqrt(pt * pt * Math.Cosh(eta) * Math.Cosh(eta) + mass * mass), v.E, 1e-12 * v.E);
    }

    [Fact]
    public void FromPtRapidityPhiM_round_trips_rapidity_and_mass()
    {
        var v = LorentzVector.FromPtRapidityPhiM(20, 1.7, -0.4, 91.1876);
        Assert.Equal(1.7, v.Rapidity, 1e-12);
        Assert.Equal(91.1876, v.M, 1e-9);
        Assert.Equal(20, v.Pt, 1e-12);
        Assert.Equal(-0.4, v.Phi, 1e-12);
        // A massless vector has y = η.
        var massless = LorentzVector.FromPtRapidityPhiM(20, -1.1, 0.3, 0);
        Assert.Equal(-1.1, massless.Eta, 1e-12);
    }

    [Fact]
    public void Eta_and_phi_along_the_beam_and_of_the_null_vector()
    {
        Assert.Equal(1e10, new LorentzVector(0, 0, 5, 5).Eta);
        Assert.Equal(-1e10, new LorentzVector(0, 0, -5, 5).Eta);
        Assert.Equal(0, new LorentzVector(0, 0, 0, 1).Phi);
        Assert.Equal(Math.PI, new LorentzVector(-1, 0, 0, 1).Phi);
        // θ = 90° is η = 0; θ = 2 atan(e^−1) is η = 1.
        Assert.Equal(0, new LorentzVector(3, 4, 0, 5).Eta, 1e-15);
        Assert.Equal(1, Kinematics.EtaFromTheta(2 * Math.Atan(Math.Exp(-1))), 1e-14);
        Assert.Equal(0, Kinematics.EtaFromTheta(Math.PI / 2), 1e-15);
    }

    [Fact]
    public void A_spacelike_rounding_gives_zero_mass()
    {
        Assert.Equal(0, new LorentzVector(1, 0, 0, 0.999).M);
        Assert.Equal(5, new LorentzVector(0, 0, 0, 5).M);
    }

    [Fact]
    public void Sum_and_scale_act_on_all_components()
    {
        var a = new LorentzVector(1, 2, 3, 10);
        var b = new LorentzVector(-4, 0.5, 2, 7);
        Assert.Equal(new LorentzVector(-3, 2.5, 5, 17), a + b);
        Assert.Equal(new LorentzVector(2, 4, 6, 20), a.Scale(2));
        Assert.Equal(2 * a.M, a.Scale(2).M, 1e-12);
    }

    [Theory]
    [InlineData(0.6, 0.0, 0.0)]
    [InlineData(0.0, 0.0, -0.99)]
    [InlineData(0.3, -0.4, 0.5)]
    public void A_particle_at_rest_is_given_momentum_gamma_m_beta(double bx, double by, double bz)
    {
        const double Mass = 3.0;
        double beta2 = bx * bx + by * by + bz * bz;
        double gamma = 1 / Math.Sqrt(1 - beta2);
        LorentzVector v = new LorentzVector(0, 0, 0, Mass).Boost(bx, by, bz);
        Assert.Equal(gamma * Mass, v.E, 1e-12);
        Assert.Equal(gamma * Mass * bx, v.Px, 1e-12);
        Assert.Equal(gamma * Mass * by, v.Py, 1e-12);
        Assert.Equal(gamma * Mass * bz, v.Pz, 1e-12);
        // The boosted particle moves with β.
        Assert.Equal(bx, v.Beta.X, 1e-14);
        Assert.Equal(by, v.Beta.Y, 1e-14);
        Assert.Equal(bz, v.Beta.Z, 1e-14);
    }

    [Fact]
    public void A_boost_along_z_matches_the_textbook_matrix()
    {
        // E' = γ(E + β pz), pz' = γ(pz + β E), transverse unchanged.
        var v = new LorentzVector(1.5, -2, 4, 10);
        const double Beta = 0.8;
        double gamma = 1 / Math.Sqrt(1 - Beta * Beta);
        LorentzVector b = v.Boost(0, 0, Beta);
        Assert.Equal(gamma * (10 + Beta * 4), b.E, 1e-12);
        Assert.Equal(gamma * (4 + Beta * 10), b.Pz, 1e-12);
        Assert.Equal(1.5, b.Px, 1e-14);
        Assert.Equal(-2, b.Py, 1e-14);
    }

    [Fact]
    public void Boosts_preserve_the_mass_and_invert()
    {
        var v = new LorentzVector(3, -7, 12, 20);
        (double X, double Y, double Z)[] betas = [(0.1, 0.2, 0.3), (-0.5, 0.5, -0.5), (0, 0.999, 0), (0.7, 0, -0.1)];
        foreach ((double x, double y, double z) in betas)
        {
            LorentzVector b = v.Boost(x, y, z);
            Assert.Equal(v.M, b.M, 1e-9);
            LorentzVector back = b.Boost(-x, -y, -z);
            Assert.Equal(v.Px, back.Px, 1e-9);
            Assert.Equal(v.Py, back.Py, 1e-9);
            Assert.Equal(v.Pz, back.Pz, 1e-9);
            Assert.Equal(v.E, back.E, 1e-9);
        }
        // Boosting by minus its own velocity brings a vector to rest.
        (double bx, double by, double bz) = v.Beta;
        LorentzVector rest = v.Boost(-bx, -by, -bz);
        Assert.Equal(v.M, rest.E, 1e-9);
        Assert.Equal(0, rest.P, 1e-9);
        Assert.Equal(v, v.Boost(0, 0, 0));
    }

    [Fact]
    public void Back_to_back_decay_products_keep_the_parent_mass_after_a_boost()
    {
        const double Mass = 91.1876;
        var z = LorentzVector.FromPtRapidityPhiM(25, 1.2, 0.7, Mass);
        (double bx, double by, double bz) = z.Beta;
        double theta = 0.9, phi = -2.2, half = Mass / 2;
        var a = new LorentzVector(half * Math.Sin(theta) * Math.Cos(phi), half * Math.Sin(theta) * Math.Sin(phi), half * Math.Cos(theta), half);
        var b = new LorentzVector(-a.Px, -a.Py, -a.Pz, half);
        LorentzVector la = a.Boost(bx, by, bz), lb = b.Boost(bx, by, bz);
        Assert.Equal(Mass, (la + lb).M, 1e-9);
        Assert.Equal(0, la.M, 1e-5);
        // The pair carries the parent's momentum.
        Assert.Equal(z.Px, (la + lb).Px, 1e-9);
        Assert.Equal(z.Pz, (la + lb).Pz, 1e-9);
        Assert.Equal(z.E, (la + lb).E, 1e-9);
        Assert.Equal(Mass, Kinematics.MasslessPairMass(la.Pt, la.Eta, la.Phi, lb.Pt, lb.Eta, lb.Phi), 1e-8);
    }

    [Fact]
    public void A_boost_of_light_speed_throws()
    {
        var v = new LorentzVector(0, 0, 0, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => v.Boost(1, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => v.Boost(0.6, 0.6, 0.6));
    }
}
