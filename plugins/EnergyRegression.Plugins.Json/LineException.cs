namespace EnergyRegression.Plugins.Json;

/// <summary>
/// A problem with one line: the 1-based byte column and what was expected. The reader turns it into an
/// <see cref="InputDataException"/> (on_error: stop) or a skipped line (on_error: skip).
/// </summary>
internal sealed class LineException(long column, string message) : Exception(message)
{
    /// <summary>1-based byte column within the line.</summary>
    public long Column { get; } = column;
}
