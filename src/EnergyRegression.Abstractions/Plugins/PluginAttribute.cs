namespace EnergyRegression.Plugins;

/// <summary>
/// Marks a class as a plugin and names it: the YAML <c>type:</c> of a chain step selects it by this name.
/// The class implements exactly one of <see cref="IEventReader"/>, <see cref="ISelection"/>,
/// <see cref="IFeature"/>, <see cref="IRegressor"/> or <see cref="IEventWriter"/>, and has one public
/// constructor whose parameters are its config (a <see cref="Configuration.PluginConfig"/> subclass, bound
/// from the step's <c>with:</c> section) and optionally an <see cref="Running.IRunContext"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class PluginAttribute(string name) : Attribute
{
    /// <summary>The plugin's name, lower-case with dashes by convention (<c>tag-and-probe</c>).</summary>
    public string Name { get; } = name;

    /// <summary>One line saying what the plugin does, shown by <c>energyreg plugins</c>.</summary>
    public string Description { get; init; } = "";
}
