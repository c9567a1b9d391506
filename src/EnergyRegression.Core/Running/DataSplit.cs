using EnergyRegression.Core.Configuration;
using EnergyRegression.Data;

namespace EnergyRegression.Core.Running;

/// <summary>The part of the data an event belongs to.</summary>
public enum DataPart
{
    /// <summary>Trained on.</summary>
    Training,

    /// <summary>Used for early stopping and the model card's metrics.</summary>
    Validation,

    /// <summary>Held out for evaluation.</summary>
    Test,
}

/// <summary>
/// Assigns events to training, validation and test by a hash of their identity (by default run, luminosity
/// block and event number), not by their position: the same event lands in the same part whatever the shard,
/// file order or batch size, so a test set stays unseen across retrainings.
/// </summary>
public sealed class DataSplit(double validation, double test, IReadOnlyList<string> keyColumns, long salt)
{
    /// <summary>The split of a chain's <c>train:</c> section.</summary>
    public static DataSplit From(TrainingDefinition definition) =>
        new(definition.Validation, definition.Test, definition.SplitBy, definition.SplitSeed);

    /// <summary>The key columns the batch has (event-level, integer); when none, the input entry number is the key.</summary>
    public IReadOnlyList<string> KeysIn(EventBatch batch) => keyColumns
        .Where(name => batch.HasColumn(name) && batch.GetColumn(name) is { Level: ColumnLevel.Event, RowSize: 1 } column
            && (column.ElementType == typeof(int) || column.ElementType == typeof(long) || column.ElementType == typeof(uint)
                || column.ElementType == typeof(ulong) || column.ElementType == typeof(short) || column.ElementType == typeof(ushort)))
        .ToArray();

    /// <summary>The part of every event of the batch.</summary>
    public DataPart[] Assign(EventBatch batch)
    {
        IReadOnlyList<string> keys = KeysIn(batch);
        var hashes = new ulong[batch.EventCount];
        Array.Fill(hashes, Mix((ulong)salt));
        if (keys.Count == 0)
        {
            for (int e = 0; e < hashes.Length; e++)
            {
                hashes[e] = Mix(hashes[e] ^ (ulong)batch.EntryOf(e));
            }
        }
        var values = new double[batch.EventCount];
        foreach (string key in keys)
        {
            batch.GetColumn(key).CopyTo(values);
            for (int e = 0; e < hashes.Length; e++)
            {
                hashes[e] = Mix(hashes[e] ^ (ulong)(long)values[e]);
            }
        }
        return [.. hashes.Select(PartOf)];
    }

    /// <summary>The part of a hash: its top 53 bits as a uniform number in [0, 1) against the fractions.</summary>
    public DataPart PartOf(ulong hash)
    {
        double u = (hash >> 11) * (1.0 / (1UL << 53));
        return u < validation ? DataPart.Validation : u < validation + test ? DataPart.Test : DataPart.Training;
    }

    /// <summary>
    /// SplitMix64's finaliser (Steele, Lea, Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014):
    /// every input bit affects every output bit, so consecutive event numbers spread uniformly.
    /// </summary>
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
