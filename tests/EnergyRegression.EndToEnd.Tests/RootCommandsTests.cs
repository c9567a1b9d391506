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

    /// <summary>A tree as <c>inspect</c> shows it: entries and, per branch, its type and whether it is readable.
    /// A branch read as several columns (an object, a split object or collection, a leaf list) is marked
    /// "read as N columns" by inspect and is not dumped itself.
    /// Branches holds the first row of each name; Rows every row (names repeat across sub-branches of different objects).</summary>
    private sealed record InspectedTree(string Path, long Entries, Dictionary<string, (string Type, string? Unsupported, int? Columns)> Branches,
        List<(string Name, string? Unsupported, int? Columns)> Rows);

    [GeneratedRegex(@"^read as (?<n>\d+) columns$")]
    private static partial Regex GroupCell();

    [GeneratedRegex(@"^TTree (?<path>.+);(?<cycle>\d+): (?<entries>\d+) entries")]
    private static partial Regex TreeLine();

    [GeneratedRegex(@"warning: .*: branch (?<branch>\S+) \(.*\) is left out: \S+")]
    private static partial Regex LeftOut();

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
                current = new InspectedTree(path, long.Parse(m.Groups["entries"].Value, CultureInfo.InvariantCulture), new(StringComparer.Ordinal), []);
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
                Match group = GroupCell().Match(cells[^1]);
                int? columns = group.Success ? int.Parse(group.Groups["n"].Value, CultureInfo.InvariantCulture) : null;
                current.Branches.TryAdd(cells[0], (cells[1], unsupported, columns));
                current.Rows.Add((cells[0], unsupported, columns));
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
        if (tree.Rows.Count > 0 && tree.Rows.All(b => b.Unsupported is not null || b.Columns is not null))
        {
            // Nothing readable (e.g. a leaf list with a variable-size leaf): an input error naming why, never "{}" rows.
            Assert.True(dump.ExitCode == 4, $"{tree.Path}: {dump}");
            Assert.Contains("no branch can be read", dump.Stderr, StringComparison.Ordinal);
            Assert.Contains(tree.Rows.First(b => b.Unsupported is not null).Unsupported![13..], dump.Stderr, StringComparison.Ordinal);
            return;
        }
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
        // (Columns that share a name are dumped under their path, "parent/name", as uproot's keys.) A column whose data
        // turns out unreadable only when read (a class version the file has no streamer info for) is left out by dump
        // with a warning saying why.
        var leftOut = LeftOut().Matches(dump.Stderr).Select(m => m.Groups["branch"].Value).ToList();
        Assert.Equal(tree.Rows.Where(b => b.Unsupported is null && b.Columns is null).Select(b => b.Name).Where(n => !leftOut.Contains(n)).Order(StringComparer.Ordinal),
            columns.Select(NameOf).Order(StringComparer.Ordinal));

        // Every column JSROOT reads is either dumped by energyreg or reported unsupported by inspect
        // (objects and leaf lists: JSROOT's object "x" is energyreg's "x.a", "x.b", ...); an object of a
        // class without data members ("read as 0 columns") must hold nothing in JSROOT either.
        foreach (JsonProperty column in theirs.Rows[0].EnumerateObject())
        {
            bool dumped = columns.Contains(column.Name) || columns.Any(c => c.StartsWith(column.Name.EndsWith('.') ? column.Name : column.Name + ".", StringComparison.Ordinal));
            (string Type, string? Unsupported, int? Columns) inspected = tree.Branches.GetValueOrDefault(column.Name);
            if (!dumped && inspected.Columns == 0)
            {
                Assert.All(theirs.Rows, row => Assert.True(HoldsNoValue(row.GetProperty(column.Name)),
                    $"{file} {tree.Path}: JSROOT reads values from '{column.Name}', which inspect shows without columns: {row.GetProperty(column.Name)}"));
                continue;
            }
            bool reported = inspected.Unsupported is not null || leftOut.Any(c => c == column.Name || c.StartsWith(column.Name.EndsWith('.') ? column.Name : column.Name + ".", StringComparison.Ordinal));
            Assert.True(dumped || reported,
                $"{file} {tree.Path}: JSROOT reads '{column.Name}', energyreg neither dumps it nor reports it unsupported");
        }

        // Columns JSROOT cannot read (or misreads, see OtherSources) are checked against another source.
        string name = Path.GetFileName(file);
        var elsewhere = new SortedSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < ours.Count; i++)
        {
            foreach (JsonProperty value in ours[i].EnumerateObject())
            {
                string where = $"{name} {tree.Path} entry {i} branch {value.Name}";
                if (OtherSource(name, value.Name) is not null)
                {
                    elsewhere.Add(value.Name);
                    continue;
                }
                if (!TryJsroot(theirs.Rows[i], value.Name, b => tree.Branches.GetValueOrDefault(NameOf(b)).Type, out JsonElement reference))
                {
                    string? jsrootBranch = theirs.Unreadable.Keys.FirstOrDefault(b => value.Name == b || value.Name.StartsWith(b.EndsWith('.') ? b : b + ".", StringComparison.Ordinal));
                    Assert.True(jsrootBranch is not null, $"{where}: JSROOT has no such column");
                    Assert.Fail($"{where}: JSROOT cannot read branch {jsrootBranch} ({theirs.Unreadable[jsrootBranch]}) and the test has no other source for it");
                }
                string type = tree.Branches[NameOf(value.Name)].Type;
                AssertSame(reference, value.Value, type.StartsWith("float32", StringComparison.Ordinal)
                    || type.Contains("<float32>", StringComparison.Ordinal), where,
                    packed: type.StartsWith("Double32_t[", StringComparison.Ordinal) || type.StartsWith("Float16_t[", StringComparison.Ordinal));
            }
        }
        foreach (string column in elsewhere)
        {
            OtherSource(name, column)!(file, tree, ours, column);
        }
    }

    /// <summary>How a column JSROOT cannot read or misreads is checked instead, or null for "compare with JSROOT".</summary>
    private static Action<string, InspectedTree, List<JsonElement>, string>? OtherSource(string file, string column) => (file, column) switch
    {
        // JSROOT reads Char_t[3] (ai1 in the sample files) as a C string and loses everything from the first 0 byte
        // (oracle README): the files' known contents are ai1[i] = [i - 14, i - 13, i - 12].
        (_, "ai1") => KnownAi1,
        // JSROOT cannot read ROOT::VecOps::RVec<float> ("Not found streamer for float,RAdoptAllocator<float>");
        // the file holds the same particles as std::vector<float> in rec_part_px/py, which JSROOT reads.
        ("uproot-issue-172.root", "rec_part_px_VecOps" or "rec_part_py_VecOps") => SameAsVector,
        // JSROOT misreads unsplit TVector2/TVector3 objects (fUniqueID 65536, fY 1.7e-316): the same events are
        // in uproot-HZZ.root as flat float branches.
        ("uproot-HZZ-objects.root", _) when column.StartsWith("MET.", StringComparison.Ordinal) || column.StartsWith("MC_", StringComparison.Ordinal)
            && column != "MC_leptonpdgid" => SameAsHzz,
        // JSROOT cannot read ROOT::VecOps::RVec (it gives {"This": null}); checked by the MC particles' kinematics.
        ("uproot-issue-589.root", _) when column.StartsWith("MC_", StringComparison.Ordinal) || column.StartsWith("RP_", StringComparison.Ordinal) => ParticleKinematics,
        // JSROOT cannot read BDSIM's map<int, ParticleInfo> ("Not found streamer for ParticleInfo"): checked by
        // what Geant4's particle table must hold (PDG codes, names, charges, masses).
        (_, "Geant4Data.particles.first" or "Geant4Data.particles.second.name" or "Geant4Data.particles.second.charge" or "Geant4Data.particles.second.mass") => Geant4Particles,
        // JSROOT cannot read a lone ATLAS ElementLink ("Did not found/match element"): the hard-scatter vertex link
        // must point into the container the taus' vertex links point to (same key) at a primary vertex (vertexType 1).
        ("uproot-issue-951.root", "EventInfoAuxDyn.hardScatterVertexLink.m_persKey" or "EventInfoAuxDyn.hardScatterVertexLink.m_persIndex") => HardScatterVertex,
        // JSROOT cannot read BDSIM's map<string, TVector3> ("Not found streamer for TVector3 ver 1"): its keys are the
        // scoring meshes' names (scoringMeshName, which JSROOT reads) in std::map order, one translation per mesh.
        ("uproot-issue494.root", _) when column.StartsWith("Model.scoringMeshTranslation.", StringComparison.Ordinal) => ScoringMeshes,
        // JSROOT misreads the first TRotation of BDSIM's map<string, TRotation> (fUniqueID 512, denormal entries;
        // the others agree): every rotation read must be a rotation, R·Rᵀ = 1 and det R = 1.
        ("uproot-issue494.root", _) when column.StartsWith("Model.scoringMeshRotation.second.", StringComparison.Ordinal) => Rotations,
        _ => null,
    };

    private static void Rotations(string file, InspectedTree tree, List<JsonElement> ours, string column)
    {
        foreach (JsonElement row in ours)
        {
            double[][] m = [.. "xyz".Select(r => "xyz".Select(c => row.GetProperty($"Model.scoringMeshRotation.second.f{r}{c}")).ToArray())
                .SelectMany(x => x).Select(v => v.EnumerateArray().Select(d => d.GetDouble()).ToArray()).ToArray()];
            int items = m[0].Length;
            Assert.True(items > 0 && m.All(x => x.Length == items), $"{tree.Path}: {column}");
            for (int k = 0; k < items; k++)
            {
                double E(int r, int c) => m[3 * r + c][k];
                for (int r = 0; r < 3; r++)
                {
                    for (int q = 0; q < 3; q++)
                    {
                        double dot = E(r, 0) * E(q, 0) + E(r, 1) * E(q, 1) + E(r, 2) * E(q, 2);
                        Assert.True(Math.Abs(dot - (r == q ? 1 : 0)) < 1e-9, $"{tree.Path}: rotation {k} is not orthonormal");
                    }
                }
                double det = E(0, 0) * (E(1, 1) * E(2, 2) - E(1, 2) * E(2, 1)) - E(0, 1) * (E(1, 0) * E(2, 2) - E(1, 2) * E(2, 0))
                    + E(0, 2) * (E(1, 0) * E(2, 1) - E(1, 1) * E(2, 0));
                Assert.True(Math.Abs(det - 1) < 1e-9, $"{tree.Path}: rotation {k} has determinant {det}");
            }
        }
    }

    private static void HardScatterVertex(string file, InspectedTree tree, List<JsonElement> ours, string column)
    {
        var tauKeys = ours.SelectMany(r => r.GetProperty("AnalysisTauJetsAuxDyn.vertexLink.m_persKey").EnumerateArray().Select(v => v.GetInt64())).ToHashSet();
        Assert.Single(tauKeys);
        for (int i = 0; i < ours.Count; i++)
        {
            Assert.Equal(tauKeys.Single(), ours[i].GetProperty("EventInfoAuxDyn.hardScatterVertexLink.m_persKey").GetInt64());
            int vertex = ours[i].GetProperty("EventInfoAuxDyn.hardScatterVertexLink.m_persIndex").GetInt32();
            Assert.Equal(1, ours[i].GetProperty("PrimaryVerticesAuxDyn.vertexType")[vertex].GetInt32());
        }
    }

    private static void ScoringMeshes(string file, InspectedTree tree, List<JsonElement> ours, string column)
    {
        foreach (JsonElement row in ours)
        {
            string[] names = [.. row.GetProperty("Model.scoringMeshName").EnumerateArray().Select(v => v.GetString()!)];
            JsonElement values = row.GetProperty(column);
            if (column.EndsWith(".first", StringComparison.Ordinal))
            {
                Assert.Equal(names.Order(StringComparer.Ordinal), values.EnumerateArray().Select(v => v.GetString()!));
            }
            else
            {
                Assert.Equal(names.Length, values.GetArrayLength());
                Assert.All(values.EnumerateArray(), v => Assert.True(double.IsFinite(v.GetDouble())));
            }
        }
    }

    private static void ParticleKinematics(string file, InspectedTree tree, List<JsonElement> ours, string column)
    {
        string prefix = column[..3];
        for (int i = 0; i < ours.Count; i++)
        {
            JsonElement row = ours[i];
            string where = $"{tree.Path} entry {i} {column}";
            int n = row.GetProperty(prefix + "px").GetArrayLength();
            Assert.True(row.GetProperty(column).GetArrayLength() == n, $"{where}: {row.GetProperty(column).GetArrayLength()} values, {prefix}px has {n}");
            double[] Get(string name) => [.. row.GetProperty(prefix + name).EnumerateArray().Select(v => v.GetDouble())];
            (double[] px, double[] py, double[] pz, double[] p, double[] e, double[] m) = (Get("px"), Get("py"), Get("pz"), Get("p"), Get("e"), Get("mass"));
            for (int k = 0; k < n; k++)
            {
                // |p| = sqrt(px² + py² + pz²); for generated particles also E² = p² + m² (float32 precision).
                Assert.True(Math.Abs(Math.Sqrt(px[k] * px[k] + py[k] * py[k] + pz[k] * pz[k]) - p[k]) <= 1e-6 * Math.Max(1, p[k]), $"{where}: |p| of item {k}");
                Assert.True(prefix == "RP_" || Math.Abs(Math.Sqrt(p[k] * p[k] + m[k] * m[k]) - e[k]) <= 1e-6 * Math.Max(1, e[k]), $"{where}: E of item {k}");
            }
            if (prefix == "MC_")
            {
                Assert.Equal(Enumerable.Range(0, n), row.GetProperty("MC_index").EnumerateArray().Select(v => v.GetInt32()));
            }
        }
    }

    private static void Geant4Particles(string file, InspectedTree tree, List<JsonElement> ours, string column)
    {
        foreach (JsonElement row in ours)
        {
            int[] pdg = [.. row.GetProperty("Geant4Data.particles.first").EnumerateArray().Select(v => v.GetInt32())];
            string[] name = [.. row.GetProperty("Geant4Data.particles.second.name").EnumerateArray().Select(v => v.GetString()!)];
            int[] charge = [.. row.GetProperty("Geant4Data.particles.second.charge").EnumerateArray().Select(v => v.GetInt32())];
            double[] mass = [.. row.GetProperty("Geant4Data.particles.second.mass").EnumerateArray().Select(v => v.GetDouble())];
            Assert.True(pdg.Length > 0 && name.Length == pdg.Length && charge.Length == pdg.Length && mass.Length == pdg.Length, $"{tree.Path}: {pdg.Length} particles");
            Assert.Equal(pdg.Order(), pdg); // a std::map is sorted by key
            var index = pdg.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
            int known = 0;
            foreach ((int id, string n, int q, double m) in new[] { (11, "e-", -1, 0.000511), (-11, "e+", 1, 0.000511), (22, "gamma", 0, 0.0), (2212, "proton", 1, 0.938272), (13, "mu-", -1, 0.105658), (-13, "mu+", 1, 0.105658) })
            {
                if (!index.TryGetValue(id, out int i))
                {
                    continue; // BDSIM stores the particles the run used
                }
                known++;
                Assert.Equal((n, q), (name[i], charge[i]));
                Assert.True(Math.Abs(mass[i] - m) < 1e-6, $"{tree.Path}: mass of {n} is {mass[i]} GeV (BDSIM's unit)");
            }
            Assert.True(known > 0, $"{tree.Path}: none of e±, γ, p, μ± among {string.Join(", ", pdg)}");
            foreach ((int id, int i) in index)
            {
                // An antiparticle has the opposite charge and the same mass.
                if (id < 0 && index.TryGetValue(-id, out int j))
                {
                    Assert.True(charge[i] == -charge[j] && mass[i] == mass[j], $"{tree.Path}: {name[i]} and {name[j]}");
                }
            }
        }
    }

    private static void KnownAi1(string file, InspectedTree tree, List<JsonElement> ours, string column)
    {
        // Where JSROOT can read it (entries 0..11) it must agree too.
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

    private static void SameAsVector(string file, InspectedTree tree, List<JsonElement> ours, string column)
    {
        string vector = column[..^"_VecOps".Length];
        for (int i = 0; i < ours.Count; i++)
        {
            AssertSame(ours[i].GetProperty(vector), ours[i].GetProperty(column), true, $"{tree.Path} entry {i} {column} (as {vector})");
        }
    }

    private static void SameAsHzz(string file, InspectedTree tree, List<JsonElement> ours, string column)
    {
        string[] parts = column.Split('.');
        string flat = parts[0] switch
        {
            "MET" => "MET_p",
            "MC_bquarkhadronic" => "MChadronicBottom_p",
            "MC_bquarkleptonic" => "MCleptonicBottom_p",
            "MC_wdecayb" => "MChadronicWDecayQuark_p",
            "MC_wdecaybbar" => "MChadronicWDecayQuarkBar_p",
            "MC_lepton" => "MClepton_p",
            "MC_neutrino" => "MCneutrino_p",
            _ => throw new InvalidOperationException($"no flat HZZ branch for {column}"),
        } + parts[1][1..].ToLowerInvariant();
        Tool.Result flatDump = Tool.Run(DataDir, "dump", Data("uproot-HZZ.root"), "--tree", "events", "--branches", flat);
        Assert.True(flatDump.ExitCode == 0, flatDump.ToString());
        List<JsonElement> reference = ParseLines(flatDump.Stdout);
        Assert.Equal(reference.Count, ours.Count);
        for (int i = 0; i < ours.Count; i++)
        {
            AssertSame(reference[i].GetProperty(flat), ours[i].GetProperty(column), true, $"{tree.Path} entry {i} {column} (as uproot-HZZ.root {flat})");
        }
    }

    /// <summary>
    /// The JSROOT value of an energyreg column: same name; or, for a member column ("evt.P3.Px", "jets.fP.fX",
    /// "leaflist.x", "map.first"), the member path inside JSROOT's object of the longest branch-name prefix, taken
    /// from every item where JSROOT has a list of objects (a collection's member is a jagged column). A null
    /// pointer (JSROOT null) is an empty list in energyreg's pointer columns.
    /// </summary>
    private static bool TryJsroot(JsonElement row, string column, Func<string, string?> typeOf, out JsonElement value)
    {
        if (row.TryGetProperty(column, out value))
        {
            return true;
        }
        for (int dot = column.LastIndexOf('.'); dot > 0; dot = column.LastIndexOf('.', dot - 1))
        {
            // "Header." (a split object's top branch ends with a dot) and "Header" are both tried.
            foreach (string prefix in (string[])[column[..(dot + 1)], column[..dot]])
            {
                if (row.TryGetProperty(prefix, out JsonElement parent) && Member(parent, column[(dot + 1)..].Split('.')) is { } found)
                {
                    // energyreg reads a pointer to one object as a list of 0 or 1 items (JSROOT: null or the object).
                    if (parent.ValueKind == JsonValueKind.Object && typeOf(prefix)?.EndsWith('*') == true)
                    {
                        found = "[" + found + "]";
                    }
                    value = JsonDocument.Parse(found).RootElement;
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>The branch name of a dumped column: the column, or the last part of a "parent/name" path.</summary>
    private static string NameOf(string column) => column[(column.LastIndexOf('/') + 1)..];

    /// <summary>True for JSON made only of empty objects, lists of them and nulls: a class without data members.</summary>
    private static bool HoldsNoValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null => true,
        JsonValueKind.Array => element.EnumerateArray().All(HoldsNoValue),
        JsonValueKind.Object => element.EnumerateObject().All(p => HoldsNoValue(p.Value)),
        _ => false,
    };

    /// <summary>The JSON text of member <paramref name="path"/> of a JSROOT object, mapped over lists; null when there is no such member.</summary>
    private static string? Member(JsonElement element, ReadOnlySpan<string> path)
    {
        if (path.IsEmpty)
        {
            return element.GetRawText();
        }
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                return "[]";
            case JsonValueKind.Array:
                var items = new List<string>();
                foreach (JsonElement item in element.EnumerateArray())
                {
                    if (Member(item, path) is not { } member)
                    {
                        return null;
                    }
                    items.Add(member);
                }
                return "[" + string.Join(",", items) + "]";
            case JsonValueKind.Object:
                // JSROOT shows a DataVector (ATLAS xAOD) as {"This": [items]}.
                return element.TryGetProperty(path[0], out JsonElement child) ? Member(child, path[1..])
                    : element.TryGetProperty("This", out JsonElement vector) ? Member(vector, path) : null;
            default:
                return null;
        }
    }

    /// <summary>Compares values as values: integers, bools and strings exactly; float32 after rounding both to float; float64 exactly.</summary>
    private static void AssertSame(JsonElement expected, JsonElement actual, bool float32, string where, bool packed = false)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Array:
                Assert.True(actual.ValueKind == JsonValueKind.Array, $"{where}: expected {expected}, got {actual}");
                Assert.True(expected.GetArrayLength() == actual.GetArrayLength(), $"{where}: expected {expected}, got {actual}");
                foreach ((JsonElement e, JsonElement a) in expected.EnumerateArray().Zip(actual.EnumerateArray()))
                {
                    AssertSame(e, a, float32, where, packed);
                }
                break;
            case JsonValueKind.Number when actual.ValueKind is JsonValueKind.True or JsonValueKind.False && IsInteger(expected.GetRawText()):
                // JSROOT gives a Bool_t inside an object (and vector<bool> members) as its byte; ROOT's bool is "byte != 0".
                Assert.True(decimal.Parse(expected.GetRawText(), CultureInfo.InvariantCulture) != 0 == (actual.ValueKind == JsonValueKind.True),
                    $"{where}: expected {expected} (a bool's byte), got {actual}");
                break;
            case JsonValueKind.Number:
                Assert.True(actual.ValueKind == JsonValueKind.Number, $"{where}: expected {expected}, got {actual}");
                if (float32)
                {
                    Assert.True((float)expected.GetDouble() == (float)actual.GetDouble(), $"{where}: expected {expected} (float32), got {actual}");
                }
                else if (IsInteger(expected.GetRawText()) && IsInteger(actual.GetRawText()))
                {
                    Assert.True(decimal.Parse(expected.GetRawText(), CultureInfo.InvariantCulture) == decimal.Parse(actual.GetRawText(), CultureInfo.InvariantCulture),
                        $"{where}: expected {expected}, got {actual}");
                }
                else if (packed)
                {
                    // A Double32_t/Float16_t with a range is n / factor + xmin (TBufferFile::ReadWithFactor); JSROOT
                    // computes it in another order, which can change the last bit.
                    Assert.True(Math.Abs(expected.GetDouble() - actual.GetDouble()) <= 1e-13 * Math.Max(1, Math.Abs(expected.GetDouble())),
                        $"{where}: expected {expected} (packed), got {actual}");
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
        // ALICE's reduced ESD declares fTracks.fMCFlags but never filled it (fEntries 0 of 98).
        Tool.Result result = Tool.Run(DataDir, "dump", Data("uproot-issue327.root"), "--tree", "DstTree", "--branches", "fTracks.fMCFlags");
        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("fTracks.fMCFlags", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("no entries were written (fEntries 0 of the tree's 98)", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void Branch_read_as_columns_dumps_its_columns()
    {
        Tool.Result result = Tool.Run(DataDir, "dump", Data("uproot-leaflist.root"), "--tree", "tree", "--branches", "leaflist", "--entries", "0:1");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("{\"leaflist.x\":1.1,\"leaflist.y\":1,\"leaflist.z\":97}", result.Stdout.Trim());
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
