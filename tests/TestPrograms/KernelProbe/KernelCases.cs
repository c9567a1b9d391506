using System.Runtime.Intrinsics;

namespace EnergyRegression.Kernels.Probe;

/// <summary>One kernel output on fixed inputs, with how close it must be to its scalar reference.</summary>
/// <param name="Name">Kernel and case, e.g. "shapes 28x28 n=13".</param>
/// <param name="Values">The output.</param>
/// <param name="RelativeTolerance">0: bit-identical to the reference; otherwise |a − b| ≤ tol·|b| + AbsoluteTolerance.</param>
/// <param name="AbsoluteTolerance">Absolute slack next to the relative one (values near 0).</param>
public sealed record KernelOutput(string Name, float[] Values, double RelativeTolerance = 0, double AbsoluteTolerance = 0);

/// <summary>
/// Fixed kernel inputs (seeded System.Random, identical in every process) and both evaluations of each
/// kernel: the vectorised one and the scalar reference. Object counts 0…33 hit every remainder of 16, 8
/// and 4 lanes; window sizes include ones shorter than a vector and ones that are not multiples of it.
/// </summary>
public static class KernelCases
{
    /// <summary>Tolerance of the log-weighted moments (float, vector log) against the double reference.</summary>
    public const double MomentTolerance = 2e-5;

    private static readonly (int Height, int Width)[] WindowSizes = [(5, 5), (7, 9), (28, 28), (32, 32)];
    private static readonly int[] Counts = [0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33];

    /// <summary>The vector width the kernels use in this process, and the ISA switches as the runtime sees them.</summary>
    public static string Describe() =>
        $"lanes={(Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128)} " +
        $"v512={Vector512.IsHardwareAccelerated} v256={Vector256.IsHardwareAccelerated} v128={Vector128.IsHardwareAccelerated}";

    /// <summary>Every kernel's vectorised output.</summary>
    public static List<KernelOutput> Vectorised() => Run(reference: false);

    /// <summary>Every kernel's scalar-reference output, in the same order as <see cref="Vectorised"/>.</summary>
    public static List<KernelOutput> Reference() => Run(reference: true);

    private static List<KernelOutput> Run(bool reference)
    {
        var outputs = new List<KernelOutput>();
        foreach ((int height, int width) in WindowSizes)
        {
            foreach (int n in Counts)
            {
                string tag = $"{height}x{width} n={n}";
                float[] windows = Windows(n, height, width, seed: 1000 * height + n);
                int[] seeds = new int[n];
                SeedFinder.IndexOfMax(windows, height * width, seeds);
                outputs.Add(new KernelOutput($"seeds {tag}", Array.ConvertAll(seeds, s => (float)s)));
                outputs.Add(new KernelOutput($"e2nd {tag}", SecondLargest(windows, height * width, reference)));

                float[] raw = RawEnergies(windows, n, height * width);
                float[] shapes = new float[n * ShowerShapes.VariableCount];
                (reference ? (ShapesKernel)ShowerShapes.ComputeReference : ShowerShapes.Compute)(windows, height, width, seeds, raw, shapes);
                AddShapes(outputs, tag, shapes, n);

                foreach ((int cropHeight, int cropWidth) in new[] { (3, 3), (5, 8), (height - 2, width - 2), (height + 3, width + 1) })
                {
                    foreach (bool wrap in new[] { false, true })
                    {
                        float[] crops = new float[n * cropHeight * cropWidth];
                        int[] randomSeeds = RandomSeeds(n, height * width, seed: n + cropHeight);
                        (reference ? (CropKernel)WindowCrop.FromWindowsReference : WindowCrop.FromWindows)(
                            windows, height, width, randomSeeds, crops, cropHeight, cropWidth, wrap);
                        outputs.Add(new KernelOutput($"crop {tag} to {cropHeight}x{cropWidth} wrap={wrap}", crops));
                    }
                }
                AddNormalisations(outputs, tag, windows, height * width, reference);
            }
        }
        AddHitCrops(outputs, reference);
        return outputs;
    }

