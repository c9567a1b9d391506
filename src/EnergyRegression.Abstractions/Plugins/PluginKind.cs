namespace EnergyRegression.Plugins;

/// <summary>The role a plugin plays in a chain.</summary>
public enum PluginKind
{
    /// <summary>Produces event batches (<see cref="IEventReader"/>).</summary>
    Reader,

    /// <summary>Keeps some events or objects (<see cref="ISelection"/>).</summary>
    Selection,

    /// <summary>Adds columns (<see cref="IFeature"/>).</summary>
    Feature,

    /// <summary>Predicts calibrated energies (<see cref="IRegressor"/>).</summary>
    Regressor,

    /// <summary>Consumes event batches into an output (<see cref="IEventWriter"/>).</summary>
    Writer,
}
