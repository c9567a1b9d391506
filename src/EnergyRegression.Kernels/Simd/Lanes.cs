using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EnergyRegression.Kernels.Simd;

/// <summary>
/// The float-vector operations the structure-of-arrays kernels need, over one hardware width. A kernel
/// written once against <c>TLanes : ILanes&lt;TVector&gt;</c> is compiled by the JIT for each struct below
/// (static abstract members are specialised per value type), so each width gets its own machine code
/// without three hand-copied kernels. (System.Runtime.Intrinsics' own ISimdVector is internal in .NET 10.)
/// </summary>
internal interface ILanes<TVector> where TVector : unmanaged
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    static abstract TVector Create(float value);

    static abstract TVector Load(ReadOnlySpan<float> source);

    static abstract void Store(TVector value, Span<float> destination);

    static abstract TVector Add(TVector a, TVector b);

    static abstract TVector Subtract(TVector a, TVector b);

    static abstract TVector Multiply(TVector a, TVector b);

    static abstract TVector Divide(TVector a, TVector b);

    /// <summary>Lane-wise maximum with Math.Max's semantics (NaN propagates, +0 above −0).</summary>
    static abstract TVector Max(TVector a, TVector b);

    static abstract TVector Sqrt(TVector value);

    static abstract TVector Log(TVector value);

    /// <summary>a where a &gt; b, else 0: the masks the kernels need are all "keep when positive".</summary>
    static abstract TVector KeepWhereGreater(TVector a, TVector b, TVector value);
}

/// <summary>Chooses the widest accelerated width: 512, 256, else 128 bits (software when nothing is accelerated).</summary>
internal static class LaneWidth
{
    /// <summary>The width the kernels run at in this process, in bits (for benchmarks and the hardware-path tests).</summary>
    public static int Bits => Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;
}

internal readonly struct Lanes512 : ILanes<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Create(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ReadOnlySpan<float> source) => Vector512.Create(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, Span<float> destination) => value.CopyTo(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sqrt(Vector512<float> value) => Vector512.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log(Vector512<float> value) => Vector512.Log(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> KeepWhereGreater(Vector512<float> a, Vector512<float> b, Vector512<float> value) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(a, b), value, Vector512<float>.Zero);
}

internal readonly struct Lanes256 : ILanes<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Create(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ReadOnlySpan<float> source) => Vector256.Create(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, Span<float> destination) => value.CopyTo(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sqrt(Vector256<float> value) => Vector256.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log(Vector256<float> value) => Vector256.Log(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> KeepWhereGreater(Vector256<float> a, Vector256<float> b, Vector256<float> value) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(a, b), value, Vector256<float>.Zero);
}

internal readonly struct Lanes128 : ILanes<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Create(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ReadOnlySpan<float> source) => Vector128.Create(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, Span<float> destination) => value.CopyTo(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sqrt(Vector128<float> value) => Vector128.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Log(Vector128<float> value) => Vector128.Log(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> KeepWhereGreater(Vector128<float> a, Vector128<float> b, Vector128<float> value) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(a, b), value, Vector128<float>.Zero);
}
