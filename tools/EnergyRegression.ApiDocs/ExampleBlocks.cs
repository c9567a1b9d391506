using System.Text.RegularExpressions;

namespace EnergyRegression.ApiDocs;

/// <summary>
/// Code blocks of the plugin pages (docs/plugins/*.md) that show a file of the repository whole: a line
/// <c>&lt;!-- file: templates/…/MyPluginSelection.cs --&gt;</c> followed by a fenced block, whose content is the file's.
/// </summary>
internal static partial class ExampleBlocks
{
    /// <summary>Rewrites the blocks of every page in <paramref name="folder"/> from the files (paths relative to <paramref name="root"/>).</summary>
    public static int Sync(string folder, string root)
    {
        int changed = 0;
        foreach (string page in Directory.EnumerateFiles(folder, "*.md"))
        {
            string text = File.ReadAllText(page);
            string synced = Block().Replace(text, m =>
            {
                string file = Path.Combine(root, m.Groups["file"].Value);
                string content = File.ReadAllText(file).TrimEnd('\n');
                return $"{m.Groups["marker"].Value}```{m.Groups["language"].Value}\n{content}\n```";
            });
            if (synced != text)
            {
                File.WriteAllText(page, synced);
                changed++;
            }
        }
        return changed;
    }

    [GeneratedRegex(@"(?<marker><!-- file: (?<file>\S+) -->\n)```(?<language>\w*)\n(?:.*?\n)??```", RegexOptions.Singleline)]
    private static partial Regex Block();
}
