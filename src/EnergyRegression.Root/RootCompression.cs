namespace EnergyRegression.Root;

/// <summary>The compression algorithms ROOT files use (fCompress = algorithm × 100 + level).</summary>
public enum RootCompression
{
    /// <summary>Records stored as they are.</summary>
    None = 0,

    /// <summary>zlib ("ZL"): readable by every ROOT version; ROOT 6's historical default.</summary>
    Zlib = 1,

    /// <summary>LZMA in an xz container ("XZ"): smallest files, slowest.</summary>
    Lzma = 2,

    /// <summary>LZ4 ("L4", with an xxhash64 checksum): fastest to read.</summary>
    Lz4 = 4,

    /// <summary>Zstandard ("ZS"): a good balance; ROOT ≥ 6.20 reads it.</summary>
    Zstd = 5,
}

/// <summary>How <see cref="RootFileWriter"/> writes: compression and basket size.</summary>
/// <param name="Compression">The algorithm for baskets and metadata records.</param>
/// <param name="Level">1 (fast) to 9 (small); ignored for <see cref="RootCompression.None"/>.</param>
/// <param name="BasketSize">Bytes of uncompressed data per branch after which the tree flushes a cluster: every branch closes its basket at the same entry.</param>
public sealed record RootWriteOptions(RootCompression Compression = RootCompression.Zlib, int Level = 4, int BasketSize = 32000)
{
    /// <summary>fCompress: algorithm × 100 + level (0 when uncompressed).</summary>
    internal int CompressSetting => Compression == RootCompression.None ? 0 : (int)Compression * 100 + Level;

    internal void Validate()
    {
        if (!Enum.IsDefined(Compression))
        {
            throw new ArgumentOutOfRangeException(nameof(Compression), Compression, "unknown compression algorithm");
        }
        if (Compression != RootCompression.None && Level is < 1 or > 9)
        {
            throw new ArgumentOutOfRangeException(nameof(Level), Level, "compression level must be 1 to 9");
        }
        if (BasketSize is < 512 or > (1 << 30))
        {
            throw new ArgumentOutOfRangeException(nameof(BasketSize), BasketSize, "basket size must be 512 bytes to 1 GiB");
        }
    }
}
