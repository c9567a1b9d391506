using EnergyRegression.Physics;
using EnergyRegression.Simulation.Detector;
using EnergyRegression.Simulation.Generators;
using EnergyRegression.Simulation.Randomness;
using EnergyRegression.Simulation.Reconstruction;
using EnergyRegression.Simulation.Showers;
using EnergyRegression.Simulation.Transport;

namespace EnergyRegression.Simulation;

/// <summary>
/// Simulates events one at a time: generation, tracker, showers, readout, reconstruction
/// (docs/simulation.md). Event <c>n</c> depends only on the settings and <c>n</c> — each event has
/// its own random stream — so any thread, batch size or order gives identical events. Thread-safe.
/// </summary>
public sealed class EventSimulator : IDisposable
{
    private readonly SimulationSettings _settings;
    private readonly CalorimeterGeometry _geometry;
    private readonly DetectorConditions _conditions;
    private readonly ShowerModel _showers;
    private readonly Tracker _tracker;
    private readonly ZeeGenerator _zee;
    private readonly ThreadLocal<Workspace> _workspaces;

    /// <summary>Builds the detector (geometry, dead crystals, calibration maps) for these settings.</summary>
    public EventSimulator(SimulationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        _settings = settings;
        _geometry = new CalorimeterGeometry(settings.Endcap);
        _conditions = new DetectorConditions(_geometry, settings);
        _showers = new ShowerModel(_geometry, settings.StochasticTerm, ShowerConstantTerm(settings));
        _tracker = new Tracker(settings.TrackerMaterialScale);
        _zee = new ZeeGenerator(settings);
        _workspaces = new ThreadLocal<Workspace>(() => new Workspace(this));
    }

    /// <summary>The settings the events are simulated with.</summary>
    public SimulationSettings Settings => _settings;

    /// <summary>Name of the reconstructed collection: <c>Photon</c> for a photon gun, else <c>Electron</c>.</summary>
    public string CollectionName => IsPhotonSample ? "Photon" : "Electron";

    /// <summary>Name of the generated collection: <c>GenPhoton</c> or <c>GenElectron</c>.</summary>
    public string GenCollectionName => "Gen" + CollectionName;

    /// <summary>True when the sample's objects are photons.</summary>
    public bool IsPhotonSample => _settings.Process == SimulatedProcess.ParticleGun && _settings.Particle == GunParticle.Photon;

    /// <summary>Number of dead crystals of the detector.</summary>
    public int DeadCrystals => _conditions.DeadCount;

    /// <summary>The dead crystals as CMS indices (iη = ±1 … ±85 in the barrel, ±86 … in the endcaps; iφ = 1 … 360), by crystal index.</summary>
    public IReadOnlyList<(int IEta, int IPhi)> DeadCrystalIndices()
    {
        var dead = new List<(int IEta, int IPhi)>(_conditions.DeadCount);
        for (int ring = 0; ring < _geometry.RingCount; ring++)
        {
            ref readonly CrystalRing crystals = ref _geometry.Ring(ring);
            for (int phi = 0; phi < crystals.PhiCount; phi++)
            {
                if (_conditions.IsDead(crystals.Crystal(phi)))
                {
                    dead.Add((crystals.IEta, phi + 1));
                }
            }
        }
        return dead;
    }

    /// <summary>
    /// The per-shower constant term to put in so that a 3 × 3 cluster ends with the configured one: the
    /// shower model's own leakage fluctuations already contribute ≈ 0.14%, measured with 10 000 photons
    /// at a crystal's centre per energy (docs/simulation.md, "Validation"), subtracted in quadrature.
    /// Pseudo-data adds its extra smearing. (The stochastic term goes in per crystal as configured.)
    /// </summary>
    internal static double ShowerConstantTerm(SimulationSettings settings)
    {
        double constant = Math.Sqrt(Math.Max(0, settings.ConstantTerm * settings.ConstantTerm - NaturalConstant * NaturalConstant));
        return settings.Mode == SimulationMode.Data
            ? Math.Sqrt(constant * constant + settings.DataSmearing * settings.DataSmearing)
            : constant;
    }

    internal const double NaturalConstant = 0.0014;

    /// <summary>Probability that a pile-up interaction gives a reconstructed primary vertex (CMS: ≈ 0.7).</summary>
    public const double VertexEfficiency = 0.7;

    /// <summary>
    /// The one global factor the reconstruction applies to the raw supercluster energy to get the
    /// objects' pT — like the absolute energy-scale calibration of the ECAL with Z → ee. It puts the
    /// Z peak of the simulation (no pile-up) at the Z mass; the raw supercluster energy itself is
    /// ≈ 3.5% low (lateral and rear leakage, gaps, brem outside the road) and is what a regression
    /// corrects object by object.
    /// </summary>
    public const double GlobalEnergyCorrection = 1.035;

