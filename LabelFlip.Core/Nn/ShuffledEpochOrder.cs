using LabelFlip.Core.Random;

namespace LabelFlip.Core.Nn;

/// <summary>
/// The default epoch order: every epoch resets the order to 0, 1, …, n − 1 and shuffles it with
/// <see cref="RandomSource.Shuffle{T}"/> on the given stream (Fisher–Yates, n − 1 bounded draws per epoch).
/// </summary>
/// <param name="random">The stream to shuffle with; advanced by every epoch. In a training run it is the run's
/// stream, continued after the initialisation's draws.</param>
public sealed class ShuffledEpochOrder(RandomSource random) : IEpochOrder
{
    private readonly RandomSource _random = random ?? throw new ArgumentNullException(nameof(random));

    /// <inheritdoc />
    public void NextEpoch(Span<int> order)
    {
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        _random.Shuffle(order);
    }
}
