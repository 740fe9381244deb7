using LabelFlip.Core.Experiments;

namespace LabelFlip.Sweep;

/// <summary>
/// A sweep's progress while the console is still busy with the output before it: the latest report is kept, and
/// once a reporter is attached it is handed on, followed by every later one.
/// </summary>
internal sealed class DeferredProgress : IProgress<SweepProgress>
{
    private readonly Lock _lock = new();
    private IProgress<SweepProgress>? _target;
    private SweepProgress? _latest;

    public void Report(SweepProgress value)
    {
        lock (_lock)
        {
            if (_target is null)
                _latest = value;
            else
                _target.Report(value);
        }
    }

    /// <summary>From now on reports go to <paramref name="target"/>, starting with the latest one kept.</summary>
    public void Attach(IProgress<SweepProgress> target)
    {
        lock (_lock)
        {
            _target = target;
            if (_latest is not null)
                target.Report(_latest);
        }
    }
}
