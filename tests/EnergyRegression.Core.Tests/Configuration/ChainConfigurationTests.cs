using EnergyRegression.Core.Configuration;
using EnergyRegression.Core.Running;

namespace EnergyRegression.Core.Tests.Configuration;

/// <summary>Chains that load: what ChainFile and Chain.Build make of a valid file.</summary>
public sealed class ChainConfigurationTests
{
    private static readonly string ChainPath = Path.Combine(Path.GetTempPath(), "energyreg-chains", "good.yaml");

    private static Chain Build(string yaml) => Chain.Build(ChainFile.Parse(yaml, ChainPath), TestPlugins.Catalog(), TestPlugins.Context());

    [Fact]
    public void Builds_reader_stages_and_writer_with_their_configs()
    {
        using Chain chain = Build("""
            name: calibration
            reader:
              type: test-reader
              with:
                files: ${CONFIG_DIR}/events.root
                detector: endcap
            stages:
              - type: test-cut
                name: electrons
                with: {collection: Electron, min_pt: 25}
              - type: test-feature
            writer:
              type: test-writer
              with:
                output: out.json
            """);

        var reader = Assert.IsType<TestReader>(chain.Reader.Instance);
        Assert.Equal([Path.Combine(Path.GetDirectoryName(ChainPath)!, "events.root")], reader.Config.Files);
        Assert.Equal(DetectorRegion.Endcap, reader.Config.Detector);
        Assert.Equal(42, reader.Context.Seed);
        Assert.Equal(["electrons", "test-feature"], chain.Stages.Select(s => s.Label));
        Assert.Equal(["stages[0]", "stages[1]"], chain.Stages.Select(s => s.Place));
        var cut = Assert.IsType<TestCut>(chain.Stages[0].Instance);
        Assert.Equal(("Electron", 25.0), (cut.Config.Collection, cut.Config.MinPt));
        Assert.IsType<TestFeature>(chain.Stages[1].Instance);
        Assert.Equal("out.json", Assert.IsType<TestWriter>(chain.Writer!.Instance).OutputPath);
        Assert.Equal("calibration", chain.File.Definition.Name);
        Assert.Equal(new Core.Yaml.YamlPosition(3, 3), chain.Reader.Position);
    }

    [Fact]
    public void Keeps_top_level_defaults()
    {
        ChainDefinition definition = ChainFile.Parse("reader:\n  type: test-generator\n", ChainPath).Definition;

        Assert.Equal(("chain", 42, 1000, 0, 0L), (definition.Name, definition.Seed, definition.BatchSize, definition.Threads, definition.MaxEvents));
        Assert.Empty(definition.Plugins);
        Assert.Empty(definition.Stages);
        Assert.Null(definition.Writer);
        Assert.Null(definition.Reader.With);
    }

    [Fact]
    public void Reader_without_config_needs_no_with_and_writer_may_be_null()
    {
        using Chain chain = Build("""
            max_events: 5000000000
            plugins: ../plugins
            reader:
              type: test-generator
              with: {}
            writer: null
            """);

        Assert.IsType<TestGenerator>(chain.Reader.Instance);
        Assert.Null(chain.Writer);
        Assert.Equal(5_000_000_000L, chain.File.Definition.MaxEvents);
        Assert.Equal(["../plugins"], chain.File.Definition.Plugins);
    }

    [Fact]
    public void Binds_top_level_integers()
    {
        ChainDefinition definition = ChainFile.Parse("seed: 7\nbatch_size: 500\nthreads: 2\nreader:\n  type: test-generator\n", ChainPath).Definition;

        Assert.Equal((7, 500, 2), (definition.Seed, definition.BatchSize, definition.Threads));
    }

    // A single step without the list dash is a mapping where a list belongs: reported, not guessed.
    [Fact]
    public void Single_stage_without_a_list_is_reported()
    {
        const string yaml = """
            reader:
              type: test-generator
            stages:
              type: test-feature
            """;

        ConfigurationException error = Assert.Throws<ConfigurationException>(() => Build(yaml).Dispose());

        Assert.Equal((4, 3), (error.Line, error.Column));
        Assert.Contains("'stages' needs a list of mapping, got a mapping", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_records_text_hash_and_path()
    {
        const string yaml = "reader:\n  type: test-generator\n";

        var file = ChainFile.Parse(yaml, ChainPath);

        Assert.Equal(ChainPath, file.Path);
        Assert.Equal(yaml, file.Text);
        Assert.Matches("^[0-9a-f]{64}$", file.Sha256);
        Assert.Equal(file.Sha256, ChainFile.Parse(yaml, "other.yaml").Sha256);
        Assert.NotEqual(file.Sha256, ChainFile.Parse(yaml + "# changed\n", ChainPath).Sha256);
    }
}
