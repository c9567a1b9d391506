using EnergyRegression.Data;
using EnergyRegression.Running;

namespace EnergyRegression.Plugins.Root.Tests;

/// <summary>The shared ROOT test files (../shared/testdata/root from the repository root).</summary>
internal static class TestFiles
{
    public static string Directory { get; } = Find();

    public static string NanoAod => Path.Combine(Directory, "nanoAOD_2015_CMS_Open_Data_ttbar.root");

    public static string Zmumu => Path.Combine(Directory, "uproot-Zmumu.root");

    public static string Hzz => Path.Combine(Directory, "uproot-HZZ.root");

    private static string Find()
    {
        DirectoryInfo? dir = new(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EnergyRegression.sln")))
        {
            dir = dir.Parent;
        }
        if (dir is null)
        {
            throw new InvalidOperationException("EnergyRegression.sln not found above " + AppContext.BaseDirectory);
        }
        return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "testdata", "root"));
    }
}
