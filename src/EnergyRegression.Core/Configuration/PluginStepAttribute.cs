using EnergyRegression.Plugins;

namespace EnergyRegression.Core.Configuration;

/// <summary>
/// Marks a <see cref="StepDefinition"/> property of the chain as a step of these plugin kinds: its <c>type:</c> names a
/// plugin of one of them, looked up in this order, and its <c>with:</c> binds to that plugin's config class. Read by the
/// chain's JSON Schema and YAML reference (<see cref="ChainSchema"/>); <c>Chain.Build</c> looks steps up in the same kinds.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PluginStepAttribute(params PluginKind[] kinds) : Attribute
{
    /// <summary>The kinds a step here may be, in lookup order.</summary>
    public IReadOnlyList<PluginKind> Kinds { get; } = kinds;
}
