using EnergyRegression.Core.Configuration;
using EnergyRegression.Core.Yaml;

namespace EnergyRegression.Core.Tests.Configuration;

public sealed class ConfigBinderTests
{
    private const string File = "binder-test.yaml";
    private static readonly string ConfigDir = Path.Combine(Path.GetTempPath(), "energyreg-chains");

    private static T Bind<T>(string yaml)
    {
        var mapping = Assert.IsType<YamlMapping>(YamlTreeReader.Parse(yaml, File));
        var binder = new ConfigBinder(File, new Dictionary<string, string>(StringComparer.Ordinal) { ["CONFIG_DIR"] = ConfigDir });
        return Assert.IsType<T>(binder.Bind(typeof(T), mapping, "the test", mapping.Position));
    }

    [Fact]
    public void Binds_every_supported_type_except_int_and_float()
    {
        TestReaderConfig config = Bind<TestReaderConfig>("""
            files: [a.root, "b c.root"]
            budget: 5_000_000_000
            scale: 2.5e1
            shuffle: true
            detector: forward_region
            branches:
              - pt
              - energy
            weights: {barrel: 0.5, endcap: -2}
            labels:
              barrel: EB
              endcap: EE
            window:
              shape: cross
            limits:
              min: 5
              max: 50.5
            comment: calibration v2
            region: endcap
            n_jobs: 12
            """);

        Assert.Equal(["a.root", "b c.root"], config.Files);
        Assert.Equal(5_000_000_000L, config.Budget);
        Assert.Equal(25.0, config.Scale);
        Assert.True(config.Shuffle);
        Assert.Equal(DetectorRegion.ForwardRegion, config.Detector);
        Assert.Equal(["pt", "energy"], config.Branches);
        Assert.Equal(new Dictionary<string, double> { ["barrel"] = 0.5, ["endcap"] = -2 }, config.Weights);
        Assert.Equal(new Dictionary<string, string> { ["barrel"] = "EB", ["endcap"] = "EE" }, config.Labels);
        Assert.Equal("cross", config.Window.Shape);
        Assert.Equal(5, config.Window.Eta);
        Assert.Equal(5.0, config.Limits.Min);
        Assert.Equal(50.5, config.Limits.Max);
        Assert.Equal("calibration v2", config.Comment);
        Assert.Equal(DetectorRegion.Endcap, config.Region);
        Assert.Equal(12L, config.Jobs);
    }

    // ConfigBinder.ConvertScalar returns `type == typeof(int) ? (int)value : value` (type long) and
    // `type == typeof(float) ? (float)value : value` (type double), so the boxed value never matches an int
    // or float property and PropertyInfo.SetValue / IList.Add throw ArgumentException.
    [Fact]
    public void Binds_int_and_float_keys()
    {
        TestReaderConfig config = Bind<TestReaderConfig>("""
            files: a.root
            events: -7
            fraction: 0.5
            runs: [1, 2_000]
            window: {eta: 3, phi: 7}
            """);

        Assert.Equal(-7, config.Events);
        Assert.Equal(0.5f, config.Fraction);
        Assert.Equal([1, 2000], config.Runs);
        Assert.Equal((3, 7), (config.Window.Eta, config.Window.Phi));
    }

    [Fact]
    public void Keeps_defaults_of_absent_keys()
    {
        TestReaderConfig config = Bind<TestReaderConfig>("files: a.root");

        Assert.Equal(100, config.Events);
        Assert.Equal(1_000_000_000_000L, config.Budget);
        Assert.Equal(1.5, config.Scale);
        Assert.Equal(0.25f, config.Fraction);
        Assert.False(config.Shuffle);
        Assert.Equal(DetectorRegion.Barrel, config.Detector);
        Assert.Equal(["pt", "eta"], config.Branches);
        Assert.Empty(config.Runs);
        Assert.Empty(config.Weights);
        Assert.Equal((5, 5, "square"), (config.Window.Eta, config.Window.Phi, config.Window.Shape));
        Assert.Equal((0.0, 1000.0), (config.Limits.Min, config.Limits.Max));
        Assert.Null(config.Comment);
        Assert.Null(config.Region);
        Assert.Equal(1L, config.Jobs);
    }

