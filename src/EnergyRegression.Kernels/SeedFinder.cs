using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EnergyRegression.Kernels;

/// <summary>
/// Finding the seed (the crystal of maximum energy) of a window or of a sparse hit list (pass the hits'
/// energies: the index is the hit's), and the second-highest energy (e2nd).
/// </summary>
public static class SeedFinder
{
    /// <summary>
    /// Index of the first maximum of <paramref name="energies"/> (−1 when empty). Two streaming passes, the
    /// maximum (TensorPrimitives) then the first element equal to it (vector compares): several times faster
    /// than TensorPrimitives.IndexOfMax, which carries indices through every step. Ties, ±0 (equal) and NaN
    /// (the first NaN wins) as in <see cref="IndexOfMaxReference"/>.
    /// </summary>
    public static int IndexOfMax(ReadOnlySpan<float> energies)
    {
        if (energies.IsEmpty)
        {
            return -1;
        }
        float max = TensorPrimitives.Max(energies);
        return float.IsNaN(max) ? IndexOfNaN(energies) : IndexOfEqual(energies, max);
    }

    /// <summary>The scalar reference of <see cref="IndexOfMax(ReadOnlySpan{float})"/>: the first index holding the largest value (NaN counts as largest, as in TensorPrimitives).</summary>
    public static int IndexOfMaxReference(ReadOnlySpan<float> energies)
    {
        int best = -1;
        for (int i = 0; i < energies.Length; i++)
        {
            if (float.IsNaN(energies[i]))
            {
                return i;
            }
            if (best < 0 || energies[i] > energies[best])
            {
                best = i;
            }
        }
        return best;
    }

    /// <summary>The seed of each window: <paramref name="windows"/> holds <paramref name="seeds"/>.Length windows of <paramref name="windowLength"/> crystals one after the other.</summary>
    public static void IndexOfMax(ReadOnlySpan<float> windows, int windowLength, Span<int> seeds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowLength);
        if (windows.Length != seeds.Length * windowLength)
        {
            throw new ArgumentException($"{windows.Length} values for {seeds.Length} windows of {windowLength}", nameof(windows));
        }
        for (int i = 0; i < seeds.Length; i++)
        {
            seeds[i] = IndexOfMax(windows.Slice(i * windowLength, windowLength));
        }
    }

    /// <summary>
    /// e2nd: the largest value once the first maximum is taken out (so a tie gives the maximum again);
    /// −∞ when there are fewer than two values. Two vectorised passes either side of the maximum.
    /// </summary>
    public static float SecondLargest(ReadOnlySpan<float> energies)
    {
        if (energies.Length < 2)
        {
            return float.NegativeInfinity;
        }
        int seed = IndexOfMax(energies);
        ReadOnlySpan<float> before = energies[..seed], after = energies[(seed + 1)..];
        float second = before.IsEmpty ? float.NegativeInfinity : TensorPrimitives.Max(before);
        return after.IsEmpty ? second : Math.Max(second, TensorPrimitives.Max(after));
    }

    /// <summary>The scalar reference of <see cref="SecondLargest"/>: one pass keeping the two largest.</summary>
    public static float SecondLargestReference(ReadOnlySpan<float> energies)
    {
        float first = float.NegativeInfinity, second = float.NegativeInfinity;
        bool any = false;
        foreach (float e in energies)
        {
            if (!any || e > first || float.IsNaN(e) && !float.IsNaN(first))
            {
                second = any ? first : second;
                first = e;
                any = true;
            }
            else
            {
                second = Math.Max(second, e);
            }
        }
        return second;
    }

    /// <summary>The first index holding <paramref name="value"/> (which is in the span), 8 compares at a time.</summary>
    private static int IndexOfEqual(ReadOnlySpan<float> values, float value)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated && values.Length >= Vector256<float>.Count)
        {
            ref float start = ref MemoryMarshal.GetReference(values);
            var target = Vector256.Create(value);
            for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                uint matches = Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)i), target).ExtractMostSignificantBits();
                if (matches != 0)
                {
                    return i + BitOperations.TrailingZeroCount(matches);
                }
            }
        }
        for (; i < values.Length; i++)
        {
            if (values[i] == value)
            {
                return i;
            }
        }
        return -1;
    }

    private static int IndexOfNaN(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (float.IsNaN(values[i]))
            {
                return i;
            }
        }
        return -1;
    }
}
