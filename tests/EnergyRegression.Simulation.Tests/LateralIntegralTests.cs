using EnergyRegression.Simulation.Showers;

namespace EnergyRegression.Simulation.Tests;

/// <summary>
/// The Grindhammer–Peters radial profile integrated over rectangles: the closed form against a 2D
/// numerical integral of ρ(x, y) = R²/(π(x²+y²+R²)²) done here, and the table used on the hot path
/// against the closed form.
/// </summary>
public class LateralIntegralTests
{
    private static double Density(double x, double y, double r)
    {
        double s = x * x + y * y + r * r;
        return r * r / (Math.PI * s * s);
    }

    /// <summary>2D midpoint rule with <paramref name="perUnit"/> points per unit length (per R if smaller).</summary>
    private static double NumericRectangle(double x1, double x2, double y1, double y2, double r, int perUnit)
    {
        int nx = (int)Math.Ceiling((x2 - x1) * perUnit / Math.Min(1, r));
        int ny = (int)Math.Ceiling((y2 - y1) * perUnit / Math.Min(1, r));
        double hx = (x2 - x1) / nx, hy = (y2 - y1) / ny;
        double sum = 0;
        for (int j = 0; j < ny; j++)
        {
            double y = y1 + (j + 0.5) * hy;
            for (int i = 0; i < nx; i++)
            {
                sum += Density(x1 + (i + 0.5) * hx, y, r);
            }
        }
        return sum * hx * hy;
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(1)]
    [InlineData(20)]
    public void The_whole_plane_holds_the_whole_profile(double r)
    {
        // Outside a square of half-side L lies less than R²/L² of the profile.
        Assert.Equal(1, LateralIntegral.Rectangle(-1e6, 1e6, -1e6, 1e6, r), 1e-9);
        // Each quadrant a quarter, each half-plane a half.
        Assert.Equal(0.25, LateralIntegral.Rectangle(0, 1e6, -1e6, 0, r), 1e-9);
        Assert.Equal(0.5, LateralIntegral.Rectangle(-1e6, 0, -1e6, 1e6, r), 1e-9);
    }

    [Fact]
    public void The_radial_integral_matches_the_profile_cdf()
    {
        // ∫₀^ρ f(r) dr = ρ²/(ρ²+R²) for f(r) = 2rR²/(r²+R²)². A square of half-side s lies between
        // the inscribed and circumscribed discs.
        const double R = 0.7;
        foreach (double s in new[] { 0.2, 1.0, 3.0 })
        {
            double square = LateralIntegral.Rectangle(-s, s, -s, s, R);
            double inner = s * s / (s * s + R * R), outer = 2 * s * s / (2 * s * s + R * R);
            Assert.InRange(square, inner, outer);
        }
    }

    [Theory]
    [InlineData(-0.5, 0.5, -0.5, 0.5, 1.0)]
    [InlineData(-0.3, 0.7, -0.2, 0.4, 0.5)]
    [InlineData(0.5, 1.5, -0.5, 0.5, 0.5)]    // beside the axis
    [InlineData(0.2, 1.1, 0.3, 2.0, 0.3)]     // a corner region, origin outside
    [InlineData(-2.5, -1.5, -1.7, -0.2, 0.8)] // negative coordinates only
    [InlineData(-3.0, 4.0, 1.0, 2.0, 2.0)]
    [InlineData(-0.4, 0.6, -0.45, 0.55, 0.15)] // narrow core over a crystal
    public void Rectangle_matches_a_numerical_integral(double x1, double x2, double y1, double y2, double r)
    {
        double numeric = NumericRectangle(x1, x2, y1, y2, r, 600);
        Assert.Equal(numeric, LateralIntegral.Rectangle(x1, x2, y1, y2, r), 1e-6);
    }

    [Fact]
    public void Corner_is_odd_and_vanishes_on_the_axes()
    {
        Assert.Equal(0, LateralIntegral.Corner(0, 1.3, 0.5));
        Assert.Equal(0, LateralIntegral.Corner(2.1, 0, 0.5));
        Assert.Equal(-LateralIntegral.Corner(0.4, 1.3, 0.5), LateralIntegral.Corner(-0.4, 1.3, 0.5), 1e-15);
        Assert.Equal(-LateralIntegral.Corner(0.4, 1.3, 0.5), LateralIntegral.Corner(0.4, -1.3, 0.5), 1e-15);
        // Scaling: Q(X, Y; R) = Q(X/R, Y/R; 1).
        Assert.Equal(LateralIntegral.Corner(0.8, 2.6, 1), LateralIntegral.Corner(0.4, 1.3, 0.5), 1e-15);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(2.0)]
    public void AddGrid_matches_the_exact_rectangles_cell_by_cell(double r)
    {
        // A 9 × 9 crystal grid around an off-centre axis, with a gap strip cut out (as the shower
        // model builds it), and a second, irregular grid.
        double[][] xGrids =
        [
            [-4.3, -3.3, -2.3, -1.3, -0.3, 0.7, 1.7, 1.85, 2.7, 3.7, 4.7],
            [-1e3, -7.5, -0.02, 0.0, 0.013, 0.4, 9.9, 250],
        ];
        double[][] yGrids =
        [
            [-4.6, -3.6, -2.6, -1.6, -0.6, 0.25, 0.4, 1.4, 2.4, 3.4, 4.4],
            [-3, -0.05, 0.05, 3],
        ];
        for (int g = 0; g < xGrids.Length; g++)
        {
            double[] xs = xGrids[g], ys = yGrids[g];
            int columns = xs.Length - 1, rows = ys.Length - 1;
            var fractions = new double[rows * columns];
            fractions[0] = 0.125; // AddGrid adds to what is there
            const double Weight = 0.6;
            LateralIntegral.AddGrid(xs, ys, r, Weight, fractions);
            for (int j = 0; j < rows; j++)
            {
                for (int i = 0; i < columns; i++)
                {
                    double exact = Weight * LateralIntegral.Rectangle(xs[i], xs[i + 1], ys[j], ys[j + 1], r) + (i == 0 && j == 0 ? 0.125 : 0);
                    Assert.Equal(exact, fractions[j * columns + i], 2e-5);
                }
            }
        }
    }

    [Fact]
    public void AddGrid_reaches_the_table_limits_far_out()
    {
        // Edges far beyond the profile land in the table's last column (the x → ∞ limit).
        double[] edges = [-1e9, -1, 1, 1e9];
        var fractions = new double[9];
        LateralIntegral.AddGrid(edges, edges, 1, 1, fractions);
        Assert.Equal(1, fractions.Sum(), 1e-6);
        Assert.Equal(LateralIntegral.Rectangle(-1, 1, -1, 1, 1), fractions[4], 2e-6);
        Assert.Equal(LateralIntegral.Rectangle(1, 1e9, 1, 1e9, 1), fractions[8], 2e-6);
        Assert.Equal(LateralIntegral.Rectangle(-1, 1, 1, 1e9, 1), fractions[7], 2e-6);
    }
}
