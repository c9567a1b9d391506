using System.ComponentModel;
using EnergyRegression.Configuration;
using EnergyRegression.Data;
using EnergyRegression.Expressions;
using EnergyRegression.Physics;

namespace EnergyRegression.Plugins.Selections;

/// <summary>What happens to reconstructed objects without a match.</summary>
public enum UnmatchedObjects
{
    /// <summary>They are dropped.</summary>
    Drop,

    /// <summary>They are kept; a bool column says which objects matched.</summary>
    Flag,
}

/// <summary>Config of <see cref="KMatchPlugin"/>.</summary>
public sealed class KMatchConfig : PluginConfig
{
    /// <summary>The reconstructed collection.</summary>
    [Description("The reconstructed collection, e.g. Electron.")]
    public string Collection { get; set; } = "Electron";

    /// <summary>The generated collection.</summary>
    [Description("The generated (truth) collection, e.g. GenElectron or GenPart.")]
    public string Gen { get; set; } = "GenElectron";

    /// <summary>Maximum ΔR between a reconstructed object and its generated particle.</summary>
    [Description("Match when Delta R = sqrt(deta^2 + dphi^2) < delta_r_max.")]
    public double DeltaRMax { get; set; } = 0.1;

    /// <summary>Maximum |E_reco/E_true − 1|; null: no energy requirement.</summary>
    [Description("Match only when |E_reco / E_true - 1| < k; null: no energy requirement.")]
    public double? K { get; set; } = 0.6;

    /// <summary>Unmatched objects: drop or flag.</summary>
    [Description("Unmatched reconstructed objects: drop, or flag (keep them; the 'matched' column says which matched).")]
    public UnmatchedObjects Unmatched { get; set; } = UnmatchedObjects.Drop;

    /// <summary>Only generated particles passing this condition can match; empty: all.</summary>
    [Description("A condition on the generated particles that may match (docs/expressions.md), e.g. \"abs(GenPart_pdgId) == 11\"; \"\": all.")]
    public string GenSelection { get; set; } = "";

    /// <summary>Pseudorapidity column of the reconstructed objects.</summary>
    [Description("Pseudorapidity of the reconstructed objects ({collection} is the collection).")]
    public string Eta { get; set; } = "{collection}_eta";

    /// <summary>Azimuth column of the reconstructed objects.</summary>
    [Description("Azimuth of the reconstructed objects.")]
    public string Phi { get; set; } = "{collection}_phi";

    /// <summary>Energy column of the reconstructed objects.</summary>
    [Description("Energy of the reconstructed objects (for k).")]
    public string Energy { get; set; } = "{collection}_energy";

    /// <summary>Pseudorapidity column of the generated particles.</summary>
    [Description("Pseudorapidity of the generated particles ({gen} is the gen collection).")]
    public string GenEta { get; set; } = "{gen}_eta";

    /// <summary>Azimuth column of the generated particles.</summary>
    [Description("Azimuth of the generated particles.")]
    public string GenPhi { get; set; } = "{gen}_phi";

    /// <summary>Energy column of the generated particles.</summary>
    [Description("Energy of the generated particles (for k, and copied to match_energy).")]
    public string GenEnergy { get; set; } = "{gen}_energy";

    /// <summary>Output: index of the matched generated particle within its event, −1 when none.</summary>
    [Description("Output column: index of the matched generated particle in its event, -1 when none.")]
    public string MatchIndex { get; set; } = "{collection}_matchIdx";

    /// <summary>Output: energy of the matched generated particle, −1 when none.</summary>
    [Description("Output column: true energy of the matched generated particle, -1 when none.")]
    public string MatchEnergy { get; set; } = "{collection}_matchEnergy";

    /// <summary>Output with unmatched: flag: true for matched objects.</summary>
    [Description("Output column with unmatched: flag: true for matched objects.")]
    public string Matched { get; set; } = "{collection}_matched";

