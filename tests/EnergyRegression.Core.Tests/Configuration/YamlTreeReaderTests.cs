using EnergyRegression.Core.Configuration;
using EnergyRegression.Core.Yaml;

namespace EnergyRegression.Core.Tests.Configuration;

public sealed class YamlTreeReaderTests
{
    private const string File = "tree.yaml";

    [Fact]
    public void Positions_are_one_based_line_and_column()
    {
        var root = Assert.IsType<YamlMapping>(YamlTreeReader.Parse("# comment\nreader:\n  type: json\n  with: [a, b]\n", File));

        (YamlScalar key, YamlNode value) = root.Entries[0];
        var reader = Assert.IsType<YamlMapping>(value);
        var type = Assert.IsType<YamlScalar>(reader.Find("type"));
        var with = Assert.IsType<YamlSequence>(reader.Find("with"));

        Assert.Equal(new YamlPosition(2, 1), root.Position);
        Assert.Equal(new YamlPosition(2, 1), key.Position);
        Assert.Equal(new YamlPosition(3, 3), reader.Position);
        Assert.Equal(new YamlPosition(3, 3), reader.FindKey("type")!.Position);
        Assert.Equal(new YamlPosition(3, 9), type.Position);
        Assert.Equal("json", type.Value);
        Assert.Equal(new YamlPosition(4, 9), with.Position);
        Assert.Equal(new YamlPosition(4, 13), with.Items[1].Position);
        Assert.Equal("3:9", type.Position.ToString());
    }

    [Fact]
    public void Keeps_mapping_entries_in_file_order()
    {
        var root = Assert.IsType<YamlMapping>(YamlTreeReader.Parse("z: 1\na: 2\nm: 3\n", File));

        Assert.Equal(["z", "a", "m"], root.Entries.Select(e => e.Key.Value));
        Assert.Null(root.Find("b"));
        Assert.Null(root.FindKey("b"));
    }

    [Fact]
    public void Empty_text_is_null()
    {
        Assert.Null(YamlTreeReader.Parse("", File));
        Assert.Null(YamlTreeReader.Parse("# only a comment\n", File));
    }

    [Fact]
    public void Quoted_null_stays_a_string()
    {
        var root = Assert.IsType<YamlMapping>(YamlTreeReader.Parse("a: \"null\"\nb: 'null'\nc: null\nd: ~\ne:\nf: NULL\ng: nil\n", File));

        YamlScalar Scalar(string key) => Assert.IsType<YamlScalar>(root.Find(key));

        Assert.False(Scalar("a").IsNull);
        Assert.False(Scalar("a").IsPlain);
        Assert.Equal("null", Scalar("a").Value);
        Assert.False(Scalar("b").IsNull);
        Assert.True(Scalar("c").IsNull);
        Assert.True(Scalar("d").IsNull);
        Assert.True(Scalar("e").IsNull);
        Assert.True(Scalar("f").IsNull);
        Assert.False(Scalar("g").IsNull);
    }

    [Fact]
    public void Anchors_and_aliases_are_accepted()
    {
        var root = Assert.IsType<YamlMapping>(YamlTreeReader.Parse("""
            defaults: &files [a.root, b.root]
            scalar: &name energy
            reader:
              files: *files
              name: *name
            """, File));

        var reader = Assert.IsType<YamlMapping>(root.Find("reader"));
        Assert.Same(root.Find("defaults"), reader.Find("files"));
        Assert.Equal("energy", Assert.IsType<YamlScalar>(reader.Find("name")).Value);
    }

    [Fact]
    public void Aliases_bind_through_the_config_binder()
    {
        var mapping = Assert.IsType<YamlMapping>(YamlTreeReader.Parse("""
            files: &inputs [a.root, b.root]
            branches: *inputs
            labels: &labels {x: y}
            """, File));
        var binder = new ConfigBinder(File, new Dictionary<string, string>(StringComparer.Ordinal));

        var config = (TestReaderConfig)binder.Bind(typeof(TestReaderConfig), mapping, "the test", mapping.Position);

        Assert.Equal(["a.root", "b.root"], config.Files);
        Assert.Equal(["a.root", "b.root"], config.Branches);
    }

    [Fact]
    public void Duplicate_key_is_an_error_with_file_line_and_column()
    {
        var error = Assert.Throws<ConfigurationException>(() => YamlTreeReader.Parse("a: 1\nb:\n  c: 1\n  c: 2\n", File));

        Assert.Equal(File, error.File);
        Assert.Equal((4, 3), (error.Line, error.Column));
        Assert.Equal("duplicate key 'c' (first at line 3)", error.Detail);
        Assert.Equal("tree.yaml:4:3: duplicate key 'c' (first at line 3)", error.Message);
    }

    [Fact]
    public void Same_key_in_different_mappings_is_fine()
    {
        var root = Assert.IsType<YamlMapping>(YamlTreeReader.Parse("a: {x: 1}\nb: {x: 2}\n", File));

        Assert.Equal(2, root.Entries.Count);
    }

    [Fact]
    public void Syntax_error_keeps_the_yaml_reason()
    {
        var error = Assert.Throws<ConfigurationException>(() => YamlTreeReader.Parse("a: [1, 2\n", File));

        Assert.StartsWith("invalid YAML: ", error.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("(Line:", error.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Line:", error.Detail, StringComparison.Ordinal);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public void Second_document_is_an_error()
    {
        var error = Assert.Throws<ConfigurationException>(() => YamlTreeReader.Parse("a: 1\n...\n---\nb: 2\n", File));

        Assert.Equal((3, 1), (error.Line, error.Column));
        Assert.Contains("more than one YAML document", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Explicit_single_document_is_fine()
    {
        var root = Assert.IsType<YamlMapping>(YamlTreeReader.Parse("---\na: 1\n...\n", File));

        Assert.Equal("1", Assert.IsType<YamlScalar>(root.Find("a")).Value);
    }

    [Fact]
    public void Kind_names_read_well_in_messages()
    {
        var root = Assert.IsType<YamlMapping>(YamlTreeReader.Parse("a: 1\nb: [1]\nc: {d: 1}\n", File));

        Assert.Equal(["a mapping", "a value", "a list", "a mapping"],
            new[] { root, root.Find("a")!, root.Find("b")!, root.Find("c")! }.Select(n => n.KindName));
    }
}
