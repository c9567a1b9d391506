using System.ComponentModel;
using System.Text.Json;
using EnergyRegression.Configuration;
using EnergyRegression.Data;
using EnergyRegression.Running;

namespace EnergyRegression.Plugins.Selections;

/// <summary>Config of <see cref="QualityPlugin"/>.</summary>
public sealed class QualityConfig : PluginConfig
{
    /// <summary>Every cut name, in the order the cuts run.</summary>
    internal static readonly string[] AllCuts =
        ["dead_crystal", "supermodule_phi", "supermodule_eta", "eb_ee_transition", "energy_response", "emax_over_e3x3", "e3x3_over_e5x5", "r9", "sieie"];

    /// <summary>The collection cleaned.</summary>
    [Description("The collection cleaned, e.g. Electron, Photon, or Probe after tag-and-probe.")]
    public string Collection { get; set; } = "Electron";

    /// <summary>The cuts applied; default all.</summary>
    [Description("The cuts applied, by name: dead_crystal, supermodule_phi, supermodule_eta, eb_ee_transition, energy_response, emax_over_e3x3, " +
        "e3x3_over_e5x5, r9, sieie. Default: all. energy_response and the shower-shape cuts are skipped when their columns are missing.")]
    public string[] Cuts { get; set; } = [.. AllCuts];

    /// <summary>A dead-crystal map file (the simulator writes one with dead_crystal_map).</summary>
    [Description("Dead-crystal map: a JSON file with \"crystals\": [[ieta, iphi], ...], as the simulate reader's dead_crystal_map writes.")]
    [PathValue]
    public string? DeadCrystalMap { get; set; }

    /// <summary>Dead crystals given in the config, [iη, iφ] each.</summary>
    [Description("Dead crystals given here, [ieta, iphi] each (added to the map file's).")]
    public int[][] DeadCrystals { get; set; } = [];

    /// <summary>dead_crystal: minimum distance (in crystals) of the seed from a dead crystal.</summary>
    [Description("dead_crystal: keep seeds at least this many crystals (max of |d ieta|, |d iphi|) from every dead crystal; 3 = no dead crystal in the 5x5.")]
    public int DeadCrystalMinDistance { get; set; } = 3;

    /// <summary>supermodule_phi: minimum distance of the seed from a supermodule boundary in iφ.</summary>
    [Description("supermodule_phi: keep barrel seeds with at least this many crystals between them and a supermodule boundary in iphi (every 20 crystals); 2 = the 5x5 inside one supermodule.")]
    public int SupermodulePhiMinDistance { get; set; } = 2;

    /// <summary>supermodule_eta: minimum distance of the seed from a boundary in iη.</summary>
    [Description("supermodule_eta: keep barrel seeds with at least this many crystals between them and a boundary in ieta.")]
    public int SupermoduleEtaMinDistance { get; set; } = 2;

    /// <summary>supermodule_eta: boundaries as the |iη| after which they lie (0: η = 0).</summary>
    [Description("supermodule_eta: the boundaries, as the |ieta| after which each lies: 0 is eta = 0 (between the half barrels), 85 the barrel's end; add 25, 45, 65 for module boundaries.")]
    public int[] SupermoduleEtaBoundaries { get; set; } = [0, 85];

    /// <summary>eb_ee_transition: the |η| range removed.</summary>
    [Description("eb_ee_transition: objects with low < |eta| < high are removed.")]
    public double[] TransitionEta { get; set; } = [1.4442, 1.566];

    /// <summary>energy_response: minimum (E − E_true)/E_true.</summary>
    [Description("energy_response (simulation): keep (E - E_true) / E_true > this; objects without a true energy (<= 0) fail.")]
    public double EnergyResponseMin { get; set; } = -0.4;

    /// <summary>emax_over_e3x3: maximum eMax/e3x3.</summary>
    [Description("emax_over_e3x3: keep eMax / e3x3 < this.")]
    [ConfigKey("emax_over_e3x3_max")]
    public double EMaxOverE3x3Max { get; set; } = 1;

    /// <summary>e3x3_over_e5x5: minimum e3x3/e5x5.</summary>
    [Description("e3x3_over_e5x5: keep e3x3 / e5x5 > this.")]
    public double E3x3OverE5x5Min { get; set; } = 0.5;

    /// <summary>r9: maximum r9.</summary>
    [Description("r9: keep r9 < this.")]
    public double R9Max { get; set; } = 2;

    /// <summary>sieie: maximum σiηiη.</summary>
    [Description("sieie: keep sigma_ieta_ieta < this.")]
    public double SieieMax { get; set; } = 0.012;

