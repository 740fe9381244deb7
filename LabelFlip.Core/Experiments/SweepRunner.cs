using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// Executes a sweep's runs (all, or one shard), in parallel and reproducibly, with a run log to resume from, and
/// analyses complete sets of records.
/// </summary>
/// <remarks>
/// <para><b>Plan, execute, merge.</b> The plan is the product of the axes (<see cref="SweepConfig.RunAt"/>). Execution
/// runs any slice of it (<see cref="SweepRunOptions.Shard"/>) and appends each finished run to the run log; analysis
/// needs every run, from one process (<see cref="Run"/>) or from the logs of all shards (<see cref="Merge"/>): both give
/// the same <see cref="SweepResult"/>, because every run depends only on its own <see cref="RunSpec"/>.</para>
/// <para><b>Memory.</b> Runs with the same data part share one data set; the runs are executed grouped by data part, so
/// a sweep over hundreds of data seeds holds one data set at a time. With an output folder no run's record is kept:
/// each is appended to the run log as it finishes, and the result's <see cref="SweepResult.Runs"/> reads them back from
/// there (<see cref="RunRecords"/>), as the analysis does in streaming passes; so memory does not grow with the number
/// of runs (beyond a few dozen bytes a run: where its line is, its time). Without an output folder the records are held
/// in memory.</para>
/// </remarks>
public static class SweepRunner
{
    /// <summary>The manifest a shard writes beside its run log.</summary>
    public const string ShardManifestFile = "shard.json";

    /// <summary>Runs every run of the sweep and analyses them.</summary>
    /// <param name="config">What to run.</param>
    /// <param name="options">How to run it; defaults: all cores, no output folder (so the records are held in memory; with
    /// one they are read back from the run log, see <see cref="RunRecords"/>). Must not name a shard (see <see cref="Execute"/>).</param>
    /// <param name="progress">Receives a report after each finished run.</param>
    /// <param name="cancellationToken">Stops the sweep between epochs; finished runs stay in the run log.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="OutputFolderBusyException">Another sweep holds the output folder.</exception>
    /// <exception cref="RunLogException">The run log is corrupt or belongs to another sweep.</exception>
    /// <exception cref="SweepRunException">A run failed (for example, training diverged).</exception>
    /// <exception cref="OperationCanceledException">The sweep was cancelled.</exception>
    public static SweepResult Run(
        SweepConfig config,
        SweepRunOptions? options = null,
        IProgress<SweepProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (options?.Shard is not null)
            throw new ArgumentException("A shard does not hold every run; use Execute for a shard and Merge for the shards.", nameof(options));
        SweepExecution execution = Execute(config, options, progress, cancellationToken);
        return new SweepResult(config, execution.Records, SweepAnalysis.Analyze(config, execution.Records, (options ?? new SweepRunOptions()).MaxDegreeOfParallelism), execution.Timings);
    }

