using EnergyRegression.Data;
using EnergyRegression.Plugins.Simulation;
using EnergyRegression.Running;

namespace EnergyRegression.Plugins.Regressors.Gbdt.Tests;

/// <summary>Particle-gun electrons from the simulator over barrel and endcaps.</summary>
internal static class Electrons
{
    public static readonly string[] Features =
    [
        "Electron_r9", "Electron_sieie", "Electron_sipip", "Electron_e3x3", "Electron_e5x5", "Electron_eMax",
        "Electron_eta", "Electron_phi", "Electron_energy", "Electron_hoe", "Electron_fbrem",
        "Electron_trkPt", "Electron_scEta", "Electron_seedIEta", "Electron_seedIPhi", "Electron_deadIn5x5",
    ];

    public static EventBatch Gun(int events, int seed)
    {
        var config = new SimulateReaderConfig
        {
            Process = "particle-gun", Events = events, Seed = seed, Particle = "e-", Energy = [20, 200], Eta = [-2.4, 2.4], Endcap = true,
        };
        config.Validate();
        using var reader = new SimulateReader(config);
        return reader.ReadBatches(events, CancellationToken.None).Single();
    }

    public static GbdtConfig Config(string? model = null, int trees = 100) => new()
    {
        Model = model,
        Features = Features,
        Trees = trees,
        Threads = 2,
    };
}
