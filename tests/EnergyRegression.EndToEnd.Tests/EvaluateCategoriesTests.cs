using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Net;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>
/// <c>evaluate: categories:</c>, expression bins, pulls and the signed changes vs raw, through the real tool on small
/// JSON Lines samples whose metrics are known by hand.
/// </summary>
public sealed class EvaluateCategoriesTests
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>One electron of a hand-made event.</summary>
    private sealed record Electron(double True, double Raw, double Model, double ScEta, double R9, int Charge, double Sigma = 1);

    private static string Line(IReadOnlyList<Electron> electrons, double rho, int eventNumber)
    {
        string Array(Func<Electron, double> value) =>
            "[" + string.Join(",", electrons.Select(e => double.IsNaN(value(e)) ? "\"NaN\"" : value(e).ToString("0.0###########", Invariant))) + "]";
        return $"{{\"run\":1,\"luminosityBlock\":1,\"event\":{eventNumber},\"rho\":{rho.ToString("0.0##", Invariant)},"
            + $"\"Electron_genEnergy\":{Array(e => e.True)},\"Electron_energy\":{Array(e => e.Raw)},\"Electron_energyModel\":{Array(e => e.Model)},"
            + $"\"Electron_sigma\":{Array(e => e.Sigma)},\"Electron_scEta\":{Array(e => e.ScEta)},"
            + $"\"Electron_eta\":{Array(e => double.IsNaN(e.ScEta) ? 0 : e.ScEta)},\"Electron_phi\":{Array(e => e.Charge > 0 ? Math.PI : 0.0)},"
            + $"\"Electron_r9\":{Array(e => e.R9)},\"Electron_charge\":{Array(e => e.Charge)}}}";
    }

    /// <summary>
    /// 11 events, E_true = 100 GeV for every real electron. Barrel (EB, |scEta| = 0.5): raw 95, 96, …, 104 GeV, the model
    /// 97.5, 98, …, 102. Endcap (EE, |scEta| = 2): raw 90, 92, …, 108, the model 95, 96, …, 104. Events 0–3 are EB–EB,
    /// 4 EB–EE, 5 EE–EB (the endcap electron first), 6–9 EE–EE; the first electron of each has R9 0.96, the second 0.90.
    /// Event 10 holds one real electron in no region (scEta NaN) and eight unmatched ones (E_true = −1) of the same
    /// charge, so no pair: those once made the default true-energy bins start with an empty "[-1, -1)".
    /// </summary>
    private static string HandSample()
    {
        double[] ebRaw = [.. Enumerable.Range(0, 10).Select(i => 95.0 + i)];
        double[] ebModel = [.. Enumerable.Range(0, 10).Select(i => 97.5 + 0.5 * i)];
        double[] eeRaw = [.. Enumerable.Range(0, 10).Select(i => 90.0 + 2 * i)];
        double[] eeModel = [.. Enumerable.Range(0, 10).Select(i => 95.0 + i)];
        Electron Eb(int i, double r9, int q) => new(100, ebRaw[i], ebModel[i], 0.5, r9, q);
        Electron Ee(int i, double r9, int q) => new(100, eeRaw[i], eeModel[i], -2.0, r9, q);
        var events = new List<Electron[]>();
        for (int i = 0; i < 4; i++)
        {
            events.Add([Eb(2 * i, 0.96, -1), Eb(2 * i + 1, 0.90, 1)]);
        }
        events.Add([Eb(8, 0.96, -1), Ee(0, 0.90, 1)]);
        events.Add([Ee(1, 0.96, -1), Eb(9, 0.90, 1)]);
        for (int i = 0; i < 4; i++)
        {
            events.Add([Ee(2 + 2 * i, 0.96, -1), Ee(3 + 2 * i, 0.90, 1)]);
        }
        events.Add([new Electron(100, 100, 100, double.NaN, 0.96, -1), .. Enumerable.Repeat(new Electron(-1, 50, 50, 0.5, 0.90, -1), 8)]);
        var text = new StringBuilder();
        for (int e = 0; e < events.Count; e++)
        {
            text.AppendLine(Line(events[e], e < 5 ? 5 : 15, e));
        }
        return text.ToString();
    }

    private const string HandChain = """
        name: categories
        reader: {type: json, with: {files: [sample.jsonl]}}
        evaluate:
          part: all
          predicted_energies: {model: Electron_energyModel}
          uncertainties: {model: Electron_sigma}
          bootstrap: 20
          categories:
            region: {EB: "abs(Electron_scEta) < 1.479", EE: "abs(Electron_scEta) >= 1.479"}
            r9: {"high R9": "Electron_r9 > 0.94", "low R9": "Electron_r9 <= 0.94"}
          bins:
            "abs(Electron_scEta)": [0, 1.479, 3]
            rho: [0, 10, 20, 30]
        """;

    [Fact]
    public void Category_metrics_pair_categories_bins_and_pulls_match_the_hand_computed_values()
    {
        using var work = new TempDirectory();
        work.Write("sample.jsonl", HandSample());
        string chain = work.Write("chain.yaml", HandChain);
        Tool.Result result = Tool.Run(work.Path, "evaluate", chain, "--report", "report", "--quiet");
        Assert.True(result.ExitCode == 0, result.ToString());

        using var metrics = JsonDocument.Parse(File.ReadAllText(work.File("report/metrics.json")));
        JsonElement[] energies = [.. metrics.RootElement.GetProperty("energies").EnumerateArray()];
        Assert.Equal(["raw", "model"], energies.Select(e => e.GetProperty("label").GetString()));
        double Value(JsonElement metric) => metric.GetProperty("value").GetDouble();
        JsonElement Objects(int energy, string grouping, string label) =>
            energies[energy].GetProperty("categories").GetProperty(grouping).GetProperty("objects").GetProperty(label);

        // σ_eff of n = 10 equally spaced responses (step s): k = ⌈0.6827·10⌉ = 7 values span 6s, σ_eff = 3s.
        // EB raw: step 0.01 → 0.03, median (0.99 + 1.00)/2; EE raw: step 0.02 → 0.06, median (0.98 + 1.00)/2.
        // The model halves both steps around its median: EB 0.015, median 0.9975; EE 0.03, median 0.995.
        (string Label, int Energy, double Median, double SigmaEff)[] expected =
        [
            ("EB", 0, 0.995, 0.03), ("EE", 0, 0.99, 0.06), ("EB", 1, 0.9975, 0.015), ("EE", 1, 0.995, 0.03),
        ];
        foreach ((string label, int energy, double median, double sigmaEff) in expected)
        {
            JsonElement m = Objects(energy, "region", label);
            Assert.Equal(10, m.GetProperty("count").GetInt32()); // the unmatched EB electrons (E_true = −1) are not measured
            Assert.Equal(median, Value(m.GetProperty("median_response")), 1e-12);
            Assert.Equal(sigmaEff, Value(m.GetProperty("sigma_eff")), 1e-12);
            Assert.Equal(sigmaEff / median, Value(m.GetProperty("sigma_eff_over_median")), 1e-12);
            Assert.True(m.GetProperty("sigma_eff").GetProperty("error").GetDouble() > 0, "bootstrap error");
        }
        // The electron with scEta NaN is in no region but in an R9 category (11 high-R9 real electrons).
        Assert.Equal(21, energies[0].GetProperty("overall").GetProperty("count").GetInt32());
        Assert.Equal(11, Objects(0, "r9", "high R9").GetProperty("count").GetInt32());
        Assert.Equal(10, Objects(0, "r9", "low R9").GetProperty("count").GetInt32());

        // Pairs: 4 EB–EB, 2 EB–EE (one with the endcap electron first), 4 EE–EE; all "high R9–low R9". Too few to fit.
        JsonElement pairs = energies[0].GetProperty("categories").GetProperty("region").GetProperty("pairs");
        Assert.Equal(["EB–EB", "EB–EE", "EE–EE"], pairs.EnumerateObject().Select(p => p.Name));
        Assert.Equal([4, 2, 4], pairs.EnumerateObject().Select(p => p.Value.GetProperty("pairs").GetInt32()));
        Assert.All(pairs.EnumerateObject(), p => Assert.Contains("fewer than z_min_pairs = 200", p.Value.GetProperty("note").GetString(), StringComparison.Ordinal));
        JsonElement r9Pairs = energies[0].GetProperty("categories").GetProperty("r9").GetProperty("pairs");
        Assert.Equal(["high R9–high R9", "high R9–low R9", "low R9–low R9"], r9Pairs.EnumerateObject().Select(p => p.Name));
        Assert.Equal([0, 10, 0], r9Pairs.EnumerateObject().Select(p => p.Value.GetProperty("pairs").GetInt32()));

        // Pulls (E − E_true)/σ with σ = 1 GeV. EB: −2.5 … 2.0 in steps of 0.5 → σ_eff 1.5, mean −0.25,
        // RMS 0.5·√((10² − 1)/12); EE: −5 … 4 in steps of 1 → σ_eff 3, mean −0.5, RMS √(99/12). Overall: 21 pulls.
        JsonElement ebPull = energies[1].GetProperty("categories").GetProperty("region").GetProperty("pulls").GetProperty("EB");
        Assert.Equal(1.5, Value(ebPull.GetProperty("sigma_eff")), 1e-12);
        Assert.Equal(-0.25, Value(ebPull.GetProperty("mean")), 1e-12);
        Assert.Equal(0.5 * Math.Sqrt(99.0 / 12), Value(ebPull.GetProperty("rms")), 1e-12);
        JsonElement eePull = energies[1].GetProperty("categories").GetProperty("region").GetProperty("pulls").GetProperty("EE");
        Assert.Equal(3, Value(eePull.GetProperty("sigma_eff")), 1e-12);
        Assert.Equal(Math.Sqrt(99.0 / 12), Value(eePull.GetProperty("rms")), 1e-12);
        Assert.Equal(21, energies[1].GetProperty("pull").GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Null, energies[0].GetProperty("pull").ValueKind);

        // Bins of an expression and of an event-level column: |scEta| splits EB from EE (the NaN electron in neither);
        // rho is 5 in events 0–4 (10 real electrons), 15 after (11); [20, 30] is empty.
        JsonElement etaBins = energies[0].GetProperty("bins").GetProperty("abs(Electron_scEta)");
        Assert.Equal([10, 10], etaBins.EnumerateArray().Select(b => b.GetProperty("metrics").GetProperty("count").GetInt32()));
        Assert.Equal(0.995, Value(etaBins[0].GetProperty("metrics").GetProperty("median_response")), 1e-12);
        JsonElement rhoBins = energies[0].GetProperty("bins").GetProperty("rho");
        Assert.Equal([10, 11, 0], rhoBins.EnumerateArray().Select(b => b.GetProperty("metrics").GetProperty("count").GetInt32()));
        // The default true-energy bins come from the measured electrons only: all at 100 GeV, one bin.
        JsonElement trueBins = energies[0].GetProperty("bins").GetProperty("Electron_genEnergy");
        Assert.Equal(1, trueBins.GetArrayLength());
        Assert.Equal(100, trueBins[0].GetProperty("low").GetDouble());

        // The changes vs raw: σ_eff halved is −50% (a minus is narrower).
        Assert.Equal(-0.5, energies[1].GetProperty("change_vs_raw").GetProperty("sigma_eff").GetDouble(), 0.05);
        string summary = File.ReadAllText(work.File("report/summary.md"));
        // The page without its embedded figures (base64 may hold any three letters), entities decoded.
        string html = WebUtility.HtmlDecode(Regex.Replace(File.ReadAllText(work.File("report/index.html")), "base64,[A-Za-z0-9+/=]+", ""));
        foreach (string text in new[] { summary, html, result.Stdout })
        {
            Assert.Contains("0.0300 ± ", text, StringComparison.Ordinal);
            Assert.Contains("(−50.0%)", text, StringComparison.Ordinal); // EB and EE σ_eff of the model vs raw
            Assert.Contains("too few pairs (4)", text, StringComparison.Ordinal);
            Assert.Contains("no pairs", text, StringComparison.Ordinal);
            Assert.DoesNotContain("[-1, -1)", text, StringComparison.Ordinal);
            Assert.DoesNotContain("NaN", text, StringComparison.Ordinal);
        }
        Assert.Matches(@"(?m)^EB\s+10\s+0\.9950 ± [0-9.]+\s+0\.0300 ± [0-9.]+\s+0\.9975 ± [0-9.]+\s+0\.0150 ± [0-9.]+ \(−50\.0%\)$", result.Stdout);
        Assert.Matches(@"(?m)^EE–EE\s+4\s+too few pairs \(4\)\s+too few pairs \(4\)$", result.Stdout);
        Assert.Matches(@"(?m)^region: EB\s+1\.500 ± [0-9.]+\s+1\.436 ± [0-9.]+\s+-0\.250 ± [0-9.]+$", result.Stdout);
        Assert.Contains("| [20, 30] | 0 | no objects | no objects |", summary, StringComparison.Ordinal);
        Assert.Contains("| [0, 1.479) | 10 | 0.9950 ± ", summary, StringComparison.Ordinal);
        foreach (string png in new[] { "response-vs-abs_Electron_scEta_.png", "response-vs-rho.png", "resolution-vs-rho.png", "pull.png" })
        {
            Assert.True(File.Exists(work.File(Path.Combine("report", png))), png);
            Assert.Contains($"]({png})", summary, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// A toy Z → ee sample: true masses from the Breit-Wigner, two electrons back to back; the raw energy smeared by
    /// 1% in the barrel and 3% in the endcaps, the "model" by 1% and 2%. The pair-mass resolution is about
    /// (M/2)·√(σ₁² + σ₂²): 0.645 GeV for EB–EB, 1.44 for EB–EE, 1.93 for EE–EE (raw); the model's EE–EE 1.29.
    /// </summary>
    [Fact]
    public void The_Z_peak_is_fitted_per_pair_category_and_a_smeared_category_is_wider()
    {
        using var work = new TempDirectory();
        var random = new Random(7);
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var text = new StringBuilder();
        for (int e = 0; e < 3000; e++)
        {
            // Breit-Wigner mass by inverting its (non-relativistic) cumulative distribution, kept in 70–110 GeV.
            double mass;
            do
            {
                mass = 91.1876 + 2.4952 / 2 * Math.Tan(Math.PI * (random.NextDouble() - 0.5));
            }
            while (mass is < 72 or > 108);
            // Back to back at η = ±η₀: cos θ₁₂ = −1/cosh²η₀ + … = −1 for η₁ = −η₂, so E = M/2 for both.
            (double eta1, double eta2) = (e % 3) switch { 0 => (0.5, -0.5), 1 => (0.5, -2.0), _ => (2.0, -2.0) };
            double cos = Math.Cos(Math.PI) / (Math.Cosh(eta1) * Math.Cosh(eta2)) + Math.Tanh(eta1) * Math.Tanh(eta2);
            double energy = mass / Math.Sqrt(2 * (1 - cos));
            Electron Make(double eta, int charge)
            {
                bool barrel = Math.Abs(eta) < 1.479;
                return new Electron(energy, energy * (1 + (barrel ? 0.01 : 0.03) * Gauss()), energy * (1 + (barrel ? 0.01 : 0.02) * Gauss()), eta, 0.95, charge);
            }
            text.AppendLine(Line([Make(eta1, -1), Make(eta2, 1)], 10, e));
        }
        work.Write("zee.jsonl", text.ToString());
        string chain = work.Write("chain.yaml", """
            name: toy-zee
            reader: {type: json, with: {files: [zee.jsonl]}}
            evaluate:
              part: all
              predicted_energies: {model: Electron_energyModel}
              bootstrap: 0
              z_min_pairs: 300
              categories:
                region: {EB: "abs(Electron_scEta) < 1.479", EE: "abs(Electron_scEta) >= 1.479"}
            """);
        Tool.Result result = Tool.Run(work.Path, "evaluate", chain, "--report", "report", "--quiet");
        Assert.True(result.ExitCode == 0, result.ToString());

        using var metrics = JsonDocument.Parse(File.ReadAllText(work.File("report/metrics.json")));
        JsonElement[] energies = [.. metrics.RootElement.GetProperty("energies").EnumerateArray()];
        double SigmaCb(int energy, string category) => energies[energy].GetProperty("categories").GetProperty("region")
            .GetProperty("pairs").GetProperty(category).GetProperty("sigma_cb").GetProperty("value").GetDouble();
        double ebEb = SigmaCb(0, "EB–EB"), ebEe = SigmaCb(0, "EB–EE"), eeEe = SigmaCb(0, "EE–EE");
        Assert.True(ebEb < ebEe && ebEe < eeEe, $"raw σ_CB: EB–EB {ebEb}, EB–EE {ebEe}, EE–EE {eeEe}");
        Assert.InRange(ebEb, 0.645 * 0.75, 0.645 * 1.25);
        Assert.InRange(ebEe, 1.44 * 0.8, 1.44 * 1.2);
        Assert.InRange(eeEe, 1.93 * 0.8, 1.93 * 1.2);
        Assert.InRange(SigmaCb(1, "EE–EE"), 1.29 * 0.8, 1.29 * 1.2);
        Assert.Equal(1000, energies[0].GetProperty("categories").GetProperty("region").GetProperty("pairs").GetProperty("EE–EE").GetProperty("pairs").GetInt32());

        // The model's EE–EE peak is narrower: a minus in the table; EB–EB is smeared alike (a change of a few %).
        double change = (SigmaCb(1, "EE–EE") - eeEe) / eeEe;
        string cell = $"({(change < 0 ? "−" : "+")}{Math.Abs(Math.Round(change * 100, 1, MidpointRounding.AwayFromZero)).ToString("0.0", Invariant)}%)";
        Assert.True(change < -0.15, $"EE–EE change {change}");
        Assert.Matches(@"(?m)^EE–EE\s+1,000\s+[0-9.]+ ± [0-9.]+\s+[0-9.]+ ± [0-9.]+ \(−[0-9.]+%\)$", result.Stdout);
        Assert.Contains(cell, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_category_condition_is_a_configuration_error_at_its_key()
    {
        using var work = new TempDirectory();
        work.Write("sample.jsonl", HandSample());
        // The hand chain with one condition replaced, evaluated: a configuration error (exit 3).
        Tool.Result Broken(string name, string condition, string replacement)
        {
            string chain = work.Write(name, HandChain.Replace(condition, replacement, StringComparison.Ordinal));
            Tool.Result result = Tool.Run(work.Path, "evaluate", chain, "--quiet");
            Assert.True(result.ExitCode == 3, result.ToString());
            return result;
        }

        // Syntax: found when the chain is read (also by 'energyreg validate'), at line 9, the value's opening quote.
        Tool.Result syntax = Broken("syntax.yaml", "\"abs(Electron_scEta) >= 1.479\"", "\"abs(Electron_scEta >= 1.479\"");
        int column = File.ReadAllLines(work.File("syntax.yaml"))[8].IndexOf("\"abs(Electron_scEta >=", StringComparison.Ordinal) + 1;
        Assert.Contains($"syntax.yaml:9:{column}: 'categories.region.EE': ", syntax.Stderr, StringComparison.Ordinal);
        Assert.Contains("')'", syntax.Stderr, StringComparison.Ordinal);

        // An unknown column: found with the first events, named with a suggestion.
        Tool.Result unknown = Broken("column.yaml", "\"Electron_r9 <= 0.94\"", "\"Electron_r99 <= 0.94\"");
        Assert.Contains("column.yaml:10:", unknown.Stderr, StringComparison.Ordinal);
        Assert.Contains("'evaluate.categories.r9.low R9'", unknown.Stderr, StringComparison.Ordinal);
        Assert.Contains("did you mean 'Electron_r9'", unknown.Stderr, StringComparison.Ordinal);

        // A number where a condition is needed. (Bad bins and uncertainty labels: Core.Tests' broken-chain corpus.)
        Tool.Result number = Broken("number.yaml", "\"Electron_r9 > 0.94\"", "\"Electron_r9\"");
        Assert.Contains("number.yaml:10:", number.Stderr, StringComparison.Ordinal);
        Assert.Contains("'evaluate.categories.r9.high R9': \"Electron_r9\" gives numbers, not a condition", number.Stderr, StringComparison.Ordinal);
    }
}
