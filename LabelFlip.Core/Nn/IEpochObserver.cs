namespace LabelFlip.Core.Nn;

/// <summary>
/// Watches a training run epoch by epoch: <see cref="MlpTrainer"/> calls <see cref="EpochCompleted"/> after every
/// epoch's last step, with the network as it stands. Recording learning dynamics and early stopping are built on it;
/// an observer that draws no random numbers and does not write to the network leaves the run's bits unchanged.
/// </summary>
public interface IEpochObserver
{
    /// <summary>Called after epoch <paramref name="epoch"/> (1-based) has taken its last step.</summary>
    /// <param name="epoch">The epoch just finished, 1 for the first.</param>
    /// <param name="model">The network being trained. Read it (or <see cref="Mlp.Clone"/> it); do not change it.</param>
    /// <param name="meanLoss">The epoch's mean training loss, as <see cref="TrainingResult.EpochLosses"/> records it.</param>
    /// <returns><see langword="true"/> to go on; <see langword="false"/> to stop training after this epoch.</returns>
    bool EpochCompleted(int epoch, Mlp model, double meanLoss);
}
