namespace EnergyRegression.Simulation.Tests;

/// <summary>Settings.Validate: every bad value rejected with a message naming the setting.</summary>
public class SettingsTests
{
    private static readonly SimulationSettings Defaults = new();

    private static readonly Dictionary<string, SimulationSettings> Bad = new()
    {
        ["energy zero"] = Defaults with { EnergyRange = (0, 10) },
        ["energy reversed"] = Defaults with { EnergyRange = (50, 10) },
        ["energy NaN"] = Defaults with { EnergyRange = (double.NaN, 10) },
        ["pt negative"] = Defaults with { PtRange = (-1, 5) },
        ["pt reversed"] = Defaults with { PtRange = (30, 20) },
        ["eta reversed"] = Defaults with { EtaRange = (1, -1) },
        ["eta too far"] = Defaults with { EtaRange = (-6, 0) },
        ["phi reversed"] = Defaults with { PhiRange = (1, 0) },
        ["z mass zero"] = Defaults with { ZMassRange = (0, 100) },
        ["z mass empty"] = Defaults with { ZMassRange = (100, 100) },
        ["fakes negative"] = Defaults with { FakeElectronRate = -0.1 },
        ["fakes too many"] = Defaults with { FakeElectronRate = 11 },
        ["window small"] = Defaults with { WindowSize = 4 },
        ["window large"] = Defaults with { WindowSize = 129 },
        ["stochastic negative"] = Defaults with { StochasticTerm = -0.01 },
        ["stochastic one"] = Defaults with { StochasticTerm = 1 },
        ["stochastic NaN"] = Defaults with { StochasticTerm = double.NaN },
        ["constant one"] = Defaults with { ConstantTerm = 1 },
        ["noise negative"] = Defaults with { NoisePerCrystal = -0.01 },
        ["endcap noise negative"] = Defaults with { EndcapNoisePerCrystal = -1 },
        ["threshold negative"] = Defaults with { CrystalThreshold = -0.1 },
        ["dead half"] = Defaults with { DeadFraction = 0.5 },
        ["mc miscalibration"] = Defaults with { McMiscalibration = 0.5 },
        ["data miscalibration"] = Defaults with { DataMiscalibration = -0.1 },
        ["data scale low"] = Defaults with { DataScale = 0.5 },
        ["data scale high"] = Defaults with { DataScale = 2 },
        ["smearing"] = Defaults with { DataSmearing = 0.5 },
        ["pileup negative"] = Defaults with { Pileup = -1 },
        ["pileup huge"] = Defaults with { Pileup = 301 },
        ["material"] = Defaults with { TrackerMaterialScale = 5.1 },
    };

    [Theory]
    [InlineData("energy zero", "energy range")]
    [InlineData("energy reversed", "energy range")]
    [InlineData("energy NaN", "energy range")]
    [InlineData("pt negative", "pt range")]
    [InlineData("pt reversed", "pt range")]
    [InlineData("eta reversed", "eta range")]
    [InlineData("eta too far", "eta range")]
    [InlineData("phi reversed", "phi range")]
    [InlineData("z mass zero", "Z mass range")]
    [InlineData("z mass empty", "Z mass range")]
    [InlineData("fakes negative", "fake electron rate")]
    [InlineData("fakes too many", "fake electron rate")]
    [InlineData("window small", "window size")]
    [InlineData("window large", "window size")]
    [InlineData("stochastic negative", "stochastic term")]
    [InlineData("stochastic one", "stochastic term")]
    [InlineData("stochastic NaN", "stochastic term")]
    [InlineData("constant one", "constant term")]
    [InlineData("noise negative", "noise")]
    [InlineData("endcap noise negative", "noise")]
    [InlineData("threshold negative", "crystal threshold")]
    [InlineData("dead half", "dead fraction")]
    [InlineData("mc miscalibration", "miscalibration")]
    [InlineData("data miscalibration", "miscalibration")]
    [InlineData("data scale low", "data scale")]
    [InlineData("data scale high", "data scale")]
    [InlineData("smearing", "data smearing")]
    [InlineData("pileup negative", "pileup")]
    [InlineData("pileup huge", "pileup")]
    [InlineData("material", "tracker material")]
    public void Bad_values_are_rejected_naming_the_setting(string name, string setting)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(Bad[name].Validate);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        // The simulator refuses them too.
        Assert.Throws<ArgumentException>(() => new EventSimulator(Bad[name]));
    }

    [Fact]
    public void Defaults_and_boundary_values_are_accepted()
    {
        Defaults.Validate();
        (Defaults with
        {
            WindowSize = 5,
            DeadFraction = 0,
            StochasticTerm = 0,
            ConstantTerm = 0,
            NoisePerCrystal = 0,
            DataScale = 1.99,
            Pileup = 300,
            TrackerMaterialScale = 5,
            EnergyRange = (50, 50),
            EtaRange = (-4.99, 4.99),
            FakeElectronRate = 10,
        }).Validate();
        (Defaults with { WindowSize = 128 }).Validate();
        Assert.Throws<ArgumentNullException>(() => new EventSimulator(null!));
    }

    [Fact]
    public void The_defaults_are_the_documented_CMS_like_values()
    {
        Assert.Equal(SimulatedProcess.Zee, Defaults.Process);
        Assert.Equal(SimulationMode.Mc, Defaults.Mode);
        Assert.Equal(0.028, Defaults.StochasticTerm);
        Assert.Equal(0.003, Defaults.ConstantTerm);
        Assert.Equal(0.040, Defaults.NoisePerCrystal);
        Assert.Equal(0.003, Defaults.DeadFraction);
        Assert.Equal(0.985, Defaults.DataScale);
        Assert.Equal(32, Defaults.WindowSize);
        Assert.Equal((50.0, 130.0), Defaults.ZMassRange);
    }
}
