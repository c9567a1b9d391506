namespace EnergyRegression.Expressions.Syntax;

/// <summary>The built-in functions.</summary>
internal enum Function
{
    Abs, Sqrt, Exp, Log, Log10, Sin, Cos, Tan, Asin, Acos, Atan, Sinh, Cosh, Tanh, Floor, Ceil, Round, Sign,
    Atan2, Pow, Hypot, Min, Max,

    // Reductions: one value per event from the objects of a collection.
    Sum, Count, Any, All, MinOf, MaxOf, Mean,
}

/// <summary>A function's name as written, its number of arguments and whether it reduces a collection.</summary>
internal sealed record FunctionInfo(Function Function, string Name, int MinArguments, int MaxArguments, bool IsReduction)
{
    /// <summary>"1 argument", "2 arguments", "2 or more arguments".</summary>
    public string DescribeArity()
    {
        if (MaxArguments == int.MaxValue)
        {
            return $"{MinArguments} or more arguments";
        }
        return MinArguments == 1 && MaxArguments == 1 ? "1 argument" : $"{MinArguments} arguments";
    }
}

/// <summary>The table of functions by name.</summary>
internal static class Functions
{
    private static readonly FunctionInfo[] All =
    [
        Unary(Function.Abs, "abs"), Unary(Function.Sqrt, "sqrt"), Unary(Function.Exp, "exp"), Unary(Function.Log, "log"),
        Unary(Function.Log10, "log10"), Unary(Function.Sin, "sin"), Unary(Function.Cos, "cos"), Unary(Function.Tan, "tan"),
        Unary(Function.Asin, "asin"), Unary(Function.Acos, "acos"), Unary(Function.Atan, "atan"), Unary(Function.Sinh, "sinh"),
        Unary(Function.Cosh, "cosh"), Unary(Function.Tanh, "tanh"), Unary(Function.Floor, "floor"), Unary(Function.Ceil, "ceil"),
        Unary(Function.Round, "round"), Unary(Function.Sign, "sign"),
        new(Function.Atan2, "atan2", 2, 2, false), new(Function.Pow, "pow", 2, 2, false), new(Function.Hypot, "hypot", 2, 2, false),
        new(Function.Min, "min", 2, int.MaxValue, false), new(Function.Max, "max", 2, int.MaxValue, false),
        Reduction(Function.Sum, "sum"), Reduction(Function.Count, "count"), Reduction(Function.Any, "any"),
        Reduction(Function.All, "all"), Reduction(Function.MinOf, "min_of"), Reduction(Function.MaxOf, "max_of"),
        Reduction(Function.Mean, "mean"),
    ];

    private static readonly Dictionary<string, FunctionInfo> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>Every function name, for suggestions and messages.</summary>
    public static IEnumerable<string> Names => All.Select(f => f.Name);

    public static bool TryGet(string name, out FunctionInfo info) => ByName.TryGetValue(name, out info!);

    private static FunctionInfo Unary(Function function, string name) => new(function, name, 1, 1, false);

    private static FunctionInfo Reduction(Function function, string name) => new(function, name, 1, 1, true);
}
