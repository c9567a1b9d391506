using EnergyRegression.Running;

namespace EnergyRegression.Models;

/// <summary>
/// What a trained model is, stored as <c>card.json</c> in every model archive (<see cref="ModelArchive"/>): which
/// plugin reads it, the columns it needs, the target, the layers with their parameter counts, the training
/// metrics and the provenance of the training run. <c>energyreg model show</c> prints it without loading the
/// plugin; a plugin checks <see cref="Inputs"/> against the chain before applying the model.
/// </summary>
public sealed record ModelCard
{
    /// <summary>The value of <see cref="Format"/> in every card.</summary>
    public const string FormatName = "energyreg-model";

    /// <summary>Always <see cref="FormatName"/>: tells a model archive from any other zip file.</summary>
    public string Format { get; init; } = FormatName;

    /// <summary>The regressor plugin that wrote the model and can apply it (e.g. <c>gbdt</c>).</summary>
    public required string Plugin { get; init; }

    /// <summary>Version of the plugin's own file layout inside the archive; the plugin refuses versions it does not know.</summary>
    public required int PluginFormatVersion { get; init; }

    /// <summary>The model family and its shape in a few words (e.g. <c>LightGBM, 2 regions × 300 trees</c>).</summary>
    public required string Architecture { get; init; }

    /// <summary>Columns the model reads, in order, with their row shapes.</summary>
    public required IReadOnlyList<ModelInput> Inputs { get; init; }

    /// <summary>The collection whose objects the model calibrates (e.g. <c>Electron</c>); null for event-level models.</summary>
    public string? Collection { get; init; }

    /// <summary>Columns the model adds when applied.</summary>
    public required IReadOnlyList<string> Outputs { get; init; }

    /// <summary>What the model predicts.</summary>
    public required ModelTarget Target { get; init; }

    /// <summary>The layers (or tree ensembles) in order, each with its number of trainable parameters.</summary>
    public IReadOnlyList<ModelLayer> Layers { get; init; } = [];

    /// <summary>Total trainable parameters (or tree nodes), the sum over <see cref="Layers"/>.</summary>
    public long Parameters { get; init; }

    /// <summary>Hyperparameters as trained, for the record.</summary>
    public IReadOnlyDictionary<string, string> Hyperparameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Metrics measured at the end of training (training and validation loss, σ_eff, ...).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Objects used for training and for validation.</summary>
    public long TrainingObjects { get; init; }

    /// <summary>Objects in the validation split.</summary>
    public long ValidationObjects { get; init; }

    /// <summary>The training run: tool version, chain text and hash, seed, inputs.</summary>
    public required Provenance Provenance { get; init; }

    /// <summary>When the model was written (UTC).</summary>
    public DateTimeOffset CreatedUtc { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>One input column of a model: its name and the shape of one row (empty for a scalar).</summary>
public sealed record ModelInput(string Name, IReadOnlyList<int> Shape);

/// <summary>
/// What a model predicts: <see cref="Kind"/> is a short name (<c>ratio</c>, <c>energy</c>, ...), <see cref="Definition"/>
/// the formula in words (<c>y = E_true / E_raw</c>), <see cref="Columns"/> the columns the target is made of.
/// </summary>
public sealed record ModelTarget(string Kind, string Definition, IReadOnlyList<string> Columns);

/// <summary>One layer of a network, or one tree ensemble, with its trainable parameter count.</summary>
public sealed record ModelLayer(string Name, string Description, long Parameters);
