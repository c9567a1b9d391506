using EnergyRegression.Data;
using EnergyRegression.Physics;
using EnergyRegression.Plugins.Root;
using EnergyRegression.Running;

namespace EnergyRegression.Plugins.Selections.Tests;

/// <summary>Tag-and-probe on real files: CMS dimuons (uproot-Zmumu.root) and the HZZ sample's electrons (uproot-HZZ.root).</summary>
public sealed class RootFileTests
{
    private static IEnumerable<EventBatch> Read(string file, int batchSize = 500) =>
        new RootReader(new RootReaderConfig { Files = [file], Tree = "events" }).ReadBatches(batchSize, CancellationToken.None);

    private static TagAndProbeConfig LooseLegs(TagAndProbeConfig c)
    {
        foreach (LegCuts leg in new LegCuts[] { c.Tag, c.Probe })
        {
            leg.PtMin = 0;
            leg.AbsEtaMax = null;
            leg.EtaGap = null;
            leg.Id = "";
            leg.TriggerMatch = "";
        }
        c.MassWindow = null;
        return c;
    }

    /// <summary>
    /// The Zmumu tree is flat: two muons per event as pt1/pt2, ..., and their mass M. M was computed from E, px, py, pz;
    /// the file's pt/eta/phi do not always describe the same track as its px/py/pz (in 1586 of 2304 events the
    /// pt/eta/phi mass differs from M by more than 1e-4, e.g. a "GG" event has pt1 = 38.8311 but hypot(px1, py1) = 37.758),
    /// so the cartesian columns are the ones to compare with M.
    /// </summary>
    private static TagAndProbeConfig MuonsFromCartesianColumns() => LooseLegs(new TagAndProbeConfig
    {
        Collection = "Muon",
        Kinematics = PairKinematics.Massive,
        Columns = new CandidateColumns
        {
            Px = ["px1", "px2"],
            Py = ["py1", "py2"],
            Pz = ["pz1", "pz2"],
            Energy = ["E1", "E2"],
            Charge = ["Q1", "Q2"],
        },
    });

    [Fact]
    public void Zmumu_pair_masses_agree_with_the_file_mass_and_peak_at_the_z()
    {
        var plugin = new TagAndProbePlugin(MuonsFromCartesianColumns());
        int events = 0, oppositeEvents = 0, pairs = 0;
        double worst = 0;
        var masses = new List<double>();
        foreach (EventBatch batch in Read(TestFiles.Zmumu))
        {
            using (batch)
            {
                events += batch.EventCount;
                int[] q1 = batch.GetColumn<int>("Q1").Values.ToArray(), q2 = batch.GetColumn<int>("Q2").Values.ToArray();
                oppositeEvents += q1.Zip(q2).Count(q => q.First * q.Second < 0);
                Batches.Run(plugin, batch);
                double[] fileMass = batch.GetColumn<double>("M").Values.ToArray();
                ObjectCollection probes = batch.GetCollection("Probe");
                float[] pairMass = Batches.Floats(batch, "Pair_mass");
                for (int e = 0; e < batch.EventCount; e++)
                {
                    // Each muon of an opposite-charge event is once the tag: two entries per event.
                    Assert.Equal(2, probes.CountOf(e));
                    for (int k = probes.Offsets[e]; k < probes.Offsets[e + 1]; k++)
                    {
                        worst = Math.Max(worst, Math.Abs(pairMass[k] / fileMass[e] - 1));
                        masses.Add(pairMass[k]);
                        pairs++;
                    }
                }
            }
        }
        Assert.Equal(2304, events);
        Assert.Equal(2 * oppositeEvents, pairs);
        Assert.True(worst < 1e-4, $"largest relative difference to M: {worst:E2}");

        // The mass distribution peaks at the Z: the fullest 2-GeV bin between 60 and 120 GeV holds 91.19 GeV.
        int[] bins = new int[30];
        foreach (double m in masses.Where(m => m is >= 60 and < 120))
        {
            bins[(int)((m - 60) / 2)]++;
        }
        int peak = Array.IndexOf(bins, bins.Max());
        Assert.InRange(91.1876, 60 + 2 * peak, 60 + 2 * peak + 2);
    }

