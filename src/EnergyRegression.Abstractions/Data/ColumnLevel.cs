namespace EnergyRegression.Data;

/// <summary>Whether a column holds one value per event or one per object of a collection.</summary>
public enum ColumnLevel
{
    /// <summary>One row per event (e.g. <c>rho</c>, <c>run</c>).</summary>
    Event,

    /// <summary>One row per object of a jagged collection (e.g. <c>Electron_pt</c>).</summary>
    Object,
}
