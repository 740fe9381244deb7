namespace LabelFlip.Core.Nn;

/// <summary>
/// The row orders of a run's epochs, drawn once from an <see cref="IEpochOrder"/> and replayed by any number of runs.
/// Runs that differ only in their labels (the poison fractions of one seed and width, or with the study's streams
/// every run of one seed) draw the same orders from the same stream, so a sweep draws them once: the study's
/// sampler regenerated a Mersenne Twister state and a permutation every epoch of every run, about 6 % of a run.
/// The orders are checked to be permutations when they are recorded, so the trainer does not check them again.
/// </summary>
internal sealed class RecordedEpochOrders
{
    private readonly int[] _orders; // epoch e's order at [e·n, (e + 1)·n)

    private RecordedEpochOrders(int[] orders, int rowCount, int epochs)
    {
        _orders = orders;
        RowCount = rowCount;
        Epochs = epochs;
    }

    /// <summary>The number of rows n of each epoch.</summary>
    public int RowCount { get; }

    /// <summary>The number of epochs recorded.</summary>
    public int Epochs { get; }

    /// <summary>The bytes the orders hold: what recording <paramref name="epochs"/> epochs of
    /// <paramref name="rowCount"/> rows costs.</summary>
    public static long Bytes(int rowCount, int epochs) => (long)rowCount * epochs * sizeof(int);

    /// <summary>Draws <paramref name="epochs"/> epochs of <paramref name="rowCount"/> rows from
    /// <paramref name="source"/>, as a trainer would, and checks each to be a permutation.</summary>
    /// <exception cref="ArgumentException">An epoch's order is not a permutation of the rows.</exception>
    public static RecordedEpochOrders Record(IEpochOrder source, int rowCount, int epochs)
    {
        int[] orders = new int[checked(rowCount * epochs)];
        bool[] seen = new bool[rowCount];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            Span<int> order = orders.AsSpan(epoch * rowCount, rowCount);
            source.NextEpoch(order);
            MlpTrainer.CheckPermutation(order, epoch, seen);
        }
        return new RecordedEpochOrders(orders, rowCount, epochs);
    }

    /// <summary>A fresh replay from the first epoch: an <see cref="IEpochOrder"/> of its own for one run.</summary>
    public IEpochOrder Replay() => new Replaying(this);

    /// <summary>One run's pass over the recorded orders. The trainer knows it and skips its own permutation check.</summary>
    internal sealed class Replaying(RecordedEpochOrders recorded) : IEpochOrder
    {
        private int _epoch;

        /// <summary>The recording this replays.</summary>
        public RecordedEpochOrders Recorded { get; } = recorded;

        /// <inheritdoc />
        public void NextEpoch(Span<int> order)
        {
            int n = Recorded.RowCount;
            if (order.Length != n || _epoch >= Recorded.Epochs)
                throw new InvalidOperationException($"A recording of {Recorded.Epochs} epochs of {n} rows was asked for epoch {_epoch + 1} of {order.Length} rows.");
            Recorded._orders.AsSpan(_epoch * n, n).CopyTo(order);
            _epoch++;
        }
    }
}
