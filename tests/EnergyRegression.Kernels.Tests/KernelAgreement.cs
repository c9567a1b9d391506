using System.Globalization;
using System.Text;
using EnergyRegression.Kernels.Probe;

namespace EnergyRegression.Kernels.Tests;

/// <summary>Compares kernel outputs with their scalar references under each output's stated tolerance.</summary>
internal static class KernelAgreement
{
    /// <summary>Describes the first disagreement of each output (empty when all agree): bit-identical where the tolerance is 0; NaNs agree with NaNs.</summary>
    public static string Differences(IReadOnlyList<KernelOutput> actual, IReadOnlyList<KernelOutput> reference)
    {
        var report = new StringBuilder();
        if (actual.Count != reference.Count)
        {
            return $"{actual.Count} outputs, the reference has {reference.Count}";
        }
        for (int k = 0; k < actual.Count; k++)
        {
            KernelOutput a = actual[k], b = reference[k];
            if (a.Name != b.Name || a.Values.Length != b.Values.Length)
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"{a.Name} ({a.Values.Length}) vs {b.Name} ({b.Values.Length})");
                continue;
            }
            for (int i = 0; i < a.Values.Length; i++)
            {
                float x = a.Values[i], y = b.Values[i];
                bool exactRequired = b.RelativeTolerance == 0 && b.AbsoluteTolerance == 0;
                bool close = float.IsNaN(x) ? float.IsNaN(y)
                    : exactRequired ? BitConverter.SingleToInt32Bits(x) == BitConverter.SingleToInt32Bits(y)
                    : Math.Abs(x - y) <= b.RelativeTolerance * Math.Abs(y) + b.AbsoluteTolerance;
                if (!close)
                {
                    report.AppendLine(CultureInfo.InvariantCulture, $"{a.Name}[{i}]: {x:R} vs reference {y:R}");
                    break;
                }
            }
        }
        return report.ToString();
    }
}
