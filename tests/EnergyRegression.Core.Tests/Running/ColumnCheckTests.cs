using System.ComponentModel;
using EnergyRegression.Configuration;
using EnergyRegression.Core.Configuration;
using EnergyRegression.Core.Plugins;
using EnergyRegression.Core.Running;
using EnergyRegression.Data;
using EnergyRegression.Models;
using EnergyRegression.Plugins;
using EnergyRegression.Running;

namespace EnergyRegression.Core.Tests.Running;

/// <summary>
/// <c>energyreg validate</c>'s column check: the stages run on a batch of no events with the reader's columns, so a column
/// looked up by config key that nobody gives is a configuration error at that key, with the closest name.
/// </summary>
public sealed class ColumnCheckTests
{
    private static PluginCatalog Catalog()
    {
        var catalog = new PluginCatalog();
        catalog.Add(typeof(ColumnReader));
        catalog.Add(typeof(DeclaringReader));
        catalog.Add(typeof(ScaleColumn));
        catalog.Add(typeof(UntrainedRegressor));
        return catalog;
    }

    private static string Check(string yaml, RunMode mode = RunMode.Apply)
    {
        var file = ChainFile.Parse(yaml, "chain.yaml");
        var context = new RunContext(SilentConsole.Instance, SilentConsole.Instance, 1, CancellationToken.None, mode);
        using var chain = Chain.Build(file, Catalog(), context);
        return ColumnCheck.Run(chain, mode, CancellationToken.None);
    }

    [Fact]
    public void Columns_given_by_the_reader_or_an_earlier_stage_pass()
    {
        string summary = Check("""
            reader: {type: column-reader}
            stages:
              - type: scale-column
                with: {input: Electron_energy, output: Electron_energyScaled}
              - type: scale-column
                with: {input: Electron_energyScaled, output: Electron_energyTwice}
            """);

        Assert.Equal("columns: 2 stage(s) found what they look up among the 2 column(s) and 1 collection(s) of the reader's first event", summary);
    }

    [Fact]
    public void A_misspelled_column_is_a_configuration_error_at_its_key_with_the_closest_name()
    {
        ConfigurationException error = Assert.Throws<ConfigurationException>(() => Check("""
            reader: {type: column-reader}
            stages:
              - type: scale-column
                with: {input: Electron_energy, output: Electron_energyScaled}
              - type: scale-column
                with:
                  output: Electron_x
                  input: Electron_enrgyScaled
            """));

        Assert.Equal("chain.yaml:8:14: 'input': no column 'Electron_enrgyScaled' in the batch (did you mean 'Electron_energyScaled'?); "
            + "it has Electron_eta, Electron_energy, Electron_energyScaled (in stages[1] 'scale-column')", error.Message);
    }

    [Fact]
    public void A_declaring_reader_is_not_read_and_training_stops_before_the_regressor_it_trains()
    {
        DeclaringReader.BatchesRead = 0;
        string summary = Check("""
            reader: {type: declaring-reader}
            stages:
              - type: scale-column
                with: {input: Electron_energy, output: Electron_energyScaled}
              - type: untrained
              - type: scale-column
                with: {input: Electron_energyUntrained, output: Electron_energyAfter}
            """, RunMode.Train);

        Assert.Equal("columns: 1 stage(s) found what they look up among the 2 column(s) and 1 collection(s) the reader declares", summary);
        Assert.Equal(0, DeclaringReader.BatchesRead);
    }
}

[Plugin("column-reader")]
public sealed class ColumnReader : IEventReader
{
    public IReadOnlyList<string> InputFiles => [];

    public long? CountEvents() => 2;

    public IEnumerable<EventBatch> ReadBatches(int batchSize, CancellationToken cancellation)
    {
        var batch = new EventBatch(2);
        batch.AddCollection("Electron", [1, 2]);
        batch.AddObjectColumn<float>("Electron", "Electron_eta").Values.Fill(0.5f);
        batch.AddObjectColumn<float>("Electron", "Electron_energy").Values.Fill(40f);
        yield return batch;
    }

    public void Dispose()
    {
    }
}

[Plugin("declaring-reader")]
public sealed class DeclaringReader : IColumnDeclaringReader
{
    public static int BatchesRead { get; set; }

    public IReadOnlyList<string> InputFiles => [];

    public long? CountEvents() => 0;

    public EventBatch DeclareColumns()
    {
        var batch = new EventBatch(0);
        batch.AddCollection("Electron", []);
        batch.AddObjectColumn<float>("Electron", "Electron_eta");
        batch.AddObjectColumn<float>("Electron", "Electron_energy");
        return batch;
    }

    public IEnumerable<EventBatch> ReadBatches(int batchSize, CancellationToken cancellation)
    {
        BatchesRead++;
        yield break;
    }

    public void Dispose()
    {
    }
}

public sealed class ScaleColumnConfig : PluginConfig
{
    [Description("Column read.")]
    public required string Input { get; set; }

    [Description("Column added.")]
    public required string Output { get; set; }
}

/// <summary>Output = 2 · input, the input looked up by its config key.</summary>
[Plugin("scale-column")]
public sealed class ScaleColumn(ScaleColumnConfig config) : IFeature
{
    public void Compute(EventBatch batch)
    {
        Column input = batch.GetColumnNamedBy("input", config.Input);
        Column<float> output = batch.AddColumnLike<float>(config.Output, input);
        for (int i = 0; i < output.Values.Length; i++)
        {
            output.Values[i] = (float)(2 * input.GetDouble(i));
        }
    }
}

/// <summary>A trainable regressor that cannot predict before it is trained.</summary>
[Plugin("untrained")]
public sealed class UntrainedRegressor : ITrainableRegressor
{
    public string? ModelPath => null;

    public void Predict(EventBatch batch) => throw new InvalidOperationException("no model");

    public void Train(TrainingData data, IRunContext context)
    {
    }

    public void SaveModel(string path, Provenance provenance)
    {
    }
}
