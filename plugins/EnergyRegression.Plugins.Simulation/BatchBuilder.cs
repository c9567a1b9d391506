using EnergyRegression.Data;
using EnergyRegression.Simulation;

namespace EnergyRegression.Plugins.Simulation;

/// <summary>Turns simulated events into an <see cref="EventBatch"/> with NanoAOD-style column names (docs/simulation.md, "Columns").</summary>
internal static class BatchBuilder
{
    public static EventBatch Build(ReadOnlySpan<SimulatedEvent> events, EventSimulator simulator, bool truth)
    {
        SimulationSettings settings = simulator.Settings;
        var batch = new EventBatch(events.Length);
        try
        {
            Fill(batch, events, simulator, settings, truth);
            return batch;
        }
        catch
        {
            batch.Dispose();
            throw;
        }
    }

    private static void Fill(EventBatch batch, ReadOnlySpan<SimulatedEvent> events, EventSimulator simulator, SimulationSettings settings, bool truth)
    {
        bool data = settings.Mode == SimulationMode.Data;
        Span<int> run = batch.AddEventColumn<int>("run").Values;
        Span<int> lumi = batch.AddEventColumn<int>("luminosityBlock").Values;
        Span<long> eventNumber = batch.AddEventColumn<long>("event").Values;
        Span<int> pileup = batch.AddEventColumn<int>("Pileup_nPU").Values;
        Span<float> rho = batch.AddEventColumn<float>("rho").Values;
        Span<int> vertices = batch.AddEventColumn<int>("PV_npvs").Values;
        for (int e = 0; e < events.Length; e++)
        {
            SimulatedEvent ev = events[e];
            run[e] = data ? 2 : 1;
            lumi[e] = (int)(ev.Entry / 1000) + 1;
            eventNumber[e] = ev.Entry + 1;
            pileup[e] = ev.PileupInteractions;
            rho[e] = ev.Rho;
            vertices[e] = ev.PrimaryVertices;
        }
        if (truth && settings.Process == SimulatedProcess.Zee)
        {
            AddEventFloats(batch, events, "GenZ_mass", ev => ev.Z.Mass);
            AddEventFloats(batch, events, "GenZ_pt", ev => ev.Z.Pt);
            AddEventFloats(batch, events, "GenZ_rapidity", ev => ev.Z.Rapidity);
        }

        string name = simulator.CollectionName;
        bool electrons = !simulator.IsPhotonSample;
        Span<int> counts = events.Length <= 4096 ? stackalloc int[events.Length] : new int[events.Length];
        for (int e = 0; e < events.Length; e++)
        {
            counts[e] = events[e].Objects.Count;
        }
        batch.AddCollection(name, counts);
        var objects = new ObjectFields(batch, events, name);
        objects.Float("pt", o => o.Pt);
        objects.Float("eta", o => o.Eta);
        objects.Float("phi", o => o.Phi);
        if (electrons)
        {
            objects.Int("charge", o => o.Charge);
        }
        objects.Float("energy", o => o.Energy);
        objects.Float("e5x5", o => o.E5x5);
        objects.Float("e3x3", o => o.E3x3);
        objects.Float("eMax", o => o.EMax);
        objects.Float("e2nd", o => o.E2nd);
        objects.Float("eTop", o => o.ETop);
        objects.Float("eBottom", o => o.EBottom);
        objects.Float("eLeft", o => o.ELeft);
        objects.Float("eRight", o => o.ERight);
        objects.Float("e1x5", o => o.E1x5);
        objects.Float("e2x5Max", o => o.E2x5Max);
        objects.Float("esEnergy", o => o.PreshowerEnergy);
        objects.Float("etaWidth", o => o.EtaWidth);
        objects.Float("phiWidth", o => o.PhiWidth);
        objects.Float("eSeedCluster", o => o.SeedClusterEnergy);
        objects.Int("nClusters", o => o.Clusters);
        objects.Float("clus1E", o => o.Cluster1Energy);
        objects.Float("clus1DEta", o => o.Cluster1DEta);
        objects.Float("clus1DPhi", o => o.Cluster1DPhi);
        objects.Float("clus2E", o => o.Cluster2Energy);
        objects.Float("clus2DEta", o => o.Cluster2DEta);
        objects.Float("clus2DPhi", o => o.Cluster2DPhi);
        objects.Float("clus3E", o => o.Cluster3Energy);
        objects.Float("clus3DEta", o => o.Cluster3DEta);
        objects.Float("clus3DPhi", o => o.Cluster3DPhi);
        objects.Float("cryEta", o => o.CrystalEta);
        objects.Float("cryPhi", o => o.CrystalPhi);
        objects.Float("r9", o => o.R9);
        objects.Float("sieie", o => o.SigmaIEtaIEta);
        objects.Float("sipip", o => o.SigmaIPhiIPhi);
        objects.Float("scEta", o => o.SuperClusterEta);
        objects.Float("scPhi", o => o.SuperClusterPhi);
        objects.Int("seedIEta", o => o.SeedIEta);
        objects.Int("seedIPhi", o => o.SeedIPhi);
        objects.Float("seedEta", o => o.SeedEta);
        objects.Float("seedPhi", o => o.SeedPhi);
        objects.Bool("isEB", o => o.IsBarrel);
        objects.Int("deadIn5x5", o => o.DeadIn5x5);
        if (electrons)
        {
            objects.Float("trkPt", o => o.TrackPt);
            objects.Float("fbrem", o => o.FBrem);
            objects.Float("dEtaIn", o => o.DEtaIn);
            objects.Float("dPhiIn", o => o.DPhiIn);
            objects.Float("eInvMinusPInv", o => o.EInvMinusPInv);
        }
        objects.Float("hoe", o => o.HOverE);
        objects.Float("pfRelIso03_all", o => o.RelIso);
        objects.Int("cutBased", o => o.CutBased);
        objects.Bool("trigMatch", o => o.TriggerMatched);
        if (truth)
        {
            objects.Int($"gen{name}Idx", o => o.GenIndex);
            objects.Float("genEnergy", (ev, o) => o.GenIndex >= 0 ? ev.Gen[o.GenIndex].Energy : -1);
        }
        objects.Window(settings.WindowSize);

        if (truth)
        {
            string gen = simulator.GenCollectionName;
            for (int e = 0; e < events.Length; e++)
            {
                counts[e] = events[e].Gen.Count;
            }
            batch.AddCollection(gen, counts);
            AddGen(batch, events, gen, "pt", g => g.Pt);
            AddGen(batch, events, gen, "eta", g => g.Eta);
            AddGen(batch, events, gen, "phi", g => g.Phi);
            AddGen(batch, events, gen, "energy", g => g.Energy);
            AddGen(batch, events, gen, "pdgId", g => g.PdgId);
            if (electrons)
            {
                AddGen(batch, events, gen, "bremFraction", g => g.BremFraction);
            }
            else
            {
                AddGen(batch, events, gen, "converted", g => g.Converted);
            }
        }
    }

