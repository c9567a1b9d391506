using System.ComponentModel;
using EnergyRegression.Configuration;

namespace EnergyRegression.Plugins.Selections;

/// <summary>How pair masses are computed.</summary>
public enum PairKinematics
{
    /// <summary>Massless leptons: M² = 2 pT1 pT2 (cosh Δη − cos Δφ).</summary>
    Massless,

    /// <summary>The full four-vector mass with the particle mass (<c>mass</c>) or masses from the energy column.</summary>
    Massive,
}

/// <summary>Which charge combinations make a pair.</summary>
public enum PairCharge
{
    /// <summary>Opposite charges (Z → ℓℓ).</summary>
    Opposite,

    /// <summary>Same charges (a background control sample).</summary>
    Same,

    /// <summary>Any charges; no charge column needed.</summary>
    Any,
}

/// <summary>What to do when an event has several tag-probe pairs.</summary>
public enum PairPolicy
{
    /// <summary>Keep every pair.</summary>
    All,

    /// <summary>Keep the pair of objects whose mass is closest to the Z mass (both of its tag-probe orderings).</summary>
    ClosestToZ,

    /// <summary>Drop events with more than one pair of objects (the seeds' choice); both orderings of one pair count as one.</summary>
    ExactlyOne,
}

/// <summary>
/// Input columns of the candidates. One name per key: a column of the collection (<c>Electron_pt</c>); several
/// names per key: event-level columns, one per object (a flat tree such as <c>pt1, pt2</c>). <c>{collection}</c>
/// in a name stands for the <c>collection</c> key.
/// </summary>
public sealed class CandidateColumns
{
    /// <summary>Transverse momentum (GeV).</summary>
    [Description("Transverse momentum in GeV (not used when px/py/pz are given).")]
    public string[] Pt { get; set; } = ["{collection}_pt"];

    /// <summary>Pseudorapidity.</summary>
    [Description("Pseudorapidity (not used when px/py/pz are given).")]
    public string[] Eta { get; set; } = ["{collection}_eta"];

    /// <summary>Azimuth.</summary>
    [Description("Azimuth in radians (not used when px/py/pz are given).")]
    public string[] Phi { get; set; } = ["{collection}_phi"];

    /// <summary>Charge; not needed with pair_charge: any.</summary>
    [Description("Charge (sign used); not read with pair_charge: any.")]
    public string[] Charge { get; set; } = ["{collection}_charge"];

    /// <summary>Cartesian momentum x (instead of pt/eta/phi).</summary>
    [Description("Momentum x in GeV: give px, py, pz together to use them instead of pt, eta, phi.")]
    public string[]? Px { get; set; }

    /// <summary>Cartesian momentum y.</summary>
    [Description("Momentum y in GeV (with px, pz).")]
    public string[]? Py { get; set; }

    /// <summary>Cartesian momentum z.</summary>
    [Description("Momentum z in GeV (with px, py).")]
    public string[]? Pz { get; set; }

    /// <summary>Energy; with massive kinematics each object's mass is then √max(0, E² − p²).</summary>
    [Description("Energy in GeV; with kinematics: massive, each object's mass is sqrt(max(0, E^2 - p^2)) instead of 'mass'.")]
    public string[]? Energy { get; set; }
}

/// <summary>Cuts on one leg of a pair (the tag or the probe).</summary>
public abstract class LegCuts
{
    /// <summary>Minimum pT (GeV), exclusive.</summary>
    [Description("Minimum pT in GeV (pT > pt_min).")]
    public double PtMin { get; set; }

    /// <summary>Maximum |η|, exclusive; null: no cut.</summary>
    [Description("Maximum |eta| (|eta| < abs_eta_max); null: no cut.")]
    public double? AbsEtaMax { get; set; }

    /// <summary>An |η| range [low, high] to exclude (the EB/EE transition); null: none.</summary>
    [Description("An |eta| range [low, high] excluded (low < |eta| < high fails), e.g. the EB/EE transition [1.4442, 1.566]; null: none.")]
    public double[]? EtaGap { get; set; }

    /// <summary>The identification: a condition on the collection's objects; empty: none.</summary>
    [Description("Identification: a condition on the objects (docs/expressions.md), {collection} standing for the collection; \"\": none.")]
    public string Id { get; set; } = "";

    /// <summary>A bool column that must be true (trigger match); empty: none.</summary>
    [Description("A column that must be true (non-zero), e.g. the trigger match; \"\": none.")]
    public string TriggerMatch { get; set; } = "";

