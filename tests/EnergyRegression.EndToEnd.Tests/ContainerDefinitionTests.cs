using System.Text.RegularExpressions;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>
/// containers/Dockerfile and containers/energyreg.def (docs/containers.md): no container engine runs here, so what can be
/// checked without one is: both start from Debian 12, take the tarball scripts/publish-tool.sh writes, unpack it to
/// /opt/energyreg, link the tool and run it once; their shell steps parse.
/// </summary>
public sealed partial class ContainerDefinitionTests
{
    private static string Read(string name) => File.ReadAllText(Path.Combine(Tool.RepoRoot, name));

    private static string PublishedTarball() =>
        TarballDefault().Match(Read("scripts/publish-tool.sh")) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("publish-tool.sh names no default tarball");

    [Fact]
    public void Dockerfile_builds_from_debian_12_and_the_published_tarball()
    {
        string text = Read("containers/Dockerfile");
        // Instructions, with continuation lines joined and comments dropped.
        string[] instructions = [.. Regex.Replace(text, @"\\\n", " ").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
        Assert.Equal("FROM debian:12-slim", instructions[0]);
        Assert.All(instructions, i => Assert.Matches("^(FROM|RUN|ADD|ENV|WORKDIR|CMD) ", i));
        Assert.Contains($"ADD {PublishedTarball()} /opt/energyreg/", instructions);
        string[] runs = [.. instructions.Where(i => i.StartsWith("RUN ", StringComparison.Ordinal)).Select(i => i[4..])];
        Assert.Contains(runs, r => r.Contains("ln -s /opt/energyreg/energyreg /usr/local/bin/energyreg", StringComparison.Ordinal) && r.Contains("energyreg --version", StringComparison.Ordinal));
        foreach (string run in runs)
        {
            AssertParses(run);
        }
    }

    [Fact]
    public void Apptainer_definition_bootstraps_debian_12_and_unpacks_the_published_tarball()
    {
        string text = Read("containers/energyreg.def");
        Assert.Matches(@"(?m)^Bootstrap: debootstrap$", text);
        Assert.Matches(@"(?m)^OSVersion: bookworm$", text);
        Dictionary<string, string> sections = Sections(text);
        Assert.Equal(["environment", "files", "help", "labels", "post", "runscript", "test"], sections.Keys.Order(StringComparer.Ordinal));
        Assert.Equal($"{PublishedTarball()} /opt/energyreg-linux-x64.tar.gz", sections["files"].Trim());
        Assert.Contains("tar -xzf /opt/energyreg-linux-x64.tar.gz -C /opt/energyreg", sections["post"], StringComparison.Ordinal);
        Assert.Contains("ln -s /opt/energyreg/energyreg /usr/local/bin/energyreg", sections["post"], StringComparison.Ordinal);
        Assert.Contains("/usr/local/bin/energyreg --version", sections["test"], StringComparison.Ordinal);
        foreach (string script in new[] { "post", "runscript", "test", "environment" })
        {
            AssertParses(sections[script]);
        }
    }

    /// <summary>The tool the images run answers --version, the check both definitions make while building.</summary>
    [Fact]
    public void The_version_check_the_images_run_succeeds()
    {
        Tool.Result version = Tool.Run(Tool.RepoRoot, "--version");
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Stdout);
    }

    private static Dictionary<string, string> Sections(string text)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in Section().Matches(text))
        {
            sections[m.Groups["name"].Value] = m.Groups["body"].Value;
        }
        return sections;
    }

    private static void AssertParses(string script)
    {
        HtCondorPool.Result check = HtCondorPool.Shell("bash", "-n", "-c", script);
        Assert.True(check.ExitCode == 0, $"bash -n: {check.Output}\n{script}");
    }

    [GeneratedRegex(@"tarball=\$\{1:-([^}]+)\}")]
    private static partial Regex TarballDefault();

    [GeneratedRegex(@"(?ms)^%(?<name>[a-z]+)\n(?<body>.*?)(?=^%|\z)")]
    private static partial Regex Section();
}
