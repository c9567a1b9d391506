using EnergyRegression.Physics;
using EnergyRegression.Simulation.Randomness;

namespace EnergyRegression.Simulation.Tests;

/// <summary>
/// The random streams: SplitMix64 against its published reference output, the distributions against
/// their cdfs (Kolmogorov–Smirnov, with the cdfs of the Physics library checked in its own tests),
/// and the keying of streams.
/// </summary>
public class RandomStreamTests
{
    private const int Draws = 20000;

    /// <summary>The 1% critical value of the one-sample Kolmogorov–Smirnov statistic for large n.</summary>
    private static double KsCritical(int n) => 1.63 / Math.Sqrt(n);

    [Fact]
    public void SplitMix64_reproduces_the_reference_sequence()
    {
        // Vigna's splitmix64.c seeded with 1234567 (the values quoted with the reference code).
        ulong state = 1234567;
        ulong[] expected = [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821];
        foreach (ulong value in expected)
        {
            Assert.Equal(value, Hash.SplitMix(ref state));
        }
        ulong zero = 0;
        Assert.Equal(0xE220A8397B1DCDAFUL, Hash.SplitMix(ref zero));
        Assert.Equal(0UL, Hash.Mix(0));
    }

    [Fact]
    public void Uniforms_fill_the_unit_interval_evenly()
    {
        var random = new RandomStream(11, 1, 2);
        double[] u = [.. Enumerable.Range(0, Draws).Select(_ => random.NextDouble())];
        Assert.All(u, x => Assert.InRange(x, 0, 1 - 1e-17));
        Assert.True(Stat.KolmogorovSmirnov(u, x => x) < KsCritical(Draws));
        double[] open = [.. Enumerable.Range(0, Draws).Select(_ => random.NextOpenDouble())];
        Assert.All(open, x => Assert.True(x > 0 && x < 1));
        double[] range = [.. Enumerable.Range(0, Draws).Select(_ => random.Uniform(-3, 5))];
        Assert.True(Stat.KolmogorovSmirnov(range, x => (x + 3) / 8) < KsCritical(Draws));
    }

    [Fact]
    public void Integers_are_uniform_over_the_range()
    {
        // χ² with 9 degrees of freedom: 27.88 is the 0.1% critical value.
        var random = new RandomStream(5);
        var counts = new int[10];
        for (int i = 0; i < 100000; i++)
        {
            int k = random.NextInt(10);
            Assert.InRange(k, 0, 9);
            counts[k]++;
        }
        double chi2 = counts.Sum(c => (c - 10000.0) * (c - 10000.0) / 10000.0);
        Assert.True(chi2 < 27.88, $"χ² = {chi2}");
    }

    [Fact]
    public void Gaussians_follow_the_normal_cdf()
    {
        var random = new RandomStream(3, 9);
        double[] g = [.. Enumerable.Range(0, Draws).Select(_ => random.NextGaussian())];
        Assert.True(Stat.KolmogorovSmirnov(g, SpecialFunctions.NormalCdf) < KsCritical(Draws));
        Assert.Equal(0, Stat.Mean(g), 4 / Math.Sqrt(Draws));
        Assert.Equal(1, Stat.Variance(g), 4 * Math.Sqrt(2.0 / Draws));
    }

    [Theory]
    [InlineData(0.4)]
    [InlineData(1.0)]
    [InlineData(2.5)]
    [InlineData(12.0)]
    public void Gamma_variates_follow_the_incomplete_gamma_cdf(double shape)
    {
        var random = new RandomStream(17, (ulong)(shape * 10));
        double[] x = [.. Enumerable.Range(0, Draws).Select(_ => random.Gamma(shape))];
        Assert.True(Stat.KolmogorovSmirnov(x, v => SpecialFunctions.RegularizedLowerGamma(shape, v)) < KsCritical(Draws));
        // Mean and variance of Gamma(k, 1) are both k.
        Assert.Equal(shape, Stat.Mean(x), 4 * Math.Sqrt(shape / Draws));
    }

    [Fact]
    public void Exponentials_have_the_given_mean()
    {
        var random = new RandomStream(23);
        double[] x = [.. Enumerable.Range(0, Draws).Select(_ => random.Exponential(6))];
        Assert.True(Stat.KolmogorovSmirnov(x, v => 1 - Math.Exp(-v / 6)) < KsCritical(Draws));
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(4.2)]
    [InlineData(25)]
    public void Poisson_counts_follow_the_poisson_probabilities(double mean)
    {
        // χ² over the cells k = 0 … kmax−1 and a last cell "k ≥ kmax", each expecting ≥ 20.
        var random = new RandomStream(31, (ulong)(mean * 10));
        int kMax = (int)(mean + 4 * Math.Sqrt(mean)) + 1;
        var counts = new int[kMax + 1];
        for (int i = 0; i < Draws; i++)
        {
            counts[Math.Min(random.Poisson(mean), kMax)]++;
        }
        double chi2 = 0, p = Math.Exp(-mean), cumulative = 0;
        int cells = 0;
        double pooledObserved = 0, pooledExpected = 0;
        for (int k = 0; k <= kMax; k++)
        {
            double expected = (k < kMax ? p : 1 - cumulative) * Draws;
            cumulative += p;
            p *= mean / (k + 1);
            pooledObserved += counts[k];
            pooledExpected += expected;
            if (pooledExpected >= 20 || k == kMax)
            {
                chi2 += (pooledObserved - pooledExpected) * (pooledObserved - pooledExpected) / Math.Max(pooledExpected, 1e-9);
                cells++;
                pooledObserved = pooledExpected = 0;
            }
        }
        // 0.1% critical value of χ² with ν = cells − 1 (Wilson–Hilferty).
        int nu = cells - 1;
        double critical = nu * Math.Pow(1 - 2.0 / (9 * nu) + 3.09 * Math.Sqrt(2.0 / (9 * nu)), 3);
        Assert.True(chi2 < critical, $"χ² = {chi2} with {nu} degrees of freedom");
        Assert.Equal(0, new RandomStream(1).Poisson(0));
    }

