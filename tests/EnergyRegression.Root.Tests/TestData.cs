namespace EnergyRegression.Root.Tests;

internal static class TestData
{
    private static readonly Lazy<string> Dir = new(() =>
    {
        DirectoryInfo? d = new(AppContext.BaseDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "EnergyRegression.sln")))
        {
            d = d.Parent;
        }
        if (d is null)
        {
            throw new InvalidOperationException("repository root (EnergyRegression.sln) not found above " + AppContext.BaseDirectory);
        }
        return Path.GetFullPath(Path.Combine(d.FullName, "..", "shared", "testdata", "root"));
    });

    public static string PathOf(string name) => Path.Combine(Dir.Value, name);

    /// <summary>A file of ../shared/testdata/rntuple (RNTuples written by ROOT).</summary>
    public static string NtuplePathOf(string name) => Path.Combine(Dir.Value, "..", "rntuple", name);

    /// <summary>Every file of ../shared/testdata/rntuple.</summary>
    public static IEnumerable<string> NtupleFiles() =>
        Directory.GetFiles(Path.Combine(Dir.Value, "..", "rntuple"), "*.root").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static RootFile Open(string name) => RootFile.Open(PathOf(name));
}
