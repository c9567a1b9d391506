namespace EnergyRegression.Physics;

/// <summary>
/// Categories of object pairs from the categories of their two objects (EB/EE → EB–EB, EB–EE, EE–EE): the unordered
/// pair of object categories, named with the earlier label first, as the CMS Z → ee categories.
/// </summary>
public static class PairCategories
{
    /// <summary>The pair labels of <paramref name="labels"/>: "A–A", "A–B", …, "B–B", … (i ≤ j, in the labels' order).</summary>
    public static string[] Labels(IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var pairs = new List<string>();
        for (int i = 0; i < labels.Count; i++)
        {
            for (int j = i; j < labels.Count; j++)
            {
                pairs.Add($"{labels[i]}–{labels[j]}");
            }
        }
        return [.. pairs];
    }

    /// <summary>
    /// The index in <see cref="Labels"/> of the pair of objects in categories <paramref name="first"/> and
    /// <paramref name="second"/> (either order) of <paramref name="count"/>; −1 when either object has none (−1).
    /// </summary>
    public static int Of(int first, int second, int count)
    {
        if (first < 0 || second < 0)
        {
            return -1;
        }
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(Math.Max(first, second), count);
        (int i, int j) = first <= second ? (first, second) : (second, first);
        // Rows i' < i of the upper triangle hold count − i' pairs each.
        return i * count - i * (i - 1) / 2 + (j - i);
    }
}
