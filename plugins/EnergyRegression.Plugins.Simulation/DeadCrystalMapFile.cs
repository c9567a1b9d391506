using System.Text.Json;
using EnergyRegression.Simulation;

namespace EnergyRegression.Plugins.Simulation;

/// <summary>
/// The detector's dead crystals as JSON (docs/selections.md, "Dead-crystal map"):
/// <c>{"format": "energyreg-dead-crystals", "version": 1, "detector_seed": …, "dead_fraction": …, "crystals": [[iEta, iPhi], …]}</c>.
/// </summary>
internal static class DeadCrystalMapFile
{
    public static void Write(string path, EventSimulator simulator)
    {
        var document = new
        {
            format = "energyreg-dead-crystals",
            version = 1,
            detector_seed = simulator.Settings.DetectorSeed,
            dead_fraction = simulator.Settings.DeadFraction,
            crystals = simulator.DeadCrystalIndices().Select(c => new[] { c.IEta, c.IPhi }),
        };
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // Temporary name, then rename: a reader never sees half a map.
        string temporary = full + ".partial";
        File.WriteAllText(temporary, JsonSerializer.Serialize(document) + "\n");
        File.Move(temporary, full, overwrite: true);
    }
}
