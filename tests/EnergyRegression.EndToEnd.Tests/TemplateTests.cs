using System.Globalization;
using System.Text.Json;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>
/// The <c>dotnet new energyreg-plugin</c> template (templates/energyreg-plugin), used as a plugin author outside the
/// repository uses it: installed from its package (EnergyRegression.Templates, left by the build in artifacts/packages)
/// into a private template hive, every kind instantiated in a temporary folder without naming a package source, all of
/// them built in one go against the packed EnergyRegression.Abstractions and EnergyRegression.Testing, their tests run in
/// one go, and each generated chain run by the real tool. Offline: packages come from the machine's package folders.
/// </summary>
public sealed class TemplateTests
{
    private static readonly string[] Kinds = ["reader", "selection", "feature", "regressor", "trainable-regressor", "writer"];

    private static string TemplateDir => Path.Combine(Tool.RepoRoot, "templates", "energyreg-plugin");

    // ReaderKit, TrainableRegressorKit, ...
    private static string ProjectName(string kind) =>
        string.Concat(kind.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..])) + "Kit";

    [Fact]
    public void Template_defaults_to_the_current_abstractions_version_and_offers_every_kind()
    {
        using var template = JsonDocument.Parse(File.ReadAllText(Path.Combine(TemplateDir, ".template.config", "template.json")));
        JsonElement symbols = template.RootElement.GetProperty("symbols");
        Assert.Equal("energyreg-plugin", template.RootElement.GetProperty("shortName").GetString());
        Assert.Equal(Dotnet.AbstractionsVersion, symbols.GetProperty("AbstractionsVersion").GetProperty("defaultValue").GetString());
        Assert.Equal(Kinds, symbols.GetProperty("kind").GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("choice").GetString()));
        Assert.All(Kinds, kind => Assert.True(Directory.Exists(Path.Combine(TemplateDir, kind)), kind));
    }

    [Fact]
    public void Every_kind_made_from_the_template_builds_passes_its_tests_and_runs_its_chain()
    {
        using var work = new TempDirectory();
        string hive = work.File("template-hive");
        Dictionary<string, string> environment = OfflineEnvironment(work);

        Tool.Result install = Dotnet.Run(work.Path, environment, "new", "install", PluginPackages.File("EnergyRegression.Templates"),
            "--debug:custom-hive", hive);
        Assert.True(install.ExitCode == 0, install.ToString());
        foreach (string kind in Kinds)
        {
            string name = ProjectName(kind);
            Tool.Result create = Dotnet.Run(work.Path, environment, "new", "energyreg-plugin", "--kind", kind, "-n", name, "-o", name,
                "--plugin-name", $"{kind}-kit", "--debug:custom-hive", hive, "--no-update-check");
            Assert.True(create.ExitCode == 0, create.ToString());
            string project = work.File(name);
            foreach (string file in new[] { "README.md", "Directory.Build.props", "nuget.config", "chain.yaml", $"src/{name}/{name}.csproj",
                $"src/{name}/{name}Config.cs", $"tests/{name}.Tests/{name}.Tests.csproj" })
            {
                Assert.True(File.Exists(Path.Combine(project, file)), $"{kind}: {file}");
            }
            // No --package-source: the packed template points at the folder it was packed into.
            Assert.Contains($"value=\"{PluginPackages.Folder}\"", File.ReadAllText(Path.Combine(project, "nuget.config")), StringComparison.Ordinal);
            Assert.Contains($"<EnergyRegressionAbstractionsVersion>{Dotnet.AbstractionsVersion}</EnergyRegressionAbstractionsVersion>",
                File.ReadAllText(Path.Combine(project, "Directory.Build.props")), StringComparison.Ordinal);
            Assert.Contains($"[Plugin(", string.Concat(Directory.EnumerateFiles(Path.Combine(project, "src", name), "*.cs").Select(File.ReadAllText)),
                StringComparison.Ordinal);
        }

        // Every kind in one build and one test run: one MSBuild process instead of six.
        Tool.Result solution = Dotnet.Run(work.Path, environment, "new", "sln", "-n", "AllKinds", "--debug:custom-hive", hive);
        Assert.True(solution.ExitCode == 0, solution.ToString());
        string sln = Directory.EnumerateFiles(work.Path, "AllKinds.sln*").Single();
        string[] projects = Kinds.Select(ProjectName).SelectMany(n => new[] { $"{n}/src/{n}/{n}.csproj", $"{n}/tests/{n}.Tests/{n}.Tests.csproj" }).ToArray();
        Tool.Result add = Dotnet.Run(work.Path, environment, ["sln", sln, "add", .. projects]);
        Assert.True(add.ExitCode == 0, add.ToString());
        Tool.Result build = Dotnet.Run(work.Path, environment, "build", sln, "-c", "Release", "-nologo");
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains(" 0 Warning(s)", build.Stdout, StringComparison.Ordinal);
        Tool.Result test = Dotnet.Run(work.Path, environment, "test", sln, "-c", "Release", "--no-build", "-nologo");
        Assert.True(test.ExitCode == 0, test.ToString());
        Assert.Equal(Kinds.Length, test.Stdout.Split('\n').Count(l => l.StartsWith("Passed!", StringComparison.Ordinal) && l.Contains("Failed:     0", StringComparison.Ordinal)));

        foreach (string kind in Kinds)
        {
            string name = ProjectName(kind);
            string pluginDir = work.File($"{name}/src/{name}/bin/Release/net10.0");
            Assert.True(File.Exists(Path.Combine(pluginDir, $"{name}.dll")), kind);
            Assert.False(File.Exists(Path.Combine(pluginDir, "EnergyRegression.Abstractions.dll")), $"{kind}: Abstractions comes from the host");
            Assert.False(File.Exists(Path.Combine(pluginDir, "EnergyRegression.Testing.dll")), $"{kind}: Testing is for the tests only");
            string chain = work.File($"{name}/chain.yaml");
            Tool.Result valid = Tool.Run(work.Path, ["validate", chain, .. kind == "trainable-regressor" ? new[] { "--train" } : []]);
            Assert.True(valid.ExitCode == 0, valid.ToString());
            if (kind == "trainable-regressor")
            {
                Tool.Result train = Tool.Run(work.Path, "train", chain, "--quiet");
                Assert.True(train.ExitCode == 0, train.ToString());
            }
            Tool.Result run = Tool.Run(work.Path, "run", chain, "--quiet");
            Assert.True(run.ExitCode == 0, run.ToString());
        }
        CheckOutputs(work);
    }

    [Fact]
    public void The_package_source_comes_from_the_option_else_ENERGYREG_PACKAGES_else_the_packed_folder()
    {
        using var work = new TempDirectory();
        string hive = work.File("template-hive");
        Dictionary<string, string> environment = OfflineEnvironment(work);
        Assert.True(Dotnet.Run(work.Path, environment, "new", "install", PluginPackages.File("EnergyRegression.Templates"), "--debug:custom-hive", hive)
            .ExitCode == 0);

        string Source(string name, Dictionary<string, string> env, params string[] options)
        {
            Tool.Result create = Dotnet.Run(work.Path, env, ["new", "energyreg-plugin", "-n", name, "-o", name, "--debug:custom-hive", hive,
                "--no-update-check", .. options]);
            Assert.True(create.ExitCode == 0, create.ToString());
            string config = work.File($"{name}/nuget.config");
            return File.Exists(config) ? File.ReadAllText(config).Split("value=\"")[1].Split('"')[0] : "(none)";
        }

        Assert.Equal("/opt/feed", Source("A", environment, "--package-source", "/opt/feed"));
        Assert.Equal("/srv/energyreg/packages", Source("B", new(environment) { ["ENERGYREG_PACKAGES"] = "/srv/energyreg/packages" }));
        Assert.Equal("/opt/feed", Source("C", new(environment) { ["ENERGYREG_PACKAGES"] = "/srv/energyreg/packages" }, "--package-source", "/opt/feed"));
        Assert.Equal(PluginPackages.Folder, Source("D", environment));
    }

    // A fresh home and package cache (the packages just built, not an older copy of the same version); offline sources.
    private static Dictionary<string, string> OfflineEnvironment(TempDirectory work)
    {
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
        return new Dictionary<string, string>
        {
            ["DOTNET_CLI_HOME"] = work.File("home"),
            ["NUGET_PACKAGES"] = work.File("nuget-packages"),
        };
    }

    // What the chains wrote, checked against what they read.
    private static void CheckOutputs(TempDirectory work)
    {
        // feature: Electron_energyScaled = 1.02 · Electron_energy, as floats, for every electron of 2,000 events.
        int scaled = 0;
        foreach (string line in File.ReadLines(work.File("FeatureKit/out/scaled.jsonl")).Where(l => l.Length > 0))
        {
            using var json = JsonDocument.Parse(line);
            double[] energy = json.RootElement.GetProperty("Electron_energy").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            float[] output = json.RootElement.GetProperty("Electron_energyScaled").EnumerateArray().Select(x => x.GetSingle()).ToArray();
            Assert.Equal(energy.Select(e => (float)(1.02 * (float)e)), output);
            scaled += energy.Length;
        }
        Assert.True(scaled > 1000, $"{scaled} electrons");

        // reader: the six events of data/electrons.csv, the electrons with pt > 30 kept.
        string[] events = File.ReadLines(work.File("ReaderKit/out/electrons.jsonl")).Where(l => l.Length > 0).ToArray();
        Assert.Equal(6, events.Length);
        float[] pts = events.SelectMany(l => JsonDocument.Parse(l).RootElement.GetProperty("Electron_pt").EnumerateArray().Select(x => x.GetSingle())).ToArray();
        Assert.Equal([41.2f, 38.5f, 55.0f, 33.1f, 30.4f, 47.7f, 36.6f], pts);

        // selection: every kept electron passes the cuts, every event has two; the cut flow has the three cuts.
        foreach (string line in File.ReadLines(work.File("SelectionKit/out/selected.jsonl")).Where(l => l.Length > 0))
        {
            using var json = JsonDocument.Parse(line);
            float[] pt = json.RootElement.GetProperty("Electron_pt").EnumerateArray().Select(x => x.GetSingle()).ToArray();
            float[] eta = json.RootElement.GetProperty("Electron_eta").EnumerateArray().Select(x => x.GetSingle()).ToArray();
            Assert.True(pt.Length >= 2 && pt.All(p => p > 30) && eta.All(e => Math.Abs(e) < 1.4442), line[..Math.Min(200, line.Length)]);
        }
        using (var cutFlow = JsonDocument.Parse(File.ReadAllText(work.File("SelectionKit/out/selected.cutflow.json"))))
        {
            JsonElement step = cutFlow.RootElement.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "selection-kit");
            Assert.Equal(["Electron pt > 30", "Electron |eta| < 1.4442", "nElectron >= 2"],
                step.GetProperty("cuts").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
            Assert.Equal(step.GetProperty("events_out").GetInt64(), step.GetProperty("cuts")[2].GetProperty("events_out").GetInt64());
            // Each cut takes in what the one before passed: events with an electron left enter the count.
            for (int c = 1; c < 3; c++)
            {
                Assert.Equal(step.GetProperty("cuts")[c - 1].GetProperty("events_out").GetInt64(), step.GetProperty("cuts")[c].GetProperty("events_in").GetInt64());
                Assert.Equal(step.GetProperty("cuts")[c - 1].GetProperty("objects_out").GetInt64(), step.GetProperty("cuts")[c].GetProperty("objects_in").GetInt64());
            }
        }

        // writer: a provenance line, the header, then one row per electron.
        string[] rows = File.ReadAllLines(work.File("WriterKit/out/electrons.csv"));
        Assert.StartsWith("# energyreg ", rows[0], StringComparison.Ordinal);
        Assert.Equal("event,rho,pt,eta,phi,energy,genEnergy", rows[1]);
        Assert.True(rows.Length > 1000, $"{rows.Length} rows");

        // regressors: a calibrated energy per electron, the trained one from a model with its card.
        foreach (string output in new[] { "RegressorKit/out/calibrated.jsonl", "TrainableRegressorKit/out/calibrated.jsonl" })
        {
            string first = File.ReadLines(work.File(output)).First(l => l.Contains("\"Electron_energy\":[", StringComparison.Ordinal)
                && !l.Contains("\"Electron_energy\":[]", StringComparison.Ordinal));
            using var json = JsonDocument.Parse(first);
            Assert.Equal(json.RootElement.GetProperty("Electron_energy").GetArrayLength(), json.RootElement.GetProperty("Electron_energyCalib").GetArrayLength());
        }
        Tool.Result card = Tool.Run(work.Path, "model", "show", work.File("TrainableRegressorKit/out/model.zip"), "--json");
        Assert.True(card.ExitCode == 0, card.ToString());
        using var model = JsonDocument.Parse(card.Stdout);
        Assert.Equal("trainable-regressor-kit", model.RootElement.GetProperty("plugin").GetString());
        Assert.True(model.RootElement.GetProperty("training_objects").GetInt64() > 1000,
            model.RootElement.GetProperty("training_objects").GetInt64().ToString(CultureInfo.InvariantCulture));
    }
}
