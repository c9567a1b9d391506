namespace EnergyRegression.Physics.Tests;

/// <summary>
/// LogGamma, the regularised incomplete gamma function, erf and the normal distribution against
/// textbook values (Abramowitz &amp; Stegun; closed forms for integer and half-integer a) and against
/// numerical integrals computed here.
/// </summary>
public class SpecialFunctionsTests
{
    [Fact]
    public void LogGamma_matches_closed_forms()
    {
        // Γ(½) = √π, Γ(10) = 9! = 362880, Γ(1) = Γ(2) = 1, Γ(¼) = 3.6256099082219083 (A&S table 6.1).
        Assert.Equal(0.5 * Math.Log(Math.PI), SpecialFunctions.LogGamma(0.5), 1e-13);
        Assert.Equal(Math.Log(362880), SpecialFunctions.LogGamma(10), 1e-12);
        Assert.Equal(0, SpecialFunctions.LogGamma(1), 1e-14);
        Assert.Equal(0, SpecialFunctions.LogGamma(2), 1e-14);
        Assert.Equal(Math.Log(3.6256099082219083), SpecialFunctions.LogGamma(0.25), 1e-13);
        // Γ(5/2) = 3√π/4.
        Assert.Equal(Math.Log(0.75 * Math.Sqrt(Math.PI)), SpecialFunctions.LogGamma(2.5), 1e-13);
    }

    [Fact]
    public void LogGamma_of_large_arguments_is_the_log_factorial()
    {
        foreach (int n in new[] { 20, 50, 100, 171 })
        {
            double logFactorial = 0;
            for (int k = 2; k < n; k++)
            {
                logFactorial += Math.Log(k);
            }
            // ln Γ(n) = ln (n−1)!, relative precision of the Lanczos sum.
            Assert.Equal(logFactorial, SpecialFunctions.LogGamma(n), logFactorial * 1e-13);
        }
    }

    [Fact]
    public void LogGamma_satisfies_the_recurrence_on_both_sides_of_the_reflection()
    {
        // Γ(x+1) = x Γ(x), also for x < ½ where the reflection formula is used, and for negative x
        // (ln |Γ|): Γ(−½) = −2√π.
        for (double x = 0.05; x < 30; x += 0.37)
        {
            Assert.Equal(Math.Log(x), SpecialFunctions.LogGamma(x + 1) - SpecialFunctions.LogGamma(x), 1e-12);
        }
        Assert.Equal(Math.Log(2 * Math.Sqrt(Math.PI)), SpecialFunctions.LogGamma(-0.5), 1e-13);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(1.9)] // series (x < a + 1 = 2)
    [InlineData(2.1)] // continued fraction
    [InlineData(7.5)]
    [InlineData(40)]
    public void P_of_one_is_the_exponential_cdf(double x)
    {
        Assert.Equal(1 - Math.Exp(-x), SpecialFunctions.RegularizedLowerGamma(1, x), 1e-14);
    }

