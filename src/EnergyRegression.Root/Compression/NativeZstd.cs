using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EnergyRegression.Root.Compression;

/// <summary>
/// A binding to the system's Zstandard library (libzstd, zstd.h of facebook/zstd): only the one-shot decoder
/// with a reusable context (<c>ZSTD_createDCtx</c>, <c>ZSTD_decompressDCtx</c>, <c>ZSTD_freeDCtx</c>) and the
/// error helpers. The library is looked up once under its platform names (<c>libzstd.so.1</c> on Linux, where
/// Debian's apt itself depends on it) with <see cref="NativeLibrary.TryLoad(string, out IntPtr)"/>; when it is
/// absent, older than 1.4.0 or lacks an export, <see cref="IsAvailable"/> is false and nothing here is called.
/// </summary>
/// <remarks>
/// The <see cref="LibraryImportAttribute"/> declarations name the logical library <c>zstd</c>, which an
/// assembly-wide <see cref="NativeLibrary.SetDllImportResolver"/> maps to the handle loaded here. An assembly
/// can have one resolver: this is it; it returns nothing for other names, so other imports of this assembly
/// (liblzma of the writer) keep the runtime's default lookup. <c>ZSTD_decompressDCtx(dctx, dst, dstCapacity, src, srcSize)</c>
/// decodes every frame in <c>src</c> and never writes past <c>dstCapacity</c>: output that would not fit
/// is the error <c>dstSize_tooSmall</c>, not an overflow.
/// </remarks>
internal static unsafe partial class NativeZstd
{
    private const string LibraryName = "zstd";

    /// <summary>Oldest accepted library: 1.4.0 (ZSTD_VERSION_NUMBER = major * 10000 + minor * 100 + release).</summary>
    private const uint MinimumVersion = 1_04_00;

    private static readonly string[] Exports =
        ["ZSTD_createDCtx", "ZSTD_freeDCtx", "ZSTD_decompressDCtx", "ZSTD_isError", "ZSTD_getErrorName", "ZSTD_versionNumber"];

    private static readonly Lazy<(nint Handle, string? Library, uint Version, string? Problem)> Loaded = new(Load);

    /// <summary>Whether the system library was found, exports the functions and is recent enough.</summary>
    public static bool IsAvailable => Loaded.Value.Handle != 0;

    /// <summary>The name the library was loaded by (e.g. <c>libzstd.so.1</c>), or null.</summary>
    public static string? LibraryFile => Loaded.Value.Library;

    /// <summary>ZSTD_versionNumber() of the loaded library (10507 for 1.5.7), or 0.</summary>
    public static uint Version => Loaded.Value.Version;

    /// <summary>Why the library is not used, when <see cref="IsAvailable"/> is false.</summary>
    public static string? Problem => Loaded.Value.Problem;

    /// <summary>
    /// Decodes <paramref name="payload"/> (one or more zstd frames) into <paramref name="target"/>, writing at
    /// most <paramref name="target"/>.Length bytes, and returns the number of bytes produced. Each thread keeps
    /// one decompression context (ZSTD_DCtx, 96 KB with libzstd 1.5.7, freed when the thread ends): creating
    /// one per block, as ZSTD_decompress does, made decoding 10–20 KB baskets about twice as slow.
    /// </summary>
    /// <exception cref="InvalidDataException">libzstd reported an error (its ZSTD_getErrorName text).</exception>
    public static int Decompress(ReadOnlySpan<byte> payload, Span<byte> target)
    {
        if (!IsAvailable)
        {
            throw new InvalidOperationException($"the native zstd library is not available: {Problem}");
        }
        Context context = _context ??= new Context();
        nuint result;
        fixed (byte* src = payload)
        fixed (byte* dst = target)
        {
            // Starts every frame afresh (ZSTD_decompressBegin), so a context that saw an error is reusable.
            result = ZSTD_decompressDCtx(context.DangerousGetHandle(), dst, (nuint)target.Length, src, (nuint)payload.Length);
        }
        GC.KeepAlive(context);
        if (ZSTD_isError(result) != 0)
        {
            throw new InvalidDataException(Marshal.PtrToStringUTF8(ZSTD_getErrorName(result)) ?? "unknown zstd error");
        }
        if (result > (nuint)target.Length)
        {
            // Cannot happen with a conforming library; never report more than the destination holds.
            throw new InvalidDataException($"libzstd reported {result} bytes for a {target.Length}-byte destination");
        }
        return (int)result;
    }

