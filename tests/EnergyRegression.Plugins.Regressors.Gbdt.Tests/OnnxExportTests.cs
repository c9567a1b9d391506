using EnergyRegression.Data;
using EnergyRegression.Onnx;
using EnergyRegression.Running;
using Microsoft.ML.OnnxRuntime;

namespace EnergyRegression.Plugins.Regressors.Gbdt.Tests;

/// <summary>
/// A trained gbdt model exported to ONNX (TreeEnsembleRegressor per region, region conditions as operators, the ratio
/// target's E_raw) gives in ONNX Runtime what the regressor gives, to 1e-5 relative, on electrons it never saw.
/// </summary>
public sealed class OnnxExportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gbdt-onnx-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string, GbdtTarget, GbdtRegion[]> Cases => new()
    {
        { "barrel and endcap (default), ratio", GbdtTarget.Ratio, [] },
        { "energy target", GbdtTarget.Energy, [] },
        {
            "conditions with logic, arithmetic and ?:, some objects in no region", GbdtTarget.Ratio,
            [
                new GbdtRegion { Name = "central", When = "abs(Electron_eta) < 0.8 && !(Electron_energy * 2 > 300)" },
                new GbdtRegion { Name = "forward", When = "(Electron_eta > 0 ? Electron_eta : -Electron_eta) >= 1.479 || max(Electron_r9, 0) > 5" },
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Exported_model_gives_the_regressors_outputs_in_onnx_runtime(string name, GbdtTarget target, GbdtRegion[] regions)
    {
        string path = Path.Combine(_directory, "model.zip");
        GbdtConfig config = Electrons.Config(path, trees: 40);
        config.Target = target;
        config.Regions = regions;
        Electrons.Train(config, path);
        var regressor = new GbdtRegressor(new GbdtConfig { Model = path }, new TestRunContext(RunMode.Apply));
        using EventBatch batch = Electrons.Gun(600, seed: 99);
        regressor.Predict(batch);
        float[] expected = ((Column<float>)batch.GetColumn("Electron_energyCalib")).Values.ToArray();

        using var onnx = new MemoryStream();
        regressor.ExportOnnx(onnx);
        var info = OnnxModelInfo.Parse(onnx.ToArray());
        Assert.Contains(new OnnxOpset("ai.onnx.ml", 3), info.Opsets);
        Assert.Equal(["Electron_energyCalib"], info.Outputs.Select(o => o.Name));
        using var session = new InferenceSession(onnx.ToArray());
        int rows = batch.GetCollection("Electron").TotalCount;
        var feeds = new Dictionary<string, OrtValue>();
        foreach (OnnxValueInfo input in info.Inputs)
        {
            Column column = batch.GetColumn(input.Name);
            float[] values = new float[column.Rows * column.RowSize];
            var matrix = new FeatureMatrix("Electron", [input.Name]);
            matrix.Gather(batch, values);
            feeds[input.Name] = OrtValue.CreateTensorValueFromMemory(values, [rows]);
        }
        using var options = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(options, feeds, ["Electron_energyCalib"]);
        float[] actual = results[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < rows; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * Math.Abs(expected[i]), $"{name}, electron {i}: gbdt {expected[i]:R}, ONNX Runtime {actual[i]:R}");
        }
        Assert.True(expected.Distinct().Count() > 20, "the predictions differ from object to object");
        if (regions.Length > 0)
        {
            Assert.Contains(0f, expected); // objects of no region: 0 in both
        }
        foreach (OrtValue v in feeds.Values)
        {
            v.Dispose();
        }
    }
}
