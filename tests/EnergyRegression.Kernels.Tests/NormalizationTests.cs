namespace EnergyRegression.Kernels.Tests;

/// <summary>Normalisation kernels on values computed by hand, and their refusals.</summary>
public class NormalizationTests
{
    [Fact]
    public void Division_by_the_maximum_or_the_sum_works_per_row_and_leaves_empty_rows_alone()
    {
        float[] rows = [1, 4, 2, 1, /**/ 0, 0, 0, 0, /**/ -1, -2, -3, -4];
        float[] result = new float[12];
        Normalization.DivideByMax(rows, 4, result);
        Assert.Equal([0.25f, 1, 0.5f, 0.25f, 0, 0, 0, 0, -1, -2, -3, -4], result);
        Normalization.DivideBySum(rows, 4, result);
        Assert.Equal([0.125f, 0.5f, 0.25f, 0.125f, 0, 0, 0, 0, -1, -2, -3, -4], result);
    }

    [Fact]
    public void The_log_transform_clamps_negative_energies_to_zero()
    {
        float[] result = new float[3];
        Normalization.Log([0f, -0.3f, (float)(Math.E - 1)], 1f, result);
        Assert.Equal(0f, result[0]);
        Assert.Equal(0f, result[1]);
        Assert.Equal(1f, result[2], 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => Normalization.Log([1f], 0f, result.AsSpan(0, 1)));
    }

    [Fact]
    public void Standardisation_uses_one_mean_and_std_per_row_element_or_one_for_all()
    {
        float[] result = new float[4];
        Normalization.Standardize([3, 10, 5, 14], [1, 2], [2, 4], result);
        Assert.Equal([1f, 2f, 2f, 3f], result);
        Normalization.Standardize([3, 10, 5, 14], [1], [2], result);
        Assert.Equal([1f, 4.5f, 2f, 6.5f], result);
        Assert.Throws<ArgumentException>(() => Normalization.Standardize([1, 2, 3], [1, 2], [1, 1], new float[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Normalization.Standardize([1, 2], [1], [0], new float[2]));
        Assert.Throws<ArgumentException>(() => Normalization.Standardize([1, 2], [1, 2], [1], new float[2]));
    }

    [Fact]
    public void Sin_and_cos_of_phi_put_minus_pi_and_pi_together()
    {
        float[] sin = new float[3], cos = new float[3];
        Normalization.SinCos([-MathF.PI, 0, MathF.PI / 2], sin, cos);
        Assert.Equal(0f, sin[0], 6);
        Assert.Equal(-1f, cos[0], 6);
        Assert.Equal((0f, 1f), (sin[1], cos[1]));
        Assert.Equal(1f, sin[2], 6);
    }

    [Fact]
    public void Second_largest_energy_of_a_window()
    {
        Assert.Equal(4f, SeedFinder.SecondLargest([1, 9, 4, 2]));
        Assert.Equal(9f, SeedFinder.SecondLargest([9, 1, 9]));        // a tie: the maximum again
        Assert.Equal(float.NegativeInfinity, SeedFinder.SecondLargest([3]));
        var random = new Random(5);
        for (int length = 0; length < 200; length++)
        {
            float[] values = [.. Enumerable.Range(0, length).Select(_ => (float)random.Next(-5, 6))];
            Assert.Equal(SeedFinder.SecondLargestReference(values), SeedFinder.SecondLargest(values));
        }
    }
}
