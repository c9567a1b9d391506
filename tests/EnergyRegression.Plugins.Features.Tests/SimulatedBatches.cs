using EnergyRegression.Configuration;
using EnergyRegression.Data;
using EnergyRegression.Plugins.Simulation;
using EnergyRegression.Testing;

namespace EnergyRegression.Plugins.Features.Tests;

/// <summary>Batches from the built-in simulator, the realistic input of the kernel stages.</summary>
internal static class SimulatedBatches
{
    /// <summary>All events of one simulate run in a single batch (the caller disposes it).</summary>
    public static EventBatch Read(SimulateReaderConfig config)
    {
        var harness = new PluginHarness();
        using var reader = harness.Create<SimulateReader>(config);
        return harness.Read(reader, (int)config.Events).Single();
    }

    /// <summary>Z → ee with pile-up: two electrons and fakes per event, 32 × 32 windows.</summary>
    public static EventBatch Zee(int events = 400) => Read(new SimulateReaderConfig { Process = "zee", Events = events, Seed = 5, Pileup = 20 });

    /// <summary>A particle gun (one electron per event) in the φ range given, e.g. across the iφ = 360 | 1 seam.</summary>
    public static EventBatch Gun(double[] phi, double[] eta, int events = 300) => Read(new SimulateReaderConfig
    {
        Process = "particle-gun", Events = events, Seed = 9, Particle = "e-", Energy = [20, 200], Phi = phi, Eta = eta,
    });
}

/// <summary>Runs the kernel stages as energyreg does, through EnergyRegression.Testing's harness.</summary>
internal static class Stage
{
    /// <summary>
    /// Builds <typeparamref name="TPlugin"/> by the host's rules (config validated) and runs it on a batch of no events,
    /// which must work and add the same columns, then on <paramref name="batch"/> (changed in place, still the caller's).
    /// </summary>
    public static void Run<TPlugin>(EventBatch batch, PluginConfig config) where TPlugin : class, IStage
    {
        var harness = new PluginHarness();
        harness.Run(harness.Create<TPlugin>(config), [batch]);
    }
}
