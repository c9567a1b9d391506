using TorchSharp;
using static TorchSharp.torch;

namespace EnergyRegression.Plugins.Regressors.Torch;

/// <summary>
/// Starting libtorch and choosing the device. TorchSharp is loaded once per process (the host shares it with every
/// plugin); its native library asks for a libstdc++ with GLIBCXX_3.4.32 (GCC ≥ 13), which the tool's build patches away
/// (scripts/torchsharp-compat.sh) — a failure to load says so instead of a stack trace.
/// </summary>
internal static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static bool _started;

    /// <summary>Loads libtorch (CPU) once; throws a <see cref="PluginSetupException"/> with the fix when it cannot.</summary>
    public static void Start()
    {
        lock (Gate)
        {
            if (_started)
            {
                return;
            }
            try
            {
                InitializeDeviceType(DeviceType.CPU);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new PluginSetupException(
                    "libtorch (TorchSharp's native library) could not be loaded: " + Innermost(e).Message
                    + ". If it names GLIBCXX_3.4.32, the tool's copy of libLibTorchSharp.so is not patched for the system's C++ runtime: run scripts/setup.sh"
                    + " or scripts/torchsharp-compat.sh on the tool folder"
                    + " (docs/neural-regressors.md, \"Troubleshooting\").", e);
            }
            _started = true;
        }
    }

    /// <summary>Whether libtorch sees a usable CUDA device.</summary>
    public static bool CudaAvailable()
    {
        try
        {
            return cuda.is_available();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    /// <summary>
    /// The device for a config value: cpu; cuda when available (an error naming the key otherwise); auto = cuda when
    /// available, else the CPU. <paramref name="cudaAvailable"/> is the probe (tests pass their own).
    /// </summary>
    public static DeviceType Select(DeviceKind kind, Func<bool> cudaAvailable, Action<string>? log = null)
    {
        switch (kind)
        {
            case DeviceKind.Cpu:
                return DeviceType.CPU;
            case DeviceKind.Cuda:
                if (!cudaAvailable())
                {
                    throw new ConfigValueException("device", "cuda was requested but libtorch finds no usable CUDA device "
                        + "(this build ships the CPU libtorch, libtorch-cpu-linux-x64; a GPU needs a CUDA libtorch and driver). Use device: auto or cpu");
                }
                return DeviceType.CUDA;
            default:
                if (cudaAvailable())
                {
                    log?.Invoke("device auto: CUDA available, using cuda:0");
                    return DeviceType.CUDA;
                }
                log?.Invoke("device auto: no CUDA device, using the CPU");
                return DeviceType.CPU;
        }
    }

    /// <summary>Sets torch's CPU threads (0 = one per core).</summary>
    public static void SetThreads(int threads) => set_num_threads(threads > 0 ? threads : Environment.ProcessorCount);

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}

/// <summary>The plugin's runtime (libtorch) cannot start on this machine; the message says how to fix it.</summary>
public sealed class PluginSetupException(string message, Exception inner) : Exception(message, inner);
