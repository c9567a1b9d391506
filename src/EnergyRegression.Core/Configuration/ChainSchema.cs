using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using EnergyRegression.Core.Plugins;
using EnergyRegression.Core.Yaml;
using EnergyRegression.Plugins;

namespace EnergyRegression.Core.Configuration;

/// <summary>
/// The JSON Schema (draft-07, what editors support: the YAML language server of VS Code) of a chain file, generated from <see cref="ChainDefinition"/> and the config classes
/// of the plugins in a catalog, so editors can complete and check chains (<c>energyreg schema</c>, docs/plugins.md).
/// It follows the binder's rules: snake_case keys, unknown keys rejected, <c>required</c> members required, enums by
/// their snake_case names, a single value accepted where a list is expected, nullable keys accepting <c>null</c>; each
/// step's <c>with:</c> is checked against the config class of the plugin its <c>type:</c> names.
/// </summary>
public static class ChainSchema
{
    /// <summary>The JSON Schema dialect of the generated schema.</summary>
    public const string Dialect = "http://json-schema.org/draft-07/schema#";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The schema as indented JSON text, ending with a newline.</summary>
    public static string ToJson(PluginCatalog catalog) => Generate(catalog).ToJsonString(Options) + "\n";

    /// <summary>The schema as a JSON object.</summary>
    public static JsonObject Generate(PluginCatalog catalog) => new Builder(catalog).Chain();

    /// <summary>The name of the <c>definitions</c> entry of a plugin's <c>with:</c> section: <c>reader.json</c>.</summary>
    public static string DefinitionName(PluginDescriptor plugin) => $"{Naming.ToSnakeCase(plugin.Kind.ToString())}.{plugin.Name}";

