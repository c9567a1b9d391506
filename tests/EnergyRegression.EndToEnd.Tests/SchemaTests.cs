using System.Text.Json;
using EnergyRegression.TestOracles;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>
/// <c>energyreg schema</c>: the JSON Schema of chain files, checked by an independent validator (Ajv) against every
/// shipped config and bad chains; the committed schema and YAML reference (docs/) equal what the tool generates.
/// </summary>
public sealed class SchemaTests
{
    private static string ConfigsDir => Path.Combine(Tool.RepoRoot, "configs");

    private static string Generate(string workingDirectory, params string[] args)
    {
        Tool.Result result = Tool.Run(workingDirectory, ["schema", .. args]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Stderr);
        return result.Stdout;
    }

    private static void RequireOracle()
    {
        if (!JsonSchemaOracle.IsAvailable)
        {
            Assert.Fail(JsonSchemaOracle.UnavailableReason);
        }
    }

    [Fact]
    public void Every_shipped_config_is_valid_against_the_generated_schema()
    {
        RequireOracle();
        using var work = new TempDirectory();
        string schema = work.Write("chain.schema.json", Generate(work.Path));
        // Chain files and workflow files (configs/quickstart.yaml and the chains under configs/quickstart/).
        string[] configs = Directory.GetFiles(ConfigsDir, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        Assert.True(configs.Length >= 10, $"{configs.Length} configs");
        Assert.Contains(configs, c => File.ReadAllText(c).Contains("\nsteps:", StringComparison.Ordinal));

        IReadOnlyList<SchemaVerdict> verdicts = JsonSchemaOracle.Validate(schema, configs);

        Assert.Equal(configs, verdicts.Select(v => v.File));
        Assert.All(verdicts, v => Assert.True(v.Valid, $"{v.File}: {string.Join("; ", v.Errors)}"));
    }

    [Fact]
    public void Bad_chains_are_rejected_by_the_schema_where_the_tool_rejects_them()
    {
        RequireOracle();
        using var work = new TempDirectory();
        string schema = work.Write("chain.schema.json", Generate(work.Path));
        string reader = $$"""
            reader:
              type: json
              with: {files: ["{{Tool.SampleData}}"]}

            """;
        (string Name, string Text, string Path, string Keyword, string ToolMessage)[] cases =
        [
            ("unknown-top-key", reader + "bach_size: 10\n", "", "additionalProperties", "unknown key 'bach_size'"),
            ("unknown-with-key", reader + "stages:\n  - type: filter\n    with: {expresion: \"Electron_pt > 1\"}\n",
                "/stages/0/with", "additionalProperties", "unknown key 'expresion'"),
            ("missing-required", reader + "stages:\n  - type: define\n    with: {name: x}\n",
                "/stages/0/with", "required", "missing required key 'expression'"),
            ("bad-enum", reader + "stages:\n  - type: gbdt\n    with: {engine: xgboost}\n",
                "/stages/0/with/engine", "enum", "'engine' must be one of auto, light_gbm, fast_tree"),
            ("nested-section", reader + "stages:\n  - type: gbdt\n    with:\n      search: {ranges: {leaves: [8, many]}}\n",
                "/stages/0/with/search/ranges/leaves/1", "type", "needs an integer, got 'many'"),
            ("wrong-kind", reader + "writer: {type: filter}\n", "/writer/type", "enum", "'filter' is a selection plugin; writer needs a writer"),
            ("wrong-type", reader + "batch_size: lots\n", "/batch_size", "type", "'batch_size' needs an integer"),
            ("workflow-step", "name: w\nsteps:\n  - trian: a.yaml\n", "/steps/0", "additionalProperties", "unknown key 'trian' in 'steps[0]'"),
            ("single-section", reader + "stages:\n  - type: gbdt\n    with: {regions: {name: barrel, when: \"1 > 0\"}}\n",
                "/stages/0/with/regions", "type", "'regions' needs a list of mapping, got a mapping"),
        ];
        string[] files = cases.Select(c => work.Write(c.Name + ".yaml", c.Text)).ToArray();

        IReadOnlyList<SchemaVerdict> verdicts = JsonSchemaOracle.Validate(schema, files);

        for (int i = 0; i < cases.Length; i++)
        {
            SchemaVerdict verdict = verdicts[i];
            Assert.False(verdict.Valid, cases[i].Name);
            Assert.True(verdict.Errors.Any(e => e.Path == cases[i].Path && e.Keyword == cases[i].Keyword),
                $"{cases[i].Name}: {string.Join("; ", verdict.Errors)}");

            Tool.Result tool = Tool.Run(work.Path, "validate", files[i]);
            Assert.True(tool.ExitCode == 3, $"{cases[i].Name}: {tool}");
            Assert.Contains(cases[i].ToolMessage, tool.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Schema_describes_nested_sections_enums_and_defaults_of_the_built_in_plugins()
    {
        using var work = new TempDirectory();
        using var schema = JsonDocument.Parse(Generate(work.Path));
        JsonElement defs = schema.RootElement.GetProperty("definitions");

        Assert.Equal("http://json-schema.org/draft-07/schema#", schema.RootElement.GetProperty("$schema").GetString());
        JsonElement gbdt = defs.GetProperty("regressor.gbdt").GetProperty("properties");
        Assert.Equal(300, gbdt.GetProperty("trees").GetProperty("default").GetInt32());
        Assert.Equal("#/definitions/GbdtSearch", gbdt.GetProperty("search").GetProperty("allOf")[0].GetProperty("$ref").GetString());
        JsonElement search = defs.GetProperty("GbdtSearch").GetProperty("properties");
        Assert.Equal(["none", "random", "successive_halving"],
            search.GetProperty("method").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("#/definitions/SearchRanges", search.GetProperty("ranges").GetProperty("allOf")[0].GetProperty("$ref").GetString());
        Assert.Equal("integer", defs.GetProperty("SearchRanges").GetProperty("properties").GetProperty("leaves")
            .GetProperty("anyOf")[0].GetProperty("items").GetProperty("type").GetString());

        JsonElement torch = defs.GetProperty("regressor.torch");
        Assert.Equal(["collection"], torch.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        foreach (string section in new[] { "network", "target", "loss", "training" })
        {
            string reference = torch.GetProperty("properties").GetProperty(section).GetProperty("allOf")[0].GetProperty("$ref").GetString()!;
            Assert.True(defs.TryGetProperty(reference["#/definitions/".Length..], out JsonElement nested), reference);
            Assert.False(nested.GetProperty("additionalProperties").GetBoolean());
        }
        Assert.Equal(["expression"], defs.GetProperty("selection.filter").GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["hdf5", "json", "root"], defs.GetProperty("step.writer").GetProperty("properties").GetProperty("type")
            .GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Plugins_from_a_plugin_path_are_in_the_schema()
    {
        using var work = new TempDirectory();
        using var schema = JsonDocument.Parse(Generate(work.Path, "--plugin-path", Tool.ExamplePluginDir));
        JsonElement scale = schema.RootElement.GetProperty("definitions").GetProperty("feature.energy-scale");
        Assert.Equal("Example plugin: residual energy scale in |eta| bins.", scale.GetProperty("description").GetString());
        Assert.Equal(["output"], scale.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([0.0, 1.0, 1.4442, 1.566, 2.0, 2.5],
            scale.GetProperty("properties").GetProperty("edges").GetProperty("default").EnumerateArray().Select(e => e.GetDouble()));
    }

    [Theory]
    [InlineData("docs/reference.md", "--markdown")]
    [InlineData("docs/chain.schema.json", "")]
    public void Committed_docs_equal_what_the_tool_generates(string file, string option)
    {
        using var work = new TempDirectory();
        string generated = option.Length == 0 ? Generate(work.Path) : Generate(work.Path, option);
        string committed = File.ReadAllText(Path.Combine(Tool.RepoRoot, file)).ReplaceLineEndings("\n");
        Assert.True(committed == generated,
            $"{file} differs from `energyreg schema {option}`: regenerate it with "
            + $"`./energyreg.sh schema {option} > {file}` (first difference at character "
            + $"{committed.Zip(generated).TakeWhile(p => p.First == p.Second).Count()})");
    }

    [Fact]
    public void Plugin_detail_lists_the_keys_of_nested_sections_as_dotted_keys()
    {
        using var work = new TempDirectory();
        Tool.Result result = Tool.Run(work.Path, "plugins", "gbdt");
        Assert.True(result.ExitCode == 0, result.ToString());
        string[] lines = result.Stdout.Split('\n');
        Assert.Contains(lines, l => l.Contains("search.method", StringComparison.Ordinal) && l.Contains("none", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("search.ranges.leaves", StringComparison.Ordinal) && l.Contains("list of integer", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("regions[].when", StringComparison.Ordinal) && l.Contains("(required)", StringComparison.Ordinal));

        Tool.Result torch = Tool.Run(work.Path, "plugins", "torch");
        Assert.True(torch.ExitCode == 0, torch.ToString());
        foreach (string key in new[] { "network.kind", "training.learning_rate", "training.augment.flip_eta", "loss.kind", "target.scale" })
        {
            Assert.Contains("  " + key + " ", torch.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Schema_with_a_missing_plugin_path_is_a_plugin_error()
    {
        using var work = new TempDirectory();
        Tool.Result result = Tool.Run(work.Path, "schema", "--plugin-path", work.File("missing"));
        Assert.Equal(5, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("does not exist", result.Stderr, StringComparison.Ordinal);
    }
}
