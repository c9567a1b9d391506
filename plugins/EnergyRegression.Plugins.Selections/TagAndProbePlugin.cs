using EnergyRegression.Data;
using EnergyRegression.Expressions;
using EnergyRegression.Physics;

namespace EnergyRegression.Plugins.Selections;

/// <summary>
/// Z → ℓℓ tag-and-probe (docs/selections.md; PHYSICS.md "Tag-and-probe conventions"): every ordered pair of a
/// tag and a different probe passing their cuts, with the pair's charge and mass requirements, becomes one entry
/// of the output collection, holding the probe's columns, the tag's columns, the pair mass and the probe energy
/// implied by the Z mass. Events without a pair are dropped.
/// </summary>
[Plugin("tag-and-probe", Description = "Z -> ll tag-and-probe: a Probe collection of tag-probe pairs with Tag_ columns, Pair_mass and the Z-mass label Probe_energyLabel.")]
public sealed class TagAndProbePlugin : ISelection
{
    private readonly TagAndProbeConfig _config;
    private readonly ConfigExpression? _tagId;
    private readonly ConfigExpression? _probeId;

    /// <summary>Checks the config and parses the identification expressions.</summary>
    public TagAndProbePlugin(TagAndProbeConfig config)
    {
        config.Validate();
        _config = config;
        _tagId = config.Tag.Id.Length == 0 ? null : new ConfigExpression(config.Resolve(config.Tag.Id), "tag.id");
        _probeId = config.Probe.Id.Length == 0 ? null : new ConfigExpression(config.Resolve(config.Probe.Id), "probe.id");
    }

    /// <inheritdoc />
    public void Select(EventBatch batch, SelectionMask mask)
    {
        TagAndProbeConfig c = _config;
        if (batch.HasCollection(c.Output))
        {
            throw new ConfigValueException("output", $"the batch already has a collection '{c.Output}'; choose another output name");
        }
        var candidates = Candidates.Read(batch, c);
        ReadOnlySpan<int> offsets = candidates.Offsets;
        bool[] tags = Legs(batch, mask, candidates, c.Tag, _tagId, "tag");
        bool[] probes = Legs(batch, mask, candidates, c.Probe, _probeId, "probe");

        // Every ordered (tag, probe) pair of different objects: both objects of a pair can be the tag.
        var tagOf = new List<int>();
        var probeOf = new List<int>();
        int[] pairOffsets = new int[batch.EventCount + 1];
        for (int e = 0; e < batch.EventCount; e++)
        {
            for (int t = offsets[e]; t < offsets[e + 1]; t++)
            {
                for (int p = offsets[e]; p < offsets[e + 1] && tags[t]; p++)
                {
                    if (p != t && probes[p])
                    {
                        tagOf.Add(t);
                        probeOf.Add(p);
                    }
                }
            }
            pairOffsets[e + 1] = tagOf.Count;
        }
        int pairCount = tagOf.Count;
        double[] masses = new double[pairCount];
        for (int k = 0; k < pairCount; k++)
        {
            masses[k] = candidates.Mass(tagOf[k], probeOf[k], c.Kinematics);
        }
        bool[] alive = new bool[pairCount];
        Array.Fill(alive, true);
        if (c.PairCharge != PairCharge.Any)
        {
            double[] q = candidates.Charge!;
            bool opposite = c.PairCharge == PairCharge.Opposite;
            CutRecorder.Apply(mask, opposite ? "opposite charge" : "same charge", c.Output, pairOffsets, alive,
                k => opposite ? Math.Sign(q[tagOf[k]]) * Math.Sign(q[probeOf[k]]) < 0 : Math.Sign(q[tagOf[k]]) * Math.Sign(q[probeOf[k]]) > 0);
        }
        if (c.MassWindow is [double low, double high])
        {
            CutRecorder.Apply(mask, $"{CutRecorder.Number(low)} < mass < {CutRecorder.Number(high)}", c.Output, pairOffsets, alive, k => masses[k] > low && masses[k] < high);
        }
        if (c.Pairs != PairPolicy.All)
        {
            ApplyPolicy(mask, pairOffsets, alive, tagOf, probeOf, masses);
        }

        // The output collection: one entry per pair that survived.
        var rows = new List<int>();
        int[] counts = new int[batch.EventCount];
        for (int e = 0; e < batch.EventCount; e++)
        {
            for (int k = pairOffsets[e]; k < pairOffsets[e + 1]; k++)
            {
                if (alive[k])
                {
                    rows.Add(k);
                    counts[e]++;
                }
            }
            if (c.DropEventsWithoutPairs && counts[e] == 0)
            {
                mask.Events[e] = false;
            }
        }
        Write(batch, candidates, counts, rows, tagOf, probeOf, masses);
    }

