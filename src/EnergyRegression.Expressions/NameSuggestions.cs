namespace EnergyRegression.Expressions;

/// <summary>"Did you mean" suggestions: the closest name by edit distance, ignoring case.</summary>
internal static class NameSuggestions
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
        int allowed = Math.Max(2, name.Length / 3);
        return bestDistance <= allowed ? best : null;
    }

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
