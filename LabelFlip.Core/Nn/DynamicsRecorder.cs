using System.Runtime.InteropServices;
using LabelFlip.Core.Data;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Nn.Kernels;

namespace LabelFlip.Core.Nn;

/// <summary>
/// Records a run's learning dynamics (<see cref="TrainingDynamics"/>) as an <see cref="IEpochObserver"/>: every
/// m epochs, and at the last, it evaluates the network on the training rows (split into clean and flipped by their
/// true labels) and on the test rows. It only reads the network and draws no random numbers, so training is the
/// same, bit for bit, with or without it. Reusable: keep one per thread; its scratch buffers grow once and are reused
/// run after run, so an epoch it records allocates nothing. Not thread-safe.
/// </summary>
/// <remarks>
/// <para><b>Predictions</b> are those of <see cref="Mlp.Predict(Dataset)"/> (the same kernels, chunks and ties), so the
/// last epoch's test accuracy and memorization rate equal the ones computed from the trained network, bit for bit.
/// Accuracies are (double)correct / rows.</para>
/// <para><b>Losses</b>, per row in double: m = max_c z_c, s = Σ_c exp(z_c − m) (c in order, from +0), loss = ln s −
/// (z_y − m), with the softmax's own exp (lane-wise, the same bits on every instruction set) and a log written in plain
/// IEEE-754 arithmetic; a group's loss is the sum over its rows in row order, divided by its rows. (Training sums its
/// loss over a batch with one logarithm of a product of the s, so the two may differ in the last bits.)</para>
/// </remarks>
public sealed class DynamicsRecorder : IEpochObserver
{
    private Dataset? _train;
    private Dataset? _test;
    private int[] _trueLabels = [];
    private float[] _logits = [];   // one evaluation chunk of rows × classes
    private float[] _scratch = [];  // the network's activations for one chunk
    private double[] _shifted = []; // one chunk of z − max z
    private double[] _exponentials = [];
    private int _every;
    private int _epochs;
    private int _recorded;
    private bool _hasClean;
    private bool _hasFlipped;
    private int[] _recordedEpochs = [];
    private double[] _testAccuracy = [];
    private double[] _cleanAccuracy = [];
    private double[] _memorization = [];
    private double[] _flippedTrue = [];
    private double[] _cleanLoss = [];
    private double[] _flippedLoss = [];

    /// <summary>Creates a recorder; call <see cref="Start"/> before each run.</summary>
    public DynamicsRecorder()
    {
    }

    /// <summary>The number of epochs a run of <paramref name="epochs"/> records every <paramref name="recordEvery"/>:
    /// ⌊E / m⌋, plus one when m does not divide E (the last epoch is always recorded).</summary>
    /// <param name="epochs">E, at least 1.</param>
    /// <param name="recordEvery">m, in [1, <paramref name="epochs"/>].</param>
    public static int RecordedEpochCount(int epochs, int recordEvery)
    {
        ThrowHelper.ThrowIfLess(epochs, 1);
        ThrowHelper.ThrowIfOutside(recordEvery, 1, epochs);
        return epochs / recordEvery + (epochs % recordEvery == 0 ? 0 : 1);
    }

    /// <summary>Prepares to record one run.</summary>
    /// <param name="train">The rows the network trains on, with the labels it trains on (noisy where flipped).</param>
    /// <param name="trueLabels">The true label of each training row; a row is flipped when its label differs.</param>
    /// <param name="test">The clean test rows, with train's features and classes.</param>
    /// <param name="recordEvery">m: record epochs m, 2m, …; in [1, <paramref name="epochs"/>].</param>
    /// <param name="epochs">The run's epochs E (the last is always recorded), at least 1.</param>
    /// <exception cref="ArgumentException">Sizes that disagree, a label out of range, or m or E out of range.</exception>
    public void Start(Dataset train, ReadOnlySpan<int> trueLabels, Dataset test, int recordEvery, int epochs)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        int count = RecordedEpochCount(epochs, recordEvery);
        if (trueLabels.Length != train.RowCount)
            ThrowHelper.ThrowArgument(nameof(trueLabels), $"Must hold one label per training row ({train.RowCount}); holds {trueLabels.Length}.");
        Dataset.ValidateLabels(trueLabels, train.ClassCount, nameof(trueLabels));
        if (test.FeatureCount != train.FeatureCount)
            ThrowHelper.ThrowArgument(nameof(test), $"Must have the training rows' {train.FeatureCount} features; has {test.FeatureCount}.");
        Dataset.ValidateLabels(test.LabelSpan, train.ClassCount, nameof(test));

