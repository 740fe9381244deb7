using System.Collections.Immutable;
using System.Runtime.InteropServices;
using LabelFlip.Core.Data;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Detection;

/// <summary>
/// Confident learning (Northcutt, Jiang and Chuang, JAIR 70, 2021): estimates the joint distribution of given and
/// true labels from out-of-fold predicted probabilities and prunes the rows it most confidently finds mislabelled
/// ("prune by noise rate").
/// </summary>
/// <remarks>
/// <para><b>Out-of-fold probabilities.</b> The rows are split into K stratified folds: one shuffle of all row indices
/// from the stream (seed, "folds"), then each class's rows, in shuffled order, dealt to folds 0, 1, …, K − 1, 0, …
/// with one counter running over the classes in label order (so folds differ in size by one at most). For each fold f
/// a network of the given widths is trained on the other folds with the given options from the stream
/// (seed, "fold", f), and the softmax of its logits (in double, with a deterministic exp) is p̂ for the fold's rows.</para>
/// <para><b>Estimates</b> (paper symbol → name): t_j → <see cref="ConfidentLearningResult.Thresholds"/>, the mean
/// p̂_j over the rows labelled j. C_{ỹ,y*} → <see cref="ConfidentLearningResult.ConfidentJoint"/>: a row labelled i
/// counts in C[i][j] for j the class of largest p̂_j among the classes with p̂_j ≥ t_j (ties to the lower class;
/// exactly ≥, without cleanlab's 10⁻⁶ slack); a row with no such class is not counted. Calibration: row i of C is
/// scaled to the n_i rows labelled i (a row of C with no count puts n_i on the diagonal), then Q = C̃/n
/// (<see cref="ConfidentLearningResult.Joint"/>). Noise rate: 1 − trace Q.</para>
/// <para><b>Prune by noise rate.</b> For each off-diagonal cell (i, j), the round(n·Q[i][j]) rows labelled i of largest
/// margin p̂_j − p̂_i (ties to the lower row; half-way counts round to even) are flagged; a class keeps one row at
/// least (cells are taken in ascending j and cut to what is left). The union is the flagged set.</para>
/// <para><b>Scores</b> for ranking: 1 − p̂_ỹ, the paper's self-confidence turned into a suspicion.</para>
/// </remarks>
public sealed class ConfidentLearning
{
    /// <summary>The default number of folds.</summary>
    public const int DefaultFoldCount = 5;

    private static readonly ulong s_foldsKey = StreamKey.Of("folds");
    private static readonly ulong s_foldKey = StreamKey.Of("fold");

    private readonly ImmutableArray<int> _hiddenWidths;

    /// <summary>Creates a detector that trains networks of <paramref name="hiddenWidths"/> with <paramref name="options"/>.</summary>
    /// <param name="foldCount">K ≥ 2.</param>
    /// <param name="hiddenWidths">The network's hidden widths (as for <see cref="MlpTrainer"/>).</param>
    /// <param name="options">The training of each fold's network.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="foldCount"/> is below 2.</exception>
    public ConfidentLearning(int foldCount, IReadOnlyList<int> hiddenWidths, TrainingOptions options)
    {
        ThrowHelper.ThrowIfLess(foldCount, 2);
        ArgumentNullException.ThrowIfNull(hiddenWidths);
        ArgumentNullException.ThrowIfNull(options);
        FoldCount = foldCount;
        _hiddenWidths = [.. hiddenWidths];
        Options = options;
    }

    /// <summary>K: the folds of the cross-validation.</summary>
    public int FoldCount { get; }

    /// <summary>The hidden widths of each fold's network.</summary>
    public ImmutableArray<int> HiddenWidths => _hiddenWidths;

    /// <summary>The training of each fold's network.</summary>
    public TrainingOptions Options { get; }

