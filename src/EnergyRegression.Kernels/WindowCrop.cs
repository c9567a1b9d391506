using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EnergyRegression.Kernels;

/// <summary>
/// Where the crystals of a sparse hit list sit: hits carry detector indices (iη, iφ) and a crop maps
/// them to rows and columns relative to the seed. CMS barrel conventions by default: iη = ±1…±85 with no
/// 0 (so iη = −1 and +1 are neighbours), iφ = 1…360 wrapping (360 and 1 are neighbours).
/// </summary>
/// <param name="PhiPeriod">Number of crystals around φ; column differences wrap modulo it (0: no wrap).</param>
/// <param name="EtaSkipsZero">Whether the iη numbering skips 0 (CMS); false for a plain 0-based grid.</param>
public readonly record struct HitGrid(int PhiPeriod, bool EtaSkipsZero)
{
    /// <summary>The CMS barrel: iφ period 360, iη without 0.</summary>
    public static HitGrid CmsBarrel { get; } = new(360, true);

    /// <summary>Rows between two iη values (b − a), counting the missing 0 when the grid skips it.</summary>
    public int RowOffset(int fromIEta, int toIEta) => Continuous(toIEta) - Continuous(fromIEta);

    /// <summary>Columns between two iφ values, wrapped into [−period/2, period/2) when the grid wraps.</summary>
    public int ColumnOffset(int fromIPhi, int toIPhi)
    {
        int d = toIPhi - fromIPhi;
        if (PhiPeriod <= 0)
        {
            return d;
        }
        int half = PhiPeriod / 2;
        return ((d + half) % PhiPeriod + PhiPeriod) % PhiPeriod - half;
    }

    private int Continuous(int iEta) => EtaSkipsZero && iEta > 0 ? iEta - 1 : iEta;
}

/// <summary>One object of a batched crop from sparse hits: its hits are Hits[FirstHit .. FirstHit + HitCount), the crop is centred on (CentreIEta, CentreIPhi).</summary>
/// <param name="FirstHit">Index of the object's first hit in the hit arrays (objects of one event may share their event's hits).</param>
/// <param name="HitCount">Number of hits to consider.</param>
/// <param name="CentreIEta">iη of the crystal that lands at row height/2 (the seed).</param>
/// <param name="CentreIPhi">iφ of the crystal that lands at column width/2.</param>
public readonly record struct HitCrop(int FirstHit, int HitCount, int CentreIEta, int CentreIPhi);

/// <summary>
/// Crops of crystal windows: H × W images centred on a seed (the seed at row H/2, column W/2; rows are η
/// with +η at higher rows, columns φ), from larger windows or from sparse hits, many objects per call
/// (batch layout N × H × W). Crystals outside the source (the edge of the barrel, of a stored window) are 0.
/// </summary>
public static class WindowCrop
{
    /// <summary>
    /// Crops <paramref name="seeds"/>.Length source windows of <paramref name="sourceHeight"/> ×
    /// <paramref name="sourceWidth"/> (one after the other in <paramref name="sources"/>) to
    /// <paramref name="height"/> × <paramref name="width"/> around each seed (an index into its source
    /// window). With <paramref name="wrapColumns"/> the source's columns are a full φ ring (column −1 is the
    /// last); otherwise columns beyond the source are 0. Rows copy as whole runs (vectorised block moves).
    /// </summary>
    public static void FromWindows(ReadOnlySpan<float> sources, int sourceHeight, int sourceWidth, ReadOnlySpan<int> seeds,
        Span<float> destination, int height, int width, bool wrapColumns = false)
    {
        CheckWindows(sources, sourceHeight, sourceWidth, seeds, destination, height, width);
        int sourceSize = sourceHeight * sourceWidth, size = height * width;
        for (int i = 0; i < seeds.Length; i++)
        {
            ReadOnlySpan<float> source = sources.Slice(i * sourceSize, sourceSize);
            Span<float> crop = destination.Slice(i * size, size);
            int firstRow = seeds[i] / sourceWidth - height / 2, firstColumn = seeds[i] % sourceWidth - width / 2;
            for (int r = 0; r < height; r++)
            {
                Span<float> row = crop.Slice(r * width, width);
                int sourceRow = firstRow + r;
                if ((uint)sourceRow >= (uint)sourceHeight)
                {
                    row.Clear();
                    continue;
                }
                ReadOnlySpan<float> from = source.Slice(sourceRow * sourceWidth, sourceWidth);
                if (wrapColumns)
                {
                    CopyWrapped(from, firstColumn, row);
                }
                else
                {
                    CopyClipped(from, firstColumn, row);
                }
            }
        }
    }

