using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using LabelFlip.Core.Data;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Nn.Kernels;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Nn;

/// <summary>
/// Trains <see cref="Mlp"/> networks with mini-batch SGD on the softmax cross-entropy. Reusable: keep one per
/// thread; it allocates its scratch buffers once and grows them only when a later call needs more, so the
/// training loop itself allocates nothing. Not thread-safe.
/// </summary>
/// <remarks>
/// <para><b>One run.</b> The network is created by <see cref="Mlp.CreateInitialized"/> from the run's
/// <see cref="RandomSource"/> (its first draws). Each epoch then resets the row order to 0, 1, …, n − 1 and
/// shuffles it with <see cref="RandomSource.Shuffle{T}"/>, and walks it in batches of
/// <see cref="TrainingOptions.BatchSize"/> rows, keeping the last partial batch.</para>
/// <para><b>One batch of B rows.</b> Forward: hidden = relu(W1·x + b1), logits z = W2·hidden + b2 (float32).
/// Loss per row, in double: m = max z, s = Σ_c exp(z_c − m), loss = ln s − (z_y − m) (log-sum-exp, with our own
/// exp and log). Gradient of the batch mean: g_c = (float)((exp(z_c − m)·(1/s) − [c = y])·(1/B)). Backward (float32,
/// sums over rows in row order): dW2 = gᵀ·hidden, db2 = Σ_r g, dh = (g·W2) where hidden &gt; 0 else 0,
/// dW1 = dhᵀ·x, db1 = Σ_r dh. Then one SGD step (<see cref="TrainingOptions"/>). See <see cref="MlpKernels"/>
/// for why every instruction set gives the same bits.</para>
/// </remarks>
public sealed class MlpTrainer
{
    // The running product of the rows' softmax denominators (each in [1, k ≤ 2¹²]) is logged and reset above this.
    private const double ProductLimit = 8.452712498170644e270; // 2^900

    private int[] _order = [];
    private int[] _batchLabels = [];
    private float[] _inputs = [];        // B × (d + 1): the batch's features, each row followed by a 1 (the bias input)
    private float[] _hidden = [];        // B × padded h: relu activations
    private float[] _hiddenGradient = [];// B × padded h
    private float[] _logits = [];        // B × k
    private float[] _logitGradient = []; // B × k
    private double[] _shifted = [];      // B × k: z − max z per row
    private double[] _exponentials = []; // B × k
    private float[] _gradients = [];     // the parameters' layout
    private float[] _velocity = [];      // the parameters' layout, momentum only

    /// <summary>Creates a trainer; its buffers are allocated on first use.</summary>
    public MlpTrainer()
    {
    }

    /// <summary>
    /// Trains a fresh network of <paramref name="hiddenWidth"/> hidden units on <paramref name="train"/>.
    /// </summary>
    /// <param name="train">The training rows; the network has train.FeatureCount inputs and train.ClassCount outputs.</param>
    /// <param name="hiddenWidth">h, at least 1.</param>
    /// <param name="options">Epochs, learning rate, batch size, momentum, weight decay.</param>
    /// <param name="random">The run's stream: initialisation first, then one shuffle per epoch.</param>
    /// <param name="cancellationToken">Checked before every epoch.</param>
    /// <returns>The trained network and the mean loss of each epoch.</returns>
    /// <exception cref="ArgumentException">No rows, a non-finite feature, or an argument out of range.</exception>
    /// <exception cref="TrainingDivergedException">An epoch's loss or a weight became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public TrainingResult Train(Dataset train, int hiddenWidth, TrainingOptions options, RandomSource random,
                                CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        Mlp.CheckSizes(train.FeatureCount, hiddenWidth, train.ClassCount);
        if (train.RowCount == 0)
            ThrowHelper.ThrowArgument(nameof(train), "Must have at least one row.");
        if (!MlpKernels.AllFinite(train.FeatureSpan))
            ThrowHelper.ThrowArgument(nameof(train), "Features must all be finite.");
        Dataset.ValidateLabels(train.LabelSpan, train.ClassCount, nameof(train));

