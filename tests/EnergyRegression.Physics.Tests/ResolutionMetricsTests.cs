namespace EnergyRegression.Physics.Tests;

/// <summary>Metrics of response distributions with known answers, and their bootstrap uncertainties.</summary>
public class ResolutionMetricsTests
{
    private static double[] Gaussian(int n, double mean, double sigma, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => mean + sigma * SpecialFunctions.NormalQuantile((random.Next(1, int.MaxValue) - 0.5) / int.MaxValue))];
    }

    [Theory]
    [InlineData(1.0, 0.05)]
    [InlineData(91.0, 2.0)]
    public void Sigma_eff_and_eIQR_of_a_Gaussian_are_sigma(double mean, double sigma)
    {
        double[] x = Gaussian(200_000, mean, sigma, seed: 3);
        Assert.Equal(sigma, Resolution.SigmaEff(x), sigma * 0.01);
        Assert.Equal(sigma, Resolution.EffectiveIqr(x), sigma * 0.01);
        Assert.Equal(mean, Resolution.Median(x), sigma * 0.01);
        Assert.Equal(mean, Resolution.Mean(x), sigma * 0.01);
    }

    [Fact]
    public void Quantile_interpolates_between_order_statistics()
    {
        double[] x = [4, 1, 3, 2, double.NaN];
        Assert.Equal(1, Resolution.Quantile(x, 0));
        Assert.Equal(4, Resolution.Quantile(x, 1));
        Assert.Equal(2.5, Resolution.Quantile(x, 0.5));
        Assert.Equal(1.75, Resolution.Quantile(x, 0.25));
        Assert.Equal((3.25 - 1.75) / Resolution.GaussianIqr, Resolution.EffectiveIqr(x), 12);
        Assert.True(double.IsNaN(Resolution.Quantile([], 0.5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Resolution.Quantile(x, 1.5));
    }

    [Fact]
    public void Rmse_of_known_differences()
    {
        Assert.Equal(Math.Sqrt((1 + 4 + 0) / 3.0), Resolution.Rmse([2, 4, 5, double.NaN], [1, 2, 5, 1]), 12);
        Assert.True(double.IsNaN(Resolution.Rmse([], [])));
        Assert.Throws<ArgumentException>(() => Resolution.Rmse([1], [1, 2]));
    }

    [Fact]
    public void Rms_is_the_population_standard_deviation_about_the_mean()
    {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32, 32/8 = 4 → RMS 2 (NaN ignored).
        Assert.Equal(2, Resolution.Rms([2, 4, 4, 4, 5, 5, 7, 9, double.NaN]), 1e-15);
        Assert.Equal(0, Resolution.Rms([3.5]));
        Assert.True(double.IsNaN(Resolution.Rms([])));
    }

    [Fact]
    public void Bootstrap_error_of_the_mean_is_sigma_over_root_n()
    {
        double[] x = Gaussian(2000, 0, 1, seed: 5);
        Estimate estimate = Bootstrap.Estimate(x, a => Resolution.Mean(a), resamples: 400, seed: 2);
        Assert.Equal(Resolution.Mean(x), estimate.Value);
        Assert.Equal(1 / Math.Sqrt(2000), estimate.Error, 0.1 / Math.Sqrt(2000) * 2);
        Assert.True(estimate.Low < estimate.Value && estimate.Value < estimate.High);
    }

    [Fact]
    public void Bootstrap_is_deterministic_for_a_seed_and_exact_without_resamples()
    {
        double[] x = Gaussian(300, 0, 1, seed: 7);
        Assert.Equal(Bootstrap.Estimate(x, Resolution.SigmaEffOf, seed: 9), Bootstrap.Estimate(x, Resolution.SigmaEffOf, seed: 9));
        Estimate exact = Bootstrap.Estimate(x, Resolution.SigmaEffOf, resamples: 0);
        Assert.True(double.IsNaN(exact.Error));
    }

    [Theory]
    [InlineData("sigma_eff")]
    [InlineData("eiqr")]
    [InlineData("median")]
    public void Bootstrap_intervals_cover_the_true_value_in_most_trials(string metric)
    {
        Func<double[], double> statistic = metric switch
        {
            "sigma_eff" => Resolution.SigmaEffOf,
            "eiqr" => a => Resolution.EffectiveIqr(a),
            _ => a => Resolution.Median(a),
        };
        double truth = metric == "median" ? 1.0 : 0.1;
        int trials = 120, covered = 0;
        for (int t = 0; t < trials; t++)
        {
            double[] x = Gaussian(500, 1.0, 0.1, seed: 100 + t);
            Estimate e = Bootstrap.Estimate(x, statistic, resamples: 200, seed: t);
            // The 68.3% percentile interval; 2σ intervals from the standard error cover about 95%.
            if (e.Low <= truth && truth <= e.High)
            {
                covered++;
            }
        }
        double fraction = covered / (double)trials;
        Assert.InRange(fraction, 0.55, 0.82);
    }

    [Fact]
    public void Paired_bootstrap_of_the_rmse()
    {
        double[] truth = [.. Enumerable.Range(0, 1000).Select(i => 20 + i * 0.08)];
        double[] noise = Gaussian(1000, 0, 2, seed: 11);
        double[] predicted = [.. truth.Select((t, i) => t + noise[i])];
        Estimate e = Bootstrap.Estimate(predicted, truth, (p, t) => Resolution.Rmse(p, t), resamples: 300, seed: 4);
        Assert.Equal(2, e.Value, 0.15);
        Assert.InRange(e.Error, 0.02, 0.08);
    }
}
