using System.Security.Cryptography;
using System.Text;
using EnergyRegression.Running;

namespace EnergyRegression.Testing;

/// <summary>
/// <see cref="Provenance"/> records for tests: every required member filled, deterministic (a fixed start time), so a
/// writer's or a model's stored provenance can be compared exactly.
/// </summary>
public static class TestProvenance
{
    /// <summary>The start time every test provenance carries: 2024-01-01 00:00 UTC.</summary>
    public static DateTimeOffset StartedUtc { get; } = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A provenance as energyreg would record it for a chain of text <paramref name="configText"/> at
    /// <paramref name="configPath"/> run with <paramref name="seed"/> over <paramref name="inputFiles"/>.
    /// </summary>
    public static Provenance Create(int seed = 42, IReadOnlyList<string>? inputFiles = null, string configText = "reader: {type: test}\n",
        string configPath = "test-chain.yaml", string? shard = null) => new()
    {
        ToolVersion = "energyreg (EnergyRegression.Testing)",
        ConfigPath = configPath,
        ConfigText = configText,
        ConfigSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(configText))),
        Seed = seed,
        InputFiles = inputFiles ?? [],
        StartedUtc = StartedUtc,
        Shard = shard,
    };
}
