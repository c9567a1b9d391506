using System.ComponentModel;
using EnergyRegression.Configuration;
using EnergyRegression.Data;
using EnergyRegression.Expressions;

namespace EnergyRegression.Plugins.Selections;

/// <summary>Config of <see cref="FilterPlugin"/>.</summary>
public sealed class FilterConfig : PluginConfig
{
    /// <summary>The cut, a condition in the expression language.</summary>
    [Description("The cut: a condition in the expression language (docs/expressions.md), e.g. \"Electron_pt > 25 && abs(Electron_eta) < 1.4442\". " +
        "A per-event condition drops events; a condition on the objects of one collection drops those objects.")]
    public required string Expression { get; set; }

    /// <summary>For a per-object cut, also drop the events left without objects of that collection.</summary>
    [Description("For a per-object cut: also drop the events left with no objects of that collection. Not allowed with a per-event cut.")]
    public bool DropEmptyEvents { get; set; }
}

/// <summary>
/// Keeps the events, or the objects of one collection, for which an expression is true. The expression is
/// parsed once, when the chain is built, and evaluated over whole columns of every batch.
/// </summary>
[Plugin("filter", Description = "Keeps events or objects passing a cut expression, e.g. \"Electron_pt > 25\".")]
public sealed class FilterPlugin : ISelection
{
    private readonly ConfigExpression _expression;
    private readonly bool _dropEmptyEvents;

    /// <summary>Parses the expression; a syntax error is reported on the <c>expression</c> key.</summary>
    public FilterPlugin(FilterConfig config)
    {
        _expression = new ConfigExpression(config.Expression, "expression");
        _dropEmptyEvents = config.DropEmptyEvents;
    }

    /// <inheritdoc />
    public void Select(EventBatch batch, SelectionMask mask)
    {
        using (ExpressionResult result = _expression.Evaluate(batch))
        {
            if (!result.IsCondition)
            {
                throw new ConfigValueException("expression",
                    $"the filter expression \"{_expression.Text}\" gives numbers, not a condition; compare it, e.g. \"{_expression.Text} > 0\"");
            }
            ReadOnlySpan<double> keep = result.Values;
            if (result.Level == ColumnLevel.Event)
            {
                if (_dropEmptyEvents)
                {
                    throw new ConfigValueException("drop_empty_events",
                        $"drop_empty_events applies to a cut on objects, but \"{_expression.Text}\" has one value per event");
                }
                Clear(mask.Events, keep);
                return;
            }

            Span<bool> objects = mask.Objects(result.Collection!);
            Clear(objects, keep);
            if (_dropEmptyEvents)
            {
                ReadOnlySpan<int> offsets = batch.GetCollection(result.Collection!).Offsets;
                Span<bool> events = mask.Events;
                for (int e = 0; e < events.Length; e++)
                {
                    // An event survives when at least one of its objects is still kept.
                    events[e] &= objects[offsets[e]..offsets[e + 1]].Contains(true);
                }
            }
        }
    }

    // Clears the mask entries whose condition is false; entries already cleared stay cleared.
    private static void Clear(Span<bool> mask, ReadOnlySpan<double> keep)
    {
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] &= keep[i] != 0;
        }
    }
}
