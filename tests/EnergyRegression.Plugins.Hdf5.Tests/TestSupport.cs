using EnergyRegression.Data;
using EnergyRegression.Running;
using EnergyRegression.TestOracles;

namespace EnergyRegression.Plugins.Hdf5.Tests;

/// <summary>A fresh temporary directory, removed afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("energyreg-hdf5-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