    /// <summary>Runs the sweep's runs, or one shard's, without analysing them.</summary>
    /// <inheritdoc cref="Run" path="/param"/>
    /// <inheritdoc cref="Run" path="/exception"/>
    public static SweepExecution Execute(
        SweepConfig config,
        SweepRunOptions? options = null,
        IProgress<SweepProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        options ??= new SweepRunOptions();
        ThrowHelper.ThrowIfOutside(options.MaxDegreeOfParallelism, 1, SweepRunOptions.MaxThreads, nameof(options.MaxDegreeOfParallelism));
        Stopwatch clock = Stopwatch.StartNew();
        long[] planned = options.Shard is SweepShard shard ? shard.Runs(config) : [.. Enumerable.Range(0, checked((int)config.RunCount)).Select(i => (long)i)];

        using OutputFolderLock? folder = options.OutputDirectory is string dir && !OutputFolderLock.IsHeld(dir) ? OutputFolderLock.Acquire(dir) : null;
        using RunLog? log = options.OutputDirectory is null ? null : RunLog.Open(options.OutputDirectory, config, options.Resume);

        // Only which runs are done is kept, not their records: those are in the run log (or, without one, in memory).
        var inPlan = new HashSet<long>(planned);
        var done = new HashSet<long>();
        foreach (RunLogLocation at in log?.OpenedLocations ?? [])
        {
            if (!inPlan.Contains(at.Index))
                throw new RunLogException(log!.Path, 0, true, $"holds run {at.Index}, which is not in shard {options.Shard}: it belongs to another slice of this sweep");
            done.Add(at.Index);
        }
        var inMemory = log is null ? new ConcurrentDictionary<long, RunRecord>() : null;
        long resumed = done.Count;
        WriteManifest(options, config, planned.Length, resumed);
        if (resumed > 0)
            progress?.Report(new SweepProgress(resumed, planned.Length, resumed, null, clock.Elapsed));

        var runTimes = new ConcurrentBag<TimeSpan>();
        long completed = resumed;
        // One data set at a time: runs are grouped by their data part, in plan order of first appearance. A file is
        // read once for all the data parts that draw from it. A group holds its runs' indices; their specs are built
        // only when the group runs, so a plan of any size is grouped in a few bytes a run.
        var groups = new Dictionary<(DataSpec Data, string Streams), List<long>>();
        var groupOrder = new List<(DataSpec Data, string Streams)>();
        foreach (long index in planned)
        {
            if (done.Contains(index))
                continue;
            RunSpec run = config.RunAt(index);
            if (!groups.TryGetValue((run.Data, run.Streams), out List<long>? members))
            {
                groups.Add((run.Data, run.Streams), members = []);
                groupOrder.Add((run.Data, run.Streams));
            }
            members.Add(index);
        }
        var pools = new DataPools();
        foreach ((DataSpec Data, string Streams) key in groupOrder)
        {
            IEnumerable<(long Index, RunSpec Run)> group = groups[key].Select(i => (Index: i, Run: config.RunAt(i)));
            var data = new RunData(key.Data, key.Streams, pools);
            // Costly runs first, so that the last thread does not finish alone on a big run.
            (long Index, RunSpec Run)[] pending = [.. group.OrderByDescending(r => SweepPlanCost.Of(r.Run)).ThenBy(r => r.Index)];
            foreach ((long index, RunSpec run) in pending)
            {
                try
                {
                    RunExecutor.CheckModelSize(run, data); // a file's shape is known only now: fail before training
                }
                catch (ArgumentException e)
                {
                    throw new SweepRunException(index, Describe(config, index), e);
                }
            }
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
            try
            {
                Parallel.ForEach(
                    Partitioner.Create(pending, EnumerablePartitionerOptions.NoBuffering),
                    parallel,
                    () => new RunExecutor(),
                    (item, _, executor) =>
                    {
                        long start = Stopwatch.GetTimestamp();
                        RunRecord record;
                        try
                        {
                            (ImmutableArray<double?> metrics, Nn.TrainingDynamics? dynamics) = executor.ExecuteRecorded(item.Run, data, cancellationToken);
                            record = new RunRecord(item.Index, config.CoordinatesAt(item.Index), metrics) { Dynamics = dynamics };
                        }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            throw new SweepRunException(item.Index, Describe(config, item.Index), e);
                        }
                        runTimes.Add(Stopwatch.GetElapsedTime(start));
                        if (inMemory is not null)
                            inMemory[item.Index] = record;
                        log?.Append(record);
                        progress?.Report(new SweepProgress(Interlocked.Increment(ref completed), planned.Length, resumed, record, clock.Elapsed));
                        return executor;
                    },
                    _ => { });
            }
            catch (AggregateException e)
            {
                // Surface the first real failure, or the cancellation, rather than a wrapper.
                Exception first = e.Flatten().InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException)
                    ?? new OperationCanceledException(cancellationToken);
                ExceptionDispatchInfo.Throw(first);
            }
        }

        WriteManifest(options, config, planned.Length, planned.Length);
        RunRecords records;
        if (log is null)
        {
            records = RunRecords.FromImmutableArray([.. planned.Select(i => inMemory![i])]);
        }
        else
        {
            var byIndex = new Dictionary<long, RunLogLocation>();
            foreach (RunLogLocation at in log.Locations())
                byIndex.TryAdd(at.Index, at);
            records = RunRecords.FromLogs(config, [Path.GetFullPath(log.Path)], [.. planned.Select(i => byIndex[i])], log.AnyDynamics);
        }
        var timings = new SweepTimings(clock.Elapsed, [.. runTimes.Order()], options.MaxDegreeOfParallelism, resumed);
        return new SweepExecution(config, options.Shard, records, timings);
    }

    /// <summary>
    /// Merges the run logs of a sweep's shards, checks that together they hold every run exactly once, and analyses
    /// them: the result equals <see cref="Run"/>'s for the same config, whatever the number of shards.
    /// </summary>
    /// <param name="directories">The shards' output folders (each with a <c>runs.jsonl</c>).</param>
    /// <exception cref="ArgumentException">No folder given.</exception>
    /// <exception cref="RunLogException">A log is corrupt or of another sweep, or runs are missing or doubled.</exception>
    /// <exception cref="IOException">A log cannot be read.</exception>
    public static SweepResult Merge(IEnumerable<string> directories)
    {
        ArgumentNullException.ThrowIfNull(directories);
        Stopwatch clock = Stopwatch.StartNew();
        string[] paths = [.. directories.Select(d => Path.Combine(d, RunLog.FileName))];
        if (paths.Length == 0)
            throw new ArgumentException("Name at least one shard folder.", nameof(directories));
        // Each log is checked and indexed line by line; the records are read back when the analysis and the outputs
        // enumerate them, so shards of any size merge in bounded memory.
        var logs = new (string Path, SweepConfig Config, List<RunLogLocation> Locations)[paths.Length];
        bool anyDynamics = false;
        for (int f = 0; f < paths.Length; f++)
        {
            (SweepConfig logConfig, List<RunLogLocation> at, bool dynamics) = RunLog.Index(paths[f], f);
            logs[f] = (paths[f], logConfig, at);
            anyDynamics |= dynamics;
        }
        SweepConfig config = logs[0].Config;
        RunLogLocation[] locations = RunLog.MergeLocations(config, logs);
        RunRecords records = RunRecords.FromLogs(config, [.. paths.Select(Path.GetFullPath)], locations, anyDynamics);
        SweepSummary summary = SweepAnalysis.Analyze(config, records);
        return new SweepResult(config, records, summary, new SweepTimings(clock.Elapsed, [], 1, records.Length));
    }

    /// <summary>Trains and scores one run on its own, exactly as a sweep does.</summary>
    /// <param name="run">The run.</param>
    /// <returns>Its metrics, in <see cref="RunMetrics.All"/> order.</returns>
    public static ImmutableArray<double?> RunOne(RunSpec run)
    {
        ArgumentNullException.ThrowIfNull(run);
        SweepConfig single = new(run, []); // validates the run
        return new RunExecutor().Execute(single.Base, new RunData(single.Base.Data, single.Base.Streams), CancellationToken.None);
    }

    private static void WriteManifest(SweepRunOptions options, SweepConfig config, long planned, long done)
    {
        if (options.Shard is not SweepShard shard || options.OutputDirectory is null)
            return;
        AtomicFile.WriteAllText(Path.Combine(options.OutputDirectory, ShardManifestFile), JsonValues.Invariant(
            $"{{\n  \"fingerprint\": \"{config.Fingerprint}\",\n  \"shard\": \"{shard}\",\n  \"runs_planned\": {planned},\n  \"runs_done\": {done}\n}}\n"));
    }

    internal static string Describe(SweepConfig config, long index)
    {
        ImmutableArray<string> coordinates = config.CoordinatesAt(index);
        return coordinates.Length == 0 ? "the base run" : string.Join(", ", config.Axes.Select((a, i) => $"{a.Path} = {coordinates[i]}"));
    }
}
