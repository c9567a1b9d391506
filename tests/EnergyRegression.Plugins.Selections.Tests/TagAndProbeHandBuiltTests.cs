using EnergyRegression.Data;
using EnergyRegression.Physics;

namespace EnergyRegression.Plugins.Selections.Tests;

/// <summary>Tag-and-probe on hand-made events, expected values computed here from four-vectors.</summary>
public sealed class TagAndProbeHandBuiltTests
{
    // Two back-to-back electrons with M ≈ 90.1 GeV (inside both windows).
    private static readonly Ele A = new(45, 0.0, 0.0, +1);
    private static readonly Ele B = new(45, 0.1, Math.PI - 0.01, -1);

    private static TagAndProbePlugin Plugin(Action<TagAndProbeConfig>? change = null)
    {
        var config = new TagAndProbeConfig();
        change?.Invoke(config);
        return new TagAndProbePlugin(config);
    }

    [Fact]
    public void One_pair_gives_two_tag_probe_entries_with_the_four_vector_mass_and_the_z_mass_label()
    {
        using EventBatch batch = Batches.Electrons([A, B]);
        Batches.Run(Plugin(), batch);

        Assert.Equal([2], Batches.Counts(batch, "Probe"));
        // Both electrons can be the tag: (A tag, B probe) then (B tag, A probe), in object order.
        Assert.Equal([(float)A.Pt, (float)B.Pt], Batches.Floats(batch, "Tag_pt"));
        Assert.Equal([(float)B.Eta, (float)A.Eta], Batches.Floats(batch, "Probe_eta"));
        Assert.Equal([-1, 1], batch.GetColumn<int>("Probe_charge").Values.ToArray());
        Assert.Equal([1, -1], batch.GetColumn<int>("Tag_charge").Values.ToArray());
        Assert.Equal("Probe", batch.GetColumn("Tag_pt").Collection);
        Assert.Equal("Probe", batch.GetColumn("Pair_mass").Collection);

        double mass = Batches.Mass(A, B);
        Assert.InRange(mass, 86, 97);
        Assert.All(Batches.Floats(batch, "Pair_mass"), m => Assert.Equal(mass, m, 1e-6 * mass));

        // The label is the probe energy that puts the pair exactly at the Z mass: check that with four-vectors.
        float[] labels = Batches.Floats(batch, "Probe_energyLabel");
        foreach ((Ele tag, Ele probe, float label) in new[] { (A, B, labels[0]), (B, A, labels[1]) })
        {
            var t = LorentzVector.FromPtEtaPhiM((float)tag.Pt, (float)tag.Eta, (float)tag.Phi, 0);
            float probeEta = (float)probe.Eta;
            var p = LorentzVector.FromPtEtaPhiM(label / Math.Cosh(probeEta), probeEta, (float)probe.Phi, 0);
            Assert.Equal(91.1876, (t + p).M, 1e-5);
        }
        // The original collection is untouched.
        Assert.Equal([2], Batches.Counts(batch, "Electron"));
    }

    [Fact]
    public void Same_sign_pairs_are_dropped_unless_asked_for()
    {
        Ele sameSign = B with { Charge = +1 };
        using (EventBatch batch = Batches.Electrons([A, sameSign]))
        {
            IReadOnlyList<CutCount> cuts = Batches.Run(Plugin(), batch);
            Assert.Equal(0, batch.EventCount);
            CutCount charge = Assert.Single(cuts, c => c.Cut == "opposite charge");
            Assert.Equal(new CutCount("opposite charge", "Probe", 1, 0, 2, 0), charge);
        }
        using (EventBatch batch = Batches.Electrons([A, sameSign]))
        {
            Batches.Run(Plugin(c => c.PairCharge = PairCharge.Same), batch);
            Assert.Equal([2], Batches.Counts(batch, "Probe"));
        }
        using (EventBatch batch = Batches.Electrons([A, B]))
        {
            Batches.Run(Plugin(c => c.PairCharge = PairCharge.Same), batch);
            Assert.Equal(0, batch.EventCount);
        }
    }

    // Three electrons: A with C1 is near the Z, A with C2 further away; C1, C2 have the same charge.
    private static readonly Ele C1 = new(44, 0.2, Math.PI - 0.05, -1);
    private static readonly Ele C2 = new(38, -0.4, 2.6, -1);