    private static void AddEventFloats(EventBatch batch, ReadOnlySpan<SimulatedEvent> events, string column, Func<SimulatedEvent, float> value)
    {
        Span<float> values = batch.AddEventColumn<float>(column).Values;
        for (int e = 0; e < events.Length; e++)
        {
            values[e] = value(events[e]);
        }
    }

    private static void AddGen<T>(EventBatch batch, ReadOnlySpan<SimulatedEvent> events, string collection, string field, Func<GenParticle, T> value)
        where T : unmanaged
    {
        Span<T> values = batch.AddObjectColumn<T>(collection, $"{collection}_{field}").Values;
        int k = 0;
        foreach (SimulatedEvent ev in events)
        {
            foreach (GenParticle g in ev.Gen)
            {
                values[k++] = value(g);
            }
        }
    }

    /// <summary>Adds object columns of the reconstructed collection, one field at a time.</summary>
    private readonly ref struct ObjectFields(EventBatch batch, ReadOnlySpan<SimulatedEvent> events, string collection)
    {
        private readonly EventBatch _batch = batch;
        private readonly ReadOnlySpan<SimulatedEvent> _events = events;
        private readonly string _collection = collection;

        public void Float(string field, Func<RecoObject, float> value) => Add(field, (_, o) => value(o));

        public void Float(string field, Func<SimulatedEvent, RecoObject, float> value) => Add(field, value);

        public void Int(string field, Func<RecoObject, int> value) => Add(field, (_, o) => value(o));

        public void Bool(string field, Func<RecoObject, bool> value) => Add(field, (_, o) => value(o));

        private void Add<T>(string field, Func<SimulatedEvent, RecoObject, T> value) where T : unmanaged
        {
            Span<T> values = _batch.AddObjectColumn<T>(_collection, $"{_collection}_{field}").Values;
            int k = 0;
            foreach (SimulatedEvent ev in _events)
            {
                foreach (RecoObject o in ev.Objects)
                {
                    values[k++] = value(ev, o);
                }
            }
        }

        /// <summary><c>Collection_window</c>: size × size floats per object (rows η, columns φ, seed at [size/2, size/2]).</summary>
        public void Window(int size)
        {
            Column<float> column = _batch.AddObjectColumn<float>(_collection, $"{_collection}_window", size, size);
            Span<float> values = column.Values;
            int length = size * size;
            int k = 0;
            foreach (SimulatedEvent ev in _events)
            {
                int n = ev.Objects.Count;
                ev.Windows.AsSpan(0, n * length).CopyTo(values.Slice(k * length, n * length));
                k += n;
            }
        }
    }
}
