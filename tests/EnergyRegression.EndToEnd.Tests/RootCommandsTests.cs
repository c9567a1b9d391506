using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EnergyRegression.TestOracles;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>
/// <c>energyreg inspect</c> and <c>energyreg dump</c> on every file of ../shared/testdata/root, compared
/// with the JSROOT oracle (tests/oracles/jsroot): tree names and entries, then every value of every
/// readable branch. One energyreg process and one node process per tree.
/// </summary>
public sealed partial class RootCommandsTests
{
    private static readonly string DataDir = Path.GetFullPath(Path.Combine(Tool.RepoRoot, "..", "shared", "testdata", "root"));

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(DataDir, "*.root").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    private static string Data(string name) => Path.Combine(DataDir, name);

    private static void RequireOracle()
    {
        if (!JsrootOracle.IsAvailable)
        {
            Assert.Fail(JsrootOracle.UnavailableReason);
        }
    }

    /// <summary>A tree as <c>inspect</c> shows it: entries and, per branch, its type and whether it is readable.</summary>
    private sealed record InspectedTree(string Path, long Entries, Dictionary<string, (string Type, string? Unsupported)> Branches);

    [GeneratedRegex(@"^TTree (?<path>.+);(?<cycle>\d+): (?<entries>\d+) entries")]
    private static partial Regex TreeLine();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Gap();

    private static Dictionary<string, InspectedTree> ParseInspect(string stdout)
    {
        var trees = new Dictionary<string, InspectedTree>(StringComparer.Ordinal);
        InspectedTree? current = null;
        foreach (string line in stdout.Split('\n'))
        {
            Match m = TreeLine().Match(line);
            if (m.Success)
            {
                string path = $"{m.Groups["path"].Value};{m.Groups["cycle"].Value}";
                current = new InspectedTree(path, long.Parse(m.Groups["entries"].Value, CultureInfo.InvariantCulture), new(StringComparer.Ordinal));
                trees.Add(path, current);
            }
            else if (current is not null && line.StartsWith("  ", StringComparison.Ordinal) && line.Trim().Length > 0)
            {
                string[] cells = Gap().Split(line.Trim());
                if (cells[0] == "branch" && cells[1] == "type")
                {
                    continue;
                }
                string? unsupported = cells.FirstOrDefault(c => c.StartsWith("unsupported: ", StringComparison.Ordinal));
                current.Branches.TryAdd(cells[0], (cells[1], unsupported));
            }
            else if (line.Length == 0)
            {
                current = null;
            }
        }
        return trees;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Inspect_and_dump_agree_with_jsroot(string name)
    {
        RequireOracle();
        string file = Data(name);
        Tool.Result inspect = Tool.Run(DataDir, "inspect", file);
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        Dictionary<string, InspectedTree> trees = ParseInspect(inspect.Stdout);

        JsonElement listing = JsrootOracle.List(file);
        var expected = listing.GetProperty("keys").EnumerateArray()
            .Where(k => k.GetProperty("class").GetString() == "TTree")
            .ToDictionary(k => $"{k.GetProperty("path").GetString()};{k.GetProperty("cycle").GetInt32()}", k => k.GetProperty("entries").GetInt64());
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), trees.Keys.Order(StringComparer.Ordinal));
        foreach ((string path, long entries) in expected)
        {
            Assert.Equal(entries, trees[path].Entries);
        }

