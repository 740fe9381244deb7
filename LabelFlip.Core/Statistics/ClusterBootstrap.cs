using System.Runtime.ExceptionServices;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Statistics;

/// <summary>
/// The two-stage cluster bootstrap over data draws, with percentile confidence intervals: each resample picks
/// whole draws with replacement, then, within each picked draw, that draw's seeds with replacement, and a
/// caller's statistic is computed on it. Reproducible bit for bit from the <see cref="RandomSource"/> passed in.
/// </summary>
/// <remarks>
/// <para><b>Why two stages.</b> Runs that share a data draw are correlated, so the draw is the independent
/// unit and must be resampled whole (Davison and Hinkley, "Bootstrap Methods and their Application", 1997,
/// §3.8, hierarchical data); resampling the seeds too carries the seed-to-seed spread into the interval. Doing
/// both stages errs on the wide (conservative) side.</para>
/// <para><b>Random numbers, in this exact order</b> (the contract that makes results reproducible): for each
/// resample b = 0, 1, …, B − 1, for each position k = 0, …, D − 1 (D = number of draws): the draw
/// d = <see cref="RandomSource.NextInt(int)"/>(D), then that draw's S_d seed indices, each
/// <see cref="RandomSource.NextInt(int)"/>(S_d). Nothing else is drawn. Name the stream, for example
/// <c>new RandomSource(seed, StreamKey.Of("bootstrap"))</c>.</para>
/// <para><b>Percentile interval</b> (Efron's percentile method): with level c, the bounds are the
/// (1 − c)/2 and (1 + c)/2 quantiles of the B resample statistics by Hyndman and Fan's definition 7
/// (<see cref="Descriptive"/>). Quantiles are rank-based, with +∞ above and −∞ below every finite value, so
/// censored statistics keep the interval meaningful: an upper bound of +∞ says that more than a (1 − c)/2
/// share of resamples never reached the threshold. The counts of censored resamples are reported.</para>
/// <para><b>Cost.</b> Buffers are allocated once per run (the index buffers and B·K doubles for K statistics);
/// a resample allocates nothing beyond what the statistic itself does.</para>
/// </remarks>
/// <example>
/// A threshold refitted per resample, +∞ when the curve never crosses (accuracy[d][s] is the run of seed s on
/// draw d; buffers are allocated once, outside the statistic):
/// <code>
/// double[] pooled = new double[drawCount * seedCount];
/// BootstrapResult result = ClusterBootstrap.Run(seedCounts, 1, (resample, destination) =>
/// {
///     int n = 0;
///     for (int k = 0; k &lt; resample.DrawCount; k++)
///         foreach (int s in resample.SeedIndices(k))
///             pooled[n++] = accuracy[resample.DrawIndices[k]][s];
///     destination[0] = FitThreshold(pooled.AsSpan(0, n)); // +∞ when not reached
/// }, new RandomSource(seed, StreamKey.Of("bootstrap")));
/// ConfidenceInterval threshold = result.Interval(); // Upper is +∞ if over 2.5% of resamples never cross
/// </code>
/// </example>
public static class ClusterBootstrap
{
    /// <summary>The default number of resamples, 2,000: enough for stable 95% percentile bounds.</summary>
    public const int DefaultResampleCount = 2000;

    /// <summary>The default confidence level, 0.95.</summary>
    public const double DefaultConfidenceLevel = 0.95;

