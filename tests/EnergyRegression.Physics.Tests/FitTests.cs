namespace EnergyRegression.Physics.Tests;

/// <summary>Fits of toy data generated from the fitted models recover the generating parameters.</summary>
public class FitTests
{
    /// <summary>The Crystal Ball shapes, written out independently of the library.</summary>
    private static double DoubleSided(double x, double mu, double sigma, double a1, double n1, double a2, double n2)
    {
        double t = (x - mu) / sigma;
        if (t < -a1)
        {
            return Math.Exp(-a1 * a1 / 2) * Math.Pow(1 - a1 / n1 * (a1 + t), -n1);
        }
        if (t > a2)
        {
            return Math.Exp(-a2 * a2 / 2) * Math.Pow(1 - a2 / n2 * (a2 - t), -n2);
        }
        return Math.Exp(-t * t / 2);
    }

    /// <summary>Draws from a density by inverting its cumulative integral tabulated on a fine grid.</summary>
    private static double[] Sample(Func<double, double> density, double low, double high, int n, Random random)
    {
        const int Points = 200_000;
        double step = (high - low) / Points;
        var cumulative = new double[Points + 1];
        for (int i = 1; i <= Points; i++)
        {
            cumulative[i] = cumulative[i - 1] + (density(low + (i - 1) * step) + density(low + i * step)) * step / 2;
        }
        var result = new double[n];
        for (int k = 0; k < n; k++)
        {
            double u = random.NextDouble() * cumulative[Points];
            int i = Array.BinarySearch(cumulative, u);
            i = i < 0 ? ~i : i;
            i = Math.Clamp(i, 1, Points);
            double f = (u - cumulative[i - 1]) / Math.Max(cumulative[i] - cumulative[i - 1], 1e-300);
            result[k] = low + (i - 1 + f) * step;
        }
        return result;
    }

    [Theory]
    [InlineData(FitMethod.Binned)]
    [InlineData(FitMethod.Unbinned)]
    public void Breit_Wigner_convolved_with_Crystal_Ball_recovers_the_toy_parameters(FitMethod method)
    {
        (double mu, double sigma, double alpha, double n) = (-0.4, 1.8, 1.2, 4.0);
        var random = new Random(7);
        var bw = BreitWigner.ZBoson(1, 300);
        double[] delta = Sample(x => DoubleSided(x, mu, sigma, alpha, n, 1000, 2), -60, 20, 40_000, random);
        double[] masses = [.. delta.Select(d => bw.Quantile(random.NextDouble()) + d)];

        ZPeakFitResult fit = ZPeakFit.Fit(masses, new ZPeakFitOptions { Method = method });

        Assert.True(fit.Converged, fit.Status);
        Assert.Equal(method, fit.Method);
        Assert.InRange(fit.Entries, 30_000, 40_000);
        Within(mu, fit.Mu, 3);
        Within(sigma, fit.SigmaCB, 3);
        Within(alpha, fit.Alpha, 3);
        Within(n, fit.N, 3);
        Assert.True(fit.SigmaCB.Error is > 0 and < 0.1, $"σ_CB error {fit.SigmaCB.Error}");
        Assert.InRange(fit.ChiSquare / fit.DegreesOfFreedom, 0.5, 1.6);
        Assert.InRange(fit.PValue, 0.001, 1);
        Assert.Equal(fit.Entries, fit.Counts.Sum());
        Assert.Equal(fit.Entries, fit.Expected.Sum(), 1e-6 * fit.Entries);
        Assert.Contains(fit.Parameters, p => p.Name == "m_z" && p.Fixed && p.Value == 91.1876);
    }

    [Fact]
    public void Z_peak_fit_rejects_a_sample_outside_the_window()
    {
        Assert.Throws<ArgumentException>(() => ZPeakFit.Fit([1, 2, 3, 150], new ZPeakFitOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => ZPeakFit.Fit([91], new ZPeakFitOptions { Low = 100, High = 90 }));
    }

    [Fact]
    public void Z_peak_density_is_normalised_over_the_window()
    {
        var options = new ZPeakFitOptions();
        double[] grid = [.. Enumerable.Range(0, 4001).Select(i => 70 + i * 0.01)];
        double[] density = ZPeakFit.Density(options, 0, 1.5, 1.5, 3, grid);
        double integral = 0;
        for (int i = 1; i < grid.Length; i++)
        {
            integral += (density[i] + density[i - 1]) * 0.01 / 2;
        }
        Assert.Equal(1, integral, 1e-3);
        Assert.True(density[2119] > density[1000], "peaks near 91 GeV");
    }

    [Fact]
    public void Double_sided_Crystal_Ball_density_is_normalised_and_continuous()
    {
        (double mu, double sigma, double a1, double n1, double a2, double n2) = (1.0, 0.05, 1.1, 3.5, 1.6, 6);
        double integral = Numeric.Simpson(x => CrystalBall.DoubleSidedDensity(x, mu, sigma, a1, n1, a2, n2), -60, 60, 2_000_000);
        Assert.Equal(1, integral, 2e-3);
        foreach (double t in new[] { -a1, a2 })
        {
            double x = mu + t * sigma;
            Assert.Equal(CrystalBall.DoubleSidedShape(x - 1e-9, mu, sigma, a1, n1, a2, n2), CrystalBall.DoubleSidedShape(x + 1e-9, mu, sigma, a1, n1, a2, n2), 6);
            Assert.Equal(DoubleSided(x - 0.01, mu, sigma, a1, n1, a2, n2), CrystalBall.DoubleSidedShape(x - 0.01, mu, sigma, a1, n1, a2, n2), 12);
            Assert.Equal(DoubleSided(x + 0.01, mu, sigma, a1, n1, a2, n2), CrystalBall.DoubleSidedShape(x + 0.01, mu, sigma, a1, n1, a2, n2), 12);
        }
    }

    [Fact]
    public void Double_sided_Crystal_Ball_fit_recovers_the_toy_parameters()
    {
        (double mu, double sigma, double a1, double n1, double a2, double n2) = (0.99, 0.03, 1.0, 4.0, 1.5, 8.0);
        double[] response = Sample(x => DoubleSided(x, mu, sigma, a1, n1, a2, n2), 0.5, 1.5, 30_000, new Random(8));

        ResponseFitResult fit = ResponseFit.Fit(response, 0.7, 1.3);

        Assert.True(fit.Converged, fit.Status);
        Within(mu, fit.Mu, 3);
        Within(sigma, fit.Sigma, 3);
        Within(a1, fit.Parameters[2], 3);
        Within(a2, fit.Parameters[4], 3);
        Assert.Equal((0.7, 1.3), fit.Range);
        double integral = Numeric.Simpson(fit.Density, 0.7, 1.3, 200_000);
        Assert.Equal(1, integral, 1e-3);
    }

    private static void Within(double truth, FitParameter fitted, double pulls) =>
        Assert.True(Math.Abs(fitted.Value - truth) <= pulls * fitted.Error,
            $"{fitted.Name} = {fitted.Value} ± {fitted.Error}, generated {truth}");
}
