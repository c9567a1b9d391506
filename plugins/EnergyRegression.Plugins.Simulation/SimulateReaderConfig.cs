using System.ComponentModel;
using EnergyRegression.Configuration;
using EnergyRegression.Simulation;

namespace EnergyRegression.Plugins.Simulation;

/// <summary>Config of the <c>simulate</c> reader (the <c>with:</c> section of <c>reader: {type: simulate}</c>).</summary>
public sealed class SimulateReaderConfig : PluginConfig
{
    /// <summary>What to generate: zee (Z -&gt; ee with fake electrons) or particle-gun (one particle per event).</summary>
    [Description("What to generate: zee (Z -> ee with fake electrons) or particle-gun (one particle per event).")]
    public string Process { get; set; } = "zee";

    /// <summary>Number of events to generate.</summary>
    [Description("Number of events to generate.")]
    public long Events { get; set; } = 10_000;

    /// <summary>Number of the first event: a sample split into pieces uses first_event = k * events for piece k, and the pieces together equal one big sample.</summary>
    [Description("Number of the first event: a sample split into pieces uses first_event = k * events for piece k, and the pieces together equal one big sample.")]
    public long FirstEvent { get; set; }

    /// <summary>mc (simulation, truth stored) or data (pseudo-data: another calibration map, data_scale, data_smearing, no truth).</summary>
    [Description("mc (simulation, truth stored) or data (pseudo-data: another calibration map, data_scale, data_smearing, no truth).")]
    public string Mode { get; set; } = "mc";

    /// <summary>Seed of the events' random streams. Default: the chain's seed.</summary>
    [Description("Seed of the events' random streams. Default: the chain's seed.")]
    public int? Seed { get; set; }

    /// <summary>Seed of the detector (dead crystals, calibration maps); keep it fixed to compare samples.</summary>
    [Description("Seed of the detector (dead crystals, calibration maps); keep it fixed to compare samples.")]
    public int DetectorSeed { get; set; } = new SimulationSettings().DetectorSeed;

    /// <summary>Particle gun: e+, e-, e (either charge) or gamma.</summary>
    [Description("Particle gun: e+, e-, e (either charge) or gamma.")]
    public string Particle { get; set; } = "e+";

    /// <summary>Particle gun: energy range [low, high] in GeV, uniform (a single value [E, E] for a fixed energy).</summary>
    [Description("Particle gun: energy range [low, high] in GeV, uniform (a single value [E, E] for a fixed energy).")]
    public double[] Energy { get; set; } = [20, 100];

    /// <summary>Particle gun: pT range [low, high] in GeV, uniform; replaces energy when given.</summary>
    [Description("Particle gun: pT range [low, high] in GeV, uniform; replaces energy when given.")]
    public double[]? Pt { get; set; }

    /// <summary>Particle gun: eta range [low, high], uniform.</summary>
    [Description("Particle gun: eta range [low, high], uniform.")]
    public double[] Eta { get; set; } = [-1.4442, 1.4442];

    /// <summary>Particle gun: phi range [low, high] in radians, uniform.</summary>
    [Description("Particle gun: phi range [low, high] in radians, uniform.")]
    public double[] Phi { get; set; } = [-Math.PI, Math.PI];

    /// <summary>Z -&gt; ee: generated Z masses are kept in [low, high] GeV.</summary>
    [Description("Z -> ee: generated Z masses are kept in [low, high] GeV.")]
    public double[] ZMassRange { get; set; } = [50, 130];

    /// <summary>Z -&gt; ee: mean number of fake (jet) electrons per event.</summary>
    [Description("Z -> ee: mean number of fake (jet) electrons per event.")]
    public double FakeRate { get; set; } = 0.3;

    /// <summary>Simulate the simplified endcaps with their preshower (1.566 &lt; |eta| &lt; 2.99) as well as the barrel; false: the barrel only.</summary>
    [Description("Simulate the simplified endcaps with their preshower (1.566 < |eta| < 2.99) as well as the barrel; false: the barrel only.")]
    public bool Endcap { get; set; } = true;

    /// <summary>Side of the square crystal window stored per object (Collection_window), centred on the seed.</summary>
    [Description("Side of the square crystal window stored per object (Collection_window), centred on the seed.")]
    public int Window { get; set; } = 32;

    /// <summary>Stochastic term a of the 3x3 resolution a/sqrt(E) + b/E + c.</summary>
    [Description("Stochastic term a of the 3x3 resolution a/sqrt(E) + b/E + c.")]
    public double Stochastic { get; set; } = 0.028;

    /// <summary>Constant term c of the 3x3 resolution.</summary>
    [Description("Constant term c of the 3x3 resolution.")]
    public double Constant { get; set; } = 0.003;

