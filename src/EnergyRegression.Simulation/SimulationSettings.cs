namespace EnergyRegression.Simulation;

/// <summary>Which events the simulator generates.</summary>
public enum SimulatedProcess
{
    /// <summary>One particle per event, energy (or pT), η and φ uniform in ranges.</summary>
    ParticleGun,

    /// <summary>Z → e⁺e⁻ with a Breit-Wigner mass, a Z pT and rapidity spectrum, plus fake electrons.</summary>
    Zee,
}

/// <summary>Simulation ("MC", with truth) or pseudo-data (other calibration, extra smearing, no truth).</summary>
public enum SimulationMode
{
    /// <summary>Simulation: the MC calibration map, truth columns stored.</summary>
    Mc,

    /// <summary>Pseudo-data: another calibration map, a global energy scale, extra smearing; no truth.</summary>
    Data,
}

/// <summary>The particle a particle gun shoots.</summary>
public enum GunParticle
{
    /// <summary>Electrons (charge −1).</summary>
    Electron,

    /// <summary>Positrons (charge +1).</summary>
    Positron,

    /// <summary>Electrons or positrons, charge chosen at random.</summary>
    ElectronOrPositron,

    /// <summary>Photons.</summary>
    Photon,
}

/// <summary>
/// Every setting of the simulator, with CMS-like defaults (docs/simulation.md lists them with their
/// sources). Energies in GeV, lengths in cm, angles in radians.
/// </summary>
public sealed record SimulationSettings
{
    /// <summary>Particle gun or Z → ee.</summary>
    public SimulatedProcess Process { get; init; } = SimulatedProcess.Zee;

    /// <summary>Simulation or pseudo-data.</summary>
    public SimulationMode Mode { get; init; } = SimulationMode.Mc;

    /// <summary>Seed of the per-event random streams.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Seed of the detector conditions (dead crystals, calibration maps). Fixed by default so that
    /// every sample — MC and data, any event seed — sees the same detector.
    /// </summary>
    public int DetectorSeed { get; init; } = 20260101;

    // ---- particle gun ----

    /// <summary>The gun's particle.</summary>
    public GunParticle Particle { get; init; } = GunParticle.Positron;

    /// <summary>Energy range, uniform (ignored when <see cref="PtRange"/> is set).</summary>
    public (double Low, double High) EnergyRange { get; init; } = (20, 100);

    /// <summary>Transverse-momentum range, uniform; when set it replaces <see cref="EnergyRange"/>.</summary>
    public (double Low, double High)? PtRange { get; init; }

    /// <summary>η range of the gun, uniform.</summary>
    public (double Low, double High) EtaRange { get; init; } = (-1.4442, 1.4442);

    /// <summary>φ range of the gun, uniform.</summary>
    public (double Low, double High) PhiRange { get; init; } = (-Math.PI, Math.PI);

    // ---- Z → ee ----

    /// <summary>Generated Z masses are restricted to this window (GeV).</summary>
    public (double Low, double High) ZMassRange { get; init; } = (50, 130);

    /// <summary>Mean number of fake (jet) electrons per event in Z → ee events.</summary>
    public double FakeElectronRate { get; init; } = 0.3;

    // ---- detector ----

    /// <summary>Simulate the simplified endcaps with the preshower (1.566 &lt; |η| &lt; 2.99) as well as the barrel.</summary>
    public bool Endcap { get; init; } = true;

    /// <summary>Side of the square crystal window stored per object, centred on the seed crystal.</summary>
    public int WindowSize { get; init; } = 32;

    /// <summary>Stochastic term a of σ/E = a/√E ⊕ b/E ⊕ c for a 3×3 cluster in the barrel.</summary>
    public double StochasticTerm { get; init; } = 0.028;

    /// <summary>Constant term c.</summary>
    public double ConstantTerm { get; init; } = 0.003;

    /// <summary>Electronic noise per barrel crystal (GeV); the 3×3 noise term b is 3 × this.</summary>
    public double NoisePerCrystal { get; init; } = 0.040;

    /// <summary>Noise per endcap crystal (GeV).</summary>
    public double EndcapNoisePerCrystal { get; init; } = 0.150;

    /// <summary>
    /// Zero suppression of the stored window: crystals outside the 5×5 around the seed with
    /// |E| below this are stored as 0 (the 5×5 is read out in full).
    /// </summary>
    public double CrystalThreshold { get; init; } = 0.1;

    /// <summary>Fraction of dead crystals (they read 0).</summary>
    public double DeadFraction { get; init; } = 0.003;

    /// <summary>Per-crystal calibration spread of the simulation at η = 0 (4 × at the barrel's end; see <c>DetectorConditions</c>).</summary>
    public double McMiscalibration { get; init; } = 0.012;

