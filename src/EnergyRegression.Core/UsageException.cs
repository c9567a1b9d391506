namespace EnergyRegression.Core;

/// <summary>A command-line request that cannot be carried out as given (exit code 2), e.g. more shards than entries.</summary>
public sealed class UsageException(string message) : Exception(message);
