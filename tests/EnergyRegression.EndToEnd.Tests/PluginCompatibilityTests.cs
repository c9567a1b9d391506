namespace EnergyRegression.EndToEnd.Tests;

/// <summary>
/// A real plugin assembly compiled against the next major version of EnergyRegression.Abstractions
/// (tests/TestPlugins/IncompatiblePlugin, built against FutureAbstractions) is refused, naming the file and both versions.
/// </summary>
public sealed class PluginCompatibilityTests
{
    private static string PluginDir =>
        Path.Combine(Tool.RepoRoot, "tests", "TestPlugins", "IncompatiblePlugin", "bin", Tool.Configuration, "net10.0");

    private static string PluginDll => Path.Combine(PluginDir, "IncompatiblePlugin.dll");

    // The host's version: that of the Abstractions shipped with the tool, patch included (its assembly version is major.minor.0).
    private static string HostVersion => Dotnet.AbstractionsVersion;

    private static string PluginVersion => System.Reflection.AssemblyName.GetAssemblyName(
        Path.Combine(Tool.RepoRoot, "tests", "TestPlugins", "FutureAbstractions", "bin", Tool.Configuration, "net10.0",
            "EnergyRegression.Abstractions.dll")).Version!.ToString(3);

    [Fact]
    public void The_test_plugin_really_references_another_major_version()
    {
        Assert.NotEqual(Version.Parse(HostVersion).Major, Version.Parse(PluginVersion).Major);
        Assert.False(File.Exists(Path.Combine(PluginDir, "EnergyRegression.Abstractions.dll")), "the plugin must not carry its own Abstractions");
    }

    [Fact]
    public void A_chain_naming_an_incompatible_plugin_fails_with_exit_code_5_naming_both_versions()
    {
        using var work = new TempDirectory();
        string chain = work.Write("chain.yaml", $$"""
            plugins: ["{{PluginDir}}"]
            reader:
              type: json
              with: {files: ["{{Tool.SampleData}}"]}
            stages:
              - type: from-the-future
            """);

        Tool.Result result = Tool.Run(work.Path, "run", chain);

        Assert.True(result.ExitCode == 5, result.ToString());
        // At the chain's plugins: entry that brought the plugin in, then what to do about it.
        Assert.Contains($"energyreg: plugin error: {chain}:1:11: plugin assembly {PluginDll}: was built against EnergyRegression.Abstractions {PluginVersion}, "
            + $"but this energyreg provides EnergyRegression.Abstractions {HostVersion}, which is not compatible", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"To fix it, rebuild the plugin against EnergyRegression.Abstractions {HostVersion}: set <EnergyRegressionAbstractionsVersion>{HostVersion}"
            + "</EnergyRegressionAbstractionsVersion> in its Directory.Build.props", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, result.Stderr.Split('\n').Count(l => l.StartsWith("energyreg: plugin error:", StringComparison.Ordinal)));
    }

    [Fact]
    public void Plugins_and_schema_refuse_it_too_and_compatible_plugins_still_load()
    {
        using var work = new TempDirectory();
        foreach (string command in new[] { "plugins", "schema" })
        {
            Tool.Result refused = Tool.Run(work.Path, command, "--plugin-path", PluginDll);
            Assert.True(refused.ExitCode == 5, refused.ToString());
            Assert.Contains($"EnergyRegression.Abstractions {PluginVersion}", refused.Stderr, StringComparison.Ordinal);
            Assert.Contains($"EnergyRegression.Abstractions {HostVersion}", refused.Stderr, StringComparison.Ordinal);
        }
        Tool.Result compatible = Tool.Run(work.Path, "plugins", "--plugin-path", Tool.ExamplePluginDir);
        Assert.True(compatible.ExitCode == 0, compatible.ToString());
    }
}
