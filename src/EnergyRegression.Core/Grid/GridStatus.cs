using System.Globalization;
using System.Text.RegularExpressions;

namespace EnergyRegression.Core.Grid;

/// <summary>One shard's state as <c>energyreg status</c> reports it.</summary>
public sealed record ShardStatus(int Index, string State, long Entries, int? ExitCode, string Detail);

/// <summary>
/// Finds each shard's state from the ledger, the wrapper's reports (<c>status/shard-K.started</c>, <c>status/shard-K.exit</c>),
/// HTCondor's job log (<c>logs/shard-K.log</c>) and the done marker next to the shard's output.
/// </summary>
public static partial class GridStatus
{
    /// <summary>The wrapper's exit-code report of a shard.</summary>
    public static string ExitFile(string work, int shard) => Path.Combine(work, "status", $"shard-{shard.ToString(CultureInfo.InvariantCulture)}.exit");

    /// <summary>The wrapper's start report of a shard.</summary>
    public static string StartedFile(string work, int shard) => Path.Combine(work, "status", $"shard-{shard.ToString(CultureInfo.InvariantCulture)}.started");

    /// <summary>The meaning of an <c>energyreg</c> exit code (README, docs/grid.md).</summary>
    public static string Meaning(int code) => code switch
    {
        0 => "success",
        1 => "runtime failure",
        2 => "usage error",
        3 => "configuration error",
        4 => "input error",
        5 => "plugin error",
        6 => "incomplete",
        130 => "interrupted",
        137 => "killed (SIGKILL, e.g. out of memory)",
        _ => "unexpected exit code",
    };

    /// <summary>The state of every shard, in order; <paramref name="debug"/> hears why the batch system could not be asked.</summary>
    public static IReadOnlyList<ShardStatus> Inspect(Ledger ledger, string work, Action<string>? debug = null)
    {
        IReadOnlyDictionary<int, (string State, string Detail)> slurm = ledger.Backend == "slurm" ? SlurmStates(ledger, debug ?? (_ => { })) : new Dictionary<int, (string, string)>();
        var result = new List<ShardStatus>();
        foreach (LedgerShard shard in ledger.Shards)
        {
            result.Add(Inspect(ledger, work, shard, slurm));
        }
        return result;
    }

    /// <summary>Per shard, what sacct says of the array task of its latest submission (<see cref="SlurmAccounting"/>).</summary>
    private static Dictionary<int, (string State, string Detail)> SlurmStates(Ledger ledger, Action<string> debug)
    {
        var latest = new Dictionary<int, string>();
        foreach (LedgerSubmission submission in ledger.Submissions.Where(s => !s.DryRun && s.JobId is not null))
        {
            foreach (int shard in submission.Shards)
            {
                latest[shard] = submission.JobId!.Split(';')[0];
            }
        }
        var states = new Dictionary<int, (string, string)>();
        IReadOnlyList<SlurmAccounting.TaskState>? tasks = SlurmAccounting.Query([.. latest.Values.Distinct()], debug);
        foreach (SlurmAccounting.TaskState task in tasks ?? [])
        {
            if (latest.TryGetValue(task.Task, out string? job) && job == task.JobId && SlurmAccounting.Meaning(task) is { } meaning)
            {
                states[task.Task] = meaning;
            }
        }
        return states;
    }

    private static ShardStatus Inspect(Ledger ledger, string work, LedgerShard shard, IReadOnlyDictionary<int, (string State, string Detail)> slurm)
    {
        var done = DoneMarker.TryRead(shard.Output);
        if (done is not null && File.Exists(shard.Output) && new FileInfo(shard.Output).Length == done.OutputBytes
            && done.EntryStart == shard.Start && done.EntryStop == shard.Stop && done.ChainSha256 == ledger.ChainSha256)
        {
            return new ShardStatus(shard.Index, ShardState.Done, shard.Entries, 0, $"{done.EventsWritten} events written");
        }
        string exitFile = ExitFile(work, shard.Index);
        if (File.Exists(exitFile) && int.TryParse(File.ReadAllText(exitFile).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int code))
        {
            string detail = code == 0 ? "exit code 0 but no valid done marker" : $"exit code {code} ({Meaning(code)})";
            string? error = LastErrorLine(work, shard.Index);
            return new ShardStatus(shard.Index, code == 0 ? ShardState.Unfinished : ShardState.Failed, shard.Entries, code,
                error is null ? detail : $"{detail}: {error}");
        }
        (string? logState, string logDetail) = FromJobLog(work, shard.Index);
        if (logState is not null)
        {
            return new ShardStatus(shard.Index, logState, shard.Entries, null, logDetail);
        }
        if (slurm.TryGetValue(shard.Index, out (string State, string Detail) accounted))
        {
            return new ShardStatus(shard.Index, accounted.State, shard.Entries, null, accounted.Detail);
        }
        if (File.Exists(StartedFile(work, shard.Index)))
        {
            return new ShardStatus(shard.Index, ShardState.Running, shard.Entries, null, "started " + File.ReadAllText(StartedFile(work, shard.Index)).Trim());
        }
        return shard.Submitted == 0
            ? new ShardStatus(shard.Index, ShardState.NotSubmitted, shard.Entries, null, "written by --dry-run, never submitted")
            : new ShardStatus(shard.Index, ShardState.Queued, shard.Entries, null, "submitted, not started");
    }

    /// <summary>The last line of the shard's stderr that names an energyreg error, if any.</summary>
    private static string? LastErrorLine(string work, int shard)
    {
        string err = Path.Combine(work, "logs", $"shard-{shard.ToString(CultureInfo.InvariantCulture)}.err");
        return File.Exists(err)
            ? File.ReadLines(err).LastOrDefault(l => l.StartsWith("energyreg: ", StringComparison.Ordinal) && !l.Contains("--verbose", StringComparison.Ordinal))
            : null;
    }

    /// <summary>
    /// The last event of HTCondor's user log that ends or stops a job without the wrapper having reported: 009 aborted
    /// (condor_rm), 012 held, 004/007 evicted or shadow exception. Events are "NNN (cluster.proc.sub) date time text".
    /// </summary>
    private static (string? State, string Detail) FromJobLog(string work, int shard)
    {
        string log = Path.Combine(work, "logs", $"shard-{shard.ToString(CultureInfo.InvariantCulture)}.log");
        if (!File.Exists(log))
        {
            return (null, "");
        }
        string? last = null;
        foreach (string line in File.ReadLines(log))
        {
            if (EventLine().IsMatch(line))
            {
                last = line;
            }
        }
        if (last is null)
        {
            return (null, "");
        }
        string code = last[..3];
        string text = EventLine().Match(last).Groups["text"].Value.Trim();
        return code switch
        {
            "009" => (ShardState.Unfinished, "HTCondor: " + text),
            "012" => (ShardState.Held, "HTCondor: " + text + " (condor_q -hold; condor_release or condor_rm)"),
            "004" or "007" => (ShardState.Unfinished, "HTCondor: " + text),
            _ => (null, ""),
        };
    }

    [GeneratedRegex(@"^(?<code>\d{3}) \(\d+\.\d+\.\d+\) \S+ \S+ (?<text>.*)$")]
    private static partial Regex EventLine();
}
