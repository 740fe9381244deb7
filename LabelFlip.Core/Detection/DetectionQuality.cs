using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Detection;

/// <summary>
/// How well a detection matches the rows really flipped (the poisoner's ground truth).
/// </summary>
/// <param name="Precision">Flagged rows that were flipped ÷ flagged rows; null when nothing was flagged.</param>
/// <param name="Recall">Flipped rows that were flagged ÷ flipped rows; null when nothing was flipped.</param>
/// <param name="F1">2·P·R/(P + R) (0 when P = R = 0); null when either is null.</param>
/// <param name="Auroc">The area under the ROC curve of the scores against the flipped indicator; null unless there
/// are both flipped and clean rows.</param>
/// <param name="FlaggedCount">Rows flagged.</param>
/// <param name="FlippedCount">Rows flipped.</param>
/// <param name="TruePositiveCount">Rows flagged and flipped.</param>
public sealed record DetectionQuality(double? Precision, double? Recall, double? F1, double? Auroc, int FlaggedCount, int FlippedCount, int TruePositiveCount)
{
    /// <summary>Scores <paramref name="detection"/> against the rows really flipped.</summary>
    /// <param name="detection">The detector's scores and flags.</param>
    /// <param name="flippedRows">The rows whose label the poisoner changed, ascending and distinct, each below detection.RowCount.</param>
    /// <exception cref="ArgumentException"><paramref name="flippedRows"/> is not ascending and in range.</exception>
    public static DetectionQuality Measure(DetectionResult detection, ReadOnlySpan<int> flippedRows)
    {
        ArgumentNullException.ThrowIfNull(detection);
        bool[] flipped = new bool[detection.RowCount];
        for (int i = 0; i < flippedRows.Length; i++)
        {
            if ((uint)flippedRows[i] >= (uint)flipped.Length || (i > 0 && flippedRows[i] <= flippedRows[i - 1]))
                ThrowHelper.ThrowArgument(nameof(flippedRows), $"Must be ascending distinct rows in [0, {flipped.Length}); entry {i} is {flippedRows[i]}.");
            flipped[flippedRows[i]] = true;
        }
        int truePositives = 0;
        foreach (int row in detection.FlaggedRows)
            truePositives += flipped[row] ? 1 : 0;
        int flagged = detection.FlaggedRows.Length;
        double? precision = flagged == 0 ? null : (double)truePositives / flagged;
        double? recall = flippedRows.Length == 0 ? null : (double)truePositives / flippedRows.Length;
        double? f1 = precision is double p && recall is double r ? (p + r == 0 ? 0 : 2 * p * r / (p + r)) : null;
        return new DetectionQuality(precision, recall, f1, AreaUnderRoc(detection.Scores.AsSpan(), flipped), flagged, flippedRows.Length, truePositives);
    }

    /// <summary>
    /// The area under the ROC curve in its Mann–Whitney form: the share of (positive, negative) pairs in which the
    /// positive scores higher, a tie counting one half. Computed from mid-ranks: AUROC = (R₊ − n₊(n₊ + 1)/2)/(n₊·n₋),
    /// R₊ the sum of the positives' ranks in ascending score order, tied scores sharing their mean rank.
    /// </summary>
    /// <param name="scores">One finite score per row.</param>
    /// <param name="positive">Whether each row is a positive (flipped).</param>
    /// <returns>The AUROC in [0, 1]; null when there is no positive or no negative.</returns>
    /// <exception cref="ArgumentException">The lengths differ or a score is not finite.</exception>
    public static double? AreaUnderRoc(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive)
    {
        if (scores.Length != positive.Length)
            ThrowHelper.ThrowArgument(nameof(positive), $"Must hold one flag per score ({scores.Length}); got {positive.Length}.");
        int n = scores.Length, positives = 0;
        int[] order = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(scores[i]))
                ThrowHelper.ThrowArgument(nameof(scores), $"Must be finite; score {i} is {scores[i]}.");
            order[i] = i;
            positives += positive[i] ? 1 : 0;
        }
        int negatives = n - positives;
        if (positives == 0 || negatives == 0)
            return null;
        double[] keys = scores.ToArray();
        Array.Sort(keys, order);
        // Twice the positives' rank sum, so a mid-rank (first + last)/2 of 1-based ranks stays an integer: exact in double.
        double twiceRankSum = 0;
        for (int start = 0; start < n;)
        {
            int end = start + 1;
            while (end < n && keys[end] == keys[start])
                end++;
            int tiedPositives = 0;
            for (int i = start; i < end; i++)
                tiedPositives += positive[order[i]] ? 1 : 0;
            twiceRankSum += (double)tiedPositives * (start + 1 + end); // mid-rank of 1-based ranks start+1 … end, times 2
            start = end;
        }
        double u = twiceRankSum / 2 - (double)positives * (positives + 1) / 2;
        return u / ((double)positives * negatives);
    }
}
