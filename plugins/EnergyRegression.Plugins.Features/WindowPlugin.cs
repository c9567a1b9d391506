using System.Buffers;
using System.ComponentModel;
using EnergyRegression.Configuration;
using EnergyRegression.Data;
using EnergyRegression.Kernels;

namespace EnergyRegression.Plugins.Features;

/// <summary>Where a crop is centred.</summary>
public enum WindowCentre
{
    /// <summary>On the most energetic crystal: of the source window, or of the event's hits (YAML <c>max</c>).</summary>
    Max,

    /// <summary>On the source window's own centre, row height/2 and column width/2 — where the simulator puts the seed (YAML <c>middle</c>).</summary>
    Middle,

    /// <summary>On the crystal given by the seed columns (hits only; YAML <c>columns</c>).</summary>
    Columns,
}

/// <summary>Sparse crystal hits: an event-level collection with one entry per hit crystal.</summary>
public sealed class HitColumnsConfig : PluginConfig
{
    /// <summary>iη of each hit.</summary>
    [Description("Column with the iη of each hit, e.g. RecHit_ieta (CMS barrel numbering: ±1…±85, no 0, unless ieta_skips_zero is false).")]
    public required string Ieta { get; set; }

    /// <summary>iφ of each hit.</summary>
    [Description("Column with the iφ of each hit, e.g. RecHit_iphi (1…phi_period, wrapping).")]
    public required string Iphi { get; set; }

    /// <summary>Energy of each hit.</summary>
    [Description("Column with the energy of each hit in GeV, e.g. RecHit_energy.")]
    public required string Energy { get; set; }

    /// <summary>Crystals around φ.</summary>
    [Description("Crystals around φ: column offsets wrap modulo this (360 in the CMS barrel); 0 for no wrap.")]
    public int PhiPeriod { get; set; } = 360;

    /// <summary>Whether iη skips 0.</summary>
    [Description("Whether the iη numbering skips 0, so iη = -1 and +1 are neighbours (CMS barrel); false for a 0-based grid.")]
    public bool IetaSkipsZero { get; set; } = true;
}

/// <summary>Config of <see cref="WindowPlugin"/>.</summary>
public sealed class WindowConfig : PluginConfig
{
    /// <summary>The object collection to make windows for.</summary>
    [Description("The object collection to make windows for, e.g. Electron.")]
    public required string Collection { get; set; }

    /// <summary>The larger window to crop from.</summary>
    [Description("Object column holding a larger crystal window to crop from (rows η, columns φ). Default: <collection>_window. Not used with hits.")]
    public string? Source { get; set; }

    /// <summary>Sparse hits to build the window from instead of a source window.</summary>
    [Description("Build the window from sparse hits instead of a source window: the columns of an event-level hit collection.")]
    public HitColumnsConfig? Hits { get; set; }

    /// <summary>Height and width of the window.</summary>
    [Description("Window size in crystals: [height, width] (rows η, columns φ) or one number for a square.")]
    public int[] Size { get; set; } = [28, 28];

    /// <summary>Where the window is centred.</summary>
    [Description("Where the window is centred (at row height/2, column width/2): max (most energetic crystal of the source, or of the event's hits — one-particle events), middle (the source window's own centre), or columns (hits: the seed_ieta/seed_iphi columns). Default: max for a source window, columns for hits.")]
    public WindowCentre? Centre { get; set; }

    /// <summary>Seed iη column for centre: columns.</summary>
    [Description("With hits and centre: columns, the object column holding the seed's iη. Default: <collection>_seedIEta.")]
    public string? SeedIeta { get; set; }

    /// <summary>Seed iφ column for centre: columns.</summary>
    [Description("With hits and centre: columns, the object column holding the seed's iφ. Default: <collection>_seedIPhi.")]
    public string? SeedIphi { get; set; }

    /// <summary>Whether the source window's columns are a full φ ring.</summary>
    [Description("The source window's columns are a whole φ ring (e.g. a 170 × 360 barrel image), so a crop wraps around it; otherwise crystals beyond the source are 0.")]
    public bool WrapPhi { get; set; }

    /// <summary>Name of the new column.</summary>
    [Description("Name of the new object column. Default: <collection>_window<height>x<width>, e.g. Electron_window28x28.")]
    public string? Output { get; set; }

    /// <summary>Height of the window.</summary>
    internal int Height => Size[0];

    /// <summary>Width of the window.</summary>
    internal int Width => Size.Length == 1 ? Size[0] : Size[1];

    /// <inheritdoc />
    public override void Validate()
    {
        if (Size.Length is not (1 or 2) || Size.Any(s => s < 1 || s > 1024))
        {
            throw new ConfigValueException("size", $"size must be [height, width] or one number, each 1…1024; got [{string.Join(", ", Size)}]");
        }
        if (Hits is not null && Source is not null)
        {
            throw new ConfigValueException("hits", "give either source (crop a stored window) or hits (build from sparse hits), not both");
        }
        if (Hits is null && Centre == WindowCentre.Columns)
        {
            throw new ConfigValueException("centre", "centre: columns needs hits; a source window is centred on its max or its middle");
        }
        if (Hits is not null && Centre == WindowCentre.Middle)
        {
            throw new ConfigValueException("centre", "centre: middle needs a source window; hits are centred on the seed columns or the highest hit");
        }
        if (Hits is not null && Hits.PhiPeriod < 0)
        {
            throw new ConfigValueException("hits", $"phi_period must be 0 (no wrap) or the number of crystals around φ, not {Hits.PhiPeriod}");
        }
    }
}

