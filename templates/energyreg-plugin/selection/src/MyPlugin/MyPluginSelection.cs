using System.Globalization;
using EnergyRegression.Data;
using EnergyRegression.Plugins;

namespace MyPlugin;

/// <summary>
/// A selection: keeps the objects of a collection with p_T above <c>min_pt</c> and |η| below <c>max_eta</c>, then the
/// events with at least <c>min_objects</c> of them. It only clears entries of the mask; the event loop drops what is
/// cleared. It reports its three cuts so the cut flow shows where objects and events go. Selections run concurrently
/// on different batches: nothing about a batch is kept in fields.
/// </summary>
[Plugin("my-plugin", Description = "Keeps objects above a pT threshold and within |eta|, and events with enough of them.")]
public sealed class MyPluginSelection(MyPluginConfig config) : ISelection
{
    private readonly string _ptCut = string.Create(CultureInfo.InvariantCulture, $"{config.Collection} pt > {config.MinPt}");
    private readonly string _etaCut = string.Create(CultureInfo.InvariantCulture, $"{config.Collection} |eta| < {config.MaxEta}");
    private readonly string _countCut = string.Create(CultureInfo.InvariantCulture, $"n{config.Collection} >= {config.MinObjects}");

    /// <inheritdoc />
    public void Select(EventBatch batch, SelectionMask mask)
    {
        // Looked up by the config keys that named them: a missing column is reported at that key of the chain file.
        ObjectCollection objects = batch.GetCollectionNamedBy("collection", config.Collection);
        Column pt = batch.GetColumnNamedBy("pt", config.PtColumn);
        Column eta = batch.GetColumnNamedBy("eta", config.EtaColumn);
        Span<bool> keepObject = mask.Objects(config.Collection);
        Span<bool> keepEvent = mask.Events;

        // Each cut counts what enters it (what passed the cuts before) and what passes it, in events and objects; as in
        // the built-in selections, an event passes an object cut when it has at least one object left.
        long objectsIn = objects.TotalCount, passPt = 0, passEta = 0;
        long eventsIn = batch.EventCount, eventsPt = 0, eventsEta = 0, eventsKept = 0, objectsKept = 0;
        for (int e = 0; e < batch.EventCount; e++)
        {
            int ptHere = 0, etaHere = 0;
            for (int i = objects.Offsets[e]; i < objects.Offsets[e + 1]; i++)
            {
                bool ptOk = pt.GetDouble(i) > config.MinPt;
                bool etaOk = ptOk && Math.Abs(eta.GetDouble(i)) < config.MaxEta;
                keepObject[i] = etaOk;
                ptHere += ptOk ? 1 : 0;
                etaHere += etaOk ? 1 : 0;
            }
            passPt += ptHere;
            passEta += etaHere;
            eventsPt += ptHere > 0 ? 1 : 0;
            eventsEta += etaHere > 0 ? 1 : 0;
            keepEvent[e] = etaHere >= config.MinObjects;
            if (keepEvent[e])
            {
                eventsKept++;
                objectsKept += etaHere;
            }
        }
        mask.RecordCut(new CutCount(_ptCut, config.Collection, eventsIn, eventsPt, objectsIn, passPt));
        mask.RecordCut(new CutCount(_etaCut, config.Collection, eventsPt, eventsEta, passPt, passEta));
        // Events without objects left enter the count only when min_objects is 0 (and then pass it).
        long countIn = config.MinObjects > 0 ? eventsEta : eventsIn;
        mask.RecordCut(new CutCount(_countCut, config.Collection, countIn, eventsKept, passEta, objectsKept));
    }
}
