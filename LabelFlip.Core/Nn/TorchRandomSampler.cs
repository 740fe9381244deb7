using LabelFlip.Core.Internal;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Nn;

/// <summary>
/// The epoch orders of a PyTorch <c>DataLoader(…, shuffle=True, generator=torch.Generator().manual_seed(seed))</c>
/// with no workers, bit for bit: each epoch's row order, as indices into the training rows.
/// </summary>
/// <remarks>
/// Per epoch the DataLoader's iterator first draws its base seed, <c>torch.empty((), dtype=torch.int64)
/// .random_(generator)</c> (two 32-bit outputs, <see cref="TorchGenerator.NextInt64"/>); then
/// <c>RandomSampler.__iter__</c> yields <c>randperm(n)</c> (the order used) and, when the batch sampler asks
/// past the end, draws a second <c>randperm(n)</c> of which it yields nothing (num_samples mod n = 0). So an
/// epoch consumes 2 + 2·(n − 1) outputs. Which batch sizes or drop_last do not change this. The second permutation
/// is skipped (<see cref="TorchGenerator.SkipRandPerm"/>), not computed.
/// </remarks>
public sealed class TorchRandomSampler : IEpochOrder
{
    private readonly TorchGenerator _generator;

    /// <summary>A sampler over <paramref name="rowCount"/> rows with a generator seeded by <paramref name="seed"/>.</summary>
    /// <param name="rowCount">n, at least 1.</param>
    /// <param name="seed">The seed given to the DataLoader's generator's <c>manual_seed</c>.</param>
    public TorchRandomSampler(int rowCount, ulong seed)
    {
        ThrowHelper.ThrowIfLess(rowCount, 1);
        RowCount = rowCount;
        _generator = new TorchGenerator(seed);
    }

    /// <summary>The number of rows n.</summary>
    public int RowCount { get; }

    /// <summary>How many epochs have been drawn.</summary>
    public int EpochsDrawn { get; private set; }

    /// <summary>The next epoch's row order, a permutation of 0, 1, …, n − 1.</summary>
    public int[] NextEpoch()
    {
        int[] order = new int[RowCount];
        NextEpoch(order);
        return order;
    }

    /// <summary>Writes the next epoch's row order into <paramref name="order"/>.</summary>
    /// <param name="order">Exactly <see cref="RowCount"/> entries.</param>
    public void NextEpoch(Span<int> order)
    {
        if (order.Length != RowCount)
            ThrowHelper.ThrowArgument(nameof(order), $"Must hold {RowCount} entries; holds {order.Length}.");
        _generator.NextInt64(); // the iterator's base seed, unused without workers
        _generator.RandPerm(order);
        _generator.SkipRandPerm(RowCount);
        EpochsDrawn++;
    }
}
