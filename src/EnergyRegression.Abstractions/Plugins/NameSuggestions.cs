namespace EnergyRegression.Plugins;

/// <summary>
/// "Did you mean" suggestions for names a user typed (config keys, plugin types, columns, branches):
/// the closest candidate by edit distance, ignoring case, when it is close enough to be a likely typo.
/// </summary>
public static class NameSuggestions
{
    /// <summary>The candidate closest to <paramref name="name"/>, or null when none is plausibly a typo of it.</summary>
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            int distance = Distance(name.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        // Allow roughly one edit per three characters, at least two.
        return bestDistance <= Math.Max(2, name.Length / 3) ? best : null;
    }

    /// <summary><c>" (did you mean 'x'?)"</c>, or an empty string when nothing is close.</summary>
    public static string DidYouMean(string name, IEnumerable<string> candidates) =>
        Closest(name, candidates) is { } match ? $" (did you mean '{match}'?)" : "";

    // Levenshtein distance with one row of storage.
    private static int Distance(string a, string b)
    {
        int[] row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            row[j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                int substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
                row[j] = Math.Min(Math.Min(above + 1, row[j - 1] + 1), substitute);
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
