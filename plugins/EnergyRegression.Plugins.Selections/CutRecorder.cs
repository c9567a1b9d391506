namespace EnergyRegression.Plugins.Selections;

/// <summary>
/// Applies one cut to objects that are still alive and reports it for the cut flow: objects (and events with at
/// least one object) that entered the cut and that passed it.
/// </summary>
internal static class CutRecorder
{
    /// <summary>Clears <paramref name="alive"/> where <paramref name="pass"/> is false and records the counts.</summary>
    public static void Apply(SelectionMask mask, string cut, string collection, ReadOnlySpan<int> offsets, bool[] alive, Func<int, bool> pass)
    {
        long eventsIn = 0, eventsOut = 0, objectsIn = 0, objectsOut = 0;
        for (int e = 0; e + 1 < offsets.Length; e++)
        {
            bool anyIn = false, anyOut = false;
            for (int i = offsets[e]; i < offsets[e + 1]; i++)
            {
                if (!alive[i])
                {
                    continue;
                }
                anyIn = true;
                objectsIn++;
                if (pass(i))
                {
                    anyOut = true;
                    objectsOut++;
                }
                else
                {
                    alive[i] = false;
                }
            }
            eventsIn += anyIn ? 1 : 0;
            eventsOut += anyOut ? 1 : 0;
        }
        mask.RecordCut(new CutCount(cut, collection, eventsIn, eventsOut, objectsIn, objectsOut));
    }

    /// <summary>A cut value as it appears in a cut's label ("pt > 30"), culture-independent.</summary>
    public static string Number(double value) => value.ToString("G", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Events with at least one alive object, and alive objects.</summary>
    public static (long Events, long Objects) Alive(ReadOnlySpan<int> offsets, bool[] alive)
    {
        long events = 0, objects = 0;
        for (int e = 0; e + 1 < offsets.Length; e++)
        {
            int n = 0;
            for (int i = offsets[e]; i < offsets[e + 1]; i++)
            {
                n += alive[i] ? 1 : 0;
            }
            objects += n;
            events += n > 0 ? 1 : 0;
        }
        return (events, objects);
    }

    /// <summary>Offsets of <paramref name="count"/> objects per event over <paramref name="events"/> events.</summary>
    public static int[] Regular(int events, int count)
    {
        int[] offsets = new int[events + 1];
        for (int e = 0; e <= events; e++)
        {
            offsets[e] = e * count;
        }
        return offsets;
    }

    /// <summary>The event of every object.</summary>
    public static int[] EventOf(ReadOnlySpan<int> offsets)
    {
        int[] events = new int[offsets[^1]];
        for (int e = 0; e + 1 < offsets.Length; e++)
        {
            events.AsSpan(offsets[e], offsets[e + 1] - offsets[e]).Fill(e);
        }
        return events;
    }
}
