namespace LabelFlip.Core.Nn;

/// <summary>
/// The order in which <see cref="MlpTrainer"/> visits the training rows, epoch by epoch. The trainer calls
/// <see cref="NextEpoch"/> once at the start of every epoch, in epoch order, and walks the rows in the order written,
/// in batches. <see cref="ShuffledEpochOrder"/> is the default (a fresh shuffle from the run's stream per epoch);
/// implement this to reproduce another framework's data loader exactly.
/// </summary>
public interface IEpochOrder
{
    /// <summary>
    /// Writes the next epoch's order: a permutation of 0, 1, …, n − 1 where n = <paramref name="order"/>.Length
    /// (the trainer checks that it is one). The span's previous content is the last epoch's order (unspecified before
    /// the first epoch) and must not be relied on.
    /// </summary>
    /// <param name="order">n slots, one per training row.</param>
    void NextEpoch(Span<int> order);
}
