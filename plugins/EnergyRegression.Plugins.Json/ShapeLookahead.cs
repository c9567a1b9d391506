using System.Text.Json;

namespace EnergyRegression.Plugins.Json;

/// <summary>Finds the row shape of object columns that were empty on the first line, from a later line.</summary>
internal static class ShapeLookahead
{
    /// <summary>Sets the shape of every field of <paramref name="unresolved"/> that has an object on this line, and removes it.</summary>
    public static void Resolve(ReadOnlySpan<byte> line, List<JsonField> unresolved)
    {
        var reader = new Utf8JsonReader(line);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                JsonField? field = null;
                foreach (JsonField candidate in unresolved)
                {
                    if (reader.ValueTextEquals(candidate.Name))
                    {
                        field = candidate;
                        break;
                    }
                }
                reader.Read();
                if (field is null || reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }
                if (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    int[] shape = SchemaInference.RowShape(ref reader, field.Name);
                    if (!shape.Contains(0))
                    {
                        field.Shape = shape;
                        unresolved.Remove(field);
                    }
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        reader.Skip();
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Malformed lines are reported by the main pass.
        }
        catch (LineException)
        {
        }
    }
}
