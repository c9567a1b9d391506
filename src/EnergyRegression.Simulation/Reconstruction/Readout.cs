using EnergyRegression.Simulation.Detector;
using EnergyRegression.Simulation.Randomness;
using EnergyRegression.Simulation.Showers;

namespace EnergyRegression.Simulation.Reconstruction;

/// <summary>
/// What a crystal reads in one event: (deposit + pile-up) × response + noise, or 0 when dead. Noise
/// and pile-up come from a counter-based hash of (event, crystal), so a crystal reads the same value
/// whichever cluster or window asks, and nothing has to be generated for crystals nobody reads.
/// Pile-up has two parts: in-time interactions leave soft deposits (a crystal is hit with probability
/// <see cref="PileupOccupancy"/> per interaction, exponential energy of mean <see cref="PileupDepositMean"/>) —
/// a positive shift of every cluster that grows with the number of interactions, which ρ measures — and the
/// out-of-time interactions leave what the amplitude fit does not remove: a zero-mean smearing per crystal
/// (<see cref="OutOfTimeResidual"/>). The endcap crystals cover 4 × the η–φ area of a barrel crystal and see the
/// pile-up's energy, not its E_T: occupancy × 4, mean energy × cosh η / 2.
/// </summary>
internal sealed class Readout
{
    /// <summary>
    /// Probability per pile-up interaction that a barrel crystal gets a soft deposit: with <see cref="PileupDepositMean"/>,
    /// ≈ 0.3 GeV per unit of η–φ area per interaction, about half of ρ's 0.6 GeV (the neutral electromagnetic part of
    /// the pile-up; CMS, JINST 12 (2017) P10003, fig. 48, ECAL share of the particle-flow energy).
    /// </summary>
    public const double PileupOccupancy = 0.0006;

    /// <summary>Mean energy of a soft pile-up deposit (exponential), barrel (GeV).</summary>
    public const double PileupDepositMean = 0.15;

    /// <summary>
    /// Out-of-time pile-up left after the amplitude fit, per crystal: a Gaussian whose variance is this fraction of the
    /// in-time pile-up's (≈ 20 MeV in the barrel at 30 interactions; CMS multifit, JINST 15 (2020) P10002).
    /// </summary>
    public const double OutOfTimeResidual = 0.3;

    private readonly CalorimeterGeometry _geometry;
    private readonly DetectorConditions _conditions;
    private readonly SimulationSettings _settings;
    private CrystalEnergies _deposits = null!;
    private ulong _eventKey;
    private int _pileupInteractions = -1;

    // Per ring, for _pileupInteractions interactions (they depend on nothing else, so they are refilled only when an
    // event has another count): the occupancy cut on 16 bits, the mean deposit and the out-of-time width.
    private readonly uint[] _pileupCut;
    private readonly float[] _pileupMean;
    private readonly float[] _outOfTime;

    public Readout(CalorimeterGeometry geometry, DetectorConditions conditions, SimulationSettings settings)
    {
        _geometry = geometry;
        _conditions = conditions;
        _settings = settings;
        _pileupCut = new uint[geometry.RingCount];
        _pileupMean = new float[geometry.RingCount];
        _outOfTime = new float[geometry.RingCount];
    }

    public CalorimeterGeometry Geometry => _geometry;

    public DetectorConditions Conditions => _conditions;

    public void StartEvent(CrystalEnergies deposits, ulong eventKey, int pileupInteractions)
    {
        _deposits = deposits;
        _eventKey = eventKey;
        if (pileupInteractions != _pileupInteractions)
        {
            _pileupInteractions = pileupInteractions;
            for (int ring = 0; ring < _geometry.RingCount; ring++)
            {
                (double occupancy, double mean) = PileupOf(_geometry.Ring(ring));
                double probability = 1 - Math.Exp(-pileupInteractions * occupancy);
                _pileupCut[ring] = (uint)Math.Min(65536, Math.Round(probability * 65536));
                _pileupMean[ring] = (float)mean;
                // Variance of the in-time deposits per crystal: p·2m² (exponential: ⟨E²⟩ = 2m²).
                _outOfTime[ring] = (float)(mean * Math.Sqrt(OutOfTimeResidual * 2 * probability));
            }
        }
    }

    /// <summary>True when the ring exists and belongs to <paramref name="subdetector"/>.</summary>
    public bool Exists(int ring, Subdetector subdetector) => _geometry.Exists(ring, subdetector);

    /// <summary>The measured energy of crystal (ring, φ index) in GeV.</summary>
    public float Measured(int ring, int phiIndex)
    {
        Span<float> one = stackalloc float[1];
        ReadRow(ring, phiIndex, one);
        return one[0];
    }

    /// <summary>The pile-up of a ring: per-interaction occupancy and mean deposit (GeV).</summary>
    public static (double Occupancy, double Mean) PileupOf(in CrystalRing ring) => ring.Subdetector == Subdetector.Barrel
        ? (PileupOccupancy, PileupDepositMean)
        : (4 * PileupOccupancy, PileupDepositMean * Math.Cosh(ring.EtaCentre));

    /// <summary>
    /// Reads <paramref name="destination"/>.Length consecutive crystals of a ring starting at φ index
    /// <paramref name="firstPhi"/> (wrapping around). One 64-bit hash gives the noise of four
    /// neighbouring crystals (16 bits each); two more words derived from it their pile-up occupancy and their
    /// out-of-time pile-up; groups of four never straddle a ring (rings hold 360 or 180 crystals and start at multiples of 4),
    /// so a crystal's values do not depend on where a read starts.
    /// </summary>
    public void ReadRow(int ring, int firstPhi, Span<float> destination)
    {
        ref readonly CrystalRing crystals = ref _geometry.Ring(ring);
        bool barrel = crystals.Subdetector == Subdetector.Barrel;
        uint pileupCut = _pileupCut[ring];
        float pileupMean = _pileupMean[ring];
        float outOfTime = _outOfTime[ring];
        float noise = (float)(barrel ? _settings.NoisePerCrystal : _settings.EndcapNoisePerCrystal);
        int phiCount = crystals.PhiCount;
        int rowStart = crystals.FirstCrystal;
        int phi = crystals.WrapPhi(firstPhi);
        int group = -1;
        ulong noiseBits = 0, pileupBits = 0, outOfTimeBits = 0;
        for (int i = 0; i < destination.Length; i++)
        {
            int crystal = rowStart + phi;
            phi = phi == phiCount - 1 ? 0 : phi + 1;
            if (crystal >> 2 != group)
            {
                group = crystal >> 2;
                // One keyed hash per group; the other two words from it through the finaliser (independent bits).
                noiseBits = Hash.Bits(_eventKey, (ulong)group);
                pileupBits = pileupCut > 0 ? Hash.Mix(noiseBits ^ PileupKey) : 0;
                outOfTimeBits = outOfTime > 0 ? Hash.Mix(noiseBits + OutOfTimeKey) : 0;
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
                energy += pileupMean * Hash.Exponential12(Hash.Bits(_eventKey ^ PileupEnergyKey, (ulong)crystal));
            }
            if (outOfTime > 0)
            {
                energy += outOfTime * Hash.Gaussian16(outOfTimeBits >> shift);
            }
            destination[i] = energy * _conditions.Response(crystal) + noise * Hash.Gaussian16(noiseBits >> shift);
        }
    }

    private const ulong PileupKey = 0x5DEECE66DUL;
    private const ulong PileupEnergyKey = 0xB5297A4DUL;
    private const ulong OutOfTimeKey = 0x68E31DA4UL;
}
