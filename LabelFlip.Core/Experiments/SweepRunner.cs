using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using LabelFlip.Core.Data;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Poisoning;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Experiments;

/// <summary>How a sweep is executed; none of it changes the results.</summary>
public sealed record SweepRunOptions
{
    /// <summary>Worker threads; default all cores.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Folder for the checkpoint (<c>runs.jsonl</c>); null runs in memory only. Outputs are written by
    /// <see cref="SweepOutputs.Write"/>.
    /// </summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Reuse the finished runs of an existing checkpoint (true) or discard it (false).</summary>
    public bool Resume { get; init; } = true;
}

/// <summary>Progress of a running sweep, reported after each finished run.</summary>
/// <param name="CompletedRuns">Runs finished so far, including those taken from the checkpoint.</param>
/// <param name="TotalRuns">Runs in the sweep.</param>
/// <param name="ResumedRuns">Runs taken from the checkpoint rather than trained.</param>
/// <param name="LastRun">The run that just finished; null for the first report after resuming.</param>
/// <param name="Elapsed">Time since the sweep started.</param>
public sealed record SweepProgress(int CompletedRuns, int TotalRuns, int ResumedRuns, RunResult? LastRun, TimeSpan Elapsed);

/// <summary>Wall-clock figures of a sweep; kept apart from the results, which must not depend on them.</summary>
/// <param name="TotalTime">The whole sweep, data preparation included.</param>
/// <param name="RunTimes">Each trained run's time (resumed runs excluded).</param>
/// <param name="Threads">Worker threads used.</param>
/// <param name="ResumedRuns">Runs taken from the checkpoint.</param>
public sealed record SweepTimings(TimeSpan TotalTime, ImmutableArray<TimeSpan> RunTimes, int Threads, int ResumedRuns);

/// <summary>Everything a sweep produced.</summary>
/// <param name="Config">The config that was run.</param>
/// <param name="Runs">Every run, in canonical order (fraction, width, seed as listed in the config).</param>
/// <param name="Aggregated">Mean and spread per (fraction, width).</param>
/// <param name="Fits">The sigmoid fit per width, widths ascending.</param>
/// <param name="Findings">The study's conclusions.</param>
/// <param name="Timings">Wall-clock figures (not part of the deterministic results).</param>
public sealed record SweepResult(
    SweepConfig Config,
    ImmutableArray<RunResult> Runs,
    ImmutableArray<AggregatedPoint> Aggregated,
    ImmutableArray<WidthFit> Fits,
    Findings Findings,
    SweepTimings Timings);

/// <summary>
/// Runs every (poison fraction, width, seed) of a <see cref="SweepConfig"/>, in parallel, reproducibly.
/// </summary>
/// <remarks>
/// <para><b>Streams.</b> Each run draws only from streams named by its own key, so its result does not
/// depend on which thread runs it or when: the data and the split come from the data seed (streams
/// "cluster-…" and "split"); the poison from (seed, "poison", fraction); initialisation and shuffling from
/// (seed, "training"). Runs at different widths share the poison and the initialisation stream of their
/// seed, as the study's <c>torch.manual_seed(seed)</c> did.</para>
/// <para><b>Checkpoint.</b> With a checkpoint folder every finished run is appended to <c>runs.jsonl</c>;
/// a restarted sweep skips those runs, and since every run is deterministic the final results are the same
/// bytes as an uninterrupted sweep's.</para>
/// </remarks>
public static class SweepRunner
{
    /// <summary>Runs the sweep.</summary>
    /// <param name="config">What to run; validated first.</param>
    /// <param name="options">How to run it; defaults: all cores, in memory.</param>
    /// <param name="progress">Receives a report after each finished run.</param>
    /// <param name="cancellationToken">Stops the sweep between epochs; finished runs stay in the checkpoint.</param>
    /// <exception cref="ArgumentException">The config or options are invalid.</exception>
    /// <exception cref="CheckpointMismatchException">The checkpoint folder holds another sweep's runs.</exception>
    /// <exception cref="SweepRunException">A run failed (for example, training diverged).</exception>
    /// <exception cref="OperationCanceledException">The sweep was cancelled.</exception>
    public static SweepResult Run(
        SweepConfig config,
        SweepRunOptions? options = null,
        IProgress<SweepProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        options ??= new SweepRunOptions();
        ThrowHelper.ThrowIfOutside(options.MaxDegreeOfParallelism, 1, 4096, nameof(options.MaxDegreeOfParallelism));

        Stopwatch clock = Stopwatch.StartNew();
        RunKey[] plan = [.. SweepPlan.Runs(config)];
        using SweepCheckpoint? checkpoint = options.CheckpointDirectory is null
            ? null
            : SweepCheckpoint.Open(options.CheckpointDirectory, config, options.Resume);

        var finished = new ConcurrentDictionary<RunKey, RunResult>();
        foreach (RunResult run in checkpoint?.Finished ?? [])
            finished[run.Key] = run;
        int resumed = finished.Count;
        if (resumed > 0)
            progress?.Report(new SweepProgress(resumed, plan.Length, resumed, null, clock.Elapsed));

        // Wider nets take longer: start them first so the last thread does not finish alone on a big run.
        RunKey[] pending = [.. plan.Where(k => !finished.ContainsKey(k)).OrderByDescending(k => k.HiddenWidth)];
        var runTimes = new ConcurrentBag<TimeSpan>();
        if (pending.Length > 0)
        {
            var context = new SweepContext(config);
            int completed = resumed;
            var parallel = new ParallelOptions
            {
                MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
                CancellationToken = cancellationToken,
            };
            try
            {
                RunInParallel();
            }
            catch (AggregateException e)
            {
                // Surface the first real failure, or the cancellation, rather than a wrapper.
                Exception first = e.Flatten().InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException)
                    ?? new OperationCanceledException(cancellationToken);
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
            }

            void RunInParallel() => Parallel.ForEach(
                System.Collections.Concurrent.Partitioner.Create(pending, EnumerablePartitionerOptions.NoBuffering),
                parallel,
                () => new MlpTrainer(),
                (key, _, trainer) =>
                {
                    long start = Stopwatch.GetTimestamp();
                    RunResult run = context.Execute(key, trainer, cancellationToken);
                    runTimes.Add(Stopwatch.GetElapsedTime(start));
                    finished[key] = run;
                    checkpoint?.Append(run);
                    progress?.Report(new SweepProgress(Interlocked.Increment(ref completed), plan.Length, resumed, run, clock.Elapsed));
                    return trainer;
                },
                _ => { });
        }

