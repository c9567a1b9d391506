using System.Globalization;
using System.Text.Json;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>Plugins discovered and loaded from disk: the built-in ones and the example written like a user's.</summary>
public sealed class PluginTests
{
    [Fact]
    public void Plugins_lists_the_built_in_plugins_with_kind_assembly_and_keys()
    {
        using var work = new TempDirectory();
        Tool.Result result = Tool.Run(work.Path, "plugins");
        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Stdout.Split('\n');
        Assert.Contains(lines, l => l.Contains("reader", StringComparison.Ordinal) && l.Contains("json", StringComparison.Ordinal)
            && l.Contains("EnergyRegression.Plugins.Json", StringComparison.Ordinal) && l.Contains("files*", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("writer", StringComparison.Ordinal) && l.Contains("json", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("selection", StringComparison.Ordinal) && l.Contains("filter", StringComparison.Ordinal)
            && l.Contains("expression*", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("feature", StringComparison.Ordinal) && l.Contains("define", StringComparison.Ordinal));
        Assert.DoesNotContain("energy-scale", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Plugin_detail_shows_types_defaults_and_descriptions()
    {
        using var work = new TempDirectory();
        Tool.Result result = Tool.Run(work.Path, "plugins", "energy-scale", "--plugin-path", Tool.ExamplePluginDir);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("feature 'energy-scale'", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("EnergyScale 1.0.0", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("(required)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Electron_energy", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Plugin_path_from_the_environment_is_searched()
    {
        using var work = new TempDirectory();
        Tool.Result result = Tool.Run(work.Path, new Dictionary<string, string> { ["ENERGYREG_PLUGIN_PATH"] = Tool.ExamplePluginDir }, "plugins");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("energy-scale", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Example_plugin_with_a_private_dependency_runs_from_a_yaml_plugins_entry()
    {
        Assert.True(File.Exists(Path.Combine(Tool.ExamplePluginDir, "ScaleTables.dll")), "the private dependency sits next to the plugin");
        Assert.False(File.Exists(Path.Combine(Tool.ExamplePluginDir, "EnergyRegression.Abstractions.dll")), "Abstractions comes from the host");

        using var work = new TempDirectory();
        string chain = work.Write("chain.yaml", $"""
            plugins: ["{Tool.ExamplePluginDir}"]
            reader:
              type: json
              with: {"{"}files: ["{Tool.SampleData}"]{"}"}
            stages:
              - type: energy-scale
                with:
                  output: Electron_energyScaled
                  edges: [0.0, 0.8, 1.4442]
                  scales: [1.010, 0.995]
            writer:
              type: json
              with: {"{"}path: scaled.jsonl{"}"}
            """);
        Tool.Result result = Tool.Run(work.Path, "run", chain);
        Assert.True(result.ExitCode == 0, result.ToString());

        string[] inputs = File.ReadLines(Tool.SampleData).Where(l => l.Trim().Length > 0).ToArray();
        string[] outputs = File.ReadLines(work.File("scaled.jsonl")).Where(l => l.Length > 0).ToArray();
        Assert.Equal(inputs.Length, outputs.Length);
        int checkedObjects = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            using var input = JsonDocument.Parse(inputs[i]);
            using var output = JsonDocument.Parse(outputs[i]);
            double[] energy = input.RootElement.GetProperty("Electron_energy").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            double[] eta = input.RootElement.GetProperty("Electron_eta").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            double[] scaled = output.RootElement.GetProperty("Electron_energyScaled").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            for (int k = 0; k < energy.Length; k++)
            {
                double a = Math.Abs(eta[k]);
                double factor = a < 0.8 ? 1.010 : a < 1.4442 ? 0.995 : 1.0;
                Assert.Equal((float)(factor * energy[k]), (float)scaled[k]);
                checkedObjects++;
            }
        }
        Assert.True(checkedObjects > 100, checkedObjects.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Unknown_plugin_location_is_a_plugin_error()
    {
        using var work = new TempDirectory();
        Tool.Result result = Tool.Run(work.Path, "plugins", "--plugin-path", work.File("missing"));
        Assert.Equal(5, result.ExitCode);
        Assert.Contains("does not exist", result.Stderr, StringComparison.Ordinal);
    }
}
