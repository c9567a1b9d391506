using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>
/// A personal HTCondor pool (one machine: collector, negotiator, schedd, startd with 4 slots) for the grid tests, from
/// the private install of scripts/setup-htcondor.sh, whose programs run on the prefix's own glibc (patched interpreter and
/// RPATH): no LD_LIBRARY_PATH, so the jobs and every system program keep the system's C library. HTCondor refuses jobs from root, so when the tests run as root the
/// pool and every command talking to it run as the dedicated user <see cref="PoolUser"/> (created if missing). Its
/// directory is outside /tmp: the job starter does not see the submitter's private /tmp. Scheduling intervals are
/// seconds, not minutes. Dispose stops the pool by its master's process id.
/// </summary>
internal sealed class HtCondorPool : IDisposable
{
    public const string Prefix = "/opt/energyreg-htcondor-trixie";
    public const string PoolUser = "energyreg-condor";
    private const string PoolHome = "/var/lib/energyreg-condor";

    private int? _masterPid;

    private HtCondorPool(string directory, string? user, string? jobWrapper)
    {
        Directory = directory;
        User = user;
        JobWrapper = jobWrapper;
    }

    /// <summary>The pool's USER_JOB_WRAPPER: a script the starter runs with the job's command (a site's image), or null.</summary>
    public string? JobWrapper { get; }

    /// <summary>The pool's own directory (config, logs, spool, execute) and the tests' files beside it.</summary>
    public string Directory { get; }

    /// <summary>The user commands run as (null: the current user).</summary>
    public string? User { get; }

    public string ConfigFile => Path.Combine(Directory, "pool", "condor_config");

    /// <summary>More environment variables of every command run with <see cref="As"/> (the submitter's environment).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>
    /// Starts a pool, or throws <see cref="SkipException"/> saying why it cannot. <paramref name="jobWrapper"/> writes the
    /// text of a USER_JOB_WRAPPER script given the pool's directory (the script then runs every job).
    /// </summary>
    public static HtCondorPool Start(Func<string, string>? jobWrapper = null)
    {
        string master = Prefix + "/usr/sbin/condor_master";
        if (!File.Exists(master) || !File.Exists(Prefix + "/.complete"))
        {
            throw new SkipException($"HTCondor is not installed ({master} missing): scripts/setup.sh installs it (scripts/setup-htcondor.sh).");
        }
        bool root = System.Environment.UserName == "root";
        string? user = null;
        string baseDirectory;
        if (root)
        {
            if (Shell("id", "-u", PoolUser).ExitCode != 0)
            {
                Shell("useradd", "--system", "--create-home", "--home-dir", PoolHome, "--shell", "/bin/bash", PoolUser);
            }
            if (Shell("id", "-u", PoolUser).ExitCode != 0)
            {
                throw new SkipException($"cannot create the non-root user {PoolUser} that runs the HTCondor pool (HTCondor refuses jobs from root).");
            }
            user = PoolUser;
            baseDirectory = Path.Combine(PoolHome, "grid-tests", Guid.NewGuid().ToString("N")[..12]);
        }
        else
        {
            baseDirectory = Path.Combine(Tool.RepoRoot, "artifacts", "grid-tests", Guid.NewGuid().ToString("N")[..12]);
        }
        var pool = new HtCondorPool(baseDirectory, user, jobWrapper is null ? null : Path.Combine(baseDirectory, "job-wrapper.sh"));
        if (jobWrapper is not null)
        {
            System.IO.Directory.CreateDirectory(baseDirectory);
            File.WriteAllText(pool.JobWrapper!, jobWrapper(baseDirectory));
            Shell("chmod", "755", pool.JobWrapper!);
        }
        try
        {
            pool.Launch();
        }
        catch
        {
            pool.Dispose();
            throw;
        }
        return pool;
    }