    [Fact]
    public void P_of_integer_a_is_one_minus_a_poisson_sum()
    {
        // P(n, x) = 1 − e^−x Σ_{k<n} x^k/k!: series branch (x < a + 1) and continued fraction branch.
        Assert.Equal(1 - Math.Exp(-2) * (1 + 2 + 2), SpecialFunctions.RegularizedLowerGamma(3, 2), 1e-14);
        Assert.Equal(1 - Math.Exp(-10) * (1 + 10 + 50), SpecialFunctions.RegularizedLowerGamma(3, 10), 1e-14);
        foreach ((int a, double x) in new[] { (5, 20.0), (5, 3.0), (5, 6.5), (12, 9.0), (12, 25.0), (30, 28.0) })
        {
            double term = 1, sum = 0;
            for (int k = 0; k < a; k++)
            {
                sum += term;
                term *= x / (k + 1);
            }
            double expected = 1 - Math.Exp(-x) * sum;
            Assert.Equal(expected, SpecialFunctions.RegularizedLowerGamma(a, x), 1e-13);
        }
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.3)]
    [InlineData(1.2)] // last series point (x < 1.5)
    [InlineData(1.6)] // continued fraction
    [InlineData(4)]
    [InlineData(9)]
    public void P_of_one_half_is_erf_of_the_root_by_numeric_integration(double x)
    {
        double root = Math.Sqrt(x);
        double erf = Numeric.Simpson(t => 2 / Math.Sqrt(Math.PI) * Math.Exp(-t * t), 0, root, 20000);
        Assert.Equal(erf, SpecialFunctions.RegularizedLowerGamma(0.5, x), 1e-12);
        Assert.Equal(erf, SpecialFunctions.Erf(root), 1e-12);
        Assert.Equal(-erf, SpecialFunctions.Erf(-root), 1e-12);
    }

    [Fact]
    public void P_of_non_integer_a_matches_the_integral_of_the_gamma_density()
    {
        // P(a, x) = ∫₀ˣ t^(a−1) e^−t dt / Γ(a); a = 2.5, Γ(2.5) = 3√π/4, on both branches.
        double gamma = 0.75 * Math.Sqrt(Math.PI);
        foreach (double x in new[] { 0.7, 3.0, 3.6, 8.0 })
        {
            double integral = Numeric.Simpson(t => Math.Pow(t, 1.5) * Math.Exp(-t), 0, x, 20000) / gamma;
            Assert.Equal(integral, SpecialFunctions.RegularizedLowerGamma(2.5, x), 1e-10);
        }
    }

    [Fact]
    public void P_limits_and_bad_shape()
    {
        Assert.Equal(0, SpecialFunctions.RegularizedLowerGamma(2, 0));
        Assert.Equal(0, SpecialFunctions.RegularizedLowerGamma(2, -3));
        Assert.Equal(1, SpecialFunctions.RegularizedLowerGamma(2, 800), 1e-15);
        Assert.Throws<ArgumentOutOfRangeException>(() => SpecialFunctions.RegularizedLowerGamma(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpecialFunctions.RegularizedLowerGamma(-1, 1));
    }

    [Fact]
    public void Erf_and_normal_cdf_textbook_values()
    {
        // A&S table 7.1.
        Assert.Equal(0.5204998778130465, SpecialFunctions.Erf(0.5), 1e-14);
        Assert.Equal(0.8427007929497149, SpecialFunctions.Erf(1), 1e-14);
        Assert.Equal(0.9953222650189527, SpecialFunctions.Erf(2), 1e-14);
        Assert.Equal(0, SpecialFunctions.Erf(0));
        Assert.Equal(0.5, SpecialFunctions.NormalCdf(0), 1e-15);
        Assert.Equal(0.8413447460685429, SpecialFunctions.NormalCdf(1), 1e-14);
        Assert.Equal(0.975, SpecialFunctions.NormalCdf(1.959963984540054), 1e-14);
        Assert.Equal(1 - 0.8413447460685429, SpecialFunctions.NormalCdf(-1), 1e-14);
    }

    [Theory]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.995, 2.5758293035489)]
    [InlineData(0.9, 1.2815515655446004)]
    [InlineData(0.99, 2.3263478740408408)]
    [InlineData(0.999, 3.090232306167813)]
    [InlineData(0.3, -0.5244005127080407)]
    [InlineData(0.5, 0)]
    [InlineData(1e-5, -4.264890793922825)] // lower tail branch (p < 0.02425)
    [InlineData(0.01, -2.3263478740408408)]
    [InlineData(0.99999, 4.26489079392384)] // upper tail branch (Φ⁻¹ of the stored double 0.99999)
    public void Normal_quantile_textbook_values(double p, double expected)
    {
        Assert.Equal(expected, SpecialFunctions.NormalQuantile(p), 1e-12);
    }

    [Theory]
    [InlineData(1e-7, -5.199337582192817)]
    [InlineData(1e-8, -5.61200124417479)]
    [InlineData(1 - 1e-8, 5.612001243305506)] // 1 − 1e-8 is not exact: Φ⁻¹ of the stored double
    [InlineData(1e-12, -7.034483825301132)]
    [InlineData(1e-15, -7.941345326170995)]
    [InlineData(1e-20, -9.262340089798405)]
    [InlineData(1 - 1e-12, 7.0344869100478356)]
    public void Normal_quantile_in_the_far_tails(double p, double expected)
    {
        // Reference values: Wichura's AS241 (Python statistics.NormalDist.inv_cdf), double precision.
        Assert.Equal(expected, SpecialFunctions.NormalQuantile(p), 1e-9);
    }

    [Fact]
    public void Normal_quantile_inverts_the_cdf_over_the_whole_range()
    {
        var ps = new List<double>();
        for (int i = 1; i < 1000; i++)
        {
            ps.Add(i / 1000.0);
        }
        for (int e = 3; e <= 9; e++)
        {
            ps.Add(Math.Pow(10, -e));
            ps.Add(1 - Math.Pow(10, -e));
            ps.Add(2.5 * Math.Pow(10, -e));
        }
        foreach (double p in ps)
        {
            double x = SpecialFunctions.NormalQuantile(p);
            double back = SpecialFunctions.NormalCdf(x);
            Assert.Equal(p, back, 1e-10);
            Assert.Equal(1, back / p, 1e-6); // relative, for the lower tail
            // Symmetry Φ⁻¹(1 − p) = −Φ⁻¹(p), checked where 1 − p is exact.
            if (p is >= 0.5 and <= 0.999)
            {
                Assert.Equal(-x, SpecialFunctions.NormalQuantile(1 - p), 1e-9);
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Normal_quantile_rejects_probabilities_outside_the_open_interval(double p)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SpecialFunctions.NormalQuantile(p));
    }
}