    private delegate void ShapesKernel(ReadOnlySpan<float> windows, int height, int width, ReadOnlySpan<int> seeds,
        ReadOnlySpan<float> raw, Span<float> output);

    private delegate void CropKernel(ReadOnlySpan<float> sources, int sourceHeight, int sourceWidth, ReadOnlySpan<int> seeds,
        Span<float> destination, int height, int width, bool wrapColumns);

    private delegate void HitKernel(ReadOnlySpan<int> iEta, ReadOnlySpan<int> iPhi, ReadOnlySpan<float> energy,
        ReadOnlySpan<HitCrop> requests, Span<float> destination, int height, int width, HitGrid grid);

    private static void AddShapes(List<KernelOutput> outputs, string tag, float[] shapes, int n)
    {
        foreach (ShowerShapeVariable variable in Enum.GetValues<ShowerShapeVariable>())
        {
            float[] row = shapes.AsSpan((int)variable * n, n).ToArray();
            // Moments come from float vector logs: relative 2e-5, plus an absolute 2e-5 crystals (× 0.0174 for the
            // widths, quoted in η) for centroids near 0. Everything else is bit-identical.
            outputs.Add(variable switch
            {
                ShowerShapeVariable.SigmaIEtaIEta or ShowerShapeVariable.SigmaIPhiIPhi =>
                    new KernelOutput($"{variable} {tag}", row, MomentTolerance, 2e-5 * ShowerShapes.CrystalEta),
                ShowerShapeVariable.CentroidEta or ShowerShapeVariable.CentroidPhi =>
                    new KernelOutput($"{variable} {tag}", row, MomentTolerance, 2e-5),
                _ => new KernelOutput($"{variable} {tag}", row),
            });
        }
    }

    private static void AddNormalisations(List<KernelOutput> outputs, string tag, float[] windows, int rowLength, bool reference)
    {
        float[] result = new float[windows.Length];
        (reference ? (RowKernel)Normalization.DivideByMaxReference : Normalization.DivideByMax)(windows, rowLength, result);
        outputs.Add(new KernelOutput($"divide-by-max {tag}", (float[])result.Clone()));
        (reference ? (RowKernel)Normalization.DivideBySumReference : Normalization.DivideBySum)(windows, rowLength, result);
        outputs.Add(new KernelOutput($"divide-by-sum {tag}", (float[])result.Clone(), 1e-5, 1e-9));
        (reference ? (LogKernel)Normalization.LogReference : Normalization.Log)(windows, 1f, result);
        outputs.Add(new KernelOutput($"log {tag}", (float[])result.Clone(), 1e-6, 1e-7));

        float[] means = [.. Enumerable.Range(0, rowLength).Select(k => 0.1f * (k % 7))];
        float[] stds = [.. Enumerable.Range(0, rowLength).Select(k => 0.5f + 0.25f * (k % 5))];
        (reference ? (StandardizeKernel)Normalization.StandardizeReference : Normalization.Standardize)(windows, means, stds, result);
        outputs.Add(new KernelOutput($"standardize {tag}", (float[])result.Clone()));
        (reference ? (StandardizeKernel)Normalization.StandardizeReference : Normalization.Standardize)(windows, [1.5f], [3f], result);
        outputs.Add(new KernelOutput($"standardize-scalar {tag}", (float[])result.Clone()));

        float[] phi = [.. windows.Select((e, i) => (float)(Math.PI * ((i * 0.618034 % 2.0) - 1.0)))];
        float[] sin = new float[phi.Length], cos = new float[phi.Length];
        (reference ? (SinCosKernel)Normalization.SinCosReference : Normalization.SinCos)(phi, sin, cos);
        outputs.Add(new KernelOutput($"sin {tag}", sin, 0, 1e-6));
        outputs.Add(new KernelOutput($"cos {tag}", cos, 0, 1e-6));
    }

