using EnergyRegression.Kernels;

namespace EnergyRegression.Kernels.Tests;

/// <summary>The vectorised seed finder equals its scalar reference over every length that hits each vector remainder.</summary>
public class SeedFinderTests
{
    [Fact]
    public void Vectorised_index_of_max_equals_the_reference_for_all_lengths()
    {
        var random = new Random(7);
        for (int length = 0; length <= 300; length++)
        {
            float[] values = new float[length];
            for (int trial = 0; trial < 5; trial++)
            {
                for (int i = 0; i < length; i++)
                {
                    // Few distinct values, so ties (first index wins) occur often.
                    values[i] = trial % 2 == 0 ? random.Next(-3, 4) : (float)(random.NextDouble() * 100 - 10);
                }
                Assert.Equal(SeedFinder.IndexOfMaxReference(values), SeedFinder.IndexOfMax(values));
            }
        }
    }

    [Fact]
    public void Signed_zeros_tie_and_the_first_NaN_wins_in_both_implementations()
    {
        var random = new Random(11);
        for (int length = 1; length <= 80; length++)
        {
            float[] values = [.. Enumerable.Range(0, length).Select(_ => random.Next(3) switch { 0 => -0f, 1 => 0f, _ => -1f })];
            Assert.Equal(SeedFinder.IndexOfMaxReference(values), SeedFinder.IndexOfMax(values));
            values[random.Next(length)] = float.NaN;
            values[random.Next(length)] = float.NaN;
            Assert.Equal(SeedFinder.IndexOfMaxReference(values), SeedFinder.IndexOfMax(values));
        }
        Assert.Equal(0, SeedFinder.IndexOfMax([-0f, 0f]));
        Assert.Equal(1, SeedFinder.IndexOfMax([1f, float.NaN, 2f, float.NaN]));
    }

    [Fact]
    public void Ties_go_to_the_first_index_and_an_empty_window_has_none()
    {
        Assert.Equal(1, SeedFinder.IndexOfMax([0f, 5f, 5f, 1f]));
        Assert.Equal(-1, SeedFinder.IndexOfMax([]));
        Assert.Equal(-1, SeedFinder.IndexOfMaxReference([]));
    }

    [Fact]
    public void Batched_seeds_are_the_seeds_of_each_window()
    {
        float[] windows = [0, 1, 9, 2, /**/ 7, 0, 0, 0, /**/ -1, -2, -3, -0.5f];
        int[] seeds = new int[3];
        SeedFinder.IndexOfMax(windows, 4, seeds);
        Assert.Equal([2, 0, 3], seeds);
        Assert.Throws<ArgumentException>(() => SeedFinder.IndexOfMax(windows, 5, seeds));
    }
}