    /// <summary>Simulates event number <paramref name="entry"/> into <paramref name="target"/> (cleared first).</summary>
    public void Simulate(long entry, SimulatedEvent target)
    {
        ArgumentNullException.ThrowIfNull(target);
        _workspaces.Value!.Simulate(entry, target);
    }

    /// <summary>Releases the per-thread scratch space.</summary>
    public void Dispose() => _workspaces.Dispose();

    /// <summary>Per-thread scratch: the crystal map, the lists of impacts and candidates.</summary>
    private sealed class Workspace
    {
        private readonly EventSimulator _owner;
        private readonly CrystalEnergies _deposits;
        private readonly Readout _readout;
        private readonly Reconstructor _reconstructor;
        private readonly List<Impact> _impacts = [];
        private readonly List<Candidate> _candidates = [];
        private readonly List<PreshowerHit> _preshower = [];
        private readonly List<Impact> _showers = [];
        private readonly List<(RecoObject Object, int Ring, int Phi)> _objects = [];

        public Workspace(EventSimulator owner)
        {
            _owner = owner;
            _deposits = new CrystalEnergies(owner._geometry.CrystalCount);
            _readout = new Readout(owner._geometry, owner._conditions, owner._settings);
            _reconstructor = new Reconstructor(_readout);
        }

        public void Simulate(long entry, SimulatedEvent target)
        {
            SimulationSettings settings = _owner._settings;
            var random = new RandomStream((ulong)(uint)settings.Seed, (ulong)entry, 1);
            target.Reset(entry);
            _deposits.Clear();
            _impacts.Clear();
            _candidates.Clear();
            _preshower.Clear();
            _objects.Clear();

            int pileup = random.Poisson(settings.Pileup);
            target.PileupInteractions = pileup;
            target.Rho = (float)Math.Max(0, 0.6 * pileup * (1 + 0.1 * random.NextGaussian()));
            target.PrimaryVertices = 1 + random.Binomial(pileup, VertexEfficiency);

            if (settings.Process == SimulatedProcess.ParticleGun)
            {
                AddTrue(ParticleGun.Generate(settings, ref random), target, ref random);
            }
            else
            {
                (TrueParticle electron, TrueParticle positron, double mass, double pt, double rapidity) = _owner._zee.Generate(ref random);
                target.Z = ((float)mass, (float)pt, (float)rapidity);
                AddTrue(electron, target, ref random);
                AddTrue(positron, target, ref random);
                int fakes = random.Poisson(settings.FakeElectronRate);
                for (int i = 0; i < fakes; i++)
                {
                    AddFake(ref random);
                }
            }

            MergeCloseShowers(_impacts, _showers);
            foreach (Impact impact in _showers)
            {
                _owner._showers.Deposit(impact.Energy, impact.Photon, impact.Eta, impact.Phi, ref random, _deposits, out double preshower);
                if (preshower > 0)
                {
                    _preshower.Add(new PreshowerHit(impact.Eta, impact.Phi, preshower));
                }
            }
            _readout.StartEvent(_deposits, Hash.Mix(((ulong)(uint)settings.Seed << 32) ^ Hash.Mix((ulong)entry + 0x5EED)), pileup);
            Reconstruct(target, pileup, ref random);
        }

        /// <summary>
        /// The impacts to shower: photons (brem, fakes' π⁰ photons) that land within <see cref="MergeDistance"/> crystals of
        /// an earlier photon in both η and φ are showered as one, at their energy-weighted position — showers add up
        /// linearly and their lateral shape barely depends on the energy, and the many brem photons of an energetic
        /// electron land on nearly the same spot. Electrons and conversion legs shower on their own.
        /// </summary>
        private static void MergeCloseShowers(List<Impact> impacts, List<Impact> showers)
        {
            showers.Clear();
            foreach (Impact impact in impacts)
            {
                int into = -1;
                if (impact.Photon)
                {
                    double width = Math.Abs(impact.Eta) < CalorimeterGeometry.EndcapEtaLow ? CalorimeterGeometry.BarrelDeltaEta : CalorimeterGeometry.EndcapDeltaEta;
                    for (int k = 0; k < showers.Count && into < 0; k++)
                    {
                        Impact other = showers[k];
                        if (other.Photon && Math.Abs(other.Eta - impact.Eta) < MergeDistance * width
                            && Math.Abs(Kinematics.DeltaPhi(other.Phi, impact.Phi)) < MergeDistance * width)
                        {
                            into = k;
                        }
                    }
                }
                if (into < 0)
                {
                    showers.Add(impact);
                    continue;
                }
                Impact merged = showers[into];
                double energy = merged.Energy + impact.Energy;
                double share = impact.Energy / energy;
                showers[into] = new Impact(energy, merged.Eta + share * (impact.Eta - merged.Eta),
                    Kinematics.WrapPhi(merged.Phi + share * Kinematics.DeltaPhi(impact.Phi, merged.Phi)), true);
            }
        }