/// <summary>
/// Crops a crystal window of every object to a fixed size around its seed (zero padding beyond the
/// source, optional φ wrap), or builds it from sparse hits; the result is a tensor column
/// <c>Collection_window28x28</c> for CNNs. Kernels: <see cref="WindowCrop"/> (docs/features.md).
/// </summary>
[Plugin("window", Description = "Crops each object's crystal window (or builds it from sparse hits) to height × width around the seed, as a tensor column.")]
public sealed class WindowPlugin(WindowConfig config) : IFeature
{
    private readonly string _output = config.Output ?? $"{config.Collection}_window{config.Height}x{config.Width}";

    /// <inheritdoc />
    public void Compute(EventBatch batch)
    {
        BatchColumns.RequireCollection(batch, config.Collection, "collection");
        BatchColumns.MakeRoom(batch, _output, overwrite: false, "output", "choose another output name");
        if (config.Hits is null)
        {
            CropWindows(batch);
        }
        else
        {
            CropHits(batch, config.Hits);
        }
    }

    /// <summary>Adds the output column once every input has been found, so a config error leaves the batch as it was.</summary>
    private Span<float> AddOutput(EventBatch batch) =>
        batch.AddObjectColumn<float>(config.Collection, _output, config.Height, config.Width).Values;

    private void CropWindows(EventBatch batch)
    {
        string sourceName = config.Source ?? $"{config.Collection}_window";
        Column source = BatchColumns.RequireObjectColumn(batch, sourceName, config.Collection, 2, config.Source is null ? "collection" : "source");
        int n = source.Rows, sourceHeight = source.Shape[0], sourceWidth = source.Shape[1];
        using var values = new FloatValues(source);
        int[] seeds = ArrayPool<int>.Shared.Rent(Math.Max(1, n));
        try
        {
            Span<int> seedSpan = seeds.AsSpan(0, n);
            BatchColumns.FindSeeds(values.Span, sourceHeight, sourceWidth, config.Centre ?? WindowCentre.Max, seedSpan);
            WindowCrop.FromWindows(values.Span, sourceHeight, sourceWidth, seedSpan, AddOutput(batch), config.Height, config.Width, config.WrapPhi);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(seeds);
        }
    }

    private void CropHits(EventBatch batch, HitColumnsConfig hits)
    {
        Column iEtaColumn = BatchColumns.Require(batch, hits.Ieta, "hits");
        if (iEtaColumn.Collection is not { } hitCollection)
        {
            throw new ConfigValueException("hits", $"column '{hits.Ieta}' has one value per event; hits must be a collection (one entry per crystal)");
        }
        int[] iEta = IntValues(BatchColumns.RequireObjectColumn(batch, hits.Ieta, hitCollection, 0, "hits"));
        int[] iPhi = IntValues(BatchColumns.RequireObjectColumn(batch, hits.Iphi, hitCollection, 0, "hits"));
        using var energy = new FloatValues(BatchColumns.RequireObjectColumn(batch, hits.Energy, hitCollection, 0, "hits"));
        ReadOnlySpan<int> hitOffsets = batch.GetCollection(hitCollection).Offsets;
        ReadOnlySpan<int> objectOffsets = batch.GetCollection(config.Collection).Offsets;

        bool fromColumns = (config.Centre ?? WindowCentre.Columns) == WindowCentre.Columns;
        int[]? seedIEta = null, seedIPhi = null;
        if (fromColumns)
        {
            seedIEta = IntValues(BatchColumns.RequireObjectColumn(batch, config.SeedIeta ?? $"{config.Collection}_seedIEta", config.Collection, 0, "seed_ieta"));
            seedIPhi = IntValues(BatchColumns.RequireObjectColumn(batch, config.SeedIphi ?? $"{config.Collection}_seedIPhi", config.Collection, 0, "seed_iphi"));
        }
        var requests = new HitCrop[objectOffsets[^1]];
        for (int e = 0; e + 1 < objectOffsets.Length; e++)
        {
            int first = hitOffsets[e], count = hitOffsets[e + 1] - first;
            // centre: max — the event's highest hit (none in an empty event: the crop stays 0).
            int highest = fromColumns || count == 0 ? -1 : first + SeedFinder.IndexOfMax(energy.Span.Slice(first, count));
            for (int o = objectOffsets[e]; o < objectOffsets[e + 1]; o++)
            {
                requests[o] = fromColumns ? new HitCrop(first, count, seedIEta![o], seedIPhi![o])
                    : highest < 0 ? new HitCrop(first, 0, 0, 0)
                    : new HitCrop(first, count, iEta[highest], iPhi[highest]);
            }
        }
        WindowCrop.FromHits(iEta, iPhi, energy.Span, requests, AddOutput(batch), config.Height, config.Width,
            new HitGrid(hits.PhiPeriod, hits.IetaSkipsZero));
    }

    private static int[] IntValues(Column column)
    {
        if (column is Column<int> ints)
        {
            return ints.Values.ToArray();
        }
        double[] values = new double[column.Rows];
        column.CopyTo(values);
        return Array.ConvertAll(values, v => (int)Math.Round(v));
    }
}
