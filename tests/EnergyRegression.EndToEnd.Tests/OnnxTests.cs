using System.Text.Json;
using EnergyRegression.TestOracles;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>
/// ONNX through the real tool (docs/onnx.md): an MLP (ratio target, Gaussian likelihood, an event-level input) and a BDT
/// trained with <c>energyreg train</c>, exported with <c>energyreg model export --onnx</c>, shown with <c>model show</c>,
/// applied by the <c>onnx</c> regressor beside the native regressors on events the training never saw — equal to 1e-5
/// relative — and run by an independent runtime, onnxruntime-node, on the same inputs.
/// </summary>
public sealed class OnnxTests
{
    /// <summary>Trains the MLP (out/mlp.model) and the BDT (out/bdt.zip) applied here and on the clean nodes (NodeTests).</summary>
    internal const string Train = """
        name: onnx-train
        seed: 1
        batch_size: 500
        reader:
          type: simulate
          with: {process: particle-gun, particle: e, pt: [10, 100], eta: [-2.4, 2.4], endcap: true, pileup: 30, window: 5, events: 2000}
        stages:
          - name: mlp
            type: torch
            with:
              model: out/mlp.model
              collection: Electron
              inputs: [Electron_r9, Electron_energy, Electron_scEta, Electron_hoe, rho]
              network: {kind: mlp, hidden: [16, 8], activation: silu}
              target: {kind: ratio, truth: Electron_genEnergy, raw: Electron_energy}
              loss: {kind: gaussian_nll}
              training: {epochs: 6, batch_size: 128, learning_rate: 0.01}
          - name: bdt
            type: gbdt
            with:
              model: out/bdt.zip
              collection: Electron
              features: [Electron_r9, Electron_sieie, Electron_eta, Electron_energy, Electron_hoe]
              trees: 40
        train: {validation: 0.2, test: 0.1}
        writer: {type: json, with: {path: out/train.jsonl}}
        """;

    private const string Apply = """
        name: onnx-apply
        seed: 7
        batch_size: 300
        reader:
          type: simulate
          with: {process: particle-gun, particle: e, pt: [10, 100], eta: [-2.4, 2.4], endcap: true, pileup: 30, window: 5, events: 600, first_event: 500000}
        stages:
          - {type: torch, with: {model: out/mlp.model, collection: Electron}}
          - {type: onnx, with: {model: out/mlp.onnx, collection: Electron, outputs: {Electron_energyNN: Electron_mlpOnnx, Electron_energyNNSigma: Electron_mlpSigmaOnnx}}}
          - {type: gbdt, with: {model: out/bdt.zip, collection: Electron}}
          - {type: onnx, with: {model: out/bdt.onnx, collection: Electron, outputs: {Electron_energyCalib: Electron_bdtOnnx}}}
        writer: {type: json, with: {path: out/apply.jsonl}}
        """;

