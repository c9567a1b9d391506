namespace EnergyRegression.Plugins;

/// <summary>
/// A reader whose input can be split into shards for batch systems (<c>energyreg run --shard K/N</c>, docs/grid.md).
/// Its entries are one stream numbered from 0 across all its files, in input order, after its own <c>entries:</c> range;
/// a shard is a contiguous range of that stream, so the union of all shards is exactly the input. Implement both members
/// cheaply (file headers, not events) and deterministically: every shard must see the same numbering.
/// </summary>
public interface IShardableReader : IEventReader
{
    /// <summary>
    /// How many entries of the stream each input file gives, in <see cref="IEventReader.InputFiles"/> order (a generator
    /// without files: one element, its event count). Their sum is the number of entries shards are cut from.
    /// </summary>
    IReadOnlyList<long> CountEntriesPerFile();

    /// <summary>
    /// Restricts the next <see cref="IEventReader.ReadBatches"/> to entries <paramref name="start"/> (inclusive) to
    /// <paramref name="stop"/> (exclusive) of the stream. Batches keep the numbering of an unsharded run in
    /// <see cref="Data.EventBatch.FirstEntry"/>, so a shard's events carry the same entries as there;
    /// <see cref="IEventReader.CountEvents"/> then counts the restricted range.
    /// </summary>
    void Restrict(long start, long stop);
}
