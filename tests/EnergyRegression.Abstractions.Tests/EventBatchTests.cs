using EnergyRegression.Data;
using EnergyRegression.Plugins;

namespace EnergyRegression.Abstractions.Tests;

public sealed class EventBatchTests
{
    // Four events with 2, 0, 3, 1 electrons; Electron_pt = 10·event + index, a 2×2 window per electron.
    private static EventBatch Sample()
    {
        var batch = new EventBatch(4) { FirstEntry = 100 };
        Column<long> id = batch.AddEventColumn<long>("event");
        for (int e = 0; e < 4; e++)
        {
            id.Values[e] = 100 + e;
        }
        ObjectCollection electrons = batch.AddCollection("Electron", [2, 0, 3, 1]);
        Column<float> pt = batch.AddObjectColumn<float>("Electron", "Electron_pt");
        Column<float> window = batch.AddObjectColumn<float>("Electron", "Electron_window", 2, 2);
        for (int e = 0; e < 4; e++)
        {
            for (int k = 0; k < electrons.CountOf(e); k++)
            {
                int row = electrons.Offsets[e] + k;
                pt.Values[row] = 10 * e + k;
                window.Row(row).Fill(10 * e + k);
            }
        }
        return batch;
    }

    [Fact]
    public void Offsets_and_shapes_describe_the_jagged_layout()
    {
        using EventBatch batch = Sample();
        ObjectCollection electrons = batch.GetCollection("Electron");
        Assert.Equal([0, 2, 2, 5, 6], electrons.Offsets.ToArray());
        Assert.Equal(6, electrons.TotalCount);
        Assert.Equal("nElectron", electrons.CountName);
        Column window = batch.GetColumn("Electron_window");
        Assert.Equal([2, 2], window.Shape);
        Assert.Equal(4, window.RowSize);
        Assert.Equal(24, batch.GetColumn<float>("Electron_window").Values.Length);
    }

    [Fact]
    public void Keeping_events_compacts_event_and_object_columns_and_remembers_entries()
    {
        using EventBatch batch = Sample();
        batch.KeepEvents([true, true, false, true]);
        Assert.Equal(3, batch.EventCount);
        Assert.Equal([100L, 101, 103], batch.GetColumn<long>("event").Values.ToArray());
        Assert.Equal([0, 2, 2, 3], batch.GetCollection("Electron").Offsets.ToArray());
        Assert.Equal([0f, 1, 30], batch.GetColumn<float>("Electron_pt").Values.ToArray());
        Assert.Equal([0f, 0, 0, 0, 1, 1, 1, 1, 30, 30, 30, 30], batch.GetColumn<float>("Electron_window").Values.ToArray());
        Assert.Equal(103, batch.EntryOf(2));
    }

    [Fact]
    public void Keeping_objects_shrinks_counts_but_keeps_events()
    {
        using EventBatch batch = Sample();
        batch.KeepObjects("Electron", [false, true, true, false, true, true]);
        Assert.Equal(4, batch.EventCount);
        Assert.Equal([0, 1, 1, 3, 4], batch.GetCollection("Electron").Offsets.ToArray());
        Assert.Equal([1f, 20, 22, 30], batch.GetColumn<float>("Electron_pt").Values.ToArray());
    }

    [Fact]
    public void Selection_mask_applies_objects_then_events()
    {
        using EventBatch batch = Sample();
        var mask = new SelectionMask(batch);
        mask.Objects("Electron")[0] = false;
        mask.Events[1] = false;
        mask.ApplyTo(batch);
        Assert.Equal([100L, 102, 103], batch.GetColumn<long>("event").Values.ToArray());
        Assert.Equal([1f, 20, 21, 22, 30], batch.GetColumn<float>("Electron_pt").Values.ToArray());
    }

    [Fact]
    public void A_selection_can_add_a_collection_mask_its_objects_and_record_cuts()
    {
        // What tag-and-probe does: the mask exists before the new collection; its objects are masked afterwards.
        using EventBatch batch = Sample();
        var mask = new SelectionMask(batch);
        batch.AddCollection("Probe", [1, 0, 2, 1]);
        Column<float> tagPt = batch.AddObjectColumn<float>("Probe", "Tag_pt");
        new float[] { 5, 6, 7, 8 }.CopyTo(tagPt.Values);
        mask.Objects("Probe")[1] = false;
        mask.Events[0] = false;
        mask.RecordCut(new CutCount("pairs", "Probe", 4, 3, 4, 3));
        mask.ApplyTo(batch);

        Assert.Equal([101L, 102, 103], batch.GetColumn<long>("event").Values.ToArray());
        Assert.Equal([0, 0, 1, 2], batch.GetCollection("Probe").Offsets.ToArray());
        Assert.Equal([7f, 8f], tagPt.Values.ToArray());
        Assert.Equal("Probe", tagPt.Collection);
        Assert.Equal([new CutCount("pairs", "Probe", 4, 3, 4, 3)], mask.Cuts);
        Assert.Throws<ArgumentException>(() => mask.RecordCut(new CutCount("", null, 0, 0, 0, 0)));
    }

    [Fact]
    public void Errors_name_what_exists()
    {
        using EventBatch batch = Sample();
        KeyNotFoundException missing = Assert.Throws<KeyNotFoundException>(() => batch.GetColumn("Electron_eta"));
        Assert.Contains("event, Electron_pt, Electron_window", missing.Message, StringComparison.Ordinal);
        InvalidCastException wrongType = Assert.Throws<InvalidCastException>(() => batch.GetColumn<double>("Electron_pt"));
        Assert.Contains("float32, not float64", wrongType.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => batch.AddEventColumn<int>("event"));
        Assert.Throws<ArgumentException>(() => batch.KeepEvents([true]));
    }

    [Fact]
    public void Double_conversion_round_trips_through_every_type()
    {
        using var batch = new EventBatch(3);
        foreach ((string name, Type type) in ScalarConvert.TypesByName)
        {
            Column column = batch.AddColumn(type, "c_" + name, null);
            column.SetFrom([1, 0, type == typeof(bool) ? 1 : 7]);
            double[] back = new double[3];
            column.CopyTo(back);
            Assert.Equal([1.0, 0.0, type == typeof(bool) ? 1.0 : 7.0], back);
        }
    }

    [Fact]
    public void Removing_and_disposing_returns_storage()
    {
        EventBatch batch = Sample();
        batch.RemoveColumn("Electron_window");
        Assert.False(batch.HasColumn("Electron_window"));
        Column<float> pt = batch.GetColumn<float>("Electron_pt");
        batch.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pt.Values.Length);
    }
}