    internal void Check(string key)
    {
        if (!(PtMin >= 0))
        {
            throw new ConfigValueException($"{key}.pt_min", $"must be 0 or more; got {PtMin}");
        }
        if (AbsEtaMax is { } eta && !(eta > 0))
        {
            throw new ConfigValueException($"{key}.abs_eta_max", $"must be above 0; got {eta}");
        }
        if (EtaGap is not null)
        {
            TagAndProbeConfig.CheckRange(EtaGap, $"{key}.eta_gap", lowMin: 0);
        }
    }
}

/// <summary>Cuts on the tag; defaults of CMS e/γ tag-and-probe (PHYSICS.md).</summary>
public sealed class TagCuts : LegCuts
{
    /// <summary>pT &gt; 30 GeV, |η| &lt; 2.1 outside 1.4442–1.566, tight ID, trigger-matched.</summary>
    public TagCuts()
    {
        PtMin = 30;
        AbsEtaMax = 2.1;
        EtaGap = [1.4442, 1.566];
        Id = "{collection}_cutBased >= 4";
        TriggerMatch = "{collection}_trigMatch";
    }
}

/// <summary>Cuts on the probe.</summary>
public sealed class ProbeCuts : LegCuts
{
    /// <summary>pT &gt; 10 GeV, loose ID.</summary>
    public ProbeCuts()
    {
        PtMin = 10;
        Id = "{collection}_cutBased >= 2";
    }
}

/// <summary>Config of <see cref="TagAndProbePlugin"/>.</summary>
public sealed class TagAndProbeConfig : PluginConfig
{
    /// <summary>The collection of candidates (or, with several columns per key, the name used for the legs).</summary>
    [Description("The collection of candidates, e.g. Electron or Muon (with event-level columns: only a label).")]
    public string Collection { get; set; } = "Electron";

    /// <summary>Input columns.</summary>
    [Description("Input columns: pt, eta, phi, charge, or px, py, pz; energy. One name: an object column; several: event-level columns, one per object.")]
    public CandidateColumns Columns { get; set; } = new();

    /// <summary>Cuts on the tag.</summary>
    [Description("Tag cuts: pt_min (30), abs_eta_max (2.1), eta_gap ([1.4442, 1.566]), id (\"{collection}_cutBased >= 4\"), trigger_match (\"{collection}_trigMatch\").")]
    public TagCuts Tag { get; set; } = new();

    /// <summary>Cuts on the probe.</summary>
    [Description("Probe cuts: pt_min (10), abs_eta_max (null), eta_gap (null), id (\"{collection}_cutBased >= 2\"), trigger_match (\"\").")]
    public ProbeCuts Probe { get; set; } = new();

    /// <summary>Charges of a pair.</summary>
    [Description("Charges of a pair: opposite, same or any.")]
    public PairCharge PairCharge { get; set; } = PairCharge.Opposite;

    /// <summary>Pair mass window [low, high] in GeV; null: none.</summary>
    [Description("Pair mass window [low, high] in GeV (low < m < high); null: none.")]
    public double[]? MassWindow { get; set; } = [70, 110];

    /// <summary>Pairs with a mass in this window get a label.</summary>
    [Description("Pairs with low < m < high get the Z-mass label; the others get -1.")]
    public double[] LabelWindow { get; set; } = [86, 97];

    /// <summary>Several pairs in an event: all, closest_to_z or exactly_one.</summary>
    [Description("Several pairs in one event: all (keep every pair), closest_to_z (keep the pair closest to z_mass), exactly_one (drop the event).")]
    public PairPolicy Pairs { get; set; } = PairPolicy.All;

    /// <summary>Massless or massive pair masses.</summary>
    [Description("Pair mass: massless (2 pT1 pT2 (cosh deta - cos dphi)) or massive (full four-vector mass with 'mass' or the energy column).")]
    public PairKinematics Kinematics { get; set; } = PairKinematics.Massless;

    /// <summary>Particle mass for massive kinematics (GeV).</summary>
    [Description("Mass of the particles in GeV for kinematics: massive without an energy column (electron 0.000511, muon 0.10566).")]
    public double Mass { get; set; } = Physics.Kinematics.ElectronMass;

    /// <summary>The Z mass used for labels and for closest_to_z.</summary>
    [Description("The Z mass in GeV used for the label and closest_to_z.")]
    public double ZMass { get; set; } = Physics.Kinematics.ZMass;

    /// <summary>Name of the output collection of pairs.</summary>
    [Description("Output collection, one entry per tag-probe pair, with the probe's columns renamed to it.")]
    public string Output { get; set; } = "Probe";

    /// <summary>Prefix of the tag's columns in the output collection.</summary>
    [Description("Prefix of the tag's columns (Tag_pt, ...), which belong to the output collection.")]
    public string TagPrefix { get; set; } = "Tag";

    /// <summary>Prefix of the pair's columns.</summary>
    [Description("Prefix of the pair mass column (Pair_mass), which belongs to the output collection.")]
    public string PairPrefix { get; set; } = "Pair";

