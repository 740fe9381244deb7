using System.Runtime.InteropServices;
using LabelFlip.Core.Data;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Poisoning;

/// <summary>
/// A loss-maximising label-flip attack within a budget: exactly round(n·p) rows (halves to even) are flipped, those whose
/// flip raises a reference network's cross-entropy most, each to the class that network finds least likely.
/// </summary>
/// <remarks>
/// <para><b>The choice.</b> Moving row i from its label y to class j raises the network's loss on it by
/// (−log p_j) − (−log p_y) = log p_y − log p_j, which is largest for j = argmin_{c ≠ y} p_c (ties to the smaller class).
/// For a softmax, log p_y − log p_j = z_y − z_j exactly, so the increase is computed from the network's float32 logits
/// z, in double, with no exp or log: a confident network's tiny probabilities never underflow to a tie. Rows are ranked
/// by that increase, largest first, ties to the smaller row index; the first round(n·p) are flipped.</para>
/// <para><b>A greedy heuristic, not an optimal attack.</b> It scores each flip against a fixed network, one row at a time:
/// it ignores that the victim is retrained on the poisoned labels, that flips interact, and that a flip the reference
/// network already gets wrong may hurt the victim less than one near the boundary. It is a strong, cheap baseline (one
/// forward pass), not the solution of the bilevel problem of an optimal poisoning attack.</para>
/// <para>Nothing is drawn: the random stream passed to <see cref="Poison"/> is left untouched.</para>
/// </remarks>
public sealed class AdversarialLabelFlip : ILabelPoisoner
{
    /// <summary>Creates the attack.</summary>
    /// <param name="fraction">p in [0, 1].</param>
    /// <param name="reference">The network whose loss the flips raise, typically trained on the clean labels; read, never changed.</param>
    public AdversarialLabelFlip(double fraction, Mlp reference)
    {
        ThrowHelper.ThrowIfOutside(fraction, 0.0, 1.0);
        ArgumentNullException.ThrowIfNull(reference);
        Fraction = fraction;
        Reference = reference;
    }

    /// <summary>The fraction p of labels to flip.</summary>
    public double Fraction { get; }

    /// <summary>The reference network.</summary>
    public Mlp Reference { get; }

    /// <summary>Each row's loss increase if flipped, log p_y − log p_j = z_y − z_j, and the class j it would be flipped to,
    /// the least likely class other than its label (ties to the smaller class).</summary>
    /// <param name="data">Rows with the network's inputs and classes.</param>
    /// <exception cref="ArgumentException">The data's class or feature count is not the network's.</exception>
    public (double[] Increases, int[] Targets) LossIncreases(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckShape(data);
        return LossIncreasesUnchecked(data);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The data's class or feature count is not the network's.</exception>
    public PoisonResult Poison(Dataset data, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(random);
        CheckShape(data);
        (double[] increases, int[] targets) = LossIncreasesUnchecked(data);
        double[] keys = new double[increases.Length];
        for (int row = 0; row < keys.Length; row++)
            keys[row] = -increases[row]; // largest increase first; negation is exact, so ties stay ties
        int[] flipped = BoundaryLabelFlip.SmallestFirst(keys, UniformLabelFlip.FlipCount(data.RowCount, Fraction));
        int[] poisoned = data.LabelSpan.ToArray();
        foreach (int row in flipped)
            poisoned[row] = targets[row];
        return new PoisonResult(
            ImmutableCollectionsMarshal.AsImmutableArray(poisoned),
            ImmutableCollectionsMarshal.AsImmutableArray(flipped));
    }

    private void CheckShape(Dataset data)
    {
        if (data.ClassCount != Reference.ClassCount || data.FeatureCount != Reference.InputCount)
            ThrowHelper.ThrowArgument(nameof(data),
                $"The data has {data.FeatureCount} features and {data.ClassCount} classes; the network has {Reference.InputCount} inputs and {Reference.ClassCount} classes.");
    }

    private (double[] Increases, int[] Targets) LossIncreasesUnchecked(Dataset data)
    {
        int n = data.RowCount, k = Reference.ClassCount;
        float[] logits = Reference.Logits(data);
        ReadOnlySpan<int> labels = data.LabelSpan;
        double[] increases = new double[n];
        int[] targets = new int[n];
        for (int row = 0; row < n; row++)
        {
            ReadOnlySpan<float> z = logits.AsSpan(row * k, k);
            int label = labels[row];
            int least = -1;
            for (int c = 0; c < k; c++)
            {
                if (c != label && (least < 0 || z[c] < z[least]))
                    least = c;
            }
            increases[row] = (double)z[label] - z[least];
            targets[row] = least;
        }
        return (increases, targets);
    }
}