    private void Launch()
    {
        string poolDirectory = Path.Combine(Directory, "pool");
        foreach (string sub in new[] { "log", "spool", "execute", "lock", "run", "cred" })
        {
            System.IO.Directory.CreateDirectory(Path.Combine(poolDirectory, sub));
        }
        File.WriteAllText(ConfigFile, Config(poolDirectory, FreePort()) + (JobWrapper is null ? "" : $"USER_JOB_WRAPPER = {JobWrapper}\n"));
        GiveToUser(Directory);
        Result started = As(Prefix + "/usr/sbin/condor_master", "-pidfile", Path.Combine(poolDirectory, "master.pid"));
        if (started.ExitCode != 0)
        {
            throw new SkipException($"the HTCondor pool did not start: condor_master exit {started.ExitCode}: {started.Output}");
        }
        string pidFile = Path.Combine(poolDirectory, "master.pid");
        for (int i = 0; i < 100 && !File.Exists(pidFile); i++)
        {
            Thread.Sleep(100);
        }
        if (File.Exists(pidFile))
        {
            _masterPid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        // Ready when the startd's slot (one partitionable slot of 4 CPUs) is in the collector and the schedd answers.
        for (int i = 0; i < 60; i++)
        {
            Result slots = As(Prefix + "/usr/bin/condor_status", "-af", "Name");
            Result queue = As(Prefix + "/usr/bin/condor_q", "-totals");
            if (slots.ExitCode == 0 && slots.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 1 && queue.ExitCode == 0)
            {
                return;
            }
            Thread.Sleep(1000);
        }
        string log = Path.Combine(poolDirectory, "log", "MasterLog");
        throw new SkipException("the HTCondor pool did not come up within 60 s; MasterLog ends: "
            + (File.Exists(log) ? string.Join(" | ", File.ReadLines(log).TakeLast(5)) : "(no MasterLog)"));
    }

    /// <summary>Makes <paramref name="path"/> (recursively) the pool user's.</summary>
    public void GiveToUser(string path)
    {
        if (User is not null)
        {
            Shell("chown", "-R", User + ":", path);
        }
    }

    /// <summary>Runs a command as the pool's user with the pool's configuration and HTCondor on PATH.</summary>
    public Result As(string program, params string[] arguments)
    {
        var all = new List<string>
        {
            "CONDOR_CONFIG=" + ConfigFile,
            "PATH=" + Prefix + "/usr/bin:" + Prefix + "/usr/sbin:/usr/local/bin:/usr/bin:/bin",
            "HOME=" + Directory,
            "DOTNET_CLI_TELEMETRY_OPTOUT=1",
            "DOTNET_NOLOGO=1",
        };
        all.AddRange(Environment.Select(p => $"{p.Key}={p.Value}"));
        all.Add(program);
        all.AddRange(arguments);
        return User is null ? ShellIn(Directory, "env", [.. all]) : ShellIn(Directory, "runuser", ["-u", User, "--", "env", .. all]);
    }

    public sealed record Result(int ExitCode, string Output)
    {
        public override string ToString() => $"exit {ExitCode}: {Output}";
    }

    public static Result Shell(string program, params string[] arguments) => ShellIn(null, program, arguments);

    public static Result ShellIn(string? workingDirectory, string program, params string[] arguments) =>
        ShellFor(TimeSpan.FromMinutes(3), workingDirectory, program, arguments);

    /// <summary>Runs a program, killed (and a <see cref="TimeoutException"/>) after <paramref name="timeout"/>.</summary>
    public static Result ShellFor(TimeSpan timeout, string? workingDirectory, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in {timeout.TotalMinutes} minutes");
        }
        return new Result(process.ExitCode, output + error.Result);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Config(string pool, int port) => $"""
        # A personal pool for the grid tests (HtCondorPool.cs): every role on 127.0.0.1, file-system authentication.
        RELEASE_DIR = {Prefix}/usr
        BIN = $(RELEASE_DIR)/bin
        SBIN = $(RELEASE_DIR)/sbin
        LIB = $(RELEASE_DIR)/lib/condor
        LIBEXEC = $(RELEASE_DIR)/libexec/condor
        SHARE = $(RELEASE_DIR)/share/condor
        LOCAL_DIR = {pool}
        LOG = $(LOCAL_DIR)/log
        SPOOL = $(LOCAL_DIR)/spool
        EXECUTE = $(LOCAL_DIR)/execute
        LOCK = $(LOCAL_DIR)/lock
        RUN = $(LOCAL_DIR)/run
        CRED_STORE_DIR = $(LOCAL_DIR)/cred
        MAIL = /bin/true
        STARTD_DETECT_GPUS = false
        use ROLE: Personal
        CONDOR_HOST = 127.0.0.1
        NETWORK_INTERFACE = 127.0.0.1
        BIND_ALL_INTERFACES = False
        USE_SHARED_PORT = False
        COLLECTOR_HOST = 127.0.0.1:{port}
        SEC_DEFAULT_AUTHENTICATION_METHODS = FS
        SEC_DEFAULT_AUTHENTICATION = OPTIONAL
        SEC_DEFAULT_INTEGRITY = OPTIONAL
        SEC_DEFAULT_ENCRYPTION = OPTIONAL
        ALLOW_READ = *
        ALLOW_WRITE = *
        ALLOW_DAEMON = *
        ALLOW_NEGOTIATOR = *
        ALLOW_ADMINISTRATOR = *
        # 4 slots whatever the machine's cores, so the 4 shards run at once; fast scheduling.
        NUM_CPUS = 4
        MEMORY = 8192
        SCHEDD_INTERVAL = 2
        SCHEDD_MIN_INTERVAL = 1
        NEGOTIATOR_INTERVAL = 2
        NEGOTIATOR_CYCLE_DELAY = 2
        NEGOTIATOR_MIN_INTERVAL = 1
        STARTER_UPDATE_INTERVAL = 2
        SHADOW_QUEUE_UPDATE_INTERVAL = 2
        UPDATE_INTERVAL = 2
        RUNBENCHMARKS = 0
        START = TRUE
        SUSPEND = FALSE
        PREEMPT = FALSE
        KILL = FALSE
        WANT_SUSPEND = FALSE

        """;

    /// <summary>Stops the pool: SIGTERM to the master (it shuts its daemons down), SIGKILL if it is still there after 30 s.</summary>
    public void Dispose()
    {
        if (_masterPid is { } pid)
        {
            try
            {
                using var master = Process.GetProcessById(pid);
                Shell("kill", "-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (!master.WaitForExit(TimeSpan.FromSeconds(30)))
                {
                    master.Kill(entireProcessTree: true);
                }
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
            _masterPid = null;
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