    /// <summary>Electronic noise per barrel crystal in GeV (the 3x3 noise term b is 3x this).</summary>
    [Description("Electronic noise per barrel crystal in GeV (the 3x3 noise term b is 3x this).")]
    public double Noise { get; set; } = 0.040;

    /// <summary>Electronic noise per endcap crystal in GeV.</summary>
    [Description("Electronic noise per endcap crystal in GeV.")]
    public double EndcapNoise { get; set; } = 0.150;

    /// <summary>Stored window: crystals outside the seed's 5x5 reading below this (GeV, absolute value) are stored as 0.</summary>
    [Description("Stored window: crystals outside the seed's 5x5 reading below this (GeV, absolute value) are stored as 0.")]
    public double CrystalThreshold { get; set; } = 0.1;

    /// <summary>Fraction of dead crystals.</summary>
    [Description("Fraction of dead crystals.")]
    public double DeadFraction { get; set; } = 0.003;

    /// <summary>Per-crystal calibration spread of the simulation in the barrel at eta = 0 (intercalibration and transparency-correction residuals; x(1 + 3(|eta|/1.479)^2) towards its end).</summary>
    [Description("Per-crystal calibration spread of the simulation in the barrel at eta = 0 (intercalibration and transparency-correction residuals; x(1 + 3(|eta|/1.479)^2) towards its end).")]
    public double McMiscalibration { get; set; } = 0.012;

    /// <summary>Per-crystal calibration spread of the pseudo-data (a different map) in the barrel at eta = 0.</summary>
    [Description("Per-crystal calibration spread of the pseudo-data (a different map) in the barrel at eta = 0.")]
    public double DataMiscalibration { get; set; } = 0.015;

    /// <summary>Per-crystal calibration spread of the simulation in the endcaps.</summary>
    [Description("Per-crystal calibration spread of the simulation in the endcaps.")]
    public double EndcapMiscalibration { get; set; } = 0.05;

    /// <summary>Per-crystal calibration spread of the pseudo-data in the endcaps.</summary>
    [Description("Per-crystal calibration spread of the pseudo-data in the endcaps.")]
    public double DataEndcapMiscalibration { get; set; } = 0.055;

    /// <summary>Pseudo-data: global energy scale relative to the simulation.</summary>
    [Description("Pseudo-data: global energy scale relative to the simulation.")]
    public double DataScale { get; set; } = 0.985;

    /// <summary>Pseudo-data: extra relative smearing of every shower.</summary>
    [Description("Pseudo-data: extra relative smearing of every shower.")]
    public double DataSmearing { get; set; } = 0.01;

    /// <summary>Mean number of pile-up interactions &lt;mu&gt;.</summary>
    [Description("Mean number of pile-up interactions <mu>.")]
    public double Pileup { get; set; }

    /// <summary>Scale of the tracker material in front of the calorimeter (1 = CMS-like, 0 = none: no brem, no conversions).</summary>
    [Description("Scale of the tracker material in front of the calorimeter (1 = CMS-like, 0 = none: no brem, no conversions).")]
    public double Material { get; set; } = 1;

    /// <summary>Store the truth (Gen collection, match index, true energy) in mc mode.</summary>
    [Description("Store the truth (Gen collection, match index, true energy) in mc mode.")]
    public bool Truth { get; set; } = true;

    /// <summary>Also write the detector's dead crystals to this JSON file (read by the quality selection's dead_crystal cut).</summary>
    [Description("Also write the detector's dead crystals to this JSON file, {\"crystals\": [[ieta, iphi], ...]}, for the quality selection's dead_crystal cut (docs/selections.md).")]
    [PathValue]
    public string? DeadCrystalMap { get; set; }

    /// <summary>Threads simulating events (0 = one per core). The events do not depend on it.</summary>
    [Description("Threads simulating events (0 = one per core). The events do not depend on it.")]
    public int Threads { get; set; }

    /// <summary>The simulator's settings for this config.</summary>
    public SimulationSettings ToSettings(int chainSeed) => new()
    {
        Process = ParseProcess(Process),
        Mode = ParseMode(Mode),
        Seed = Seed ?? chainSeed,
        DetectorSeed = DetectorSeed,
        Particle = ParseParticle(Particle),
        EnergyRange = Range(Energy, "energy"),
        PtRange = Pt is null ? null : Range(Pt, "pt"),
        EtaRange = Range(Eta, "eta"),
        PhiRange = Range(Phi, "phi"),
        ZMassRange = Range(ZMassRange, "z_mass_range"),
        FakeElectronRate = FakeRate,
        Endcap = Endcap,
        WindowSize = Window,
        StochasticTerm = Stochastic,
        ConstantTerm = Constant,
        NoisePerCrystal = Noise,
        EndcapNoisePerCrystal = EndcapNoise,
        CrystalThreshold = CrystalThreshold,
        DeadFraction = DeadFraction,
        McMiscalibration = McMiscalibration,
        DataMiscalibration = DataMiscalibration,
        EndcapMiscalibration = EndcapMiscalibration,
        DataEndcapMiscalibration = DataEndcapMiscalibration,
        DataScale = DataScale,
        DataSmearing = DataSmearing,
        Pileup = Pileup,
        TrackerMaterialScale = Material,
    };