        /// <summary>Photons landing closer than this (in crystal widths, in η and in φ) are showered as one.</summary>
        private const double MergeDistance = 0.25;

        /// <summary>A true electron or photon: truth record, tracker transport, a candidate at its main impact.</summary>
        private void AddTrue(TrueParticle particle, SimulatedEvent target, ref RandomStream random)
        {
            int firstImpact = _impacts.Count;
            var gen = new GenParticle
            {
                PdgId = particle.PdgId,
                Charge = particle.Charge,
                Energy = (float)particle.Energy,
                Pt = (float)particle.Pt,
                Eta = (float)particle.Eta,
                Phi = (float)particle.Phi,
            };
            TrueTrack track = default;
            if (particle.IsPhoton)
            {
                gen.Converted = _owner._tracker.TransportPhoton(particle.Energy, particle.Eta, particle.Phi, ref random, _impacts);
            }
            else
            {
                ElectronPath path = _owner._tracker.TransportElectron(particle.Energy, particle.Eta, particle.Phi, particle.Charge, ref random, _impacts);
                gen.BremFraction = (float)(1 - path.PtAtCalorimeter / path.PtAtVertex);
                track = new TrueTrack(path.PtAtVertex, path.PtAtCalorimeter, particle.Charge);
            }
            int genIndex = target.Gen.Count;
            target.Gen.Add(gen);
            AddCandidate(firstImpact, genIndex, track, particle.Eta, particle.Phi);
        }

        /// <summary>
        /// A jet faking an electron: pT 10 GeV + exponential (mean 12 GeV), its electromagnetic part as
        /// 2–4 photons spread over ΔR ≈ 0.03 (π⁰s of the jet), and a charged track carrying an
        /// unrelated fraction of the energy.
        /// </summary>
        private void AddFake(ref RandomStream random)
        {
            double pt = 10 + random.Exponential(12);
            double etaMax = _owner._geometry.EtaMax;
            double eta = random.Uniform(-etaMax, etaMax);
            double phi = random.Uniform(-Math.PI, Math.PI);
            double energy = pt * Math.Cosh(eta);
            int firstImpact = _impacts.Count;
            int photons = 2 + random.NextInt(3);
            double remaining = energy;
            for (int i = 0; i < photons; i++)
            {
                double share = i == photons - 1 ? remaining : remaining * random.Uniform(0.3, 0.8);
                remaining -= share;
                _impacts.Add(new Impact(share, eta + 0.03 * random.NextGaussian(), Kinematics.WrapPhi(phi + 0.03 * random.NextGaussian()), true));
            }
            var track = new TrueTrack(pt * random.Uniform(0.2, 1.5), pt * random.Uniform(0.2, 1.5), random.Bernoulli(0.5) ? 1 : -1);
            AddCandidate(firstImpact, -1, track, eta, phi);
        }

        private void AddCandidate(int firstImpact, int genIndex, TrueTrack track, double eta, double phi)
        {
            // Look for the cluster around the most energetic impact the particle produced.
            double best = -1;
            for (int i = firstImpact; i < _impacts.Count; i++)
            {
                if (_impacts[i].Energy > best)
                {
                    best = _impacts[i].Energy;
                    (eta, phi) = (_impacts[i].Eta, _impacts[i].Phi);
                }
            }
            _candidates.Add(new Candidate(eta, phi, genIndex, track));
        }