    /// <summary>Fields of the collection copied for the probe; null: all.</summary>
    [Description("Fields (column names without the collection prefix) copied for the probe; null: every column of the collection.")]
    public string[]? ProbeColumns { get; set; }

    /// <summary>Fields copied for the tag; null: all.</summary>
    [Description("Fields copied for the tag (as TAG_PREFIX_field); null: every column of the collection.")]
    public string[]? TagColumns { get; set; }

    /// <summary>Drop events without any pair.</summary>
    [Description("Drop events left without a tag-probe pair.")]
    public bool DropEventsWithoutPairs { get; set; } = true;

    /// <summary>Number of objects per event with event-level columns (several names per key); 0 with a collection.</summary>
    internal int Legs { get; private set; }

    /// <inheritdoc />
    public override void Validate()
    {
        RequireName("collection", Collection);
        RequireName("output", Output);
        RequireName("tag_prefix", TagPrefix);
        RequireName("pair_prefix", PairPrefix);
        if (Output == TagPrefix || Output == PairPrefix || TagPrefix == PairPrefix)
        {
            throw new ConfigValueException("output", $"output ({Output}), tag_prefix ({TagPrefix}) and pair_prefix ({PairPrefix}) must differ");
        }
        Tag.Check("tag");
        Probe.Check("probe");
        if (MassWindow is not null)
        {
            CheckRange(MassWindow, "mass_window", lowMin: 0);
        }
        CheckRange(LabelWindow, "label_window", lowMin: 0);
        if (!(ZMass > 0))
        {
            throw new ConfigValueException("z_mass", $"must be above 0; got {ZMass}");
        }
        if (!(Mass >= 0))
        {
            throw new ConfigValueException("mass", $"must be 0 or more; got {Mass}");
        }
        bool cartesian = Columns.Px is not null || Columns.Py is not null || Columns.Pz is not null;
        if (cartesian && (Columns.Px is null || Columns.Py is null || Columns.Pz is null))
        {
            string missing = Columns.Px is null ? "px" : Columns.Py is null ? "py" : "pz";
            throw new ConfigValueException($"columns.{missing}", "px, py and pz go together: give all three or none");
        }
        var lists = new List<(string Key, string[] Names)>();
        if (cartesian)
        {
            lists.AddRange([("px", Columns.Px!), ("py", Columns.Py!), ("pz", Columns.Pz!)]);
        }
        else
        {
            lists.AddRange([("pt", Columns.Pt), ("eta", Columns.Eta), ("phi", Columns.Phi)]);
        }
        if (PairCharge != PairCharge.Any)
        {
            lists.Add(("charge", Columns.Charge));
        }
        if (Columns.Energy is not null)
        {
            lists.Add(("energy", Columns.Energy));
        }
        int count = -1;
        foreach ((string key, string[] names) in lists)
        {
            RequireDistinctNames($"columns.{key}", names);
            if (names.Length == 0 || (count >= 0 && names.Length != count))
            {
                throw new ConfigValueException($"columns.{key}",
                    $"needs {(count > 0 ? count.ToString(System.Globalization.CultureInfo.InvariantCulture) : "one or more")} column name(s), one per object; got {names.Length}");
            }
            count = names.Length;
        }
        Legs = count > 1 ? count : 0;
        if (Legs > 0)
        {
            foreach ((string key, LegCuts leg) in new (string, LegCuts)[] { ("tag", Tag), ("probe", Probe) })
            {
                if (leg.Id.Length > 0)
                {
                    throw new ConfigValueException($"{key}.id",
                        "event-level columns (several names per key) have no per-object identification; set it to \"\"");
                }
                if (leg.TriggerMatch.Length > 0)
                {
                    throw new ConfigValueException($"{key}.trigger_match",
                        "event-level columns (several names per key) have no per-object trigger match; set it to \"\"");
                }
            }
        }
    }

    /// <summary>A name with <c>{collection}</c> replaced.</summary>
    internal string Resolve(string name) => name.Replace("{collection}", Collection, StringComparison.Ordinal);

    internal static void CheckRange(double[] range, string key, double lowMin)
    {
        if (range.Length != 2)
        {
            throw new ConfigValueException(key, $"needs two numbers [low, high]; got {range.Length}");
        }
        if (!(range[0] >= lowMin && range[1] > range[0]))
        {
            throw new ConfigValueException(key, $"needs {lowMin} <= low < high; got [{range[0]}, {range[1]}]");
        }
    }

    private static void RequireName(string key, string value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Contains('_', StringComparison.Ordinal))
        {
            throw new ConfigValueException(key, $"needs a name without '_' (a collection or prefix); got '{value}'");
        }
    }
}
