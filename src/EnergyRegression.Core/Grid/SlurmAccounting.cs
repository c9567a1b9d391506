using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EnergyRegression.Core.Grid;

/// <summary>
/// Slurm's view of a grid run's array tasks, from <c>sacct</c> (docs/grid.md, "Slurm"): one query
/// <c>sacct -n -P -X -j ID[,ID…] -o JobID,State,ExitCode</c> for the job ids in the ledger. Array tasks are
/// <c>ID_K</c>; pending tasks may be listed together as <c>ID_[0-3,7]</c>. A state is mapped to a shard state
/// (sacct(1), "JOB STATE CODES"): PENDING/REQUEUED → queued; RUNNING/COMPLETING/CONFIGURING/SUSPENDED → running;
/// FAILED, TIMEOUT (time limit), OUT_OF_MEMORY → failed; CANCELLED, NODE_FAIL, PREEMPTED, BOOT_FAIL, DEADLINE →
/// unfinished, and so is COMPLETED when neither the wrapper's report nor a done marker is there (both come first).
/// </summary>
public static partial class SlurmAccounting
{
    /// <summary>One array task's accounting state.</summary>
    public sealed record TaskState(string JobId, int Task, string State, string ExitCode);

    /// <summary>Runs sacct for <paramref name="jobIds"/>; null when sacct is missing or fails (status then reads the wrapper's reports only).</summary>
    public static IReadOnlyList<TaskState>? Query(IReadOnlyCollection<string> jobIds, Action<string> debug)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        ArgumentNullException.ThrowIfNull(debug);
        if (jobIds.Count == 0)
        {
            return [];
        }
        var start = new ProcessStartInfo("sacct") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { "-n", "-P", "-X", "-j", string.Join(',', jobIds), "-o", "JobID,State,ExitCode" })
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using Process process = Process.Start(start)!;
            Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill();
                debug("sacct did not answer within 60 s");
                return null;
            }
            if (process.ExitCode != 0)
            {
                debug($"sacct failed (exit {process.ExitCode}): {error.Result.Trim()}");
                return null;
            }
            return Parse(output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            debug($"cannot run sacct ({e.Message}): Slurm states are not read");
            return null;
        }
    }

    /// <summary>Parses <c>sacct -n -P -o JobID,State,ExitCode</c> lines; lines of other jobs or steps are skipped.</summary>
    public static IReadOnlyList<TaskState> Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var tasks = new List<TaskState>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] fields = line.Split('|');
            if (fields.Length < 3)
            {
                continue;
            }
            Match id = ArrayTask().Match(fields[0]);
            if (!id.Success)
            {
                continue;
            }
            // "CANCELLED by 1234" → CANCELLED.
            string state = fields[1].Split(' ', 2)[0];
            string job = id.Groups["job"].Value;
            if (id.Groups["task"].Success)
            {
                tasks.Add(new TaskState(job, int.Parse(id.Groups["task"].Value, CultureInfo.InvariantCulture), state, fields[2]));
                continue;
            }
            foreach (string range in id.Groups["ranges"].Value.Split(','))
            {
                // "0-7", "0-7%2" (at most 2 at once), "5".
                string[] bounds = range.Split('%')[0].Split('-');
                int first = int.Parse(bounds[0], CultureInfo.InvariantCulture);
                int last = bounds.Length > 1 ? int.Parse(bounds[1], CultureInfo.InvariantCulture) : first;
                for (int k = first; k <= last; k++)
                {
                    tasks.Add(new TaskState(job, k, state, fields[2]));
                }
            }
        }
        return tasks;
    }

    /// <summary>The shard state and detail of a Slurm state, or null for a state this version does not know.</summary>
    public static (string State, string Detail)? Meaning(TaskState task)
    {
        ArgumentNullException.ThrowIfNull(task);
        string where = $"Slurm job {task.JobId}_{task.Task.ToString(CultureInfo.InvariantCulture)}";
        return task.State switch
        {
            "PENDING" or "REQUEUED" or "REQUEUE_HOLD" or "REQUEUE_FED" or "RESIZING" => (ShardState.Queued, $"{where}: {task.State}"),
            "RUNNING" or "COMPLETING" or "CONFIGURING" or "SUSPENDED" or "STOPPED" or "SIGNALING" or "STAGE_OUT" => (ShardState.Running, $"{where}: {task.State}"),
            "TIMEOUT" => (ShardState.Failed, $"{where}: TIMEOUT (the job reached its time limit; ask for more with #SBATCH --time)"),
            "OUT_OF_MEMORY" => (ShardState.Failed, $"{where}: OUT_OF_MEMORY (the job used more than its memory; resubmit with a larger --memory)"),
            "FAILED" => (ShardState.Failed, $"{where}: FAILED, exit code {task.ExitCode}"),
            "CANCELLED" or "NODE_FAIL" or "PREEMPTED" or "BOOT_FAIL" or "DEADLINE" or "REVOKED" => (ShardState.Unfinished, $"{where}: {task.State}"),
            "COMPLETED" => (ShardState.Unfinished, $"{where}: COMPLETED, but the wrapper reported no exit code and there is no done marker"),
            _ => null,
        };
    }

    [GeneratedRegex(@"^(?<job>\d+)_(?:(?<task>\d+)|\[(?<ranges>[0-9,%-]+)\])$")]
    private static partial Regex ArrayTask();
}
