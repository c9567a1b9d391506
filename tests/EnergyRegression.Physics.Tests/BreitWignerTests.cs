namespace EnergyRegression.Physics.Tests;

/// <summary>The truncated relativistic Breit-Wigner f(m) ∝ 2m/((m² − M²)² + M²Γ²).</summary>
public class BreitWignerTests
{
    /// <summary>The documented shape, unnormalised, written out independently.</summary>
    private static double Shape(double m, double mass, double width) =>
        2 * m / ((m * m - mass * mass) * (m * m - mass * mass) + mass * mass * width * width);

    [Fact]
    public void Z_boson_constants_are_the_PDG_values()
    {
        var z = BreitWigner.ZBoson();
        Assert.Equal(91.1876, z.Mass);
        Assert.Equal(2.4952, z.Width);
        Assert.Equal(50, z.Low);
        Assert.Equal(130, z.High);
        var narrow = BreitWigner.ZBoson(80, 100);
        Assert.Equal(80, narrow.Low);
        Assert.Equal(100, narrow.High);
    }

    [Theory]
    [InlineData(91.1876, 2.4952, 50, 130)]
    [InlineData(91.1876, 2.4952, 80, 100)]
    [InlineData(125.0, 10.0, 0, 300)]
    public void Density_is_normalised_and_its_integral_is_the_cdf(double mass, double width, double low, double high)
    {
        var bw = new BreitWigner(mass, width, low, high);
        int intervals = (int)((high - low) / 0.002);
        Assert.Equal(1, Numeric.Simpson(bw.Density, low, high, intervals), 1e-9);
        foreach (double m in new[] { low + 0.3 * (mass - low), mass - width, mass, mass + 0.5 * width, mass + 3 * width, high - 1 })
        {
            double integral = Numeric.Simpson(bw.Density, low, m, (int)((m - low) / 0.002));
            Assert.Equal(integral, bw.Cdf(m), 1e-9);
        }
    }

    [Fact]
    public void Density_has_the_relativistic_shape_and_is_zero_outside()
    {
        var z = BreitWigner.ZBoson();
        foreach ((double m1, double m2) in new[] { (91.1876, 88.0), (60.0, 120.0), (89.9, 92.5) })
        {
            Assert.Equal(Shape(m1, 91.1876, 2.4952) / Shape(m2, 91.1876, 2.4952), z.Density(m1) / z.Density(m2), 1e-12);
        }
        Assert.Equal(0, z.Density(49.9));
        Assert.Equal(0, z.Density(130.1));
        Assert.Equal(0, z.Cdf(40));
        Assert.Equal(0, z.Cdf(50));
        Assert.Equal(1, z.Cdf(130));
        Assert.Equal(1, z.Cdf(1000));
    }

    [Fact]
    public void Quantile_inverts_the_cdf()
    {
        var z = BreitWigner.ZBoson();
        for (double u = 0; u < 1; u += 0.0137)
        {
            double m = z.Quantile(u);
            Assert.InRange(m, 50 - 1e-9, 130 + 1e-9);
            Assert.Equal(u, z.Cdf(m), 1e-12);
        }
        Assert.Equal(50, z.Quantile(0), 1e-9);
        Assert.Equal(130, z.Quantile(1), 1e-9);
        // Symmetric in m² around M² when the window is: the median of [M−δ, …] with m² symmetric is M.
        double low = 80, high = Math.Sqrt(2 * 91.1876 * 91.1876 - 80 * 80);
        Assert.Equal(91.1876, new BreitWigner(91.1876, 2.4952, low, high).Quantile(0.5), 1e-9);
    }

    [Theory]
    [InlineData(0, 2.5, 50, 130)]
    [InlineData(-91, 2.5, 50, 130)]
    [InlineData(91, 0, 50, 130)]
    [InlineData(91, 2.5, -1, 130)]
    [InlineData(91, 2.5, 130, 130)]
    [InlineData(91, 2.5, 130, 50)]
    [InlineData(double.NaN, 2.5, 50, 130)]
    [InlineData(91, double.NaN, 50, 130)]
    public void Bad_arguments_throw(double mass, double width, double low, double high)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BreitWigner(mass, width, low, high));
    }
}