    /// <summary>
    /// Runs the bootstrap for <paramref name="statisticCount"/> statistics computed together by
    /// <paramref name="statistic"/>, over draws with <paramref name="seedCounts"/>[d] seeds each.
    /// </summary>
    /// <param name="seedCounts">One entry per draw (at least one draw), each at least 1.</param>
    /// <param name="statisticCount">The number of statistics the delegate writes, at least 1.</param>
    /// <param name="statistic">Computes the statistics of a resample; see <see cref="ClusterStatistic"/>.</param>
    /// <param name="random">The stream the resamples come from; it is advanced.</param>
    /// <param name="resampleCount">B, at least 1.</param>
    /// <param name="confidenceLevel">c in (0, 1).</param>
    /// <exception cref="InvalidOperationException">The statistic left a slot NaN.</exception>
    public static BootstrapResult Run(
        ReadOnlySpan<int> seedCounts, int statisticCount, ClusterStatistic statistic, RandomSource random,
        int resampleCount = DefaultResampleCount, double confidenceLevel = DefaultConfidenceLevel)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        return Run(seedCounts, statisticCount, () => statistic, random, resampleCount, confidenceLevel, maxDegreeOfParallelism: 1);
    }

    /// <summary>
    /// <see cref="Run(ReadOnlySpan{int}, int, ClusterStatistic, RandomSource, int, double)"/> with the resamples
    /// evaluated on up to <paramref name="maxDegreeOfParallelism"/> threads, each with a statistic of its own from
    /// <paramref name="createStatistic"/>. The resamples are drawn in the same order from the same stream, so the
    /// result is the same bits on any number of threads, as long as each statistic depends only on the resample it is
    /// given (its buffers its own, nothing carried from one resample to the next).
    /// </summary>
    /// <param name="seedCounts">One entry per draw (at least one draw), each at least 1.</param>
    /// <param name="statisticCount">The number of statistics each statistic writes, at least 1.</param>
    /// <param name="createStatistic">Called on the calling thread, once per thread that evaluates resamples,
    /// before any is evaluated; the first one made also evaluates the original sample.</param>
    /// <param name="random">The stream the resamples come from; it is advanced.</param>
    /// <param name="resampleCount">B, at least 1.</param>
    /// <param name="confidenceLevel">c in (0, 1).</param>
    /// <param name="maxDegreeOfParallelism">Threads, at least 1.</param>
    /// <exception cref="InvalidOperationException">A statistic left a slot NaN.</exception>
    public static BootstrapResult Run(
        ReadOnlySpan<int> seedCounts, int statisticCount, Func<ClusterStatistic> createStatistic, RandomSource random,
        int resampleCount, double confidenceLevel, int maxDegreeOfParallelism)
    {
        int capacity = CheckSeedCounts(seedCounts);
        ThrowHelper.ThrowIfLess(statisticCount, 1);
        ArgumentNullException.ThrowIfNull(createStatistic);
        ArgumentNullException.ThrowIfNull(random);
        ThrowHelper.ThrowIfLess(resampleCount, 1);
        ThrowHelper.ThrowIfLess(maxDegreeOfParallelism, 1);
        if (!(confidenceLevel > 0 && confidenceLevel < 1))
            ThrowHelper.ThrowOutOfRange(nameof(confidenceLevel), confidenceLevel, "Must be a number in (0, 1).");

        if ((long)statisticCount * resampleCount > Array.MaxLength)
            ThrowHelper.ThrowOutOfRange(nameof(resampleCount), resampleCount, $"Times statisticCount ({statisticCount}) must fit in an array.");

        int workers = Math.Min(maxDegreeOfParallelism, resampleCount);
        var statistics = new ClusterStatistic[workers];
        for (int w = 0; w < workers; w++)
            statistics[w] = createStatistic() ?? throw new InvalidOperationException("createStatistic returned null.");

        int drawCount = seedCounts.Length;
        // Resamples are drawn a chunk at a time, in the contract's order, then evaluated: one at a time on one thread,
        // ChunkResamples at a time shared among several.
        int chunkSize = workers == 1 ? 1 : Math.Clamp(ChunkSeedIndices / capacity, 1, Math.Min(ChunkResamples, resampleCount));
        var chunk = new ResampleChunk(chunkSize, drawCount, capacity, statisticCount, resampleCount);
        double[][] slots = new double[workers][];
        for (int w = 0; w < workers; w++)
            slots[w] = new double[statisticCount];
        double[] estimates = new double[statisticCount];

        // The original sample: every draw once, every seed once, in order.
        int offset = 0;
        for (int d = 0; d < drawCount; d++)
        {
            chunk.DrawIndices[d] = d;
            chunk.SeedOffsets[d] = offset;
            for (int s = 0; s < seedCounts[d]; s++)
                chunk.SeedIndices[offset++] = s;
        }
        chunk.SeedOffsets[drawCount] = offset;
        Evaluate(statistics[0], new ClusterResample(-1, chunk.DrawIndices.AsSpan(0, drawCount), chunk.SeedIndices.AsSpan(0, offset),
            chunk.SeedOffsets.AsSpan(0, drawCount + 1)), slots[0]);
        slots[0].CopyTo(estimates, 0);

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = workers };
        for (int first = 0; first < resampleCount; first += chunk.Size)
        {
            int count = Math.Min(chunk.Size, resampleCount - first);
            for (int i = 0; i < count; i++)
                chunk.Draw(i, seedCounts, random);
            if (workers == 1 || count == 1)
            {
                for (int i = 0; i < count; i++)
                    chunk.Evaluate(statistics[0], slots[0], first, i);
            }
            else
            {
                chunk.EvaluateInParallel(statistics, slots, first, count, parallel);
            }
        }

        var intervals = new ConfidenceInterval[statisticCount];
        double[] sorted = new double[resampleCount];
        for (int j = 0; j < statisticCount; j++)
        {
            chunk.Replicates.AsSpan(j * resampleCount, resampleCount).CopyTo(sorted);
            intervals[j] = PercentileInterval(estimates[j], sorted, confidenceLevel);
        }
        return new BootstrapResult(intervals, chunk.Replicates, resampleCount, confidenceLevel);
    }

    // The indices of up to Size resamples, drawn together, and the replicates they fill (statistic j's of resample b
    // at j·B + b). Resample i of the chunk has its draws at [i·D, (i + 1)·D), its seeds from i·capacity and its
    // offsets (relative to its seeds) at [i·(D + 1), (i + 1)·(D + 1)).
    private sealed class ResampleChunk(int size, int drawCount, int capacity, int statisticCount, int resampleCount)
    {
        public int Size { get; } = size;

        public int[] DrawIndices { get; } = new int[size * drawCount];

        public int[] SeedIndices { get; } = new int[checked(size * capacity)];

        public int[] SeedOffsets { get; } = new int[size * (drawCount + 1)];

        public double[] Replicates { get; } = new double[statisticCount * resampleCount];

        private readonly int[] _seedTotals = new int[size];

        // Resample i of the chunk from random, in the contract's order: per position a draw, then its seeds.
        public void Draw(int i, ReadOnlySpan<int> seedCounts, RandomSource random)
        {
            Span<int> draws = DrawIndices.AsSpan(i * drawCount, drawCount), seeds = SeedIndices.AsSpan(i * capacity, capacity);
            Span<int> offsets = SeedOffsets.AsSpan(i * (drawCount + 1), drawCount + 1);
            int offset = 0;
            for (int k = 0; k < drawCount; k++)
            {
                int d = random.NextInt(drawCount);
                int seedCount = seedCounts[d];
                draws[k] = d;
                offsets[k] = offset;
                for (int s = 0; s < seedCount; s++)
                    seeds[offset++] = random.NextInt(seedCount);
            }
            offsets[drawCount] = offset;
            _seedTotals[i] = offset;
        }

        // Resample first + i, held at i, into its replicates.
        public void Evaluate(ClusterStatistic statistic, double[] slots, int first, int i)
        {
            int b = first + i;
            ClusterBootstrap.Evaluate(statistic, new ClusterResample(b, DrawIndices.AsSpan(i * drawCount, drawCount),
                SeedIndices.AsSpan(i * capacity, _seedTotals[i]), SeedOffsets.AsSpan(i * (drawCount + 1), drawCount + 1)), slots);
            for (int j = 0; j < statisticCount; j++)
                Replicates[j * resampleCount + b] = slots[j];
        }

        // Thread w takes resamples w, w + workers, …: each writes only its own replicates. A statistic's exception
        // comes out as itself, as on one thread.
        public void EvaluateInParallel(ClusterStatistic[] statistics, double[][] slots, int first, int count, ParallelOptions parallel)
        {
            try
            {
                Parallel.For(0, statistics.Length, parallel, w =>
                {
                    for (int i = w; i < count; i += statistics.Length)
                        Evaluate(statistics[w], slots[w], first, i);
                });
            }
            catch (AggregateException e)
            {
                ExceptionDispatchInfo.Throw(e.Flatten().InnerExceptions[0]);
            }
        }
    }

    // Resamples drawn at a time when several threads evaluate them: enough to keep the threads busy between draws
    // (a resample's statistic is typically a sigmoid fit per curve, tens of microseconds), few enough that their
    // indices stay small beside the replicates.
    private const int ChunkResamples = 64;

    // The most seed indices a chunk holds (16 MB): a chunk of many draws takes fewer resamples.
    private const int ChunkSeedIndices = 1 << 22;

    /// <summary>
    /// Runs the bootstrap for one statistic of the pooled values: <paramref name="values"/>[d][s] is the value
    /// of seed s in draw d, and each resample's values are gathered position by position (each picked draw's
    /// picked seeds, in order) into one buffer that <paramref name="statistic"/> receives.
    /// </summary>
    /// <param name="values">One array per draw (at least one), each non-empty, no NaN; ±∞ marks censored values.</param>
    /// <param name="statistic">For example <see cref="Descriptive.Median"/>.</param>
    /// <param name="random">The stream the resamples come from; it is advanced.</param>
    /// <param name="resampleCount">B, at least 1.</param>
    /// <param name="confidenceLevel">c in (0, 1).</param>
    public static BootstrapResult Run(
        IReadOnlyList<double[]> values, SampleStatistic statistic, RandomSource random,
        int resampleCount = DefaultResampleCount, double confidenceLevel = DefaultConfidenceLevel)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(statistic);
        if (values.Count == 0)
            ThrowHelper.ThrowArgument(nameof(values), "Must hold at least one draw.");
        int[] seedCounts = new int[values.Count];
        for (int d = 0; d < values.Count; d++)
        {
            double[]? draw = values[d];
            if (draw is null || draw.Length == 0)
                ThrowHelper.ThrowArgument(nameof(values), $"Draw {d} must hold at least one value.");
            for (int s = 0; s < draw.Length; s++)
            {
                if (double.IsNaN(draw[s]))
                    ThrowHelper.ThrowArgument(nameof(values), $"Must not hold NaN (±∞ is allowed); draw {d}, seed {s} is NaN.");
            }
            seedCounts[d] = draw.Length;
        }

        double[] pooled = new double[CheckSeedCounts(seedCounts)];
        return Run(seedCounts, 1, (resample, destination) =>
        {
            int count = 0;
            for (int k = 0; k < resample.DrawCount; k++)
            {
                double[] draw = values[resample.DrawIndices[k]];
                foreach (int s in resample.SeedIndices(k))
                    pooled[count++] = draw[s];
            }
            destination[0] = statistic(pooled.AsSpan(0, count));
        }, random, resampleCount, confidenceLevel);
    }

    /// <summary>Sorts <paramref name="replicates"/> in place and returns the percentile interval.</summary>
    internal static ConfidenceInterval PercentileInterval(double estimate, Span<double> replicates, double confidenceLevel)
    {
        replicates.Sort();
        int high = 0, low = 0;
        foreach (double x in replicates)
        {
            if (double.IsPositiveInfinity(x))
                high++;
            else if (double.IsNegativeInfinity(x))
                low++;
        }
        double lower = Descriptive.Type7(replicates, (1 - confidenceLevel) / 2);
        double upper = Descriptive.Type7(replicates, (1 + confidenceLevel) / 2);
        return new ConfidenceInterval(estimate, lower, upper, confidenceLevel, replicates.Length, high, low);
    }

    private static void Evaluate(ClusterStatistic statistic, ClusterResample resample, double[] slots)
    {
        slots.AsSpan().Fill(double.NaN);
        statistic(resample, slots);
        for (int j = 0; j < slots.Length; j++)
        {
            if (double.IsNaN(slots[j]))
            {
                string which = resample.IsOriginal ? "the original sample" : $"resample {resample.Index}";
                throw new InvalidOperationException(
                    $"The statistic left slot {j} NaN on {which}; write a number, or ±∞ for a censored value.");
            }
        }
    }

    // Each draw needs at least one seed; returns the largest possible resample size, D · max S_d.
    private static int CheckSeedCounts(ReadOnlySpan<int> seedCounts)
    {
        if (seedCounts.IsEmpty)
            ThrowHelper.ThrowArgument(nameof(seedCounts), "Must hold at least one draw.");
        int max = 0;
        for (int d = 0; d < seedCounts.Length; d++)
        {
            if (seedCounts[d] < 1)
                ThrowHelper.ThrowOutOfRange(nameof(seedCounts), seedCounts[d], $"Every draw needs at least 1 seed; draw {d} has {seedCounts[d]}.");
            max = Math.Max(max, seedCounts[d]);
        }
        long capacity = (long)max * seedCounts.Length;
        if (capacity > Array.MaxLength)
            ThrowHelper.ThrowArgument(nameof(seedCounts), $"A resample could hold {capacity} seeds, more than an array can.");
        return (int)capacity;
    }
}
