namespace EnergyRegression.Physics;

/// <summary>The pair of objects of an event that forms a resonance candidate (the Z → ee peak of an evaluation).</summary>
public static class ObjectPairs
{
    /// <summary>
    /// One pair per event with at least two objects: the leading pair of opposite charge (objects come by decreasing
    /// pT, so the first such pair in (i, j) order), when the objects carry a charge; the first two objects otherwise.
    /// An event whose objects all have the same charge gives no pair.
    /// </summary>
    /// <param name="events">The event of every object; the objects of an event are adjacent.</param>
    /// <param name="charge">The charge of every object; NaN (in any object of an event) means unknown.</param>
    /// <returns>The indices of the two objects of each pair, in event order.</returns>
    public static List<(int First, int Second)> LeadingPerEvent(ReadOnlySpan<long> events, ReadOnlySpan<double> charge)
    {
        if (charge.Length != events.Length)
        {
            throw new ArgumentException($"{charge.Length} charges for {events.Length} objects", nameof(charge));
        }
        var pairs = new List<(int, int)>();
        for (int start = 0; start < events.Length;)
        {
            int end = start;
            while (end < events.Length && events[end] == events[start])
            {
                end++;
            }
            if (end - start >= 2)
            {
                if (AllFinite(charge[start..end]))
                {
                    (int, int)? found = null;
                    for (int i = start; i < end && found is null; i++)
                    {
                        for (int j = i + 1; j < end && found is null; j++)
                        {
                            if (charge[i] * charge[j] < 0)
                            {
                                found = (i, j);
                            }
                        }
                    }
                    if (found is { } pair)
                    {
                        pairs.Add(pair);
                    }
                }
                else
                {
                    pairs.Add((start, start + 1));
                }
            }
            start = end;
        }
        return pairs;
    }

    private static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (double v in values)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }
        return true;
    }
}
