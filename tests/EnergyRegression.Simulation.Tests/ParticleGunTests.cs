namespace EnergyRegression.Simulation.Tests;

/// <summary>The particle gun and the tracker: what is generated, conversions and bremsstrahlung.</summary>
public class ParticleGunTests
{
    private static SimulationSettings Gun(GunParticle particle) => new() { Process = SimulatedProcess.ParticleGun, Particle = particle };

    [Fact]
    public void A_positron_gun_with_fixed_direction_generates_positrons()
    {
        SimulationSettings settings = Gun(GunParticle.Positron) with { EnergyRange = (20, 100), EtaRange = (0, 0), PhiRange = (Math.PI / 2, Math.PI / 2) };
        using (var simulator = new EventSimulator(settings))
        {
            Assert.Equal("Electron", simulator.CollectionName);
            Assert.Equal("GenElectron", simulator.GenCollectionName);
            Assert.False(simulator.IsPhotonSample);
        }
        var energies = new List<double>();
        int reconstructed = 0;
        Samples.Run(settings, 300, e =>
        {
            GenParticle gen = Assert.Single(e.Gen);
            Assert.Equal(-11, gen.PdgId);
            Assert.Equal(1, gen.Charge);
            Assert.InRange(gen.Energy, 20f, 100f);
            Assert.Equal(0f, gen.Eta);
            Assert.Equal((float)(Math.PI / 2), gen.Phi);
            Assert.Equal(gen.Energy, gen.Pt); // η = 0
            Assert.True(float.IsNaN(e.Z.Mass));
            energies.Add(gen.Energy);
            foreach (RecoObject o in e.Objects)
            {
                Assert.Equal(0, o.GenIndex);
                Assert.Equal(1, o.Charge);
                reconstructed++;
            }
        });
        // Uniform in [20, 100]: mean 60, σ = 80/√12.
        Assert.Equal(60, Stat.Mean(energies), 4 * 80 / Math.Sqrt(12 * 300));
        Assert.True(reconstructed > 250, $"{reconstructed} positrons reconstructed");
    }

    [Fact]
    public void Electrons_photons_and_mixed_guns_have_their_pdg_codes()
    {
        var ids = new HashSet<int>();
        Samples.Run(Gun(GunParticle.Electron), 20, e => Assert.Equal((11, -1), (e.Gen[0].PdgId, e.Gen[0].Charge)));
        Samples.Run(Gun(GunParticle.Photon), 20, e => Assert.Equal((22, 0), (e.Gen[0].PdgId, e.Gen[0].Charge)));
        Samples.Run(Gun(GunParticle.ElectronOrPositron), 100, e => ids.Add(e.Gen[0].PdgId));
        Assert.Equal([-11, 11], ids.Order());
        using var photons = new EventSimulator(Gun(GunParticle.Photon));
        Assert.Equal("Photon", photons.CollectionName);
        Assert.Equal("GenPhoton", photons.GenCollectionName);
        using var zee = new EventSimulator(new SimulationSettings { Process = SimulatedProcess.Zee, Particle = GunParticle.Photon });
        Assert.Equal("Electron", zee.CollectionName);
    }

    [Fact]
    public void A_pt_range_replaces_the_energy_range()
    {
        SimulationSettings settings = Gun(GunParticle.Photon) with { PtRange = (25, 30), EnergyRange = (500, 600), EtaRange = (1.0, 1.2) };
        Samples.Run(settings, 200, e =>
        {
            GenParticle gen = e.Gen[0];
            Assert.InRange(gen.Pt, 25f * 0.99999f, 30f * 1.00001f);
            Assert.Equal(gen.Pt * Math.Cosh(gen.Eta), gen.Energy, 1e-5 * gen.Energy);
            Assert.InRange(gen.Eta, 1.0f, 1.2f);
        });
    }

    [Fact]
    public void Central_photons_convert_in_the_tracker_material_at_the_expected_rate()
    {
        // 0.4 X0 at η ≈ 0 rising as (η/1.5)²; conversion probability 1 − exp(−7/9 · t) (PDG, "Passage of
        // particles through matter": the pair-production mean free path is 9/7 X0).
        const int Events = 6000;
        SimulationSettings settings = Samples.CentralPhotons(50) with { TrackerMaterialScale = 1 };
        double material = 0.4 + 1.2 * Math.Pow(Samples.CentralEta / 1.5, 2);
        double expected = 1 - Math.Exp(-7.0 / 9.0 * material);
        var converted = new List<double>();
        var unconverted = new List<double>();
        int conversions = 0;
        Samples.Run(settings, Events, e =>
        {
            bool isConverted = e.Gen[0].Converted;
            conversions += isConverted ? 1 : 0;
            if (e.Objects.Count > 0)
            {
                (isConverted ? converted : unconverted).Add(e.Objects[0].R9);
            }
        });
        double fraction = (double)conversions / Events;
        Assert.Equal(expected, fraction, 4 * Math.Sqrt(expected * (1 - expected) / Events));
        Assert.InRange(fraction, 0.2, 0.35); // ≈ 1 − e^(−7/9 · 0.4) = 0.27
        // A converted photon's legs bend apart in φ: less energy in the 3 × 3.
        (double difference, double error) = Stat.DifferenceOfMeans(converted, unconverted);
        Assert.True(difference < -5 * error, $"R9 converted − unconverted = {difference:F4} ± {error:F4}");
        // Without material nothing converts.
        Samples.Run(settings with { TrackerMaterialScale = 0 }, 500, e => Assert.False(e.Gen[0].Converted));
    }

    [Fact]
    public void Electrons_keep_on_average_exp_minus_t_of_their_energy()
    {
        // Bethe–Heitler: after t radiation lengths the surviving fraction z has −ln z ~ Gamma(t/ln 2),
        // so ⟨z⟩ = 2^(−t/ln 2) = e^(−t), the mean energy loss dE/dx = −E/X0. At η = 0.5: t = 0.4 + 1.2/9.
        const int Events = 4000;
        SimulationSettings settings = Gun(GunParticle.Electron) with { EtaRange = (0.5, 0.5), EnergyRange = (40, 60) };
        var surviving = new List<double>();
        Samples.Run(settings, Events, e => surviving.Add(1 - e.Gen[0].BremFraction));
        double t = 0.4 + 1.2 * (0.5 / 1.5) * (0.5 / 1.5);
        Assert.Equal(Math.Exp(-t), Stat.Mean(surviving), 4 * Stat.StandardError(surviving));
        Assert.All(surviving, z => Assert.InRange(z, 0, 1));
        // No material, no brem.
        Samples.Run(settings with { TrackerMaterialScale = 0 }, 100, e => Assert.Equal(0f, e.Gen[0].BremFraction));
    }
}