    [Fact]
    public void Hzz_electron_pairs_match_an_independent_four_vector_computation()
    {
        TagAndProbeConfig config = LooseLegs(new TagAndProbeConfig
        {
            Collection = "Electron",
            Kinematics = PairKinematics.Massive,
            Columns = new CandidateColumns
            {
                Px = ["Electron_Px"],
                Py = ["Electron_Py"],
                Pz = ["Electron_Pz"],
                Energy = ["Electron_E"],
                Charge = ["Electron_Charge"],
            },
        });
        config.Tag.PtMin = 20;
        config.Probe.PtMin = 10;
        config.MassWindow = [60, 120];
        var plugin = new TagAndProbePlugin(config);

        var expected = new List<(long Entry, float TagPx, float ProbePx, double Mass)>();
        var actual = new List<(long Entry, float TagPx, float ProbePx, double Mass)>();
        int eventsWithElectronPairs = 0;
        foreach (EventBatch batch in Read(TestFiles.Hzz, batchSize: 700))
        {
            using (batch)
            {
                // Expected, from the raw columns: every ordered pair of different electrons with pT(tag) > 20,
                // pT(probe) > 10, opposite charges and 60 < m < 120, m from the summed four-vectors.
                ObjectCollection electrons = batch.GetCollection("Electron");
                float[] px = Batches.Floats(batch, "Electron_Px"), py = Batches.Floats(batch, "Electron_Py"),
                    pz = Batches.Floats(batch, "Electron_Pz"), energy = Batches.Floats(batch, "Electron_E");
                int[] charge = batch.GetColumn<int>("Electron_Charge").Values.ToArray();
                for (int e = 0; e < batch.EventCount; e++)
                {
                    eventsWithElectronPairs += electrons.CountOf(e) >= 2 ? 1 : 0;
                    for (int t = electrons.Offsets[e]; t < electrons.Offsets[e + 1]; t++)
                    {
                        for (int p = electrons.Offsets[e]; p < electrons.Offsets[e + 1]; p++)
                        {
                            var tag = new LorentzVector(px[t], py[t], pz[t], energy[t]);
                            var probe = new LorentzVector(px[p], py[p], pz[p], energy[p]);
                            double mass = (tag + probe).M;
                            if (p != t && tag.Pt > 20 && probe.Pt > 10 && charge[t] * charge[p] < 0 && mass is > 60 and < 120)
                            {
                                expected.Add((batch.EntryOf(e), px[t], px[p], mass));
                            }
                        }
                    }
                }

                Batches.Run(plugin, batch);
                ObjectCollection pairs = batch.GetCollection("Probe");
                float[] tagPx = Batches.Floats(batch, "Tag_Px"), probePx = Batches.Floats(batch, "Probe_Px"), pairMass = Batches.Floats(batch, "Pair_mass");
                for (int e = 0; e < batch.EventCount; e++)
                {
                    for (int k = pairs.Offsets[e]; k < pairs.Offsets[e + 1]; k++)
                    {
                        actual.Add((batch.EntryOf(e), tagPx[k], probePx[k], pairMass[k]));
                    }
                }
            }
        }
        Assert.True(expected.Count > 50, $"only {expected.Count} pairs expected, of {eventsWithElectronPairs} events with two electrons");
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal((expected[i].Entry, expected[i].TagPx, expected[i].ProbePx), (actual[i].Entry, actual[i].TagPx, actual[i].ProbePx));
            Assert.Equal(expected[i].Mass, actual[i].Mass, 1e-5 * expected[i].Mass);
        }
    }
}
