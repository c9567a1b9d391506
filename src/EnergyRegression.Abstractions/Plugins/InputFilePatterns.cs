using System.IO.Enumeration;

namespace EnergyRegression.Plugins;

/// <summary>
/// Expands the reader's <c>files:</c> entries: a plain path is kept as written; a pattern with <c>*</c> or
/// <c>?</c> in any path segment (<c>data/run*/part-?.root</c>) becomes its matching files, sorted ordinally.
/// </summary>
public static class InputFilePatterns
{
    private static readonly char[] Wildcards = ['*', '?'];

    /// <summary>Checks a reader's <c>files:</c> key: at least one entry, none blank (errors name <paramref name="key"/>).</summary>
    public static void Validate(IReadOnlyCollection<string>? entries, string key = "files")
    {
        if (entries is null || entries.Count == 0)
        {
            throw new ConfigValueException(key, "Give at least one input file.");
        }
        if (entries.Any(string.IsNullOrWhiteSpace))
        {
            throw new ConfigValueException(key, "A file name is empty.");
        }
    }

    /// <summary>The files of every entry, in entry order; throws <see cref="FileNotFoundException"/> naming an entry that matches nothing.</summary>
    public static List<string> Expand(IEnumerable<string> entries)
    {
        var files = new List<string>();
        foreach (string entry in entries)
        {
            if (entry.IndexOfAny(Wildcards) < 0)
            {
                if (!File.Exists(entry))
                {
                    throw new FileNotFoundException($"Input file '{entry}' does not exist.", entry);
                }
                files.Add(entry);
                continue;
            }
            List<string> matches = Match(entry);
            if (matches.Count == 0)
            {
                throw new FileNotFoundException($"No file matches the pattern '{entry}'.", entry);
            }
            matches.Sort(StringComparer.Ordinal);
            files.AddRange(matches);
        }
        return files;
    }

    private static List<string> Match(string pattern)
    {
        // Walk the segments: literal segments are appended, wildcard segments enumerate the directory.
        string[] segments = pattern.Split('/', '\\');
        var current = new List<string> { Path.IsPathRooted(pattern) ? Path.GetPathRoot(pattern)! : "" };
        for (int i = Path.IsPathRooted(pattern) ? 1 : 0; i < segments.Length; i++)
        {
            string segment = segments[i];
            bool last = i == segments.Length - 1;
            var next = new List<string>();
            foreach (string directory in current)
            {
                if (segment.IndexOfAny(Wildcards) < 0)
                {
                    string path = Path.Combine(directory, segment);
                    if (last ? File.Exists(path) : Directory.Exists(path))
                    {
                        next.Add(path);
                    }
                    continue;
                }
                string searchIn = directory.Length == 0 ? "." : directory;
                if (!Directory.Exists(searchIn))
                {
                    continue;
                }
                IEnumerable<string> candidates = last ? Directory.EnumerateFiles(searchIn) : Directory.EnumerateDirectories(searchIn);
                foreach (string candidate in candidates)
                {
                    string name = Path.GetFileName(candidate);
                    if (FileSystemName.MatchesSimpleExpression(segment, name, ignoreCase: false))
                    {
                        next.Add(Path.Combine(directory, name));
                    }
                }
            }
            current = next;
        }
        return current;
    }
}
