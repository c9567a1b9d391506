using EnergyRegression.Plugins;
using EnergyRegression.Core.Configuration;

namespace EnergyRegression.Core.Tests.Configuration;

public sealed class NamingTests
{
    [Theory]
    [InlineData("OnError", "on_error")]
    [InlineData("HTTPTimeout", "http_timeout")]
    [InlineData("Eta2", "eta2")]
    [InlineData("MaxEvents", "max_events")]
    [InlineData("Seed", "seed")]
    [InlineData("BatchSize", "batch_size")]
    [InlineData("IOStream", "io_stream")]
    [InlineData("Pt2Min", "pt2_min")]
    [InlineData("UseGPU", "use_gpu")]
    [InlineData("already_snake", "already_snake")]
    [InlineData("X", "x")]
    [InlineData("", "")]
    public void ToSnakeCase(string name, string expected)
    {
        Assert.Equal(expected, Naming.ToSnakeCase(name));
    }

    private static readonly string[] Keys = ["name", "seed", "batch_size", "threads", "max_events", "reader", "stages", "writer"];

    [Theory]
    [InlineData("bach_size", "batch_size")]
    [InlineData("BATCH_SIZE", "batch_size")]
    [InlineData("sede", "seed")]
    [InlineData("stage", "stages")]
    [InlineData("max_event", "max_events")]
    [InlineData("writter", "writer")]
    public void Closest_finds_likely_typos(string word, string expected)
    {
        Assert.Equal(expected, NameSuggestions.Closest(word, Keys));
    }

    [Theory]
    [InlineData("completely_different")]
    [InlineData("xyzzy")]
    public void Closest_rejects_far_words(string word)
    {
        Assert.Null(NameSuggestions.Closest(word, Keys));
    }

    [Fact]
    public void Closest_of_no_candidates_is_null()
    {
        Assert.Null(NameSuggestions.Closest("seed", []));
    }

    [Fact]
    public void Closest_prefers_the_first_of_equally_close_candidates()
    {
        Assert.Equal("cat", NameSuggestions.Closest("bat", ["cat", "hat"]));
    }

    [Fact]
    public void DidYouMean_formats_the_suggestion_or_nothing()
    {
        Assert.Equal(" (did you mean 'seed'?)", NameSuggestions.DidYouMean("sed", Keys));
        Assert.Equal("", NameSuggestions.DidYouMean("completely_different", Keys));
    }
}