        if (_trueLabels.Length < trueLabels.Length)
            _trueLabels = new int[trueLabels.Length];
        trueLabels.CopyTo(_trueLabels);
        ReadOnlySpan<int> labels = train.LabelSpan;
        _hasClean = _hasFlipped = false;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] == trueLabels[i])
                _hasClean = true;
            else
                _hasFlipped = true;
        }
        _train = train;
        _test = test;
        _every = recordEvery;
        _epochs = epochs;
        _recorded = 0;
        // The result's own arrays: handed over by Result without a copy, so each run needs fresh ones.
        _recordedEpochs = new int[count];
        _testAccuracy = new double[count];
        _cleanAccuracy = _hasClean ? new double[count] : [];
        _cleanLoss = _hasClean ? new double[count] : [];
        _memorization = _hasFlipped ? new double[count] : [];
        _flippedTrue = _hasFlipped ? new double[count] : [];
        _flippedLoss = _hasFlipped ? new double[count] : [];
    }

    /// <summary>Records epoch <paramref name="epoch"/> when it is a multiple of m or the last; always goes on.</summary>
    /// <param name="epoch">The epoch just finished, 1-based.</param>
    /// <param name="model">The network, with the training rows' features and classes.</param>
    /// <param name="meanLoss">Not used.</param>
    /// <returns>Always <see langword="true"/>: recording never stops training.</returns>
    /// <exception cref="InvalidOperationException"><see cref="Start"/> was not called.</exception>
    public bool EpochCompleted(int epoch, Mlp model, double meanLoss)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (_train is not Dataset train || _test is not Dataset test)
            throw new InvalidOperationException("Call Start before training.");
        if (epoch % _every != 0 && epoch != _epochs)
            return true;
        if (_recorded == _recordedEpochs.Length)
            throw new InvalidOperationException($"Epoch {epoch} is past the {_epochs} epochs given to Start.");
        if (model.InputCount != train.FeatureCount || model.ClassCount != train.ClassCount)
            ThrowHelper.ThrowArgument(nameof(model), $"Must have the data's {train.FeatureCount} inputs and {train.ClassCount} classes; " +
                $"has {model.InputCount} inputs and {model.ClassCount} classes.");
        EnsureScratch(model);

        int r = _recorded++;
        _recordedEpochs[r] = epoch;
        Tally groups = TallyTraining(model, train);
        _testAccuracy[r] = test.RowCount == 0 ? 0 : (double)CountCorrect(model, test) / test.RowCount;
        if (_hasClean)
        {
            _cleanAccuracy[r] = (double)groups.CleanCorrect / groups.CleanRows;
            _cleanLoss[r] = groups.CleanLoss / groups.CleanRows;
        }
        if (_hasFlipped)
        {
            _memorization[r] = (double)groups.Memorized / groups.FlippedRows;
            _flippedTrue[r] = (double)groups.FlippedTrue / groups.FlippedRows;
            _flippedLoss[r] = groups.FlippedLoss / groups.FlippedRows;
        }
        return true;
    }

    /// <summary>The dynamics recorded since <see cref="Start"/> (all of them once training has ended).</summary>
    public TrainingDynamics Result()
    {
        int n = _recorded;
        return new TrainingDynamics(
            Freeze(_recordedEpochs, n), Freeze(_testAccuracy, n), Freeze(_cleanAccuracy, n), Freeze(_memorization, n),
            Freeze(_flippedTrue, n), Freeze(_cleanLoss, n), Freeze(_flippedLoss, n));
    }

    private static System.Collections.Immutable.ImmutableArray<T> Freeze<T>(T[] values, int count) =>
        values.Length == 0 ? [] : count == values.Length ? ImmutableCollectionsMarshal.AsImmutableArray(values) : [.. values.AsSpan(0, count)];

    private void EnsureScratch(Mlp model)
    {
        int logits = Mlp.EvaluationChunkRows * model.ClassCount, scratch = model.EvaluationScratchLength;
        if (_logits.Length < logits)
            _logits = new float[logits];
        if (_scratch.Length < scratch)
            _scratch = new float[scratch];
        if (_shifted.Length < logits)
        {
            _shifted = new double[logits];
            _exponentials = new double[logits];
        }
    }

    private struct Tally
    {
        public int CleanRows, CleanCorrect, FlippedRows, Memorized, FlippedTrue;
        public double CleanLoss, FlippedLoss;
    }

    private Tally TallyTraining(Mlp model, Dataset train)
    {
        int d = train.FeatureCount, k = model.ClassCount, rows = train.RowCount;
        ReadOnlySpan<float> features = train.FeatureSpan;
        ReadOnlySpan<int> labels = train.LabelSpan;
        ReadOnlySpan<int> trueLabels = _trueLabels.AsSpan(0, rows);
        var tally = new Tally();
        for (int start = 0; start < rows; start += Mlp.EvaluationChunkRows)
        {
            int count = Math.Min(Mlp.EvaluationChunkRows, rows - start);
            Span<float> logits = _logits.AsSpan(0, count * k);
            model.LogitsUnchecked(features.Slice(start * d, count * d), logits, _scratch);
            Span<double> shifted = _shifted.AsSpan(0, count * k), exponentials = _exponentials.AsSpan(0, count * k);
            for (int r = 0; r < count; r++)
                Shift(logits.Slice(r * k, k), shifted.Slice(r * k, k));
            PolynomialExp.Exp(shifted, exponentials);
            for (int r = 0; r < count; r++)
            {
                ReadOnlySpan<float> z = logits.Slice(r * k, k);
                int predicted = Mlp.ArgMax(z), label = labels[start + r], truth = trueLabels[start + r];
                double sum = 0;
                foreach (double e in exponentials.Slice(r * k, k))
                    sum += e;
                double loss = DeterministicMath.Log(sum) - shifted[r * k + label];
                if (label == truth)
                {
                    tally.CleanRows++;
                    tally.CleanCorrect += predicted == label ? 1 : 0;
                    tally.CleanLoss += loss;
                }
                else
                {
                    tally.FlippedRows++;
                    tally.Memorized += predicted == label ? 1 : 0;
                    tally.FlippedTrue += predicted == truth ? 1 : 0;
                    tally.FlippedLoss += loss;
                }
            }
        }
        return tally;
    }

    private int CountCorrect(Mlp model, Dataset data)
    {
        int d = data.FeatureCount, k = model.ClassCount, rows = data.RowCount, correct = 0;
        ReadOnlySpan<float> features = data.FeatureSpan;
        ReadOnlySpan<int> labels = data.LabelSpan;
        for (int start = 0; start < rows; start += Mlp.EvaluationChunkRows)
        {
            int count = Math.Min(Mlp.EvaluationChunkRows, rows - start);
            Span<float> logits = _logits.AsSpan(0, count * k);
            model.LogitsUnchecked(features.Slice(start * d, count * d), logits, _scratch);
            for (int r = 0; r < count; r++)
                correct += Mlp.ArgMax(logits.Slice(r * k, k)) == labels[start + r] ? 1 : 0;
        }
        return correct;
    }

    // z − max z in double: the exponentials never overflow, and the largest is exactly 1.
    private static void Shift(ReadOnlySpan<float> z, Span<double> destination)
    {
        double max = z[0];
        for (int c = 1; c < z.Length; c++)
        {
            if (z[c] > max)
                max = z[c];
        }
        for (int c = 0; c < z.Length; c++)
            destination[c] = z[c] - max;
    }
}
