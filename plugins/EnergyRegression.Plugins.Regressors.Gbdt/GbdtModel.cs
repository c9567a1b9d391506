using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using EnergyRegression.Models;
using EnergyRegression.Plugins.Regressors.Gbdt.Training;
using EnergyRegression.Plugins.Regressors.Gbdt.Trees;
using EnergyRegression.Running;

namespace EnergyRegression.Plugins.Regressors.Gbdt;

/// <summary>A trained region: its condition, trees, what training measured, and the uncertainty trees if trained.</summary>
internal sealed record GbdtRegionModel(
    string Name, string When, CompleteTreeEnsemble Trees, string Engine, IReadOnlyDictionary<string, string> Hyperparameters,
    IReadOnlyDictionary<string, double> Metrics, float[] Importance, UncertaintyModel? Uncertainty = null);

/// <summary>
/// A trained <c>gbdt</c> model and its file. The model archive (<see cref="ModelArchive"/>) holds
/// <c>card.json</c>, <c>gbdt.json</c> (columns, target, regions with their conditions, hyperparameters and
/// metrics), one <c>trees/N.bin</c> per region (the complete-tree layout, little-endian: see
/// <see cref="WriteTrees"/>), with <c>uncertainty: true</c> one <c>trees/N.sigma.bin</c> per region (the uncertainty
/// trees, same layout; their scale in gbdt.json), and <c>importance.csv</c>.
/// </summary>
internal sealed record GbdtModel(
    string Collection, IReadOnlyList<string> Features, string RawEnergy, string TrueEnergy, GbdtTarget Target, string Output,
    NanPolicy Nan, float NanValue, IReadOnlyList<GbdtRegionModel> Regions, string? UncertaintyOutput = null)
{
    public const string PluginName = "gbdt";
    public const int FileVersion = 1;
    private const string Magic = "ERGBDT1\n";

    /// <summary>The model card for <c>energyreg model show</c>.</summary>
    public ModelCard Card(Provenance provenance, IReadOnlyList<ModelInput> inputs, long trainingObjects, long validationObjects)
    {
        var metrics = new Dictionary<string, double>();
        var hyper = new Dictionary<string, string>();
        foreach (GbdtRegionModel region in Regions)
        {
            foreach ((string key, double value) in region.Metrics)
            {
                metrics[$"{region.Name}.{key}"] = value;
            }
            foreach ((string key, string value) in region.Hyperparameters)
            {
                hyper[$"{region.Name}.{key}"] = value;
            }
        }
        return new ModelCard
        {
            Plugin = PluginName,
            PluginFormatVersion = FileVersion,
            Architecture = $"gradient-boosted trees ({string.Join(", ", Regions.Select(r => r.Engine).Distinct())}), "
                + string.Join(" + ", Regions.Select(r => $"{r.Name}: {r.Trees.TreeCount} trees ≤ {r.Trees.Depth} levels")),
            Inputs = inputs,
            Collection = Collection,
            Outputs = UncertaintyOutput is null ? [Output] : [Output, UncertaintyOutput],
            Target = Target == GbdtTarget.Ratio
                ? new ModelTarget("ratio", "y = E_true / E_raw; E_calib = ŷ · E_raw", [TrueEnergy, RawEnergy])
                : new ModelTarget("energy", "y = E_true; E_calib = ŷ", [TrueEnergy]),
            Layers = [.. Regions.Select(r => new ModelLayer(r.Name, $"{r.Trees.TreeCount} trees, depth {r.Trees.Depth}, if {r.When}", LeafCount(r.Trees)))],
            Parameters = Regions.Sum(r => LeafCount(r.Trees)),
            Hyperparameters = hyper,
            Metrics = metrics,
            TrainingObjects = trainingObjects,
            ValidationObjects = validationObjects,
            Provenance = provenance,
        };
    }

    /// <summary>Leaf values of the complete trees: the ensemble's free parameters.</summary>
    private static long LeafCount(CompleteTreeEnsemble trees) => (long)trees.TreeCount << trees.Depth;

    public void Save(string path, ModelCard card)
    {
        using var writer = ModelArchiveWriter.Create(path);
        writer.WriteJson("gbdt.json", new GbdtFile
        {
            Collection = Collection,
            Features = [.. Features],
            RawEnergy = RawEnergy,
            TrueEnergy = TrueEnergy,
            Target = Target.ToString(),
            Output = Output,
            Nan = Nan.ToString(),
            NanValue = NanValue,
            UncertaintyOutput = UncertaintyOutput,
            Regions = [.. Regions.Select((r, i) => new GbdtFileRegion
            {
                Name = r.Name,
                When = r.When,
                Engine = r.Engine,
                Trees = $"trees/{i}.bin",
                UncertaintyTrees = r.Uncertainty is null ? null : $"trees/{i}.sigma.bin",
                UncertaintyScale = r.Uncertainty?.Scale,
                Hyperparameters = new Dictionary<string, string>(r.Hyperparameters),
                Metrics = new Dictionary<string, double>(r.Metrics),
            })],
        });
        for (int i = 0; i < Regions.Count; i++)
        {
            using (Stream stream = writer.CreateEntry($"trees/{i}.bin"))
            {
                WriteTrees(stream, Regions[i].Trees);
            }
            if (Regions[i].Uncertainty is { } uncertainty)
            {
                using Stream stream = writer.CreateEntry($"trees/{i}.sigma.bin");
                WriteTrees(stream, uncertainty.Trees);
            }
        }
        writer.WriteBytes("importance.csv", Encoding.UTF8.GetBytes(ImportanceCsv()));
        writer.Commit(card);
    }

    /// <summary>Per region and feature: LightGBM's total split gain, and its share of the region's total.</summary>
    public string ImportanceCsv()
    {
        var text = new StringBuilder("region,feature,gain,fraction\n");
        foreach (GbdtRegionModel region in Regions)
        {
            double total = region.Importance.Sum(g => (double)g);
            foreach ((string feature, float gain) in Features.Zip(region.Importance).OrderByDescending(x => x.Second))
            {
                text.Append(CultureInfo.InvariantCulture, $"{region.Name},{feature},{gain:R},{(total > 0 ? gain / total : 0):0.######}\n");
            }
        }
        return text.ToString();
    }

    public static GbdtModel Load(string path)
    {
        using var archive = ModelArchive.Open(path);
        if (archive.Card.Plugin != PluginName)
        {
            throw new InputDataException(path, ModelArchive.CardEntry, $"is a '{archive.Card.Plugin}' model, not a {PluginName} model");
        }
        if (archive.Card.PluginFormatVersion != FileVersion)
        {
            throw new InputDataException(path, ModelArchive.CardEntry,
                $"gbdt file layout {archive.Card.PluginFormatVersion}; this version of the plugin reads layout {FileVersion}");
        }
        GbdtFile file = archive.ReadJson<GbdtFile>("gbdt.json");
        var regions = new List<GbdtRegionModel>();
        foreach (GbdtFileRegion region in file.Regions)
        {
            using Stream stream = archive.OpenEntry(region.Trees);
            CompleteTreeEnsemble trees = ReadTrees(stream, path, region.Trees, file.Features.Length);
            UncertaintyModel? uncertainty = null;
            if (file.UncertaintyOutput is not null)
            {
                if (region.UncertaintyTrees is null || region.UncertaintyScale is not double scale || !(scale > 0))
                {
                    throw new InputDataException(path, "gbdt.json", $"region '{region.Name}' has no uncertainty trees or scale, but the model writes {file.UncertaintyOutput}");
                }
                using Stream sigma = archive.OpenEntry(region.UncertaintyTrees);
                uncertainty = new UncertaintyModel(ReadTrees(sigma, path, region.UncertaintyTrees, file.Features.Length), scale);
            }
            regions.Add(new GbdtRegionModel(region.Name, region.When, trees, region.Engine, region.Hyperparameters, region.Metrics,
                new float[file.Features.Length], uncertainty));
        }
        if (regions.Count == 0)
        {
            throw new InputDataException(path, "gbdt.json", "the model has no regions");
        }
        return new GbdtModel(file.Collection, file.Features, file.RawEnergy, file.TrueEnergy,
            ParseEnum<GbdtTarget>(file.Target, path, "target"), file.Output, ParseEnum<NanPolicy>(file.Nan, path, "nan"), file.NanValue, regions,
            file.UncertaintyOutput);
    }

    private static T ParseEnum<T>(string text, string path, string key) where T : struct, Enum =>
        Enum.TryParse(text, out T value) ? value : throw new InputDataException(path, $"gbdt.json, {key}", $"unknown value '{text}'");

    /// <summary>
    /// The trees of one region: magic <c>ERGBDT1\n</c>, then int32 depth, feature count and tree count, then per tree
    /// node features (int32), node thresholds (float32) and leaf values (float64), all little-endian.
    /// </summary>
    private static void WriteTrees(Stream stream, CompleteTreeEnsemble trees)
    {
        int nodes = trees.TreeCount * CompleteTreeEnsemble.NodesPerTree(trees.Depth);
        using var writer = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true);
        writer.Write(Encoding.ASCII.GetBytes(Magic));
        writer.Write(trees.Depth);
        writer.Write(trees.FeatureCount);
        writer.Write(trees.TreeCount);
        foreach (int f in trees.Features.AsSpan(0, nodes))
        {
            writer.Write(f);
        }
        foreach (float t in trees.Thresholds.AsSpan(0, nodes))
        {
            writer.Write(t);
        }
        foreach (double v in trees.Leaves.AsSpan(0, trees.LeafCount))
        {
            writer.Write(v);
        }
    }

    private static CompleteTreeEnsemble ReadTrees(Stream stream, string path, string entry, int featureCount)
    {
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        ReadOnlySpan<byte> bytes = memory.ToArray();
        InputDataException Damaged(string why) => new(path, entry, $"damaged trees: {why}");
        if (bytes.Length < 20 || Encoding.ASCII.GetString(bytes[..8]) != Magic)
        {
            throw Damaged("no ERGBDT1 header");
        }
        int depth = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        int features = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        int count = BinaryPrimitives.ReadInt32LittleEndian(bytes[16..]);
        if (depth is < 0 or > CompleteTreeEnsemble.MaxDepth || features != featureCount || count < 0)
        {
            throw Damaged($"depth {depth}, {features} features (gbdt.json lists {featureCount}), {count} trees");
        }
        int nodes = CompleteTreeEnsemble.NodesPerTree(depth) * count;
        long expected = 20 + (long)nodes * 8 + ((long)count << depth) * 8;
        if (bytes.Length != expected)
        {
            throw Damaged($"{bytes.Length} bytes, expected {expected}");
        }
        ReadOnlySpan<byte> body = bytes[20..];
        int[] f = new int[nodes];
        float[] t = new float[nodes];
        double[] leaves = new double[(long)count << depth];
        for (int i = 0; i < nodes; i++)
        {
            f[i] = BinaryPrimitives.ReadInt32LittleEndian(body[(4 * i)..]);
            t[i] = BinaryPrimitives.ReadSingleLittleEndian(body[(4 * (nodes + i))..]);
        }
        ReadOnlySpan<byte> leafBytes = body[(8 * nodes)..];
        for (int i = 0; i < leaves.Length; i++)
        {
            leaves[i] = BinaryPrimitives.ReadDoubleLittleEndian(leafBytes[(8 * i)..]);
        }
        try
        {
            return new CompleteTreeEnsemble(depth, features, f, t, leaves);
        }
        catch (ArgumentException e)
        {
            throw Damaged(e.Message);
        }
    }

    /// <summary><c>gbdt.json</c>.</summary>
    private sealed class GbdtFile
    {
        public string Collection { get; set; } = "";

        public string[] Features { get; set; } = [];

        public string RawEnergy { get; set; } = "";

        public string TrueEnergy { get; set; } = "";

        public string Target { get; set; } = "";

        public string Output { get; set; } = "";

        public string Nan { get; set; } = "";

        public float NanValue { get; set; }

        public string? UncertaintyOutput { get; set; }

        public GbdtFileRegion[] Regions { get; set; } = [];
    }

    private sealed class GbdtFileRegion
    {
        public string Name { get; set; } = "";

        public string When { get; set; } = "";

        public string Engine { get; set; } = "";

        public string Trees { get; set; } = "";

        public string? UncertaintyTrees { get; set; }

        public double? UncertaintyScale { get; set; }

        public Dictionary<string, string> Hyperparameters { get; set; } = [];

        public Dictionary<string, double> Metrics { get; set; } = [];
    }
}
