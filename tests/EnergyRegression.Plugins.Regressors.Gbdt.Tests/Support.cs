using EnergyRegression.Data;
using EnergyRegression.Models;
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

    /// <summary>Validation electrons of <see cref="Train"/>: <see cref="Gun"/> with these events and seed.</summary>
    public const int ValidationEvents = 1000;

    /// <summary>Seed of the validation electrons of <see cref="Train"/>.</summary>
    public const int ValidationSeed = 12;

    private static readonly Provenance Provenance = new()
    {
        ToolVersion = "test", ConfigPath = "test.yaml", ConfigText = "", ConfigSha256 = new string('0', 64), Seed = 42, InputFiles = [],
        StartedUtc = DateTimeOffset.UnixEpoch,
    };

    /// <summary>Trains on gun electrons (validation: 1,000, seed 12) and saves the model; <paramref name="context"/> records the log.</summary>
    public static GbdtRegressor Train(GbdtConfig config, string? save = null, int seed = 42, int events = 3000, TestRunContext? context = null)
    {
        using EventBatch training = Gun(events, seed: 11);
        using EventBatch validation = Gun(ValidationEvents, ValidationSeed);
        var regressor = new GbdtRegressor(config, context ?? new TestRunContext(RunMode.Train, seed));
        regressor.Train(new TrainingData([training], [validation]), context ?? new TestRunContext(RunMode.Train, seed));
        if (save is not null)
        {
            regressor.SaveModel(save, Provenance);
        }
        return regressor;
    }

    public static GbdtConfig Config(string? model = null, int trees = 100) => new()
    {
        Model = model,
        Features = Features,
        Trees = trees,
        Threads = 2,
    };
}
