using System.Collections.Immutable;
using System.Runtime.InteropServices;
using LabelFlip.Core.Data;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Detection;

/// <summary>
/// The small-loss criterion: networks fit clean labels before they memorise flipped ones (Arpit et al. 2017; the
/// selection rule of Han et al.'s Co-teaching, 2018), so after a short training the rows of largest loss are the
/// suspects.
/// </summary>
/// <remarks>
/// A network of the given widths is trained for <see cref="WarmupEpochs"/> epochs (the given options otherwise) from
/// the caller's stream; each row's score is its cross-entropy ln Σ_c exp(z_c − m) − (z_y − m), m = max z, in double with
/// a deterministic exp and log. The round(n·rate) rows of largest loss are flagged (half-way rounds to even; ties to
/// the lower row), rate being the noise rate the caller supplies: the nominal poison fraction or an estimate.
/// </remarks>
public sealed class SmallLossDetector
{
    /// <summary>The default warm-up: long enough to fit the clean majority, short of memorising the flips.</summary>
    public const int DefaultWarmupEpochs = 10;

    private readonly ImmutableArray<int> _hiddenWidths;

    /// <summary>Creates a detector that trains networks of <paramref name="hiddenWidths"/> for <paramref name="warmupEpochs"/> epochs.</summary>
    /// <param name="warmupEpochs">Epochs of the short training, at least 1.</param>
    /// <param name="hiddenWidths">The network's hidden widths.</param>
    /// <param name="options">Learning rate, batch size, momentum and weight decay (its epochs are replaced).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="warmupEpochs"/> is below 1.</exception>
    public SmallLossDetector(int warmupEpochs, IReadOnlyList<int> hiddenWidths, TrainingOptions options)
    {
        ThrowHelper.ThrowIfLess(warmupEpochs, 1);
        ArgumentNullException.ThrowIfNull(hiddenWidths);
        ArgumentNullException.ThrowIfNull(options);
        WarmupEpochs = warmupEpochs;
        _hiddenWidths = [.. hiddenWidths];
        Options = options with { Epochs = warmupEpochs };
    }

    /// <summary>Epochs of the short training.</summary>
    public int WarmupEpochs { get; }

    /// <summary>The short training's options (epochs = <see cref="WarmupEpochs"/>).</summary>
    public TrainingOptions Options { get; }

    /// <summary>Trains briefly on <paramref name="data"/> and flags the largest-loss share <paramref name="noiseRate"/> of its rows.</summary>
    /// <param name="data">The (possibly poisoned) training rows.</param>
    /// <param name="noiseRate">The share of rows to flag, in [0, 1].</param>
    /// <param name="random">The stream of the short training (initialisation, then shuffles).</param>
    /// <param name="trainer">A trainer whose buffers to reuse; null for a new one.</param>
    /// <param name="cancellationToken">Checked before every epoch.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="noiseRate"/> is outside [0, 1].</exception>
    public DetectionResult Detect(Dataset data, double noiseRate, RandomSource random, MlpTrainer? trainer = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(random);
        ThrowHelper.ThrowIfOutside(noiseRate, 0, 1);
        TrainingResult trained = (trainer ?? new MlpTrainer()).Train(data, _hiddenWidths, Options, random, cancellationToken: cancellationToken);
        double[] losses = Losses(trained.Model.Logits(data), data.LabelSpan, data.ClassCount);
        int count = (int)Math.Round(data.RowCount * noiseRate, MidpointRounding.ToEven);
        return new DetectionResult(ImmutableCollectionsMarshal.AsImmutableArray(losses), DetectionResult.Top(losses, count));
    }

    /// <summary>The cross-entropy of each row: ln Σ_c exp(z_c − m) − (z_y − m), m = max z.</summary>
    internal static double[] Losses(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classCount)
    {
        double[] losses = new double[labels.Length];
        for (int row = 0; row < labels.Length; row++)
        {
            ReadOnlySpan<float> z = logits.Slice(row * classCount, classCount);
            double max = double.NegativeInfinity;
            foreach (float value in z)
                max = Math.Max(max, value);
            double sum = 0;
            foreach (float value in z)
                sum += DeterministicMath.Exp(value - max);
            losses[row] = DeterministicMath.Log(sum) - (z[labels[row]] - max);
        }
        return losses;
    }
}