    [Fact]
    public void Keeps_defaults_of_absent_nested_keys()
    {
        TestReaderConfig config = Bind<TestReaderConfig>("""
            files: a.root
            limits: {min: 2}
            """);

        Assert.Equal((2.0, 1000.0), (config.Limits.Min, config.Limits.Max));
    }

    [Fact]
    public void Accepts_a_single_value_for_a_list()
    {
        TestReaderConfig config = Bind<TestReaderConfig>("""
            files: only.root
            branches: energy
            """);

        Assert.Equal(["only.root"], config.Files);
        Assert.Equal(["energy"], config.Branches);
    }

    [Fact]
    public void Accepts_an_empty_list()
    {
        TestReaderConfig config = Bind<TestReaderConfig>("""
            files: []
            branches: []
            """);

        Assert.Empty(config.Files);
        Assert.Empty(config.Branches);
    }

    [Fact]
    public void Expands_config_dir_in_strings_lists_and_dictionaries()
    {
        TestReaderConfig config = Bind<TestReaderConfig>("""
            files: ["${CONFIG_DIR}/a.root", b.root]
            comment: ${CONFIG_DIR}
            labels: {model: "${CONFIG_DIR}/model.onnx"}
            """);

        Assert.Equal([ConfigDir + "/a.root", "b.root"], config.Files);
        Assert.Equal(ConfigDir, config.Comment);
        Assert.Equal(ConfigDir + "/model.onnx", config.Labels["model"]);
    }

