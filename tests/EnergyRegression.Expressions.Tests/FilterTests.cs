using EnergyRegression.Data;
using EnergyRegression.Plugins;
using EnergyRegression.Plugins.Selections;
using static EnergyRegression.Expressions.Tests.TestBatches;

namespace EnergyRegression.Expressions.Tests;

public class FilterTests
{
    private static void Run(EventBatch batch, string expression, bool dropEmptyEvents = false)
    {
        var filter = new FilterPlugin(new FilterConfig { Expression = expression, DropEmptyEvents = dropEmptyEvents });
        var mask = new SelectionMask(batch);
        filter.Select(batch, mask);
        mask.ApplyTo(batch);
    }

    [Fact]
    public void Object_cut_drops_objects_and_keeps_events()
    {
        using EventBatch batch = Standard();
        Run(batch, "Electron_pt > 25 && abs(Electron_eta) < 1.4442");
        // pt > 25: 30 (eta 0.5), 50 (eta 1.0), 40 (eta -0.2); all |eta| < 1.4442
        Assert.Equal(3, batch.EventCount);
        Assert.Equal([30f, 50f, 40f], batch.GetColumn<float>("Electron_pt").Values.ToArray());
        Assert.Equal([0.5, 1.0, -0.2], batch.GetColumn<double>("Electron_eta").Values.ToArray());
        Assert.Equal([true, false, true], batch.GetColumn<bool>("Electron_isEB").Values.ToArray());
        ObjectCollection electrons = batch.GetCollection("Electron");
        Assert.Equal([1, 0, 2], Enumerable.Range(0, 3).Select(electrons.CountOf));
        Assert.Equal([15f, 60f], batch.GetColumn<float>("Photon_pt").Values.ToArray());
        Assert.Equal([10f, 20f, 30f], batch.GetColumn<float>("rho").Values.ToArray());
    }

    [Fact]
    public void Object_cut_with_drop_empty_events_also_drops_events()
    {
        using EventBatch batch = Standard();
        // Electrons above 35: only the 50 and the 40 of event 2. Events 0 and 1 end up empty.
        Run(batch, "Electron_pt > 35", dropEmptyEvents: true);
        Assert.Equal(1, batch.EventCount);
        Assert.Equal([30f], batch.GetColumn<float>("rho").Values.ToArray());
        Assert.Equal([50f, 40f], batch.GetColumn<float>("Electron_pt").Values.ToArray());
        Assert.Empty(batch.GetColumn<float>("Photon_pt").Values.ToArray());
        Assert.Equal(2, batch.EntryOf(0));
    }

    [Fact]
    public void Object_cut_with_drop_empty_events_keeps_events_with_survivors()
    {
        using EventBatch batch = Standard();
        Run(batch, "Electron_pt > 25", dropEmptyEvents: true);
        Assert.Equal(2, batch.EventCount);
        Assert.Equal([10f, 30f], batch.GetColumn<float>("rho").Values.ToArray());
        Assert.Equal([30f, 50f, 40f], batch.GetColumn<float>("Electron_pt").Values.ToArray());
        Assert.Equal([15f], batch.GetColumn<float>("Photon_pt").Values.ToArray());
    }

    [Fact]
    public void Event_cut_drops_events_with_their_objects()
    {
        using EventBatch batch = Standard();
        Run(batch, "rho > 15 && nPhoton == 0 || run == 1");
        // event 0: run 1 -> kept; event 1: nPhoton 1, run 2 -> dropped; event 2: rho 30, no photon -> kept
        Assert.Equal(2, batch.EventCount);
        Assert.Equal([1, 3], batch.GetColumn<int>("run").Values.ToArray());
        Assert.Equal([30f, 20f, 50f, 10f, 40f], batch.GetColumn<float>("Electron_pt").Values.ToArray());
        Assert.Equal([15f], batch.GetColumn<float>("Photon_pt").Values.ToArray());
    }

    [Fact]
    public void Event_cut_with_a_reduction()
    {
        using EventBatch batch = Standard();
        Run(batch, "count(Electron_pt > 15) >= 2");
        Assert.Equal(2, batch.EventCount);
        Assert.Equal([1, 3], batch.GetColumn<int>("run").Values.ToArray());
    }

    [Fact]
    public void Filters_only_clear_the_mask()
    {
        using EventBatch batch = Standard();
        var mask = new SelectionMask(batch);
        mask.Events[2] = false;
        mask.Objects("Electron")[0] = false;
        new FilterPlugin(new FilterConfig { Expression = "rho < 25" }).Select(batch, mask);
        new FilterPlugin(new FilterConfig { Expression = "Electron_pt < 45" }).Select(batch, mask);
        Assert.Equal([true, true, false], mask.Events.ToArray());
        Assert.Equal([false, true, false, true, true], mask.Objects("Electron").ToArray());
    }

    [Fact]
    public void Filter_on_a_batch_without_events()
    {
        using var batch = new EventBatch(0);
        batch.AddCollection("Electron", []);
        batch.AddObjectColumn<float>("Electron", "Electron_pt");
        Run(batch, "Electron_pt > 25", dropEmptyEvents: true);
        Assert.Equal(0, batch.EventCount);
    }

    [Fact]
    public void Syntax_errors_are_reported_on_the_expression_key_when_the_chain_is_built()
    {
        ConfigValueException e = Assert.Throws<ConfigValueException>(() => new FilterPlugin(new FilterConfig { Expression = "(Electron_pt > 25" }));
        Assert.Equal("expression", e.Key);
        Assert.Equal("expected ')' at character 17, found end of expression; the '(' at character 0 is not closed", e.Message);
    }

    [Fact]
    public void Data_errors_are_reported_on_the_expression_key()
    {
        using EventBatch batch = Standard();
        var filter = new FilterPlugin(new FilterConfig { Expression = "Electron_pr > 25" });
        ConfigValueException e = Assert.Throws<ConfigValueException>(() => filter.Select(batch, new SelectionMask(batch)));
        Assert.Equal("expression", e.Key);
        Assert.StartsWith("unknown column 'Electron_pr' at character 0; did you mean 'Electron_pt'?", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_numeric_filter_expression_is_an_error()
    {
        using EventBatch batch = Standard();
        var filter = new FilterPlugin(new FilterConfig { Expression = "Electron_pt" });
        ConfigValueException e = Assert.Throws<ConfigValueException>(() => filter.Select(batch, new SelectionMask(batch)));
        Assert.Equal("expression", e.Key);
        Assert.Contains("not a condition", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Drop_empty_events_with_an_event_cut_is_an_error()
    {
        using EventBatch batch = Standard();
        var filter = new FilterPlugin(new FilterConfig { Expression = "rho > 15", DropEmptyEvents = true });
        ConfigValueException e = Assert.Throws<ConfigValueException>(() => filter.Select(batch, new SelectionMask(batch)));
        Assert.Equal("drop_empty_events", e.Key);
    }
}