        Mlp model = Mlp.CreateInitialized(train.FeatureCount, hiddenWidth, train.ClassCount, random);
        double[] losses = new double[options.Epochs];
        if (Vector512.IsHardwareAccelerated)
            TrainCore<Lanes512, Vector512<float>>(model, train, options, random, losses, cancellationToken);
        else if (Vector256.IsHardwareAccelerated)
            TrainCore<Lanes256, Vector256<float>>(model, train, options, random, losses, cancellationToken);
        else if (Vector128.IsHardwareAccelerated)
            TrainCore<Lanes128, Vector128<float>>(model, train, options, random, losses, cancellationToken);
        else
            TrainCore<Lanes1, float>(model, train, options, random, losses, cancellationToken);
        return new TrainingResult(model, System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(losses));
    }

    /// <summary>
    /// The gradient of the mean loss over <paramref name="rows"/> of <paramref name="data"/> with respect to every
    /// parameter of <paramref name="model"/>, in its internal layout (<see cref="Mlp.Parameters"/>); returns the
    /// mean loss. The same code as one training step, without the update (for gradient checks).
    /// </summary>
    internal double ComputeGradients(Mlp model, Dataset data, ReadOnlySpan<int> rows, out float[] gradients)
    {
        EnsureCapacity(model, rows.Length, momentum: false);
        double loss;
        if (Vector512.IsHardwareAccelerated)
            loss = BatchGradients<Lanes512, Vector512<float>>(model, data, rows);
        else if (Vector256.IsHardwareAccelerated)
            loss = BatchGradients<Lanes256, Vector256<float>>(model, data, rows);
        else if (Vector128.IsHardwareAccelerated)
            loss = BatchGradients<Lanes128, Vector128<float>>(model, data, rows);
        else
            loss = BatchGradients<Lanes1, float>(model, data, rows);
        gradients = _gradients.AsSpan(0, model.Parameters.Length).ToArray();
        return loss / rows.Length;
    }

    /// <summary>Copies row-major rows of d features into rows of d + 1 values, the last being 1.</summary>
    internal static void AugmentRows(ReadOnlySpan<float> features, int featureCount, Span<float> destination)
    {
        int rows = features.Length / featureCount;
        for (int r = 0; r < rows; r++)
        {
            features.Slice(r * featureCount, featureCount).CopyTo(destination.Slice(r * (featureCount + 1)));
            destination[r * (featureCount + 1) + featureCount] = 1f;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TrainCore<TL, TV>(Mlp model, Dataset train, TrainingOptions options, RandomSource random,
                                   double[] losses, CancellationToken cancellationToken)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        int n = train.RowCount;
        int batchSize = Math.Min(options.BatchSize, n);
        bool momentum = options.Momentum != 0;
        EnsureCapacity(model, batchSize, momentum);
        if (_order.Length < n)
            _order = new int[n];
        Span<int> order = _order.AsSpan(0, n);
        Span<float> parameters = model.Parameters;
        Span<float> gradients = _gradients.AsSpan(0, parameters.Length);
        Span<float> velocity = momentum ? _velocity.AsSpan(0, parameters.Length) : default;
        float learningRate = (float)options.LearningRate;
        float momentumFactor = (float)options.Momentum;
        float weightDecay = (float)options.WeightDecay;
        bool firstStep = true;

        for (int epoch = 0; epoch < losses.Length; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int i = 0; i < n; i++)
                order[i] = i;
            random.Shuffle(order);

            double lossSum = 0;
            for (int start = 0; start < n; start += batchSize)
            {
                ReadOnlySpan<int> rows = order.Slice(start, Math.Min(batchSize, n - start));
                lossSum += BatchGradients<TL, TV>(model, train, rows);
                MlpKernels.SgdStep<TL, TV>(parameters, gradients, velocity, learningRate, momentumFactor, weightDecay, firstStep);
                firstStep = false;
            }

            double loss = lossSum / n;
            losses[epoch] = loss;
            if (!double.IsFinite(loss) || !MlpKernels.AllFinite(parameters))
                throw new TrainingDivergedException(epoch + 1, loss);
        }
    }

    // Forward and backward for one batch: fills _gradients (the mean loss's gradient), returns the SUM of the
    // rows' losses.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double BatchGradients<TL, TV>(Mlp model, Dataset data, ReadOnlySpan<int> rows)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        int b = rows.Length, d = model.InputCount, k = model.ClassCount, hp = model.PaddedWidth;
        ReadOnlySpan<float> features = data.FeatureSpan;
        ReadOnlySpan<int> labels = data.LabelSpan;
        Span<float> inputs = _inputs.AsSpan(0, b * (d + 1));
        for (int r = 0; r < b; r++)
        {
            int row = rows[r];
            features.Slice(row * d, d).CopyTo(inputs.Slice(r * (d + 1)));
            inputs[r * (d + 1) + d] = 1f;
            _batchLabels[r] = labels[row];
        }

        Span<float> hidden = _hidden.AsSpan(0, b * hp);
        Span<float> logits = _logits.AsSpan(0, b * k);
        model.Forward<TL, TV>(inputs, b, hidden, logits);

        double lossSum = SoftmaxCrossEntropy(logits, _batchLabels.AsSpan(0, b), k, _logitGradient.AsSpan(0, b * k), _shifted, _exponentials);

        ReadOnlySpan<float> g = _logitGradient.AsSpan(0, b * k);
        ReadOnlySpan<float> p = model.Parameters;
        Span<float> grad = _gradients.AsSpan(0, p.Length);
        Span<float> hiddenGradient = _hiddenGradient.AsSpan(0, b * hp);
        ReadOnlySpan<float> w2 = p.Slice(model.OutputWeightsOffset, k * hp);
        MlpKernels.RowsTimesMatrix<TL, TV>(g, b, k, w2, hp, hidden, hiddenGradient);               // dh, ReLU-masked
        MlpKernels.TransposeTimes<TL, TV>(inputs, b, d + 1, hiddenGradient, hp, grad[..model.OutputWeightsOffset]); // dW1ᵀ, db1
        MlpKernels.TransposeTimes<TL, TV>(g, b, k, hidden, hp, grad.Slice(model.OutputWeightsOffset, k * hp));      // dW2
        Span<float> db2 = grad.Slice(model.OutputBiasesOffset, k);
        db2.Clear();
        for (int r = 0; r < b; r++)
        {
            for (int c = 0; c < k; c++)
                db2[c] += g[r * k + c];
        }
        return lossSum;
    }

    /// <summary>
    /// Per row: loss = ln s − (z_y − m) with m = max_c z_c and s = Σ_c exp(z_c − m) (c in order, from +0), in double
    /// with our own exp and log; gradient[r, c] = (float)((exp(z_c − m)·(1/s) − [c = y])·(1/rows)), the reciprocals
    /// rounded once each (and for c ≠ y simply (float)(exp(z_c − m)·(1/s)·(1/rows))). Returns the sum of the rows'
    /// losses, computed as −Σ_r (z_y − m) plus ln Π_r s (a logarithm per batch instead of per row: each s lies in
    /// [1, k], and the running product is flushed into the sum, ln and all, whenever it exceeds 2⁹⁰⁰).
    /// <paramref name="shifted"/> and <paramref name="exponentials"/> are scratch space of rows × classes.
    /// </summary>
    /// <remarks>Done in passes over the whole batch (shift, exp, then sums and gradients) rather than row by row, so
    /// the exps run as vectors; the one logarithm per batch keeps the loss out of the hot path.</remarks>
    internal static double SoftmaxCrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classCount,
                                               Span<float> gradient, Span<double> shifted, Span<double> exponentials)
    {
        int rows = labels.Length, count = rows * classCount;
        double inverseRows = 1.0 / rows;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> z = logits.Slice(r * classCount, classCount);
            double max = z[0];
            for (int c = 1; c < classCount; c++)
            {
                if (z[c] > max)
                    max = z[c];
            }
            Span<double> row = shifted.Slice(r * classCount, classCount);
            for (int c = 0; c < classCount; c++)
                row[c] = z[c] - max;
        }

        PolynomialExp.Exp(shifted[..count], exponentials);

        double lossSum = 0, product = 1;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<double> e = exponentials.Slice(r * classCount, classCount);
            double sum = 0;
            for (int c = 0; c < classCount; c++)
                sum += e[c];
            int label = labels[r];
            lossSum -= shifted[r * classCount + label];
            product *= sum;
            if (product > ProductLimit)
            {
                lossSum += DeterministicMath.Log(product);
                product = 1;
            }
            double inverseSum = 1.0 / sum;
            Span<float> g = gradient.Slice(r * classCount, classCount);
            for (int c = 0; c < classCount; c++)
                g[c] = (float)(e[c] * inverseSum * inverseRows);
            g[label] = (float)((e[label] * inverseSum - 1.0) * inverseRows);
        }
        return lossSum + DeterministicMath.Log(product);
    }

    private void EnsureCapacity(Mlp model, int batchSize, bool momentum)
    {
        int d = model.InputCount, k = model.ClassCount, hp = model.PaddedWidth, count = model.Parameters.Length;
        Grow(ref _batchLabels, batchSize);
        Grow(ref _inputs, batchSize * (d + 1));
        Grow(ref _hidden, batchSize * hp);
        Grow(ref _hiddenGradient, batchSize * hp);
        Grow(ref _logits, batchSize * k);
        Grow(ref _logitGradient, batchSize * k);
        Grow(ref _shifted, batchSize * k);
        Grow(ref _exponentials, batchSize * k);
        Grow(ref _gradients, count);
        if (momentum)
        {
            Grow(ref _velocity, count);
            _velocity.AsSpan(0, count).Clear();
        }
    }

    private static void Grow<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
            buffer = new T[length];
    }
}
