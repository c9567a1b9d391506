namespace EnergyRegression.Physics.Tests;

/// <summary>Azimuth wrapping, ΔR and the massless pair mass.</summary>
public class KinematicsTests
{
    [Fact]
    public void DeltaPhi_wraps_across_the_branch_cut()
    {
        // 3.1 − (−3.1) = 6.2 rad is 6.2 − 2π = −0.0831853… the short way round.
        Assert.Equal(6.2 - 2 * Math.PI, Kinematics.DeltaPhi(3.1, -3.1), 1e-14);
        Assert.Equal(2 * Math.PI - 6.2, Kinematics.DeltaPhi(-3.1, 3.1), 1e-14);
        Assert.Equal(0.3, Kinematics.DeltaPhi(0.2, -0.1), 1e-15);
        Assert.Equal(-Math.PI / 2, Kinematics.DeltaPhi(Math.PI, -Math.PI / 2), 1e-15);
    }

    [Fact]
    public void WrapPhi_lands_in_the_half_open_interval_and_is_periodic()
    {
        Assert.Equal(-Math.PI, Kinematics.WrapPhi(Math.PI));
        Assert.Equal(-Math.PI, Kinematics.WrapPhi(-Math.PI));
        for (double phi = -3.14; phi < 3.14; phi += 0.0713)
        {
            for (int k = -4; k <= 4; k++)
            {
                double wrapped = Kinematics.WrapPhi(phi + 2 * Math.PI * k);
                Assert.InRange(wrapped, -Math.PI, Math.PI);
                Assert.True(wrapped < Math.PI);
                Assert.Equal(phi, wrapped, 1e-12);
            }
        }
    }

    [Fact]
    public void DeltaR_is_the_euclidean_distance_with_wrapped_phi()
    {
        double dPhi = 2 * Math.PI - 6.2;
        Assert.Equal(Math.Sqrt(1 + dPhi * dPhi), Kinematics.DeltaR(0.5, 3.1, -0.5, -3.1), 1e-14);
        Assert.Equal(0.5, Kinematics.DeltaR(1.0, 0.1, 1.3, -0.3), 1e-14); // 3-4-5
        Assert.Equal(0, Kinematics.DeltaR(2, 1, 2, 1 + 2 * Math.PI), 1e-14);
    }

    [Fact]
    public void MasslessPairMass_equals_the_four_vector_sum()
    {
        (double Pt, double Eta, double Phi)[] particles = [(40, 0.3, 1.0), (35, -1.2, -2.5), (10, 2.2, 3.1), (55, 0.0, -3.1), (5, -0.1, 0.05)];
        foreach ((double pt1, double eta1, double phi1) in particles)
        {
            foreach ((double pt2, double eta2, double phi2) in particles)
            {
                LorentzVector sum = LorentzVector.FromPtEtaPhiM(pt1, eta1, phi1, 0) + LorentzVector.FromPtEtaPhiM(pt2, eta2, phi2, 0);
                double mass = Kinematics.MasslessPairMass(pt1, eta1, phi1, pt2, eta2, phi2);
                Assert.Equal(sum.M, mass, 1e-9 * Math.Max(1, sum.E));
            }
        }
        // Two 45.6 GeV electrons back to back at η = 0: M = 2 · 45.6.
        Assert.Equal(91.2, Kinematics.MasslessPairMass(45.6, 0, 0.5, 45.6, 0, 0.5 - Math.PI), 1e-12);
    }
}
