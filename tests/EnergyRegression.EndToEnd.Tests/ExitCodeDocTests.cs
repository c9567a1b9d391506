using System.Text.RegularExpressions;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>The exit codes documented in docs/exit-codes.md and the README are exactly those ExitCodes.cs defines.</summary>
public sealed partial class ExitCodeDocTests
{
    [Fact]
    public void Documented_exit_codes_equal_the_defined_ones()
    {
        string source = File.ReadAllText(Path.Combine(Tool.RepoRoot, "src", "EnergyRegression.Cli", "ExitCodes.cs"));
        int[] defined = ConstPattern().Matches(source).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .Order().ToArray();
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 130], defined);

        foreach (string doc in new[] { "docs/exit-codes.md", "README.md" })
        {
            string text = File.ReadAllText(Path.Combine(Tool.RepoRoot, doc));
            int[] documented = RowPattern().Matches(text)
                .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Order().ToArray();
            Assert.True(defined.SequenceEqual(documented), $"{doc} documents {string.Join(", ", documented)}");
        }
    }

    [GeneratedRegex(@"public const int \w+ = (\d+);")]
    private static partial Regex ConstPattern();

    [GeneratedRegex(@"^\| (\d+) \|", RegexOptions.Multiline)]
    private static partial Regex RowPattern();
}
