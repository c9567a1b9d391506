using EnergyRegression.Core.Configuration;

namespace EnergyRegression.Core.Tests.Configuration;

public sealed class ConfigKeyTests
{
    private static readonly IReadOnlyList<ConfigKey> Keys = ConfigKey.Of(typeof(TestReaderConfig));

    private static ConfigKey Key(string name) => Assert.Single(Keys, k => k.Key == name);

    [Fact]
    public void Lists_keys_in_declaration_order_with_snake_case_and_attribute_names()
    {
        Assert.Equal(
            ["files", "events", "budget", "scale", "fraction", "shuffle", "detector", "branches", "runs", "weights", "labels",
             "window", "limits", "comment", "region", "n_jobs"],
            Keys.Select(k => k.Key));
        Assert.Equal(nameof(TestReaderConfig.Jobs), Key("n_jobs").Property.Name);
    }

    [Fact]
    public void Required_keys_have_no_default()
    {
        ConfigKey files = Key("files");

        Assert.True(files.Required);
        Assert.Null(files.DefaultValue);
        Assert.All(Keys.Where(k => k.Key != "files"), k => Assert.False(k.Required));
    }

    [Theory]
    [InlineData("events", "100")]
    [InlineData("budget", "1000000000000")]
    [InlineData("scale", "1.5")]
    [InlineData("fraction", "0.25")]
    [InlineData("shuffle", "false")]
    [InlineData("detector", "barrel")]
    [InlineData("branches", "[pt, eta]")]
    [InlineData("runs", "[]")]
    [InlineData("n_jobs", "1")]
    public void Shows_defaults(string key, string expected)
    {
        Assert.Equal(expected, Key(key).DefaultValue);
    }

    [Theory]
    [InlineData("comment")]
    [InlineData("region")]
    public void Null_defaults_are_not_shown(string key)
    {
        Assert.Null(Key(key).DefaultValue);
    }

    [Theory]
    [InlineData("files", "list of text")]
    [InlineData("events", "integer")]
    [InlineData("budget", "integer")]
    [InlineData("scale", "number")]
    [InlineData("fraction", "number")]
    [InlineData("shuffle", "true/false")]
    [InlineData("detector", "one of: barrel, endcap, forward_region")]
    [InlineData("region", "one of: barrel, endcap, forward_region")]
    [InlineData("branches", "list of text")]
    [InlineData("runs", "list of integer")]
    [InlineData("weights", "mapping of name to number")]
    [InlineData("labels", "mapping of name to text")]
    [InlineData("window", "mapping")]
    [InlineData("comment", "text")]
    public void Names_types(string key, string expected)
    {
        Assert.Equal(expected, Key(key).TypeName);
    }

    [Fact]
    public void Takes_descriptions_from_the_attribute()
    {
        Assert.Equal("Input files.", Key("files").Description);
        Assert.Equal("Energy scale; must be positive.", Key("scale").Description);
        Assert.Equal("", Key("fraction").Description);
    }

    [Fact]
    public void Documents_the_chain_definition()
    {
        IReadOnlyList<ConfigKey> keys = ConfigKey.Of(typeof(ChainDefinition));

        Assert.Equal(["name", "seed", "batch_size", "threads", "max_events", "plugins", "reader", "stages", "writer", "train", "evaluate"], keys.Select(k => k.Key));
        Assert.Equal(["reader"], keys.Where(k => k.Required).Select(k => k.Key));
        ConfigKey batchSize = Assert.Single(keys, k => k.Key == "batch_size");
        Assert.Equal(("integer", "1000"), (batchSize.TypeName, batchSize.DefaultValue));
        Assert.Equal("chain", Assert.Single(keys, k => k.Key == "name").DefaultValue);
        Assert.All(keys, k => Assert.NotEqual("", k.Description));
    }

    [Fact]
    public void Documents_the_evaluate_section_without_its_derived_column_names()
    {
        string[] keys = [.. ConfigKey.Of(typeof(EvaluationDefinition)).Select(k => k.Key)];

        Assert.Equal(["stage", "part", "collection", "true_energy", "raw_energy", "predicted_energy", "predicted_energies", "thresholds",
            "rmse_unit", "charge", "window", "eta", "phi", "bins", "categories", "uncertainties", "predicted_uncertainty", "bootstrap", "z_low", "z_high", "z_bins", "z_fit", "z_min_pairs"], keys);
        var definition = new EvaluationDefinition { Collection = "Photon" };
        Assert.Equal(("Photon_genEnergy", "Photon_energy", "Photon_energyCalib"), (definition.TrueColumn, definition.RawColumn, definition.PredictedColumn));
        definition.ZFit = "least-squares";
        Assert.Throws<EnergyRegression.Plugins.ConfigValueException>(definition.Validate);
    }

    [Fact]
    public void Plugin_descriptor_exposes_the_keys_of_its_config()
    {
        var catalog = TestPlugins.Catalog();

        Assert.Equal(["collection", "min_pt"], catalog.Find(EnergyRegression.Plugins.PluginKind.Selection, "test-cut")!.Keys.Select(k => k.Key));
        Assert.Empty(catalog.Find(EnergyRegression.Plugins.PluginKind.Feature, "test-feature")!.Keys);
    }
}
