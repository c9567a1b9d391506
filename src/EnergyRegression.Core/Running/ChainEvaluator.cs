using EnergyRegression.Core.Configuration;
using EnergyRegression.Core.Plugins;
using EnergyRegression.Core.Yaml;
using EnergyRegression.Data;
using EnergyRegression.Plugins;
using EnergyRegression.Running;

namespace EnergyRegression.Core.Running;

/// <summary>Options of <c>energyreg evaluate</c> beyond the chain file.</summary>
public sealed record EvaluateOptions
{
    /// <summary>Overrides of the chain's top-level settings.</summary>
    public RunOverrides Overrides { get; init; } = new();

    /// <summary>Model files to compare (<c>--models</c>), each put in the regressor's <c>model:</c>; empty: the chain's own.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>The events evaluated (<c>--part</c>); null: the test part when the chain holds one out, else all.</summary>
    public DataPart? Part { get; init; }

    /// <summary>Evaluate every event, whatever its part (<c>--part all</c>).</summary>
    public bool AllParts { get; init; }
}

/// <summary>One model's predicted energies, object by object.</summary>
/// <param name="Label">The name shown in tables and plots.</param>
/// <param name="ModelPath">The model file, when known.</param>
/// <param name="Energy">The predicted energy of every object (aligned with <see cref="EvaluationData.True"/>).</param>
public sealed record ModelPredictions(string Label, string? ModelPath, double[] Energy)
{
    /// <summary>The predicted energy's per-object uncertainty σ (GeV), when configured (<c>uncertainties:</c>, <c>predicted_uncertainty:</c>).</summary>
    public double[]? Uncertainty { get; init; }
}

/// <summary>The objects' categories of one grouping of <c>evaluate: categories:</c>.</summary>
/// <param name="Grouping">The grouping's name (<c>region</c>).</param>
/// <param name="Labels">Its category labels, in the order written (<c>EB</c>, <c>EE</c>).</param>
/// <param name="Index">Per object, the index of the first label whose condition holds; −1: none holds.</param>
public sealed record ObjectCategories(string Grouping, IReadOnlyList<string> Labels, int[] Index);

/// <summary>The average crystal window of the evaluated objects (row-major, <paramref name="Rows"/> × <paramref name="Columns"/>).</summary>
/// <param name="Column">The window column.</param>
/// <param name="Rows">Rows (η).</param>
/// <param name="Columns">Columns (φ).</param>
/// <param name="Mean">The mean energy of every crystal (GeV).</param>
/// <param name="Objects">The objects averaged.</param>
public sealed record AverageWindow(string Column, int Rows, int Columns, double[] Mean, long Objects);

/// <summary>The per-object arrays an evaluation measures.</summary>
public sealed record EvaluationData
{
    /// <summary>The <c>evaluate:</c> section used.</summary>
    public required EvaluationDefinition Definition { get; init; }

    /// <summary>The chain's name.</summary>
    public required string ChainName { get; init; }

    /// <summary>The events evaluated, in words (test, validation, training, all).</summary>
    public required string Part { get; init; }

    /// <summary>Events read by the reader (first pass).</summary>
    public required long EventsRead { get; init; }

    /// <summary>Events of the evaluated part that reached the end of the chain.</summary>
    public required long Events { get; init; }

    /// <summary>True energies.</summary>
    public required double[] True { get; init; }

    /// <summary>Raw energies.</summary>
    public required double[] Raw { get; init; }

    /// <summary>η of each object (NaN when the chain has no such column).</summary>
    public required double[] Eta { get; init; }

    /// <summary>φ of each object (NaN when the chain has no such column).</summary>
    public required double[] Phi { get; init; }

    /// <summary>Charge of each object (NaN when the chain has no such column).</summary>
    public required double[] Charge { get; init; }

    /// <summary>The average of the <c>evaluate: window:</c> column over the objects, when configured.</summary>
    public AverageWindow? AverageWindow { get; init; }

    /// <summary>The ordinal of each object's event among the evaluated events (pairs share it).</summary>
    public required long[] Event { get; init; }

