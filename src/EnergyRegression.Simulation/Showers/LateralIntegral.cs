namespace EnergyRegression.Simulation.Showers;

/// <summary>
/// Integrals of the Grindhammer–Peters radial profile f(r) = 2rR²/(r²+R²)² over rectangles.
/// In the plane its density is ρ(x, y) = R² / (π (x²+y²+R²)²), and the integral over
/// [0, X] × [0, Y] has the closed form
/// Q(X, Y) = 1/(2π) · [ X/a · atan(Y/a) + Y/b · atan(X/b) ], a = √(X²+R²), b = √(Y²+R²)
/// (differentiate in Y and compare with ∫₀ˣ ρ dx; Q(X, 0) = 0). Q is odd in X and in Y, so the
/// integral over [x1, x2] × [y1, y2] is Q(x2,y2) − Q(x1,y2) − Q(x2,y1) + Q(x1,y1).
/// Q(X, Y) = Q₁(X/R, Y/R) with Q₁ the R = 1 function, which the hot path reads from a table in
/// u = x/(1+x) ∈ [0, 1] (bilinear; absolute error below 1e-6), instead of two arctangents per corner.
/// </summary>
internal static class LateralIntegral
{
    private const int TableSteps = 512;
    private static readonly float[] Table = BuildTable();

    /// <summary>The corner function Q(X, Y) for radius <paramref name="r"/>, exactly.</summary>
    public static double Corner(double x, double y, double r)
    {
        double a = Math.Sqrt(x * x + r * r);
        double b = Math.Sqrt(y * y + r * r);
        return (x / a * Math.Atan(y / a) + y / b * Math.Atan(x / b)) / (2 * Math.PI);
    }

    /// <summary>The fraction of the profile inside [x1, x2] × [y1, y2] (shower axis at the origin), exactly.</summary>
    public static double Rectangle(double x1, double x2, double y1, double y2, double r) =>
        Corner(x2, y2, r) - Corner(x1, y2, r) - Corner(x2, y1, r) + Corner(x1, y1, r);

    /// <summary>Q₁ at (x, y) ≥ 0, including the limits x → ∞ or y → ∞ (Q₁(∞, y) = y / (4√(y²+1))).</summary>
    private static double UnitCorner(double x, double y)
    {
        if (double.IsPositiveInfinity(x) && double.IsPositiveInfinity(y))
        {
            return 0.25;
        }
        if (double.IsPositiveInfinity(x))
        {
            return y / (4 * Math.Sqrt(y * y + 1));
        }
        if (double.IsPositiveInfinity(y))
        {
            return x / (4 * Math.Sqrt(x * x + 1));
        }
        return Corner(x, y, 1);
    }

    private static float[] BuildTable()
    {
        int n = TableSteps + 1;
        var table = new float[n * n];
        for (int j = 0; j < n; j++)
        {
            double uy = (double)j / TableSteps;
            double y = j == TableSteps ? double.PositiveInfinity : uy / (1 - uy);
            for (int i = 0; i < n; i++)
            {
                double ux = (double)i / TableSteps;
                double x = i == TableSteps ? double.PositiveInfinity : ux / (1 - ux);
                table[j * n + i] = (float)UnitCorner(x, y);
            }
        }
        return table;
    }

    /// <summary>Where an edge falls in the table: cell index, fraction within it, and the sign of the coordinate.</summary>
    private readonly record struct TablePoint(int Index, float Fraction, float Sign);

    private static TablePoint Locate(double coordinate, double inverseRadius)
    {
        double x = Math.Abs(coordinate) * inverseRadius;
        double position = x / (1 + x) * TableSteps;
        int index = Math.Min((int)position, TableSteps - 1);
        return new TablePoint(index, (float)(position - index), coordinate < 0 ? -1 : 1);
    }

    /// <summary>
    /// Adds <paramref name="weight"/> × the profile's fraction in every cell of the grid whose cell edges
    /// are <paramref name="xEdges"/> (columns) and <paramref name="yEdges"/> (rows) to
    /// <paramref name="fractions"/> (rows × columns, row-major).
    /// </summary>
    public static void AddGrid(ReadOnlySpan<double> xEdges, ReadOnlySpan<double> yEdges, double r, double weight, Span<double> fractions)
    {
        int columns = xEdges.Length - 1;
        double inverseRadius = 1 / r;
        Span<TablePoint> xs = stackalloc TablePoint[xEdges.Length];
        for (int i = 0; i < xEdges.Length; i++)
        {
            xs[i] = Locate(xEdges[i], inverseRadius);
        }
        Span<double> previousRow = stackalloc double[xEdges.Length];
        Span<double> row = stackalloc double[xEdges.Length];
        const int Stride = TableSteps + 1;
        for (int j = 0; j < yEdges.Length; j++)
        {
            TablePoint y = Locate(yEdges[j], inverseRadius);
            ReadOnlySpan<float> low = Table.AsSpan(y.Index * Stride, 2 * Stride);
            double rowWeight = weight * y.Sign;
            for (int i = 0; i < xs.Length; i++)
            {
                TablePoint x = xs[i];
                float q00 = low[x.Index], q01 = low[x.Index + 1];
                float q10 = low[Stride + x.Index], q11 = low[Stride + x.Index + 1];
                float bottom = q00 + x.Fraction * (q01 - q00);
                float top = q10 + x.Fraction * (q11 - q10);
                row[i] = rowWeight * x.Sign * (bottom + y.Fraction * (top - bottom));
            }
            if (j > 0)
            {
                Span<double> cells = fractions.Slice((j - 1) * columns, columns);
                for (int i = 0; i < columns; i++)
                {
                    cells[i] += row[i + 1] - row[i] - previousRow[i + 1] + previousRow[i];
                }
            }
            row.CopyTo(previousRow);
        }
    }
}
