using System.Globalization;
using System.Text.Json;
using EnergyRegression.Expressions;
using EnergyRegression.Models;
using EnergyRegression.Onnx;
using EnergyRegression.Plugins.Regressors.Gbdt.Trees;

namespace EnergyRegression.Plugins.Regressors.Gbdt.Onnx;

/// <summary>
/// Writes a <c>gbdt</c> model as an ONNX graph (docs/onnx.md, docs/gbdt.md) that computes what
/// <see cref="GbdtRegressor.Predict"/> computes:
/// <list type="number">
/// <item>one input per feature column (<c>float[N, shape…]</c>, named after the column), flattened side by side into the
///   feature matrix [N, F]; with <c>nan: replace</c>, NaN values replaced by <c>nan_value</c>;</item>
/// <item>per region an ONNX-ML <c>TreeEnsembleRegressor</c> (ai.onnx.ml 3) holding the region's trees node for node:
///   the complete trees of <see cref="CompleteTreeEnsemble"/>, node i with children 2i+1 (x ≤ threshold,
///   <c>BRANCH_LEQ</c>) and 2i+2 (otherwise, NaN included: <c>nodes_missing_value_tracks_true</c> 0), leaf values
///   summed (<c>aggregate_function</c> SUM);</item>
/// <item>the region conditions (<c>when:</c>) translated into ONNX operators in double precision, as the tool evaluates
///   them, so objects on a boundary land in the same region; the first region that holds wins, objects of no
///   region get 0;</item>
/// <item>ratio targets: the prediction times the raw-energy input.</item>
/// </list>
/// The thresholds are the model's float32 values, so every object takes the path it takes in the tool; the leaf values
/// are float32 in ONNX-ML and ONNX Runtime sums them in float, where the tool sums doubles: predictions agree to a few
/// float32 roundings (tests: ≤ 1e-5 relative).
/// </summary>
internal static class GbdtOnnxExporter
{
    public const int Opset = 17;
    public const int MlOpset = 3;
    private static readonly OnnxDimension Objects = OnnxDimension.Named("N");

    public static byte[] Build(GbdtModel model, ModelCard card)
    {
        var g = new OnnxGraphBuilder("energyreg_gbdt");
        var inputs = new Inputs(g, card);
        string x = Features(g, model, inputs);
        string? result = null;
        string? zeros = null;
        for (int r = model.Regions.Count - 1; r >= 0; r--)
        {
            GbdtRegionModel region = model.Regions[r];
            string trees = g.Node("TreeEnsembleRegressor", "ai.onnx.ml", [x], TreeAttributes(region.Trees));
            string y = g.Node("Squeeze", [trees, g.Int64s("axes", 1)]);
            zeros ??= g.Node("Expand", [g.Scalar("zero", 0f), g.Node("Shape", [y])]);
            CompiledExpression condition = Expression.Parse(region.When);
            string holds = g.Node("Not", [g.Node("Equal", [condition.Lower(new OnnxConditionLowering(g, inputs, $"regions[{r}].when")), g.Scalar("zero", 0.0)])]);
            result = g.Node("Where", [holds, y, result ?? zeros]);
        }
        if (model.Target == GbdtTarget.Ratio)
        {
            result = g.Node("Mul", [result!, inputs.Scalar(model.RawEnergy)]);
        }
        g.Output(result!, model.Output, OnnxElementType.Float, Objects);
        var metadata = new Dictionary<string, string>
        {
            [OnnxModelInfo.CardKey] = JsonSerializer.Serialize(card, ModelArchive.Json),
            [OnnxModelInfo.TargetKey] = card.Target.Definition,
            ["energyreg.collection"] = model.Collection,
            ["energyreg.regions"] = string.Join("; ", model.Regions.Select(r => $"{r.Name}: {r.When}")),
        };
        return g.ToBytes([new OnnxOpset("", Opset), new OnnxOpset("ai.onnx.ml", MlOpset)], OnnxModelInfo.ProducerName,
            card.Provenance.ToolVersion.Split(' ')[^1], $"energyreg gbdt model: {card.Architecture}", metadata);
    }