    private delegate void RowKernel(ReadOnlySpan<float> source, int rowLength, Span<float> destination);

    private delegate void LogKernel(ReadOnlySpan<float> source, float offset, Span<float> destination);

    private delegate void StandardizeKernel(ReadOnlySpan<float> source, ReadOnlySpan<float> means, ReadOnlySpan<float> stds, Span<float> destination);

    private delegate void SinCosKernel(ReadOnlySpan<float> angles, Span<float> sines, Span<float> cosines);

    private static float[] SecondLargest(float[] windows, int rowLength, bool reference)
    {
        int n = windows.Length / rowLength;
        float[] result = new float[n];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> row = windows.AsSpan(i * rowLength, rowLength);
            result[i] = reference ? SeedFinder.SecondLargestReference(row) : SeedFinder.SecondLargest(row);
        }
        return result;
    }

    /// <summary>Crops from sparse hits around the iφ = 360/1 seam and the iη = ±1 gap of the CMS barrel, and on a plain grid.</summary>
    private static void AddHitCrops(List<KernelOutput> outputs, bool reference)
    {
        var random = new Random(77);
        int hits = 400;
        int[] iEta = new int[hits], iPhi = new int[hits];
        float[] energy = new float[hits];
        for (int h = 0; h < hits; h++)
        {
            int k = random.Next(-12, 12);
            iEta[h] = k >= 0 ? k + 1 : k;                  // no iη = 0
            iPhi[h] = (random.Next(-10, 10) + 360) % 360 + 1; // around the seam 360 | 1
            energy[h] = (float)random.NextDouble() * 5;
        }
        // Centres at iη = −2, −1, 1, 2, 3 and iφ = 360 or near 1; hit ranges overlap like objects sharing an event's hits.
        HitCrop[] requests = [.. Enumerable.Range(0, 11).Select(i => new HitCrop(i * 20, 150, i % 5 < 2 ? i % 5 - 2 : i % 5 - 1, i % 2 == 0 ? 360 : 1 + i))];
        foreach (HitGrid grid in new[] { HitGrid.CmsBarrel, new HitGrid(0, false) })
        {
            foreach ((int height, int width) in new[] { (5, 5), (7, 12), (28, 28) })
            {
                float[] crops = new float[requests.Length * height * width];
                (reference ? (HitKernel)WindowCrop.FromHitsReference : WindowCrop.FromHits)(iEta, iPhi, energy, requests, crops, height, width, grid);
                outputs.Add(new KernelOutput($"hits {grid} {height}x{width}", crops));
            }
        }
    }

    /// <summary>Showers: an exponential fall-off around a random centre, noise (negative values too), zeros and a few empty windows.</summary>
    public static float[] Windows(int n, int height, int width, int seed)
    {
        var random = new Random(seed);
        float[] windows = new float[n * height * width];
        for (int i = 0; i < n; i++)
        {
            if (i % 11 == 10)
            {
                continue; // an empty window
            }
            int centreRow = random.Next(height), centreColumn = random.Next(width);
            double energy = 5 + 95 * random.NextDouble();
            for (int r = 0; r < height; r++)
            {
                for (int c = 0; c < width; c++)
                {
                    double distance = Math.Sqrt((r - centreRow) * (r - centreRow) + (c - centreColumn) * (c - centreColumn));
                    double value = energy * 0.6 * Math.Exp(-1.6 * distance) + 0.04 * (random.NextDouble() * 2 - 1);
                    windows[(i * height + r) * width + c] = random.Next(7) == 0 ? 0f : (float)value;
                }
            }
        }
        return windows;
    }

    private static float[] RawEnergies(float[] windows, int n, int rowLength)
    {
        float[] raw = new float[n];
        for (int i = 0; i < n; i++)
        {
            raw[i] = windows.AsSpan(i * rowLength, rowLength).ToArray().Where(e => e > 0).Sum() * 1.02f;
        }
        return raw;
    }

    private static int[] RandomSeeds(int n, int size, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => random.Next(size))];
    }
}
