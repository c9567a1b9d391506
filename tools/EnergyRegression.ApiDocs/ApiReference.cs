using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace EnergyRegression.ApiDocs;

/// <summary>
/// The API reference of some assemblies as Markdown pages: README.md (every namespace and type, with its first line) and a
/// page per public type (declaration, documentation, and every public member with its declaration, parameters and return
/// value). Deterministic: the same assemblies and documentation give the same bytes.
/// </summary>
internal sealed partial class ApiReference
{
    private readonly IReadOnlyList<(Assembly Assembly, string About)> _assemblies;
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);
    private readonly XmlDocs _docs;
    private readonly Signatures _signatures = new();

    public ApiReference(IReadOnlyList<(Assembly Assembly, string About)> assemblies)
    {
        _assemblies = assemblies;
        _docs = new XmlDocs(cref => _links.GetValueOrDefault(cref));
        foreach ((Assembly assembly, _) in assemblies)
        {
            _docs.Load(assembly);
            foreach (Type type in PublicTypes(assembly))
            {
                _links[DocIds.Of(type)] = PageOf(type);
                foreach (MemberInfo member in Members(type))
                {
                    _links[DocIds.Of(member)] = $"{PageOf(type)}#{Anchor(member)}";
                }
            }
        }
    }

    /// <summary>The pages: file name → Markdown text.</summary>
    public IReadOnlyDictionary<string, string> Pages()
    {
        var pages = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["README.md"] = Index() };
        foreach ((Assembly assembly, _) in _assemblies)
        {
            foreach (Type type in PublicTypes(assembly))
            {
                pages[PageOf(type)] = Page(type);
            }
        }
        return pages;
    }

    /// <summary>Public types of an assembly, by full name.</summary>
    public static IEnumerable<Type> PublicTypes(Assembly assembly) =>
        assembly.GetExportedTypes().Where(t => !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

    /// <summary>
    /// The members a reader of a type needs, in reference order: constructors, properties, methods, fields, events.
    /// Accessors and what the compiler generates for records (value equality, ToString, Deconstruct, the clone method) are
    /// left out: a record's page says what it has.
    /// </summary>
    public static IEnumerable<MemberInfo> Members(Type type)
    {
        // Public and protected members: a plugin's subclass sees both (PluginConfig's protected helpers).
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        bool record = Signatures.IsRecord(type);
        bool sealedType = type.IsSealed || type.IsValueType;
        IEnumerable<MemberInfo> members = type.IsEnum
            ? type.GetFields(BindingFlags.Public | BindingFlags.Static)
            : [.. type.GetConstructors(flags).Where(c => Visible(c, sealedType) && !(record && IsCopyConstructor(c))),
               .. type.GetProperties(flags).Where(p => (p.GetMethod ?? p.SetMethod) is { } a && Visible(a, sealedType) && !(record && p.Name == "EqualityContract")),
               .. type.GetMethods(flags).Where(m => Visible(m, sealedType) && (!m.IsSpecialName || m.Name.StartsWith("op_", StringComparison.Ordinal)))
                   .Where(m => !(record && RecordGenerated.Contains(m.Name))),
               .. type.GetFields(flags).Where(f => (f.IsPublic || (!sealedType && (f.IsFamily || f.IsFamilyOrAssembly))) && !f.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute))),
               .. type.GetEvents(flags).Where(e => e.AddMethod is { } add && Visible(add, sealedType))];
        return members.OrderBy(Order).ThenBy(m => m.Name, StringComparer.Ordinal).ThenBy(DocIds.Of, StringComparer.Ordinal);

        static int Order(MemberInfo m) => m switch { ConstructorInfo => 0, PropertyInfo => 1, MethodInfo => 2, FieldInfo => 3, _ => 4 };
    }

    private static bool Visible(MethodBase method, bool sealedType) =>
        method.IsPublic || (!sealedType && (method.IsFamily || method.IsFamilyOrAssembly));

    private static readonly HashSet<string> RecordGenerated =
        ["<Clone>$", "Equals", "GetHashCode", "ToString", "Deconstruct", "op_Equality", "op_Inequality", "PrintMembers"];

    private static bool IsCopyConstructor(ConstructorInfo constructor) =>
        constructor.GetParameters() is [{ } only] && only.ParameterType == constructor.DeclaringType;

    /// <summary>The page of a type: its full name.</summary>
    public static string PageOf(Type type) => type.FullName!.Replace('+', '.').Replace('`', '-') + ".md";

    /// <summary>The anchor of a member on its type's page: its documentation ID after the type, in lower case and dashes.</summary>
    public static string Anchor(MemberInfo member)
    {
        string id = DocIds.Of(member);
        string typeId = DocIds.Of(member.DeclaringType!)[2..];
        string local = id[(2 + typeId.Length + 1)..];
        return NotWordCharacters().Replace(local.ToLowerInvariant(), "-").Trim('-');
    }

    private string Index()
    {
        var text = new StringBuilder();
        text.AppendLine("# API reference");
        text.AppendLine();
        text.AppendLine("The public types of the packages plugin authors use, generated from the assemblies and their XML documentation by");
        text.AppendLine("`tools/EnergyRegression.ApiDocs` (every build writes this reference to `artifacts/<Configuration>/api`; a test fails when");
        text.AppendLine("this folder differs from it: refresh it with `scripts/update-api-docs.sh`, do not edit it). The plugin author's guide is");
        text.AppendLine("[docs/plugins.md](../plugins.md).");
        foreach ((Assembly assembly, string about) in _assemblies)
        {
            text.AppendLine();
            text.AppendLine($"## {assembly.GetName().Name} {Version(assembly)}");
            text.AppendLine();
            text.AppendLine(about);
            foreach (IGrouping<string?, Type> space in PublicTypes(assembly).GroupBy(t => t.Namespace))
            {
                text.AppendLine();
                text.AppendLine($"### {space.Key}");
                text.AppendLine();
                text.AppendLine("| type | |");
                text.AppendLine("|---|---|");
                foreach (Type type in space)
                {
                    text.AppendLine($"| [{Signatures.Name(type).Replace("<", "&lt;", StringComparison.Ordinal)}]({PageOf(type)}) | {Kind(type)}: {Cell(FirstSentence(_docs.Text(_docs.Of(type), "summary")))} |");
                }
            }
        }
        return text.ToString();
    }

    private string Page(Type type)
    {
        XElement? doc = _docs.Of(type);
        var text = new StringBuilder();
        text.AppendLine($"# {Signatures.Name(type).Replace("<", "&lt;", StringComparison.Ordinal)}");
        text.AppendLine();
        text.AppendLine($"{Kind(type)} in `{type.Namespace}` · {type.Assembly.GetName().Name} · [API reference](README.md)");
        text.AppendLine();
        Paragraph(text, _docs.Text(doc, "summary"));
        Code(text, Signatures.Of(type));
        Table(text, "type parameter", _docs.Named(doc, "typeparam"));
        if (Signatures.IsRecord(type))
        {
            Paragraph(text, "A record: value equality (`==`, `Equals`), `ToString`, copies with `with`"
                + (type.GetMethod("Deconstruct") is null ? "." : " and deconstruction into its positional members."));
        }
        Paragraph(text, _docs.Text(doc, "remarks"));
        foreach (IGrouping<string, MemberInfo> group in Members(type).GroupBy(Section))
        {
            text.AppendLine($"## {group.Key}");
            text.AppendLine();
            foreach (MemberInfo member in group)
            {
                Member(text, member);
            }
        }
        return text.ToString().TrimEnd() + "\n";
    }

    private void Member(StringBuilder text, MemberInfo member)
    {
        XElement? doc = _docs.Of(member);
        text.AppendLine($"<a id=\"{Anchor(member)}\"></a>");
        text.AppendLine();
        text.AppendLine($"### {Heading(member).Replace("<", "&lt;", StringComparison.Ordinal)}");
        text.AppendLine();
        Code(text, _signatures.Of(member));
        Paragraph(text, _docs.Text(doc, "summary"));
        Table(text, "type parameter", _docs.Named(doc, "typeparam"));
        Table(text, "parameter", _docs.Named(doc, "param"));
        if (_docs.Text(doc, "returns") is { Length: > 0 } returns)
        {
            Paragraph(text, "Returns " + returns);
        }
        foreach (XElement exception in doc?.Elements("exception") ?? [])
        {
            string cref = exception.Attribute("cref")?.Value ?? "";
            Paragraph(text, $"Throws `{cref[(cref.LastIndexOf('.') + 1)..]}`: {_docs.Render(exception)}");
        }
        Paragraph(text, _docs.Text(doc, "remarks"));
    }

    private static string Section(MemberInfo member) => member switch
    {
        ConstructorInfo => "Constructors",
        PropertyInfo => "Properties",
        MethodInfo m when m.Name.StartsWith("op_", StringComparison.Ordinal) => "Operators",
        MethodInfo => "Methods",
        FieldInfo f when f.DeclaringType!.IsEnum => "Values",
        FieldInfo => "Fields",
        _ => "Events",
    };

    // GetColumn(string), EventCount, Column<T>.Values
    private static string Heading(MemberInfo member) => member switch
    {
        ConstructorInfo c => $"{Signatures.Name(c.DeclaringType!, generic: false)}({ParameterTypes(c)})",
        MethodInfo m => $"{Signatures.MethodName(m)}({ParameterTypes(m)})",
        _ => member.Name,
    };

    private static string ParameterTypes(MethodBase method) =>
        string.Join(", ", method.GetParameters().Select(p => Signatures.TypeName(p.ParameterType)));

    private static string Kind(Type type) =>
        Signatures.IsRecord(type) ? (type.IsValueType ? "record struct" : "record")
        : type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct"
        : type.IsAbstract && type.IsSealed ? "static class" : type.IsAbstract ? "abstract class" : "class";

    private static void Paragraph(StringBuilder text, string paragraph)
    {
        if (paragraph.Length > 0)
        {
            text.AppendLine(paragraph);
            text.AppendLine();
        }
    }

    private static void Code(StringBuilder text, string code)
    {
        text.AppendLine("```csharp");
        text.AppendLine(code);
        text.AppendLine("```");
        text.AppendLine();
    }

    private static void Table(StringBuilder text, string what, IReadOnlyList<(string Name, string Text)> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }
        text.AppendLine($"| {what} | |");
        text.AppendLine("|---|---|");
        foreach ((string name, string description) in rows)
        {
            text.AppendLine($"| `{name}` | {Cell(description)} |");
        }
        text.AppendLine();
    }

    private static string Cell(string markdown) => markdown.Replace("\n\n", "<br>", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal)
        .Replace("|", "\\|", StringComparison.Ordinal);

    // Up to the first full stop that ends a sentence: followed by a space or the end, outside `code` and [links], not "..".
    private static string FirstSentence(string text)
    {
        int code = 0, brackets = 0;
        for (int i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '`': code ^= 1; break;
                case '[': brackets++; break;
                case ']': brackets--; break;
                case '.' when code == 0 && brackets == 0 && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1]))
                    && (i == 0 || text[i - 1] != '.'):
                    return text[..(i + 1)];
            }
        }
        return text;
    }

    private static string Version(Assembly assembly) =>
        (assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?").Split('+')[0];

    [GeneratedRegex(@"[^a-z0-9]+")]
    private static partial Regex NotWordCharacters();
}
