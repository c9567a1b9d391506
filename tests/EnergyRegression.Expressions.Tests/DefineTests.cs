using EnergyRegression.Data;
using EnergyRegression.Plugins;
using EnergyRegression.Plugins.Features;
using static EnergyRegression.Expressions.Tests.TestBatches;

namespace EnergyRegression.Expressions.Tests;

public class DefineTests
{
    private static Column Define(EventBatch batch, string name, string expression, DefineType type = DefineType.Float32)
    {
        var config = new DefineConfig { Name = name, Expression = expression, Type = type };
        config.Validate();
        new DefinePlugin(config).Compute(batch);
        return batch.GetColumn(name);
    }

    [Fact]
    public void Float32_object_column()
    {
        using EventBatch batch = Standard();
        Column column = Define(batch, "Electron_ptRatio", "Electron_pt / max_of(Electron_pt)");
        Assert.Equal(ColumnLevel.Object, column.Level);
        Assert.Equal("Electron", column.Collection);
        Assert.Equal([1f, (float)(20.0 / 30.0), 1f, 0.2f, 0.8f], ((Column<float>)column).Values.ToArray());
    }

    [Fact]
    public void Float64_event_column()
    {
        using EventBatch batch = Standard();
        Column column = Define(batch, "rhoScaled", "rho * 0.1 + nElectron", DefineType.Float64);
        Assert.Equal(ColumnLevel.Event, column.Level);
        Assert.Null(column.Collection);
        Assert.Equal([(10 * 0.1) + 2, 20 * 0.1, (30 * 0.1) + 3], ((Column<double>)column).Values.ToArray());
    }

    [Fact]
    public void Integer_columns_truncate_toward_zero()
    {
        using EventBatch batch = Standard();
        Column<int> i32 = Assert.IsType<Column<int>>(Define(batch, "Electron_q", "Electron_pt / 7 * (Electron_eta < 0 ? -1 : 1)", DefineType.Int32));
        // 30/7=4.29 -> -4 (eta<0 -> negative), 20/7=2.86 -> -2, 50/7=7.14 -> 7, 10/7=1.43 -> 1, 40/7=5.71 -> -5
        Assert.Equal([4, -2, 7, 1, -5], i32.Values.ToArray());
        Column<long> i64 = Assert.IsType<Column<long>>(Define(batch, "nTimes10", "nElectron * 10 + 0.9", DefineType.Int64));
        Assert.Equal([20L, 0L, 30L], i64.Values.ToArray());
    }

    [Fact]
    public void Integer_columns_saturate_and_turn_nan_into_zero()
    {
        using EventBatch batch = Standard();
        Column<int> column = Assert.IsType<Column<int>>(Define(batch, "special", "run == 1 ? 0 / 0 : run == 2 ? 1e20 : -1e20", DefineType.Int32));
        Assert.Equal([0, int.MaxValue, int.MinValue], column.Values.ToArray());
    }

    [Fact]
    public void Bool_columns_need_a_condition()
    {
        using EventBatch batch = Standard();
        Column<bool> flags = Assert.IsType<Column<bool>>(Define(batch, "Electron_pass", "Electron_pt > 25", DefineType.Bool));
        Assert.Equal([true, false, true, false, true], flags.Values.ToArray());

        ConfigValueException e = Assert.Throws<ConfigValueException>(() => Define(batch, "Electron_bad", "Electron_pt", DefineType.Bool));
        Assert.Equal("type", e.Key);
        Assert.False(batch.HasColumn("Electron_bad"));
    }

    [Fact]
    public void A_defined_column_can_be_used_by_the_next_expression()
    {
        using EventBatch batch = Standard();
        Define(batch, "Electron_ptRatio", "Electron_pt / max_of(Electron_pt)");
        Column column = Define(batch, "nLeading", "count(Electron_ptRatio == 1)", DefineType.Int32);
        Assert.Equal([1, 0, 1], ((Column<int>)column).Values.ToArray());
    }

    [Fact]
    public void Object_columns_must_carry_the_collection_prefix()
    {
        using EventBatch batch = Standard();
        ConfigValueException e = Assert.Throws<ConfigValueException>(() => Define(batch, "ptRatio", "Electron_pt / max_of(Electron_pt)"));
        Assert.Equal("name", e.Key);
        Assert.Equal("\"Electron_pt / max_of(Electron_pt)\" has one value per Electron object, so the column name must start with " +
            "'Electron_' (e.g. 'Electron_ptRatio'), not 'ptRatio'", e.Message);
        Assert.Throws<ConfigValueException>(() => Define(batch, "Photon_ratio", "Electron_pt * 2"));
        Assert.False(batch.HasColumn("ptRatio"));
        Assert.False(batch.HasColumn("Photon_ratio"));
    }

    [Fact]
    public void Existing_columns_are_never_overwritten()
    {
        using EventBatch batch = Standard();
        ConfigValueException e = Assert.Throws<ConfigValueException>(() => Define(batch, "rho", "rho * 2"));
        Assert.Equal("name", e.Key);
        Assert.Contains("column 'rho' already exists", e.Message, StringComparison.Ordinal);
        Assert.Equal([10f, 20f, 30f], batch.GetColumn<float>("rho").Values.ToArray());
    }

    [Theory]
    [InlineData("Electron-pt")]
    [InlineData("2pt")]
    [InlineData(" ")]
    public void Unusable_names_fail_validation(string name)
    {
        var config = new DefineConfig { Name = name, Expression = "1" };
        ConfigValueException e = Assert.Throws<ConfigValueException>(config.Validate);
        Assert.Equal("name", e.Key);
    }

    [Fact]
    public void Expression_errors_are_reported_on_the_expression_key()
    {
        ConfigValueException e = Assert.Throws<ConfigValueException>(() => new DefinePlugin(new DefineConfig { Name = "x", Expression = "1 +" }));
        Assert.Equal("expression", e.Key);
        Assert.Equal("expected a number, a column name, a function or '(' at character 3, found end of expression", e.Message);

        using EventBatch batch = Standard();
        e = Assert.Throws<ConfigValueException>(() => Define(batch, "Electron_x", "Electron_pt + Photon_pt"));
        Assert.Equal("expression", e.Key);
    }

    [Fact]
    public void Define_on_a_batch_without_events()
    {
        using var batch = new EventBatch(0);
        batch.AddCollection("Electron", []);
        batch.AddObjectColumn<float>("Electron", "Electron_pt");
        Column column = Define(batch, "Electron_pt2", "Electron_pt ** 2");
        Assert.Equal(0, column.Rows);
        Assert.Equal("Electron", column.Collection);
    }
}