    /// <summary>With unmatched: drop, also drop events left without objects.</summary>
    [Description("With unmatched: drop, also drop the events left without objects of the collection.")]
    public bool DropEmptyEvents { get; set; }

    /// <summary>A name with <c>{collection}</c> and <c>{gen}</c> replaced.</summary>
    internal string Resolve(string name) =>
        name.Replace("{collection}", Collection, StringComparison.Ordinal).Replace("{gen}", Gen, StringComparison.Ordinal);

    /// <inheritdoc />
    public override void Validate()
    {
        if (string.IsNullOrWhiteSpace(Collection))
        {
            throw new ConfigValueException("collection", "needs the name of the reconstructed collection");
        }
        if (string.IsNullOrWhiteSpace(Gen) || Gen == Collection)
        {
            throw new ConfigValueException("gen", $"needs the name of the generated collection, other than '{Collection}'");
        }
        if (!(DeltaRMax > 0))
        {
            throw new ConfigValueException("delta_r_max", $"must be above 0; got {DeltaRMax}");
        }
        if (K is { } k && !(k > 0))
        {
            throw new ConfigValueException("k", $"must be above 0 (or null for no energy requirement); got {k}");
        }
        RequireDistinctNames("match_index", [Resolve(MatchIndex), Resolve(MatchEnergy), Resolve(Matched)]);
    }
}

/// <summary>
/// Truth matching (PHYSICS.md, the FiLM-CNN paper's selection): a reconstructed object matches a generated particle
/// when ΔR &lt; delta_r_max and |E_reco/E_true − 1| &lt; k. Candidate pairs are taken in increasing ΔR, each
/// object and each particle used once, so every generated particle matches at most one object, the closest
/// still free. Unmatched objects are dropped or flagged.
/// </summary>
[Plugin("k-match", Description = "Matches reconstructed objects to generated particles (Delta R and |E/E_true - 1| < k); drops or flags the unmatched.")]
public sealed class KMatchPlugin : ISelection
{
    private readonly KMatchConfig _config;
    private readonly ConfigExpression? _genSelection;

    /// <summary>Checks the config.</summary>
    public KMatchPlugin(KMatchConfig config)
    {
        config.Validate();
        _config = config;
        _genSelection = config.GenSelection.Length == 0 ? null : new ConfigExpression(config.Resolve(config.GenSelection), "gen_selection");
    }

