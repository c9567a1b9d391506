using System.Globalization;
using EnergyRegression.Running;

namespace EnergyRegression.Plugins.Regressors.Gbdt.Training;

/// <summary>One trained candidate of a search: its hyperparameters, trees and validation score.</summary>
internal sealed record SearchTrial(int Index, int Round, Hyperparameters Hyperparameters, double Score);

/// <summary>
/// Seeded hyperparameter search over the configured ranges, scored on the validation split (lower is better).
/// <c>random</c> trains every draw with all trees; <c>successive_halving</c> (Jamieson and Talwalkar, "Non-stochastic
/// best arm identification and hyperparameter optimization", AISTATS 2016) trains all draws with trees/2^R, keeps
/// the better half, doubles the trees, and so on until one draw has all trees.
/// </summary>
internal sealed class HyperparameterSearch(GbdtSearch search, Hyperparameters baseline, Random random, IRunLog log, string region)
{
    public List<SearchTrial> Trials { get; } = [];

    public (Hyperparameters Best, TResult Result) Run<TResult>(Func<Hyperparameters, TResult> train, Func<TResult, double> score)
    {
        var draws = Enumerable.Range(0, search.Trials).Select(i => i == 0 ? baseline : Draw()).ToList();
        if (search.Method == SearchMethod.Random)
        {
            return Best(draws.Select((h, i) => (h, i)).ToList(), round: 0, train, score);
        }
        int rounds = (int)Math.Ceiling(Math.Log2(Math.Max(1, draws.Count)));
        var alive = draws.Select((h, i) => (h, i)).ToList();
        for (int round = 0; ; round++)
        {
            int trees = Math.Max(1, baseline.Trees >> (rounds - round));
            var scored = alive.Select(a =>
            {
                Hyperparameters h = a.h with { Trees = trees };
                TResult result = train(h);
                double s = score(result);
                Record(a.i, round, h, s);
                return (a.h, a.i, s, result, withTrees: h);
            }).OrderBy(x => x.s).ThenBy(x => x.i).ToList();
            if (scored.Count == 1 || round >= rounds)
            {
                var best = scored[0];
                log.Info($"gbdt {region}: successive halving chose draw {best.i}: {best.withTrees}");
                return (best.withTrees, best.result);
            }
            alive = scored.Take((scored.Count + 1) / 2).Select(x => (x.h, x.i)).ToList();
        }
    }

    private (Hyperparameters, TResult) Best<TResult>(List<(Hyperparameters h, int i)> draws, int round, Func<Hyperparameters, TResult> train, Func<TResult, double> score)
    {
        (Hyperparameters h, TResult result, double s, int i)? best = null;
        foreach ((Hyperparameters h, int i) in draws)
        {
            TResult result = train(h);
            double s = score(result);
            Record(i, round, h, s);
            if (best is null || s < best.Value.s)
            {
                best = (h, result, s, i);
            }
        }
        log.Info($"gbdt {region}: random search chose draw {best!.Value.i}: {best.Value.h}");
        return (best.Value.h, best.Value.result);
    }

    private void Record(int index, int round, Hyperparameters h, double score)
    {
        Trials.Add(new SearchTrial(index, round, h, score));
        log.Info(string.Create(CultureInfo.InvariantCulture, $"gbdt {region}: draw {index} (round {round}) validation loss {score:G6}: {h}"));
    }

    /// <summary>The search log as CSV: one row per trained candidate.</summary>
    public string Csv(string regionName)
    {
        var keys = baseline.ToDictionary().Keys.ToList();
        var text = new System.Text.StringBuilder("region,draw,round,validation_loss," + string.Join(",", keys) + "\n");
        foreach (SearchTrial t in Trials)
        {
            IReadOnlyDictionary<string, string> values = t.Hyperparameters.ToDictionary();
            text.Append(CultureInfo.InvariantCulture, $"{regionName},{t.Index},{t.Round},{t.Score:R},{string.Join(",", keys.Select(k => values[k]))}\n");
        }
        return text.ToString();
    }

    private Hyperparameters Draw()
    {
        SearchRanges r = search.Ranges;
        return baseline with
        {
            Leaves = r.Leaves.Length == 2 ? random.Next(r.Leaves[0], r.Leaves[1] + 1) : baseline.Leaves,
            LearningRate = r.LearningRate.Length == 2 ? LogUniform(r.LearningRate[0], r.LearningRate[1]) : baseline.LearningRate,
            MinDataPerLeaf = r.MinDataPerLeaf.Length == 2 ? (int)Math.Round(LogUniform(r.MinDataPerLeaf[0], r.MinDataPerLeaf[1])) : baseline.MinDataPerLeaf,
            FeatureFraction = r.FeatureFraction.Length == 2 ? Uniform(r.FeatureFraction[0], r.FeatureFraction[1]) : baseline.FeatureFraction,
            BaggingFraction = r.BaggingFraction.Length == 2 ? Uniform(r.BaggingFraction[0], r.BaggingFraction[1]) : baseline.BaggingFraction,
            L2 = r.L2.Length == 2 ? Uniform(r.L2[0], r.L2[1]) : baseline.L2,
        };
    }

    private double Uniform(double low, double high) => low + (high - low) * random.NextDouble();

    private double LogUniform(double low, double high) => Math.Exp(Uniform(Math.Log(low), Math.Log(high)));
}
