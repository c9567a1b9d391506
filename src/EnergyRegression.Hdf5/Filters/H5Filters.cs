using EnergyRegression.Hdf5.Format;

namespace EnergyRegression.Hdf5.Filters;

/// <summary>A chunk that a filter cannot decode: damaged data, a failed checksum, or parameters it does not know.</summary>
internal sealed class FilterException(string message) : Exception(message)
{
    public FilterException() : this("filter failed")
    {
    }

    public FilterException(string message, Exception inner) : this(message + ": " + inner.Message)
    {
    }
}

/// <summary>What a filter knows of the chunk it decodes.</summary>
/// <param name="ClientData">The filter's parameters from the filter pipeline message.</param>
/// <param name="ChunkBytes">The chunk's size once every filter is undone.</param>
/// <param name="Type">The dataset's datatype (nbit, scale-offset).</param>
internal sealed record FilterContext(uint[] ClientData, int ChunkBytes, H5Datatype Type);

/// <summary>
/// The filters this reader decodes, by registered HDF5 filter ID (the HDF Group's registry of filter
/// plugins), and the pipeline that undoes them in reverse order. Every decoder is this project's own
/// except the codecs inside (.NET's deflate, K4os LZ4, ZstdSharp, SharpCompress bzip2), and every
/// checksum a format carries is verified: zlib's Adler-32, fletcher32, bzip2's block and stream CRCs,
/// zstd's frame checksum when present.
/// </summary>
internal static class H5Filters
{
    public const int Deflate = 1;
    public const int Shuffle = 2;
    public const int Fletcher32 = 3;
    public const int Szip = 4;
    public const int NBit = 5;
    public const int ScaleOffset = 6;
    public const int Bzip2 = 307;
    public const int Lzf = 32000;
    public const int Blosc = 32001;
    public const int Lz4 = 32004;
    public const int Bitshuffle = 32008;
    public const int Zstd = 32015;

    private static readonly Dictionary<int, string> _names = new()
    {
        [Deflate] = "deflate",
        [Shuffle] = "shuffle",
        [Fletcher32] = "fletcher32",
        [Szip] = "szip",
        [NBit] = "nbit",
        [ScaleOffset] = "scaleoffset",
        [Bzip2] = "bzip2",
        [Lzf] = "lzf",
        [Blosc] = "blosc",
        [Lz4] = "lz4",
        [Bitshuffle] = "bitshuffle",
        [Zstd] = "zstd",
        [305] = "lzo",
        [32002] = "mafisc",
        [32003] = "snappy",
        [32005] = "apax",
        [32006] = "cbf",
        [32007] = "jpeg-xr",
        [32009] = "spdp",
        [32010] = "lpc-rice",
        [32011] = "ccsds-123",
        [32012] = "jpeg-ls",
        [32013] = "zfp",
        [32014] = "fpzip",
        [32016] = "b3d",
        [32017] = "sz",
        [32018] = "fcidecomp",
        [32019] = "jpeg",
        [32020] = "vbz",
        [32022] = "bitgroom",
        [32023] = "granular bitround",
        [32024] = "sz3",
        [32026] = "blosc2",
        [32028] = "bitround",
    };

    /// <summary>The filter's name: the registry's, else the one the file gives, else its number.</summary>
    public static string Name(H5FilterInfo filter) =>
        _names.TryGetValue(filter.Id, out string? name) ? name : filter.Name.Length > 0 ? filter.Name : $"filter {filter.Id}";

    public static bool IsSupported(int id) => id is Deflate or Shuffle or Fletcher32 or Szip or NBit or ScaleOffset or Bzip2 or Lzf or Blosc or Lz4 or Zstd;

    /// <summary>The first filter of a pipeline that cannot be decoded, described for the user, or null.</summary>
    public static string? Unsupported(IReadOnlyList<H5FilterInfo> pipeline)
    {
        foreach (H5FilterInfo f in pipeline)
        {
            if (!IsSupported(f.Id))
            {
                return $"filter {f.Id} ({Name(f)}) is not supported by this reader (supported: deflate, shuffle, fletcher32, szip, nbit, scaleoffset, bzip2, lzf, blosc, lz4, zstd)";
            }
        }
        return null;
    }

    /// <summary>Undoes the filters not skipped by <paramref name="mask"/>, last first.</summary>
    public static byte[] Decode(IReadOnlyList<H5FilterInfo> pipeline, uint mask, byte[] data, int chunkBytes, H5Datatype type)
    {
        // An upper bound for every intermediate size: the chunk plus a checksum or header (fletcher32, szip's
        // size prefix); decompressing beyond it means damaged data, not a larger chunk.
        int limit = chunkBytes + 64;
        for (int i = pipeline.Count - 1; i >= 0; i--)
        {
            if ((mask & (1u << i)) != 0)
            {
                continue;
            }
            H5FilterInfo f = pipeline[i];
            var context = new FilterContext(f.ClientData, chunkBytes, type);
            try
            {
                data = f.Id switch
                {
                    Deflate => Zlib.Decode(data, limit),
                    Shuffle => ShuffleFilter.Unshuffle(data, f.ClientData.Length > 0 ? (int)f.ClientData[0] : type.Size),
                    Fletcher32 => Fletcher32Filter.Verify(data),
                    Szip => SzipFilter.Decode(data, context),
                    NBit => NBitFilter.Decode(data, context),
                    ScaleOffset => ScaleOffsetFilter.Decode(data, context),
                    Bzip2 => Codecs.Bzip2(data, limit),
                    Lzf => Codecs.Lzf(data, limit),
                    Blosc => BloscFilter.Decode(data, limit),
                    Lz4 => Codecs.Lz4Plugin(data, limit),
                    Zstd => Codecs.Zstd(data, limit),
                    _ => throw new FilterException($"filter {f.Id} ({Name(f)}) is not supported by this reader"),
                };
            }
            catch (FilterException ex)
            {
                throw new FilterException($"{Name(f)}: {ex.Message}");
            }
            catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
            {
                // The codec packages throw their own exception types on damaged data (SharpCompress, ZstdSharp, K4os).

                throw new FilterException($"{Name(f)}: the data is damaged ({ex.Message.TrimEnd('.')})");
            }
        }
        if (data.Length != chunkBytes)
        {
            throw new FilterException($"the filters gave {data.Length} bytes for a chunk of {chunkBytes} bytes: the data is damaged");
        }
        return data;
    }
}