    /// <summary>Runs the cross-validation on <paramref name="data"/> and estimates from its out-of-fold probabilities.</summary>
    /// <param name="data">The (possibly poisoned) training rows, at least <see cref="FoldCount"/> of them.</param>
    /// <param name="seed">The seed of the streams "folds" and "fold", f.</param>
    /// <param name="trainer">A trainer whose buffers to reuse; null for a new one.</param>
    /// <param name="cancellationToken">Checked before every epoch.</param>
    /// <exception cref="ArgumentException"><paramref name="data"/> has fewer rows than folds.</exception>
    /// <exception cref="TrainingDivergedException">A fold's training diverged.</exception>
    public ConfidentLearningResult Detect(Dataset data, ulong seed, MlpTrainer? trainer = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.RowCount < FoldCount)
            ThrowHelper.ThrowArgument(nameof(data), $"Must have at least one row per fold ({FoldCount}); has {data.RowCount}.");
        double[] probabilities = OutOfFoldProbabilities(data, seed, trainer ?? new MlpTrainer(), cancellationToken);
        return Estimate(probabilities, data.LabelSpan, data.ClassCount);
    }

    /// <summary>The fold of each row: stratified, from the stream (seed, "folds").</summary>
    internal int[] Folds(ReadOnlySpan<int> labels, int classCount, ulong seed)
    {
        int[] order = new int[labels.Length];
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        new RandomSource(seed, s_foldsKey).Shuffle(order.AsSpan());
        int[] folds = new int[labels.Length];
        int next = 0;
        for (int label = 0; label < classCount; label++)
        {
            foreach (int row in order)
            {
                if (labels[row] == label)
                    folds[row] = next++ % FoldCount;
            }
        }
        return folds;
    }

    private double[] OutOfFoldProbabilities(Dataset data, ulong seed, MlpTrainer trainer, CancellationToken cancellationToken)
    {
        int n = data.RowCount, k = data.ClassCount;
        int[] folds = Folds(data.LabelSpan, k, seed);
        double[] probabilities = new double[n * k];
        for (int f = 0; f < FoldCount; f++)
        {
            var training = new List<int>(n);
            var heldOut = new List<int>(n / FoldCount + 1);
            for (int row = 0; row < n; row++)
                (folds[row] == f ? heldOut : training).Add(row);
            TrainingResult trained = trainer.Train(data.SelectRows(CollectionsMarshal.AsSpan(training)), _hiddenWidths, Options,
                new RandomSource(seed, StreamKey.Combine(s_foldKey, (ulong)f)), cancellationToken: cancellationToken);
            float[] logits = trained.Model.Logits(data.SelectRows(CollectionsMarshal.AsSpan(heldOut)));
            for (int r = 0; r < heldOut.Count; r++)
                DeterministicMath.Softmax(logits.AsSpan(r * k, k), probabilities.AsSpan(heldOut[r] * k, k));
        }
        return probabilities;
    }

    /// <summary>
    /// The estimates and the pruned rows from given out-of-fold probabilities (rows × classes, row-major).
    /// </summary>
    /// <param name="probabilities">p̂[x, j], rows × <paramref name="classCount"/> values in [0, 1], row-major.</param>
    /// <param name="labels">The given label of each row.</param>
    /// <param name="classCount">k ≥ 2.</param>
    /// <exception cref="ArgumentException">The shapes do not match, a probability is outside [0, 1] or a label out of range.</exception>
    public static ConfidentLearningResult Estimate(ReadOnlySpan<double> probabilities, ReadOnlySpan<int> labels, int classCount)
    {
        ThrowHelper.ThrowIfLess(classCount, 2);
        int n = labels.Length, k = classCount;
        if (probabilities.Length != (long)n * k)
            ThrowHelper.ThrowArgument(nameof(probabilities), $"Must hold rows × classes = {n} × {k} values; got {probabilities.Length}.");
        for (int i = 0; i < probabilities.Length; i++)
        {
            if (!(probabilities[i] >= 0 && probabilities[i] <= 1))
                ThrowHelper.ThrowArgument(nameof(probabilities), $"Must be in [0, 1]; value {i} is {probabilities[i]}.");
        }
        Dataset.ValidateLabels(labels, k, nameof(labels));

        // t_j: the mean p̂_j over the rows labelled j.
        int[] labelCounts = new int[k];
        double[] thresholds = new double[k];
        for (int row = 0; row < n; row++)
        {
            labelCounts[labels[row]]++;
            thresholds[labels[row]] += probabilities[row * k + labels[row]];
        }
        for (int j = 0; j < k; j++)
            thresholds[j] = labelCounts[j] == 0 ? double.PositiveInfinity : thresholds[j] / labelCounts[j];

        // C[ỹ][y*]: the confident joint.
        int[,] confident = new int[k, k];
        for (int row = 0; row < n; row++)
        {
            int guess = -1;
            for (int j = 0; j < k; j++)
            {
                double p = probabilities[row * k + j];
                if (p >= thresholds[j] && (guess < 0 || p > probabilities[row * k + guess]))
                    guess = j;
            }
            if (guess >= 0)
                confident[labels[row], guess]++;
        }

        // Calibrate rows to the label counts, then to a joint summing to 1.
        double[,] joint = new double[k, k];
        for (int i = 0; i < k; i++)
        {
            long rowSum = 0;
            for (int j = 0; j < k; j++)
                rowSum += confident[i, j];
            for (int j = 0; j < k; j++)
            {
                double calibrated = rowSum == 0 ? (i == j ? labelCounts[i] : 0) : (double)confident[i, j] / rowSum * labelCounts[i];
                joint[i, j] = n == 0 ? 0 : calibrated / n;
            }
        }
        double trace = 0;
        for (int i = 0; i < k; i++)
            trace += joint[i, i];
        double noiseRate = n == 0 ? 0 : Math.Clamp(1 - trace, 0, 1);

        double[,] noise = new double[k, k];
        for (int j = 0; j < k; j++)
        {
            double column = 0;
            for (int i = 0; i < k; i++)
                column += joint[i, j];
            for (int i = 0; i < k; i++)
                noise[i, j] = column == 0 ? (i == j ? 1 : 0) : joint[i, j] / column;
        }

        // Prune by noise rate: per off-diagonal cell, the rows of the given label with the largest margin p̂_j − p̂_i.
        bool[] flagged = new bool[n];
        var rowsOf = new List<int>[k];
        for (int i = 0; i < k; i++)
            rowsOf[i] = [];
        for (int row = 0; row < n; row++)
            rowsOf[labels[row]].Add(row);
        double[] margins = new double[n];
        for (int i = 0; i < k; i++)
        {
            int budget = Math.Max(0, labelCounts[i] - 1); // a class keeps one row at least
            for (int j = 0; j < k && budget > 0; j++)
            {
                if (j == i)
                    continue;
                int count = Math.Min(budget, (int)Math.Round(n * joint[i, j], MidpointRounding.ToEven));
                budget -= count;
                if (count == 0)
                    continue;
                int[] candidates = [.. rowsOf[i]];
                foreach (int row in candidates)
                    margins[row] = probabilities[row * k + j] - probabilities[row * k + i];
                Array.Sort(candidates, (a, b) => margins[b].CompareTo(margins[a]) is int c && c != 0 ? c : a.CompareTo(b));
                for (int c = 0; c < count; c++)
                    flagged[candidates[c]] = true;
            }
        }

        double[] scores = new double[n];
        var flaggedRows = ImmutableArray.CreateBuilder<int>();
        for (int row = 0; row < n; row++)
        {
            scores[row] = 1 - probabilities[row * k + labels[row]];
            if (flagged[row])
                flaggedRows.Add(row);
        }
        return new ConfidentLearningResult(
            new DetectionResult(ImmutableCollectionsMarshal.AsImmutableArray(scores), flaggedRows.ToImmutable(), noiseRate),
            ImmutableCollectionsMarshal.AsImmutableArray(thresholds),
            [.. Enumerable.Range(0, k).Select(i => Enumerable.Range(0, k).Select(j => confident[i, j]).ToImmutableArray())],
            [.. Enumerable.Range(0, k).Select(i => Enumerable.Range(0, k).Select(j => joint[i, j]).ToImmutableArray())],
            [.. Enumerable.Range(0, k).Select(i => Enumerable.Range(0, k).Select(j => noise[i, j]).ToImmutableArray())],
            noiseRate);
    }
}