    [Fact]
    public void Expands_environment_variables()
    {
        string name = "ENERGYREG_TEST_" + Guid.NewGuid().ToString("N").ToUpperInvariant();
        Environment.SetEnvironmentVariable(name, "/eos/data");
        try
        {
            TestReaderConfig config = Bind<TestReaderConfig>($"files: ${{{name}}}/run1.root");

            Assert.Equal(["/eos/data/run1.root"], config.Files);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void Double_dollar_is_a_literal_dollar_brace()
    {
        TestReaderConfig config = Bind<TestReaderConfig>("""
            files: "$${X}/a.root"
            comment: "cost $$${CONFIG_DIR} $${ENERGYREG_TEST_SURELY_UNSET_VARIABLE}"
            """);

        Assert.Equal(["${X}/a.root"], config.Files);
        Assert.Equal("cost $${CONFIG_DIR} ${ENERGYREG_TEST_SURELY_UNSET_VARIABLE}", config.Comment);
    }

    [Fact]
    public void Dollar_without_brace_is_kept()
    {
        TestReaderConfig config = Bind<TestReaderConfig>("""
            files: a.root
            comment: $HOME costs $5
            """);

        Assert.Equal("$HOME costs $5", config.Comment);
    }

    [Fact]
    public void Quoted_null_is_a_string_and_plain_null_is_null()
    {
        TestReaderConfig quoted = Bind<TestReaderConfig>("""
            files: ["null", 'Null']
            comment: "null"
            """);
        TestReaderConfig plain = Bind<TestReaderConfig>("""
            files: a.root
            comment: null
            region: ~
            """);
        TestReaderConfig empty = Bind<TestReaderConfig>("""
            files: a.root
            comment:
            """);

        Assert.Equal(["null", "Null"], quoted.Files);
        Assert.Equal("null", quoted.Comment);
        Assert.Null(plain.Comment);
        Assert.Null(plain.Region);
        Assert.Null(empty.Comment);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("TRUE", true)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    public void Binds_booleans(string text, bool expected)
    {
        Assert.Equal(expected, Bind<TestReaderConfig>($"files: a\nshuffle: {text}").Shuffle);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("on")]
    [InlineData("1")]
    public void Rejects_yaml_1_1_booleans(string text)
    {
        var error = Assert.Throws<ConfigurationException>(() => Bind<TestReaderConfig>($"files: a\nshuffle: {text}"));

        Assert.Equal((2, 10), (error.Line, error.Column));
        Assert.Equal($"'shuffle' needs true or false, got '{text}'", error.Detail);
    }

    [Theory]
    [InlineData("endcap", DetectorRegion.Endcap)]
    [InlineData("forward_region", DetectorRegion.ForwardRegion)]
    [InlineData("ForwardRegion", DetectorRegion.ForwardRegion)]
    public void Binds_enums_by_snake_case_or_member_name(string text, DetectorRegion expected)
    {
        Assert.Equal(expected, Bind<TestReaderConfig>($"files: a\ndetector: {text}").Detector);
    }

    [Theory]
    [InlineData("EndCap")]
    [InlineData("ENDCAP")]
    [InlineData("forward-region")]
    [InlineData("1")]
    public void Rejects_other_enum_spellings(string text)
    {
        var error = Assert.Throws<ConfigurationException>(() => Bind<TestReaderConfig>($"files: a\ndetector: {text}"));

        Assert.StartsWith("'detector' must be one of barrel, endcap, forward_region; got", error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".inf", double.PositiveInfinity)]
    [InlineData("-.inf", double.NegativeInfinity)]
    [InlineData(".nan", double.NaN)]
    [InlineData("-0.5", -0.5)]
    [InlineData("1e-3", 0.001)]
    [InlineData("42", 42.0)]
    public void Binds_doubles(string text, double expected)
    {
        Assert.Equal(expected, Bind<TestReaderConfig>($"files: a\nweights: {{w: {text}}}").Weights["w"]);
    }

    [Fact]
    public void Long_out_of_range_is_an_error_at_the_value()
    {
        var error = Assert.Throws<ConfigurationException>(() => Bind<TestReaderConfig>("files: a\nbudget: 99999999999999999999"));

        Assert.Equal((2, 9), (error.Line, error.Column));
        Assert.Contains("'budget'", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_failure_of_an_absent_key_points_at_the_mapping()
    {
        // limits.max defaults to 1000; a min above it fails the nested Validate().
        var error = Assert.Throws<ConfigurationException>(() => Bind<TestReaderConfig>("files: a\nlimits:\n  min: 2000\n"));

        Assert.Equal((3, 3), (error.Line, error.Column));
        Assert.Equal("'max': must not be below min", error.Detail);
    }

    [Fact]
    public void Missing_required_key_without_a_mapping_is_reported_at_the_owner()
    {
        var binder = new ConfigBinder(File, new Dictionary<string, string>(StringComparer.Ordinal));

        var error = Assert.Throws<ConfigurationException>(() => binder.Bind(typeof(TestReaderConfig), null, "the test", new YamlPosition(4, 3)));

        Assert.Equal((4, 3), (error.Line, error.Column));
        Assert.Equal("missing required key 'files' in the test", error.Detail);
        Assert.Equal($"{File}:4:3: missing required key 'files' in the test", error.Message);
    }

    [Fact]
    public void AtKey_places_dotted_paths_at_the_nested_value()
    {
        var mapping = Assert.IsType<YamlMapping>(YamlTreeReader.Parse("a: 1\nlimits:\n  min: 3\n", File));
        var binder = new ConfigBinder(File, new Dictionary<string, string>(StringComparer.Ordinal));

        ConfigurationException nested = binder.AtKey(mapping, new YamlPosition(9, 9), "limits.min", "too small");
        ConfigurationException absent = binder.AtKey(mapping, new YamlPosition(9, 9), "nope", "bad");
        ConfigurationException noMapping = binder.AtKey(null, new YamlPosition(9, 9), "nope", "bad");

        Assert.Equal((3, 8, "'limits.min': too small"), (nested.Line, nested.Column, nested.Detail));
        Assert.Equal((1, 1), (absent.Line, absent.Column));
        Assert.Equal((9, 9), (noMapping.Line, noMapping.Column));
    }

    [Fact]
    public void AtKey_places_indexed_paths_at_the_list_item()
    {
        var mapping = Assert.IsType<YamlMapping>(YamlTreeReader.Parse("columns: [a, bb, c]\nregions:\n  - when: x\n  - when: y\n", File));
        var binder = new ConfigBinder(File, new Dictionary<string, string>(StringComparer.Ordinal));

        ConfigurationException item = binder.AtKey(mapping, new YamlPosition(9, 9), "columns[1]", "no such column");
        ConfigurationException nested = binder.AtKey(mapping, new YamlPosition(9, 9), "regions[1].when", "bad");
        ConfigurationException beyond = binder.AtKey(mapping, new YamlPosition(9, 9), "columns[7]", "bad");

        Assert.Equal((1, 14, "'columns[1]': no such column"), (item.Line, item.Column, item.Detail));
        Assert.Equal((4, 11), (nested.Line, nested.Column));
        Assert.Equal((1, 1), (beyond.Line, beyond.Column));
    }
}
