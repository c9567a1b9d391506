using System.Reflection;
using System.Text;

namespace EnergyRegression.ApiDocs;

/// <summary>
/// The documentation IDs the C# compiler writes into XML documentation files (<c>T:</c>, <c>M:</c>, <c>P:</c>, <c>F:</c>,
/// <c>E:</c> followed by the member's full name and parameter types), computed from reflection. Format: ECMA-334,
/// annex D.4.2 "ID string format".
/// </summary>
internal static class DocIds
{
    public static string Of(MemberInfo member) => member switch
    {
        Type type => "T:" + TypeName(type),
        ConstructorInfo constructor => $"M:{TypeName(constructor.DeclaringType!)}.{(constructor.IsStatic ? "#cctor" : "#ctor")}{Parameters(constructor)}",
        MethodInfo method => $"M:{TypeName(method.DeclaringType!)}.{method.Name.Replace('.', '#')}"
            + (method.IsGenericMethodDefinition ? $"``{method.GetGenericArguments().Length}" : "") + Parameters(method)
            + (method.Name is "op_Implicit" or "op_Explicit" ? "~" + ParameterType(method.ReturnType) : ""),
        PropertyInfo property => $"P:{TypeName(property.DeclaringType!)}.{property.Name}"
            + (property.GetIndexParameters() is { Length: > 0 } index ? $"({string.Join(",", index.Select(p => ParameterType(p.ParameterType)))})" : ""),
        FieldInfo field => $"F:{TypeName(field.DeclaringType!)}.{field.Name}",
        EventInfo e => $"E:{TypeName(e.DeclaringType!)}.{e.Name}",
        _ => throw new NotSupportedException(member.ToString()),
    };

    // A type as it is named in its own ID: namespace, outer types, `arity.
    private static string TypeName(Type type) =>
        type.IsNested ? $"{TypeName(type.DeclaringType!)}.{type.Name}" : $"{type.Namespace}.{type.Name}";

    private static string Parameters(MethodBase method)
    {
        ParameterInfo[] parameters = method.GetParameters();
        return parameters.Length == 0 ? "" : $"({string.Join(",", parameters.Select(p => ParameterType(p.ParameterType)))})";
    }

    // A type as it appears in a parameter list: generic arguments in braces, method type parameters ``n, type ones `n.
    private static string ParameterType(Type type)
    {
        if (type.IsByRef)
        {
            return ParameterType(type.GetElementType()!) + "@";
        }
        if (type.IsArray)
        {
            int rank = type.GetArrayRank();
            return ParameterType(type.GetElementType()!) + (rank == 1 ? "[]" : $"[{string.Join(",", Enumerable.Repeat("0:", rank))}]");
        }
        if (type.IsPointer)
        {
            return ParameterType(type.GetElementType()!) + "*";
        }
        if (type.IsGenericParameter)
        {
            return (type.DeclaringMethod is not null ? "``" : "`") + type.GenericParameterPosition;
        }
        if (type.IsGenericType)
        {
            Type definition = type.GetGenericTypeDefinition();
            var name = new StringBuilder(definition.IsNested ? ParameterType(definition.DeclaringType!) + "." : definition.Namespace + ".");
            name.Append(definition.Name[..definition.Name.IndexOf('`', StringComparison.Ordinal)]);
            name.Append('{').Append(string.Join(",", type.GetGenericArguments().Select(ParameterType))).Append('}');
            return name.ToString();
        }
        return type.IsNested ? $"{ParameterType(type.DeclaringType!)}.{type.Name}" : $"{type.Namespace}.{type.Name}";
    }
}
