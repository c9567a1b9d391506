namespace EnergyRegression.Data;

/// <summary>Conversions between the element types a column may have.</summary>
public static class ScalarConvert
{
    /// <summary>The element types columns support, with the short names used in configs and docs.</summary>
    public static IReadOnlyDictionary<string, Type> TypesByName { get; } = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        ["bool"] = typeof(bool),
        ["int8"] = typeof(sbyte),
        ["uint8"] = typeof(byte),
        ["int16"] = typeof(short),
        ["uint16"] = typeof(ushort),
        ["int32"] = typeof(int),
        ["uint32"] = typeof(uint),
        ["int64"] = typeof(long),
        ["uint64"] = typeof(ulong),
        ["float32"] = typeof(float),
        ["float64"] = typeof(double),
    };

    /// <summary>The short name of a supported element type ("float32", "int64", ...).</summary>
    public static string NameOf(Type type)
    {
        foreach ((string name, Type t) in TypesByName)
        {
            if (t == type)
            {
                return name;
            }
        }
        throw new ArgumentException($"Unsupported column element type {type}.", nameof(type));
    }

    /// <summary>Converts any supported value to double.</summary>
    public static double ToDouble<T>(T value) where T : unmanaged => value switch
    {
        float f => f,
        double d => d,
        int i => i,
        long l => l,
        bool b => b ? 1.0 : 0.0,
        sbyte s => s,
        byte u => u,
        short s => s,
        ushort u => u,
        uint u => u,
        ulong u => u,
        _ => throw new NotSupportedException($"Unsupported column element type {typeof(T)}."),
    };

    /// <summary>Converts a double to a supported element type (truncating toward zero for integers, non-zero for bool).</summary>
    public static T FromDouble<T>(double value) where T : unmanaged
    {
        object boxed = typeof(T) switch
        {
            var t when t == typeof(float) => (float)value,
            var t when t == typeof(double) => value,
            var t when t == typeof(int) => (int)value,
            var t when t == typeof(long) => (long)value,
            var t when t == typeof(bool) => value != 0.0,
            var t when t == typeof(sbyte) => (sbyte)value,
            var t when t == typeof(byte) => (byte)value,
            var t when t == typeof(short) => (short)value,
            var t when t == typeof(ushort) => (ushort)value,
            var t when t == typeof(uint) => (uint)value,
            var t when t == typeof(ulong) => (ulong)value,
            _ => throw new NotSupportedException($"Unsupported column element type {typeof(T)}."),
        };
        return (T)boxed;
    }
}
