using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using EnergyRegression.Kernels;
using EnergyRegression.Simulation;

namespace EnergyRegression.Benchmarks;

/// <summary>
/// Simulated crystal windows for the kernel benchmarks: the first electron of particle-gun events with
/// pile-up (20–100 GeV e+, barrel), as the window and shower-shape stages see them.
/// </summary>
internal static class KernelInputs
{
    public static float[] Windows(int count, int side)
    {
        using var simulator = new EventSimulator(new SimulationSettings { Process = SimulatedProcess.ParticleGun, WindowSize = side, Pileup = 20 });
        float[] windows = new float[count * side * side];
        var ev = new SimulatedEvent();
        int filled = 0;
        for (long entry = 0; filled < count; entry++)
        {
            simulator.Simulate(entry, ev);
            if (ev.Objects.Count > 0)
            {
                ev.Windows.AsSpan(0, side * side).CopyTo(windows.AsSpan(filled++ * side * side));
            }
        }
        return windows;
    }
}

/// <summary>Seed finding per window: the scalar loop against TensorPrimitives.IndexOfMax.</summary>
[MemoryDiagnoser]
public class SeedFinderBenchmarks
{
    private float[] _windows = null!;
    private int[] _seeds = null!;

    [Params(1, 64, 4096)]
    public int Objects { get; set; }

    [Params(28, 32)]
    public int Side { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _windows = KernelInputs.Windows(Objects, Side);
        _seeds = new int[Objects];
    }

    [Benchmark(Baseline = true)]
    public int Scalar()
    {
        int size = Side * Side;
        for (int i = 0; i < Objects; i++)
        {
            _seeds[i] = SeedFinder.IndexOfMaxReference(_windows.AsSpan(i * size, size));
        }
        return _seeds[^1];
    }

    [Benchmark]
    public int Vectorised()
    {
        SeedFinder.IndexOfMax(_windows, Side * Side, _seeds);
        return _seeds[^1];
    }
}

/// <summary>Crops of 32 × 32 windows to Side × Side: element by element, row runs, and a plain copy of the same output bytes (the bandwidth limit).</summary>
[MemoryDiagnoser]
public class WindowCropBenchmarks
{
    private const int Source = 32;
    private float[] _windows = null!;
    private int[] _seeds = null!;
    private float[] _crops = null!;
    private float[] _copySource = null!;

    [Params(1, 64, 4096)]
    public int Objects { get; set; }

    [Params(16, 28)]
    public int Side { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _windows = KernelInputs.Windows(Objects, Source);
        _seeds = new int[Objects];
        SeedFinder.IndexOfMax(_windows, Source * Source, _seeds);
        _crops = new float[Objects * Side * Side];
        _copySource = new float[_crops.Length];
    }

    [Benchmark(Baseline = true)]
    public void Memcpy() => _copySource.AsSpan().CopyTo(_crops);

    [Benchmark]
    public void Scalar() => WindowCrop.FromWindowsReference(_windows, Source, Source, _seeds, _crops, Side, Side);

    [Benchmark]
    public void Vectorised() => WindowCrop.FromWindows(_windows, Source, Source, _seeds, _crops, Side, Side);
}

/// <summary>All shower-shape variables of a batch: the per-window scalar reference against the structure-of-arrays pass.</summary>
[MemoryDiagnoser]
public class ShowerShapeBenchmarks
{
    private float[] _windows = null!;
    private int[] _seeds = null!;
    private float[] _raw = null!;
    private float[] _output = null!;

    [Params(1, 64, 4096)]
    public int Objects { get; set; }

    [Params(28, 32)]
    public int Side { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _windows = KernelInputs.Windows(Objects, Side);
        _seeds = new int[Objects];
        SeedFinder.IndexOfMax(_windows, Side * Side, _seeds);
        _raw = [.. Enumerable.Range(0, Objects).Select(i => _windows.AsSpan(i * Side * Side, Side * Side).ToArray().Sum())];
        _output = new float[Objects * ShowerShapes.VariableCount];
    }

    [Benchmark(Baseline = true)]
    public void Scalar() => ShowerShapes.ComputeReference(_windows, Side, Side, _seeds, _raw, _output);

    [Benchmark]
    public void Vectorised() => ShowerShapes.Compute(_windows, Side, Side, _seeds, _raw, _output);
}

