using System.Globalization;
using System.Text.RegularExpressions;
using EnergyRegression.Core.Configuration;
using EnergyRegression.Core.Running;

namespace EnergyRegression.Core.Tests.Configuration;

/// <summary>
/// Every file in Configuration/BrokenChains must fail to load or build with a <see cref="ConfigurationException"/>
/// at the line and column, and with the message fragment, given by its first line:
/// <c># expect: LINE:COLUMN fragment</c>.
/// </summary>
public sealed partial class BrokenChainTests
{
    private static readonly string CorpusDirectory = Path.Combine(AppContext.BaseDirectory, "Configuration", "BrokenChains");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.EnumerateFiles(CorpusDirectory, "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Fact]
    public void Corpus_has_enough_files()
    {
        Assert.True(Directory.Exists(CorpusDirectory), $"{CorpusDirectory} was not copied to the output");
        Assert.True(Directory.EnumerateFiles(CorpusDirectory, "*.yaml").Count() >= 24);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Broken_chain_is_reported_at_the_expected_place(string fileName) => Check(fileName);

    private static void Check(string fileName)
    {
        string path = Path.Combine(CorpusDirectory, fileName);
        string text = File.ReadAllText(path);
        Match expect = ExpectLine().Match(text);
        Assert.True(expect.Success, $"{fileName} does not start with '# expect: LINE:COLUMN fragment'");
        int line = int.Parse(expect.Groups["line"].Value, CultureInfo.InvariantCulture);
        int column = int.Parse(expect.Groups["column"].Value, CultureInfo.InvariantCulture);
        string fragment = expect.Groups["fragment"].Value.Trim();

        var error = Assert.Throws<ConfigurationException>(() => Load(text, path));

        Assert.True(error.Line == line && error.Column == column && error.Detail.Contains(fragment, StringComparison.Ordinal),
            $"expected {line}:{column} with \"{fragment}\"; got {error.Line}:{error.Column}: {error.Detail}");
        Assert.Equal(path, error.File);
        Assert.StartsWith($"{path}:{line}:{column}: ", error.Message, StringComparison.Ordinal);
    }

    private static void Load(string text, string path)
    {
        var file = ChainFile.Parse(text, path);
        using var chain = Chain.Build(file, TestPlugins.Catalog(), TestPlugins.Context());
    }

    [GeneratedRegex(@"\A# expect: (?<line>\d+):(?<column>\d+) (?<fragment>[^\r\n]+)")]
    private static partial Regex ExpectLine();
}