    /// <summary>Values of the binning quantities (columns or expressions) named in <c>evaluate: bins:</c>.</summary>
    public required IReadOnlyDictionary<string, double[]> Columns { get; init; }

    /// <summary>The objects' categories, per grouping of <c>evaluate: categories:</c>.</summary>
    public IReadOnlyList<ObjectCategories> Categories { get; init; } = [];

    /// <summary>Every model's predictions.</summary>
    public required IReadOnlyList<ModelPredictions> Models { get; init; }
}

/// <summary>
/// <c>energyreg evaluate</c>'s data: runs the chain (reader and stages, no writer) once per model, keeps the
/// events of the chosen part (by <see cref="DataSplit"/> and the chain's <c>train:</c> section, so the test part is
/// the one training held out) and collects, per object of the collection, the true, raw and predicted energies,
/// η, φ and the binning columns. Every pass reads the same events (same config and seed); the metrics are computed
/// from the arrays by the caller.
/// </summary>
public sealed class ChainEvaluator(IRunLog log, IProgressDisplay progress)
{
    /// <summary>Runs the chain once per model and collects the arrays.</summary>
    public async Task<EvaluationData> CollectAsync(string chainPath, EvaluateOptions options, CancellationToken cancellation)
    {
        (ChainFile file, PluginCatalog catalog) = ChainRunner.Load(chainPath);
        ChainDefinition definition = file.Definition;
        EvaluationDefinition evaluate = definition.Evaluate;
        RunOverrides overrides = options.Overrides;
        int seed = overrides.Seed ?? definition.Seed;
        DataPart? configured = evaluate.Part switch
        {
            "test" => DataPart.Test,
            "validation" => DataPart.Validation,
            "training" => DataPart.Training,
            _ => null,
        };
        bool all = options.AllParts || (options.Part is null && evaluate.Part == "all");
        DataPart? part = all ? null : options.Part ?? configured ?? (definition.Train.Test > 0 ? DataPart.Test : null);
        string partName = part is null ? "all" : Naming.ToSnakeCase(part.Value.ToString());
        var split = DataSplit.From(definition.Train);
        EventLoopOptions loopOptions = overrides.LoopOptions(definition);

        var passes = new List<(string Label, string? Model, Collected Data, int Column)>();
        long eventsRead = 0;
        if (evaluate.PredictedEnergies.Count > 0)
        {
            // Several regressors of the chain, each with its model, compared in one pass.
            if (options.Models.Count > 0)
            {
                throw file.Binder.AtKey(file.Root, default, "evaluate.predicted_energies",
                    "--models replaces the model of one regressor; with 'predicted_energies:' the chain's stages are evaluated as they stand");
            }
            using var chain = Chain.Build(file, catalog, new RunContext(log, progress, seed, cancellation));
            string[] columns = [.. evaluate.PredictedEnergies.Values];
            string?[] uncertainties = [.. evaluate.PredictedEnergies.Keys.Select(l => evaluate.Uncertainties.GetValueOrDefault(l))];
            var collected = new Collected(file, evaluate, split, part, columns, uncertainties);
            log.Info($"evaluating {string.Join(", ", evaluate.PredictedEnergies.Select(p => $"{p.Key} ({p.Value})"))} on the {partName} events of '{definition.Name}'");
            EventLoopResult loop = await new EventLoop(chain.Prefix(chain.Stages.Count), progress, collected.Add).RunAsync(loopOptions, cancellation);
            eventsRead = loop.EventsRead;
            int i = 0;
            foreach (string label in evaluate.PredictedEnergies.Keys)
            {
                string? modelPath = chain.Stages.Where(s => s.Label == label).Select(s => (s.Instance as ITrainableRegressor)?.ModelPath).FirstOrDefault();
                passes.Add((label, modelPath, collected, i++));
            }
        }
        IReadOnlyList<string?> models = evaluate.PredictedEnergies.Count > 0 ? [] : options.Models.Count == 0 ? [null] : [.. options.Models];
        foreach (string? model in models)
        {
            var context = new RunContext(log, progress, seed, cancellation);
            Chain chain;
            int stageIndex;
            if (model is null)
            {
                chain = Chain.Build(file, catalog, context);
                stageIndex = FindRegressor(file, chain);
            }
            else
            {
                if (!File.Exists(model))
                {
                    throw new InputDataException(model, "model", "no such file");
                }
                using (var probe = Chain.Build(file, catalog, new RunContext(log, progress, seed, cancellation, RunMode.Train)))
                {
                    stageIndex = FindRegressor(file, probe);
                }
                var node = (YamlMapping)((YamlSequence)file.Root.Find("stages")!).Items[stageIndex];
                YamlMapping with = Chain.WithKey(node.Find("with") as YamlMapping, node.Position, "model", Path.GetFullPath(model));
                chain = Chain.Build(file, catalog, context, new Dictionary<int, YamlMapping> { [stageIndex] = with });
            }
            using (chain)
            {
                ChainStep step = chain.Stages[stageIndex];
                string label = model is null ? step.Label : Path.GetFileNameWithoutExtension(model);
                var collected = new Collected(file, evaluate, split, part, [evaluate.PredictedColumn], [evaluate.PredictedUncertainty]);
                log.Info($"evaluating {(model is null ? step.Description : $"model {model} in {step.Description}")} on the {partName} events of '{definition.Name}'");
                Chain view = chain.Prefix(chain.Stages.Count);
                EventLoopResult loop = await new EventLoop(view, progress, collected.Add).RunAsync(loopOptions, cancellation);
                eventsRead = loop.EventsRead;
                passes.Add((label, model ?? (step.Instance as ITrainableRegressor)?.ModelPath, collected, 0));
            }
        }

        Collected first = passes[0].Data;
        foreach ((string label, _, Collected data, _) in passes.Skip(1))
        {
            if (data.True.Count != first.True.Count || !data.True.SequenceEqual(first.True))
            {
                throw new InputDataException(file.Path, "evaluate",
                    $"the events of the pass with model '{label}' differ from the first pass: the reader must give the same events every time (same files or same seed)");
            }
        }
        if (first.True.Count == 0)
        {
            throw new InputDataException(file.Path, "evaluate",
                $"no {evaluate.Collection} objects in the {partName} events ({eventsRead:N0} read); see the cut flow with 'energyreg run'");
        }
        string[] labels = [.. passes.Select(p => p.Label)];
        if (labels.Distinct(StringComparer.Ordinal).Count() != labels.Length)
        {
            for (int i = 0; i < labels.Length; i++)
            {
                labels[i] = $"{i + 1}:{labels[i]}";
            }
        }
        return new EvaluationData
        {
            Definition = evaluate,
            ChainName = definition.Name,
            Part = partName,
            EventsRead = eventsRead,
            Events = first.Events,
            True = [.. first.True],
            Raw = [.. first.Raw],
            Eta = [.. first.Eta],
            Phi = [.. first.Phi],
            Charge = [.. first.Charge],
            Event = [.. first.Event],
            Columns = first.Columns.ToDictionary(c => c.Key, c => c.Value.ToArray()),
            Categories = [.. first.Categories.Select(c => new ObjectCategories(c.Name, c.Labels, [.. c.Index]))],
            AverageWindow = first.AverageWindow(),
            Models = [.. passes.Select((p, i) => new ModelPredictions(labels[i], p.Model, [.. p.Data.Predicted[p.Column]])
            {
                Uncertainty = p.Data.Uncertainty[p.Column]?.ToArray(),
            })],
        };
    }

