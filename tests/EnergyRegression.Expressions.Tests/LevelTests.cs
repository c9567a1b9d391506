using EnergyRegression.Data;
using static EnergyRegression.Expressions.Tests.TestBatches;

namespace EnergyRegression.Expressions.Tests;

public class LevelTests
{
    [Fact]
    public void Object_columns_give_per_object_results()
    {
        using EventBatch batch = Standard();
        using ExpressionResult result = Expression.Parse("Electron_pt * 2").Evaluate(batch);
        Assert.Equal(ColumnLevel.Object, result.Level);
        Assert.Equal("Electron", result.Collection);
        Assert.False(result.IsCondition);
        Assert.Equal(5, result.Rows);
        Assert.Equal([60, 40, 100, 20, 80], result.Values.ToArray());
    }

    [Fact]
    public void Event_columns_give_per_event_results()
    {
        using EventBatch batch = Standard();
        using ExpressionResult result = Expression.Parse("rho + run").Evaluate(batch);
        Assert.Equal(ColumnLevel.Event, result.Level);
        Assert.Null(result.Collection);
        Assert.Equal([11, 22, 33], result.Values.ToArray());
    }

    [Fact]
    public void Constant_expressions_give_one_value_per_event()
    {
        using EventBatch batch = Standard();
        using ExpressionResult result = Expression.Parse("1 + 1").Evaluate(batch);
        Assert.Equal(ColumnLevel.Event, result.Level);
        Assert.Equal([2, 2, 2], result.Values.ToArray());
    }

    [Fact]
    public void Event_values_are_broadcast_to_the_objects_of_their_event()
    {
        using EventBatch batch = Standard();
        // rho per electron: 10, 10, 30, 30, 30
        Assert.Equal([20, 10, 20, -20, 10], Eval("Electron_pt - rho", batch));
        Assert.Equal([2, 2, 3, 3, 3], Eval("Electron_pt > 0 ? nElectron : 0", batch));
        Assert.Equal([1, 1, 3, 3, 3], Eval("rho > 15 ? run : 1 + Electron_pt * 0", batch));
    }

    [Fact]
    public void Reductions_give_one_value_per_event_and_handle_empty_events()
    {
        using EventBatch batch = Standard();
        Assert.Equal([50, 0, 100], Eval("sum(Electron_pt)", batch));
        Assert.Equal([1, 0, 2], Eval("count(Electron_pt > 25)", batch));
        Assert.Equal([0, 0, 1], Eval("any(Electron_pt > 45)", batch));
        Assert.Equal([1, 1, 0], Eval("all(Electron_pt > 15)", batch)); // all() of nothing is true
        Assert.Equal([20, double.NaN, 10], Eval("min_of(Electron_pt)", batch));
        Assert.Equal([30, double.NaN, 50], Eval("max_of(Electron_pt)", batch));
        Assert.Equal([25, double.NaN, 100.0 / 3.0], Eval("mean(Electron_pt)", batch));
        Assert.Equal([15, 60, 0], Eval("sum(Photon_pt)", batch));
        using ExpressionResult result = Expression.Parse("any(Electron_isEB)").Evaluate(batch);
        Assert.Equal(ColumnLevel.Event, result.Level);
        Assert.True(result.IsCondition);
        Assert.Equal([1, 0, 1], result.Values.ToArray());
    }

    [Fact]
    public void Reductions_broadcast_back_to_objects()
    {
        using EventBatch batch = Standard();
        Assert.Equal([1, 20.0 / 30.0, 1, 0.2, 0.8], Eval("Electron_pt / max_of(Electron_pt)", batch));
        Assert.Equal([1 + (20.0 / 30.0), 0, 2], Eval("sum(Electron_pt / max_of(Electron_pt))", batch));
        // Another collection's reduction is per event, so it can meet electrons: max photon pt is 15, 60, NaN.
        Assert.Equal([1, 1, 0, 0, 0], Eval("Electron_pt > max_of(Photon_pt)", batch));
    }

    [Fact]
    public void Count_columns_follow_the_offsets()
    {
        using EventBatch batch = Standard();
        Assert.Equal([2, 0, 3], Eval("nElectron", batch));
        Assert.Equal([1, 1, 0], Eval("nPhoton", batch));
        Assert.Equal([0, 0, 1], Eval("nElectron > 2", batch));

        batch.KeepObjects("Electron", [true, false, false, true, true]);
        Assert.Equal([1, 0, 2], Eval("nElectron", batch));
        Assert.Equal([30, 10, 40], Eval("Electron_pt", batch));
    }

    [Fact]
    public void Bool_columns_are_conditions_and_int_columns_numbers()
    {
        using EventBatch batch = Standard();
        // isEB = 1 1 0 0 1, pt > 25 = 1 0 1 0 1
        Assert.Equal([1, 0, 0, 0, 1], Eval("Electron_isEB && Electron_pt > 25", batch));
        Assert.Equal([1, 1, 1, 0, 1], Eval("Electron_isEB || Electron_pt > 25", batch));
        Assert.Equal([0, 0, 1, 1, 0], Eval("!Electron_isEB", batch));
        Assert.Equal([0, 0, 1, 1, 0], Eval("not Electron_isEB", batch));
        Assert.Equal([2, 4, 6], Eval("run * 2", batch));
        Assert.Equal([1.5, 3, 1, 1.5, 1.2], Eval("abs(Electron_eta) + Electron_isEB", batch));
    }