        ImmutableArray<RunResult> runs = [.. plan.Select(k => finished[k])];
        ImmutableArray<AggregatedPoint> aggregated = SweepAnalysis.Aggregate(config, runs);
        ImmutableArray<WidthFit> fits = SweepAnalysis.FitWidths(aggregated, config.ClassCount);
        Findings findings = SweepAnalysis.Summarize(aggregated, fits);
        var timings = new SweepTimings(clock.Elapsed, [.. runTimes.Order()], options.MaxDegreeOfParallelism, resumed);
        return new SweepResult(config, runs, aggregated, fits, findings, timings);
    }

    /// <summary>Trains and scores one run, exactly as <see cref="Run"/> does.</summary>
    /// <param name="config">The sweep's config.</param>
    /// <param name="key">Which run; its fraction, width and seed need not be in the config's lists.</param>
    public static RunResult RunOne(SweepConfig config, RunKey key)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        return new SweepContext(config).Execute(key, new MlpTrainer(), CancellationToken.None);
    }

    // What every run shares: the data and the split, made once from the data seed.
    private sealed class SweepContext(SweepConfig config)
    {
        private static readonly ulong s_poisonKey = StreamKey.Of("poison");
        private static readonly ulong s_trainingKey = StreamKey.Of("training");
        private static readonly ulong s_splitKey = StreamKey.Of("split");

        private readonly TrainingOptions _training = new()
        {
            Epochs = config.Epochs,
            LearningRate = config.LearningRate,
            BatchSize = config.BatchSize,
        };

        private readonly TrainTestSplit _split = TrainTestSplit.Create(
            GaussianClusters.Generate(config.SampleCount, config.FeatureCount, config.ClassCount,
                config.ClusterStd, config.CenterSpread, config.DataSeed),
            new RandomSource(config.DataSeed, s_splitKey),
            config.TrainFraction);

        public RunResult Execute(RunKey key, MlpTrainer trainer, CancellationToken cancellationToken)
        {
            var poisonRandom = new RandomSource(RandomSource.DeriveSeed(key.Seed, s_poisonKey), StreamKey.Of(key.PoisonFraction));
            PoisonedSplit data = _split.Poison(new UniformLabelFlip(key.PoisonFraction), poisonRandom);

            TrainingResult trained;
            try
            {
                trained = trainer.Train(data.Train, key.HiddenWidth, _training, new RandomSource(key.Seed, s_trainingKey), cancellationToken);
            }
            catch (TrainingDivergedException e)
            {
                throw new SweepRunException(key, e);
            }

            int[] predicted = trained.Model.Predict(data.Train);
            ReadOnlySpan<int> poisoned = data.Train.LabelSpan;
            ReadOnlySpan<int> clean = data.CleanTrainLabels.AsSpan();
            int agreePoisoned = 0, agreeClean = 0, memorised = 0;
            for (int i = 0; i < predicted.Length; i++)
            {
                agreePoisoned += predicted[i] == poisoned[i] ? 1 : 0;
                agreeClean += predicted[i] == clean[i] ? 1 : 0;
            }
            foreach (int row in data.FlippedRows)
                memorised += predicted[row] == poisoned[row] ? 1 : 0;

            double trainAccuracy = (double)agreePoisoned / predicted.Length;
            double testAccuracy = trained.Model.Accuracy(data.Test);
            return new RunResult(
                key.PoisonFraction, key.HiddenWidth, key.Seed,
                trainAccuracy, testAccuracy, (double)agreeClean / predicted.Length,
                trainAccuracy - testAccuracy, trained.FinalLoss, data.FlippedRows.Length,
                data.FlippedRows.Length == 0 ? null : (double)memorised / data.FlippedRows.Length);
        }
    }
}

/// <summary>One run of a sweep failed; the message names the run and the cause.</summary>
public sealed class SweepRunException : Exception
{
    /// <summary>Creates the exception for <paramref name="run"/>.</summary>
    public SweepRunException(RunKey run, Exception innerException)
        : base($"Run {run} failed: {innerException?.Message}", innerException)
    {
        Run = run;
    }

    /// <summary>The run that failed.</summary>
    public RunKey Run { get; }
}
