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
    public static void AddGrid(ReadOnlySpan<double> xEdges, ReadOnlySpan<double> yEdges, double r, double weight, Span<double> fractions) =>
        AddGrid(xEdges, yEdges, r, weight, fractions, xEdges.Length - 1);

    /// <summary>
    /// As <see cref="AddGrid(ReadOnlySpan{double}, ReadOnlySpan{double}, double, double, Span{double})"/> for a narrow
    /// profile (the shower's core): exact in the cells within <paramref name="reach"/> of the axis in both directions,
    /// and, farther out, where the profile falls as r⁻⁴, the density ρ = R²/(π (x²+y²+R²)²) at four points of each cell
    /// times its area (for R ≤ 0.4 and reach 2.5 the cells beyond hold ≲ 1% of the profile, taken within 1% of it).
    /// </summary>
    public static void AddNarrow(ReadOnlySpan<double> xEdges, ReadOnlySpan<double> yEdges, double r, double weight, Span<double> fractions, double reach)
    {
        int columns = xEdges.Length - 1, rows = yEdges.Length - 1;
        (int c0, int c1) = Inside(xEdges, reach);
        (int r0, int r1) = Inside(yEdges, reach);
        if (c1 <= c0 || r1 <= r0)
        {
            AddGrid(xEdges, yEdges, r, weight, fractions);
            return;
        }
        AddGrid(xEdges[c0..(c1 + 1)], yEdges[r0..(r1 + 1)], r, weight, fractions[(r0 * columns + c0)..], columns);
        double r2 = r * r, scale = weight * r2 / Math.PI;
        for (int j = 0; j < rows; j++)
        {
            bool innerRow = j >= r0 && j < r1;
            double y1 = yEdges[j], y2 = yEdges[j + 1], h = y2 - y1;
            double ya = y1 + 0.25 * h, yb = y1 + 0.75 * h;
            for (int i = 0; i < columns; i++)
            {
                if (innerRow && i >= c0 && i < c1)
                {
                    continue;
                }
                double x1 = xEdges[i], x2 = xEdges[i + 1], w = x2 - x1;
                double xa = x1 + 0.25 * w, xb = x1 + 0.75 * w;
                double density = Density(xa, ya, r2) + Density(xb, ya, r2) + Density(xa, yb, r2) + Density(xb, yb, r2);
                fractions[j * columns + i] += scale * density * 0.25 * w * h;
            }
        }

        static double Density(double x, double y, double r2)
        {
            double d = x * x + y * y + r2;
            return 1 / (d * d);
        }
    }

    /// <summary>The cells [first, last) whose two edges lie within ±<paramref name="reach"/>.</summary>
    private static (int First, int Last) Inside(ReadOnlySpan<double> edges, double reach)
    {
        int first = 0;
        while (first < edges.Length && edges[first] < -reach)
        {
            first++;
        }
        int last = edges.Length - 1;
        while (last > first && edges[last] > reach)
        {
            last--;
        }
        return (first, last);
    }

    private static void AddGrid(ReadOnlySpan<double> xEdges, ReadOnlySpan<double> yEdges, double r, double weight, Span<double> fractions, int stride)
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
                Span<double> cells = fractions.Slice((j - 1) * stride, columns);
                for (int i = 0; i < columns; i++)
                {
                    cells[i] += row[i + 1] - row[i] - previousRow[i + 1] + previousRow[i];
                }
            }
            row.CopyTo(previousRow);
        }
    }
}
