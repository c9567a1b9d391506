using EnergyRegression.Simulation.Randomness;

namespace EnergyRegression.Simulation.Detector;

/// <summary>
/// The state of the detector the events are recorded with: dead crystals and the per-crystal
/// calibration the reconstruction gets wrong (MC and pseudo-data maps differ), all drawn once from
/// the detector seed, so every sample sees the same detector.
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
        double spread = settings.Mode == SimulationMode.Mc ? settings.McMiscalibration : settings.DataMiscalibration;
        double scale = settings.Mode == SimulationMode.Mc ? 1 : settings.DataScale;
        for (int i = 0; i < count; i++)
        {
            _dead[i] = Hash.Uniform(Hash.Bits(deadKey, (ulong)i)) < settings.DeadFraction;
            ulong bits = Hash.Bits(mapKey, (ulong)i);
            // Two 16-bit Gaussians summed: a smoother table (σ = √2 · unit, rescaled).
            double gaussian = (Hash.Gaussian16(bits) + Hash.Gaussian16(bits >> 16)) / Math.Sqrt(2);
            _response[i] = (float)(scale * (1 + spread * gaussian));
        }
        DeadCount = _dead.Count(d => d);
    }

    public int DeadCount { get; }

    public bool IsDead(int crystal) => _dead[crystal];

    /// <summary>Measured / deposited energy of a crystal (its miscalibration, and the data scale).</summary>
    public float Response(int crystal) => _response[crystal];
}
