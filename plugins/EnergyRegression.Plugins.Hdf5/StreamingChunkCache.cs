using PureHDF.VOL.Native;

namespace EnergyRegression.Plugins.Hdf5;

/// <summary>
/// A writing chunk cache for datasets written in order of their first dimension: when a chunk is asked
/// for, every chunk before it is complete, so it is compressed and written out then. PureHDF's default
/// cache keeps every chunk of a dataset in memory until the file is closed.
/// </summary>
/// <remarks>
/// Chunks are written with the writer delegate given when each was allocated: PureHDF's delegate writes
/// the chunk of the index it was created for, whatever index it is called with.
/// </remarks>
internal sealed class StreamingChunkCache : IWritingChunkCache
{
    private readonly SortedDictionary<ulong, (Memory<byte> Chunk, Action<ulong, Memory<byte>> Writer)> _chunks = [];

    public Memory<byte> GetChunk(ulong chunkIndex, Func<Memory<byte>> chunkAllocator, Action<ulong, Memory<byte>> chunkWriter)
    {
        if (_chunks.TryGetValue(chunkIndex, out (Memory<byte> Chunk, Action<ulong, Memory<byte>> Writer) cached))
        {
            return cached.Chunk;
        }
        while (_chunks.Count > 0 && _chunks.First() is { Key: var first } entry && first < chunkIndex)
        {
            _chunks.Remove(first);
            entry.Value.Writer(first, entry.Value.Chunk);
        }
        Memory<byte> chunk = chunkAllocator();
        _chunks[chunkIndex] = (chunk, chunkWriter);
        return chunk;
    }

    public void Flush(Action<ulong, Memory<byte>> chunkWriter)
    {
        foreach ((ulong index, (Memory<byte> chunk, _)) in _chunks)
        {
            chunkWriter(index, chunk);
        }
        _chunks.Clear();
    }
}
