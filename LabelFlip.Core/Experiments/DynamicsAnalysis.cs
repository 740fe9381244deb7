using System.Collections.Immutable;
using System.Globalization;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Random;
using LabelFlip.Core.Statistics;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// What the recorded learning dynamics of a sweep say, per curve point (the curves of <see cref="SweepAnalysis"/>,
/// each at each poison fraction): the oracle early stop and the accuracy it saves, and the epoch by which half of the
/// flipped rows are memorised. Pure and deterministic, like the rest of the analysis.
/// </summary>
/// <remarks>
/// <para><b>Mean curves.</b> A point's runs (every data draw × seed) recorded the same epochs; each quantity is
/// averaged over them epoch by epoch, and the findings are read off the mean curves.</para>
/// <para><b>Findings.</b> The oracle early stop is the first recorded epoch at which mean test accuracy is highest
/// (<see cref="BestEpochIndex"/>); the accuracy saved is that maximum minus the mean test accuracy at the last epoch.
/// The half-memorised epoch is the first recorded epoch at which mean memorization reaches
/// <see cref="HalfMemorized"/> (<see cref="HalfMemorizedIndex"/>); when it never does, it is censored: "not
/// reached" within the run's epochs, never a number.</para>
/// <para><b>Intervals.</b> With two data draws or more, a two-stage cluster bootstrap (<see cref="ClusterBootstrap"/>:
/// whole draws with replacement, then each picked draw's seeds) recomputes the mean curves of every point per resample;
/// percentile intervals; a resample that never reaches half memorization counts as +∞ (rank-based, as the thresholds
/// of <see cref="DrawAnalysis"/>). Every point shares each resample's draws and seeds. The resamples come from
/// <c>new RandomSource(DrawAnalysis.BootstrapSeed(config), StreamKey.Of("bootstrap.dynamics"))</c>
/// (<see cref="Stream"/>), so the result depends on the config and the records only.</para>
/// <para><b>Memory.</b> The records are read in one pass; the bootstrap resamples runs, so each run's recorded test
/// accuracy, memorization and clean accuracy are held (three numbers per recorded epoch): unlike the rest of the
/// analysis, a sweep that records its dynamics holds memory in proportion to runs × recorded epochs.</para>
/// </remarks>
public static class DynamicsAnalysis
{
    /// <summary>The memorization rate at which half of the flipped rows are memorised.</summary>
    public const double HalfMemorized = 0.5;

    /// <summary>The largest poison fraction that <c>dynamics.svg</c> chooses: poison that a network can still learn
    /// through, where memorization and early stopping matter.</summary>
    public const double ChartFractionLimit = 0.3;

    /// <summary>The stream name of the bootstrap.</summary>
    public const string Stream = "bootstrap.dynamics";

    // Bootstrap slots per point.
    private const int BestSlot = 0, SavedSlot = 1, HalfSlot = 2, Slots = 3;

    /// <summary>
    /// The index of the oracle early stop in <paramref name="testAccuracy"/>: its first largest value.
    /// </summary>
    /// <param name="testAccuracy">Test accuracy per recorded epoch; at least one value, none NaN.</param>
    public static int BestEpochIndex(ReadOnlySpan<double> testAccuracy)
    {
        if (testAccuracy.IsEmpty)
            throw new ArgumentException("Must hold at least one value.", nameof(testAccuracy));
        int best = 0;
        for (int i = 1; i < testAccuracy.Length; i++)
        {
            if (testAccuracy[i] > testAccuracy[best])
                best = i;
        }
        return best;
    }

    /// <summary>
    /// The index of the first value of <paramref name="memorization"/> at or above <see cref="HalfMemorized"/>;
    /// −1 when none is (not reached).
    /// </summary>
    /// <param name="memorization">Memorization rate per recorded epoch.</param>
    public static int HalfMemorizedIndex(ReadOnlySpan<double> memorization)
    {
        for (int i = 0; i < memorization.Length; i++)
        {
            if (memorization[i] >= HalfMemorized)
                return i;
        }
        return -1;
    }