        private void Reconstruct(SimulatedEvent target, int pileup, ref RandomStream random)
        {
            SimulationSettings settings = _owner._settings;
            foreach (Candidate candidate in _candidates)
            {
                if (_reconstructor.FindSeed(candidate) is not (int ring, int phi))
                {
                    continue;
                }
                if (_objects.Exists(o => o.Ring == ring && o.Phi == phi))
                {
                    continue; // two particles in one cluster: reconstructed once, matched to the first (true before fakes)
                }
                (RecoObject o, double seedClusterEta) = _reconstructor.Cluster(ring, phi, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_preshower));
                o.GenIndex = candidate.GenIndex;
                bool fake = candidate.GenIndex < 0;
                if (_owner.IsPhotonSample)
                {
                    o.Eta = o.SuperClusterEta;
                    o.Phi = o.SuperClusterPhi;
                }
                else
                {
                    MeasureTrack(ref o, seedClusterEta, candidate, target, fake, ref random);
                }
                o.Pt = (float)((o.Energy + o.PreshowerEnergy) * GlobalEnergyCorrection / Math.Cosh(o.Eta));
                double isolationPt = (fake ? random.Exponential(6) : random.Exponential(0.5)) + 0.02 * pileup * random.NextDouble();
                o.RelIso = o.Pt > 0 ? (float)(isolationPt / o.Pt) : 99;
                o.HOverE = (float)(fake ? random.Exponential(0.1) : random.Exponential(0.004));
                o.CutBased = IdentificationCuts.Evaluate(o, !_owner.IsPhotonSample);
                double turnOn = 0.95 / (1 + Math.Exp(-(o.Pt - 33) / 1.5));
                o.TriggerMatched = random.Bernoulli(turnOn * (o.CutBased >= 2 ? 1 : 0.1));
                _objects.Add((o, ring, phi));
            }

            // NanoAOD order: objects by decreasing pT; windows follow.
            _objects.Sort((a, b) => b.Object.Pt.CompareTo(a.Object.Pt));
            for (int i = 0; i < _objects.Count; i++)
            {
                target.Objects.Add(_objects[i].Object);
                _reconstructor.FillWindow(_objects[i].Ring, _objects[i].Phi, settings.WindowSize,
                    (float)settings.CrystalThreshold, target.WindowSlot(i, settings.WindowSize));
            }
        }

        /// <summary>
        /// The electron's track as a Gaussian-sum-filter fit measures it (CMS, J. Phys. G 31 (2005) N9; CMS-EGM-13-001,
        /// section 4): the momentum at the vertex with the tracker's resolution, 1.5% (2.2% at |η| = 2.5) ⊕ 0.02%·pT,
        /// that degrades with the energy the electron radiated in the tracker, f = 1 − p_out/p_in: + 8%·f in
        /// quadrature, and with probability f the fit follows part of the brem and measures low by f·u, u exponential
        /// of mean 0.15 — the long low tail of electron momenta at large fbrem. Direction with 0.5 mrad; p_out after the
        /// brem with 5%; matching to the cluster: Δη to the seed cluster, Δφ between the supercluster and the track
        /// extrapolated without energy loss.
        /// </summary>
        private static void MeasureTrack(ref RecoObject o, double seedClusterEta, Candidate candidate, SimulatedEvent target, bool fake, ref RandomStream random)
        {
            (double ptVertex, double ptCalorimeter, int charge) = candidate.Track;
            double eta, phi;
            if (fake)
            {
                eta = candidate.ImpactEta + 0.01 * random.NextGaussian();
                phi = candidate.ImpactPhi + 0.03 * random.NextGaussian();
            }
            else
            {
                GenParticle gen = target.Gen[candidate.GenIndex];
                eta = gen.Eta + 0.0005 * random.NextGaussian();
                phi = gen.Phi + 0.0005 * random.NextGaussian();
            }
            double radiated = Math.Clamp(1 - ptCalorimeter / ptVertex, 0, 1);
            double tracker = 0.015 * (1 + 0.2 * Math.Abs(eta));
            double resolution = Math.Sqrt(tracker * tracker + 0.0002 * ptVertex * (0.0002 * ptVertex) + 0.08 * radiated * (0.08 * radiated));
            double followsBrem = random.Bernoulli(radiated) ? Math.Min(1, radiated * random.Exponential(0.15)) : 0;
            double trackPt = ptVertex * (1 + resolution * random.NextGaussian()) * (1 - followsBrem);
            double outPt = ptCalorimeter * (1 + 0.05 * random.NextGaussian());
            o.Eta = (float)eta;
            o.Phi = (float)Kinematics.WrapPhi(phi);
            o.Charge = charge;
            o.TrackPt = (float)trackPt;
            o.FBrem = (float)Math.Clamp(1 - outPt / trackPt, -1, 1);
            o.DEtaIn = (float)(seedClusterEta - eta);
            double extrapolated = Tracker.PhiAtCalorimeter(trackPt, phi, charge);
            o.DPhiIn = double.IsNaN(extrapolated) ? 3.14f : (float)Kinematics.DeltaPhi(o.SuperClusterPhi, extrapolated);
            double trackP = trackPt * Math.Cosh(eta);
            o.EInvMinusPInv = o.Energy > 0 ? (float)(1 / o.Energy - 1 / trackP) : 99;
        }
    }
}
