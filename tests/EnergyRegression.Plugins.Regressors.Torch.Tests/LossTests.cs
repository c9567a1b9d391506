using TorchSharp;
using static TorchSharp.torch;

namespace EnergyRegression.Plugins.Regressors.Torch.Tests;

/// <summary>Each loss against values computed by hand (double precision, formulas of ../shared/PHYSICS.md), and gradients.</summary>
[Collection(TorchCollection.Name)]
public sealed class LossTests
{
    public LossTests() => TorchRuntime.Start();

    private static Tensor D(params double[] values) => tensor(values, dtype: ScalarType.Float64);

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 12);
        }
    }

    private static double[] Values(Tensor t) => t.to_type(ScalarType.Float64).data<double>().ToArray();

    [Fact]
    public void Mse_and_relative()
    {
        var mse = new LossSpec { Kind = LossKind.Mse };
        var relative = new LossSpec { Kind = LossKind.Relative };
        using Tensor output = D(0.5, 1.2).reshape(2, 1);
        using Tensor y = D(0.4, 1.5);
        AssertClose([0.01, 0.09], Values(Losses.PerObject(mse, output, y)));
        // (0.5/0.4 − 1)² = 0.0625, (1.2/1.5 − 1)² = 0.04
        AssertClose([0.0625, 0.04], Values(Losses.PerObject(relative, output, y)));
    }

    [Fact]
    public void Gaussian_nll_value_and_gradients()
    {
        // y = 2, μ = 1.5, σ = 0.5: z = 1, L = ½ + ln 0.5 + ½ ln 2π = 0.72579135…;
        // ∂L/∂μ = −(y − μ)/σ² = −2, ∂L/∂σ = (1 − z²)/σ = 0.
        using Tensor mu = D(1.5).requires_grad_();
        using Tensor sigma = D(0.5).requires_grad_();
        using Tensor loss = Losses.GaussianNll(mu, sigma, D(2.0));
        Assert.Equal(0.7257913526447274, loss.item<double>(), 12);
        loss.sum().backward();
        Assert.Equal(-2.0, mu.grad!.item<double>(), 12);
        Assert.Equal(0.0, sigma.grad!.item<double>(), 12);
    }

    [Fact]
    public void Gaussian_nll_maps_the_second_output_to_a_positive_sigma()
    {
        var spec = new LossSpec { Kind = LossKind.GaussianNll, SigmaMin = 1e-3 };
        using Tensor output = D(1.0, 0.0).reshape(1, 2);
        (Tensor mu, Tensor? sigma) = Losses.Predict(spec, output);
        Assert.Equal(1.0, mu.item<double>(), 12);
        Assert.Equal(1e-3 + Math.Log(2), sigma!.item<double>(), 12);   // softplus(0) = ln 2
    }

    [Theory]
    // −2 ln of a Gaussian truncated to [0.2, 1], σ = 0.31 √y, hand-computed with Python's math.erf.
    [InlineData(0.5, 0.5, -1.401342041004855)]
    [InlineData(0.25, 0.3, -2.5914212548108733)]
    [InlineData(0.9, 0.8, -1.5057253133044337)]
    public void Truncated_gaussian_value(double yHat, double y, double expected)
    {
        using Tensor loss = Losses.TruncatedGaussian(D(yHat), D(y), 0.2, 1.0, 0.31);
        Assert.Equal(expected, loss.item<double>(), 10);
    }

    [Fact]
    public void Truncated_gaussian_gradient_matches_finite_differences()
    {
        foreach (double yHat in new[] { 0.21, 0.5, 0.97, 1.2 })
        {
            using Tensor p = D(yHat).requires_grad_();
            using Tensor loss = Losses.TruncatedGaussian(p, D(0.4), 0.2, 1.0, 0.31);
            loss.backward();
            double h = 1e-6;
            double numeric = (Losses.TruncatedGaussian(D(yHat + h), D(0.4), 0.2, 1.0, 0.31).item<double>()
                - Losses.TruncatedGaussian(D(yHat - h), D(0.4), 0.2, 1.0, 0.31).item<double>()) / (2 * h);
            Assert.Equal(numeric, p.grad!.item<double>(), 5);
        }
    }

    [Fact]
    public void Truncation_term_is_the_normalisation_of_the_truncated_density()
    {
        // ∫_a^b exp(−L/2) dy over y with σ fixed must be 1: check with σ = 0.1 constant (c √y with y fixed for σ only)
        // by integrating the density of y for ŷ = 0.25 near the edge a = 0.2, numerically.
        const double a = 0.2, b = 1.0, sigma = 0.1, yHat = 0.25;
        double m = Erf((yHat - a) / (Math.Sqrt(2) * sigma)) - Erf((yHat - b) / (Math.Sqrt(2) * sigma));
        double integral = 0;
        int steps = 20000;
        for (int i = 0; i < steps; i++)
        {
            double y = a + ((i + 0.5) * (b - a) / steps);
            double minus2LnL = ((y - yHat) * (y - yHat) / (sigma * sigma)) + Math.Log(Math.PI * sigma * sigma / 2 * m * m);
            integral += Math.Exp(-minus2LnL / 2) * (b - a) / steps;
        }
        Assert.Equal(1.0, integral, 6);
    }

    private static double Erf(double x)
    {
        using Tensor t = special.erf(D(x));
        return t.item<double>();
    }

    private static CrystalBallParameters Cb(double mu, double sigma, double a1, double n1, double a2, double n2, int n = 1) =>
        new(D([.. Enumerable.Repeat(mu, n)]), D([.. Enumerable.Repeat(sigma, n)]), D([.. Enumerable.Repeat(a1, n)]),
            D([.. Enumerable.Repeat(n1, n)]), D([.. Enumerable.Repeat(a2, n)]), D([.. Enumerable.Repeat(n2, n)]));

    [Theory]
    // μ = 0, σ = 1, α1 = 1, n1 = 2, α2 = 2, n2 = 3; ln N = ln(√(π/2)(erf(1/√2) + erf(2/√2)) + e^−½·2/1 + e^−2·3/4) = 1.21386626.
    [InlineData(-3.0, 3.1001606195530726)]   // left tail: ½ + 2 ln(1 + ½·2) + ln N
    [InlineData(0.5, 1.3388662584331823)]    // core: 0.125 + ln N
    [InlineData(4.0, 5.755759839594793)]     // right tail: 2 + 3 ln(1 + ⅔·2) + ln N
    public void Crystal_ball_nll_value(double y, double expected)
    {
        using Tensor loss = Losses.CrystalBallNll(Cb(0, 1, 1, 2, 2, 3), D(y));
        Assert.Equal(expected, loss.item<double>(), 10);
    }

    [Fact]
    public void Crystal_ball_density_integrates_to_one_and_is_continuous()
    {
        // exp(−NLL) over y from μ − 200σ to μ + 200σ (the tails beyond hold < 1e-7 for n ≥ 5).
        const double mu = 0.3, sigma = 0.7;
        int steps = 400_000;
        double lo = mu - (200 * sigma), hi = mu + (200 * sigma), dy = (hi - lo) / steps;
        double[] ys = [.. Enumerable.Range(0, steps).Select(i => lo + ((i + 0.5) * dy))];
        using Tensor nll = Losses.CrystalBallNll(Cb(mu, sigma, 1.3, 5, 0.8, 7, steps), D(ys));
        double integral = Values(nll).Sum(v => Math.Exp(-v)) * dy;
        Assert.Equal(1.0, integral, 5);
        // Continuity at the core/tail joints t = −α1 and t = α2.
        foreach (double t in new[] { -1.3, 0.8 })
        {
            double below = Losses.CrystalBallNll(Cb(mu, sigma, 1.3, 5, 0.8, 7), D(mu + ((t - 1e-9) * sigma))).item<double>();
            double above = Losses.CrystalBallNll(Cb(mu, sigma, 1.3, 5, 0.8, 7), D(mu + ((t + 1e-9) * sigma))).item<double>();
            Assert.Equal(below, above, 7);
        }
    }

    [Fact]
    public void Crystal_ball_parameters_stay_in_their_ranges_and_gradients_are_finite()
    {
        var spec = new LossSpec { Kind = LossKind.CrystalBall, SigmaMin = 1e-3, AlphaRange = [0.5, 5], NRange = [1.1, 20] };
        // Extreme raw outputs: the constrained parameters stay inside their ranges, the loss and its gradient finite.
        using Tensor raw = D(0.0, -50, -50, -50, 50, 50, 1.0, 3, 0, 0, 0, 0, -2.0, 0, 0, 0, 0, 0).reshape(3, 6).requires_grad_();
        CrystalBallParameters p = Losses.CrystalBall(spec, raw);
        foreach (double v in Values(p.Alpha1).Concat(Values(p.Alpha2)))
        {
            Assert.InRange(v, 0.5, 5);
        }
        foreach (double v in Values(p.N1).Concat(Values(p.N2)))
        {
            Assert.InRange(v, 1.1, 20);
        }
        Assert.All(Values(p.Sigma), v => Assert.True(v >= 1e-3));
        using Tensor loss = Losses.PerObject(spec, raw, D(30.0, 1.0, 2.0)).sum();
        loss.backward();
        Assert.True(double.IsFinite(loss.item<double>()));
        Assert.All(Values(raw.grad!), v => Assert.True(double.IsFinite(v)));
        // Midpoints at raw 0: α = 2.75, n = 10.55.
        Assert.Equal(2.75, Values(p.Alpha1)[1], 12);
        Assert.Equal(10.55, Values(p.N1)[1], 12);
    }

    [Fact]
    public void Crystal_ball_gradient_in_mu_matches_finite_differences_in_core_and_tails()
    {
        foreach (double y in new[] { -3.0, 0.3, 4.0 })
        {
            using Tensor mu = D(0.1).requires_grad_();
            var p = Cb(0, 1, 1, 2, 2, 3) with { Mu = mu };
            using Tensor loss = Losses.CrystalBallNll(p, D(y));
            loss.backward();
            double h = 1e-6;
            double numeric = (Losses.CrystalBallNll(Cb(0.1 + h, 1, 1, 2, 2, 3), D(y)).item<double>()
                - Losses.CrystalBallNll(Cb(0.1 - h, 1, 1, 2, 2, 3), D(y)).item<double>()) / (2 * h);
            Assert.Equal(numeric, mu.grad!.item<double>(), 5);
        }
    }
}
