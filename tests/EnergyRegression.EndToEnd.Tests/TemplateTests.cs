using System.Text.Json;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>
/// The <c>dotnet new energyreg-plugin</c> template (templates/energyreg-plugin), used as a plugin author outside the
/// repository uses it: installed into a private template hive, instantiated in a temporary folder, built against the
/// packed EnergyRegression.Abstractions from a local folder source, loaded by the real tool in a chain, its own tests
/// run. Offline: packages come from the machine's package folders, never from a remote feed.
/// </summary>
public sealed class TemplateTests
{
    private static string TemplateDir => Path.Combine(Tool.RepoRoot, "templates", "energyreg-plugin");

    [Fact]
    public void Template_defaults_to_the_current_abstractions_version()
    {
        using var template = JsonDocument.Parse(File.ReadAllText(Path.Combine(TemplateDir, ".template.config", "template.json")));
        JsonElement symbols = template.RootElement.GetProperty("symbols");
        Assert.Equal("energyreg-plugin", template.RootElement.GetProperty("shortName").GetString());
        Assert.Equal(Dotnet.AbstractionsVersion, symbols.GetProperty("AbstractionsVersion").GetProperty("defaultValue").GetString());
    }

    [Fact]
    public void A_plugin_made_from_the_template_builds_passes_its_tests_and_runs_in_a_chain()
    {
        using var work = new TempDirectory();
        string hive = work.File("template-hive");
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_CLI_HOME"] = work.File("home"),
            ["NUGET_PACKAGES"] = work.File("nuget-packages"), // a fresh cache: the package just packed, not an older one
        };
        // Offline package sources for everything but Abstractions: the folders this machine already restored into.
        string globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string[] offlineSources = new[] { "/opt/nuget/packages", globalPackages }.Where(Directory.Exists).ToArray();
        work.Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
            {string.Join("\n", offlineSources.Select((s, i) => $"    <add key=\"offline{i}\" value=\"{s}\" />"))}
              </packageSources>
            </configuration>
            """);

        Tool.Result install = Dotnet.Run(work.Path, environment, "new", "install", TemplateDir, "--debug:custom-hive", hive);
        Assert.True(install.ExitCode == 0, install.ToString());
        Tool.Result create = Dotnet.Run(work.Path, environment, "new", "energyreg-plugin", "-n", "EnergyShift", "-o", "EnergyShift",
            "--plugin-name", "energy-shift", "--abstractions-source", AbstractionsPackage.Folder,
            "--debug:custom-hive", hive, "--no-update-check");
        Assert.True(create.ExitCode == 0, create.ToString());

        string project = work.File("EnergyShift");
        foreach (string file in new[] { "README.md", "Directory.Build.props", "nuget.config", "src/EnergyShift/EnergyShift.csproj",
            "src/EnergyShift/EnergyShiftConfig.cs", "src/EnergyShift/EnergyShiftFeature.cs",
            "tests/EnergyShift.Tests/EnergyShift.Tests.csproj", "tests/EnergyShift.Tests/EnergyShiftFeatureTests.cs" })
        {
            Assert.True(File.Exists(Path.Combine(project, file)), file);
        }
        Assert.Contains($"<EnergyRegressionAbstractionsVersion>{Dotnet.AbstractionsVersion}</EnergyRegressionAbstractionsVersion>",
            File.ReadAllText(Path.Combine(project, "Directory.Build.props")), StringComparison.Ordinal);
        Assert.Contains($"value=\"{AbstractionsPackage.Folder}\"", File.ReadAllText(Path.Combine(project, "nuget.config")), StringComparison.Ordinal);
        Assert.Contains("[Plugin(\"energy-shift\"", File.ReadAllText(Path.Combine(project, "src/EnergyShift/EnergyShiftFeature.cs")),
            StringComparison.Ordinal);

        Tool.Result build = Dotnet.Run(project, environment, "build", "src/EnergyShift", "-c", "Release", "-nologo");
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains(" 0 Warning(s)", build.Stdout, StringComparison.Ordinal);
        string pluginDir = Path.Combine(project, "src", "EnergyShift", "bin", "Release", "net10.0");
        Assert.True(File.Exists(Path.Combine(pluginDir, "EnergyShift.dll")));
        Assert.False(File.Exists(Path.Combine(pluginDir, "EnergyRegression.Abstractions.dll")), "Abstractions comes from the host");

        string chain = work.Write("chain.yaml", $$"""
            plugins: ["{{pluginDir}}"]
            reader:
              type: json
              with: {files: ["{{Tool.SampleData}}"]}
            stages:
              - type: energy-shift
                with: {output: Electron_energyShifted, factor: 1.25}
            writer:
              type: json
              with: {path: shifted.jsonl}
            """);
        Tool.Result run = Tool.Run(work.Path, "run", chain, "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        string[] inputs = File.ReadLines(Tool.SampleData).Where(l => l.Trim().Length > 0).ToArray();
        string[] outputs = File.ReadLines(work.File("shifted.jsonl")).Where(l => l.Length > 0).ToArray();
        Assert.Equal(inputs.Length, outputs.Length);
        int objects = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            using var input = JsonDocument.Parse(inputs[i]);
            using var output = JsonDocument.Parse(outputs[i]);
            double[] energy = input.RootElement.GetProperty("Electron_energy").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            float[] shifted = output.RootElement.GetProperty("Electron_energyShifted").EnumerateArray().Select(x => x.GetSingle()).ToArray();
            Assert.Equal(energy.Select(e => (float)(1.25 * e)), shifted);
            objects += energy.Length;
        }
        Assert.True(objects > 100, $"{objects} objects");

        // A bad value is reported by the tool at its place in the chain, with the plugin's own message.
        string bad = work.Write("bad.yaml", File.ReadAllText(chain).Replace("factor: 1.25", "factor: -2", StringComparison.Ordinal));
        Tool.Result rejected = Tool.Run(work.Path, "validate", bad);
        Assert.Equal(3, rejected.ExitCode);
        Assert.Contains($"{bad}:7:", rejected.Stderr, StringComparison.Ordinal);
        Assert.Contains("'factor': must be a positive, finite number", rejected.Stderr, StringComparison.Ordinal);

        Tool.Result test = Dotnet.Run(project, environment, "test", "tests/EnergyShift.Tests", "-c", "Release", "-nologo");
        Assert.True(test.ExitCode == 0, test.ToString());
        Assert.Contains("Passed!", test.Stdout, StringComparison.Ordinal);
        Assert.Contains("Failed:     0", test.Stdout, StringComparison.Ordinal);
    }
}