    [Fact]
    public void Three_electrons_under_each_pair_policy()
    {
        double m1 = Batches.Mass(A, C1), m2 = Batches.Mass(A, C2);
        Assert.InRange(m1, 70, 110);
        Assert.InRange(m2, 70, 110);
        Assert.True(Math.Abs(m1 - 91.1876) < Math.Abs(m2 - 91.1876));

        using (EventBatch batch = Batches.Electrons([A, C1, C2]))
        {
            Batches.Run(Plugin(), batch);
            // A tags C1 and C2, C1 and C2 tag A: four opposite-charge entries.
            Assert.Equal([4], Batches.Counts(batch, "Probe"));
            Assert.Equal([(float)A.Pt, (float)A.Pt, (float)C1.Pt, (float)C2.Pt], Batches.Floats(batch, "Tag_pt"));
            Assert.Equal([(float)C1.Pt, (float)C2.Pt, (float)A.Pt, (float)A.Pt], Batches.Floats(batch, "Probe_pt"));
            float[] masses = Batches.Floats(batch, "Pair_mass");
            Assert.Equal([m1, m2, m1, m2], masses.Select(m => (double)m), new Tolerance(1e-4));
        }
        using (EventBatch batch = Batches.Electrons([A, C1, C2]))
        {
            IReadOnlyList<CutCount> cuts = Batches.Run(Plugin(c => c.Pairs = PairPolicy.ClosestToZ), batch);
            Assert.Equal([(float)A.Pt, (float)C1.Pt], Batches.Floats(batch, "Tag_pt"));
            Assert.Equal([(float)C1.Pt, (float)A.Pt], Batches.Floats(batch, "Probe_pt"));
            Assert.Equal(new CutCount("pair closest to the Z mass", "Probe", 1, 1, 4, 2), cuts[^1]);
        }
        using (EventBatch batch = Batches.Electrons([A, C1, C2], [A, C1]))
        {
            IReadOnlyList<CutCount> cuts = Batches.Run(Plugin(c => c.Pairs = PairPolicy.ExactlyOne), batch);
            // The first event has two pairs of electrons and goes; the second has one pair (two orderings) and stays.
            Assert.Equal([1L], batch.GetColumn<long>("event").Values.ToArray());
            Assert.Equal([2], Batches.Counts(batch, "Probe"));
            Assert.Equal(new CutCount("exactly one pair", "Probe", 2, 1, 6, 2), cuts[^1]);
        }
    }

    public static TheoryData<string, Ele> ProbeFailures => new()
    {
        { "probe pt > 10", new Ele(9.5, 0.1, Math.PI - 0.01, -1, Id: 2, Trig: false) },
        { "probe |eta| < 2.5", new Ele(45, 2.6, Math.PI - 0.01, -1, Id: 2, Trig: false) },
        { "probe |eta| outside 1.4442-1.566", new Ele(45, 1.5, Math.PI - 0.01, -1, Id: 2, Trig: false) },
        { "probe id: Electron_cutBased >= 2", new Ele(45, 0.1, Math.PI - 0.01, -1, Id: 1, Trig: false) },
        { "probe Electron_trigMatch", new Ele(45, 0.1, Math.PI - 0.01, -1, Id: 2, Trig: false) },
    };

    [Theory]
    [MemberData(nameof(ProbeFailures))]
    public void A_probe_failing_any_probe_cut_makes_no_pair(string cut, Ele probe)
    {
        // The probe is loose and not trigger-matched, so it can never be the tag: only A can.
        TagAndProbePlugin Configured() => Plugin(c =>
        {
            c.Probe.AbsEtaMax = 2.5;
            c.Probe.EtaGap = [1.4442, 1.566];
            c.Probe.TriggerMatch = cut.EndsWith("trigMatch", StringComparison.Ordinal) ? "{collection}_trigMatch" : "";
        });
        using (EventBatch batch = Batches.Electrons([A, probe]))
        {
            IReadOnlyList<CutCount> cuts = Batches.Run(Configured(), batch);
            Assert.Equal(0, batch.EventCount);
            CutCount row = Assert.Single(cuts, c => c.Cut == cut);
            Assert.Equal(("Electron", 2L, 1L), (row.Collection, row.ObjectsIn, row.ObjectsPassed));
        }
        // The same probe, passing that cut, makes a pair: the cut is what removed it.
        Ele passing = new(45, 0.1, Math.PI - 0.01, -1, Id: 2, Trig: true);
        using (EventBatch batch = Batches.Electrons([A, passing]))
        {
            Batches.Run(Configured(), batch);
            Assert.Equal([(float)A.Pt], Batches.Floats(batch, "Tag_pt"));
        }
    }