    [ThreadStatic]
    private static Context? _context;

    /// <summary>A ZSTD_DCtx owned by one thread (ZSTD_createDCtx / ZSTD_freeDCtx).</summary>
    private sealed class Context : SafeHandle
    {
        public Context()
            : base(0, ownsHandle: true)
        {
            SetHandle(ZSTD_createDCtx());
            if (IsInvalid)
            {
                throw new InsufficientMemoryException("ZSTD_createDCtx failed");
            }
        }

        public override bool IsInvalid => handle == 0;

        protected override bool ReleaseHandle()
        {
            ZSTD_freeDCtx(handle);
            return true;
        }
    }

    private static (nint, string?, uint, string?) Load()
    {
        string[] names = OperatingSystem.IsWindows() ? ["libzstd.dll", "zstd.dll"]
            : OperatingSystem.IsMacOS() ? ["libzstd.1.dylib", "libzstd.dylib", "/opt/homebrew/lib/libzstd.1.dylib", "/usr/local/lib/libzstd.1.dylib"]
            : ["libzstd.so.1", "libzstd.so"];
        foreach (string name in names)
        {
            // Windows: only the application's and the system's directories, not the current directory or PATH.
            bool loaded = OperatingSystem.IsWindows()
                ? NativeLibrary.TryLoad(name, typeof(NativeZstd).Assembly, DllImportSearchPath.SafeDirectories, out nint handle)
                : NativeLibrary.TryLoad(name, out handle);
            if (!loaded)
            {
                continue;
            }
            foreach (string export in Exports)
            {
                if (!NativeLibrary.TryGetExport(handle, export, out _))
                {
                    NativeLibrary.Free(handle);
                    return (0, null, 0, $"{name} has no export {export}");
                }
            }
            try
            {
                NativeLibrary.SetDllImportResolver(typeof(NativeZstd).Assembly, (library, assembly, path) => Resolve(library, handle));
            }
            catch (InvalidOperationException)
            {
                NativeLibrary.Free(handle);
                return (0, null, 0, "another DllImport resolver is set for this assembly");
            }
            uint version = ZSTD_versionNumber();
            if (version < MinimumVersion)
            {
                return (0, name, version, $"{name} is version {version / 10000}.{version / 100 % 100}.{version % 100}, older than 1.4.0");
            }
            return (handle, name, version, null);
        }
        return (0, null, 0, $"none of {string.Join(", ", names)} could be loaded");
    }

    private static nint Resolve(string library, nint handle) => library == LibraryName ? handle : 0;

    // zstd.h: ZSTD_DCtx* ZSTD_createDCtx(void);
    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial nint ZSTD_createDCtx();

    // zstd.h: size_t ZSTD_freeDCtx(ZSTD_DCtx* dctx);
    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial nuint ZSTD_freeDCtx(nint dctx);

    // zstd.h: size_t ZSTD_decompressDCtx(ZSTD_DCtx* dctx, void* dst, size_t dstCapacity, const void* src, size_t srcSize);
    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial nuint ZSTD_decompressDCtx(nint dctx, byte* dst, nuint dstCapacity, byte* src, nuint srcSize);

    // zstd.h: unsigned ZSTD_isError(size_t code);
    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial uint ZSTD_isError(nuint code);

    // zstd.h: const char* ZSTD_getErrorName(size_t code); a static string, never freed.
    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial nint ZSTD_getErrorName(nuint code);

    // zstd.h: unsigned ZSTD_versionNumber(void);
    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial uint ZSTD_versionNumber();
}
