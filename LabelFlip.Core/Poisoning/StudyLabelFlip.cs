using System.Runtime.InteropServices;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Poisoning;

/// <summary>
/// The study's attack exactly as its NumPy code drew it, over the WHOLE data set (the training rows are
/// taken afterwards, the test labels stay clean). LabelFlip's own attack is <see cref="UniformLabelFlip"/>.
/// </summary>
/// <remarks>
/// With poison seed s = seed + int(p·1000) (<see cref="PoisonSeed"/>), one
/// <c>numpy.random.RandomState(s)</c> draws victims = the first round(n·p) of <c>permutation(n)</c>
/// (<see cref="FlipCount"/>), then, for each victim in that order, r = <c>randint(0, k − 1)</c> and the new
/// label is the r-th of the other classes in ascending order (r if r &lt; old, else r + 1), uniform over the
/// k − 1 other classes.
/// </remarks>
public static class StudyLabelFlip
{
    /// <summary>
    /// The study's poison seed: seed + int(fraction·1000), the product rounded to double and then truncated
    /// toward zero as Python's <c>int</c> does. (Every fraction with up to three decimals, 0.29 or 0.57 say,
    /// gives the exact integer: the product rounds onto it.)
    /// </summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="fraction">p in [0, 1].</param>
    public static long PoisonSeed(long seed, double fraction)
    {
        ThrowHelper.ThrowIfOutside(fraction, 0.0, 1.0);
        return seed + (long)(fraction * 1000.0);
    }

    /// <summary>How many of <paramref name="rowCount"/> labels are flipped: round(n·p), halves to even as Python's <c>round</c>.</summary>
    /// <param name="rowCount">n ≥ 0.</param>
    /// <param name="fraction">p in [0, 1].</param>
    public static int FlipCount(int rowCount, double fraction) => UniformLabelFlip.FlipCount(rowCount, fraction);

    /// <summary>Flips the labels of the whole data set as the study did; <paramref name="labels"/> is never changed.</summary>
    /// <param name="labels">Clean labels of every row, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="classCount">k, at least 2.</param>
    /// <param name="fraction">p in [0, 1].</param>
    /// <param name="seed">The run's seed; <see cref="PoisonSeed"/> must be in [0, 2³² − 1].</param>
    public static PoisonResult Poison(ReadOnlySpan<int> labels, int classCount, double fraction, long seed)
    {
        ThrowHelper.ThrowIfLess(classCount, 2);
        Data.Dataset.ValidateLabels(labels, classCount, nameof(labels));
        long poisonSeed = PoisonSeed(seed, fraction);
        if (poisonSeed < 0 || poisonSeed > NumPyRandomState.MaxSeed)
            ThrowHelper.ThrowOutOfRange(nameof(seed), seed,
                $"seed + int(fraction·1000) = {poisonSeed} must be in [0, {NumPyRandomState.MaxSeed}], as numpy.random.RandomState requires.");

        var random = new NumPyRandomState(poisonSeed);
        int[] poisoned = labels.ToArray();
        int[] victims = random.Permutation(labels.Length)[..FlipCount(labels.Length, fraction)];
        foreach (int row in victims)
        {
            int r = (int)random.RandInt(0, classCount - 1);
            poisoned[row] = r < poisoned[row] ? r : r + 1;
        }
        Array.Sort(victims);
        return new PoisonResult(
            ImmutableCollectionsMarshal.AsImmutableArray(poisoned),
            ImmutableCollectionsMarshal.AsImmutableArray(victims));
    }
}