    [Theory]
    [InlineData("tag pt > 30", 29.0, 0.0, 4, true)]
    [InlineData("tag |eta| < 2.1", 45.0, 2.2, 4, true)]
    [InlineData("tag |eta| outside 1.4442-1.566", 45.0, 1.5, 4, true)]
    [InlineData("tag id: Electron_cutBased >= 4", 45.0, 0.0, 3, true)]
    [InlineData("tag Electron_trigMatch", 45.0, 0.0, 4, false)]
    public void A_tag_failing_any_tag_cut_only_serves_as_probe(string cut, double pt, double eta, int id, bool trig)
    {
        var tag = new Ele(pt, eta, 0, +1, id, trig);
        using EventBatch batch = Batches.Electrons([tag, B]);
        IReadOnlyList<CutCount> cuts = Batches.Run(Plugin(c => c.MassWindow = null), batch);
        // Only B can be the tag.
        Assert.Equal([(float)B.Pt], Batches.Floats(batch, "Tag_pt"));
        Assert.Equal([(float)pt], Batches.Floats(batch, "Probe_pt"));
        CutCount row = Assert.Single(cuts, c => c.Cut == cut);
        Assert.Equal((2L, 1L), (row.ObjectsIn, row.ObjectsPassed));
    }

    [Fact]
    public void Pairs_outside_the_mass_window_go_and_outside_the_label_window_get_no_label()
    {
        // M² ≈ 2 · 45 · 38 · 2: a pair at ≈ 83 GeV is in the mass window but not the label window.
        var low = new Ele(38, 0.0, Math.PI - 0.02, -1);
        double m = Batches.Mass(A, low);
        Assert.InRange(m, 70, 85);
        using (EventBatch batch = Batches.Electrons([A, low]))
        {
            Batches.Run(Plugin(), batch);
            Assert.Equal([-1f, -1f], Batches.Floats(batch, "Probe_energyLabel"));
        }
        using (EventBatch batch = Batches.Electrons([A, low]))
        {
            IReadOnlyList<CutCount> cuts = Batches.Run(Plugin(c => c.MassWindow = [85, 100]), batch);
            Assert.Equal(0, batch.EventCount);
            Assert.Equal(new CutCount("85 < mass < 100", "Probe", 1, 0, 2, 0), cuts[^1]);
        }
    }

    [Fact]
    public void Empty_events_and_empty_batches_give_empty_outputs_and_the_same_cut_rows()
    {
        using EventBatch some = Batches.Electrons([], [A, B], [A]);
        IReadOnlyList<CutCount> first = Batches.Run(Plugin(c => c.DropEventsWithoutPairs = false), some);
        Assert.Equal([0, 2, 0], Batches.Counts(some, "Probe"));

        using EventBatch none = Batches.Electrons();
        IReadOnlyList<CutCount> second = Batches.Run(Plugin(), none);
        Assert.Equal(0, none.EventCount);
        Assert.Equal(0, none.GetCollection("Probe").TotalCount);
        Assert.True(none.HasColumn("Probe_energyLabel"));
        Assert.Equal(first.Select(c => c.Cut), second.Select(c => c.Cut));
        Assert.All(second, c => Assert.Equal((0L, 0L), (c.EventsIn, c.ObjectsIn)));
    }

    [Fact]
    public void Massive_kinematics_use_the_particle_mass()
    {
        var slowA = new Ele(3, 0.0, 0.0, +1);
        var slowB = new Ele(3, 0.0, Math.PI, -1);
        using EventBatch batch = Batches.Electrons([slowA, slowB]);
        Batches.Run(Plugin(c =>
        {
            c.Kinematics = PairKinematics.Massive;
            c.Mass = 1.0;
            c.Tag.PtMin = 1;
            c.Probe.PtMin = 1;
            c.MassWindow = null;
        }), batch);
        // Back to back at η = 0: M = 2 sqrt(p² + m²).
        Assert.Equal(2 * Math.Sqrt(10), Batches.Floats(batch, "Pair_mass")[0], 1e-5);
    }

    [Fact]
    public void Probe_and_tag_columns_can_be_chosen()
    {
        using EventBatch batch = Batches.Electrons([A, B]);
        Batches.Run(Plugin(c =>
        {
            c.ProbeColumns = ["pt", "eta"];
            c.TagColumns = ["pt"];
            c.Output = "TnP";
            c.TagPrefix = "TnPTag";
        }), batch);
        string[] columns = batch.Columns.Where(c => c.Collection == "TnP").Select(c => c.Name).ToArray();
        Assert.Equal(["TnP_pt", "TnPTag_pt", "TnP_eta", "Pair_mass", "TnP_energyLabel"], columns);
    }
}

/// <summary>Element-wise comparison with an absolute tolerance.</summary>
internal sealed class Tolerance(double tolerance) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

    public int GetHashCode(double obj) => 0;
}
