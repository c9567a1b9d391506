using EnergyRegression.Data;

namespace EnergyRegression.Expressions.Tests;

/// <summary>Small hand-made batches whose expected results are computed by hand in the tests.</summary>
internal static class TestBatches
{
    /// <summary>
    /// 3 events. Electrons per event: 2, 0, 3; photons: 1, 1, 0.
    /// <code>
    /// event  rho  run  Electron_pt  Electron_eta    Electron_isEB      Photon_pt
    ///   0    10    1   30, 20       0.5, -2.0       true, true         15
    ///   1    20    2   -            -               -                  60
    ///   2    30    3   50, 10, 40   1.0, 1.5, -0.2  false, false, true -
    /// </code>
    /// Electron_window is a 2×2 tensor per electron.
    /// </summary>
    public static EventBatch Standard()
    {
        var batch = new EventBatch(3);
        batch.AddCollection("Electron", [2, 0, 3]);
        batch.AddCollection("Photon", [1, 1, 0]);
        Set(batch.AddEventColumn<float>("rho"), 10f, 20f, 30f);
        Set(batch.AddEventColumn<int>("run"), 1, 2, 3);
        Set(batch.AddObjectColumn<float>("Electron", "Electron_pt"), 30f, 20f, 50f, 10f, 40f);
        Set(batch.AddObjectColumn<double>("Electron", "Electron_eta"), 0.5, -2.0, 1.0, 1.5, -0.2);
        Set(batch.AddObjectColumn<bool>("Electron", "Electron_isEB"), true, true, false, false, true);
        batch.AddObjectColumn<float>("Electron", "Electron_window", 2, 2);
        Set(batch.AddObjectColumn<float>("Photon", "Photon_pt"), 15f, 60f);
        return batch;
    }

    /// <summary>One event per value, with an event column <c>x</c> holding the values.</summary>
    public static EventBatch WithEventValues(params double[] x)
    {
        var batch = new EventBatch(x.Length);
        Set(batch.AddEventColumn<double>("x"), x);
        return batch;
    }

    /// <summary>Evaluates and copies the values out.</summary>
    public static double[] Eval(string expression, EventBatch batch)
    {
        using ExpressionResult result = Expression.Parse(expression).Evaluate(batch);
        return result.Values.ToArray();
    }

    /// <summary>Evaluates a constant expression on a one-event batch.</summary>
    public static double EvalConstant(string expression)
    {
        using var batch = new EventBatch(1);
        return Assert.Single(Eval(expression, batch));
    }

    public static void Set<T>(Column<T> column, params T[] values) where T : unmanaged
    {
        Assert.Equal(column.Values.Length, values.Length);
        values.CopyTo(column.Values);
    }
}