    /// <summary>The stage <c>evaluate: stage:</c> names, or the chain's only regressor.</summary>
    private static int FindRegressor(ChainFile file, Chain chain)
    {
        string? wanted = file.Definition.Evaluate.Stage;
        var regressors = chain.Stages.Select((s, i) => (Index: i, Step: s)).Where(x => x.Step.Instance is IRegressor).ToList();
        if (wanted is not null)
        {
            var named = regressors.Where(x => x.Step.Label == wanted || x.Step.Plugin.Name == wanted).ToList();
            return named.Count == 1 ? named[0].Index : throw file.Binder.AtKey(file.Root, default, "evaluate.stage",
                $"no single regressor stage named '{wanted}'; regressors: {(regressors.Count == 0 ? "(none)" : string.Join(", ", regressors.Select(r => r.Step.Label)))}");
        }
        return regressors.Count switch
        {
            1 => regressors[0].Index,
            0 => throw new ConfigurationException(file.Path, 1, 1, "nothing to evaluate: no stage of the chain is a regressor"),
            _ => throw new ConfigurationException(file.Path, 1, 1,
                $"{regressors.Count} regressors ({string.Join(", ", regressors.Select(x => x.Step.Label))}): choose one with 'evaluate: stage:'"),
        };
    }

    /// <summary>The arrays of one pass, filled batch by batch in input order.</summary>
    private sealed class Collected(ChainFile file, EvaluationDefinition evaluate, DataSplit split, DataPart? part, string[] predicted,
        string?[] uncertainty)
    {
        private readonly string[] _uncertaintyKeys = evaluate.PredictedEnergies.Count > 0
            ? [.. evaluate.PredictedEnergies.Keys.Select(l => $"uncertainties.{l}")] : ["predicted_uncertainty"];

        private readonly Dictionary<string, ObjectQuantity> _binQuantities = evaluate.Bins.Keys.ToDictionary(
            k => k, k => new ObjectQuantity(file, $"evaluate.bins.{k}", k, evaluate.Collection, condition: false));

        /// <summary>One grouping's labels, conditions and the category of every object so far.</summary>
        public sealed record Grouping(string Name, string[] Labels, ObjectQuantity[] Conditions, List<int> Index);

        private double[]? _windowSum;
        private IReadOnlyList<int> _windowShape = [];
        private long _windowObjects;

        public List<double> True { get; } = [];
        public List<double> Raw { get; } = [];
        public List<double>[] Predicted { get; } = [.. predicted.Select(_ => new List<double>())];
        public List<double>?[] Uncertainty { get; } = [.. uncertainty.Select(u => u is null ? null : new List<double>())];
        public List<double> Eta { get; } = [];
        public List<double> Phi { get; } = [];
        public List<double> Charge { get; } = [];
        public List<long> Event { get; } = [];
        public Dictionary<string, List<double>> Columns { get; } = evaluate.Bins.Keys.ToDictionary(k => k, _ => new List<double>());
        public long Events { get; private set; }

        public Grouping[] Categories { get; } = [.. evaluate.Categories.Select(g => new Grouping(g.Key, [.. g.Value.Keys],
            [.. g.Value.Select(l => new ObjectQuantity(file, $"evaluate.categories.{g.Key}.{l.Key}", l.Value, evaluate.Collection, condition: true))],
            []))];

        public AverageWindow? AverageWindow() => _windowSum is null ? null : new AverageWindow(
            evaluate.Window!, _windowShape[0], _windowShape[1], [.. _windowSum.Select(v => v / Math.Max(1, _windowObjects))], _windowObjects);

        public void Add(EventBatch batch)
        {
            using (batch)
            {
                if (part is not null)
                {
                    DataPart[] parts = split.Assign(batch);
                    batch.KeepEvents(parts.Select(p => p == part).ToArray());
                }
                if (!batch.HasCollection(evaluate.Collection))
                {
                    throw file.Binder.AtKey(file.Root, default, "evaluate.collection",
                        $"the events have no collection '{evaluate.Collection}'{NameSuggestions.DidYouMean(evaluate.Collection, batch.CollectionNames)}");
                }
                ReadOnlySpan<int> offsets = batch.GetCollection(evaluate.Collection).Offsets;
                for (int e = 0; e < batch.EventCount; e++)
                {
                    for (int o = offsets[e]; o < offsets[e + 1]; o++)
                    {
                        Event.Add(Events + e);
                    }
                }
                Events += batch.EventCount;
                True.AddRange(Values(batch, evaluate.TrueColumn, "true_energy", required: true));
                Raw.AddRange(Values(batch, evaluate.RawColumn, "raw_energy", required: true));
                string key = evaluate.PredictedEnergies.Count > 0 ? "predicted_energies" : "predicted_energy";
                for (int i = 0; i < predicted.Length; i++)
                {
                    Predicted[i].AddRange(Values(batch, predicted[i], key, required: true));
                    if (uncertainty[i] is { } sigma)
                    {
                        Uncertainty[i]!.AddRange(Values(batch, sigma, _uncertaintyKeys[i], required: true));
                    }
                }
                Eta.AddRange(Values(batch, evaluate.EtaColumn, "eta", required: false));
                Phi.AddRange(Values(batch, evaluate.PhiColumn, "phi", required: false));
                Charge.AddRange(Values(batch, evaluate.ChargeColumn, "charge", required: evaluate.Charge is not null));
                foreach ((string column, List<double> values) in Columns)
                {
                    values.AddRange(_binQuantities[column].Values(batch));
                }
                foreach (Grouping grouping in Categories)
                {
                    AddCategories(batch, grouping.Conditions, grouping.Index);
                }
                if (evaluate.Window is not null)
                {
                    AddWindows(batch, evaluate.Window);
                }
            }
        }

        /// <summary>Each object's category: the first whose condition holds, −1 when none does.</summary>
        private void AddCategories(EventBatch batch, ObjectQuantity[] conditions, List<int> index)
        {
            var category = new int[batch.GetCollection(evaluate.Collection).TotalCount];
            Array.Fill(category, -1);
            for (int c = conditions.Length - 1; c >= 0; c--)
            {
                double[] holds = conditions[c].Values(batch);
                for (int i = 0; i < category.Length; i++)
                {
                    if (holds[i] != 0)
                    {
                        category[i] = c; // walking backwards: the first category that holds wins
                    }
                }
            }
            index.AddRange(category);
        }

        private void AddWindows(EventBatch batch, string name)
        {
            if (!batch.HasColumn(name))
            {
                throw file.Binder.AtKey(file.Root, default, "evaluate.window",
                    $"the events have no column '{name}'{NameSuggestions.DidYouMean(name, batch.ColumnNames)}");
            }
            Column column = batch.GetColumn(name);
            if (column.Level != ColumnLevel.Object || column.Collection != evaluate.Collection || column.Shape.Count != 2)
            {
                throw file.Binder.AtKey(file.Root, default, "evaluate.window",
                    $"'{name}' is not a two-dimensional (η × φ) column of the collection '{evaluate.Collection}'");
            }
            _windowShape = column.Shape;
            _windowSum ??= new double[column.RowSize];
            for (int i = 0; i < column.Rows * column.RowSize; i++)
            {
                _windowSum[i % column.RowSize] += column.GetDouble(i);
            }
            _windowObjects += column.Rows;
        }

        private double[] Values(EventBatch batch, string name, string key, bool required)
        {
            int objects = batch.GetCollection(evaluate.Collection).TotalCount;
            if (!batch.HasColumn(name))
            {
                if (!required)
                {
                    return [.. Enumerable.Repeat(double.NaN, objects)];
                }
                throw file.Binder.AtKey(file.Root, default, $"evaluate.{key}",
                    $"the events have no column '{name}'{NameSuggestions.DidYouMean(name, batch.ColumnNames)}");
            }
            Column column = batch.GetColumn(name);
            if (column.Level != ColumnLevel.Object || column.Collection != evaluate.Collection || column.RowSize != 1)
            {
                throw file.Binder.AtKey(file.Root, default, $"evaluate.{key}",
                    $"'{name}' is not a scalar column of the collection '{evaluate.Collection}'");
            }
            var values = new double[column.Rows];
            column.CopyTo(values);
            return values;
        }
    }
}