    /// <summary>The feature matrix [N, F]: the feature inputs flattened side by side, NaN replaced if the model says so.</summary>
    private static string Features(OnnxGraphBuilder g, GbdtModel model, Inputs inputs)
    {
        var parts = model.Features.Select(f => g.Node("Flatten", [inputs.Get(f)], OnnxAttribute.Int("axis", 1))).ToList();
        string x = parts.Count == 1 ? parts[0] : g.Node("Concat", parts, OnnxAttribute.Int("axis", 1));
        return model.Nan == NanPolicy.Replace ? g.Node("Where", [g.Node("IsNaN", [x]), g.Scalar("nan_value", model.NanValue), x]) : x;
    }

    /// <summary>The attributes of one region's TreeEnsembleRegressor: every complete tree, node by node.</summary>
    private static OnnxAttribute[] TreeAttributes(CompleteTreeEnsemble trees)
    {
        int internalNodes = CompleteTreeEnsemble.NodesPerTree(trees.Depth);
        int leaves = 1 << trees.Depth;
        var treeIds = new List<long>();
        var nodeIds = new List<long>();
        var features = new List<long>();
        var modes = new List<string>();
        var values = new List<float>();
        var trueIds = new List<long>();
        var falseIds = new List<long>();
        var missingTrue = new List<long>();
        var targetTrees = new List<long>();
        var targetNodes = new List<long>();
        var weights = new List<float>();
        for (int t = 0; t < trees.TreeCount; t++)
        {
            for (int n = 0; n < internalNodes + leaves; n++)
            {
                bool leaf = n >= internalNodes;
                treeIds.Add(t);
                nodeIds.Add(n);
                features.Add(leaf ? 0 : trees.Features[t * internalNodes + n]);
                modes.Add(leaf ? "LEAF" : "BRANCH_LEQ");
                values.Add(leaf ? 0 : trees.Thresholds[t * internalNodes + n]);
                trueIds.Add(leaf ? 0 : 2 * n + 1);
                falseIds.Add(leaf ? 0 : 2 * n + 2);
                missingTrue.Add(0);
                if (leaf)
                {
                    targetTrees.Add(t);
                    targetNodes.Add(n);
                    weights.Add((float)trees.Leaves[t * leaves + n - internalNodes]);
                }
            }
        }
        return
        [
            OnnxAttribute.Int("n_targets", 1),
            OnnxAttribute.String("aggregate_function", "SUM"),
            OnnxAttribute.String("post_transform", "NONE"),
            OnnxAttribute.FloatList("base_values", 0f),
            OnnxAttribute.Ints("nodes_treeids", [.. treeIds]),
            OnnxAttribute.Ints("nodes_nodeids", [.. nodeIds]),
            OnnxAttribute.Ints("nodes_featureids", [.. features]),
            OnnxAttribute.StringList("nodes_modes", [.. modes]),
            OnnxAttribute.FloatList("nodes_values", [.. values]),
            OnnxAttribute.Ints("nodes_truenodeids", [.. trueIds]),
            OnnxAttribute.Ints("nodes_falsenodeids", [.. falseIds]),
            OnnxAttribute.Ints("nodes_missing_value_tracks_true", [.. missingTrue]),
            OnnxAttribute.Ints("target_treeids", [.. targetTrees]),
            OnnxAttribute.Ints("target_nodeids", [.. targetNodes]),
            OnnxAttribute.Ints("target_ids", [.. Enumerable.Repeat(0L, targetTrees.Count)]),
            OnnxAttribute.FloatList("target_weights", [.. weights]),
        ];
    }

    /// <summary>The graph inputs, one per column, made when first needed: the card's shape for features, one value per object otherwise.</summary>
    private sealed class Inputs(OnnxGraphBuilder g, ModelCard card)
    {
        private readonly Dictionary<string, string> _made = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _scalars = new(StringComparer.Ordinal);