    /// <summary>The objects passing one leg's cuts, each cut reported in turn.</summary>
    private bool[] Legs(EventBatch batch, SelectionMask mask, Candidates candidates, LegCuts cuts, ConfigExpression? id, string leg)
    {
        ReadOnlySpan<int> offsets = candidates.Offsets;
        string collection = _config.Collection;
        bool[] alive = new bool[offsets[^1]];
        Array.Fill(alive, true);
        double[] pt = candidates.Pt;
        double[] eta = candidates.Eta;
        CutRecorder.Apply(mask, $"{leg} pt > {CutRecorder.Number(cuts.PtMin)}", collection, offsets, alive, i => pt[i] > cuts.PtMin);
        if (cuts.AbsEtaMax is { } etaMax)
        {
            CutRecorder.Apply(mask, $"{leg} |eta| < {CutRecorder.Number(etaMax)}", collection, offsets, alive, i => Math.Abs(eta[i]) < etaMax);
        }
        if (cuts.EtaGap is [double gapLow, double gapHigh])
        {
            CutRecorder.Apply(mask, $"{leg} |eta| outside {CutRecorder.Number(gapLow)}-{CutRecorder.Number(gapHigh)}", collection, offsets, alive,
                i => !(Math.Abs(eta[i]) > gapLow && Math.Abs(eta[i]) < gapHigh));
        }
        if (id is not null)
        {
            bool[] pass = ColumnAccess.Condition(id, batch, collection, offsets, $"{leg}.id");
            CutRecorder.Apply(mask, $"{leg} id: {id.Text}", collection, offsets, alive, i => pass[i]);
        }
        if (cuts.TriggerMatch.Length > 0)
        {
            string name = _config.Resolve(cuts.TriggerMatch);
            double[] matched = ColumnAccess.Read(batch, name, collection, $"{leg}.trigger_match");
            CutRecorder.Apply(mask, $"{leg} {name}", collection, offsets, alive, i => matched[i] != 0);
        }
        return alive;
    }

    /// <summary>Keeps one pair of objects per event (closest_to_z) or drops events with several (exactly_one).</summary>
    private void ApplyPolicy(SelectionMask mask, int[] pairOffsets, bool[] alive, List<int> tagOf, List<int> probeOf, double[] masses)
    {
        long eventsIn = 0, eventsOut = 0, pairsIn = 0, pairsOut = 0;
        for (int e = 0; e + 1 < pairOffsets.Length; e++)
        {
            // The pair of objects {a, b} regardless of which is the tag.
            (int, int) Key(int k) => (Math.Min(tagOf[k], probeOf[k]), Math.Max(tagOf[k], probeOf[k]));
            int best = -1;
            bool several = false;
            int before = 0;
            for (int k = pairOffsets[e]; k < pairOffsets[e + 1]; k++)
            {
                if (!alive[k])
                {
                    continue;
                }
                before++;
                if (best < 0)
                {
                    best = k;
                    continue;
                }
                several |= Key(k) != Key(best);
                if (Math.Abs(masses[k] - _config.ZMass) < Math.Abs(masses[best] - _config.ZMass))
                {
                    best = k;
                }
            }
            int after = 0;
            for (int k = pairOffsets[e]; k < pairOffsets[e + 1]; k++)
            {
                alive[k] &= _config.Pairs == PairPolicy.ClosestToZ ? Key(k) == Key(best) : !several;
                after += alive[k] ? 1 : 0;
            }
            eventsIn += before > 0 ? 1 : 0;
            eventsOut += after > 0 ? 1 : 0;
            pairsIn += before;
            pairsOut += after;
        }
        string cut = _config.Pairs == PairPolicy.ClosestToZ ? "pair closest to the Z mass" : "exactly one pair";
        mask.RecordCut(new CutCount(cut, _config.Output, eventsIn, eventsOut, pairsIn, pairsOut));
    }