    /// <summary>Column names by field ({collection} stands for the collection).</summary>
    [Description("Column names, field -> column, overriding {collection}_FIELD for: seedIEta, seedIPhi, eta, energy, genEnergy, eMax, e3x3, e5x5, r9, sieie.")]
    public Dictionary<string, string> Columns { get; set; } = [];

    /// <summary>Also drop the events left without objects of the collection.</summary>
    [Description("Also drop the events left without objects of the collection.")]
    public bool DropEmptyEvents { get; set; }

    internal static readonly string[] Fields = ["seedIEta", "seedIPhi", "eta", "energy", "genEnergy", "eMax", "e3x3", "e5x5", "r9", "sieie"];

    /// <summary>The column of a field.</summary>
    internal string Column(string field) =>
        (Columns.GetValueOrDefault(field) ?? "{collection}_" + field).Replace("{collection}", Collection, StringComparison.Ordinal);

    /// <inheritdoc />
    public override void Validate()
    {
        if (string.IsNullOrWhiteSpace(Collection))
        {
            throw new ConfigValueException("collection", "needs the name of a collection");
        }
        RequireDistinctNames("cuts", Cuts, "cut");
        foreach (string cut in Cuts)
        {
            if (!AllCuts.Contains(cut))
            {
                throw new ConfigValueException("cuts", $"unknown cut '{cut}'{NameSuggestions.DidYouMean(cut, AllCuts)}; known: {string.Join(", ", AllCuts)}");
            }
        }
        foreach (string field in Columns.Keys)
        {
            if (!Fields.Contains(field))
            {
                throw new ConfigValueException("columns", $"unknown field '{field}'{NameSuggestions.DidYouMean(field, Fields)}; known: {string.Join(", ", Fields)}");
            }
        }
        if (DeadCrystalMinDistance < 1 || SupermodulePhiMinDistance < 0 || SupermoduleEtaMinDistance < 0)
        {
            string key = DeadCrystalMinDistance < 1 ? "dead_crystal_min_distance" : SupermodulePhiMinDistance < 0 ? "supermodule_phi_min_distance" : "supermodule_eta_min_distance";
            throw new ConfigValueException(key, "must be a number of crystals, 0 or more (1 or more for dead crystals)");
        }
        if (SupermoduleEtaBoundaries.Any(b => b < 0))
        {
            throw new ConfigValueException("supermodule_eta_boundaries", "boundaries are |ieta| values, 0 or more");
        }
        TagAndProbeConfig.CheckRange(TransitionEta, "transition_eta", lowMin: 0);
        for (int i = 0; i < DeadCrystals.Length; i++)
        {
            if (DeadCrystals[i] is not [int iEta, int iPhi] || iEta == 0 || iPhi is < 1 or > 360)
            {
                throw new ConfigValueException("dead_crystals", $"entry {i} must be [ieta, iphi] with ieta != 0 and iphi in 1..360");
            }
        }
        if (Cuts.Contains("dead_crystal") && DeadCrystalMap is null && DeadCrystals.Length == 0)
        {
            throw new ConfigValueException("cuts",
                "the dead_crystal cut needs a map: give dead_crystal_map (energyreg simulate --dead-crystal-map writes one) or dead_crystals, or leave dead_crystal out of cuts");
        }
    }
}

/// <summary>
/// Cleaning cuts of the CMS scouting regression (PHYSICS.md, seed 2; docs/selections.md): seeds near dead crystals, at
/// supermodule boundaries and in the EB/EE transition, badly measured simulated objects and odd shower shapes. Each
/// named cut drops the objects that fail it and is reported in the cut flow.
/// </summary>
[Plugin("quality", Description = "Cleaning cuts: dead crystals, supermodule boundaries, EB/EE transition, E/E_true, shower shapes.")]
public sealed class QualityPlugin : ISelection
{
    private readonly QualityConfig _config;
    private readonly Lazy<HashSet<(int Row, int IPhi)>> _dead;
    private readonly IRunLog? _log;
    private int _skipReported;

