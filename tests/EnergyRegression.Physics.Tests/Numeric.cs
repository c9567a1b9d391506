namespace EnergyRegression.Physics.Tests;

/// <summary>Numerical integration done by the tests themselves, independently of the library.</summary>
internal static class Numeric
{
    /// <summary>Composite Simpson rule over [a, b] with <paramref name="intervals"/> (made even) intervals.</summary>
    public static double Simpson(Func<double, double> f, double a, double b, int intervals)
    {
        int n = intervals + (intervals & 1);
        double h = (b - a) / n;
        double sum = f(a) + f(b);
        for (int i = 1; i < n; i++)
        {
            sum += f(a + i * h) * (i % 2 == 1 ? 4 : 2);
        }
        return sum * h / 3;
    }
}