    private void Write(EventBatch batch, Candidates candidates, int[] counts, List<int> rows, List<int> tagOf, List<int> probeOf, double[] masses)
    {
        TagAndProbeConfig c = _config;
        int[] probeRows = rows.Select(k => probeOf[k]).ToArray();
        int[] tagRows = rows.Select(k => tagOf[k]).ToArray();
        string label = $"{c.Output}_energyLabel";
        string mass = $"{c.PairPrefix}_mass";
        var outputs = new List<(string Name, Action Add)>();
        var fields = candidates.Fields(batch, c).ToList();
        foreach ((string field, Func<int[], string, Action> copy) in fields)
        {
            if (c.ProbeColumns is null || c.ProbeColumns.Contains(field))
            {
                string name = $"{c.Output}_{field}";
                outputs.Add((name, copy(probeRows, name)));
            }
            if (c.TagColumns is null || c.TagColumns.Contains(field))
            {
                string name = $"{c.TagPrefix}_{field}";
                outputs.Add((name, copy(tagRows, name)));
            }
        }
        foreach ((string key, string[]? wanted) in new[] { ("probe_columns", c.ProbeColumns), ("tag_columns", c.TagColumns) })
        {
            string? unknown = wanted?.FirstOrDefault(f => !fields.Any(x => x.Field == f));
            if (unknown is not null)
            {
                throw new ConfigValueException(key, $"'{unknown}' is not a field of {c.Collection}; fields: {string.Join(", ", fields.Select(x => x.Field))}");
            }
        }
        string? clash = outputs.Select(o => o.Name).Append(mass).Append(label).FirstOrDefault(batch.HasColumn)
            ?? outputs.Select(o => o.Name).FirstOrDefault(n => n == mass || n == label);
        if (clash is not null)
        {
            throw new ConfigValueException("output", $"column '{clash}' exists already; choose other output, tag_prefix or pair_prefix names");
        }

        batch.AddCollection(c.Output, counts);
        foreach ((_, Action add) in outputs)
        {
            add();
        }
        Span<float> massValues = batch.AddObjectColumn<float>(c.Output, mass).Values;
        Span<float> labelValues = batch.AddObjectColumn<float>(c.Output, label).Values;
        for (int r = 0; r < rows.Count; r++)
        {
            int k = rows[r];
            double m = masses[k];
            massValues[r] = (float)m;
            int t = tagOf[k], p = probeOf[k];
            labelValues[r] = m > c.LabelWindow[0] && m < c.LabelWindow[1]
                ? (float)Kinematics.ZConstraintEnergy(candidates.Pt[t], candidates.Eta[t], candidates.Phi[t], candidates.Eta[p], candidates.Phi[p], c.ZMass)
                : -1f;
        }
    }


    /// <summary>The candidates' kinematics, flat over the batch, object i of event e at Offsets[e] + k.</summary>
    private sealed class Candidates
    {
        public required int[] Offsets { get; init; }

        public required double[] Pt { get; init; }

        public required double[] Eta { get; init; }

        public required double[] Phi { get; init; }

        public required double[] Masses { get; init; }

        public double[]? Charge { get; init; }

        /// <summary>The configured inputs as read, one value per candidate (flat layout: object l of event e from row e of the leg-l column).</summary>
        private List<(string Key, double[] Values)> Inputs { get; init; } = [];

        public double Mass(int a, int b, PairKinematics kinematics) => kinematics == PairKinematics.Massless
            ? Kinematics.MasslessPairMass(Pt[a], Eta[a], Phi[a], Pt[b], Eta[b], Phi[b])
            : Kinematics.PairMass(Pt[a], Eta[a], Phi[a], Masses[a], Pt[b], Eta[b], Phi[b], Masses[b]);

