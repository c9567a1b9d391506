using System.Numerics.Tensors;

namespace EnergyRegression.Kernels;

/// <summary>Finding the seed (the crystal of maximum energy) of a window.</summary>
public static class SeedFinder
{
    /// <summary>Index of the first maximum of <paramref name="energies"/> (−1 when empty), vectorised by TensorPrimitives.</summary>
    public static int IndexOfMax(ReadOnlySpan<float> energies) => energies.IsEmpty ? -1 : TensorPrimitives.IndexOfMax(energies);

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
}
