using System.Text.Json;
using EnergyRegression.Core.Running;

namespace EnergyRegression.Core.Grid;

/// <summary>
/// <c>DIR/ledger.json</c>, written by <c>energyreg submit</c>: the chain, the split, every shard with its entries, input
/// slices, output and last known state, and every submission. <c>status</c>, <c>resubmit</c> and <c>merge</c> read it;
/// each rewrite is atomic.
/// </summary>
public sealed class Ledger
{
    /// <summary>The ledger's file name in the work directory.</summary>
    public const string FileName = "ledger.json";

    /// <summary>Version of this layout.</summary>
    public int Version { get; set; } = 1;

    /// <summary>The chain file (absolute).</summary>
    public required string Chain { get; set; }

    /// <summary>SHA-256 of the chain file when submitted; shards check their done markers against it.</summary>
    public required string ChainSha256 { get; set; }

    /// <summary>The directory jobs start in (where <c>submit</c> ran): relative paths of the chain are relative to it.</summary>
    public required string Directory { get; set; }

    /// <summary><c>htcondor</c> or <c>slurm</c>.</summary>
    public required string Backend { get; set; }

    /// <summary>The split (<see cref="ShardSplit.ToString"/>).</summary>
    public required string Split { get; set; }

    /// <summary>The options of <c>energyreg run</c> that select the split after <c>--shard K/N</c>.</summary>
    public required string SplitOptions { get; set; }

    /// <summary>Entries of all shards together.</summary>
    public required long TotalEntries { get; set; }

    /// <summary>The chain's writer type (<c>json</c>, <c>root</c>, <c>hdf5</c>, …).</summary>
    public required string Writer { get; set; }

    /// <summary>How jobs start the tool: the command (shared install) or the transferred tarball.</summary>
    public required string[] Tool { get; set; }

    /// <summary>The published build sent with each job (<c>--transfer-tool</c>), or null for a shared install.</summary>
    public string? TransferTool { get; set; }

    /// <summary>CPUs each job asks for (and the <c>--threads</c> it runs with).</summary>
    public required int RequestCpus { get; set; }

    /// <summary>Memory each job asks for, MB.</summary>
    public required int RequestMemoryMb { get; set; }

    /// <summary>HTCondor's <c>max_retries</c>.</summary>
    public required int MaxRetries { get; set; }

    /// <summary>Environment variables every job gets (taken when submitting; docs/grid.md, "Environment").</summary>
    public SortedDictionary<string, string> Environment { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The shards in order.</summary>
    public required List<LedgerShard> Shards { get; set; }

    /// <summary>Every submission (the first by <c>submit</c>, then one per <c>resubmit</c>).</summary>
    public List<LedgerSubmission> Submissions { get; set; } = [];

    /// <summary>Reads <c>DIR/ledger.json</c>; a missing or unreadable ledger is a <see cref="UsageException"/>.</summary>
    public static Ledger Load(string workDirectory)
    {
        string path = System.IO.Path.Combine(workDirectory, FileName);
        if (!File.Exists(path))
        {
            throw new UsageException($"{workDirectory} is not a work directory of 'energyreg submit': {path} does not exist.");
        }
        try
        {
            return JsonSerializer.Deserialize<Ledger>(File.ReadAllText(path), ChainRunner.SidecarJson)
                ?? throw new UsageException($"{path}: empty ledger.");
        }
        catch (JsonException e)
        {
            throw new UsageException($"{path}: not a ledger of 'energyreg submit' ({e.Message}).");
        }
    }

    /// <summary>Writes <c>DIR/ledger.json</c> atomically.</summary>
    public void Save(string workDirectory) => ChainRunner.WriteJsonAtomically(System.IO.Path.Combine(workDirectory, FileName), this);
}

/// <summary>One shard in the ledger.</summary>
public sealed class LedgerShard
{
    /// <summary>K of K/N.</summary>
    public required int Index { get; set; }

    /// <summary>First entry of the reader's stream.</summary>
    public required long Start { get; set; }

    /// <summary>End (exclusive).</summary>
    public required long Stop { get; set; }

    /// <summary>Stop − start.</summary>
    public long Entries => Stop - Start;

    /// <summary>The parts of input files the shard reads.</summary>
    public required List<ShardSlice> Inputs { get; set; }

    /// <summary>The shard's output file (absolute).</summary>
    public required string Output { get; set; }

    /// <summary>Last known state, as <c>energyreg status</c> found it (<see cref="ShardState"/>).</summary>
    public string State { get; set; } = ShardState.NotSubmitted;

    /// <summary>How many times the shard was submitted.</summary>
    public int Submitted { get; set; }
}

/// <summary>One <c>condor_submit</c> or <c>sbatch</c>.</summary>
public sealed class LedgerSubmission
{
    /// <summary>When (UTC).</summary>
    public required DateTimeOffset TimeUtc { get; set; }

    /// <summary>The submit file.</summary>
    public required string SubmitFile { get; set; }

    /// <summary>The shards it queued.</summary>
    public required List<int> Shards { get; set; }

    /// <summary>The HTCondor cluster or Slurm job id, or null for a dry run.</summary>
    public string? JobId { get; set; }

    /// <summary>Written only (<c>--dry-run</c>).</summary>
    public bool DryRun { get; set; }
}

/// <summary>The states <c>energyreg status</c> reports.</summary>
public static class ShardState
{
    /// <summary>Written by <c>--dry-run</c>, never submitted.</summary>
    public const string NotSubmitted = "not-submitted";

    /// <summary>Submitted, not started yet.</summary>
    public const string Queued = "queued";

    /// <summary>The wrapper started the shard and has not reported an exit code.</summary>
    public const string Running = "running";

    /// <summary>The done marker is there and matches the output.</summary>
    public const string Done = "done";

    /// <summary>The wrapper reported a non-zero exit code.</summary>
    public const string Failed = "failed";

    /// <summary>The job ended (aborted, removed, killed) without an exit code or done marker.</summary>
    public const string Unfinished = "unfinished";

    /// <summary>HTCondor holds the job (condor_q -hold says why).</summary>
    public const string Held = "held";
}
