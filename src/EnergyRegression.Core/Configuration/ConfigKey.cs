using System.ComponentModel;
using System.Reflection;
using System.Runtime.CompilerServices;
using EnergyRegression.Configuration;

namespace EnergyRegression.Core.Configuration;

/// <summary>One key of a config class, as documented by <c>energyreg plugins</c> and the YAML reference.</summary>
public sealed record ConfigKey(string Key, string TypeName, bool Required, string? DefaultValue, string Description, PropertyInfo Property)
{
    /// <summary>The keys of a config class, in declaration order.</summary>
    public static IReadOnlyList<ConfigKey> Of(Type configType)
    {
        object? defaults = null;
        try
        {
            defaults = Activator.CreateInstance(configType);
        }
        catch (MissingMethodException)
        {
            // No parameterless constructor: defaults cannot be shown.
        }
        return BindableProperties(configType)
            .Select(p => new ConfigKey(
                KeyOf(p),
                TypeNames.Describe(p.PropertyType),
                IsRequired(p),
                IsRequired(p) || defaults is null ? null : FormatDefault(p.GetValue(defaults)),
                p.GetCustomAttribute<DescriptionAttribute>()?.Description ?? "",
                p))
            .ToList();
    }

    internal static IEnumerable<PropertyInfo> BindableProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic && p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.MetadataToken);

    internal static string KeyOf(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigKeyAttribute>()?.Key ?? Naming.ToSnakeCase(property.Name);

    internal static bool IsRequired(PropertyInfo property) => property.IsDefined(typeof(RequiredMemberAttribute));

    private static string? FormatDefault(object? value) => value switch
    {
        null => null,
        string s => s.Length == 0 ? "\"\"" : s,
        bool b => b ? "true" : "false",
        Enum e => Naming.ToSnakeCase(e.ToString()),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        System.Collections.IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(FormatDefault)) + "]",
        _ => null,
    };
}

/// <summary>Human names of config value types: "integer", "list of text", "one of: stop, skip".</summary>
internal static class TypeNames
{
    public static string Describe(Type type)
    {
        Type? underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            return Describe(underlying);
        }
        if (type == typeof(string))
        {
            return "text";
        }
        if (type == typeof(bool))
        {
            return "true/false";
        }
        if (type == typeof(int) || type == typeof(long))
        {
            return "integer";
        }
        if (type == typeof(double) || type == typeof(float))
        {
            return "number";
        }
        if (type.IsEnum)
        {
            return "one of: " + string.Join(", ", Enum.GetNames(type).Select(Naming.ToSnakeCase));
        }
        if (ConfigBinder.ListElementType(type) is { } element)
        {
            return "list of " + Describe(element);
        }
        if (ConfigBinder.DictionaryValueType(type) is { } value)
        {
            return "mapping of name to " + Describe(value);
        }
        return "mapping";
    }
}
