using System.ComponentModel;
using System.Text.Json.Nodes;
using EnergyRegression.Configuration;
using EnergyRegression.Core.Configuration;
using EnergyRegression.Core.Plugins;
using EnergyRegression.Data;
using EnergyRegression.Plugins;

namespace EnergyRegression.Core.Tests.Configuration;

/// <summary>The JSON Schema and the Markdown reference generated from the test plugins' config classes.</summary>
public sealed class ChainSchemaTests
{
    private static readonly JsonObject Schema = ChainSchema.Generate(TestPlugins.Catalog());

    private static JsonObject Definition(string name) => (JsonObject)Schema["definitions"]![name]!;

    private static string Property(string definition, string key) => Definition(definition)["properties"]![key]!.ToJsonString();

    [Theory]
    [InlineData("files", """{"anyOf":[{"type":"array","items":{"type":"string"}},{"type":"string"}],"description":"Input files."}""")]
    [InlineData("events", """{"type":"integer","minimum":-2147483648,"maximum":2147483647,"description":"Events to read.","default":100}""")]
    [InlineData("budget", """{"type":"integer","description":"Total event budget.","default":1000000000000}""")]
    [InlineData("fraction", """{"type":"number","default":0.25}""")]
    [InlineData("shuffle", """{"type":"boolean","default":false}""")]
    [InlineData("detector", """{"type":"string","enum":["barrel","endcap","forward_region"],"description":"Which region to read.","default":"barrel"}""")]
    [InlineData("branches", """{"anyOf":[{"type":"array","items":{"type":"string"}},{"type":"string"}],"default":["pt","eta"]}""")]
    [InlineData("weights", """{"type":"object","additionalProperties":{"type":"number"},"default":{}}""")]
    [InlineData("window", """{"$ref":"#/definitions/CropWindow"}""")]
    [InlineData("comment", """{"type":["string","null"]}""")]
    [InlineData("region", """{"type":["string","null"],"enum":["barrel","endcap","forward_region",null]}""")]
    [InlineData("n_jobs", """{"type":"integer","default":1}""")]
    public void Keys_map_to_json_schema_types_with_description_and_default(string key, string expected)
    {
        Assert.Equal(expected, Property("reader.test-reader", key));
    }

    [Fact]
    public void A_plugin_section_lists_required_keys_and_rejects_unknown_ones()
    {
        JsonObject section = Definition("reader.test-reader");
        Assert.Equal("A reader for configuration tests.", (string?)section["description"]);
        Assert.Equal("""["files"]""", section["required"]!.ToJsonString());
        Assert.False((bool)section["additionalProperties"]!);
        Assert.Equal("""{"type":"integer","minimum":-2147483648,"maximum":2147483647,"description":"Crystals in eta.","default":5}""",
            Property("CropWindow", "eta"));
        // draft-07 ignores the siblings of $ref: a described reference is wrapped in allOf.
        JsonNode reader = Definition("chain")["properties"]!["reader"]!;
        Assert.Equal("""[{"$ref":"#/definitions/step.reader"}]""", reader["allOf"]!.ToJsonString());
        Assert.Equal("Where events come from: `type:` a reader plugin, `with:` its keys.", (string?)reader["description"]);
    }

    [Fact]
    public void Steps_choose_the_with_section_by_type()
    {
        JsonObject stages = Definition("step.selection-feature-regressor");
        Assert.Equal("""["test-cut","test-feature"]""", stages["properties"]!["type"]!["enum"]!.ToJsonString());
        JsonArray cases = stages["allOf"]!.AsArray();
        Assert.Equal(
            """{"if":{"properties":{"type":{"const":"test-cut"}},"required":["type"]},"then":{"required":["with"],"properties":{"with":{"$ref":"#/definitions/selection.test-cut"}}}}""",
            cases[0]!.ToJsonString());
        Assert.Equal(
            """{"if":{"properties":{"type":{"const":"test-feature"}},"required":["type"]},"then":{"properties":{"with":{"type":["object","null"],"maxProperties":0}}}}""",
            cases[1]!.ToJsonString());
        Assert.Equal("""["test-generator","test-reader"]""", Definition("step.reader")["properties"]!["type"]!["enum"]!.ToJsonString());
        Assert.Equal("""{"type":"array","items":{"$ref":"#/definitions/step.selection-feature-regressor"},"description":"Selections, features and regressors, run in order on every batch.","default":[]}""",
            Definition("chain")["properties"]!["stages"]!.ToJsonString());
        Assert.Equal("""["reader"]""", Definition("chain")["required"]!.ToJsonString());
        Assert.Equal("""{"required":["steps"],"not":{"required":["reader"]}}""", Schema["if"]!.ToJsonString());
        Assert.Equal("""{"$ref":"#/definitions/workflow"}""", Schema["then"]!.ToJsonString());
        Assert.Equal("""{"$ref":"#/definitions/chain"}""", Schema["else"]!.ToJsonString());
    }

    [Fact]
    public void Reference_flattens_nested_sections_and_escapes_markdown()
    {
        string markdown = ConfigReference.ToMarkdown(TestPlugins.Catalog());
        Assert.Contains("\n| `files` | list of text | *required* | Input files. |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("\n| `window.eta` | integer | `5` | Crystals in eta. |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("\n| `limits.max` | number | `1000` |  |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("\n| `branches` | list of text | `[\"pt\", \"eta\"]` |  |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("\n### feature `test-feature`\n\n(no description) Assembly `EnergyRegression.Core.Tests`.\n\nIt takes no keys.\n",
            markdown, StringComparison.Ordinal);
        Assert.Contains("- Readers: [`test-generator`](#reader-test-generator), [`test-reader`](#reader-test-reader)\n", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Reference_escapes_table_and_html_characters_outside_and_inside_code()
    {
        var catalog = new PluginCatalog();
        catalog.Add(typeof(MarkdownFeature));
        string markdown = ConfigReference.ToMarkdown(catalog);
        Assert.Contains("\n| `cut` | text | `a\\|b` | Keeps \\|η\\| &lt; 1.5 &amp; more, `x\\|y < 2`, \"\\*\" or \"E_\\*\". |\n", markdown, StringComparison.Ordinal);
    }
}

public sealed class MarkdownFeatureConfig : PluginConfig
{
    [Description("Keeps |η| < 1.5 & more, `x|y < 2`, \"*\" or \"E_*\".")]
    public string Cut { get; set; } = "a|b";
}

[Plugin("markdown-feature")]
public sealed class MarkdownFeature(MarkdownFeatureConfig config) : IFeature
{
    public MarkdownFeatureConfig Config { get; } = config;

    public void Compute(EventBatch batch)
    {
    }
}
