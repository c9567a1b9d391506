namespace EnergyRegression.Root.Compression;

/// <summary>The decoders a Zstandard ("ZS") block can be decoded with.</summary>
internal enum ZstdImplementation
{
    /// <summary>ZstdSharp.Port, the managed port of zstd: always available.</summary>
    Managed,

    /// <summary>The system's libzstd through <see cref="NativeZstd"/>, when installed.</summary>
    Native,
}

/// <summary>
/// Decodes the payload of a "ZS" block with the managed or the native decoder. The default is the native one
/// when <see cref="NativeZstd.IsAvailable"/>, else the managed one; the environment variable
/// <c>ENERGYREG_ZSTD</c> = <c>managed</c> or <c>native</c> forces one (benchmarks, tests), read once per process.
/// Both decode one or more zstd frames (RFC 8878) and write at most <c>target.Length</c> bytes.
/// </summary>
internal static class ZstdDecoder
{
    public const string EnvironmentVariable = "ENERGYREG_ZSTD";

    private static readonly Lazy<(ZstdImplementation? Value, string? Problem)> Configured =
        new(() => Choose(Environment.GetEnvironmentVariable(EnvironmentVariable), NativeZstd.IsAvailable, NativeZstd.Problem));

    /// <summary>The decoder used when none is given.</summary>
    /// <exception cref="InvalidOperationException"><c>ENERGYREG_ZSTD</c> has another value, or asks for a native library that is not available.</exception>
    public static ZstdImplementation Default => Configured.Value.Value ?? throw new InvalidOperationException(Configured.Value.Problem);

    /// <summary>The choice for an <c>ENERGYREG_ZSTD</c> value: the decoder, or why there is none.</summary>
    internal static (ZstdImplementation? Value, string? Problem) Choose(string? setting, bool nativeAvailable, string? nativeProblem)
    {
        string value = (setting ?? "").Trim();
        if (value.Length == 0)
        {
            return (nativeAvailable ? ZstdImplementation.Native : ZstdImplementation.Managed, null);
        }
        if (value.Equals("managed", StringComparison.OrdinalIgnoreCase))
        {
            return (ZstdImplementation.Managed, null);
        }
        if (value.Equals("native", StringComparison.OrdinalIgnoreCase))
        {
            return nativeAvailable
                ? (ZstdImplementation.Native, null)
                : (null, $"{EnvironmentVariable}=native, but the system's zstd library cannot be used: {nativeProblem}");
        }
        return (null, $"{EnvironmentVariable} must be 'managed' or 'native' (or unset), not '{setting}'");
    }

    /// <summary>Decodes <paramref name="payload"/> into <paramref name="target"/> and returns the bytes produced (at most its length).</summary>
    /// <exception cref="Exception">Corrupt data: the decoder's own exception (the caller wraps it).</exception>
    public static int Decompress(ReadOnlySpan<byte> payload, Span<byte> target, ZstdImplementation implementation) => implementation switch
    {
        ZstdImplementation.Native => NativeZstd.Decompress(payload, target),
        _ => DecompressManaged(payload, target),
    };

    /// <summary>One managed decoder per thread: its context (ZstdSharp's SafeHandle, freed when the thread ends) costs more to create than a basket to decode.</summary>
    [ThreadStatic]
    private static ZstdSharp.Decompressor? _managed;

    private static int DecompressManaged(ReadOnlySpan<byte> payload, Span<byte> target) =>
        // Unwrap = ZSTD_decompressDCtx, which starts every frame afresh: a decoder that saw an error is reusable.
        (_managed ??= new ZstdSharp.Decompressor()).Unwrap(payload, target);
}