    [Fact]
    public void Large_poisson_means_use_the_normal_approximation()
    {
        var random = new RandomStream(37);
        double[] x = [.. Enumerable.Range(0, Draws).Select(_ => (double)random.Poisson(140))];
        Assert.Equal(140, Stat.Mean(x), 4 * Math.Sqrt(140.0 / Draws));
        Assert.Equal(140, Stat.Variance(x), 140 * 4 * Math.Sqrt(2.0 / Draws) + 1);
    }

    [Fact]
    public void Bernoulli_successes_have_the_given_rate()
    {
        var random = new RandomStream(41);
        int hits = Enumerable.Range(0, Draws).Count(_ => random.Bernoulli(0.27));
        Assert.Equal(0.27, (double)hits / Draws, 4 * Math.Sqrt(0.27 * 0.73 / Draws));
    }

    [Fact]
    public void Streams_are_keyed_by_seed_and_both_keys()
    {
        static ulong[] First(RandomStream r) => [r.NextUInt64(), r.NextUInt64(), r.NextUInt64(), r.NextUInt64()];
        ulong[] reference = First(new RandomStream(42, 7, 1));
        Assert.Equal(reference, First(new RandomStream(42, 7, 1)));
        Assert.NotEqual(reference, First(new RandomStream(43, 7, 1)));
        Assert.NotEqual(reference, First(new RandomStream(42, 8, 1)));
        Assert.NotEqual(reference, First(new RandomStream(42, 7, 2)));
        // Neighbouring event streams are uncorrelated: the first uniform of 20 000 consecutive keys is uniform.
        double[] firsts = [.. Enumerable.Range(0, Draws).Select(i => new RandomStream(42, (ulong)i, 1).NextDouble())];
        Assert.True(Stat.KolmogorovSmirnov(firsts, x => x) < KsCritical(Draws));
    }

    [Fact]
    public void Hashed_gaussians_are_normal_quantiles_of_a_grid()
    {
        double[] table = [.. Enumerable.Range(0, 65536).Select(k => (double)Hash.Gaussian16((ulong)k))];
        for (int k = 0; k < 32768; k++)
        {
            Assert.Equal(-table[k], table[65535 - k], 1e-5);
            // Within 5e-3 of the exact quantile Φ⁻¹((k + ½)/65536) up to 3σ (the linear interpolation bends in the tails).
            double exact = Math.Abs(EnergyRegression.Physics.SpecialFunctions.NormalQuantile((k + 0.5) / 65536));
            if (exact < 3)
            {
                Assert.Equal(exact, Math.Abs(table[k]), 5e-3);
            }
        }
        // Monotone, as a quantile function; the tails stop at ≈ 3.6σ (the exact grid would reach Φ⁻¹(1 − ½/65536) = 4.32).
        Assert.All(Enumerable.Range(1, 65535), k => Assert.True(table[k] >= table[k - 1]));
        Assert.InRange(table.Max(), 3.6, 4.33);
        Assert.Equal(0, table.Average(), 1e-6);
        // Variance 1 within 1e-3.
        Assert.InRange(table.Sum(x => x * x) / table.Length, 0.999, 1.001);
        // Only the low 16 bits matter.
        Assert.Equal(Hash.Gaussian16(0x1234), Hash.Gaussian16(0xFFFF_0000_0000_1234));

        double[] exponential = [.. Enumerable.Range(0, 4096).Select(k => (double)Hash.Exponential12((ulong)k))];
        Assert.Equal(1, exponential.Average(), 1e-3);
        Assert.Equal(Math.Log(8192), exponential.Max(), 1e-5);
    }

    [Fact]
    public void Hashed_uniforms_are_uniform_over_indices()
    {
        double[] u = [.. Enumerable.Range(0, Draws).Select(i => Hash.Uniform(Hash.Bits(0xDEAD, (ulong)i)))];
        Assert.True(Stat.KolmogorovSmirnov(u, x => x) < KsCritical(Draws));
        Assert.Equal(Hash.Bits(5, 6), Hash.Bits(5, 6));
        Assert.NotEqual(Hash.Bits(5, 6), Hash.Bits(5, 7));
        Assert.NotEqual(Hash.Bits(5, 6), Hash.Bits(6, 6));
    }
}