    /// <summary>
    /// Analyses the dynamics of <paramref name="records"/>; null when no run recorded them. A point some of whose
    /// runs did not record them (a <c>training.record_every</c> axis with null) is left out.
    /// </summary>
    /// <param name="config">The sweep.</param>
    /// <param name="records">One record per run, in plan order.</param>
    /// <param name="resampleCount">Bootstrap resamples, at least 1 (used with two data draws or more).</param>
    /// <param name="maxDegreeOfParallelism">Threads that evaluate the resamples, at least 1; the intervals are the same
    /// bits on any number.</param>
    public static DynamicsSummary? Analyze(SweepConfig config, IReadOnlyList<RunRecord> records, int resampleCount = ClusterBootstrap.DefaultResampleCount,
                                           int maxDegreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(records);
        if (resampleCount < 1)
            throw new ArgumentOutOfRangeException(nameof(resampleCount), resampleCount, "Must be at least 1.");
        if (maxDegreeOfParallelism < 1)
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Must be at least 1.");
        // Records read back from a run log know whether any has dynamics without a pass over them.
        if (records is RunRecords known ? !known.AnyDynamics : !records.Any(r => r.Dynamics is not null))
            return null;

        int fractionAxis = IndexOf(config, SweepAnalysis.FractionAxis);
        int dataAxis = IndexOf(config, DrawAnalysis.DataSeedAxis);
        int seedAxis = IndexOf(config, DrawAnalysis.SeedAxis);
        int draws = dataAxis >= 0 ? config.Axes[dataAxis].Values.Length : 1;
        int seeds = seedAxis >= 0 ? config.Axes[seedAxis].Values.Length : 1;
        int[] curveAxes = [.. Enumerable.Range(0, config.Axes.Length)
            .Where(a => a != fractionAxis && !SweepAnalysis.ReplicateAxes.Contains(config.Axes[a].Path))];
        ImmutableArray<string> curvePaths = [.. curveAxes.Select(a => config.Axes[a].Path)];

        // Points by curve (plan order of first appearance), then fraction; each holds its runs at [d·S + s].
        var curveOrder = new List<string>();
        var curves = new Dictionary<string, (ImmutableArray<string> Coordinates, SortedDictionary<double, RunCurves?[]> ByFraction)>(StringComparer.Ordinal);
        foreach (RunRecord record in records)
        {
            ImmutableArray<string> coordinates = [.. curveAxes.Select(a => record.Coordinates[a])];
            string key = string.Join('\u001f', coordinates);
            if (!curves.TryGetValue(key, out var curve))
            {
                curves.Add(key, curve = (coordinates, new SortedDictionary<double, RunCurves?[]>()));
                curveOrder.Add(key);
            }
            double fraction = fractionAxis >= 0 ? SweepAnalysis.ParseNumber(record.Coordinates[fractionAxis]) : config.Base.Poison.Fraction;
            if (!curve.ByFraction.TryGetValue(fraction, out RunCurves?[]? cells))
                curve.ByFraction.Add(fraction, cells = new RunCurves?[draws * seeds]);
            int d = dataAxis >= 0 ? config.Axes[dataAxis].Values.IndexOf(record.Coordinates[dataAxis]) : 0;
            int s = seedAxis >= 0 ? config.Axes[seedAxis].Values.IndexOf(record.Coordinates[seedAxis]) : 0;
            cells[d * seeds + s] = RunCurves.Of(record.Dynamics);
        }

        var groups = new List<(ImmutableArray<string> Coordinates, string Label, double Fraction, RunCurves[] Runs)>();
        foreach (string key in curveOrder)
        {
            (ImmutableArray<string> coordinates, SortedDictionary<double, RunCurves?[]> byFraction) = curves[key];
            foreach ((double fraction, RunCurves?[] cells) in byFraction)
            {
                if (cells.All(c => c is not null))
                    groups.Add((coordinates, SweepAnalysis.Label(curvePaths, coordinates), fraction, [.. cells.Select(c => c!)]));
            }
        }

        DynamicsIntervals?[] intervals = draws >= 2
            ? Bootstrap(config, groups.Select(g => g.Runs).ToArray(), draws, seeds, resampleCount, maxDegreeOfParallelism)
            : new DynamicsIntervals?[groups.Count];
        var points = ImmutableArray.CreateBuilder<DynamicsPoint>(groups.Count);
        for (int g = 0; g < groups.Count; g++)
        {
            (ImmutableArray<string> coordinates, string label, double fraction, RunCurves[] runs) = groups[g];
            RunCurves first = runs[0];
            double[] test = Mean(runs, r => r.TestAccuracy, AllIndices(runs.Length));
            double[] memorization = AllFlipped(runs) ? Mean(runs, r => r.MemorizationRate, AllIndices(runs.Length)) : [];
            double[] clean = runs.All(r => r.HasCleanRows) ? Mean(runs, r => r.CleanAccuracy, AllIndices(runs.Length)) : [];
            int best = BestEpochIndex(test);
            int half = AllFlipped(runs) ? HalfMemorizedIndex(memorization) : -1;
            points.Add(new DynamicsPoint(coordinates, label, fraction, runs.Length, first.Epochs, [.. test], [.. memorization], [.. clean],
                first.Epochs[best], test[best] - test[^1], half >= 0 ? first.Epochs[half] : null, intervals[g]));
        }

        double[] fractions = fractionAxis >= 0 ? [.. config.Axes[fractionAxis].Values.Select(SweepAnalysis.ParseNumber).Order()] : [config.Base.Poison.Fraction];
        double chart = fractions.Where(f => f <= ChartFractionLimit).DefaultIfEmpty(fractions[0]).Max();
        return new DynamicsSummary(points.MoveToImmutable(), draws, seeds, draws >= 2 ? resampleCount : 0, ClusterBootstrap.DefaultConfidenceLevel, chart);
    }