/// <summary>
/// The batched preprocessing pass of the window and shower-shape stages: seeds of 32 × 32 windows, crops to
/// 28 × 28 around them, shapes of the crops (seed at the crop's centre, as <c>seed: middle</c>) — all scalar
/// references against all vectorised kernels (issue target ≥ 4×).
/// </summary>
[MemoryDiagnoser]
public class CropAndShapesBenchmarks
{
    private const int Source = 32, Side = 28;
    private float[] _windows = null!;
    private int[] _seeds = null!;
    private int[] _cropSeeds = null!;
    private float[] _crops = null!;
    private float[] _raw = null!;
    private float[] _output = null!;

    [Params(1, 64, 4096)]
    public int Objects { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _windows = KernelInputs.Windows(Objects, Source);
        _seeds = new int[Objects];
        _cropSeeds = [.. Enumerable.Repeat(Side / 2 * Side + Side / 2, Objects)];
        _crops = new float[Objects * Side * Side];
        _raw = [.. Enumerable.Repeat(50f, Objects)];
        _output = new float[Objects * ShowerShapes.VariableCount];
    }

    [Benchmark(Baseline = true)]
    public void Scalar()
    {
        int size = Source * Source;
        for (int i = 0; i < Objects; i++)
        {
            _seeds[i] = SeedFinder.IndexOfMaxReference(_windows.AsSpan(i * size, size));
        }
        WindowCrop.FromWindowsReference(_windows, Source, Source, _seeds, _crops, Side, Side);
        ShowerShapes.ComputeReference(_crops, Side, Side, _cropSeeds, _raw, _output);
    }

    [Benchmark]
    public void Vectorised()
    {
        SeedFinder.IndexOfMax(_windows, Source * Source, _seeds);
        WindowCrop.FromWindows(_windows, Source, Source, _seeds, _crops, Side, Side);
        ShowerShapes.Compute(_crops, Side, Side, _cropSeeds, _raw, _output);
    }
}

/// <summary>The normalisation kernels of the normalize stage.</summary>
public enum NormalizationKernel
{
    DivideByMax,
    DivideBySum,
    Log,
    Standardize,
    SinCos,
}

/// <summary>
/// Streaming normalisation over 28 × 28 windows: scalar reference and vectorised kernel against a plain
/// copy of the same bytes (baseline: the memory-bandwidth limit; issue target within 2× of it).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
public class NormalizationBenchmarks
{
    private const int Side = 28;
    private float[] _windows = null!;
    private float[] _output = null!;
    private float[] _second = null!;
    private float[] _means = null!;
    private float[] _stds = null!;

    [Params(1, 64, 4096)]
    public int Objects { get; set; }

    [Params(NormalizationKernel.DivideByMax, NormalizationKernel.DivideBySum, NormalizationKernel.Log, NormalizationKernel.Standardize, NormalizationKernel.SinCos)]
    public NormalizationKernel Kernel { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _windows = KernelInputs.Windows(Objects, Side);
        _output = new float[_windows.Length];
        _second = new float[_windows.Length];
        _means = [.. Enumerable.Range(0, Side * Side).Select(k => 0.01f * k)];
        _stds = [.. Enumerable.Range(0, Side * Side).Select(k => 1f + 0.001f * k)];
    }

    [Benchmark(Baseline = true)]
    public void Memcpy() => _windows.AsSpan().CopyTo(_output);

    [Benchmark]
    public void Scalar()
    {
        switch (Kernel)
        {
            case NormalizationKernel.DivideByMax: Normalization.DivideByMaxReference(_windows, Side * Side, _output); break;
            case NormalizationKernel.DivideBySum: Normalization.DivideBySumReference(_windows, Side * Side, _output); break;
            case NormalizationKernel.Log: Normalization.LogReference(_windows, 1f, _output); break;
            case NormalizationKernel.Standardize: Normalization.StandardizeReference(_windows, _means, _stds, _output); break;
            default: Normalization.SinCosReference(_windows, _output, _second); break;
        }
    }

    [Benchmark]
    public void Vectorised()
    {
        switch (Kernel)
        {
            case NormalizationKernel.DivideByMax: Normalization.DivideByMax(_windows, Side * Side, _output); break;
            case NormalizationKernel.DivideBySum: Normalization.DivideBySum(_windows, Side * Side, _output); break;
            case NormalizationKernel.Log: Normalization.Log(_windows, 1f, _output); break;
            case NormalizationKernel.Standardize: Normalization.Standardize(_windows, _means, _stds, _output); break;
            default: Normalization.SinCos(_windows, _output, _second); break;
        }
    }
}
