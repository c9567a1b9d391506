using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace EnergyRegression.ApiDocs;

/// <summary>C# declarations of public types and members, as a reader of the API writes them (keywords, nullability, init).</summary>
internal sealed class Signatures
{
    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(void)] = "void", [typeof(object)] = "object", [typeof(string)] = "string", [typeof(bool)] = "bool",
        [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte", [typeof(short)] = "short", [typeof(ushort)] = "ushort",
        [typeof(int)] = "int", [typeof(uint)] = "uint", [typeof(long)] = "long", [typeof(ulong)] = "ulong",
        [typeof(float)] = "float", [typeof(double)] = "double", [typeof(decimal)] = "decimal", [typeof(char)] = "char",
    };

    private readonly NullabilityInfoContext _nullability = new();

    /// <summary>The declaration line of a type: modifiers, kind, name, base types.</summary>
    public static string Of(Type type)
    {
        var text = new StringBuilder("public ");
        if (IsRecord(type))
        {
            text.Append(type.IsValueType ? "readonly record struct " : (type.IsSealed ? "sealed " : "") + "record ");
        }
        else if (type.IsEnum)
        {
            text.Append("enum ");
        }
        else if (type.IsInterface)
        {
            text.Append("interface ");
        }
        else if (type.IsValueType)
        {
            text.Append(type.GetCustomAttribute<IsReadOnlyAttribute>() is null ? "struct " : "readonly struct ");
        }
        else if (type.IsSubclassOf(typeof(Delegate)))
        {
            text.Append("delegate ");
        }
        else
        {
            text.Append(type.IsAbstract && type.IsSealed ? "static " : type.IsAbstract ? "abstract " : type.IsSealed ? "sealed " : "");
            text.Append("class ");
        }
        text.Append(Name(type));
        var bases = new List<string>();
        if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType) && baseType != typeof(Enum))
        {
            bases.Add(TypeName(baseType));
        }
        // Interfaces the type declares itself (not those of its base type or of its other interfaces), records' IEquatable left out.
        Type[] inherited = [.. (type.BaseType?.GetInterfaces() ?? []), .. type.GetInterfaces().SelectMany(i => i.GetInterfaces())];
        bases.AddRange(type.GetInterfaces().Where(i => !inherited.Contains(i))
            .Where(i => !(IsRecord(type) && i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEquatable<>)))
            .Select(TypeName).Order(StringComparer.Ordinal));
        if (bases.Count > 0)
        {
            text.Append(" : ").Append(string.Join(", ", bases));
        }
        text.Append(Constraints(type.IsGenericTypeDefinition ? type.GetGenericArguments() : []));
        return text.ToString();
    }

    /// <summary>The declaration of a member.</summary>
    public string Of(MemberInfo member) => member switch
    {
        ConstructorInfo constructor => $"{Access(constructor)} {Name(constructor.DeclaringType!, generic: false)}({Parameters(constructor)})",
        MethodInfo method => $"{Modifiers(method)}{TypeName(method.ReturnParameter)} {MethodName(method)}({Parameters(method)}){Constraints(method.IsGenericMethodDefinition ? method.GetGenericArguments() : [])}",
        PropertyInfo property => Property(property),
        FieldInfo field when field.DeclaringType!.IsEnum => $"{field.Name} = {Convert.ToInt64(field.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)}",
        FieldInfo field => $"{(field.IsPublic ? "public" : "protected")} {(field.IsLiteral ? "const " : field.IsStatic ? "static " : "")}{(field.IsInitOnly ? "readonly " : "")}{TypeName(field.FieldType, _nullability.Create(field))} {field.Name}"
            + (field.IsLiteral ? $" = {Literal(field.GetRawConstantValue())}" : ""),
        EventInfo e => $"public event {TypeName(e.EventHandlerType!)} {e.Name}",
        _ => throw new NotSupportedException(member.ToString()),
    };

    /// <summary>A type as written in C#: <c>IReadOnlyList&lt;string&gt;</c>, <c>int[]</c>, <c>long?</c>.</summary>
    public static string TypeName(Type type)
    {
        if (Keywords.TryGetValue(type, out string? keyword))
        {
            return keyword;
        }
        if (type.IsByRef || type.IsPointer)
        {
            return TypeName(type.GetElementType()!);
        }
        if (type.IsArray)
        {
            return TypeName(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        }
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return TypeName(underlying) + "?";
        }
        if (type.IsGenericParameter)
        {
            return type.Name;
        }
        string name = type.Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0)
        {
            name = name[..tick];
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition().FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal))
        {
            return "(" + string.Join(", ", type.GetGenericArguments().Select(TypeName)) + ")";
        }
        string generics = type.IsGenericType ? "<" + string.Join(", ", type.GetGenericArguments().Select(TypeName)) + ">" : "";
        return (type.IsNested && !type.IsGenericParameter ? TypeName(type.DeclaringType!) + "." : "") + name + generics;
    }

    /// <summary>A type's name with its type parameters: <c>Column&lt;T&gt;</c>.</summary>
    public static string Name(Type type, bool generic = true)
    {
        string name = type.Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick < 0)
        {
            return name;
        }
        return generic ? name[..tick] + "<" + string.Join(", ", type.GetGenericArguments().Select(a => a.Name)) + ">" : name[..tick];
    }

    /// <summary>A method's name with its type parameters.</summary>
    public static string MethodName(MethodInfo method) =>
        method.Name switch
        {
            "op_Equality" => "operator ==",
            "op_Inequality" => "operator !=",
            _ => method.Name,
        } + (method.IsGenericMethodDefinition ? "<" + string.Join(", ", method.GetGenericArguments().Select(a => a.Name)) + ">" : "");

    /// <summary>True for a record class or record struct (they carry a compiler-generated EqualityContract or PrintMembers).</summary>
    public static bool IsRecord(Type type) =>
        type.GetMethod("<Clone>$") is not null
        || (type.IsValueType && type.GetMethod("PrintMembers", BindingFlags.NonPublic | BindingFlags.Instance) is not null);

    private string Property(PropertyInfo property)
    {
        MethodInfo accessor = property.GetMethod ?? property.SetMethod!;
        var text = new StringBuilder(Modifiers(accessor));
        if (property.GetCustomAttribute<RequiredMemberAttribute>() is not null)
        {
            text.Append("required ");
        }
        text.Append(TypeName(property.PropertyType, _nullability.Create(property))).Append(' ');
        ParameterInfo[] index = property.GetIndexParameters();
        text.Append(index.Length == 0 ? property.Name : $"this[{string.Join(", ", index.Select(Parameter))}]");
        text.Append(" { ");
        if (property.GetMethod is { IsPublic: true })
        {
            text.Append("get; ");
        }
        if (property.SetMethod is { IsPublic: true } setter)
        {
            bool init = setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));
            text.Append(init ? "init; " : "set; ");
        }
        return text.Append('}').ToString();
    }

    private static string Modifiers(MethodInfo method)
    {
        if (method.DeclaringType!.IsInterface)
        {
            return method.IsStatic ? "static " : "";
        }
        var text = new StringBuilder(Access(method) + " ");
        if (method.IsStatic)
        {
            text.Append("static ");
        }
        else if (method.IsAbstract)
        {
            text.Append("abstract ");
        }
        else if (method.IsVirtual && !method.IsFinal)
        {
            text.Append(method.GetBaseDefinition() != method ? "override " : "virtual ");
        }
        else if (method.IsVirtual && method.GetBaseDefinition() != method)
        {
            text.Append("sealed override ");
        }
        return text.ToString();
    }

    private static string Access(MethodBase method) => method.IsPublic ? "public" : "protected";

    private string Parameters(MethodBase method) => string.Join(", ", method.GetParameters().Select(Parameter));

    private string Parameter(ParameterInfo parameter)
    {
        var text = new StringBuilder();
        if (parameter.GetCustomAttribute<ParamArrayAttribute>() is not null)
        {
            text.Append("params ");
        }
        if (parameter.ParameterType.IsByRef)
        {
            text.Append(parameter.IsOut ? "out " : parameter.IsIn ? "in " : "ref ");
        }
        text.Append(TypeName(parameter)).Append(' ').Append(parameter.Name);
        if (parameter.HasDefaultValue)
        {
            text.Append(" = ").Append(Literal(parameter.DefaultValue, parameter.ParameterType));
        }
        return text.ToString();
    }

    private string TypeName(ParameterInfo parameter) => TypeName(parameter.ParameterType, _nullability.Create(parameter));

    // A type with its nullable reference annotations (string?, IReadOnlyList<string>?).
    private static string TypeName(Type type, NullabilityInfo nullability)
    {
        if (type.IsByRef)
        {
            type = type.GetElementType()!;
        }
        string name;
        if (type.IsArray && nullability.ElementType is { } element)
        {
            name = TypeName(type.GetElementType()!, element) + "[]";
        }
        else if (type.IsGenericType && Nullable.GetUnderlyingType(type) is null && nullability.GenericTypeArguments.Length == type.GetGenericArguments().Length
            && !type.GetGenericTypeDefinition().FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal))
        {
            string bare = TypeName(type.GetGenericTypeDefinition());
            bare = bare[..bare.IndexOf('<', StringComparison.Ordinal)];
            name = $"{(type.IsNested ? TypeName(type.DeclaringType!) + "." : "")}{bare}<{string.Join(", ", type.GetGenericArguments().Zip(nullability.GenericTypeArguments, TypeName))}>";
        }
        else
        {
            name = TypeName(type);
        }
        bool nullableReference = !type.IsValueType && nullability.ReadState == NullabilityState.Nullable;
        return nullableReference ? name + "?" : name;
    }

    private static string Constraints(Type[] parameters)
    {
        var text = new StringBuilder();
        foreach (Type parameter in parameters)
        {
            var constraints = new List<string>();
            GenericParameterAttributes attributes = parameter.GenericParameterAttributes;
            bool unmanaged = parameter.CustomAttributes.Any(a => a.AttributeType.Name == "IsUnmanagedAttribute");
            if (unmanaged)
            {
                constraints.Add("unmanaged");
            }
            else if (attributes.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint))
            {
                constraints.Add("struct");
            }
            else if (attributes.HasFlag(GenericParameterAttributes.ReferenceTypeConstraint))
            {
                constraints.Add("class");
            }
            constraints.AddRange(parameter.GetGenericParameterConstraints().Where(c => c != typeof(ValueType)).Select(TypeName));
            if (attributes.HasFlag(GenericParameterAttributes.DefaultConstructorConstraint)
                && !attributes.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint))
            {
                constraints.Add("new()");
            }
            if (constraints.Count > 0)
            {
                text.Append($" where {parameter.Name} : {string.Join(", ", constraints)}");
            }
        }
        return text.ToString();
    }

    private static string Literal(object? value, Type? type = null) => value switch
    {
        null => type is { IsValueType: true } && Nullable.GetUnderlyingType(type) is null ? "default" : "null",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        _ when type is { IsEnum: true } => $"{type.Name}.{Enum.GetName(type, value)}",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
