using EnergyRegression.Data;

namespace EnergyRegression.Plugins.Selections.Tests;

/// <summary>k-matching on hand-made events, and config errors of the three selections naming their keys.</summary>
public sealed class KMatchAndConfigTests
{
    /// <summary>One event: reconstructed (eta, phi, energy) and generated (eta, phi, energy, pdgId).</summary>
    private static EventBatch Event((double Eta, double Phi, double E)[] reco, (double Eta, double Phi, double E, int Pdg)[] gen)
    {
        var batch = new EventBatch(1);
        batch.AddCollection("Electron", [reco.Length]);
        batch.AddCollection("GenElectron", [gen.Length]);
        for (int i = 0; i < reco.Length; i++)
        {
            (double eta, double phi, double e) = reco[i];
            (i == 0 ? batch.AddObjectColumn<float>("Electron", "Electron_eta") : batch.GetColumn<float>("Electron_eta")).Values[i] = (float)eta;
            (i == 0 ? batch.AddObjectColumn<float>("Electron", "Electron_phi") : batch.GetColumn<float>("Electron_phi")).Values[i] = (float)phi;
            (i == 0 ? batch.AddObjectColumn<float>("Electron", "Electron_energy") : batch.GetColumn<float>("Electron_energy")).Values[i] = (float)e;
        }
        Span<float> genEta = batch.AddObjectColumn<float>("GenElectron", "GenElectron_eta").Values;
        Span<float> genPhi = batch.AddObjectColumn<float>("GenElectron", "GenElectron_phi").Values;
        Span<float> genEnergy = batch.AddObjectColumn<float>("GenElectron", "GenElectron_energy").Values;
        Span<int> pdg = batch.AddObjectColumn<int>("GenElectron", "GenElectron_pdgId").Values;
        for (int g = 0; g < gen.Length; g++)
        {
            (genEta[g], genPhi[g], genEnergy[g], pdg[g]) = ((float)gen[g].Eta, (float)gen[g].Phi, (float)gen[g].E, gen[g].Pdg);
        }
        return batch;
    }

    [Fact]
    public void One_generated_particle_matches_only_the_closest_object()
    {
        // Two objects near one electron: 0.02 and 0.05 away; a third 0.2 away.
        using EventBatch batch = Event([(0.55, 1.0, 40), (0.52, 1.0, 41), (0.7, 1.0, 40)], [(0.5, 1.0, 42, 11)]);
        IReadOnlyList<CutCount> cuts = Batches.Run(new KMatchPlugin(new KMatchConfig()), batch);
        Assert.Equal([0.52f], Batches.Floats(batch, "Electron_eta"));
        Assert.Equal([0], batch.GetColumn<int>("Electron_matchIdx").Values.ToArray());
        Assert.Equal([42f], Batches.Floats(batch, "Electron_matchEnergy"));
        Assert.Equal([new CutCount("Delta R < 0.1 to a GenElectron", "Electron", 1, 1, 3, 2),
            new CutCount("|E/E_true - 1| < 0.6", "Electron", 1, 1, 2, 2),
            new CutCount("one object per GenElectron (closest)", "Electron", 1, 1, 2, 1)], cuts);
    }

    [Fact]
    public void Energy_outside_k_prevents_a_match_and_flag_mode_keeps_everything()
    {
        // The closer object has E/E_true = 0.3 (|0.3 - 1| > 0.6): the farther one with E/E_true = 0.95 matches.
        using EventBatch batch = Event([(0.51, 1.0, 12), (0.56, 1.0, 38)], [(0.5, 1.0, 40, 11)]);
        Batches.Run(new KMatchPlugin(new KMatchConfig { Unmatched = UnmatchedObjects.Flag }), batch);
        Assert.Equal([false, true], batch.GetColumn<bool>("Electron_matched").Values.ToArray());
        Assert.Equal([-1, 0], batch.GetColumn<int>("Electron_matchIdx").Values.ToArray());
        Assert.Equal([-1f, 40f], Batches.Floats(batch, "Electron_matchEnergy"));

        // Without the energy requirement the closer one wins.
        using EventBatch again = Event([(0.51, 1.0, 12), (0.56, 1.0, 38)], [(0.5, 1.0, 40, 11)]);
        Batches.Run(new KMatchPlugin(new KMatchConfig { K = null }), again);
        Assert.Equal([12f], Batches.Floats(again, "Electron_energy"));
    }

