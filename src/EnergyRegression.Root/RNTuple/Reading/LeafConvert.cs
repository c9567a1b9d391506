using System.Globalization;

namespace EnergyRegression.Root.RNTuple.Reading;

/// <summary>
/// Converts a column's decoded elements to the field's C++ type, as ROOT reads the combinations the specification
/// marks "R" (BinaryFormatSpecification.md, "Fundamental Types"): integers of another width or signedness (a value
/// that does not fit is damage, not data), integers and bits as bool (non-zero), bits as integers (0/1), floats as
/// doubles and doubles (Real64, Real32Quant) as floats (rounded, as C++ casts).
/// </summary>
internal static class LeafConvert
{
    public static Array To(Array raw, Type target, string file, Func<string> structure)
    {
        Type source = raw.GetType().GetElementType()!;
        if (source == target)
        {
            return raw;
        }
        if (source == typeof(float) && target == typeof(double))
        {
            return Array.ConvertAll((float[])raw, v => (double)v);
        }
        if (source == typeof(double) && target == typeof(float))
        {
            return Array.ConvertAll((double[])raw, v => (float)v);
        }
        var result = Array.CreateInstance(target, raw.Length);
        TypeCode code = Type.GetTypeCode(target);
        for (int i = 0; i < raw.Length; i++)
        {
            object value = raw.GetValue(i)!;
            try
            {
                result.SetValue(code == TypeCode.Boolean ? Convert.ToDecimal(value, CultureInfo.InvariantCulture) != 0 : Convert.ChangeType(value, code, CultureInfo.InvariantCulture), i);
            }
            catch (OverflowException e)
            {
                throw new RootFormatException(file, structure(), -1,
                    $"element {i} of the read holds {value}, which does not fit the field's type {target.Name}", e);
            }
        }
        return result;
    }
}
