using System.Text.RegularExpressions;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>
/// The plugin author's pages: docs/plugins/KIND.md shows every source file, test and chain of its kind's template as it is
/// (the template is compiled, tested and run by TemplateTests), and their links into the API reference lead somewhere.
/// </summary>
public sealed partial class PluginPagesTests
{
    private static readonly string[] Kinds = ["reader", "selection", "feature", "regressor", "trainable-regressor", "writer"];

    [Fact]
    public void Each_kinds_page_shows_its_templates_files_as_they_are()
    {
        var stale = new List<string>();
        foreach (string kind in Kinds)
        {
            string page = Path.Combine(Tool.RepoRoot, "docs", "plugins", $"{kind}.md");
            string text = File.ReadAllText(page);
            var shown = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match block in BlockPattern().Matches(text))
            {
                string file = block.Groups["file"].Value;
                shown.Add(file);
                if (File.ReadAllText(Path.Combine(Tool.RepoRoot, file)).TrimEnd('\n') != block.Groups["content"].Value)
                {
                    stale.Add($"{kind}.md: {file}");
                }
            }
            string folder = Path.Combine(Tool.RepoRoot, "templates", "energyreg-plugin", kind);
            IEnumerable<string> sources = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories).Append(Path.Combine(folder, "chain.yaml"))
                .Select(f => Path.GetRelativePath(Tool.RepoRoot, f));
            string[] notShown = sources.Where(f => !shown.Contains(f)).ToArray();
            Assert.True(notShown.Length == 0, $"{kind}.md does not show {string.Join(", ", notShown)}");
        }
        Assert.True(stale.Count == 0, "run scripts/update-api-docs.sh; stale blocks: " + string.Join(", ", stale));
    }

    [Fact]
    public void Links_of_the_guide_and_the_kinds_pages_lead_to_pages_and_anchors()
    {
        var broken = new List<string>();
        string[] pages = [Path.Combine(Tool.RepoRoot, "docs", "plugins.md"), .. Kinds.Select(k => Path.Combine(Tool.RepoRoot, "docs", "plugins", $"{k}.md"))];
        foreach (string page in pages)
        {
            // Links outside code blocks only.
            string text = FencePattern().Replace(File.ReadAllText(page), "");
            foreach (Match link in LinkPattern().Matches(text))
            {
                string target = link.Groups["file"].Value;
                if (target.StartsWith("http", StringComparison.Ordinal) || target.Length == 0)
                {
                    continue;
                }
                string file = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, target));
                string anchor = link.Groups["anchor"].Value;
                bool found = (File.Exists(file) || Directory.Exists(file)) && (anchor.Length == 0 || !file.Contains("/docs/api/", StringComparison.Ordinal)
                    || File.ReadAllText(file).Contains($"<a id=\"{anchor}\"></a>", StringComparison.Ordinal));
                if (!found)
                {
                    broken.Add($"{Path.GetFileName(page)}: {link.Value}");
                }
            }
        }
        Assert.True(broken.Count == 0, string.Join("\n", broken));
    }

    [GeneratedRegex(@"<!-- file: (?<file>\S+) -->\n```\w*\n(?<content>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex BlockPattern();

    [GeneratedRegex(@"```.*?```", RegexOptions.Singleline)]
    private static partial Regex FencePattern();

    [GeneratedRegex(@"\]\((?<file>[^)#\s]*)(#(?<anchor>[^)\s]+))?\)")]
    private static partial Regex LinkPattern();
}
