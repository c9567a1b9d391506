using EnergyRegression.Core.Configuration;
using EnergyRegression.Data;
using EnergyRegression.Expressions;
using EnergyRegression.Plugins;

namespace EnergyRegression.Core.Running;

/// <summary>
/// A number or condition per object of the evaluated collection, named in the <c>evaluate:</c> section (a bin
/// quantity, a category condition): a column of the batch by its exact name, else an expression
/// (docs/expressions.md). A per-event value (<c>rho</c>, <c>rho &gt; 20</c>) is given to every object of its event.
/// Problems are configuration errors at the key's place in the chain file.
/// </summary>
internal sealed class ObjectQuantity(ChainFile file, string key, string text, string collection, bool condition)
{
    private ConfigExpression? _expression;

    /// <summary>The values of the batch's objects of the collection (conditions as 0 and 1).</summary>
    public double[] Values(EventBatch batch)
    {
        ReadOnlySpan<int> offsets = batch.GetCollection(collection).Offsets;
        if (!condition && batch.HasColumn(text))
        {
            Column column = batch.GetColumn(text);
            if (column.RowSize != 1 || (column.Level == ColumnLevel.Object && column.Collection != collection))
            {
                throw Error($"'{text}' is not a scalar column of the collection '{collection}' nor an event-level scalar");
            }
            var values = new double[column.Rows];
            column.CopyTo(values);
            return column.Level == ColumnLevel.Object ? values : Broadcast(values, offsets);
        }
        try
        {
            _expression ??= new ConfigExpression(text, key);
            using ExpressionResult result = _expression.Evaluate(batch);
            if (condition && !result.IsCondition)
            {
                throw Error($"\"{text}\" gives numbers, not a condition; compare it, e.g. \"{text} > 0\"");
            }
            if (result.Level == ColumnLevel.Event)
            {
                return Broadcast(result.Values, offsets);
            }
            if (result.Collection != collection)
            {
                throw Error($"\"{text}\" has one value per {result.Collection} object, not per {collection} object");
            }
            return result.Values.ToArray();
        }
        catch (ConfigValueException e)
        {
            throw file.Binder.AtKey(file.Root, default, e.Key, e.Message, e);
        }
    }

    private ConfigurationException Error(string message) => file.Binder.AtKey(file.Root, default, key, message);

    /// <summary>Each event's value repeated for each of its objects.</summary>
    private static double[] Broadcast(ReadOnlySpan<double> perEvent, ReadOnlySpan<int> offsets)
    {
        var values = new double[offsets[^1]];
        for (int e = 0; e + 1 < offsets.Length; e++)
        {
            values.AsSpan(offsets[e], offsets[e + 1] - offsets[e]).Fill(perEvent[e]);
        }
        return values;
    }
}
