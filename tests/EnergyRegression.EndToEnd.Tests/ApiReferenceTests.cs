using System.Text.RegularExpressions;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>
/// docs/api, the API reference of the plugin authors' packages: equal to what the build generates (artifacts/CONFIG/api,
/// tools/EnergyRegression.ApiDocs), complete against the public API files the analyzer keeps (PublicAPI.*.txt), and every
/// link in it resolving to a page and an anchor.
/// </summary>
public sealed partial class ApiReferenceTests
{
    private static string Committed => Path.Combine(Tool.RepoRoot, "docs", "api");

    private static string Built => Path.Combine(Tool.RepoRoot, "artifacts", Tool.Configuration, "api");

    [Fact]
    public void Docs_api_is_what_the_build_generates()
    {
        Assert.True(File.Exists(Path.Combine(Built, "README.md")), $"the build writes {Built}");
        string[] committed = Directory.GetFiles(Committed).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        string[] built = Directory.GetFiles(Built).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        string[] differing = built.Intersect(committed)
            .Where(f => File.ReadAllText(Path.Combine(Built, f)) != File.ReadAllText(Path.Combine(Committed, f))).ToArray();
        Assert.True(committed.SequenceEqual(built) && differing.Length == 0,
            $"docs/api differs from the build's API reference (run scripts/update-api-docs.sh): missing [{string.Join(", ", built.Except(committed))}], "
            + $"extra [{string.Join(", ", committed.Except(built))}], changed [{string.Join(", ", differing)}]");
    }

    [Theory]
    [InlineData("EnergyRegression.Abstractions")]
    [InlineData("EnergyRegression.Testing")]
    public void Every_public_type_has_a_page_and_every_public_member_a_heading_on_it(string project)
    {
        string folder = Path.Combine(Tool.RepoRoot, "src", project);
        // Lines of the analyzer's files, without modifiers (static, abstract, virtual, override, const, ...) and the '~' of
        // members outside nullable context.
        string[] api = File.ReadAllLines(Path.Combine(folder, "PublicAPI.Shipped.txt")).Concat(File.ReadAllLines(Path.Combine(folder, "PublicAPI.Unshipped.txt")))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => Regex.Replace(l.TrimStart('~'), "^(?:[a-z]+ )+", "")).ToArray();
        // A type line is a bare name; a member line has the member after the type's name.
        string[] types = api.Where(l => !l.Contains(' ', StringComparison.Ordinal) && !l.Contains('(', StringComparison.Ordinal)).ToArray();
        Assert.True(types.Length > 5, string.Join(", ", types));
        var missing = new List<string>();
        foreach (string line in api.Except(types))
        {
            string type = types.Where(t => line.StartsWith(t + ".", StringComparison.Ordinal)).MaxBy(t => t.Length)
                ?? throw new InvalidOperationException($"no type for '{line}'");
            string member = Regex.Match(line[(type.Length + 1)..], @"^[^(. ]+").Value;
            if (member is "<Clone>$" or "Equals" or "GetHashCode" or "ToString" or "Deconstruct" or "operator" || member == type[(type.LastIndexOf('.') + 1)..]
                && line.Contains("() -> void", StringComparison.Ordinal) && IsRecordOrStruct(type))
            {
                continue; // what the compiler writes for records and structs, summed up on the record's page
            }
            string page = Path.Combine(Committed, PageName(type));
            string shortName = member.Split('<')[0];
            if (!File.Exists(page))
            {
                missing.Add($"{type} (no page)");
            }
            else if (!File.ReadLines(page).Any(l => l.StartsWith($"### {shortName}", StringComparison.Ordinal)
                || (shortName == type[(type.LastIndexOf('.') + 1)..].Split('<')[0] && l.StartsWith("## Constructors", StringComparison.Ordinal))))
            {
                missing.Add(line);
            }
        }
        Assert.True(missing.Count == 0, "not in docs/api: " + string.Join("\n", missing));

        // The generator names a generic type's page by its arity, as the CLR does: FileEventReader<TFile> → FileEventReader-1.md.
        static string PageName(string type) =>
            Regex.Replace(type, "<([^<>]*)>", m => "-" + (m.Groups[1].Value.Count(c => c == ',') + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)) + ".md";

        bool IsRecordOrStruct(string type) =>
            File.ReadAllText(Path.Combine(Committed, PageName(type))).Contains("record", StringComparison.Ordinal);
    }

    [Fact]
    public void Every_link_in_docs_api_leads_to_a_page_and_an_anchor()
    {
        var broken = new List<string>();
        foreach (string page in Directory.GetFiles(Committed, "*.md"))
        {
            foreach (Match link in LinkPattern().Matches(File.ReadAllText(page)))
            {
                string target = link.Groups["file"].Value;
                if (target.StartsWith("http", StringComparison.Ordinal))
                {
                    continue;
                }
                string file = Path.GetFullPath(Path.Combine(Committed, target.Length == 0 ? Path.GetFileName(page) : target));
                string anchor = link.Groups["anchor"].Value;
                if (!File.Exists(file) || (anchor.Length > 0 && !File.ReadAllText(file).Contains($"<a id=\"{anchor}\"></a>", StringComparison.Ordinal)))
                {
                    broken.Add($"{Path.GetFileName(page)}: {link.Value}");
                }
            }
        }
        Assert.True(broken.Count == 0, string.Join("\n", broken));
    }

    [GeneratedRegex(@"\]\((?<file>[^)#\s]*)(#(?<anchor>[^)\s]+))?\)")]
    private static partial Regex LinkPattern();
}
