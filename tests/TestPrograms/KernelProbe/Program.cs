using EnergyRegression.Kernels.Probe;

// Usage: KernelProbe OUTPUT.bin — writes every kernel's vectorised output (name, count, floats) and prints
// the vector width this process runs at.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: KernelProbe OUTPUT.bin");
    return 2;
}
using (var writer = new BinaryWriter(File.Create(args[0])))
{
    foreach (KernelOutput output in KernelCases.Vectorised())
    {
        writer.Write(output.Name);
        writer.Write(output.Values.Length);
        foreach (float value in output.Values)
        {
            writer.Write(value);
        }
    }
}
Console.WriteLine(KernelCases.Describe());
return 0;
