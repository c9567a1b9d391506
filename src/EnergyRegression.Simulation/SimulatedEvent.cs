namespace EnergyRegression.Simulation;

// GenParticle and RecoObject are plain data filled field by field in the simulation's hot loop and
// copied column by column into batches: public fields on purpose.
#pragma warning disable CA1051

/// <summary>A generated (true) particle.</summary>
public struct GenParticle
{
    /// <summary>PDG code: 11 e⁻, −11 e⁺, 22 γ.</summary>
    public int PdgId;

    /// <summary>Charge (−1, 0, +1).</summary>
    public int Charge;

    /// <summary>True energy (GeV).</summary>
    public float Energy;

    /// <summary>True transverse momentum (GeV).</summary>
    public float Pt;

    /// <summary>True pseudorapidity at the vertex.</summary>
    public float Eta;

    /// <summary>True azimuth at the vertex.</summary>
    public float Phi;

    /// <summary>Fraction of the energy an electron radiated in the tracker (photons: 0).</summary>
    public float BremFraction;

    /// <summary>True for a photon that converted in the tracker.</summary>
    public bool Converted;
}

/// <summary>
/// A reconstructed electron or photon: its seed crystal, cluster energies, shower shapes, track and
/// identification variables, and (simulation only) the index of the true particle it matches.
/// </summary>
public struct RecoObject
{
    /// <summary>Transverse momentum: raw supercluster energy × <see cref="EventSimulator.GlobalEnergyCorrection"/>, direction from the track (electrons) or the supercluster (photons).</summary>
    public float Pt;

    /// <summary>Pseudorapidity (electrons: track at the vertex; photons: supercluster from the origin).</summary>
    public float Eta;

    /// <summary>Azimuth (electrons: track at the vertex; photons: supercluster).</summary>
    public float Phi;

    /// <summary>Charge from the track (photons: 0).</summary>
    public int Charge;

    /// <summary>Raw supercluster energy: the kept sub-clusters of 5-crystal η dominoes within ±17 crystals in φ (the seed's 5 × 5 included; collects brem).</summary>
    public float Energy;

    /// <summary>Energy the preshower measured under the supercluster (endcaps, 1.653 &lt; |η| &lt; 2.6; else 0).</summary>
    public float PreshowerEnergy;

    /// <summary>Energy-weighted η and φ widths of the supercluster's crystals.</summary>
    public float EtaWidth, PhiWidth;

    /// <summary>Energy of the seed sub-cluster (the run of dominoes holding the seed).</summary>
    public float SeedClusterEnergy;

    /// <summary>Number of sub-clusters in the supercluster (the seed's included).</summary>
    public int Clusters;

    /// <summary>The three largest other sub-clusters: energy and η, φ distance to the seed sub-cluster (0 when absent).</summary>
    public float Cluster1Energy, Cluster1DEta, Cluster1DPhi, Cluster2Energy, Cluster2DEta, Cluster2DPhi, Cluster3Energy, Cluster3DEta, Cluster3DPhi;

    /// <summary>Sum of the 5 × 5 crystals around the seed.</summary>
    public float E5x5;

    /// <summary>Sum of the 3 × 3 crystals around the seed.</summary>
    public float E3x3;

    /// <summary>The seed crystal's energy.</summary>
    public float EMax;

    /// <summary>The second most energetic crystal of the 5 × 5.</summary>
    public float E2nd;

    /// <summary>The crystals next to the seed: +η (top), −η (bottom), −φ (left), +φ (right).</summary>
    public float ETop, EBottom, ELeft, ERight;

    /// <summary>The seed's 5-crystal η strip; the larger of the 2 × 5 strips made of it and a neighbouring column.</summary>
    public float E1x5, E2x5Max;

    /// <summary>Position of the shower in the seed crystal: log-weighted 3 × 3 centre, in crystal widths from the seed's centre (η, φ).</summary>
    public float CrystalEta, CrystalPhi;

    /// <summary>E3x3 / supercluster energy.</summary>
    public float R9;

    /// <summary>σiηiη: log-weighted η width of the 5 × 5 (PHYSICS.md, seed 2), in η units.</summary>
    public float SigmaIEtaIEta;

    /// <summary>σiφiφ: the same in φ.</summary>
    public float SigmaIPhiIPhi;

    /// <summary>Supercluster position, energy weighted.</summary>
    public float SuperClusterEta, SuperClusterPhi;

