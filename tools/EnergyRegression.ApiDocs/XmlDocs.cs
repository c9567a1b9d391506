using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace EnergyRegression.ApiDocs;

/// <summary>
/// The XML documentation of the documented assemblies (the compiler's /doc output), by documentation ID, rendered to
/// Markdown: &lt;see cref&gt; becomes a link when the target is documented here, &lt;c&gt; code, &lt;inheritdoc/&gt; the
/// documentation of the member it overrides or implements.
/// </summary>
internal sealed partial class XmlDocs(Func<string, string?> linkOf)
{
    private readonly Dictionary<string, XElement> _members = new(StringComparer.Ordinal);

    /// <summary>Reads the documentation file of <paramref name="assembly"/> (next to it, same name, .xml).</summary>
    public void Load(Assembly assembly)
    {
        string path = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No XML documentation next to {assembly.Location}: build with GenerateDocumentationFile.", path);
        }
        foreach (XElement member in XDocument.Load(path).Root!.Element("members")!.Elements("member"))
        {
            _members[member.Attribute("name")!.Value] = member;
        }
    }

    /// <summary>The documentation element of a member, following &lt;inheritdoc/&gt;; null when it has none.</summary>
    public XElement? Of(MemberInfo member)
    {
        XElement? doc = _members.GetValueOrDefault(DocIds.Of(member));
        if (doc?.Element("inheritdoc") is null)
        {
            return doc;
        }
        foreach (MemberInfo origin in Origins(member))
        {
            if (Of(origin) is { } inherited)
            {
                return inherited;
            }
        }
        return null;
    }

    /// <summary>One tag (summary, remarks, returns) as Markdown, or "".</summary>
    public string Text(XElement? doc, string tag) => doc?.Element(tag) is { } element ? Render(element) : "";

    /// <summary>The &lt;param&gt; (or &lt;typeparam&gt;) texts by name.</summary>
    public IReadOnlyList<(string Name, string Text)> Named(XElement? doc, string tag) =>
        doc?.Elements(tag).Select(p => (p.Attribute("name")!.Value, Render(p))).ToList() ?? [];

    /// <summary>Inline and block XML documentation as Markdown.</summary>
    public string Render(XElement element)
    {
        var text = new StringBuilder();
        foreach (XNode node in element.Nodes())
        {
            text.Append(node switch
            {
                XText t => Whitespace().Replace(t.Value, " "),
                XElement { Name.LocalName: "c" } c => $"`{c.Value}`",
                XElement { Name.LocalName: "code" } code => $"\n\n```csharp\n{Dedent(code.Value)}\n```\n\n",
                XElement { Name.LocalName: "para" } para => $"\n\n{Render(para).Trim()}\n\n",
                XElement { Name.LocalName: "paramref" or "typeparamref" } p => $"`{p.Attribute("name")?.Value}`",
                XElement { Name.LocalName: "see" } see when see.Attribute("langword") is { } word => $"`{word.Value}`",
                XElement { Name.LocalName: "see" or "seealso" } see when see.Attribute("cref") is { } cref => Link(cref.Value, see.Value),
                XElement { Name.LocalName: "see" } see when see.Attribute("href") is { } href => $"[{(see.Value.Length > 0 ? see.Value : href.Value)}]({href.Value})",
                XElement { Name.LocalName: "list" } list => "\n\n" + string.Join("\n", list.Elements("item").Select(i =>
                    "- " + (i.Element("term") is { } term ? $"**{Render(term).Trim()}**: " : "") + Render(i.Element("description") ?? i).Trim())) + "\n\n",
                XElement other => Render(other),
                _ => "",
            });
        }
        return MultipleBlankLines().Replace(text.ToString(), "\n\n").Trim();
    }

    // A cref as a link to its page and anchor, or as code when it is not documented here (a BCL type).
    private string Link(string cref, string label)
    {
        string shown = label.Length > 0 ? label : ShortName(cref);
        return linkOf(cref) is { } target ? $"[`{shown}`]({target})" : $"`{shown}`";
    }

    // T:EnergyRegression.Data.EventBatch -> EventBatch; M:...EventBatch.GetColumn(System.String) -> EventBatch.GetColumn.
    private static string ShortName(string cref)
    {
        string name = cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref;
        int paren = name.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0)
        {
            name = name[..paren];
        }
        name = GenericArity().Replace(name, "");
        string[] parts = name.Split('.');
        return cref.StartsWith("T:", StringComparison.Ordinal) || parts.Length < 2 ? parts[^1] : $"{parts[^2]}.{parts[^1]}".Replace("#ctor", "new", StringComparison.Ordinal);
    }

    // What a member's <inheritdoc/> refers to: the base class member it overrides, or the interface member it implements.
    private static IEnumerable<MemberInfo> Origins(MemberInfo member)
    {
        if (member is MethodInfo method)
        {
            MethodInfo baseDefinition = method.GetBaseDefinition();
            if (baseDefinition != method)
            {
                yield return baseDefinition;
            }
            foreach (MethodInfo target in InterfaceTargets(method))
            {
                yield return target;
            }
        }
        else if (member is PropertyInfo property && (property.GetMethod ?? property.SetMethod) is { } accessor)
        {
            MethodInfo baseAccessor = accessor.GetBaseDefinition();
            if (baseAccessor != accessor && baseAccessor.DeclaringType!.GetProperty(property.Name) is { } baseProperty)
            {
                yield return baseProperty;
            }
            foreach (MethodInfo target in InterfaceTargets(accessor))
            {
                if (target.DeclaringType!.GetProperties().FirstOrDefault(p => p.GetMethod == target || p.SetMethod == target) is { } interfaceProperty)
                {
                    yield return interfaceProperty;
                }
            }
        }
    }

    private static IEnumerable<MethodInfo> InterfaceTargets(MethodInfo method)
    {
        Type type = method.DeclaringType!;
        if (type.IsInterface)
        {
            yield break;
        }
        foreach (Type face in type.GetInterfaces())
        {
            InterfaceMapping map = type.GetInterfaceMap(face);
            int i = Array.IndexOf(map.TargetMethods, method);
            if (i >= 0)
            {
                yield return map.InterfaceMethods[i];
            }
        }
    }

    private static string Dedent(string code)
    {
        string[] lines = code.Trim('\n', '\r').Split('\n');
        int indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..].TrimEnd() : l.Trim()));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex MultipleBlankLines();

    [GeneratedRegex(@"`+\d+")]
    private static partial Regex GenericArity();
}
