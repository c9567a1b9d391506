using EnergyRegression.Simulation.Detector;
using EnergyRegression.Simulation.Randomness;
using EnergyRegression.Simulation.Showers;

namespace EnergyRegression.Simulation.Reconstruction;

/// <summary>
/// What a crystal reads in one event: (deposit + pile-up) × response + noise, or 0 when dead. Noise
/// and pile-up come from a counter-based hash of (event, crystal), so a crystal reads the same value
/// whichever cluster or window asks, and nothing has to be generated for crystals nobody reads.
/// </summary>
internal sealed class Readout
{
    /// <summary>Probability per pile-up interaction that a barrel crystal gets a soft deposit; ×2 in the endcaps.</summary>
    public const double PileupOccupancy = 0.0015;

    /// <summary>Mean energy of a soft pile-up deposit (exponential), barrel; ×2 in the endcaps (GeV).</summary>
    public const double PileupDepositMean = 0.15;

    private readonly CalorimeterGeometry _geometry;
    private readonly DetectorConditions _conditions;
    private readonly SimulationSettings _settings;
    private CrystalEnergies _deposits = null!;
    private ulong _eventKey;
    private double _barrelPileupProbability;
    private double _endcapPileupProbability;

    public Readout(CalorimeterGeometry geometry, DetectorConditions conditions, SimulationSettings settings)
    {
        _geometry = geometry;
        _conditions = conditions;
        _settings = settings;
    }

    public CalorimeterGeometry Geometry => _geometry;

    public DetectorConditions Conditions => _conditions;

    public void StartEvent(CrystalEnergies deposits, ulong eventKey, int pileupInteractions)
    {
        _deposits = deposits;
        _eventKey = eventKey;
        _barrelPileupProbability = 1 - Math.Exp(-pileupInteractions * PileupOccupancy);
        _endcapPileupProbability = 1 - Math.Exp(-pileupInteractions * PileupOccupancy * 2);
    }

    /// <summary>True when the ring exists and belongs to <paramref name="subdetector"/>.</summary>
    public bool Exists(int ring, Subdetector subdetector) =>
        ring >= 0 && ring < _geometry.RingCount && _geometry.Ring(ring).Subdetector == subdetector;

    /// <summary>The measured energy of crystal (ring, φ index) in GeV.</summary>
    public float Measured(int ring, int phiIndex)
    {
        Span<float> one = stackalloc float[1];
        ReadRow(ring, phiIndex, one);
        return one[0];
    }

    /// <summary>
    /// Reads <paramref name="destination"/>.Length consecutive crystals of a ring starting at φ index
    /// <paramref name="firstPhi"/> (wrapping around). One 64-bit hash gives the noise of four
    /// neighbouring crystals (16 bits each) and another their pile-up occupancy; groups of four never
    /// straddle a ring (360 = 4 × 90), so a crystal's values do not depend on where a read starts.
    /// </summary>
    public void ReadRow(int ring, int firstPhi, Span<float> destination)
    {
        bool barrel = _geometry.Ring(ring).Subdetector == Subdetector.Barrel;
        double pileupProbability = barrel ? _barrelPileupProbability : _endcapPileupProbability;
        uint pileupCut = (uint)Math.Min(65536, Math.Round(pileupProbability * 65536));
        double pileupMean = PileupDepositMean * (barrel ? 1 : 2);
        float noise = (float)(barrel ? _settings.NoisePerCrystal : _settings.EndcapNoisePerCrystal);
        int rowStart = ring * CalorimeterGeometry.PhiCount;
        int phi = CalorimeterGeometry.WrapPhi(firstPhi);
        int group = -1;
        ulong noiseBits = 0, pileupBits = 0;
        for (int i = 0; i < destination.Length; i++)
        {
            int crystal = rowStart + phi;
            phi = phi == CalorimeterGeometry.PhiCount - 1 ? 0 : phi + 1;
            if (crystal >> 2 != group)
            {
                group = crystal >> 2;
                noiseBits = Hash.Bits(_eventKey, (ulong)group);
                pileupBits = Hash.Bits(_eventKey ^ PileupKey, (ulong)group);
            }
            if (_conditions.IsDead(crystal))
            {
                destination[i] = 0;
                continue;
            }
            int shift = (crystal & 3) * 16;
            float energy = _deposits[crystal];
            if ((uint)((pileupBits >> shift) & 0xFFFF) < pileupCut)
            {
                energy += (float)pileupMean * Hash.Exponential12(Hash.Bits(_eventKey ^ PileupEnergyKey, (ulong)crystal));
            }
            destination[i] = energy * _conditions.Response(crystal) + noise * Hash.Gaussian16(noiseBits >> shift);
        }
    }

    private const ulong PileupKey = 0x5DEECE66DUL;
    private const ulong PileupEnergyKey = 0xB5297A4DUL;
}