    /// <summary>The scalar reference of <see cref="FromWindows"/>: one crystal at a time.</summary>
    public static void FromWindowsReference(ReadOnlySpan<float> sources, int sourceHeight, int sourceWidth, ReadOnlySpan<int> seeds,
        Span<float> destination, int height, int width, bool wrapColumns = false)
    {
        CheckWindows(sources, sourceHeight, sourceWidth, seeds, destination, height, width);
        int sourceSize = sourceHeight * sourceWidth, size = height * width;
        for (int i = 0; i < seeds.Length; i++)
        {
            int seedRow = seeds[i] / sourceWidth, seedColumn = seeds[i] % sourceWidth;
            for (int r = 0; r < height; r++)
            {
                for (int c = 0; c < width; c++)
                {
                    int sr = seedRow + r - height / 2, sc = seedColumn + c - width / 2;
                    if (wrapColumns)
                    {
                        sc = ((sc % sourceWidth) + sourceWidth) % sourceWidth;
                    }
                    bool inside = sr >= 0 && sr < sourceHeight && sc >= 0 && sc < sourceWidth;
                    destination[i * size + r * width + c] = inside ? sources[i * sourceSize + sr * sourceWidth + sc] : 0f;
                }
            }
        }
    }

    /// <summary>
    /// Crops from sparse hits: for each request, the hits in its range land at row height/2 + Δrow, column
    /// width/2 + Δcolumn (offsets from the centre on <paramref name="grid"/>, φ wrapping); hits outside the
    /// crop are ignored, hits on the same crystal add up, crystals without hits are 0.
    /// </summary>
    public static void FromHits(ReadOnlySpan<int> hitIEta, ReadOnlySpan<int> hitIPhi, ReadOnlySpan<float> hitEnergy,
        ReadOnlySpan<HitCrop> requests, Span<float> destination, int height, int width, HitGrid grid)
    {
        CheckHits(hitIEta, hitIPhi, hitEnergy, requests, destination, height, width);
        int size = height * width;
        destination.Clear();
        for (int i = 0; i < requests.Length; i++)
        {
            HitCrop request = requests[i];
            Span<float> crop = destination.Slice(i * size, size);
            int end = request.FirstHit + request.HitCount;
            for (int h = request.FirstHit; h < end; h++)
            {
                int row = height / 2 + grid.RowOffset(request.CentreIEta, hitIEta[h]);
                int column = width / 2 + grid.ColumnOffset(request.CentreIPhi, hitIPhi[h]);
                if ((uint)row < (uint)height && (uint)column < (uint)width)
                {
                    crop[row * width + column] += hitEnergy[h];
                }
            }
        }
    }

    /// <summary>
    /// The reference of <see cref="FromHits"/>, formulated the other way round: for every crystal of the
    /// crop, the sum of the hits (in hit order) whose detector index is that crystal's. Slow on purpose.
    /// </summary>
    public static void FromHitsReference(ReadOnlySpan<int> hitIEta, ReadOnlySpan<int> hitIPhi, ReadOnlySpan<float> hitEnergy,
        ReadOnlySpan<HitCrop> requests, Span<float> destination, int height, int width, HitGrid grid)
    {
        CheckHits(hitIEta, hitIPhi, hitEnergy, requests, destination, height, width);
        for (int i = 0; i < requests.Length; i++)
        {
            HitCrop request = requests[i];
            for (int r = 0; r < height; r++)
            {
                for (int c = 0; c < width; c++)
                {
                    float sum = 0;
                    for (int h = request.FirstHit; h < request.FirstHit + request.HitCount; h++)
                    {
                        if (grid.RowOffset(request.CentreIEta, hitIEta[h]) == r - height / 2 &&
                            grid.ColumnOffset(request.CentreIPhi, hitIPhi[h]) == c - width / 2)
                        {
                            sum += hitEnergy[h];
                        }
                    }
                    destination[(i * height + r) * width + c] = sum;
                }
            }
        }
    }

