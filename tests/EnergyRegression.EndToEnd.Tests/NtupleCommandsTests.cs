using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EnergyRegression.TestOracles;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>
/// RNTuples through the real tool: <c>inspect</c> and <c>dump</c> of every file of ../shared/testdata/rntuple compared
/// with JSROOT (tests/oracles/jsroot) on every field it reads; <c>simulate --format rntuple</c> read back by JSROOT
/// equal to the TTree twin; <c>energyreg run</c> over the RNTuple twin writing what it writes over the TTree.
/// </summary>
public sealed partial class NtupleCommandsTests
{
    private static readonly string DataDir = Path.GetFullPath(Path.Combine(Tool.RepoRoot, "..", "shared", "testdata", "rntuple"));

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(DataDir, "*.root").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        data.Add("../root/ntpl001_staff_rntuple_v1-0-0-0.root");
        return data;
    }

    /// <summary>
    /// Values JSROOT 7.11.2 misreads, with the reason; NtupleKnownValuesTests (tests/EnergyRegression.Root.Tests) checks
    /// them against the files' known contents instead.
    /// </summary>
    private static readonly Dictionary<(string File, string Field), string> JsrootMisreads = new()
    {
        [("test_extension_columns_rntuple_v1-0-0-0.root", "float_field")] = "JSROOT reads a deferred column's stored elements from entry 0 on, ignoring the zeros before its first element",
        [("test_float_types_rntuple_v1-0-0-0.root", "quant32")] = "JSROOT computes 2^32 − 1 with a 32-bit shift: (1 << 32) − 1 = 0, so every 32-bit quantized value comes out ±Infinity",
    };

    [GeneratedRegex(@"^RNTuple (?<path>.+);(?<cycle>\d+): (?<entries>\d+) entries")]
    private static partial Regex NtupleLine();

    private static void RequireOracle()
    {
        if (!JsrootOracle.IsAvailable)
        {
            Assert.Fail(JsrootOracle.UnavailableReason);
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Inspect_and_dump_agree_with_jsroot(string name)
    {
        RequireOracle();
        string file = Path.GetFullPath(Path.Combine(DataDir, name));
        Tool.Result inspect = Tool.Run(DataDir, "inspect", file);
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        var ntuples = inspect.Stdout.Split('\n').Select(l => NtupleLine().Match(l)).Where(m => m.Success)
            .ToDictionary(m => m.Groups["path"].Value, m => long.Parse(m.Groups["entries"].Value, CultureInfo.InvariantCulture));
        JsonElement listing = JsrootOracle.List(file);
        var expected = listing.GetProperty("keys").EnumerateArray()
            .Where(k => k.GetProperty("class").GetString() == "ROOT::RNTuple")
            .ToDictionary(k => k.GetProperty("path").GetString()!, k => k.GetProperty("entries").GetInt64());
        Assert.Equal(expected, ntuples);

        foreach ((string path, long entries) in ntuples)
        {
            // The 10^8-entry file: its first, middle and last entries (every entry would take JSROOT an hour).
            (long Start, long Stop)[] ranges = entries <= 60_000 ? [(0, entries)] : [(0, 1000), (49_999_500, 50_000_500), (entries - 1000, entries)];
            foreach ((long start, long stop) in ranges)
            {
                Compare(name, file, path, start, stop);
            }
        }
    }

    private static void Compare(string name, string file, string path, long start, long stop)
    {
        string range = string.Create(CultureInfo.InvariantCulture, $"{start}:{stop}");
        Tool.Result dump = Tool.Run(DataDir, "dump", file, "--tree", path, "--entries", range);
        Assert.True(dump.ExitCode == 0, $"{path}: {dump}");
        List<JsonElement> ours = ParseLines(dump.Stdout);
        JsrootDump theirs = JsrootOracle.DumpDetailed(file, path, null, (start, stop));
        Assert.Equal(stop - start, ours.Count);
        Assert.Equal(theirs.Rows.Count, ours.Count);
        if (ours.Count == 0)
        {
            return;
        }
        var fields = ours[0].EnumerateObject().Select(p => p.Name).ToList();
        // Every field JSROOT reads, energyreg reads too.
        Assert.Empty(theirs.Rows[0].EnumerateObject().Select(p => p.Name).Except(fields));
        int compared = 0;
        Dictionary<string, long[]> containers = start == 0 ? ContainerSizes(ours, theirs) : [];
        foreach (string field in fields)
        {
            if (JsrootMisreads.ContainsKey((Path.GetFileName(name), field)) || JsrootMisreadsAuxMember(name, path, field, containers, ours, theirs))
            {
                continue;
            }
            if (!theirs.Rows[0].TryGetProperty(field, out _))
            {
                Assert.True(theirs.Unreadable.ContainsKey(field), $"{name} {path}: JSROOT neither reads {field} nor reports why");
                continue;
            }
            long items = 0;
            for (int i = 0; i < ours.Count; i++)
            {
                JsonElement expected = theirs.Rows[i].GetProperty(field);
                JsonElement actual = ours[i].GetProperty(field);
                string where = $"{name} {path} entry {start + i} field {field}";
                if (expected.ValueKind == JsonValueKind.Number && actual.ValueKind == JsonValueKind.Array && !IsBits(actual))
                {
                    // A collection of records without columns (ATLAS's DataVector of bare xAOD objects): JSROOT gives the
                    // raw index column, the end of the entry's items counted from the cluster's start (these ranges start one).
                    items += actual.GetArrayLength();
                    Assert.True(expected.GetInt64() == items, $"{where}: JSROOT's collection index {expected}, energyreg's items end at {items}");
                    continue;
                }
                AssertSame(expected, actual, where);
            }
            compared++;
        }
        Assert.True(compared > 0 || theirs.Unreadable.Count == fields.Count, $"{name} {path}: nothing compared");
        CheckUnreadableContainers(name, path, ours, theirs, containers);
    }

    /// <summary>
    /// ATLAS PHYSLITE: the number of objects per entry of each xAOD container <c>X</c> (a collection of records without
    /// columns), from the index column JSROOT gives for it (the end of each entry's items; the range starts at 0).
    /// </summary>
    private static Dictionary<string, long[]> ContainerSizes(List<JsonElement> ours, JsrootDump theirs)
    {
        var sizes = new Dictionary<string, long[]>();
        foreach (JsonProperty p in theirs.Rows[0].EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Number && ours[0].TryGetProperty(p.Name, out JsonElement a) && a.ValueKind == JsonValueKind.Array)
            {
                long[] ends = [.. theirs.Rows.Select(r => r.GetProperty(p.Name).GetInt64())];
                sizes[p.Name] = [.. ends.Select((end, i) => end - (i == 0 ? 0 : ends[i - 1]))];
            }
        }
        return sizes;
    }

    /// <summary>
    /// ATLAS PHYSLITE: every member vector <c>XAuxDyn:y</c> holds one item per object of container <c>X</c>, so energyreg's
    /// sizes must equal the container's (asserted here). JSROOT 7.11.2 reads some members added while writing (schema
    /// extension) from another field's columns: its sizes then differ from the container's it reads itself, in 57 of
    /// the file's 696 member vectors (for example FourLeptonVerticesAuxDyn:x has HLTNav_RepackedFeatures_METAuxDyn's sizes, and
    /// AnalysisElectronsAuxDyn:pt sixteen denormal floats where the event has no electron). True for those: their values
    /// are then not compared with JSROOT's.
    /// </summary>
    private static bool JsrootMisreadsAuxMember(string name, string path, string field, Dictionary<string, long[]> containers,
        List<JsonElement> ours, JsrootDump theirs)
    {
        int at = field.IndexOf("AuxDyn:", StringComparison.Ordinal);
        if (at < 0 || !containers.TryGetValue(field[..at], out long[]? sizes) || ours[0].GetProperty(field).ValueKind != JsonValueKind.Array)
        {
            return false;
        }
        bool jsrootAgrees = true;
        for (int i = 0; i < ours.Count; i++)
        {
            Assert.True(ours[i].GetProperty(field).GetArrayLength() == sizes[i],
                $"{name} {path} entry {i}: {field} has {ours[i].GetProperty(field).GetArrayLength()} items, container {field[..at]} {sizes[i]} objects");
            jsrootAgrees &= !theirs.Rows[i].TryGetProperty(field, out JsonElement e) || e.ValueKind != JsonValueKind.Array || e.GetArrayLength() == sizes[i];
        }
        return !jsrootAgrees;
    }

    /// <summary>
    /// ATLAS PHYSLITE: JSROOT fails on some "Container:member" vectors (in its page handling). Each still must have, per
    /// entry, as many items as the members of the same container JSROOT does read: the objects of one container
    /// (members of the containers in <paramref name="containers"/> were checked against the container's sizes already).
    /// </summary>
    private static void CheckUnreadableContainers(string name, string path, List<JsonElement> ours, JsrootDump theirs,
        Dictionary<string, long[]> containers)
    {
        foreach (IGrouping<string, string> container in theirs.Unreadable.Keys.Where(k => k.Contains(':', StringComparison.Ordinal))
            .GroupBy(k => k[..k.IndexOf(':', StringComparison.Ordinal)]))
        {
            if (container.Key.EndsWith("AuxDyn", StringComparison.Ordinal) && containers.ContainsKey(container.Key[..^"AuxDyn".Length]))
            {
                continue;
            }
            string? reference = theirs.Rows[0].EnumerateObject().Select(p => p.Name)
                .FirstOrDefault(f => f.StartsWith(container.Key + ":", StringComparison.Ordinal) && theirs.Rows[0].GetProperty(f).ValueKind == JsonValueKind.Array);
            if (reference is null)
            {
                continue;
            }
            foreach (string field in container)
            {
                for (int i = 0; i < ours.Count; i++)
                {
                    JsonElement value = ours[i].GetProperty(field);
                    if (value.ValueKind == JsonValueKind.Array)
                    {
                        Assert.True(theirs.Rows[i].GetProperty(reference).GetArrayLength() == value.GetArrayLength(),
                            $"{name} {path} entry {i}: {field} has {value.GetArrayLength()} items, {reference} (read by JSROOT) {theirs.Rows[i].GetProperty(reference).GetArrayLength()}");
                    }
                }
            }
        }
    }

    /// <summary>
    /// Compares a JSROOT value with energyreg's, minding JSROOT's forms: numbers as numbers (float32 rounded, 64-bit
    /// integers as JavaScript numbers), <c>std::pair</c> members as first/second (energyreg: _0/_1), a bitset as its
    /// number (energyreg: its bits), a <c>char</c> as a one-letter string (energyreg: its code), and a collection of
    /// records without columns as its size.
    /// </summary>
    private static void AssertSame(JsonElement expected, JsonElement actual, string where)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Array:
                Assert.True(actual.ValueKind == JsonValueKind.Array && expected.GetArrayLength() == actual.GetArrayLength(), $"{where}: expected {expected}, got {actual}");
                foreach ((JsonElement e, JsonElement a) in expected.EnumerateArray().Zip(actual.EnumerateArray()))
                {
                    AssertSame(e, a, where);
                }
                return;
            case JsonValueKind.Object:
                Assert.True(actual.ValueKind == JsonValueKind.Object, $"{where}: expected {expected}, got {actual}");
                foreach (JsonProperty p in expected.EnumerateObject())
                {
                    string member = p.Name switch { "first" => "_0", "second" => "_1", _ => p.Name };
                    Assert.True(actual.TryGetProperty(member, out JsonElement a) || actual.TryGetProperty(p.Name, out a), $"{where}: no member {p.Name} in {actual}");
                    AssertSame(p.Value, a, $"{where}.{p.Name}");
                }
                return;
            case JsonValueKind.Number when actual.ValueKind == JsonValueKind.Array && IsBits(actual):
                decimal bits = actual.EnumerateArray().Select((b, i) => b.GetBoolean() ? (decimal)Math.Pow(2, i) : 0).Sum();
                Assert.True(bits == expected.GetDecimal(), $"{where}: JSROOT's bitset {expected}, our bits {actual}");
                return;
            case JsonValueKind.String when actual.ValueKind == JsonValueKind.Number && expected.GetString()!.Length == 1:
                Assert.True((sbyte)expected.GetString()![0] == actual.GetInt32(), $"{where}: JSROOT's char {expected}, got {actual}");
                return;
            case JsonValueKind.Number:
                Assert.True(actual.ValueKind == JsonValueKind.Number, $"{where}: expected {expected}, got {actual}");
                double e2 = expected.GetDouble();
                double a2 = actual.GetDouble();
                Assert.True(e2 == a2 || (float)e2 == (float)a2, $"{where}: expected {expected}, got {actual}");
                return;
            default:
                Assert.True(expected.ValueKind == actual.ValueKind && expected.GetRawText() == actual.GetRawText(), $"{where}: expected {expected}, got {actual}");
                return;
        }
    }

    private static bool IsBits(JsonElement array) =>
        array.GetArrayLength() > 0 && array.EnumerateArray().All(b => b.ValueKind is JsonValueKind.True or JsonValueKind.False);

    /// <summary>The numbers of a value, flat (JSROOT gives a TTree's fixed arrays flat, an RNTuple's std::arrays nested).</summary>
    private static List<JsonElement> Flat(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            return [e];
        }
        return [.. e.EnumerateArray().SelectMany(Flat)];
    }

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
    public void Simulated_rntuple_twin_reads_in_jsroot_as_the_ttree_and_a_chain_over_it_writes_the_same()
    {
        RequireOracle();
        using var work = new TempDirectory();
        string[] common = ["simulate", "--process", "zee", "--events", "300", "--seed", "8", "--pileup", "10", "--window", "8", "--quiet"];
        Tool.Result tree = Tool.Run(work.Path, [.. common, "--output", "zee-tree.root"]);
        Assert.True(tree.ExitCode == 0, tree.ToString());
        Tool.Result ntuple = Tool.Run(work.Path, [.. common, "--output", "zee-ntuple.root", "--format", "rntuple"]);
        Assert.True(ntuple.ExitCode == 0, ntuple.ToString());
        Tool.Result inspect = Tool.Run(work.Path, "inspect", work.File("zee-ntuple.root"));
        Assert.Contains("RNTuple Events;1: 300 entries", inspect.Stdout, StringComparison.Ordinal);
        Assert.Contains("std::vector<std::array<std::array<float,8>,8>>", inspect.Stdout, StringComparison.Ordinal);

        // JSROOT reads both twins alike: every branch of the TTree as the field of the same name.
        IReadOnlyList<JsonElement> fromTree = JsrootOracle.Dump(work.File("zee-tree.root"), "Events");
        JsrootDump fromNtuple = JsrootOracle.DumpDetailed(work.File("zee-ntuple.root"), "Events");
        Assert.Empty(fromNtuple.Unreadable);
        Assert.Equal(fromTree.Count, fromNtuple.Rows.Count);
        for (int i = 0; i < fromTree.Count; i++)
        {
            foreach (JsonProperty branch in fromTree[i].EnumerateObject())
            {
                List<JsonElement> expected = Flat(branch.Value);
                List<JsonElement> actual = Flat(fromNtuple.Rows[i].GetProperty(branch.Name));
                Assert.True(expected.Count == actual.Count, $"entry {i} {branch.Name}: {expected.Count} values in the TTree, {actual.Count} in the RNTuple");
                for (int k = 0; k < expected.Count; k++)
                {
                    AssertSame(expected[k], actual[k], $"entry {i} {branch.Name}[{k}]");
                }
            }
        }

        // The same chain over either twin writes the same output.
        foreach (string twin in new[] { "tree", "ntuple" })
        {
            string chain = work.Write($"chain-{twin}.yaml", $"""
                name: twin
                batch_size: 64
                reader:
                  type: root
                  with:
                    files: ["{work.File($"zee-{twin}.root")}"]
                    tree: Events
                stages:
                  - type: filter
                    with: {"{"}expression: "Electron_pt > 20"{"}"}
                  - type: define
                    with: {"{"}name: Electron_energyCalib, expression: "Electron_energy * 1.01"{"}"}
                writer:
                  type: json
                  with:
                    path: "{work.File($"out-{twin}.jsonl")}"
                """);
            Tool.Result run = Tool.Run(work.Path, "run", chain, "--quiet");
            Assert.True(run.ExitCode == 0, run.ToString());
        }
        Assert.Equal(File.ReadAllText(work.File("out-tree.jsonl")), File.ReadAllText(work.File("out-ntuple.jsonl")));
        Assert.True(new FileInfo(work.File("out-tree.jsonl")).Length > 10_000);
    }

    [Fact]
    public void A_damaged_rntuple_is_an_input_error_naming_file_field_and_entries()
    {
        using var work = new TempDirectory();
        Tool.Result simulate = Tool.Run(work.Path, "simulate", "--process", "zee", "--events", "200", "--seed", "2", "--window", "8", "--quiet",
            "--output", "zee.root", "--format", "rntuple");
        Assert.True(simulate.ExitCode == 0, simulate.ToString());
        byte[] bytes = File.ReadAllBytes(work.File("zee.root"));
        // Somewhere in the middle of the pages (the window values take most of the file).
        bytes[bytes.Length / 2] ^= 0x04;
        File.WriteAllBytes(work.File("damaged.root"), bytes);
        Tool.Result dump = Tool.Run(work.Path, "dump", work.File("damaged.root"), "--tree", "Events");
        Assert.Equal(4, dump.ExitCode);
        Assert.Contains("damaged.root", dump.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"field \S+, entries \d+–\d+", dump.Stderr);
        Assert.Contains("checksum mismatch", dump.Stderr, StringComparison.Ordinal);

        string chain = work.Write("chain.yaml", """
            name: damaged
            reader:
              type: root
              with: {files: ["DAMAGED"], tree: Events}
            writer:
              type: json
              with: {path: "OUT"}
            """.Replace("DAMAGED", work.File("damaged.root"), StringComparison.Ordinal).Replace("OUT", work.File("out.jsonl"), StringComparison.Ordinal));
        Tool.Result run = Tool.Run(work.Path, "run", chain, "--quiet");
        Assert.Equal(4, run.ExitCode);
        Assert.Matches(@"RNTuple Events, field \S+, entries \d+–\d+", run.Stderr);
        Assert.Contains("checksum mismatch", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(work.File("out.jsonl")));
    }

    /// <summary>
    /// Fields outside format 1.0's readable set — an object stored with the ROOT streamer (a TGraphErrors, structural
    /// role 0x04), a column type of a later format version (0x30), a structural role of a later version (0x07) — made by
    /// editing the schema of a simulated RNTuple (checksums restored): asking for one is exit 4 with "not supported:
    /// field X of type Y: reason"; dumping everything warns about each and prints the other fields unchanged; a chain
    /// naming one under branches: stops before reading with that reason (exit 3, as for a TTree branch).
    /// </summary>
    [Fact]
    public void Fields_of_unsupported_kinds_are_refused_by_name_and_type_while_the_others_read()
    {
        using var work = new TempDirectory();
        Tool.Result print = Tool.Run(work.Path, "simulate", "--process", "zee", "--events", "40", "--seed", "5", "--window", "5", "--quiet",
            "--output", work.File("zee.root"), "--format", "rntuple", "--print-chain");
        Assert.True(print.ExitCode == 0, print.ToString());
        // Uncompressed, so that the header can be edited in place.
        string simulate = work.Write("simulate.yaml", print.Stdout.TrimEnd() + "\n    compression: none\n");
        Tool.Result written = Tool.Run(work.Path, "run", simulate, "--quiet");
        Assert.True(written.ExitCode == 0, written.ToString());
        byte[] patched = NtupleHeaderPatch.Patch(File.ReadAllBytes(work.File("zee.root")), "Events", new NtupleHeaderPatch.Edits()
            .Role("Pileup_nPU", 0x04).TypeName("Pileup_nPU", "TGraphErrors")
            .FirstColumnType("rho", 0x30)
            .Role("GenZ_mass", 0x07));
        File.WriteAllBytes(work.File("patched.root"), patched);

        (string Field, string Message)[] refused =
        [
            ("Pileup_nPU", "not supported: field Pileup_nPU of type TGraphErrors: objects stored with the ROOT streamer"),
            ("rho", "not supported: field rho of type float: column 4 has type 0x30, which is not part of format 1.0"),
            ("GenZ_mass", "not supported: field GenZ_mass of type float: structural role 0x07 is not part of format 1.0"),
        ];
        foreach ((string field, string message) in refused)
        {
            Tool.Result one = Tool.Run(work.Path, "dump", work.File("patched.root"), "--tree", "Events", "--branches", $"run,{field}");
            Assert.True(one.ExitCode == 4, one.ToString());
            Assert.True(one.Stderr.Contains(message, StringComparison.Ordinal), one.ToString());
            Assert.Contains("patched.root", one.Stderr, StringComparison.Ordinal);
            Assert.Equal("", one.Stdout);
        }

        Tool.Result all = Tool.Run(work.Path, "dump", work.File("patched.root"), "--tree", "Events");
        Assert.True(all.ExitCode == 0, all.ToString());
        foreach ((string field, string message) in refused)
        {
            Assert.Contains(message["not supported: ".Length..], all.Stderr, StringComparison.Ordinal);
        }
        Tool.Result original = Tool.Run(work.Path, "dump", work.File("zee.root"), "--tree", "Events");
        List<JsonElement> before = ParseLines(original.Stdout);
        List<JsonElement> after = ParseLines(all.Stdout);
        Assert.Equal(40, after.Count);
        for (int i = 0; i < after.Count; i++)
        {
            var fields = after[i].EnumerateObject().Select(p => p.Name).ToList();
            Assert.Equal(before[i].EnumerateObject().Select(p => p.Name).Where(n => !refused.Any(r => r.Field == n)), fields);
            foreach (string field in fields)
            {
                Assert.Equal(before[i].GetProperty(field).GetRawText(), after[i].GetProperty(field).GetRawText());
            }
        }

        string chain = work.Write("chain.yaml", $$"""
            name: unsupported
            reader:
              type: root
              with: {files: ["{{work.File("patched.root")}}"], tree: Events, branches: [run, rho]}
            writer:
              type: json
              with: {path: "{{work.File("out.jsonl")}}"}
            """);
        Tool.Result run = Tool.Run(work.Path, "run", chain, "--quiet");
        // As for a TTree branch the reader cannot read: a value of the chain (branches:) the input cannot satisfy, reported
        // at that key (exit 3, docs/formats/rntuple.md "Errors"), with the library's reason.
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("'branches': Field 'rho' (float) of RNTuple Events cannot be read", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("field rho of type float: column 4 has type 0x30, which is not part of format 1.0", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(work.File("out.jsonl")));
    }
}
