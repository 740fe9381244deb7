using LabelFlip.Core.Data;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Poisoning;

/// <summary>
/// A label-poisoning strategy: chooses rows of a dataset and gives them wrong labels. Strategies may look
/// at the features too (a boundary-aware one will), so they receive the whole dataset.
/// </summary>
public interface ILabelPoisoner
{
    /// <summary>Poisons the labels of <paramref name="data"/>; <paramref name="data"/> itself is never changed.</summary>
    /// <param name="data">The clean dataset.</param>
    /// <param name="random">The stream all of the strategy's choices are drawn from.</param>
    /// <returns>The poisoned labels and which rows were flipped.</returns>
    PoisonResult Poison(Dataset data, RandomSource random);
}