    /// <summary>Copies the columns [first, first + row.Length) of <paramref name="from"/>, zero where they fall outside it.</summary>
    private static void CopyClipped(ReadOnlySpan<float> from, int first, Span<float> row)
    {
        int begin = Math.Clamp(-first, 0, row.Length);                 // crop columns before the source
        int end = Math.Clamp(from.Length - first, begin, row.Length);   // crop columns up to the source's end
        row[..begin].Clear();
        CopyRun(from.Slice(first + begin, end - begin), row[begin..end]);
        row[end..].Clear();
    }

    /// <summary>
    /// Copies a short run (a crop row: tens of floats) with 256-bit moves, the last one overlapping the one
    /// before instead of a scalar tail. Span.CopyTo's general memmove costs more than the copy at these sizes.
    /// </summary>
    private static void CopyRun(ReadOnlySpan<float> from, Span<float> to)
    {
        int n = from.Length, lanes = Vector256<float>.Count;
        if (!Vector256.IsHardwareAccelerated || n < lanes)
        {
            from.CopyTo(to);
            return;
        }
        ref float source = ref MemoryMarshal.GetReference(from);
        ref float destination = ref MemoryMarshal.GetReference(to[..n]);
        for (int i = 0; i < n - lanes; i += lanes)
        {
            Vector256.LoadUnsafe(ref source, (nuint)i).StoreUnsafe(ref destination, (nuint)i);
        }
        Vector256.LoadUnsafe(ref source, (nuint)(n - lanes)).StoreUnsafe(ref destination, (nuint)(n - lanes));
    }

    /// <summary>Copies columns first, first + 1, … of a full ring, wrapping at its ends, in at most a few runs.</summary>
    private static void CopyWrapped(ReadOnlySpan<float> from, int first, Span<float> row)
    {
        int n = from.Length, column = ((first % n) + n) % n, done = 0;
        while (done < row.Length)
        {
            int run = Math.Min(row.Length - done, n - column);
            CopyRun(from.Slice(column, run), row.Slice(done, run));
            done += run;
            column = 0;
        }
    }

    private static void CheckWindows(ReadOnlySpan<float> sources, int sourceHeight, int sourceWidth, ReadOnlySpan<int> seeds,
        Span<float> destination, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (sources.Length != seeds.Length * sourceHeight * sourceWidth)
        {
            throw new ArgumentException($"{sources.Length} values for {seeds.Length} windows of {sourceHeight} × {sourceWidth}", nameof(sources));
        }
        if (destination.Length != seeds.Length * height * width)
        {
            throw new ArgumentException($"destination has {destination.Length} values, {seeds.Length} crops of {height} × {width} need {seeds.Length * height * width}", nameof(destination));
        }
        foreach (int seed in seeds)
        {
            if ((uint)seed >= (uint)(sourceHeight * sourceWidth))
            {
                throw new ArgumentOutOfRangeException(nameof(seeds), $"seed index {seed} outside a {sourceHeight} × {sourceWidth} window");
            }
        }
    }

    private static void CheckHits(ReadOnlySpan<int> hitIEta, ReadOnlySpan<int> hitIPhi, ReadOnlySpan<float> hitEnergy,
        ReadOnlySpan<HitCrop> requests, Span<float> destination, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (hitIPhi.Length != hitIEta.Length || hitEnergy.Length != hitIEta.Length)
        {
            throw new ArgumentException($"hit arrays differ in length: {hitIEta.Length} iη, {hitIPhi.Length} iφ, {hitEnergy.Length} energies");
        }
        if (destination.Length != requests.Length * height * width)
        {
            throw new ArgumentException($"destination has {destination.Length} values, {requests.Length} crops of {height} × {width} need {requests.Length * height * width}", nameof(destination));
        }
        foreach (HitCrop request in requests)
        {
            if (request.FirstHit < 0 || request.HitCount < 0 || request.FirstHit + request.HitCount > hitIEta.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(requests), $"hits [{request.FirstHit}, {request.FirstHit + request.HitCount}) outside the {hitIEta.Length} hits");
            }
        }
    }
}
