using EnergyRegression.Data;
using EnergyRegression.Plugins;
using EnergyRegression.Running;

namespace EnergyRegression.Core.Running;

/// <summary>
/// The part of <c>energyreg validate</c> that checks columns: every stage runs, in chain order, on a batch of no events
/// holding the reader's collections and columns, so each looks up what it asks for (by config key:
/// <see cref="EventBatch.GetColumnNamedBy(string, string)"/>) and adds what it adds, without processing any event. A
/// column that neither the reader nor an earlier stage gives is then a configuration error at the key that named it.
/// Plugins must already cope with batches of no events: a selection can empty a batch in any run.
/// </summary>
internal static class ColumnCheck
{
    /// <summary>
    /// Checks <paramref name="chain"/>'s stages against its reader's columns and says what was checked. With
    /// <see cref="RunMode.Train"/> it stops before the first trainable regressor: it has no model yet.
    /// </summary>
    public static string Run(Chain chain, RunMode mode, CancellationToken cancellation)
    {
        (EventBatch? batch, string source) = ReaderColumns(chain, cancellation);
        if (batch is null)
        {
            return "columns not checked: the reader gives no events";
        }
        using (batch)
        {
            int columns = batch.ColumnNames.Count, collections = batch.CollectionNames.Count, stages = 0;
            foreach (ChainStep step in chain.Stages)
            {
                if (mode == RunMode.Train && step.Instance is ITrainableRegressor)
                {
                    break;
                }
                try
                {
                    step.Process(batch);
                }
                catch (Exception e)
                {
                    throw step.Translate(e, "on the reader's columns (validate runs every stage on a batch of no events)");
                }
                stages++;
            }
            return $"columns: {stages} stage(s) found what they look up among the {columns} column(s) and {collections} collection(s) {source}";
        }
    }

    // The reader's columns in a batch of no events: its declaration, else its first batch with the events removed.
    private static (EventBatch? Batch, string Source) ReaderColumns(Chain chain, CancellationToken cancellation)
    {
        var reader = (IEventReader)chain.Reader.Instance;
        try
        {
            if (reader is IColumnDeclaringReader declaring)
            {
                return (declaring.DeclareColumns(), "the reader declares");
            }
            EventBatch? first = reader.ReadBatches(1, cancellation).FirstOrDefault();
            first?.KeepEvents(new bool[first.EventCount]);
            return (first, "of the reader's first event");
        }
        catch (Exception e)
        {
            throw chain.Reader.Translate(e, "to give its columns");
        }
    }
}
