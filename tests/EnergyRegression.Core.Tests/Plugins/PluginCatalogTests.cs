using EnergyRegression.Core.Plugins;
using EnergyRegression.Data;
using EnergyRegression.Plugins;

namespace EnergyRegression.Core.Tests.Plugins;

/// <summary>Which names plugins may share: per kind, and among the stage kinds a chain's stages: choose by name alone.</summary>
public sealed class PluginCatalogTests
{
    [Fact]
    public void A_selection_and_a_feature_with_one_name_are_an_error_naming_both_classes_and_assemblies()
    {
        var catalog = new PluginCatalog();
        catalog.Add(typeof(SharedNameSelection));

        PluginException error = Assert.Throws<PluginException>(() => catalog.Add(typeof(SharedNameFeature)));

        string assembly = typeof(SharedNameFeature).Assembly.Location;
        Assert.Equal($"plugin name 'shared': is used by a selection ({typeof(SharedNameSelection).FullName} in {assembly}) and by a feature "
            + $"({typeof(SharedNameFeature).FullName} in {assembly}); a chain's stages choose their plugin by name alone, so a selection, a feature "
            + "and a regressor may not share a name: rename one of them (its [Plugin(\"...\")])", error.Message);
        Assert.Equal([PluginKind.Selection], catalog.All.Select(p => p.Kind));
    }

    [Fact]
    public void A_reader_and_a_writer_may_share_a_name_and_the_same_class_twice_is_no_duplicate()
    {
        var catalog = new PluginCatalog();
        catalog.Add(typeof(SharedNameReader));
        catalog.Add(typeof(SharedNameWriter));
        catalog.Add(typeof(SharedNameSelection));
        catalog.Add(typeof(SharedNameSelection));

        Assert.Equal([PluginKind.Reader, PluginKind.Selection, PluginKind.Writer], catalog.All.Select(p => p.Kind));
    }
}

[Plugin("shared")]
public sealed class SharedNameSelection : ISelection
{
    public void Select(EventBatch batch, SelectionMask mask)
    {
    }
}

[Plugin("shared")]
public sealed class SharedNameFeature : IFeature
{
    public void Compute(EventBatch batch)
    {
    }
}

[Plugin("shared")]
public sealed class SharedNameReader : IEventReader
{
    public IReadOnlyList<string> InputFiles => [];

    public long? CountEvents() => 0;

    public IEnumerable<EventBatch> ReadBatches(int batchSize, CancellationToken cancellation) => [];

    public void Dispose()
    {
    }
}

[Plugin("shared")]
public sealed class SharedNameWriter : IEventWriter
{
    public string OutputPath => "out";

    public void Open(EnergyRegression.Running.Provenance provenance)
    {
    }

    public void Write(EventBatch batch)
    {
    }

    public void Commit()
    {
    }

    public void Dispose()
    {
    }
}

/// <summary>Plugin locations that cannot be used are reported at the chain file's <c>plugins:</c> entry.</summary>
public sealed class PluginLocationTests
{
    [Fact]
    public void A_missing_location_is_reported_at_its_plugins_entry()
    {
        var file = EnergyRegression.Core.Configuration.ChainFile.Parse("""
            plugins:
              - /no/such/energyreg-plugins
            reader: {type: test-reader}
            """, "chain.yaml");

        PluginException error = Assert.Throws<PluginException>(() => new PluginLoader().LoadCatalogFrom(file.PluginLocations, includeBuiltIn: false));

        Assert.Equal("chain.yaml:2:5: plugin location /no/such/energyreg-plugins (plugins[0]): does not exist", error.Message);
        Assert.Equal("chain.yaml:2:5", error.At);
    }

    [Fact]
    public void Plugin_locations_carry_their_places_and_a_relative_missing_one_says_where_it_was_looked_for()
    {
        var file = EnergyRegression.Core.Configuration.ChainFile.Parse("""
            plugins: [a, "${CONFIG_DIR}/b"]
            reader: {type: test-reader}
            """, "/tmp/chains/chain.yaml");
        Assert.Equal([new PluginLocation("a", "plugins[0]", "/tmp/chains/chain.yaml:1:11"),
            new PluginLocation("/tmp/chains/b", "plugins[1]", "/tmp/chains/chain.yaml:1:14")], file.PluginLocations);

        var single = EnergyRegression.Core.Configuration.ChainFile.Parse("plugins: no-such-plugin-folder\nreader: {type: test-reader}\n", "c.yaml");
        PluginException error = Assert.Throws<PluginException>(() => new PluginLoader().LoadCatalogFrom(single.PluginLocations, includeBuiltIn: false));
        Assert.StartsWith("c.yaml:1:10: plugin location no-such-plugin-folder (plugins[0]): does not exist (relative to the current directory: ",
            error.Message, StringComparison.Ordinal);
    }
}
