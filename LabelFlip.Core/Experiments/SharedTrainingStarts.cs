using System.Collections.Concurrent;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// What the runs of one data part share before training: a run's initial network and its epochs' row orders depend
/// on its seed, its network's shape and its row count, not on its labels. So the poison fractions of one seed and
/// width (and, with the study's streams, where the sampler is seeded by the run's seed alone, every run of one seed)
/// start from the same network and visit the rows in the same orders. Each is drawn once, on first use, and every
/// run replays it: the same draws from the same streams, so the same bits as drawing them per run.
/// </summary>
/// <remarks>Memory is bounded: past <see cref="BudgetBytes"/> of recorded orders, a run draws its own start, epoch by
/// epoch, and nothing is kept (the study's 9 starts take 2.5 MB; a sweep of many seeds on 60,000 rows would not fit).</remarks>
internal sealed class SharedTrainingStarts
{
    /// <summary>The most bytes of recorded orders kept for one data part.</summary>
    public const long BudgetBytes = 32L << 20;

    private readonly ConcurrentDictionary<string, Lazy<(Mlp? Initial, RecordedEpochOrders Orders)>> _starts = new();
    private readonly long _budgetBytes;
    private long _bytes;

    /// <param name="budgetBytes">The most bytes of recorded orders to keep.</param>
    public SharedTrainingStarts(long budgetBytes = BudgetBytes) => _budgetBytes = budgetBytes;

    /// <summary>How many starts are kept.</summary>
    public int KeptCount => _starts.Count;

    /// <summary>Our streams: the network from <paramref name="random"/>'s first draws
    /// (<see cref="Mlp.CreateInitialized(int, IReadOnlyList{int}, int, RandomSource)"/>), then one shuffle of
    /// <paramref name="rowCount"/> rows per epoch from the same stream (<see cref="ShuffledEpochOrder"/>), as
    /// <see cref="MlpTrainer"/> draws them. <paramref name="random"/> must be fresh, seeded by <paramref name="seed"/>
    /// and the training stream's key; it is used only when the start is not kept yet, or cannot be.</summary>
    public (Mlp Initial, IEpochOrder Order) Ours(ulong seed, int featureCount, IReadOnlyList<int> hiddenWidths, int classCount,
                                                 int rowCount, int epochs, Func<RandomSource> random)
    {
        string key = $"ours {seed} {featureCount} {string.Join('x', hiddenWidths)} {classCount} {rowCount} {epochs}";
        if (Kept(key, rowCount, epochs, () =>
            {
                RandomSource stream = random();
                Mlp network = Mlp.CreateInitialized(featureCount, hiddenWidths, classCount, stream);
                return (network, RecordedEpochOrders.Record(new ShuffledEpochOrder(stream), rowCount, epochs));
            }) is { } kept)
            return (kept.Initial!, kept.Orders.Replay());
        // Past the budget: the run draws its own, epoch by epoch, as the trainer would.
        RandomSource own = random();
        return (Mlp.CreateInitialized(featureCount, hiddenWidths, classCount, own), new ShuffledEpochOrder(own));
    }

    /// <summary>The study's streams: the epoch orders of PyTorch's sampler seeded by <paramref name="seed"/>
    /// (<see cref="TorchRandomSampler"/>).</summary>
    public IEpochOrder Study(ulong seed, int rowCount, int epochs) =>
        Kept($"study {seed} {rowCount} {epochs}", rowCount, epochs,
            () => (null, RecordedEpochOrders.Record(new TorchRandomSampler(rowCount, seed), rowCount, epochs))) is { } kept
            ? kept.Orders.Replay()
            : new TorchRandomSampler(rowCount, seed);

    // The start kept under key, drawn now if it is new and fits the budget; null if it does not fit, so that a run
    // past the budget draws its orders epoch by epoch rather than recording all of them for itself.
    private (Mlp? Initial, RecordedEpochOrders Orders)? Kept(string key, int rowCount, int epochs, Func<(Mlp?, RecordedEpochOrders)> draw)
    {
        if (_starts.TryGetValue(key, out var kept))
            return kept.Value;
        long bytes = RecordedEpochOrders.Bytes(rowCount, epochs);
        if (Interlocked.Add(ref _bytes, bytes) > _budgetBytes)
        {
            Interlocked.Add(ref _bytes, -bytes);
            return null;
        }
        var start = new Lazy<(Mlp?, RecordedEpochOrders)>(draw, LazyThreadSafetyMode.ExecutionAndPublication);
        Lazy<(Mlp?, RecordedEpochOrders)> winner = _starts.GetOrAdd(key, start);
        if (!ReferenceEquals(winner, start))
            Interlocked.Add(ref _bytes, -bytes); // another thread kept it first
        return winner.Value;
    }
}
