using System.Runtime.InteropServices;
using LabelFlip.Core.Data;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Poisoning;

/// <summary>
/// The study's attack: flips exactly round(n·p) labels, on rows chosen uniformly without replacement, each
/// to a uniformly random <i>different</i> class.
/// </summary>
/// <remarks>
/// The count is <see cref="Math.Round(double)"/> of the double product n·p, rounding halves to even
/// (350 × 0.05 = 17.5 → 18, 250 × 0.01 = 2.5 → 2). Draw order: the rows come from
/// <see cref="RandomSource.SampleWithoutReplacement"/>(n, count); then, for each row in the order drawn,
/// the new label is (old + 1 + NextInt(k − 1)) mod k, which is uniform over the k − 1 other classes.
/// </remarks>
public sealed class UniformLabelFlip : ILabelPoisoner
{
    /// <summary>Creates the attack for a fraction of flipped labels.</summary>
    /// <param name="fraction">p in [0, 1].</param>
    public UniformLabelFlip(double fraction)
    {
        ThrowHelper.ThrowIfOutside(fraction, 0.0, 1.0);
        Fraction = fraction;
    }

    /// <summary>The fraction p of labels to flip.</summary>
    public double Fraction { get; }

    /// <summary>How many of <paramref name="rowCount"/> labels a fraction <paramref name="fraction"/> flips: round(n·p), halves to even.</summary>
    /// <param name="rowCount">n ≥ 0.</param>
    /// <param name="fraction">p in [0, 1].</param>
    public static int FlipCount(int rowCount, double fraction)
    {
        ThrowHelper.ThrowIfLess(rowCount, 0);
        ThrowHelper.ThrowIfOutside(fraction, 0.0, 1.0);
        return (int)Math.Round(rowCount * fraction, MidpointRounding.ToEven);
    }

    /// <inheritdoc />
    public PoisonResult Poison(Dataset data, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(random);
        return PoisonValidated(data.LabelSpan, data.ClassCount, random);
    }

    /// <summary>Poisons bare labels; <paramref name="labels"/> is never changed.</summary>
    /// <param name="labels">Clean labels, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="classCount">Number of classes, at least 2 (with one class there is no other label to flip to).</param>
    /// <param name="random">The stream the choices are drawn from.</param>
    public PoisonResult Poison(ReadOnlySpan<int> labels, int classCount, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ThrowHelper.ThrowIfLess(classCount, 2);
        Dataset.ValidateLabels(labels, classCount, nameof(labels));
        return PoisonValidated(labels, classCount, random);
    }

    private PoisonResult PoisonValidated(ReadOnlySpan<int> labels, int classCount, RandomSource random)
    {
        int[] poisoned = labels.ToArray();
        int[] rows = random.SampleWithoutReplacement(labels.Length, FlipCount(labels.Length, Fraction));
        foreach (int row in rows)
            poisoned[row] = (poisoned[row] + 1 + random.NextInt(classCount - 1)) % classCount;
        Array.Sort(rows);
        return new PoisonResult(
            ImmutableCollectionsMarshal.AsImmutableArray(poisoned),
            ImmutableCollectionsMarshal.AsImmutableArray(rows));
    }
}
