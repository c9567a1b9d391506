using EnergyRegression.Core.Plugins;

namespace EnergyRegression.Core.Tests.Plugins;

/// <summary>Which EnergyRegression.Abstractions versions a plugin may be built against (docs/plugins.md, "Compatibility").</summary>
public sealed class PluginCompatibilityTests
{
    [Theory]
    [InlineData("1.4.0", "1.4.0", true)]
    [InlineData("1.4.0", "1.4.7", true)]   // patches never matter
    [InlineData("1.4.2", "1.0.0", true)]   // an older minor: everything it uses is still there
    [InlineData("1.4.0", "1.5.0", false)]  // a newer minor may use API this host lacks
    [InlineData("1.4.0", "2.0.0", false)]
    [InlineData("2.0.0", "1.9.0", false)]
    [InlineData("0.1.0", "0.1.5", true)]
    [InlineData("0.2.0", "0.1.0", false)]  // 0.x: every minor may break
    [InlineData("0.1.0", "0.2.0", false)]
    [InlineData("0.1.0", "1.0.0", false)]
    public void Compatible_means_same_major_and_no_newer_minor_and_same_minor_while_0(string host, string plugin, bool expected)
    {
        Assert.Equal(expected, PluginCompatibility.IsCompatible(Version.Parse(host), Version.Parse(plugin)));
    }

    [Fact]
    public void Reads_the_referenced_version_from_an_assembly_file_without_loading_it()
    {
        // This test assembly is compiled against the Abstractions the host (this process) has.
        Assert.Equal(PluginCompatibility.HostVersion, PluginCompatibility.ReferencedVersion(typeof(PluginCompatibilityTests).Assembly.Location));
        Assert.Null(PluginCompatibility.ReferencedVersion(typeof(object).Assembly.Location));
        Assert.Equal(typeof(EnergyRegression.Plugins.IEventReader).Assembly.GetName().Version, PluginCompatibility.HostVersion);
    }

    [Fact]
    public void Not_an_assembly_is_left_to_the_loader()
    {
        string path = Path.Combine(Path.GetTempPath(), $"not-an-assembly-{Guid.NewGuid():N}.dll");
        File.WriteAllText(path, "MZ but not really");
        try
        {
            Assert.Null(PluginCompatibility.ReferencedVersion(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Refusal_names_the_file_and_both_versions()
    {
        string self = typeof(PluginCompatibilityTests).Assembly.Location;
        Version built = PluginCompatibility.HostVersion;
        var host = new Version(built.Major + 1, 0, 0, 0);

        PluginException error = Assert.Throws<PluginException>(() => PluginCompatibility.Check(self, host));

        Assert.StartsWith($"plugin assembly {self}: was built against EnergyRegression.Abstractions {built.ToString(3)}, "
            + $"but this energyreg provides EnergyRegression.Abstractions {host.ToString(3)}, which is not compatible: ", error.Message, StringComparison.Ordinal);
        PluginCompatibility.Check(self, built);
    }
}
