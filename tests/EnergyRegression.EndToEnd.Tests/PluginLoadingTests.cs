using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>
/// Loading plugins from disk (issue 29): a plugin built against a newer patch version of the contracts loads; names shared by
/// stage kinds, plugins found twice and unusable locations are errors at the chain's <c>plugins:</c> entry; a column a plugin
/// looks up by config key is checked by <c>validate</c> and reported at that key.
/// </summary>
public sealed class PluginLoadingTests
{
    private static string PatchPluginDir => Path.Combine(Tool.RepoRoot, "tests", "TestPlugins", "PatchPlugin", "bin", Tool.Configuration, "net10.0");

    private static string ClashingPluginDir => Path.Combine(Tool.RepoRoot, "tests", "TestPlugins", "ClashingPlugin", "bin", Tool.Configuration, "net10.0");

    private static string ToolAbstractions => Path.Combine(Path.GetDirectoryName(Tool.ToolDll)!, "EnergyRegression.Abstractions.dll");

    [Fact]
    public void A_plugin_built_against_a_newer_patch_version_loads_and_runs()
    {
        Version host = AssemblyName.GetAssemblyName(ToolAbstractions).Version!;
        Version built = AssemblyName.GetAssemblyName(Path.Combine(Tool.RepoRoot, "tests", "TestPlugins", "PatchAbstractions", "bin",
            Tool.Configuration, "net10.0", "EnergyRegression.Abstractions.dll")).Version!;
        // The plugin references e.g. 0.1.7.0 while the host has 0.1.0.0: what the runtime alone refuses to bind.
        Assert.Equal((host.Major, host.Minor), (built.Major, built.Minor));
        Assert.True(built > host, $"{built} is not newer than {host}");
        Assert.False(File.Exists(Path.Combine(PatchPluginDir, "EnergyRegression.Abstractions.dll")));

        using var work = new TempDirectory();
        string chain = work.Write("chain.yaml", $$"""
            plugins: ["{{PatchPluginDir}}"]
            reader:
              type: json
              with: {files: ["{{Tool.SampleData}}"]}
            stages:
              - type: count-objects
            writer:
              type: json
              with: {path: counted.jsonl}
            """);
        Tool.Result run = Tool.Run(work.Path, "run", chain, "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());

        string[] inputs = File.ReadLines(Tool.SampleData).Where(l => l.Trim().Length > 0).ToArray();
        string[] outputs = File.ReadLines(work.File("counted.jsonl")).Where(l => l.Length > 0).ToArray();
        Assert.Equal(inputs.Length, outputs.Length);
        for (int i = 0; i < inputs.Length; i++)
        {
            using var input = JsonDocument.Parse(inputs[i]);
            using var output = JsonDocument.Parse(outputs[i]);
            Assert.Equal(input.RootElement.GetProperty("Electron_energy").GetArrayLength(), output.RootElement.GetProperty("nObjects").GetInt32());
        }

        Tool.Result detail = Tool.Run(work.Path, "plugins", "count-objects", "--plugin-path", PatchPluginDir);
        Assert.True(detail.ExitCode == 0, detail.ToString());
        Assert.Contains($"built against EnergyRegression.Abstractions {built.Major}.{built.Minor}", detail.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_abstractions_assembly_version_is_pinned_to_major_minor_and_the_files_carry_the_patch()
    {
        string version = Dotnet.AbstractionsVersion;
        var v = Version.Parse(version);
        Assert.Equal(new Version(v.Major, v.Minor, 0, 0), AssemblyName.GetAssemblyName(ToolAbstractions).Version);
        Assert.Equal($"{version}.0", FileVersionInfo.GetVersionInfo(ToolAbstractions).FileVersion);

        // The same project at a patch release: the package is 0.1.7, the assembly still 0.1.0.0.
        string patch = $"{v.Major}.{v.Minor}.{v.Build + 7}";
        Tool.Result properties = Dotnet.Run(Tool.RepoRoot, null, "msbuild", "src/EnergyRegression.Abstractions/EnergyRegression.Abstractions.csproj",
            "-getProperty:AssemblyVersion", "-getProperty:Version", "-getProperty:FileVersion", $"-p:AbstractionsVersion={patch}");
        Assert.True(properties.ExitCode == 0, properties.ToString());
        using var json = JsonDocument.Parse(properties.Stdout);
        JsonElement values = json.RootElement.GetProperty("Properties");
        Assert.Equal($"{v.Major}.{v.Minor}.0.0", values.GetProperty("AssemblyVersion").GetString());
        Assert.Equal(patch, values.GetProperty("Version").GetString());
        Assert.Equal($"{patch}.0", values.GetProperty("FileVersion").GetString());
    }

    [Fact]
    public void Plugins_shows_the_abstractions_version_the_host_provides()
    {
        using var work = new TempDirectory();
        Tool.Result result = Tool.Run(work.Path, "plugins");

        Assert.True(result.ExitCode == 0, result.ToString());
        var v = Version.Parse(Dotnet.AbstractionsVersion);
        string range = v.Major == 0 ? $"{v.Major}.{v.Minor}.x" : $"{v.Major}.0 … {v.Major}.{v.Minor}";
        Assert.Contains($" provides EnergyRegression.Abstractions {Dotnet.AbstractionsVersion}: plugins built against {range} load",
            result.Stdout.Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_selection_named_like_a_feature_is_an_error_at_its_plugins_entry_naming_both_assemblies()
    {
        using var work = new TempDirectory();
        string chain = work.Write("chain.yaml", $$"""
            plugins:
              - {{Tool.ExamplePluginDir}}
              - {{ClashingPluginDir}}
            reader:
              type: json
              with: {files: ["{{Tool.SampleData}}"]}
            stages:
              - type: energy-scale
                with: {output: Electron_energyScaled}
            """);

        foreach (string command in new[] { "run", "validate" })
        {
            Tool.Result result = Tool.Run(work.Path, command, chain);

            Assert.True(result.ExitCode == 5, result.ToString());
            Assert.Contains($"energyreg: plugin error: {chain}:3:5: plugin name 'energy-scale': is used by a feature (EnergyScale.EnergyScaleFeature in "
                + $"{Path.Combine(Tool.ExamplePluginDir, "EnergyScale.dll")}) and by a selection (ClashingPlugin.EnergyScaleSelection in "
                + $"{Path.Combine(ClashingPluginDir, "ClashingPlugin.dll")})", result.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_plugin_found_twice_and_a_missing_location_are_errors_at_their_plugins_entries()
    {
        using var work = new TempDirectory();
        string copy = work.File("copy-of-energy-scale");
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.EnumerateFiles(Tool.ExamplePluginDir))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }
        string twice = work.Write("twice.yaml", $$"""
            reader:
              type: json
              with: {files: ["{{Tool.SampleData}}"]}
            plugins: ["{{Tool.ExamplePluginDir}}", "{{copy}}"]
            """);
        Tool.Result duplicate = Tool.Run(work.Path, "validate", twice);
        Assert.True(duplicate.ExitCode == 5, duplicate.ToString());
        int column = $"plugins: [\"{Tool.ExamplePluginDir}\", ".Length + 1;
        Assert.Contains($"energyreg: plugin error: {twice}:4:{column}: plugin feature 'energy-scale': defined twice: in "
            + $"{Path.Combine(Tool.ExamplePluginDir, "EnergyScale.dll")} and in {Path.Combine(copy, "EnergyScale.dll")}", duplicate.Stderr, StringComparison.Ordinal);

        string missing = work.Write("missing.yaml", $$"""
            reader:
              type: json
              with: {files: ["{{Tool.SampleData}}"]}
            plugins:
              - ${CONFIG_DIR}/bin/Release/net10.0
            """);
        Tool.Result absent = Tool.Run(work.Path, "run", missing);
        Assert.True(absent.ExitCode == 5, absent.ToString());
        Assert.Contains($"energyreg: plugin error: {missing}:5:5: plugin location {work.Path}/bin/Release/net10.0 (plugins[0]): does not exist",
            absent.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelled_column_named_in_a_plugins_config_is_a_configuration_error_at_its_key_in_validate_and_run()
    {
        using var work = new TempDirectory();
        string chain = work.Write("chain.yaml", $$"""
            plugins: ["{{Tool.ExamplePluginDir}}"]
            reader:
              type: json
              with: {files: ["{{Tool.SampleData}}"]}
            stages:
              - type: energy-scale
                with:
                  output: Electron_energyScaled
                  input: Electron_enrgy
            writer:
              type: json
              with: {path: out.jsonl}
            """);

        foreach (string command in new[] { "validate", "run" })
        {
            Tool.Result result = Tool.Run(work.Path, command, chain);

            Assert.True(result.ExitCode == 3, result.ToString());
            Assert.Contains($"energyreg: configuration error: {chain}:9:14: 'input': no column 'Electron_enrgy' in the batch (did you mean 'Electron_energy'?); "
                + "it has run, luminosityBlock, ", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("(in stages[0] 'energy-scale')", result.Stderr, StringComparison.Ordinal);
        }
        Assert.False(File.Exists(work.File("out.jsonl")));

        Tool.Result valid = Tool.Run(work.Path, "validate", work.Write("good.yaml", File.ReadAllText(chain).Replace("Electron_enrgy", "Electron_energy",
            StringComparison.Ordinal)));
        Assert.True(valid.ExitCode == 0, valid.ToString());
        Assert.Contains("columns: 1 stage(s) found what they look up among the ", valid.Stderr + valid.Stdout, StringComparison.Ordinal);
    }
}