    [Fact]
    public void Mixing_two_collections_is_an_error_naming_both()
    {
        using EventBatch batch = Standard();
        ExpressionBindingException e = Assert.Throws<ExpressionBindingException>(
            () => Expression.Parse("Electron_pt + Photon_pt").Evaluate(batch));
        Assert.Equal(14, e.Position);
        Assert.Equal(
            "'Photon_pt' at character 14 has one value per Photon but 'Electron_pt' at character 0 has one per Electron: " +
            "values of two collections cannot be combined outside a reduction; reduce one of them first, e.g. max_of(Photon_pt)",
            e.Message);
        Assert.Throws<ExpressionBindingException>(() => Expression.Parse("Electron_pt > 1 ? Photon_pt : 0").Evaluate(batch));
        Assert.Throws<ExpressionBindingException>(() => Expression.Parse("max(Photon_pt, Electron_pt)").Evaluate(batch));
    }

    [Fact]
    public void Tensor_columns_are_rejected()
    {
        using EventBatch batch = Standard();
        ExpressionBindingException e = Assert.Throws<ExpressionBindingException>(
            () => Expression.Parse("Electron_pt > 0 && Electron_window > 1").Evaluate(batch));
        Assert.Equal(19, e.Position);
        Assert.Equal("column 'Electron_window' at character 19 holds a 2×2 tensor per row; expressions work on scalar columns only", e.Message);
    }

    [Fact]
    public void Unknown_columns_suggest_the_closest_name_and_list_what_exists()
    {
        using EventBatch batch = Standard();
        ExpressionBindingException e = Assert.Throws<ExpressionBindingException>(
            () => Expression.Parse("abs(Electron_eta) < 1 && Electron_ptt > 25").Evaluate(batch));
        Assert.Equal(25, e.Position);
        Assert.Equal(
            "unknown column 'Electron_ptt' at character 25; did you mean 'Electron_pt'? (columns: rho, run, Electron_pt, Electron_eta, " +
            "Electron_isEB, Electron_window, Photon_pt, nElectron, nPhoton)",
            e.Message);

        e = Assert.Throws<ExpressionBindingException>(() => Expression.Parse("nElectrons > 1").Evaluate(batch));
        Assert.Contains("did you mean 'nElectron'?", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ExpressionBindingException>(() => Expression.Parse("zzz > 1").Evaluate(batch));
        Assert.DoesNotContain("did you mean", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ExpressionBindingException>(() => Expression.Parse("sqrt + 1").Evaluate(batch));
        Assert.StartsWith("unknown column 'sqrt' at character 0; 'sqrt' is a function, write sqrt(...)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Numbers_where_conditions_are_needed_are_errors()
    {
        using EventBatch batch = Standard();
        ExpressionBindingException e = Assert.Throws<ExpressionBindingException>(() => Expression.Parse("!Electron_pt > 25").Evaluate(batch));
        Assert.Equal(1, e.Position);
        Assert.Equal("'!' at character 0 needs a condition, but 'Electron_pt' (character 1) is a number; compare it, e.g. 'Electron_pt != 0'", e.Message);

        e = Assert.Throws<ExpressionBindingException>(() => Expression.Parse("Electron_pt > 25 && Electron_eta").Evaluate(batch));
        Assert.Equal(20, e.Position);

        e = Assert.Throws<ExpressionBindingException>(() => Expression.Parse("count(Electron_pt)").Evaluate(batch));
        Assert.Equal(6, e.Position);

        e = Assert.Throws<ExpressionBindingException>(() => Expression.Parse("rho + 1 ? 1 : 0").Evaluate(batch));
        Assert.Equal(0, e.Position);
        Assert.Contains("the operand starting at character 0 is a number", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reductions_need_per_object_arguments()
    {
        using EventBatch batch = Standard();
        ExpressionBindingException e = Assert.Throws<ExpressionBindingException>(() => Expression.Parse("rho + sum(rho)").Evaluate(batch));
        Assert.Equal(6, e.Position);
        Assert.Equal("sum() at character 6 reduces the objects of a collection, but its argument has one value per event; " +
            "give it a per-object value, e.g. sum(Electron_pt)", e.Message);
        Assert.Throws<ExpressionBindingException>(() => Expression.Parse("count(true)").Evaluate(batch));
    }

    [Fact]
    public void A_batch_with_no_events_gives_empty_results()
    {
        using var batch = new EventBatch(0);
        batch.AddCollection("Electron", []);
        batch.AddObjectColumn<float>("Electron", "Electron_pt");
        batch.AddEventColumn<float>("rho");

        using ExpressionResult perObject = Expression.Parse("Electron_pt * rho > 1").Evaluate(batch);
        Assert.Equal(ColumnLevel.Object, perObject.Level);
        Assert.Equal(0, perObject.Rows);
        Assert.True(perObject.Values.IsEmpty);

        using ExpressionResult perEvent = Expression.Parse("mean(Electron_pt) + nElectron + 3").Evaluate(batch);
        Assert.Equal(ColumnLevel.Event, perEvent.Level);
        Assert.Equal(0, perEvent.Rows);
        Assert.Empty(Eval("42", batch));
    }

    [Fact]
    public void One_compiled_expression_evaluates_many_batches_in_parallel()
    {
        CompiledExpression expression = Expression.Parse("Electron_pt / max_of(Electron_pt) + rho");
        double[][] results = new double[16][];
        Parallel.For(0, results.Length, i =>
        {
            using EventBatch batch = Standard();
            batch.GetColumn<float>("rho").Values.Fill(i);
            using ExpressionResult result = expression.Evaluate(batch);
            results[i] = result.Values.ToArray();
        });
        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal([1 + i, (20.0 / 30.0) + i, 1 + i, 0.2 + i, 0.8 + i], results[i]);
        }
    }

    [Fact]
    public void A_disposed_result_cannot_be_read()
    {
        using EventBatch batch = Standard();
        ExpressionResult result = Expression.Parse("rho").Evaluate(batch);
        result.Dispose();
        Assert.Throws<ObjectDisposedException>(() => result.Values.ToArray());
    }
}
