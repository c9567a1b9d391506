namespace EnergyRegression.Root;

/// <summary>How a branch's values are laid out per entry, i.e. the shape of what <see cref="RootBranch.Read"/> returns.</summary>
public enum RootBranchLayout
{
    /// <summary>The same number of values per entry: scalars, fixed arrays (<c>x[28][28]</c>), leaf-list leaves.</summary>
    Fixed,

    /// <summary>A C-style array sized by a counter branch (<c>x[nX]</c>, optionally with fixed inner dimensions).</summary>
    Counted,

    /// <summary><c>std::vector&lt;number&gt;</c>: jagged, one level of offsets.</summary>
    Vector,

    /// <summary><c>std::vector&lt;std::vector&lt;number&gt;&gt;</c>: two levels of offsets.</summary>
    VectorOfVectors,

    /// <summary>A string per entry.</summary>
    String,

    /// <summary>More than two levels of lists (<see cref="RootArray.NestedOffsets"/>): e.g. a vector member of objects in a vector of vectors.</summary>
    Nested,

    /// <summary>An object, a leaf list or a split object or collection: not one column but several, read through <see cref="RootBranch.Columns"/>.</summary>
    Record,

    /// <summary>Not readable (see <see cref="RootBranch.UnsupportedReason"/>).</summary>
    Unsupported,
}