    /// <summary>The plugins a step of these kinds may name, first kind first; a name in two kinds resolves to the first, as in the chain builder.</summary>
    public static IReadOnlyList<PluginDescriptor> StepPlugins(PluginCatalog catalog, IReadOnlyList<PluginKind> kinds)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var plugins = new List<PluginDescriptor>();
        foreach (PluginKind kind in kinds)
        {
            plugins.AddRange(catalog.All.Where(p => p.Kind == kind && seen.Add(p.Name)));
        }
        return plugins;
    }

    /// <summary>True for types the schema describes as a nested mapping of keys (a config class), not as a value.</summary>
    internal static bool IsSection(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(YamlNode).IsAssignableFrom(type)
        && ConfigBinder.ListElementType(type) is null && ConfigBinder.DictionaryValueType(type) is null;

    /// <summary>A fresh instance holding the defaults of a config class, or null when it has no parameterless constructor.</summary>
    internal static object? Defaults(Type type)
    {
        try
        {
            return Activator.CreateInstance(type);
        }
        catch (MissingMethodException)
        {
            return null;
        }
    }

    /// <summary>A default value as JSON, or null when it has none (null, NaN, a nested section).</summary>
    internal static JsonNode? DefaultValue(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        float f => float.IsFinite(f) ? JsonValue.Create(f) : null,
        double d => double.IsFinite(d) ? JsonValue.Create(d) : null,
        Enum e => JsonValue.Create(Naming.ToSnakeCase(e.ToString())),
        IDictionary dictionary => DefaultObject(dictionary),
        IEnumerable list => DefaultArray(list),
        _ => null,
    };

    private static JsonObject? DefaultObject(IDictionary dictionary)
    {
        var result = new JsonObject();
        foreach (DictionaryEntry entry in dictionary)
        {
            if (DefaultValue(entry.Value) is not { } node)
            {
                return null;
            }
            result[System.Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!] = node;
        }
        return result;
    }

    private static JsonArray? DefaultArray(IEnumerable list)
    {
        var result = new JsonArray();
        foreach (object? item in list)
        {
            if (DefaultValue(item) is not { } node)
            {
                return null;
            }
            result.Add(node);
        }
        return result;
    }

    private sealed class Builder(PluginCatalog catalog)
    {
        private readonly NullabilityInfoContext _nullability = new();
        private readonly JsonObject _definitions = [];
        private readonly Dictionary<Type, string> _sectionNames = [];

        public JsonObject Chain()
        {
            var root = new JsonObject
            {
                ["$schema"] = Dialect,
                ["title"] = "energyreg chain",
                ["description"] = "A chain file of energyreg (a reader, stages and a writer) or a workflow file (steps running chain files). "
                    + "Generated by `energyreg schema` from the config classes of the plugins it found; see docs/reference.md.",
            };
            // A file with `steps:` and no `reader:` is a workflow (WorkflowFile); anything else is a chain.
            root["if"] = new JsonObject
            {
                ["required"] = new JsonArray("steps"),
                ["not"] = new JsonObject { ["required"] = new JsonArray("reader") },
            };
            root["then"] = new JsonObject { ["$ref"] = "#/definitions/workflow" };
            root["else"] = new JsonObject { ["$ref"] = "#/definitions/chain" };
            Named("chain", "A chain file: a reader, stages and a writer.", typeof(ChainDefinition));
            Named("workflow", "A workflow file: steps that train, run or evaluate chain files, in order.", typeof(WorkflowDefinition));
            root["definitions"] = _definitions;
            return root;
        }

        private void Named(string name, string description, Type type)
        {
            _definitions[name] = null; // its place in the order, before the sections it refers to
            var described = new JsonObject { ["description"] = description };
            foreach ((string key, JsonNode? value) in Section(type))
            {
                described[key] = value?.DeepClone();
            }
            _definitions[name] = described;
        }

        private JsonObject Section(Type type)
        {
            var properties = new JsonObject();
            var required = new JsonArray();
            object? defaults = Defaults(type);
            foreach (ConfigKey key in ConfigKey.Of(type))
            {
                PropertyInfo property = key.Property;
                bool nullable = _nullability.Create(property).WriteState == NullabilityState.Nullable;
                JsonObject schema = property.GetCustomAttribute<PluginStepAttribute>() is { } step
                    ? Step(property.PropertyType, step.Kinds, nullable)
                    : Value(property.PropertyType, nullable);
                JsonNode? value = key.Required || defaults is null ? null : DefaultValue(property.GetValue(defaults));
                if (schema.ContainsKey("$ref") && (key.Description.Length > 0 || value is not null))
                {
                    // draft-07 ignores the siblings of $ref: the description and default go around it.
                    schema = new JsonObject { ["allOf"] = new JsonArray(schema) };
                }
                if (key.Description.Length > 0)
                {
                    schema["description"] = key.Description;
                }
                if (value is not null)
                {
                    schema["default"] = value;
                }
                properties[key.Key] = schema;
                if (key.Required)
                {
                    required.Add(key.Key);
                }
            }
            var section = new JsonObject { ["type"] = "object", ["properties"] = properties };
            if (required.Count > 0)
            {
                section["required"] = required;
            }
            section["additionalProperties"] = false;
            return section;
        }

        private JsonObject Value(Type type, bool nullable)
        {
            if (Nullable.GetUnderlyingType(type) is { } underlying)
            {
                return OrNull(Value(underlying, nullable: false), true);
            }
            if (type == typeof(YamlNode))
            {
                return [];
            }
            if (type == typeof(YamlMapping))
            {
                return OrNull(new JsonObject { ["type"] = "object" }, nullable);
            }
            if (ConfigBinder.ListElementType(type) is { } element)
            {
                // The binder takes a single value where a list is expected (`files: a.jsonl`), but not a single mapping.
                JsonObject item = Value(element, nullable: false);
                var array = new JsonObject { ["type"] = "array", ["items"] = item };
                bool mappingItems = IsSection(element) || ConfigBinder.DictionaryValueType(element) is not null
                    || typeof(YamlMapping).IsAssignableFrom(element);
                return OrNull(mappingItems ? array : new JsonObject { ["anyOf"] = new JsonArray(array, item.DeepClone()) }, nullable);
            }
            if (ConfigBinder.DictionaryValueType(type) is { } valueType)
            {
                return OrNull(new JsonObject { ["type"] = "object", ["additionalProperties"] = Value(valueType, nullable: false) }, nullable);
            }
            JsonObject schema = type switch
            {
                _ when type == typeof(string) => new JsonObject { ["type"] = "string" },
                _ when type == typeof(bool) => new JsonObject { ["type"] = "boolean" },
                _ when type == typeof(int) => new JsonObject { ["type"] = "integer", ["minimum"] = int.MinValue, ["maximum"] = int.MaxValue },
                _ when type == typeof(long) => new JsonObject { ["type"] = "integer" },
                _ when type == typeof(float) || type == typeof(double) => new JsonObject { ["type"] = "number" },
                _ when type.IsEnum => new JsonObject
                {
                    ["type"] = "string",
                    ["enum"] = new JsonArray(Enum.GetNames(type).Select(n => (JsonNode?)Naming.ToSnakeCase(n)).ToArray()),
                },
                _ when IsSection(type) => new JsonObject { ["$ref"] = "#/definitions/" + SectionName(type) },
                _ => throw new NotSupportedException($"Config type {type} has no JSON Schema (the binder does not support it either)."),
            };
            return OrNull(schema, nullable);
        }

        private static JsonObject OrNull(JsonObject schema, bool nullable)
        {
            if (!nullable)
            {
                return schema;
            }
            if (schema["type"] is JsonValue type && !schema.ContainsKey("$ref"))
            {
                schema["type"] = new JsonArray(type.GetValue<string>(), "null");
                if (schema["enum"] is JsonArray values)
                {
                    values.Add(null);
                }
                return schema;
            }
            return new JsonObject { ["anyOf"] = new JsonArray(schema, new JsonObject { ["type"] = "null" }) };
        }

        private string SectionName(Type type)
        {
            if (_sectionNames.TryGetValue(type, out string? name))
            {
                return name;
            }
            name = type.Name;
            for (int i = 2; _sectionNames.ContainsValue(name); i++)
            {
                name = type.Name + i.ToString(CultureInfo.InvariantCulture);
            }
            _sectionNames.Add(type, name);
            _definitions[name] = null; // reserve the slot (and its place in the order) before recursing
            _definitions[name] = Section(type);
            return name;
        }

        private JsonObject Step(Type propertyType, IReadOnlyList<PluginKind> kinds, bool nullable)
        {
            string name = "step." + string.Join("-", kinds.Select(k => Naming.ToSnakeCase(k.ToString())));
            if (!_definitions.ContainsKey(name))
            {
                _definitions[name] = null;
                _definitions[name] = StepSection(kinds);
            }
            var reference = new JsonObject { ["$ref"] = "#/definitions/" + name };
            JsonObject schema = ConfigBinder.ListElementType(propertyType) is null
                ? reference
                : new JsonObject { ["type"] = "array", ["items"] = reference };
            return OrNull(schema, nullable);
        }

        private JsonObject StepSection(IReadOnlyList<PluginKind> kinds)
        {
            JsonObject step = Section(typeof(StepDefinition));
            var properties = (JsonObject)step["properties"]!;
            IReadOnlyList<PluginDescriptor> plugins = StepPlugins(catalog, kinds);
            var type = (JsonObject)properties["type"]!;
            type.Remove("type");
            type["enum"] = new JsonArray(plugins.Select(p => (JsonNode?)p.Name).ToArray());

            var cases = new JsonArray();
            foreach (PluginDescriptor plugin in plugins)
            {
                var then = new JsonObject();
                JsonObject with;
                if (plugin.ConfigType is null)
                {
                    with = new JsonObject { ["type"] = new JsonArray("object", "null"), ["maxProperties"] = 0 };
                }
                else
                {
                    string definition = DefinitionName(plugin);
                    if (!_definitions.ContainsKey(definition))
                    {
                        _definitions[definition] = null;
                        JsonObject section = Section(plugin.ConfigType);
                        var described = new JsonObject { ["description"] = plugin.Description };
                        foreach ((string key, JsonNode? value) in section)
                        {
                            described[key] = value?.DeepClone();
                        }
                        _definitions[definition] = described;
                    }
                    bool anyRequired = plugin.Keys.Any(k => k.Required);
                    with = OrNull(new JsonObject { ["$ref"] = "#/definitions/" + definition }, nullable: !anyRequired);
                    if (anyRequired)
                    {
                        then["required"] = new JsonArray("with");
                    }
                }
                then["properties"] = new JsonObject { ["with"] = with };
                cases.Add(new JsonObject
                {
                    ["if"] = new JsonObject
                    {
                        ["properties"] = new JsonObject { ["type"] = new JsonObject { ["const"] = plugin.Name } },
                        ["required"] = new JsonArray("type"),
                    },
                    ["then"] = then,
                });
            }
            step["allOf"] = cases;
            return step;
        }
    }
}
