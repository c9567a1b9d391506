using PureHDF.VOL.Native;

namespace EnergyRegression.Hdf5;

/// <summary>
/// Keeps the most recently used decompressed chunks of one dataset across reads. Reading a dataset in
/// consecutive entry ranges (the event loop's batches) then decompresses every chunk once, even when a
/// chunk spans two ranges; memory stays at <see cref="Capacity"/> chunks whatever the file size.
/// PureHDF's default cache lives for one read and skips chunks over 1 MiB, so a chunk spanning batches
/// would be decompressed again for each.
/// </summary>
internal sealed class RecentChunkCache(int capacity) : IReadingChunkCache
{
    private readonly LinkedList<(ulong Index, Memory<byte> Chunk)> _chunks = new();

    /// <summary>How many chunks are kept.</summary>
    public int Capacity { get; } = Math.Max(1, capacity);

    /// <summary>Chunks read (and decompressed) so far: for tests.</summary>
    public long Misses { get; private set; }

    public Memory<byte> GetChunk(ulong chunkIndex, Func<Memory<byte>> chunkReader)
    {
        for (LinkedListNode<(ulong Index, Memory<byte> Chunk)>? node = _chunks.First; node is not null; node = node.Next)
        {
            if (node.Value.Index == chunkIndex)
            {
                if (node != _chunks.First)
                {
                    _chunks.Remove(node);
                    _chunks.AddFirst(node);
                }
                return node.Value.Chunk;
            }
        }
        Memory<byte> chunk = chunkReader();
        Misses++;
        _chunks.AddFirst((chunkIndex, chunk));
        while (_chunks.Count > Capacity)
        {
            _chunks.RemoveLast();
        }
        return chunk;
    }
}
