namespace EnergyRegression.Simulation.Tests;

/// <summary>Settings of the samples the tests simulate, and a loop over events.</summary>
internal static class Samples
{
    public const double CrystalDeltaEta = 0.0174;
    public const double CrystalDeltaPhi = 2 * Math.PI / 360;

    /// <summary>Centre of barrel crystal ring 10 above η = 0 (CMS iη = 11).</summary>
    public const double CentralEta = CrystalDeltaEta * 10.5;

    /// <summary>Centre of φ index 110 (CMS iφ = 111), well inside a supermodule (crystals 100–119).</summary>
    public const double CentralPhi = -Math.PI + 110.5 * CrystalDeltaPhi;

    /// <summary>±2 mm on the 2.2 cm face of a barrel crystal, in η (and, the same, φ) units.</summary>
    public const double TwoMillimetres = 0.2 / 2.2 * CrystalDeltaEta;

    /// <summary>Photons of one energy at the centre of one barrel crystal ± 2 mm: no tracker material, no miscalibration, no pile-up, no dead crystals.</summary>
    public static SimulationSettings CentralPhotons(double energy) => new()
    {
        Process = SimulatedProcess.ParticleGun,
        Particle = GunParticle.Photon,
        TrackerMaterialScale = 0,
        McMiscalibration = 0,
        Pileup = 0,
        DeadFraction = 0,
        EnergyRange = (energy, energy),
        EtaRange = (CentralEta - TwoMillimetres, CentralEta + TwoMillimetres),
        PhiRange = (CentralPhi - TwoMillimetres, CentralPhi + TwoMillimetres),
    };

    /// <summary>Photons of 20–100 GeV uniform over the barrel, no tracker material, no miscalibration.</summary>
    public static SimulationSettings BarrelPhotons(double deadFraction) => new()
    {
        Process = SimulatedProcess.ParticleGun,
        Particle = GunParticle.Photon,
        TrackerMaterialScale = 0,
        McMiscalibration = 0,
        Pileup = 0,
        DeadFraction = deadFraction,
        EnergyRange = (20, 100),
        EtaRange = (-1.47, 1.47),
        PhiRange = (-Math.PI, Math.PI),
    };

    /// <summary>Simulates entries 0 … events − 1 one after the other and shows each to <paramref name="visit"/>.</summary>
    public static void Run(SimulationSettings settings, int events, Action<SimulatedEvent> visit)
    {
        using var simulator = new EventSimulator(settings);
        var target = new SimulatedEvent();
        for (long entry = 0; entry < events; entry++)
        {
            simulator.Simulate(entry, target);
            visit(target);
        }
    }
}