        public static Candidates Read(EventBatch batch, TagAndProbeConfig c)
        {
            CandidateColumns columns = c.Columns;
            bool cartesian = columns.Px is not null;
            var inputs = new List<(string Key, string[] Names)>();
            if (cartesian)
            {
                inputs.AddRange([("px", columns.Px!), ("py", columns.Py!), ("pz", columns.Pz!)]);
            }
            else
            {
                inputs.AddRange([("pt", columns.Pt), ("eta", columns.Eta), ("phi", columns.Phi)]);
            }
            if (c.PairCharge != PairCharge.Any)
            {
                inputs.Add(("charge", columns.Charge));
            }
            if (columns.Energy is not null)
            {
                inputs.Add(("energy", columns.Energy));
            }
            inputs = inputs.Select(x => (x.Key, x.Names.Select(c.Resolve).ToArray())).ToList();

            int[] offsets = c.Legs > 0 ? CutRecorder.Regular(batch.EventCount, c.Legs) : [.. batch.GetCollectionOrThrow(c.Collection).Offsets];
            var values = inputs.ToDictionary(x => x.Key, x => ReadInput(batch, c, x.Key, x.Names, offsets[^1]));
            int n = offsets[^1];
            double[] pt, eta, phi;
            if (cartesian)
            {
                (pt, eta, phi) = (new double[n], new double[n], new double[n]);
                for (int i = 0; i < n; i++)
                {
                    var v = new LorentzVector(values["px"][i], values["py"][i], values["pz"][i], 0);
                    (pt[i], eta[i], phi[i]) = (v.Pt, v.Eta, v.Phi);
                }
            }
            else
            {
                (pt, eta, phi) = (values["pt"], values["eta"], values["phi"]);
            }
            double[] masses = new double[n];
            if (values.TryGetValue("energy", out double[]? energy))
            {
                for (int i = 0; i < n; i++)
                {
                    double p = pt[i] * Math.Cosh(eta[i]);
                    masses[i] = Math.Sqrt(Math.Max(0, energy[i] * energy[i] - p * p));
                }
            }
            else
            {
                Array.Fill(masses, c.Mass);
            }
            return new Candidates
            {
                Offsets = offsets,
                Pt = pt,
                Eta = eta,
                Phi = phi,
                Masses = masses,
                Charge = values.GetValueOrDefault("charge"),
                Inputs = [.. inputs.Select(x => (x.Key, values[x.Key]))],
            };
        }

        private static double[] ReadInput(EventBatch batch, TagAndProbeConfig c, string key, string[] names, int count)
        {
            if (c.Legs == 0)
            {
                return ColumnAccess.Read(batch, names[0], c.Collection, $"columns.{key}");
            }
            double[] values = new double[count];
            for (int leg = 0; leg < names.Length; leg++)
            {
                double[] column = ColumnAccess.Read(batch, names[leg], null, $"columns.{key}");
                for (int e = 0; e < column.Length; e++)
                {
                    values[e * names.Length + leg] = column[e];
                }
            }
            return values;
        }

        /// <summary>The fields an output collection copies, each with a function adding the column for given rows.</summary>
        public IEnumerable<(string Field, Func<int[], string, Action> Copy)> Fields(EventBatch batch, TagAndProbeConfig c)
        {
            if (c.Legs == 0)
            {
                string prefix = c.Collection + "_";
                foreach (Column column in batch.Columns.Where(x => x.Collection == c.Collection).ToList())
                {
                    string field = column.Name.StartsWith(prefix, StringComparison.Ordinal) ? column.Name[prefix.Length..] : column.Name;
                    yield return (field, (rows, name) => () => ColumnAccess.Gather(batch, column, name, c.Output, rows));
                }
                yield break;
            }
            // Event-level columns, one per leg: the configured keys become the fields, as float64.
            foreach ((string key, double[] values) in Inputs)
            {
                yield return (key, (rows, name) => () =>
                {
                    Span<double> target = batch.AddObjectColumn<double>(c.Output, name).Values;
                    for (int r = 0; r < rows.Length; r++)
                    {
                        target[r] = values[rows[r]];
                    }
                });
            }
        }
    }
}

/// <summary>Lookups with errors that name the config key.</summary>
internal static class BatchLookups
{
    /// <summary>The collection, or a config error on <c>collection</c> listing the ones that exist.</summary>
    public static ObjectCollection GetCollectionOrThrow(this EventBatch batch, string name, string key = "collection") =>
        batch.GetCollectionNamedBy(key, name);
}
