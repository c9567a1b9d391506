using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace EnergyRegression.Benchmarks;

/// <summary>
/// <c>-- torch-loop [--steps N] [--batch B] [--threads T]</c>: the seeds' CNN (252,929 parameters) trained in a bare
/// TorchSharp loop on in-memory tensors — the reference for what <c>energyreg train</c> should reach — and its forward
/// pass alone (objects/s), the reference for applying it in a chain. Written directly against TorchSharp, not through
/// the plugin. Used by benchmarks/torch-train.sh; prints "name value" lines.
/// </summary>
internal static class TorchLoopConsole
{
    public static int Run(string[] args)
    {
        int steps = Option(args, "--steps", 300), batch = Option(args, "--batch", 32), threads = Option(args, "--threads", Environment.ProcessorCount);
        set_num_threads(threads);
        manual_seed(1);
        using var model = nn.Sequential(
            nn.Conv2d(1, 32, 5, padding: 2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 5, padding: 2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(3136, 64), nn.ReLU(), nn.Linear(64, 1));
        long parameters = model.parameters().Sum(p => p.numel());
        if (parameters != 252_929)
        {
            Console.Error.WriteLine($"the seeds' CNN has 252,929 parameters, this one {parameters}");
            return 1;
        }
        const int n = 3200;
        using Tensor x = rand(n, 1, 28, 28);
        using Tensor y = rand(n, 1);
        using var optimizer = optim.Adam(model.parameters(), 1e-3);
        void Step(int i)
        {
            using var scope = NewDisposeScope();
            int start = i * batch % (n - batch);
            Tensor loss = nn.functional.mse_loss(model.forward(x.narrow(0, start, batch)), y.narrow(0, start, batch));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        for (int i = 0; i < 20; i++)
        {
            Step(i);
        }
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++)
        {
            Step(i);
        }
        double train = (double)steps * batch / clock.Elapsed.TotalSeconds;

        // Forward only, no gradients, batches of 1000 objects (one event batch of the particle gun).
        model.eval();
        using var noGrad = no_grad();
        using Tensor objects = rand(1000, 1, 28, 28);
        model.forward(objects).Dispose();
        int passes = Math.Max(3, steps / 20);
        clock.Restart();
        for (int i = 0; i < passes; i++)
        {
            model.forward(objects).Dispose();
        }
        double forward = passes * 1000.0 / clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"torchsharp_train_samples_per_s {train:F0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"torchsharp_forward_objects_per_s {forward:F0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"threads {threads} batch {batch} steps {steps}"));
        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