    [Fact]
    public void Exported_mlp_and_bdt_give_the_native_outputs_through_the_onnx_regressor_and_in_onnxruntime_node()
    {
        using var work = new TempDirectory();
        Tool.Result train = Tool.Run(work.Path, "train", work.Write("train.yaml", Train), "--stage", "mlp,bdt", "--quiet");
        Assert.True(train.ExitCode == 0, train.ToString());
        foreach ((string model, string onnx) in new[] { ("out/mlp.model", "out/mlp.onnx"), ("out/bdt.zip", "out/bdt.onnx") })
        {
            Tool.Result export = Tool.Run(work.Path, "model", "export", model, "--onnx", onnx);
            Assert.True(export.ExitCode == 0, export.ToString());
            Assert.False(File.Exists(work.File(onnx + ".partial")));
        }
        Tool.Result show = Tool.Run(work.Path, "model", "show", "out/bdt.onnx");
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("opsets       ai.onnx 17, ai.onnx.ml 3", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("  Electron_sieie float[N]", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("exported from a 'gbdt' model", show.Stdout, StringComparison.Ordinal);
        Tool.Result showMlp = Tool.Run(work.Path, "model", "show", "out/mlp.onnx", "--json");
        Assert.True(showMlp.ExitCode == 0, showMlp.ToString());
        using (var card = JsonDocument.Parse(showMlp.Stdout))
        {
            Assert.Equal(["Electron_r9", "Electron_energy", "Electron_scEta", "Electron_hoe", "rho"],
                card.RootElement.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
            Assert.Equal(17, card.RootElement.GetProperty("opsets")[0].GetProperty("version").GetInt32());
        }

        Tool.Result apply = Tool.Run(work.Path, "run", work.Write("apply.yaml", Apply), "--quiet");
        Assert.True(apply.ExitCode == 0, apply.ToString());
        var columns = new Dictionary<string, List<float>>();
        foreach (string line in File.ReadLines(work.File("out/apply.jsonl")))
        {
            using var e = JsonDocument.Parse(line);
            int n = e.RootElement.GetProperty("Electron_energy").GetArrayLength();
            foreach (JsonProperty p in e.RootElement.EnumerateObject())
            {
                if (!columns.TryGetValue(p.Name, out List<float>? values))
                {
                    columns[p.Name] = values = [];
                }
                if (p.Value.ValueKind == JsonValueKind.Array && (p.Value.GetArrayLength() == 0 || p.Value[0].ValueKind == JsonValueKind.Number))
                {
                    values.AddRange(p.Value.EnumerateArray().Select(v => v.GetSingle()));
                }
                else if (p.Name == "rho")
                {
                    values.AddRange(Enumerable.Repeat(p.Value.GetSingle(), n)); // per event, repeated per electron
                }
            }
        }
        int electrons = columns["Electron_energy"].Count;
        Assert.True(electrons > 500, $"{electrons} electrons");
        // A trained calibration: energies of the order of the raw energy, so a relative comparison means something.
        Assert.All(columns["Electron_energyNN"], v => Assert.True(v > 0, $"MLP energy {v}"));
        AssertClose(columns["Electron_energyNN"], columns["Electron_mlpOnnx"], "MLP energy");
        AssertClose(columns["Electron_energyNNSigma"], columns["Electron_mlpSigmaOnnx"], "MLP σ");
        AssertClose(columns["Electron_energyCalib"], columns["Electron_bdtOnnx"], "BDT energy");

        // No GPU and ONNX Runtime's CPU build: auto (above) fell back to the CPU; cuda asked for explicitly is a configuration error.
        string cuda = work.Write("cuda.yaml", """
            reader: {type: simulate, with: {events: 5, window: 5}}
            stages:
              - {type: onnx, with: {model: out/bdt.onnx, collection: Electron, device: cuda}}
            """);
        Tool.Result noCuda = Tool.Run(work.Path, "run", cuda, "--quiet");
        Assert.Equal(3, noCuda.ExitCode);
        Assert.Contains("cuda was requested but ONNX Runtime cannot use CUDA here", noCuda.Stderr, StringComparison.Ordinal);

        if (!OnnxRuntimeOracle.IsAvailable)
        {
            Assert.Fail(OnnxRuntimeOracle.UnavailableReason);
        }
        foreach ((string onnx, string[] inputs, string output, string native) in new[]
        {
            ("out/mlp.onnx", new[] { "Electron_r9", "Electron_energy", "Electron_scEta", "Electron_hoe", "rho" }, "Electron_energyNN", "Electron_energyNN"),
            ("out/bdt.onnx", ["Electron_r9", "Electron_sieie", "Electron_eta", "Electron_energy", "Electron_hoe"], "Electron_energyCalib", "Electron_energyCalib"),
        })
        {
            IReadOnlyDictionary<string, double[]> node = OnnxRuntimeOracle.Run(work.File(onnx),
                inputs.ToDictionary(i => i, i => (new long[] { electrons }, columns[i].ToArray())));
            AssertClose(columns[native], [.. node[output].Select(v => (float)v)], $"onnxruntime-node {onnx}");
        }
    }

    [Fact]
    public void Bad_onnx_files_and_mappings_are_reported_with_their_place()
    {
        using var work = new TempDirectory();
        work.Write("broken.onnx", "not protobuf at all");
        Tool.Result show = Tool.Run(work.Path, "model", "show", "broken.onnx");
        Assert.Equal(4, show.ExitCode);
        Assert.Contains("broken.onnx", show.Stderr, StringComparison.Ordinal);
        Assert.Contains("not an ONNX model", show.Stderr, StringComparison.Ordinal);

        string chain = work.Write("chain.yaml", """
            reader: {type: simulate, with: {events: 10}}
            stages:
              - {type: onnx, with: {model: broken.onnx, collection: Electron}}
            """);
        Tool.Result run = Tool.Run(work.Path, "run", chain, "--quiet");
        Assert.Equal(4, run.ExitCode);
        Assert.Contains("broken.onnx", run.Stderr, StringComparison.Ordinal);

        Tool.Result export = Tool.Run(work.Path, "model", "export", "missing.zip", "--onnx", "x.onnx");
        Assert.Equal(4, export.ExitCode);
        Assert.Contains("missing.zip", export.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(work.File("x.onnx")));
    }

    /// <summary>Native and ONNX values equal to 1e-5 relative, object by object.</summary>
    private static void AssertClose(List<float> native, List<float> onnx, string what)
    {
        Assert.Equal(native.Count, onnx.Count);
        double worst = 0;
        for (int i = 0; i < native.Count; i++)
        {
            double relative = Math.Abs(native[i] - onnx[i]) / Math.Abs(native[i]);
            worst = Math.Max(worst, relative);
            Assert.True(relative <= 1e-5, $"{what}, electron {i}: native {native[i]:R}, ONNX {onnx[i]:R}");
        }
        Assert.True(native.Distinct().Count() > native.Count / 2, $"{what}: the values differ from electron to electron");
    }
}