        foreach (InspectedTree tree in trees.Values)
        {
            CompareTree(file, tree);
        }
    }

    private static void CompareTree(string file, InspectedTree tree)
    {
        Tool.Result dump = Tool.Run(DataDir, "dump", file, "--tree", tree.Path);
        Assert.True(dump.ExitCode == 0, $"{tree.Path}: {dump}");
        List<JsonElement> ours = ParseLines(dump.Stdout);
        JsrootDump theirs = JsrootOracle.DumpDetailed(file, tree.Path);
        Assert.Equal(tree.Entries, ours.Count);
        Assert.Equal(theirs.Rows.Count, ours.Count);
        if (ours.Count == 0)
        {
            return;
        }

        // Every branch inspect calls readable is dumped, and nothing else.
        var columns = ours[0].EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(tree.Branches.Where(b => b.Value.Unsupported is null).Select(b => b.Key).Order(StringComparer.Ordinal),
            columns.Order(StringComparer.Ordinal));

        // Every column JSROOT reads is either dumped by energyreg or reported unsupported by inspect
        // (leaf lists: JSROOT's object "x" is energyreg's "x.a", "x.b", ...).
        foreach (JsonProperty column in theirs.Rows[0].EnumerateObject())
        {
            bool dumped = columns.Contains(column.Name) || columns.Any(c => c.StartsWith(column.Name + ".", StringComparison.Ordinal));
            Assert.True(dumped || tree.Branches.GetValueOrDefault(column.Name).Unsupported is not null,
                $"{file} {tree.Path}: JSROOT reads '{column.Name}', energyreg neither dumps it nor reports it unsupported");
        }

        for (int i = 0; i < ours.Count; i++)
        {
            foreach (JsonProperty value in ours[i].EnumerateObject())
            {
                string where = $"{Path.GetFileName(file)} {tree.Path} entry {i} branch {value.Name}";
                if (!TryJsroot(theirs.Rows[i], value.Name, out JsonElement reference))
                {
                    Assert.True(theirs.Unreadable.ContainsKey(value.Name), $"{where}: JSROOT has no such column");
                    continue; // compared below with the file's known contents (only ai1 of the sample files)
                }
                string type = tree.Branches[value.Name].Type;
                AssertSame(reference, value.Value, type.StartsWith("float32", StringComparison.Ordinal)
                    || type.Contains("<float32>", StringComparison.Ordinal), where);
            }
        }

        foreach (string column in theirs.Unreadable.Keys.Where(columns.Contains))
        {
            // JSROOT reads Char_t[3] (ai1 in the sample files) as a C string and loses everything from
            // the first 0 byte (oracle README). Where it can read it (entries 0..11) it must agree;
            // the whole column must follow the files' known contents: ai1[i] = [i - 14, i - 13, i - 12].
            Assert.Equal("ai1", column);
            IReadOnlyList<JsonElement> head = JsrootOracle.Dump(file, tree.Path, [column], (0, 12));
            for (int i = 0; i < head.Count; i++)
            {
                AssertSame(head[i].GetProperty(column), ours[i].GetProperty(column), false, $"{tree.Path} entry {i} {column}");
            }
            for (int i = 0; i < ours.Count; i++)
            {
                int[] values = [.. ours[i].GetProperty(column).EnumerateArray().Select(v => v.GetInt32())];
                Assert.Equal([i - 14, i - 13, i - 12], values);
            }
        }
    }

    /// <summary>The JSROOT value of an energyreg column: same name, or member "leaf" of JSROOT's leaf-list object "branch".</summary>
    private static bool TryJsroot(JsonElement row, string column, out JsonElement value)
    {
        if (row.TryGetProperty(column, out value))
        {
            return true;
        }
        int dot = column.LastIndexOf('.');
        return dot > 0 && row.TryGetProperty(column[..dot], out JsonElement parent) && parent.ValueKind == JsonValueKind.Object
            && parent.TryGetProperty(column[(dot + 1)..], out value);
    }

    /// <summary>Compares values as values: integers, bools and strings exactly; float32 after rounding both to float; float64 exactly.</summary>
    private static void AssertSame(JsonElement expected, JsonElement actual, bool float32, string where)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Array:
                Assert.True(actual.ValueKind == JsonValueKind.Array, $"{where}: expected {expected}, got {actual}");
                Assert.True(expected.GetArrayLength() == actual.GetArrayLength(), $"{where}: expected {expected}, got {actual}");
                foreach ((JsonElement e, JsonElement a) in expected.EnumerateArray().Zip(actual.EnumerateArray()))
                {
                    AssertSame(e, a, float32, where);
                }
                break;
            case JsonValueKind.Number:
                Assert.True(actual.ValueKind == JsonValueKind.Number, $"{where}: expected {expected}, got {actual}");
                if (IsInteger(expected.GetRawText()) && IsInteger(actual.GetRawText()))
                {
                    Assert.True(decimal.Parse(expected.GetRawText(), CultureInfo.InvariantCulture) == decimal.Parse(actual.GetRawText(), CultureInfo.InvariantCulture),
                        $"{where}: expected {expected}, got {actual}");
                }
                else if (float32)
                {
                    Assert.True((float)expected.GetDouble() == (float)actual.GetDouble(), $"{where}: expected {expected} (float32), got {actual}");
                }
                else
                {
                    Assert.True(expected.GetDouble() == actual.GetDouble(), $"{where}: expected {expected}, got {actual}");
                }
                break;
            default:
                // Strings (also "NaN", "Infinity"), true/false.
                Assert.True(expected.ValueKind == actual.ValueKind && expected.GetRawText() == actual.GetRawText()
                    || expected.ValueKind == JsonValueKind.String && actual.ValueKind == JsonValueKind.String && expected.GetString() == actual.GetString(),
                    $"{where}: expected {expected}, got {actual}");
                break;
        }
    }

    private static bool IsInteger(string raw) => raw.All(c => char.IsAsciiDigit(c) || c == '-');

    private static List<JsonElement> ParseLines(string stdout)
    {
        var rows = new List<JsonElement>();
        foreach (string line in stdout.Split('\n'))
        {
            if (line.Length > 0)
            {
                using var doc = JsonDocument.Parse(line);
                rows.Add(doc.RootElement.Clone());
            }
        }
        return rows;
    }

    [Fact]
    public void Dump_reproduces_the_known_values()
    {
        Tool.Result zmumu = Tool.Run(DataDir, "dump", Data("uproot-Zmumu.root"), "--tree", "events", "--branches", "px1", "--entries", ":5");
        Assert.True(zmumu.ExitCode == 0, zmumu.ToString());
        double[] px1 = [.. ParseLines(zmumu.Stdout).Select(r => r.GetProperty("px1").GetDouble())];
        Assert.Equal([-41.1952876442, 35.1180497674, 35.1180497674, 34.1444372454, 22.7835819537], px1);

        Tool.Result inspect = Tool.Run(DataDir, "inspect", Data("uproot-Zmumu.root"));
        Assert.Equal(2304, ParseInspect(inspect.Stdout)["events;1"].Entries);

        Tool.Result nano = Tool.Run(DataDir, "dump", Data("nanoAOD_2015_CMS_Open_Data_ttbar.root"), "--tree", "Events",
            "--branches", "MET_pt,Electron_pt,Jet_pt", "--entries", "0:1");
        Assert.True(nano.ExitCode == 0, nano.ToString());
        Assert.Equal("{\"MET_pt\":33.261875,\"Electron_pt\":[],\"Jet_pt\":[17.921875,15.734375]}\n", nano.Stdout);
    }

    [Fact]
    public void Inspect_streamers_prints_the_class_layouts()
    {
        Tool.Result result = Tool.Run(DataDir, "inspect", "--streamers", Data("uproot-small-evnt-tree-fullsplit.root"));
        Assert.True(result.ExitCode == 0, result.ToString());
        string[] lines = result.Stdout.Split('\n');
        int at = Array.FindIndex(lines, l => l.StartsWith("StreamerInfo for class: Event, version=1, checksum=0x", StringComparison.Ordinal));
        Assert.True(at > 0, result.Stdout);
        Assert.Matches(@"^  TString +Beg +type= 65$", lines[at + 1]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^  short\* +SliceI16 +type= 42 \[N\]$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^  double +ArrayF64\[10\] +type= 28$"));
        Assert.Contains(lines, l => l.StartsWith("StreamerInfo for class: TTree, version=", StringComparison.Ordinal));
    }

    [Fact]
    public void Truncated_file_is_an_input_error_naming_the_file()
    {
        using var work = new TempDirectory();
        byte[] bytes = File.ReadAllBytes(Data("uproot-Zmumu.root"));
        string truncated = work.File("truncated.root");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        foreach (string[] args in new[] { new[] { "inspect", truncated }, ["dump", truncated, "--tree", "events"] })
        {
            Tool.Result result = Tool.Run(work.Path, args);
            Assert.True(result.ExitCode == 4, result.ToString());
            Assert.StartsWith($"energyreg: input error: {truncated}: ", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Unknown_branch_or_tree_is_an_input_error_with_a_suggestion()
    {
        Tool.Result branch = Tool.Run(DataDir, "dump", Data("uproot-Zmumu.root"), "--tree", "events", "--branches", "px1,pxx1");
        Assert.True(branch.ExitCode == 4, branch.ToString());
        Assert.Contains("no branch 'pxx1' (did you mean 'px1'?)", branch.Stderr, StringComparison.Ordinal);
        Assert.Contains("branches: Type, Run, Event", branch.Stderr, StringComparison.Ordinal);
        Assert.Equal("", branch.Stdout);

        Tool.Result tree = Tool.Run(DataDir, "dump", Data("uproot-Zmumu.root"), "--tree", "event");
        Assert.True(tree.ExitCode == 4, tree.ToString());
        Assert.Contains("(did you mean 'events'?)", tree.Stderr, StringComparison.Ordinal);
        Assert.Contains("trees: events;1", tree.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_branch_is_an_input_error_with_the_reason()
    {
        Tool.Result result = Tool.Run(DataDir, "dump", Data("uproot-leaflist.root"), "--tree", "tree", "--branches", "leaflist");
        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("unsupported: branch leaflist", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5:x")]
    [InlineData("5")]
    [InlineData("-1:3")]
    public void Bad_entries_is_a_usage_error(string entries)
    {
        Tool.Result result = Tool.Run(DataDir, "dump", Data("uproot-Zmumu.root"), "--tree", "events", "--entries", entries);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("usage error", result.Stderr, StringComparison.Ordinal);
    }
}