    /// <inheritdoc />
    public void Select(EventBatch batch, SelectionMask mask)
    {
        KMatchConfig c = _config;
        ObjectCollection reco = batch.GetCollectionOrThrow(c.Collection);
        ObjectCollection gen = batch.GetCollectionOrThrow(c.Gen, "gen");
        double[] eta = ColumnAccess.Read(batch, c.Resolve(c.Eta), c.Collection, "eta");
        double[] phi = ColumnAccess.Read(batch, c.Resolve(c.Phi), c.Collection, "phi");
        double[]? energy = c.K is null ? null : ColumnAccess.Read(batch, c.Resolve(c.Energy), c.Collection, "energy");
        double[] genEta = ColumnAccess.Read(batch, c.Resolve(c.GenEta), c.Gen, "gen_eta");
        double[] genPhi = ColumnAccess.Read(batch, c.Resolve(c.GenPhi), c.Gen, "gen_phi");
        double[] genEnergy = ColumnAccess.Read(batch, c.Resolve(c.GenEnergy), c.Gen, "gen_energy");
        bool[]? genAllowed = _genSelection is null ? null : ColumnAccess.Condition(_genSelection, batch, c.Gen, gen.Offsets, "gen_selection");

        int[] matchIndex = new int[reco.TotalCount];
        Array.Fill(matchIndex, -1);
        bool[] near = new bool[reco.TotalCount];
        bool[] nearInK = new bool[reco.TotalCount];
        var candidates = new List<(double DeltaR, int Reco, int Gen)>();
        bool[] genUsed = new bool[gen.TotalCount];
        for (int e = 0; e < batch.EventCount; e++)
        {
            candidates.Clear();
            for (int r = reco.Offsets[e]; r < reco.Offsets[e + 1]; r++)
            {
                for (int g = gen.Offsets[e]; g < gen.Offsets[e + 1]; g++)
                {
                    if (genAllowed is not null && !genAllowed[g])
                    {
                        continue;
                    }
                    double dR = Kinematics.DeltaR(eta[r], phi[r], genEta[g], genPhi[g]);
                    if (!(dR < c.DeltaRMax))
                    {
                        continue;
                    }
                    near[r] = true;
                    if (energy is not null && !(genEnergy[g] > 0 && Math.Abs(energy[r] / genEnergy[g] - 1) < c.K!.Value))
                    {
                        continue;
                    }
                    nearInK[r] = true;
                    candidates.Add((dR, r, g));
                }
            }
            // Closest first; ties in object order, so the result does not depend on the sort's stability.
            candidates.Sort();
            foreach ((_, int r, int g) in candidates)
            {
                if (matchIndex[r] < 0 && !genUsed[g])
                {
                    matchIndex[r] = g - gen.Offsets[e];
                    genUsed[g] = true;
                }
            }
        }

        bool[] alive = new bool[reco.TotalCount];
        Array.Fill(alive, true);
        string dRCut = $"Delta R < {CutRecorder.Number(c.DeltaRMax)} to a {c.Gen}";
        CutRecorder.Apply(mask, dRCut, c.Collection, reco.Offsets, alive, r => near[r]);
        if (c.K is { } kMax)
        {
            CutRecorder.Apply(mask, $"|E/E_true - 1| < {CutRecorder.Number(kMax)}", c.Collection, reco.Offsets, alive, r => nearInK[r]);
        }
        CutRecorder.Apply(mask, $"one object per {c.Gen} (closest)", c.Collection, reco.Offsets, alive, r => matchIndex[r] >= 0);

        string indexName = c.Resolve(c.MatchIndex), energyName = c.Resolve(c.MatchEnergy), flagName = c.Resolve(c.Matched);
        foreach ((string key, string name) in new[] { ("match_index", indexName), ("match_energy", energyName), ("matched", flagName) })
        {
            if (batch.HasColumn(name) && (key != "matched" || c.Unmatched == UnmatchedObjects.Flag))
            {
                throw new ConfigValueException(key, $"column '{name}' exists already; choose another name");
            }
        }
        Span<int> indexColumn = batch.AddObjectColumn<int>(c.Collection, indexName).Values;
        Span<float> energyColumn = batch.AddObjectColumn<float>(c.Collection, energyName).Values;
        Span<bool> flagColumn = c.Unmatched == UnmatchedObjects.Flag ? batch.AddObjectColumn<bool>(c.Collection, flagName).Values : default;
        for (int e = 0; e < batch.EventCount; e++)
        {
            for (int r = reco.Offsets[e]; r < reco.Offsets[e + 1]; r++)
            {
                indexColumn[r] = matchIndex[r];
                energyColumn[r] = matchIndex[r] < 0 ? -1f : (float)genEnergy[gen.Offsets[e] + matchIndex[r]];
                if (!flagColumn.IsEmpty)
                {
                    flagColumn[r] = matchIndex[r] >= 0;
                }
            }
        }
        if (c.Unmatched == UnmatchedObjects.Drop)
        {
            Span<bool> objects = mask.Objects(c.Collection);
            for (int r = 0; r < objects.Length; r++)
            {
                objects[r] &= matchIndex[r] >= 0;
            }
            if (c.DropEmptyEvents)
            {
                for (int e = 0; e < batch.EventCount; e++)
                {
                    mask.Events[e] &= objects[reco.Offsets[e]..reco.Offsets[e + 1]].Contains(true);
                }
            }
        }
    }

}
