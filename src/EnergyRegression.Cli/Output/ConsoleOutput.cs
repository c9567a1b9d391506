using System.Diagnostics;
using System.Globalization;
using EnergyRegression.Core.Running;
using EnergyRegression.Running;

namespace EnergyRegression.Cli.Output;

/// <summary>
/// Log and progress on stderr (stdout stays free for results). On a terminal: a live bar redrawn in place
/// with rate and ETA. Redirected (batch jobs): a plain, timestamped line every
/// <see cref="PlainInterval"/> and one at the end of each task.
/// </summary>
internal sealed class ConsoleOutput(bool verbose, bool quiet) : IRunLog, IProgressDisplay
{
    private static readonly bool Interactive = !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb");
    private readonly Lock _lock = new();
    private bool _barShown;

    /// <summary>Interval of plain progress lines; <c>ENERGYREG_PROGRESS_SECONDS</c> overrides the default 10 s.</summary>
    public static TimeSpan PlainInterval { get; } = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("ENERGYREG_PROGRESS_SECONDS"), CultureInfo.InvariantCulture, out double s) && s > 0 ? s : 10);

    public void Info(string message)
    {
        if (!quiet)
        {
            Write(message);
        }
    }

    public void Warning(string message) => Write("warning: " + message);

    public void Debug(string message)
    {
        if (verbose)
        {
            Write("debug: " + message);
        }
    }

    public IProgressTask Start(string description, long? total) =>
        quiet ? SilentConsole.Instance.Start(description, total) : new Task(this, description, total);

    private void Write(string message)
    {
        lock (_lock)
        {
            ClearBar();
            Console.Error.WriteLine(Interactive ? message : $"{DateTime.Now:HH:mm:ss} {message}");
        }
    }

    private void ClearBar()
    {
        if (_barShown)
        {
            Console.Error.Write("\r\u001b[2K");
            _barShown = false;
        }
    }

    private sealed class Task : IProgressTask
    {
        private readonly ConsoleOutput _owner;
        private readonly string _description;
        private readonly long? _total;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Timer _timer;
        private long _done;
        private string _status = "";

        public Task(ConsoleOutput owner, string description, long? total)
        {
            _owner = owner;
            _description = description;
            _total = total;
            TimeSpan period = Interactive ? TimeSpan.FromMilliseconds(250) : PlainInterval;
            _timer = new Timer(_ => Show(final: false), null, period, period);
        }

        public void Advance(long amount) => Interlocked.Add(ref _done, amount);

        public void SetStatus(string status) => _status = status;

        public void Dispose()
        {
            _timer.Dispose();
            Show(final: true);
        }

        private void Show(bool final)
        {
            long done = Interlocked.Read(ref _done);
            double seconds = Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
            double rate = done / seconds;
            string line = $"{_description} {done:N0}";
            if (_total is > 0)
            {
                double fraction = Math.Min(1.0, (double)done / _total.Value);
                string eta = rate > 0 && done < _total ? " ETA " + FormatDuration((_total.Value - done) / rate) : "";
                line += Interactive
                    ? $"/{_total:N0} [{new string('#', (int)(fraction * 30)).PadRight(30, '.')}] {fraction:P0} {FormatRate(rate)}{eta}"
                    : $"/{_total:N0} ({fraction:P1}), {FormatRate(rate)}{eta}";
            }
            else
            {
                line += $", {FormatRate(rate)}";
            }
            if (_status.Length > 0)
            {
                line += "  " + _status;
            }
            if (final)
            {
                line += $", {FormatDuration(seconds)} in all";
            }
            lock (_owner._lock)
            {
                if (Interactive)
                {
                    Console.Error.Write("\r\u001b[2K" + line);
                    _owner._barShown = true;
                    if (final)
                    {
                        Console.Error.WriteLine();
                        _owner._barShown = false;
                    }
                }
                else
                {
                    Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} progress: {line}");
                }
            }
        }

        private static string FormatRate(double perSecond) => perSecond switch
        {
            >= 1e6 => $"{perSecond / 1e6:F1} M/s",
            >= 1e3 => $"{perSecond / 1e3:F1} k/s",
            _ => $"{perSecond:F0} /s",
        };

        private static string FormatDuration(double seconds) =>
            seconds >= 3600 ? $"{(int)(seconds / 3600)}h{(int)(seconds % 3600 / 60):D2}m"
            : seconds >= 60 ? $"{(int)(seconds / 60)}m{(int)(seconds % 60):D2}s"
            : $"{seconds:F1}s";
    }
}
