using EnergyRegression.Simulation.Randomness;

namespace EnergyRegression.Simulation.Detector;

/// <summary>
/// The state of the detector the events are recorded with: dead crystals and the per-crystal
/// calibration the reconstruction gets wrong (MC and pseudo-data maps differ), all drawn once from
/// the detector seed, so every sample sees the same detector. The spread stands for what calibrating a running
/// detector leaves: intercalibration precision and the residual of the transparency (laser) corrections. It worsens
/// towards the ends of the barrel and is worst in the endcaps, as CMS's (fewer events per crystal for the
/// φ-symmetry, π⁰/η and E/p calibrations, more radiation damage and transparency loss: CMS, JINST 8 (2013) P09009,
/// fig. 12–13 and CMS-EGM-18-002): the barrel's spread is the configured one × (1 + 3 (|η|/1.479)²), 4 × at its
/// end; the endcaps have their own. The defaults are set so that electrons that radiate little end with the
/// resolution CMS measured in Run 2 after its regression (CMS-EGM-18-002: better than 1.8%, 3.0% and 4.5% for
/// |η| &lt; 0.8, 0.8–1.5 and 1.5–2.5; docs/simulation.md, "Validation").
/// </summary>
internal sealed class DetectorConditions
{
    private readonly bool[] _dead;
    private readonly float[] _response;

    public DetectorConditions(CalorimeterGeometry geometry, SimulationSettings settings)
    {
        int count = geometry.CrystalCount;
        _dead = new bool[count];
        _response = new float[count];
        ulong seed = (ulong)(uint)settings.DetectorSeed;
        // MC and data maps come from different keys: each is the same whatever else the settings say.
        ulong deadKey = Hash.Mix(seed ^ 0xDEAD);
        ulong mapKey = Hash.Mix(seed ^ (settings.Mode == SimulationMode.Mc ? 0x3C0UL : 0xDA7AUL));
        bool mc = settings.Mode == SimulationMode.Mc;
        double barrelSpread = mc ? settings.McMiscalibration : settings.DataMiscalibration;
        double endcapSpread = mc ? settings.EndcapMiscalibration : settings.DataEndcapMiscalibration;
        double scale = mc ? 1 : settings.DataScale;
        for (int ring = 0; ring < geometry.RingCount; ring++)
        {
            ref readonly CrystalRing crystals = ref geometry.Ring(ring);
            double spread = crystals.Subdetector == Subdetector.Barrel
                ? barrelSpread * BarrelSpreadShape(crystals.EtaCentre)
                : endcapSpread;
            for (int i = crystals.FirstCrystal; i < crystals.FirstCrystal + crystals.PhiCount; i++)
            {
                _dead[i] = Hash.Uniform(Hash.Bits(deadKey, (ulong)i)) < settings.DeadFraction;
                ulong bits = Hash.Bits(mapKey, (ulong)i);
                // Two 16-bit Gaussians summed: a smoother table (σ = √2 · unit, rescaled).
                double gaussian = (Hash.Gaussian16(bits) + Hash.Gaussian16(bits >> 16)) / Math.Sqrt(2);
                _response[i] = (float)(scale * (1 + spread * gaussian));
            }
        }
        DeadCount = _dead.Count(d => d);
    }

    public int DeadCount { get; }

    /// <summary>The barrel calibration spread at η relative to η = 0: 1 + 3 (|η|/1.479)².</summary>
    public static double BarrelSpreadShape(double eta) => 1 + 3 * Math.Pow(Math.Abs(eta) / 1.479, 2);

    public bool IsDead(int crystal) => _dead[crystal];

    /// <summary>Measured / deposited energy of a crystal (its miscalibration, and the data scale).</summary>
    public float Response(int crystal) => _response[crystal];
}
