namespace EnergyRegression.Plugins;

/// <summary>
/// What one named cut of a selection saw in one batch: events and objects that entered the cut (passed the
/// cuts before it) and that passed it. Reported with <see cref="SelectionMask.RecordCut"/>; the event loop adds
/// the batches up into the cut flow's detail rows.
/// </summary>
/// <param name="Cut">The cut's label, e.g. "tag pt > 30"; rows of the same label are summed over batches.</param>
/// <param name="Collection">The collection the objects belong to (<c>Electron</c>, <c>Probe</c>); null for a cut on events only.</param>
/// <param name="EventsIn">Events entering the cut.</param>
/// <param name="EventsPassed">Events passing it.</param>
/// <param name="ObjectsIn">Objects of <paramref name="Collection"/> entering the cut (0 for an event cut).</param>
/// <param name="ObjectsPassed">Objects passing it.</param>
public readonly record struct CutCount(string Cut, string? Collection, long EventsIn, long EventsPassed, long ObjectsIn, long ObjectsPassed);