    /// <inheritdoc />
    public override void Validate()
    {
        if (Events <= 0)
        {
            throw new ConfigValueException("events", "must be a positive number of events");
        }
        if (FirstEvent < 0)
        {
            throw new ConfigValueException("first_event", "must be 0 or more");
        }
        if (Threads < 0)
        {
            throw new ConfigValueException("threads", "must be 0 (one per core) or more");
        }
        (string Setting, string Problem) first = ToSettings(0).Problems().FirstOrDefault();
        if (first.Problem is not null)
        {
            throw new ConfigValueException(KeyBySetting[first.Setting], first.Problem);
        }
    }

    /// <summary>The config key of each <see cref="SimulationSettings"/> property that <see cref="SimulationSettings.Problems"/> can name.</summary>
    private static readonly Dictionary<string, string> KeyBySetting = new(StringComparer.Ordinal)
    {
        [nameof(SimulationSettings.EnergyRange)] = "energy",
        [nameof(SimulationSettings.PtRange)] = "pt",
        [nameof(SimulationSettings.EtaRange)] = "eta",
        [nameof(SimulationSettings.PhiRange)] = "phi",
        [nameof(SimulationSettings.ZMassRange)] = "z_mass_range",
        [nameof(SimulationSettings.FakeElectronRate)] = "fake_rate",
        [nameof(SimulationSettings.WindowSize)] = "window",
        [nameof(SimulationSettings.StochasticTerm)] = "stochastic",
        [nameof(SimulationSettings.ConstantTerm)] = "constant",
        [nameof(SimulationSettings.NoisePerCrystal)] = "noise",
        [nameof(SimulationSettings.EndcapNoisePerCrystal)] = "endcap_noise",
        [nameof(SimulationSettings.CrystalThreshold)] = "crystal_threshold",
        [nameof(SimulationSettings.DeadFraction)] = "dead_fraction",
        [nameof(SimulationSettings.McMiscalibration)] = "mc_miscalibration",
        [nameof(SimulationSettings.DataMiscalibration)] = "data_miscalibration",
        [nameof(SimulationSettings.EndcapMiscalibration)] = "endcap_miscalibration",
        [nameof(SimulationSettings.DataEndcapMiscalibration)] = "data_endcap_miscalibration",
        [nameof(SimulationSettings.DataScale)] = "data_scale",
        [nameof(SimulationSettings.DataSmearing)] = "data_smearing",
        [nameof(SimulationSettings.Pileup)] = "pileup",
        [nameof(SimulationSettings.TrackerMaterialScale)] = "material",
    };

    private static (double Low, double High) Range(double[] values, string key) => values is { Length: 2 }
        ? (values[0], values[1])
        : throw new ConfigValueException(key, $"needs two numbers [low, high], got {values?.Length ?? 0}");

    /// <summary>Parses <c>zee</c> / <c>particle-gun</c>.</summary>
    public static SimulatedProcess ParseProcess(string text) => text switch
    {
        "zee" or "z-ee" or "Zee" => SimulatedProcess.Zee,
        "particle-gun" or "particle_gun" or "gun" => SimulatedProcess.ParticleGun,
        _ => throw new ConfigValueException("process", $"must be zee or particle-gun; got '{text}'"),
    };

    /// <summary>Parses <c>mc</c> / <c>data</c>.</summary>
    public static SimulationMode ParseMode(string text) => text switch
    {
        "mc" or "MC" => SimulationMode.Mc,
        "data" => SimulationMode.Data,
        _ => throw new ConfigValueException("mode", $"must be mc or data; got '{text}'"),
    };

    /// <summary>Parses <c>e+</c>, <c>e-</c>, <c>e</c>, <c>gamma</c>.</summary>
    public static GunParticle ParseParticle(string text) => text switch
    {
        "e+" or "positron" => GunParticle.Positron,
        "e-" or "electron" => GunParticle.Electron,
        "e" or "e+-" or "e±" => GunParticle.ElectronOrPositron,
        "gamma" or "photon" => GunParticle.Photon,
        _ => throw new ConfigValueException("particle", $"must be e+, e-, e (either charge) or gamma; got '{text}'"),
    };
}