    /// <summary>Checks the config; the dead-crystal map is read with the first batch.</summary>
    public QualityPlugin(QualityConfig config, IRunContext? context = null)
    {
        config.Validate();
        _config = config;
        _log = context?.Log;
        // Read when the first batch arrives, not when the chain is built: the simulate reader of the same chain
        // writes its map when reading starts, and 'energyreg validate' reads no data.
        _dead = new Lazy<HashSet<(int Row, int IPhi)>>(() =>
        {
            var dead = new HashSet<(int Row, int IPhi)>();
            foreach (int[] crystal in config.DeadCrystals)
            {
                dead.Add((Row(crystal[0]), crystal[1]));
            }
            if (config.DeadCrystalMap is { } path)
            {
                foreach ((int iEta, int iPhi) in ReadMap(path))
                {
                    dead.Add((Row(iEta), iPhi));
                }
            }
            return dead;
        }, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Consecutive rows for iη = …, −2, −1, +1, +2, … (CMS has no iη = 0).</summary>
    private static int Row(int iEta) => iEta > 0 ? iEta - 1 : iEta;

    private static int IEtaOfRow(int row) => row >= 0 ? row + 1 : row;

    private static List<(int IEta, int IPhi)> ReadMap(string path)
    {
        var crystals = new List<(int, int)>();
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (!document.RootElement.TryGetProperty("crystals", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new InputDataException(path, "top level", "a dead-crystal map needs a \"crystals\" array of [ieta, iphi]");
            }
            int i = 0;
            foreach (JsonElement entry in list.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Array || entry.GetArrayLength() != 2
                    || !entry[0].TryGetInt32(out int iEta) || !entry[1].TryGetInt32(out int iPhi) || iEta == 0 || iPhi is < 1 or > 360)
                {
                    throw new InputDataException(path, $"crystals[{i}]", "needs [ieta, iphi] with ieta != 0 and iphi in 1..360");
                }
                crystals.Add((iEta, iPhi));
                i++;
            }
        }
        catch (JsonException e)
        {
            throw new InputDataException(path, $"line {e.LineNumber + 1}", "not valid JSON: " + e.Message, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputDataException(path, "opening", e.Message, e);
        }
        return crystals;
    }

    /// <inheritdoc />
    public void Select(EventBatch batch, SelectionMask mask)
    {
        QualityConfig c = _config;
        ObjectCollection objects = batch.GetCollectionOrThrow(c.Collection);
        ReadOnlySpan<int> offsets = objects.Offsets;
        bool[] alive = new bool[objects.TotalCount];
        Array.Fill(alive, true);
        // Several cuts read the same column (seedIEta): convert each once per batch.
        var read = new Dictionary<string, double[]>(StringComparer.Ordinal);
        double[] Read(string field) =>
            read.TryGetValue(field, out double[]? values) ? values : read[field] = ColumnAccess.Read(batch, c.Column(field), c.Collection, "columns");
        bool Has(params string[] fields)
        {
            string? missing = fields.Select(c.Column).FirstOrDefault(name => !batch.HasColumn(name));
            if (missing is not null && Interlocked.Exchange(ref _skipReported, 1) == 0)
            {
                _log?.Info($"quality: column '{missing}' is missing: its cuts are skipped");
            }
            return missing is null;
        }

        foreach (string cut in QualityConfig.AllCuts.Where(c.Cuts.Contains))
        {
            switch (cut)
            {
                case "dead_crystal":
                {
                    double[] iEta = Read("seedIEta"), iPhi = Read("seedIPhi");
                    int d = c.DeadCrystalMinDistance;
                    CutRecorder.Apply(mask, $"dead crystal >= {d} crystals away", c.Collection, offsets, alive, i => !NearDead((int)iEta[i], (int)iPhi[i], d));
                    break;
                }
                case "supermodule_phi":
                {
                    double[] iEta = Read("seedIEta"), iPhi = Read("seedIPhi");
                    int d = c.SupermodulePhiMinDistance;
                    CutRecorder.Apply(mask, $"supermodule boundary in iphi >= {d} crystals away", c.Collection, offsets, alive,
                        i => !IsBarrel((int)iEta[i]) || PhiDistance((int)iPhi[i]) >= d);
                    break;
                }
                case "supermodule_eta":
                {
                    double[] iEta = Read("seedIEta");
                    int d = c.SupermoduleEtaMinDistance;
                    CutRecorder.Apply(mask, $"boundary in ieta ({string.Join("/", c.SupermoduleEtaBoundaries)}) >= {d} crystals away", c.Collection, offsets, alive,
                        i => !IsBarrel((int)iEta[i]) || EtaDistance((int)iEta[i], c.SupermoduleEtaBoundaries) >= d);
                    break;
                }
                case "eb_ee_transition":
                {
                    double[] eta = Read("eta");
                    (double low, double high) = (c.TransitionEta[0], c.TransitionEta[1]);
                    CutRecorder.Apply(mask, $"|eta| outside {CutRecorder.Number(low)}-{CutRecorder.Number(high)}", c.Collection, offsets, alive,
                        i => !(Math.Abs(eta[i]) > low && Math.Abs(eta[i]) < high));
                    break;
                }
                case "energy_response" when Has("energy", "genEnergy"):
                {
                    double[] energy = Read("energy"), truth = Read("genEnergy");
                    CutRecorder.Apply(mask, $"(E - E_true)/E_true > {CutRecorder.Number(c.EnergyResponseMin)}", c.Collection, offsets, alive,
                        i => truth[i] > 0 && (energy[i] - truth[i]) / truth[i] > c.EnergyResponseMin);
                    break;
                }
                case "emax_over_e3x3" when Has("eMax", "e3x3"):
                {
                    double[] eMax = Read("eMax"), e3x3 = Read("e3x3");
                    CutRecorder.Apply(mask, $"eMax/e3x3 < {CutRecorder.Number(c.EMaxOverE3x3Max)}", c.Collection, offsets, alive, i => eMax[i] < c.EMaxOverE3x3Max * e3x3[i]);
                    break;
                }
                case "e3x3_over_e5x5" when Has("e3x3", "e5x5"):
                {
                    double[] e3x3 = Read("e3x3"), e5x5 = Read("e5x5");
                    CutRecorder.Apply(mask, $"e3x3/e5x5 > {CutRecorder.Number(c.E3x3OverE5x5Min)}", c.Collection, offsets, alive, i => e3x3[i] > c.E3x3OverE5x5Min * e5x5[i]);
                    break;
                }
                case "r9" when Has("r9"):
                {
                    double[] r9 = Read("r9");
                    CutRecorder.Apply(mask, $"r9 < {CutRecorder.Number(c.R9Max)}", c.Collection, offsets, alive, i => r9[i] < c.R9Max);
                    break;
                }
                case "sieie" when Has("sieie"):
                {
                    double[] sieie = Read("sieie");
                    CutRecorder.Apply(mask, $"sieie < {CutRecorder.Number(c.SieieMax)}", c.Collection, offsets, alive, i => sieie[i] < c.SieieMax);
                    break;
                }
                default:
                    break;
            }
        }

        Span<bool> keep = mask.Objects(c.Collection);
        for (int i = 0; i < keep.Length; i++)
        {
            keep[i] &= alive[i];
        }
        if (c.DropEmptyEvents)
        {
            for (int e = 0; e < batch.EventCount; e++)
            {
                mask.Events[e] &= keep[offsets[e]..offsets[e + 1]].Contains(true);
            }
        }
    }

    private static bool IsBarrel(int iEta) => iEta is >= -85 and <= 85 and not 0;

    /// <summary>A dead crystal within Chebyshev distance <paramref name="distance"/> − 1 of the seed (iφ wraps around).</summary>
    private bool NearDead(int iEta, int iPhi, int distance)
    {
        HashSet<(int Row, int IPhi)> deadCrystals = _dead.Value;
        if (deadCrystals.Count == 0)
        {
            return false;
        }
        // The barrel's rings have 360 crystals in φ, the simulated endcaps' 180 (iη ±86…±126, docs/simulation.md); the
        // two are not neighbours across the EB/EE transition.
        bool barrel = IsBarrel(iEta);
        int phiCount = barrel ? 360 : 180;
        int row = Row(iEta);
        for (int dRow = 1 - distance; dRow < distance; dRow++)
        {
            int neighbour = row + dRow;
            if (IsBarrel(IEtaOfRow(neighbour)) != barrel)
            {
                continue;
            }
            for (int dPhi = 1 - distance; dPhi < distance; dPhi++)
            {
                int phi = ((iPhi - 1 + dPhi) % phiCount + phiCount) % phiCount + 1;
                if (deadCrystals.Contains((neighbour, phi)))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>Crystals between the seed and the nearest supermodule boundary in iφ: supermodules are iφ 1–20, 21–40, … (PHYSICS.md).</summary>
    internal static int PhiDistance(int iPhi)
    {
        int inModule = (iPhi - 1) % 20;
        return Math.Min(inModule, 19 - inModule);
    }

    /// <summary>Crystals between the seed and the nearest boundary lying after |iη| = b, for b in <paramref name="boundaries"/>.</summary>
    internal static int EtaDistance(int iEta, int[] boundaries)
    {
        int a = Math.Abs(iEta);
        int best = int.MaxValue;
        foreach (int b in boundaries)
        {
            best = Math.Min(best, a <= b ? b - a : a - b - 1);
        }
        return best;
    }
}