    [Fact]
    public void Phi_wraps_and_the_gen_selection_restricts_the_candidates()
    {
        // Across φ = ±π the distance is 0.02; the photon next to it may not match with the gen selection.
        using EventBatch batch = Event([(0.0, Math.PI - 0.01, 40), (1.0, 0.5, 40)], [(0.0, -Math.PI + 0.01, 40, 11), (1.0, 0.5, 40, 22)]);
        Batches.Run(new KMatchPlugin(new KMatchConfig { GenSelection = "abs(GenElectron_pdgId) == 11", DropEmptyEvents = true }), batch);
        Assert.Equal([0f], Batches.Floats(batch, "Electron_eta"));
        using EventBatch empty = Event([(1.0, 0.5, 40)], [(1.0, 0.5, 40, 22)]);
        Batches.Run(new KMatchPlugin(new KMatchConfig { GenSelection = "abs(GenElectron_pdgId) == 11", DropEmptyEvents = true }), empty);
        Assert.Equal(0, empty.EventCount);
    }

    public static TheoryData<Func<object>, string> BadConfigs => new()
    {
        { () => new TagAndProbePlugin(new TagAndProbeConfig { MassWindow = [110, 70] }), "mass_window" },
        { () => new TagAndProbePlugin(new TagAndProbeConfig { LabelWindow = [86] }), "label_window" },
        { () => new TagAndProbePlugin(new TagAndProbeConfig { Tag = new TagCuts { PtMin = -1 } }), "tag.pt_min" },
        { () => new TagAndProbePlugin(new TagAndProbeConfig { Probe = new ProbeCuts { EtaGap = [1.5] } }), "probe.eta_gap" },
        { () => new TagAndProbePlugin(new TagAndProbeConfig { Tag = new TagCuts { Id = "Electron_cutBased >=" } }), "tag.id" },
        { () => new TagAndProbePlugin(new TagAndProbeConfig { Columns = new CandidateColumns { Px = ["px"] } }), "columns.py" },
        { () => new TagAndProbePlugin(new TagAndProbeConfig { Columns = new CandidateColumns { Pt = ["pt1", "pt2"] } }), "columns.eta" },
        { () => new TagAndProbePlugin(new TagAndProbeConfig { Columns = new CandidateColumns { Pt = ["pt1", "pt2"], Eta = ["eta1", "eta2"], Phi = ["phi1", "phi2"], Charge = ["q1", "q2"] } }), "tag.id" },
        { () => new TagAndProbePlugin(new TagAndProbeConfig { Output = "Tag" }), "output" },
        { () => new TagAndProbePlugin(new TagAndProbeConfig { Collection = "My_Electrons" }), "collection" },
        { () => new KMatchPlugin(new KMatchConfig { DeltaRMax = 0 }), "delta_r_max" },
        { () => new KMatchPlugin(new KMatchConfig { K = -0.1 }), "k" },
        { () => new KMatchPlugin(new KMatchConfig { Gen = "Electron" }), "gen" },
        { () => new KMatchPlugin(new KMatchConfig { GenSelection = "(" }), "gen_selection" },
        { () => new QualityPlugin(new QualityConfig { Cuts = ["dead_crystals"], DeadCrystals = [[1, 1]] }), "cuts" },
        { () => new QualityPlugin(new QualityConfig()), "cuts" },
        { () => new QualityPlugin(new QualityConfig { DeadCrystals = [[0, 5]] }), "dead_crystals" },
        { () => new QualityPlugin(new QualityConfig { Cuts = ["r9"], Columns = new() { ["r8"] = "x" } }), "columns" },
        { () => new QualityPlugin(new QualityConfig { Cuts = ["r9"], TransitionEta = [1.6, 1.4] }), "transition_eta" },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void A_bad_config_is_an_error_naming_the_key(Func<object> create, string key)
    {
        ConfigValueException e = Assert.Throws<ConfigValueException>(create);
        Assert.Equal(key, e.Key);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void Missing_columns_at_run_time_name_the_key_and_list_what_exists()
    {
        using EventBatch batch = Batches.Electrons([new Ele(45, 0, 0, 1)]);
        var plugin = new TagAndProbePlugin(new TagAndProbeConfig { Columns = new CandidateColumns { Pt = ["Electron_ptt"] } });
        ConfigValueException e = Assert.Throws<ConfigValueException>(() => plugin.Select(batch, new SelectionMask(batch)));
        Assert.Equal("columns.pt", e.Key);
        Assert.Contains("'Electron_ptt'", e.Message, StringComparison.Ordinal);
        Assert.Contains("Electron_pt", e.Message, StringComparison.Ordinal);

        var muons = new TagAndProbePlugin(new TagAndProbeConfig { Collection = "Muon" });
        Assert.Equal("collection", Assert.Throws<ConfigValueException>(() => muons.Select(batch, new SelectionMask(batch))).Key);

        var existing = new TagAndProbePlugin(new TagAndProbeConfig { Output = "Electron" });
        Assert.Equal("output", Assert.Throws<ConfigValueException>(() => existing.Select(batch, new SelectionMask(batch))).Key);

        var gen = new KMatchPlugin(new KMatchConfig());
        Assert.Equal("gen", Assert.Throws<ConfigValueException>(() => gen.Select(batch, new SelectionMask(batch))).Key);
    }
}
