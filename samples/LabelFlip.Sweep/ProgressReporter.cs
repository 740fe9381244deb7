using System.Diagnostics;
using System.Globalization;
using LabelFlip.Core.Experiments;

namespace LabelFlip.Sweep;

/// <summary>
/// A live progress bar on a terminal; plain lines when redirected: at most one a second while runs finish, and a
/// heartbeat at least every 10 seconds while a long run keeps them from finishing.
/// </summary>
internal sealed class ProgressReporter : IProgress<SweepProgress>, IDisposable
{
    private static readonly TimeSpan s_heartbeat = TimeSpan.FromSeconds(10);

    // The timer looks often and writes only when a line is due: a timer with the heartbeat's own period would see a
    // line written just after its last tick as too recent and wait a whole further period (up to 20 s of silence).
    private static readonly TimeSpan s_heartbeatCheck = TimeSpan.FromMilliseconds(250);

    private readonly TextWriter _output;
    private readonly bool _live;
    private readonly SweepConfig _config;
    private readonly Lock _lock = new();
    private readonly Stopwatch _sinceLastLine = Stopwatch.StartNew();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan _elapsedBefore;
    private readonly Timer? _heartbeat;
    private SweepProgress? _last;
    private bool _barShown, _finished;

    /// <summary>A reporter on <paramref name="config"/>'s sweep; on redirected output it starts its heartbeat now.</summary>
    /// <param name="output">Where the bar or the lines go.</param>
    /// <param name="live">A bar redrawn in place (a terminal), or plain lines (redirected output).</param>
    /// <param name="config">The sweep reported on.</param>
    /// <param name="elapsedBefore">How long the sweep has been running already (it may start before its reporter).</param>
    public ProgressReporter(TextWriter output, bool live, SweepConfig config, TimeSpan elapsedBefore = default)
    {
        _elapsedBefore = elapsedBefore;
        _output = output;
        _live = live;
        _config = config;
        if (!live)
            _heartbeat = new Timer(_ => Beat(), null, s_heartbeatCheck, s_heartbeatCheck);
    }

    public void Report(SweepProgress value)
    {
        lock (_lock)
        {
            _last = value;
            if (_live)
            {
                const int Width = 30;
                long filled = value.TotalRuns == 0 ? Width : value.CompletedRuns * Width / value.TotalRuns;
                _output.Write(string.Create(CultureInfo.InvariantCulture,
                    $"\r[{new string('#', (int)filled)}{new string('.', Width - (int)filled)}] {value.CompletedRuns,3}/{value.TotalRuns} runs  {value.Elapsed.TotalSeconds,6:0.0} s  {Describe(value.LastRun)}   "));
                _barShown = true;
            }
            else if (_sinceLastLine.Elapsed >= TimeSpan.FromSeconds(1) || value.CompletedRuns == value.TotalRuns)
            {
                WriteLine(value);
            }
        }
    }

    /// <summary>Ends the bar and says what was resumed; once, however often it is called.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            if (_finished)
                return;
            _finished = true;
            _heartbeat?.Dispose();
            if (_barShown)
                _output.WriteLine();
            if (_last is { ResumedRuns: > 0 } last)
                _output.WriteLine($"resumed {last.ResumedRuns} finished runs from the run log");
        }
    }

    public void Dispose() => _heartbeat?.Dispose();

    private void Beat()
    {
        lock (_lock)
        {
            if (!_finished && _sinceLastLine.Elapsed >= s_heartbeat)
                WriteLine(_last ?? new SweepProgress(0, _config.RunCount, 0, null, Elapsed));
        }
    }

    // Since the sweep started, on the reporter's clock (a heartbeat repeats the last report, whose own time stands still).
    private TimeSpan Elapsed => _elapsedBefore + _clock.Elapsed;

    private void WriteLine(SweepProgress value)
    {
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"progress: {value.CompletedRuns}/{value.TotalRuns} runs, {Elapsed.TotalSeconds:0.0} s"));
        _output.Flush();
        _sinceLastLine.Restart();
    }

    private string Describe(RunRecord? run) => run is null
        ? ""
        : "last: " + string.Join(" ", _config.Axes.Select((a, i) => $"{a.Path[(a.Path.LastIndexOf('.') + 1)..]}={run.Coordinates[i]}")) +
          string.Create(CultureInfo.InvariantCulture, $" test={run.Get(RunMetrics.TestAccuracy):0.000}");
}
