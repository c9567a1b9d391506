using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace EnergyRegression.Physics;

/// <summary>A fitted parameter: its name, value and symmetric (Hessian) uncertainty.</summary>
public sealed record FitParameter(string Name, double Value, double Error, bool Fixed = false);

/// <summary>
/// Minimises a negative log-likelihood with the Nelder-Mead simplex of MathNet.Numerics (restarted once from its
/// minimum), then estimates the covariance as the inverse of the numerical Hessian at the minimum (the usual
/// asymptotic estimate, as MINUIT's HESSE: for −ln L, errors at Δ(−ln L) = ½).
/// </summary>
internal static class Minimizer
{
    /// <summary>The result of a minimisation.</summary>
    internal sealed record Result(double[] Values, double[] Errors, double MinimumValue, bool Converged, string Status, double[,]? Covariance);

    /// <summary>
    /// Minimises <paramref name="objective"/> (−ln L over the parameters) from <paramref name="start"/> with initial
    /// steps <paramref name="steps"/>. Parameters outside their domain should make the objective +∞.
    /// </summary>
    internal static Result Minimise(Func<double[], double> objective, double[] start, double[] steps, int maxIterations = 3000)
    {
        double Safe(Vector<double> p)
        {
            double v = objective(p.ToArray());
            return double.IsFinite(v) ? v : 1e300;
        }
        var simplex = new NelderMeadSimplex(1e-9, maxIterations);
        Vector<double> point = Vector<double>.Build.DenseOfArray(start);
        Vector<double> step = Vector<double>.Build.DenseOfArray(steps);
        bool converged = true;
        string status = "converged";
        for (int round = 0; round < 2; round++)
        {
            try
            {
                MinimizationResult result = simplex.FindMinimum(ObjectiveFunction.Value(Safe), point, step);
                point = result.MinimizingPoint;
            }
            catch (MaximumIterationsException)
            {
                converged = false;
                status = "the simplex did not converge within the iteration limit";
                break;
            }
            step = step.Multiply(0.1);
        }
        double[] best = point.ToArray();
        double minimum = objective(best);
        double[,]? covariance = Covariance(objective, best, steps);
        var errors = new double[best.Length];
        if (covariance is null)
        {
            // Fall back on the diagonal (each parameter's curvature with the others fixed): underestimates the
            // errors of correlated parameters; NaN where the curvature is not positive (e.g. at a bound).
            double[] diagonal = Diagonal(objective, best, steps);
            for (int i = 0; i < errors.Length; i++)
            {
                errors[i] = diagonal[i] > 0 && double.IsFinite(diagonal[i]) ? 1 / Math.Sqrt(diagonal[i]) : double.NaN;
            }
            if (converged)
            {
                status = "the Hessian at the minimum is not positive definite (a parameter at a bound?): errors from its diagonal only";
            }
        }
        else
        {
            for (int i = 0; i < errors.Length; i++)
            {
                errors[i] = Math.Sqrt(covariance[i, i]);
            }
        }
        return new Result(best, errors, minimum, converged && covariance is not null, status, covariance);
    }

    private static double[] Diagonal(Func<double[], double> objective, double[] at, double[] steps)
    {
        double f0 = objective(at);
        var result = new double[at.Length];
        for (int i = 0; i < at.Length; i++)
        {
            double h = Math.Max(Math.Abs(steps[i]) * 1e-2, 1e-6 * Math.Max(1, Math.Abs(at[i])));
            double[] up = (double[])at.Clone(), down = (double[])at.Clone();
            up[i] += h;
            down[i] -= h;
            result[i] = (objective(up) - 2 * f0 + objective(down)) / (h * h);
        }
        return result;
    }

    /// <summary>The inverse of the numerical Hessian of the objective at the minimum, or null when not positive definite.</summary>
    private static double[,]? Covariance(Func<double[], double> objective, double[] at, double[] steps)
    {
        int n = at.Length;
        // Central differences with steps a small fraction of the initial search steps (the parameters' scales).
        var hessian = new double[n, n];
        var h = new double[n];
        for (int i = 0; i < n; i++)
        {
            h[i] = Math.Max(Math.Abs(steps[i]) * 1e-2, 1e-6 * Math.Max(1, Math.Abs(at[i])));
        }
        double f0 = objective(at);
        double F(int i, double di, int j, double dj)
        {
            double[] p = (double[])at.Clone();
            p[i] += di;
            p[j] += dj;
            return objective(p);
        }
        for (int i = 0; i < n; i++)
        {
            hessian[i, i] = (F(i, h[i], i, 0) - 2 * f0 + F(i, -h[i], i, 0)) / (h[i] * h[i]);
            for (int j = 0; j < i; j++)
            {
                double v = (F(i, h[i], j, h[j]) - F(i, h[i], j, -h[j]) - F(i, -h[i], j, h[j]) + F(i, -h[i], j, -h[j])) / (4 * h[i] * h[j]);
                hessian[i, j] = v;
                hessian[j, i] = v;
            }
        }
        Matrix<double> matrix = Matrix<double>.Build.DenseOfArray(hessian);
        if (!matrix.Enumerate().All(double.IsFinite))
        {
            return null;
        }
        try
        {
            var cholesky = matrix.Cholesky();
            return cholesky.Solve(Matrix<double>.Build.DenseIdentity(n)).ToArray();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
