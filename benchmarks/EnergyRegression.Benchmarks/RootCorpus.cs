namespace EnergyRegression.Benchmarks;

/// <summary>
/// The ROOT files the read benchmarks use: uproot's HZZ and Zmumu samples written once per codec
/// (<c>../shared/testdata/root</c> from the repository root, as in the tests; <c>ENERGYREG_ROOT_TESTDATA</c> overrides).
/// HZZ: tree <c>events</c>, 2421 entries, 51 branches, NanoAOD-like (counters NJet/NMuon/..., jagged float32
/// arrays Muon_Px[NMuon]..., flat float32 such as MET_px). Zmumu: tree <c>events</c>, 2304 entries, 20 flat
/// branches (float64 px1..., int32, one string).
/// </summary>
public static class RootCorpus
{
    /// <summary>File-name suffixes, one per codec, in table order.</summary>
    public static readonly IReadOnlyList<string> Codecs = ["uncompressed", "zlib", "lz4", "lzma", "zstd"];

    /// <summary>The samples: name, tree, and the one branch read on its own (HZZ has float32 branches, Zmumu only float64).</summary>
    public static readonly IReadOnlyList<(string Sample, string Tree, string OneBranch)> Samples =
    [
        ("HZZ", "events", "MET_px"),
        ("Zmumu", "events", "px1"),
    ];

    private static readonly Lazy<string> Directory = new(Find);

    public static string DataDirectory => Directory.Value;

    public static string PathOf(string sample, string codec) => System.IO.Path.Combine(DataDirectory, $"uproot-{sample}-{codec}.root");

    /// <summary>
    /// The workloads for one file: the one branch, then every readable branch. Labels are
    /// "HZZ-zlib MET_px" and "HZZ-zlib all".
    /// </summary>
    public static IEnumerable<(string Label, string Path, string Tree, string[]? Branches)> Workloads(string sample, string codec)
    {
        (string _, string tree, string one) = Samples.Single(s => s.Sample == sample);
        string path = PathOf(sample, codec);
        yield return ($"{sample}-{codec} {one}", path, tree, [one]);
        yield return ($"{sample}-{codec} all", path, tree, null);
    }

    private static string Find()
    {
        if (Environment.GetEnvironmentVariable("ENERGYREG_ROOT_TESTDATA") is { Length: > 0 } custom)
        {
            return custom;
        }
        foreach (string start in new[] { AppContext.BaseDirectory, System.IO.Directory.GetCurrentDirectory() })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "EnergyRegression.sln")))
                {
                    string data = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "testdata", "root"));
                    if (System.IO.Directory.Exists(data))
                    {
                        return data;
                    }
                }
            }
        }
        throw new DirectoryNotFoundException(
            $"Cannot find ../shared/testdata/root next to a directory holding EnergyRegression.sln above {AppContext.BaseDirectory} or the current directory (set ENERGYREG_ROOT_TESTDATA).");
    }
}
