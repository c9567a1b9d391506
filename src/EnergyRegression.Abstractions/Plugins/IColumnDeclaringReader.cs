using EnergyRegression.Data;

namespace EnergyRegression.Plugins;

/// <summary>
/// A reader that can say which collections and columns its batches will have without reading events (from its files'
/// headers or its settings). <c>energyreg validate</c> runs the chain's stages on that declaration, so a column a stage
/// looks up by config key (<see cref="EventBatch.GetColumnNamedBy(string, string)"/>) and the reader does not give is
/// reported at the key before a run. A reader that does not implement it is asked for its first event instead.
/// </summary>
public interface IColumnDeclaringReader : IEventReader
{
    /// <summary>
    /// A batch of no events holding every collection and column (name, level, element type, row shape) the reader's
    /// batches will hold. Cheap and without side effects; the caller disposes it.
    /// </summary>
    EventBatch DeclareColumns();
}