    /// <summary>Seed crystal: CMS-like signed iη (±1…±85 barrel, ±86…±167 endcap) and iφ (1…360).</summary>
    public int SeedIEta, SeedIPhi;

    /// <summary>Centre of the seed crystal's face.</summary>
    public float SeedEta, SeedPhi;

    /// <summary>True when the seed is in the barrel.</summary>
    public bool IsBarrel;

    /// <summary>Dead crystals in the 5 × 5 around the seed.</summary>
    public int DeadIn5x5;

    /// <summary>Electrons: transverse momentum of the track at the vertex.</summary>
    public float TrackPt;

    /// <summary>Electrons: (p_in − p_out)/p_in of the track.</summary>
    public float FBrem;

    /// <summary>Electrons: η(seed cluster) − η(track).</summary>
    public float DEtaIn;

    /// <summary>Electrons: φ(supercluster) − φ(track extrapolated to the calorimeter).</summary>
    public float DPhiIn;

    /// <summary>Electrons: 1/E(supercluster) − 1/p(track), in 1/GeV.</summary>
    public float EInvMinusPInv;

    /// <summary>Hadronic over electromagnetic energy.</summary>
    public float HOverE;

    /// <summary>Relative isolation (sum of pT in a cone of 0.3, pile-up included, over pT).</summary>
    public float RelIso;

    /// <summary>Cut-based identification, NanoAOD-style: 0 fail, 1 veto, 2 loose, 3 medium, 4 tight.</summary>
    public int CutBased;

    /// <summary>Matched to the single-electron trigger.</summary>
    public bool TriggerMatched;

    /// <summary>Index of the matched true particle in the event's generated collection, −1 for fakes (simulation only).</summary>
    public int GenIndex;

    /// <summary>Sets the reported sub-cluster <paramref name="k"/> (0, 1, 2).</summary>
    public void SetCluster(int k, float energy, float dEta, float dPhi)
    {
        switch (k)
        {
            case 0:
                (Cluster1Energy, Cluster1DEta, Cluster1DPhi) = (energy, dEta, dPhi);
                break;
            case 1:
                (Cluster2Energy, Cluster2DEta, Cluster2DPhi) = (energy, dEta, dPhi);
                break;
            case 2:
                (Cluster3Energy, Cluster3DEta, Cluster3DPhi) = (energy, dEta, dPhi);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(k));
        }
    }
}

#pragma warning restore CA1051

/// <summary>One simulated event: truth and reconstructed objects with their crystal windows.</summary>
public sealed class SimulatedEvent
{
    /// <summary>Entry number (0-based) in the sample.</summary>
    public long Entry { get; internal set; }

    /// <summary>Number of pile-up interactions in this event.</summary>
    public int PileupInteractions { get; internal set; }

    /// <summary>Median energy density from pile-up (GeV per unit area), like NanoAOD's rho.</summary>
    public float Rho { get; internal set; }

    /// <summary>Reconstructed primary vertices (NanoAOD's PV_npvs): the hard interaction and the pile-up ones found.</summary>
    public int PrimaryVertices { get; internal set; }

    /// <summary>True Z mass, pT and rapidity (Z → ee only; NaN otherwise).</summary>
    public (float Mass, float Pt, float Rapidity) Z { get; internal set; } = (float.NaN, float.NaN, float.NaN);

    /// <summary>The generated electrons or photons.</summary>
    public List<GenParticle> Gen { get; } = [];

    /// <summary>The reconstructed electrons or photons.</summary>
    public List<RecoObject> Objects { get; } = [];

    /// <summary>Crystal windows of the objects, row-major (η rows, φ columns), window × window floats each, in object order.</summary>
    public float[] Windows { get; internal set; } = [];

    internal void Reset(long entry)
    {
        Entry = entry;
        PileupInteractions = 0;
        Rho = 0;
        PrimaryVertices = 0;
        Z = (float.NaN, float.NaN, float.NaN);
        Gen.Clear();
        Objects.Clear();
    }

    internal Span<float> WindowSlot(int index, int size)
    {
        int length = size * size;
        if (Windows.Length < (index + 1) * length)
        {
            float[] grown = new float[Math.Max((index + 1) * length, Windows.Length * 2)];
            Windows.CopyTo(grown, 0);
            Windows = grown;
        }
        return Windows.AsSpan(index * length, length);
    }
}