    /// <summary>Per-crystal calibration spread of the pseudo-data (another map) at η = 0 (4 × at the barrel's end).</summary>
    public double DataMiscalibration { get; init; } = 0.015;

    /// <summary>Per-crystal calibration spread of the simulation in the endcaps.</summary>
    public double EndcapMiscalibration { get; init; } = 0.05;

    /// <summary>Per-crystal calibration spread of the pseudo-data in the endcaps.</summary>
    public double DataEndcapMiscalibration { get; init; } = 0.055;

    /// <summary>Global energy scale of the pseudo-data relative to the simulation.</summary>
    public double DataScale { get; init; } = 0.985;

    /// <summary>Extra relative smearing of every shower's energy in the pseudo-data.</summary>
    public double DataSmearing { get; init; } = 0.01;

    /// <summary>Mean number of pile-up interactions ⟨μ⟩.</summary>
    public double Pileup { get; init; }

    /// <summary>Scale of the tracker material (1 = CMS-like; 0 = no brem, no conversions).</summary>
    public double TrackerMaterialScale { get; init; } = 1;

    /// <summary>Checks the settings; the message names the offending setting.</summary>
    public void Validate()
    {
        (string Setting, string Problem) first = Problems().FirstOrDefault();
        if (first.Problem is not null)
        {
            throw new ArgumentException(first.Problem);
        }
    }

    /// <summary>Every setting out of range: the property's name and what is wrong with it.</summary>
    public IEnumerable<(string Setting, string Problem)> Problems()
    {
        (string Setting, bool Valid, string Problem)[] checks =
        [
            (nameof(EnergyRange), EnergyRange.Low > 0 && EnergyRange.High >= EnergyRange.Low, "energy range must satisfy 0 < low ≤ high"),
            (nameof(PtRange), PtRange is null || (PtRange.Value.Low > 0 && PtRange.Value.High >= PtRange.Value.Low), "pt range must satisfy 0 < low ≤ high"),
            (nameof(EtaRange), EtaRange.High >= EtaRange.Low && Math.Abs(EtaRange.Low) < 5 && Math.Abs(EtaRange.High) < 5, "eta range must satisfy low ≤ high, both within ±5"),
            (nameof(PhiRange), PhiRange.High >= PhiRange.Low, "phi range must satisfy low ≤ high"),
            (nameof(ZMassRange), ZMassRange.Low > 0 && ZMassRange.High > ZMassRange.Low, "Z mass range must satisfy 0 < low < high"),
            (nameof(FakeElectronRate), FakeElectronRate >= 0 && FakeElectronRate <= 10, "fake electron rate must be in [0, 10]"),
            (nameof(WindowSize), WindowSize is >= 5 and <= 128, "window size must be between 5 and 128"),
            (nameof(StochasticTerm), StochasticTerm is >= 0 and < 1, "stochastic term must be in [0, 1)"),
            (nameof(ConstantTerm), ConstantTerm is >= 0 and < 1, "constant term must be in [0, 1)"),
            (nameof(NoisePerCrystal), NoisePerCrystal >= 0, "noise must not be negative"),
            (nameof(EndcapNoisePerCrystal), EndcapNoisePerCrystal >= 0, "noise must not be negative"),
            (nameof(CrystalThreshold), CrystalThreshold >= 0, "crystal threshold must not be negative"),
            (nameof(DeadFraction), DeadFraction is >= 0 and < 0.5, "dead fraction must be in [0, 0.5)"),
            (nameof(McMiscalibration), McMiscalibration is >= 0 and < 0.5, "miscalibration spreads must be in [0, 0.5)"),
            (nameof(DataMiscalibration), DataMiscalibration is >= 0 and < 0.5, "miscalibration spreads must be in [0, 0.5)"),
            (nameof(EndcapMiscalibration), EndcapMiscalibration is >= 0 and < 0.5, "miscalibration spreads must be in [0, 0.5)"),
            (nameof(DataEndcapMiscalibration), DataEndcapMiscalibration is >= 0 and < 0.5, "miscalibration spreads must be in [0, 0.5)"),
            (nameof(DataScale), DataScale is > 0.5 and < 2, "data scale must be in (0.5, 2)"),
            (nameof(DataSmearing), DataSmearing is >= 0 and < 0.5, "data smearing must be in [0, 0.5)"),
            (nameof(Pileup), Pileup is >= 0 and <= 300, "pileup must be in [0, 300]"),
            (nameof(TrackerMaterialScale), TrackerMaterialScale is >= 0 and <= 5, "tracker material scale must be in [0, 5]"),
        ];
        return checks.Where(c => !c.Valid).Select(c => (c.Setting, c.Problem));
    }
}