    private static int IndexOf(SweepConfig config, string path) =>
        config.Axis(path) is SweepAxis axis ? config.Axes.IndexOf(axis) : -1;

    // Memorization is averaged only where every run flipped rows (a model whose counts vary by draw may flip none in one).
    private static bool AllFlipped(RunCurves[] runs) => runs.All(r => r.HasFlippedRows);

    private static int[] AllIndices(int count) => [.. Enumerable.Range(0, count)];

    // The mean over the runs picked (with repeats) of one quantity, epoch by epoch; runs summed in pick order.
    private static double[] Mean(RunCurves[] runs, Func<RunCurves, ImmutableArray<double>> quantity, ReadOnlySpan<int> picked)
    {
        double[] mean = new double[quantity(runs[0]).Length];
        foreach (int r in picked)
        {
            ImmutableArray<double> values = quantity(runs[r]);
            for (int e = 0; e < mean.Length; e++)
                mean[e] += values[e];
        }
        for (int e = 0; e < mean.Length; e++)
            mean[e] /= picked.Length;
        return mean;
    }

    // Each thread's statistic has its own array of picked runs (ClusterBootstrap's factory).
    private static DynamicsIntervals?[] Bootstrap(SweepConfig config, RunCurves[][] groups, int draws, int seeds, int resampleCount,
                                                  int maxDegreeOfParallelism)
    {
        int[] seedCounts = [.. Enumerable.Repeat(seeds, draws)];
        BootstrapResult result = ClusterBootstrap.Run(seedCounts, Math.Max(1, groups.Length * Slots),
            () => Statistic(groups, seeds, new int[draws * seeds]),
            new RandomSource(DrawAnalysis.BootstrapSeed(config), StreamKey.Of(Stream)), resampleCount, ClusterBootstrap.DefaultConfidenceLevel,
            maxDegreeOfParallelism);

        return [.. groups.Select((runs, g) => (DynamicsIntervals?)new DynamicsIntervals(
            result.Interval(g * Slots + BestSlot), result.Interval(g * Slots + SavedSlot),
            AllFlipped(runs) ? result.Interval(g * Slots + HalfSlot) : null))];
    }

    // The statistic of one resample: per point, the best epoch, the accuracy it saves and the half-memorised epoch of
    // the mean curves of the runs picked.
    private static ClusterStatistic Statistic(RunCurves[][] groups, int seeds, int[] picked) =>
        (resample, destination) =>
        {
            int n = 0;
            for (int k = 0; k < resample.DrawCount; k++)
            {
                int d = resample.DrawIndices[k];
                foreach (int s in resample.SeedIndices(k))
                    picked[n++] = d * seeds + s;
            }
            for (int g = 0; g < groups.Length; g++)
            {
                RunCurves[] runs = groups[g];
                ImmutableArray<int> epochs = runs[0].Epochs;
                double[] test = Mean(runs, r => r.TestAccuracy, picked.AsSpan(0, n));
                int best = BestEpochIndex(test);
                destination[g * Slots + BestSlot] = epochs[best];
                destination[g * Slots + SavedSlot] = test[best] - test[^1];
                double half = 0; // a point without flipped rows has no half-memorised epoch; the slot is not reported
                if (AllFlipped(runs))
                {
                    int index = HalfMemorizedIndex(Mean(runs, r => r.MemorizationRate, picked.AsSpan(0, n)));
                    half = index >= 0 ? epochs[index] : double.PositiveInfinity;
                }
                destination[g * Slots + HalfSlot] = half;
            }
        };

    /// <summary>"epoch 40", or "not reached (within 200 epochs)" for a censored half-memorised epoch.</summary>
    internal static string HalfMemorizedText(DynamicsPoint point) =>
        !point.HasFlippedRows ? "no flipped rows"
        : point.HalfMemorizedEpoch is int epoch ? string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}")
        : string.Create(CultureInfo.InvariantCulture, $"not reached (within {point.Epochs[^1]} epochs)");

    // What the analysis uses of a run's recorded dynamics, and nothing else: the bootstrap resamples runs, so every run
    // of a point is held until the end; dropping the quantities it does not use (the losses, the flipped rows' true-label
    // accuracy) keeps a sweep that records its dynamics smaller.
    private sealed record RunCurves(ImmutableArray<int> Epochs, ImmutableArray<double> TestAccuracy, ImmutableArray<double> MemorizationRate,
                                    ImmutableArray<double> CleanAccuracy, bool HasFlippedRows, bool HasCleanRows)
    {
        public static RunCurves? Of(TrainingDynamics? dynamics) => dynamics is null ? null
            : new(dynamics.Epochs, dynamics.TestAccuracy, dynamics.MemorizationRate, dynamics.CleanAccuracy, dynamics.HasFlippedRows, dynamics.HasCleanRows);
    }
}
