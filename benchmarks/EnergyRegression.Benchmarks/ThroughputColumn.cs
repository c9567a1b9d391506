using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace EnergyRegression.Benchmarks;

/// <summary>
/// A summary column derived from the measured mean: <c>units per operation / mean</c> (e.g. events/s, MB/s),
/// or with <paramref name="perUnit"/> the mean divided by the units (e.g. ns/row).
/// </summary>
public sealed class ThroughputColumn(string name, string legend, Func<BenchmarkCase, double?> unitsPerOperation, bool perUnit = false) : IColumn
{
    public string Id => "Throughput." + name;

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => legend;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? units = unitsPerOperation(benchmarkCase);
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (units is not > 0 || meanNs is not > 0)
        {
            return "-";
        }
        double value = perUnit ? meanNs.Value / units.Value : units.Value / (meanNs.Value * 1e-9);
        return value switch
        {
            >= 100 => value.ToString("N0", CultureInfo.InvariantCulture),
            >= 10 => value.ToString("F1", CultureInfo.InvariantCulture),
            _ => value.ToString("F2", CultureInfo.InvariantCulture),
        };
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;
}