        public string Get(string column)
        {
            if (!_made.TryGetValue(column, out string? name))
            {
                IReadOnlyList<int> shape = card.Inputs.FirstOrDefault(i => i.Name == column)?.Shape ?? [];
                name = g.Input(column, OnnxElementType.Float, [Objects, .. shape.Select(d => (OnnxDimension)d)]);
                _made[column] = name;
            }
            return name;
        }

        /// <summary>The column as one value per object, [N]; a feature of another shape cannot be one.</summary>
        public string Scalar(string column)
        {
            if (_scalars.TryGetValue(column, out string? made))
            {
                return made;
            }
            IReadOnlyList<int> shape = card.Inputs.FirstOrDefault(i => i.Name == column)?.Shape ?? [];
            if (shape.Aggregate(1, (a, b) => a * b) != 1)
            {
                throw new NotSupportedException($"column '{column}' has shape {string.Join("×", shape)}: a region condition or raw energy needs one value per object");
            }
            string input = Get(column);
            made = shape.Count == 0 ? input : g.Node("Reshape", [input, g.Int64s("objects", -1)]);
            _scalars[column] = made;
            return made;
        }
    }

    /// <summary>A region condition as ONNX nodes in float64, with the expression language's conventions (conditions are 0 or 1).</summary>
    private sealed class OnnxConditionLowering(OnnxGraphBuilder g, Inputs inputs, string key) : IExpressionLowering<string>
    {
        public string Literal(double value) => g.Scalar("literal", value);

        public string Column(string name) => g.Node("Cast", [inputs.Scalar(name)], OnnxAttribute.Int("to", (long)OnnxElementType.Double));

        public string Unary(string op, string operand) => op == "!"
            ? g.Node("Sub", [g.Scalar("one", 1.0), operand])
            : g.Node("Neg", [operand]);

        public string Binary(string op, string left, string right) => op switch
        {
            "+" => g.Node("Add", [left, right]),
            "-" => g.Node("Sub", [left, right]),
            "*" or "&&" => g.Node("Mul", [left, right]),
            "/" => g.Node("Div", [left, right]),
            "%" => g.Node("Mod", [left, right], OnnxAttribute.Int("fmod", 1)),
            "**" => g.Node("Pow", [left, right]),
            "||" => g.Node("Max", [left, right]),
            "<" => Condition(g.Node("Less", [left, right])),
            "<=" => Condition(g.Node("LessOrEqual", [left, right])),
            ">" => Condition(g.Node("Greater", [left, right])),
            ">=" => Condition(g.Node("GreaterOrEqual", [left, right])),
            "==" => Condition(g.Node("Equal", [left, right])),
            "!=" => Condition(g.Node("Not", [g.Node("Equal", [left, right])])),
            _ => throw Unsupported($"operator {op}"),
        };

        public string Conditional(string condition, string whenTrue, string whenFalse) =>
            g.Node("Where", [g.Node("Not", [g.Node("Equal", [condition, g.Scalar("zero", 0.0)])]), whenTrue, whenFalse]);

        public string Call(string function, IReadOnlyList<string> arguments) => function switch
        {
            "abs" => g.Node("Abs", arguments),
            "sqrt" => g.Node("Sqrt", arguments),
            "exp" => g.Node("Exp", arguments),
            "log" => g.Node("Log", arguments),
            "floor" => g.Node("Floor", arguments),
            "ceil" => g.Node("Ceil", arguments),
            "sign" => g.Node("Sign", arguments),
            "pow" => g.Node("Pow", arguments),
            "min" => g.Node("Min", arguments),
            "max" => g.Node("Max", arguments),
            _ => throw Unsupported($"function {function}()"),
        };

        private string Condition(string boolean) => g.Node("Cast", [boolean], OnnxAttribute.Int("to", (long)OnnxElementType.Double));

        private NotSupportedException Unsupported(string what) => new(string.Create(CultureInfo.InvariantCulture,
            $"{key}: the ONNX export translates arithmetic, comparisons, logic, ?: and abs, sqrt, exp, log, floor, ceil, sign, pow, min, max; not {what}"));
    }
}
