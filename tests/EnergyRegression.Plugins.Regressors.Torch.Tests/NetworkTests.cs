using TorchSharp;
using static TorchSharp.torch;

namespace EnergyRegression.Plugins.Regressors.Torch.Tests;

/// <summary>The seeds' four models have the parameter counts the seeds list; every family gives [N, outputs].</summary>
[Collection(TorchCollection.Name)]
public sealed class NetworkTests
{
    public NetworkTests() => TorchRuntime.Start();

    private static NetworkSpec Seed(NetworkKind kind, int outputs = 1) => NetworkSpec.From(
        new NetworkConfig { Kind = kind, Hidden = [10, 10], Channels = [32, 64], Dense = [64] },
        784, kind is NetworkKind.Cnn or NetworkKind.FilmCnn ? [1, 28, 28] : [], 0, outputs);

    [Theory]
    [InlineData(NetworkKind.Baseline, 2)]          // a·ΣE + b
    [InlineData(NetworkKind.Linear, 785)]          // 784 weights + 1 bias
    [InlineData(NetworkKind.Mlp, 7_971)]           // 784·10+10 + 10·10+10 + 10+1
    [InlineData(NetworkKind.Cnn, 252_929)]         // 32·25+32 + 64·32·25+64 + 3136·64+64 + 64+1
    public void Seed_models_have_the_seeds_parameter_counts(NetworkKind kind, long expected)
    {
        using var network = Network.Create(Seed(kind));
        Assert.Equal(expected, network.ParameterCount);
        Assert.Equal(expected, network.Layers.Sum(l => l.Parameters));
        using Tensor output = network.forward(zeros(5, 784));
        Assert.Equal([5L, 1L], output.shape);
    }

    [Fact]
    public void Cnn_layers_are_listed_with_their_shapes_and_counts()
    {
        using var network = Network.Create(Seed(NetworkKind.Cnn));
        Assert.Equal(["conv1", "conv2", "dense1", "output"], network.Layers.Select(l => l.Name));
        Assert.Equal([832L, 51_264L, 200_768L, 65L], network.Layers.Select(l => l.Parameters));
        Assert.Contains("32×14×14", network.Layers[0].Description);
        Assert.Contains("64×7×7", network.Layers[1].Description);
        Assert.Contains("3136→64", network.Layers[2].Description);
    }

    [Fact]
    public void Film_cnn_adds_a_generator_of_scale_and_shift_per_channel()
    {
        // 28×28 image + 3 scalars; FiLM 3→32→2·(32+64); head 3136+3→64→2.
        var spec = NetworkSpec.From(new NetworkConfig { Kind = NetworkKind.FilmCnn, Channels = [32, 64], Dense = [64], FilmHidden = [32] },
            787, [1, 28, 28], 3, 2);
        using var network = Network.Create(spec);
        long film = (3 * 32 + 32) + (32 * 192 + 192);
        long head = ((3136 + 3) * 64) + 64 + (64 * 2) + 2;
        Assert.Equal(832 + 51_264 + film + head, network.ParameterCount);
        using Tensor output = network.forward(randn(4, 787));
        Assert.Equal([4L, 2L], output.shape);
    }

    [Fact]
    public void Film_starts_as_the_plain_cnn_and_the_scalars_then_change_the_maps()
    {
        var spec = NetworkSpec.From(new NetworkConfig { Kind = NetworkKind.FilmCnn, Channels = [4], Dense = [8], FilmHidden = [] },
            65, [1, 8, 8], 1, 1);
        manual_seed(3);
        using var network = Network.Create(spec);
        using Tensor image = randn(1, 64);
        // FiLM's last layer starts at zero, so γ = β = 0, and the scalar reaches the output only through the head.
        // Make the head ignore the scalar, then vary it: same output; give FiLM weights: outputs differ.
        var head = (TorchSharp.Modules.Linear)network.named_modules().First(m => m.name == "dense.0").module;
        using (no_grad())
        {
            head.weight![.., ^1].zero_();
        }
        using Tensor a = network.forward(cat([image, tensor(new float[,] { { 0f } })], 1));
        using Tensor b = network.forward(cat([image, tensor(new float[,] { { 5f } })], 1));
        Assert.Equal(a.item<float>(), b.item<float>());
        var film = (TorchSharp.Modules.Linear)network.named_modules().First(m => m.name == "film.0").module;
        using (no_grad())
        {
            film.weight!.fill_(0.3f);
        }
        using Tensor c = network.forward(cat([image, tensor(new float[,] { { 0f } })], 1));
        using Tensor d = network.forward(cat([image, tensor(new float[,] { { 5f } })], 1));
        Assert.NotEqual(c.item<float>(), d.item<float>());
    }

    [Fact]
    public void Cnn3d_runs_over_layers_height_and_width()
    {
        // The sampling-calorimeter geometry: 17 layers of 8 × 8 cells, one 3×3×3 convolution of 8 channels, pooled in h, w.
        var spec = NetworkSpec.From(new NetworkConfig { Kind = NetworkKind.Cnn3d, Channels = [8], Dense = [16] }, 17 * 64, [17, 8, 8], 0, 1);
        using var network = Network.Create(spec);
        Assert.Equal(3, spec.Kernel);
        long conv = (8 * 27) + 8, dense = (8 * 17 * 4 * 4 * 16) + 16, output = 16 + 1;
        Assert.Equal(conv + dense + output, network.ParameterCount);
        using Tensor y = network.forward(randn(3, 17 * 64));
        Assert.Equal([3L, 1L], y.shape);
    }

    [Fact]
    public void Cnn_takes_several_channels_and_joins_scalars_to_the_head()
    {
        var spec = NetworkSpec.From(new NetworkConfig { Kind = NetworkKind.Cnn, Channels = [6], Dense = [], Kernel = 3 }, (2 * 100) + 2, [2, 10, 10], 2, 6);
        using var network = Network.Create(spec);
        Assert.Equal((6 * 2 * 9) + 6 + (((6 * 5 * 5) + 2) * 6) + 6, network.ParameterCount);
        using Tensor y = network.forward(randn(7, 202));
        Assert.Equal([7L, 6L], y.shape);
    }

    [Fact]
    public void Too_many_poolings_are_refused_with_the_reason()
    {
        var spec = NetworkSpec.From(new NetworkConfig { Kind = NetworkKind.Cnn, Channels = [4, 4, 4] }, 16, [1, 4, 4], 0, 1);
        var e = Assert.Throws<ArgumentException>(() => Network.Create(spec));
        Assert.Contains("shrink the 4×4 image to nothing", e.Message);
    }
}
