using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LabelFlip.Core.Data;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Nn.Kernels;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Nn;

/// <summary>
/// Trains <see cref="Mlp"/> networks with mini-batch SGD on the softmax cross-entropy, or another
/// <see cref="LossFunction"/> (<see cref="TrainingOptions.Loss"/>). Reusable: keep one per
/// thread; it allocates its scratch buffers once and grows them only when a later call needs more, so the
/// training loop itself allocates nothing. Not thread-safe.
/// </summary>
/// <remarks>
/// <para><b>One run.</b> The network is created by <see cref="Mlp.CreateInitialized(int, IReadOnlyList{int}, int, RandomSource)"/>
/// from the run's <see cref="RandomSource"/> (its first draws), or given. Each epoch then takes its row order from an
/// <see cref="IEpochOrder"/>, by default <see cref="ShuffledEpochOrder"/> on the run's stream (reset to 0, 1, …,
/// n − 1, then <see cref="RandomSource.Shuffle{T}"/>), and walks it in batches of
/// <see cref="TrainingOptions.BatchSize"/> rows, keeping the last partial batch.</para>
/// <para><b>One batch of B rows.</b> Forward (float32): a⁰ = x, aˡ = relu(Wˡ·aˡ⁻¹ + bˡ) per hidden layer (the sum
/// over inputs in order from +0, then the bias), logits z = W^out·a^L + b^out (16 partial sums, see
/// <see cref="MlpKernels"/>). Loss per row, in double: m = max z, s = Σ_c exp(z_c − m), loss = ln s − (z_y − m)
/// (log-sum-exp, with our own exp and log). Gradient of the batch mean: g_c = (float)((exp(z_c − m)·(1/s) − [c = y])·(1/B)).
/// Another <see cref="TrainingOptions.Loss"/> replaces only these two lines (the loss and g, per row from the same
/// z − m, exp and s; see <see cref="LossFunction"/>); the trainer is generic over the loss, so the cross-entropy keeps
/// its bits and no loss costs a branch per row.
/// Backward (float32, every sum from +0 in index order): dW^out = gᵀ·a^L, db^out = Σ_r g, δ^L = (g·W^out) where
/// a^L &gt; 0 else 0; then for each hidden layer l from the last: dWˡ = δˡᵀ·aˡ⁻¹, dbˡ = Σ_r δˡ, and (l &gt; 1)
/// δˡ⁻¹ = (δˡ·Wˡ) where aˡ⁻¹ &gt; 0 else 0 (summed over the outputs of layer l in order). Then one SGD step
/// (<see cref="TrainingOptions"/>). See <see cref="MlpKernels"/> for why every instruction set gives the same
/// bits.</para>
/// </remarks>
public sealed class MlpTrainer
{
    private int[] _order = [];
    private bool[] _seen = [];           // n: checks that an epoch order is a permutation
    private AlignedArray<int> _batchLabels = AlignedArray<int>.Empty;       // B: the batch's labels, in the epoch's order
    private AlignedArray<float> _inputs = AlignedArray<float>.Empty;        // B × d: the batch's features, in the epoch's order
    private AlignedArray<float> _activations = AlignedArray<float>.Empty;   // B × every padded width: each hidden layer's relu activations
    private AlignedArray<float> _deltas = AlignedArray<float>.Empty;        // the same shape: each hidden layer's pre-activation gradient δ
    private AlignedArray<float> _transposed = AlignedArray<float>.Empty;    // one hidden-to-hidden weight block, output-major, for the backward pass
    private AlignedArray<float> _logits = AlignedArray<float>.Empty;        // B × k, or in CrossEntropyInLanes's blocks (B rounded up to whole blocks)
    private AlignedArray<float> _logitGradient = AlignedArray<float>.Empty; // B × k
    private AlignedArray<double> _shifted = AlignedArray<double>.Empty;      // SoftmaxScratchLength: z − max z per row
    private AlignedArray<double> _exponentials = AlignedArray<double>.Empty; // SoftmaxScratchLength: exp(z − max z), then each row's loss and denominator
    private AlignedArray<double> _rowGradients = AlignedArray<double>.Empty; // SoftmaxScratchLength: the logits' gradient before it is rounded to float
    private AlignedArray<float> _gradients = AlignedArray<float>.Empty;     // the parameters' layout
    private AlignedArray<float> _velocity = AlignedArray<float>.Empty;      // the parameters' layout, momentum only

    /// <summary>Creates a trainer; its buffers are allocated on first use.</summary>
    public MlpTrainer()
    {
    }

    /// <summary>
    /// Trains a fresh network of one hidden layer of <paramref name="hiddenWidth"/> units on <paramref name="train"/>.
    /// </summary>
    /// <param name="train">The training rows; the network has train.FeatureCount inputs and train.ClassCount outputs.</param>
    /// <param name="hiddenWidth">h, in [1, <see cref="Mlp.MaxWidth"/>].</param>
    /// <param name="options">Epochs, learning rate, batch size, momentum, weight decay.</param>
    /// <param name="random">The run's stream: initialisation first, then one shuffle per epoch.</param>
    /// <param name="observer">Called after every epoch; may stop training early. Null for none.</param>
    /// <param name="cancellationToken">Checked before every epoch.</param>
    /// <returns>The trained network and the mean loss of each epoch.</returns>
    /// <exception cref="ArgumentException">No rows, a non-finite feature, or an argument out of range.</exception>
    /// <exception cref="TrainingDivergedException">An epoch's loss or a weight became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public TrainingResult Train(Dataset train, int hiddenWidth, TrainingOptions options, RandomSource random,
                                IEpochObserver? observer = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        Mlp.CheckSizes(train.FeatureCount, hiddenWidth, train.ClassCount);
        CheckTrainingData(train);
        Mlp model = Mlp.CreateInitialized(train.FeatureCount, hiddenWidth, train.ClassCount, random);
        return TrainInPlace(model, train, options, new ShuffledEpochOrder(random), observer, cancellationToken);
    }

    /// <summary>
    /// Trains a fresh network with hidden layers of <paramref name="hiddenWidths"/> on <paramref name="train"/>;
    /// with one width, the same bits as <see cref="Train(Dataset, int, TrainingOptions, RandomSource, IEpochObserver, CancellationToken)"/>.
    /// </summary>
    /// <param name="train">The training rows; the network has train.FeatureCount inputs and train.ClassCount outputs.</param>
    /// <param name="hiddenWidths">h₁ … h_L from the input side: at least one, each in [1, <see cref="Mlp.MaxWidth"/>].</param>
    /// <param name="options">Epochs, learning rate, batch size, momentum, weight decay.</param>
    /// <param name="random">The run's stream: initialisation first (layer by layer), then one shuffle per epoch.</param>
    /// <param name="observer">Called after every epoch; may stop training early. Null for none.</param>
    /// <param name="cancellationToken">Checked before every epoch.</param>
    /// <returns>The trained network and the mean loss of each epoch.</returns>
    /// <exception cref="ArgumentException">No rows, a non-finite feature, or an argument out of range.</exception>
    /// <exception cref="TrainingDivergedException">An epoch's loss or a weight became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public TrainingResult Train(Dataset train, IReadOnlyList<int> hiddenWidths, TrainingOptions options, RandomSource random,
                                IEpochObserver? observer = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        Mlp.CheckSizes(train.FeatureCount, hiddenWidths, train.ClassCount);
        CheckTrainingData(train);
        Mlp model = Mlp.CreateInitialized(train.FeatureCount, hiddenWidths, train.ClassCount, random);
        return TrainInPlace(model, train, options, new ShuffledEpochOrder(random), observer, cancellationToken);
    }

    /// <summary>
    /// Trains a copy of <paramref name="initial"/> on <paramref name="train"/>, visiting the rows in the order
    /// <paramref name="epochOrder"/> gives each epoch. <paramref name="initial"/> itself is not changed. With
    /// <see cref="Mlp.CreateInitialized(int, IReadOnlyList{int}, int, RandomSource)"/> and a
    /// <see cref="ShuffledEpochOrder"/> on the same stream this is the other overloads, bit for bit.
    /// </summary>
    /// <param name="train">The training rows: train.FeatureCount must be the network's inputs and train.ClassCount its outputs.</param>
    /// <param name="initial">The starting weights (for example PyTorch's, through <see cref="Mlp.FromLayers"/>).</param>
    /// <param name="options">Epochs, learning rate, batch size, momentum, weight decay.</param>
    /// <param name="epochOrder">Called once per epoch for that epoch's row order (a permutation of the rows).</param>
    /// <param name="observer">Called after every epoch; may stop training early. Null for none.</param>
    /// <param name="cancellationToken">Checked before every epoch.</param>
    /// <returns>The trained network (a new instance) and the mean loss of each epoch.</returns>
    /// <exception cref="ArgumentException">No rows, a non-finite feature, a network of another shape, or an epoch
    /// order that is not a permutation of the rows.</exception>
    /// <exception cref="TrainingDivergedException">An epoch's loss or a weight became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public TrainingResult Train(Dataset train, Mlp initial, TrainingOptions options, IEpochOrder epochOrder,
                                IEpochObserver? observer = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(epochOrder);
        if (initial.InputCount != train.FeatureCount || initial.ClassCount != train.ClassCount)
            ThrowHelper.ThrowArgument(nameof(initial), $"Must have the data's {train.FeatureCount} inputs and {train.ClassCount} classes; " +
                $"has {initial.InputCount} inputs and {initial.ClassCount} classes.");
        CheckTrainingData(train);
        return TrainInPlace(initial.Clone(), train, options, epochOrder, observer, cancellationToken);
    }

    /// <summary>
    /// The gradient of the mean loss over <paramref name="rows"/> of <paramref name="data"/> with respect to every
    /// parameter of <paramref name="model"/>, in its internal layout (<see cref="Mlp.Parameters"/>); returns the
    /// mean loss. The same code as one training step, without the update (for gradient checks).
    /// </summary>
    internal double ComputeGradients(Mlp model, Dataset data, ReadOnlySpan<int> rows, out float[] gradients, LossFunction? loss = null)
    {
        loss ??= LossFunction.CrossEntropy;
        CheckLoss(loss, model.ClassCount);
        EnsureCapacity(model, rows.Length, momentum: false);
        var operation = new GradientOperation(this, model, data, rows, loss);
        LaneDispatch.Run(ref operation);
        gradients = _gradients.AsSpan(0, model.Parameters.Length).ToArray();
        return operation.LossSum / rows.Length;
    }

    private static void CheckTrainingData(Dataset train)
    {
        if (train.RowCount == 0)
            ThrowHelper.ThrowArgument(nameof(train), "Must have at least one row.");
        if (!MlpKernels.AllFinite(train.FeatureSpan))
            ThrowHelper.ThrowArgument(nameof(train), "Features must all be finite.");
        Dataset.ValidateLabels(train.LabelSpan, train.ClassCount, nameof(train));
    }

    // A forward correction's matrix must be the data's k × k.
    private static void CheckLoss(LossFunction loss, int classCount)
    {
        if (loss.Matrix is { } matrix && matrix.ClassCount != classCount)
            ThrowHelper.ThrowArgument("options", $"The loss's transition matrix must be {classCount} × {classCount}, one row and column per class; " +
                $"it is {matrix.ClassCount} × {matrix.ClassCount}.");
    }

    private TrainingResult TrainInPlace(Mlp model, Dataset train, TrainingOptions options, IEpochOrder epochOrder,
                                        IEpochObserver? observer, CancellationToken cancellationToken)
    {
        CheckLoss(options.Loss, model.ClassCount);
        double[] losses = new double[options.Epochs];
        var operation = new TrainOperation(this, model, train, options, epochOrder, losses, observer, cancellationToken);
        LaneDispatch.Run(ref operation);
        // An observer that stopped early leaves the epochs not run out of the record.
        if (operation.EpochsRun < losses.Length)
            Array.Resize(ref losses, operation.EpochsRun);
        return new TrainingResult(model, System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(losses));
    }

    // The one choice of loss per call: everything below is specialised for it.
    private int TrainCore<TL, TV>(Mlp model, Dataset train, TrainingOptions options, IEpochOrder epochOrder,
                                  double[] losses, IEpochObserver? observer, CancellationToken cancellationToken)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        LossFunction loss = options.Loss;
        return loss.Name switch
        {
            LossFunction.CrossEntropyName => TrainCore<TL, TV, CrossEntropyLoss>(model, train, options, epochOrder, losses, observer, default, cancellationToken),
            LossFunction.LabelSmoothingName => TrainCore<TL, TV, LabelSmoothingLoss>(model, train, options, epochOrder, losses, observer,
                new(loss.Parameter, model.ClassCount), cancellationToken),
            LossFunction.GeneralizedCrossEntropyName => TrainCore<TL, TV, GeneralizedCrossEntropyLoss>(model, train, options, epochOrder, losses, observer,
                new(loss.Parameter), cancellationToken),
            LossFunction.SymmetricCrossEntropyName => TrainCore<TL, TV, SymmetricCrossEntropyLoss>(model, train, options, epochOrder, losses, observer,
                new(loss.Parameter, loss.SecondParameter), cancellationToken),
            LossFunction.SoftBootstrappingName => TrainCore<TL, TV, SoftBootstrappingLoss>(model, train, options, epochOrder, losses, observer,
                new(loss.Parameter), cancellationToken),
            LossFunction.HardBootstrappingName => TrainCore<TL, TV, HardBootstrappingLoss>(model, train, options, epochOrder, losses, observer,
                new(loss.Parameter), cancellationToken),
            LossFunction.ForwardCorrectedName => TrainCore<TL, TV, ForwardCorrectedLoss>(model, train, options, epochOrder, losses, observer,
                new(loss.ForwardColumns), cancellationToken),
            _ => throw new UnreachableException(loss.Name),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int TrainCore<TL, TV, TLoss>(Mlp model, Dataset train, TrainingOptions options, IEpochOrder epochOrder,
                                         double[] losses, IEpochObserver? observer, TLoss loss, CancellationToken cancellationToken)
        where TL : struct, ILanes<TV>
        where TV : struct
        where TLoss : struct, ISoftmaxLoss
    {
        int n = train.RowCount;
        int batchSize = Math.Min(options.BatchSize, n);
        bool momentum = options.Momentum != 0;
        EnsureCapacity(model, batchSize, momentum);
        if (_order.Length < n)
        {
            _order = new int[n];
            _seen = new bool[n];
        }
        Span<int> order = _order.AsSpan(0, n);
        Span<float> parameters = model.Parameters;
        Span<float> gradients = _gradients.AsSpan(0, parameters.Length);
        Span<float> velocity = momentum ? _velocity.AsSpan(0, parameters.Length) : default;
        float learningRate = (float)options.LearningRate;
        float momentumFactor = (float)options.Momentum;
        float weightDecay = (float)options.WeightDecay;
        bool firstStep = true;
        // Recorded orders were checked when they were recorded.
        bool checkedOrders = epochOrder is RecordedEpochOrders.Replaying;
        // Plain SGD (no momentum, no weight decay) steps the first layer's weights as their gradient is summed, inside
        // BatchGradients; the parameters after them step after the batch, as all of them do otherwise.
        bool plainStep = !momentum && weightDecay == 0f;
        float? firstLayerStep = plainStep ? learningRate : null;
        int steppedInBatch = plainStep ? model.LayerInputCount(0) * model.PaddedWidths[0] : 0;
        Debug.Assert(model.WeightsOffset(0) == 0); // the first layer's weights lead the parameters

        for (int epoch = 0; epoch < losses.Length; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            epochOrder.NextEpoch(order);
            if (!checkedOrders)
                CheckPermutation(order, epoch, _seen);

            double lossSum = 0;
            for (int start = 0; start < n; start += batchSize)
            {
                ReadOnlySpan<int> rows = order.Slice(start, Math.Min(batchSize, n - start));
                lossSum += BatchGradients<TL, TV, TLoss>(model, train, rows, loss, firstLayerStep);
                // (A plain step has no velocity: steppedInBatch > 0 only where velocity is empty and unused.)
                MlpKernels.SgdStep<TL, TV>(parameters[steppedInBatch..], gradients[steppedInBatch..], velocity,
                    learningRate, momentumFactor, weightDecay, firstStep);
                firstStep = false;
            }

            double meanLoss = lossSum / n;
            losses[epoch] = meanLoss;
            if (!double.IsFinite(meanLoss) || !MlpKernels.AllFinite(parameters))
                throw new TrainingDivergedException(epoch + 1, meanLoss);
            if (observer is not null && !observer.EpochCompleted(epoch + 1, model, meanLoss))
                return epoch + 1;
        }
        return losses.Length;
    }

    // An epoch order from outside must visit every row exactly once; anything else would silently train on a
    // different data set (or index out of range). seen: at least order.Length flags of scratch.
    internal static void CheckPermutation(ReadOnlySpan<int> order, int epoch, Span<bool> seen)
    {
        seen = seen[..order.Length];
        seen.Clear();
        for (int i = 0; i < order.Length; i++)
        {
            int row = order[i];
            if ((uint)row >= (uint)order.Length || seen[row])
                ThrowHelper.ThrowArgument("epochOrder", $"Must give a permutation of 0..{order.Length - 1} every epoch; " +
                    $"epoch {epoch + 1} has {row} at position {i}.");
            seen[row] = true;
        }
    }

    // Forward and backward for one batch: fills _gradients (the mean loss's gradient), returns the SUM of the
    // rows' losses. With a firstLayerStep (a plain SGD step's learning rate) the first layer's weights take their step
    // at once instead (DescendTransposeTimes: the same bits), and their block of _gradients is left as it was.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double BatchGradients<TL, TV, TLoss>(Mlp model, Dataset data, ReadOnlySpan<int> rows, in TLoss loss, float? firstLayerStep = null)
        where TL : struct, ILanes<TV>
        where TV : struct
        where TLoss : struct, ISoftmaxLoss
    {
        int b = rows.Length, d = model.InputCount, k = model.ClassCount;
        ReadOnlySpan<float> features = data.FeatureSpan;
        ReadOnlySpan<int> labels = data.LabelSpan;
        Span<float> inputs = _inputs.AsSpan(0, b * d);
        MlpKernels.GatherRows(features, d, rows, inputs);
        Span<int> batchLabels = _batchLabels.AsSpan(0, b);
        for (int r = 0; r < b; r++)
            batchLabels[r] = labels[rows[r]];

        Span<float> activations = _activations.AsSpan(0, model.ActivationLength(b));
        double lossSum;
        if (RunsInLanes<TLoss>())
        {
            // The logits go straight into the blocks the cross-entropy in lanes reads (the same values).
            Span<float> logitBlocks = _logits.AsSpan(0, CrossEntropyInLanes.BlocksLength(b, k));
            model.Forward<TL, TV>(inputs, b, activations, logitBlocks, logitsInBlocks: true);
            lossSum = CrossEntropyInLanes.LossFromBlocks(logitBlocks, batchLabels, k, _logitGradient.AsSpan(0, b * k),
                _shifted.Span, _exponentials.Span, MemoryMarshal.Cast<double, float>(_rowGradients.Span));
        }
        else
        {
            Span<float> logits = _logits.AsSpan(0, b * k);
            model.Forward<TL, TV>(inputs, b, activations, logits);
            lossSum = SoftmaxLoss(loss, logits, batchLabels, k, _logitGradient.AsSpan(0, b * k), _shifted.Span, _exponentials.Span, _rowGradients.Span);
        }

        ReadOnlySpan<float> g = _logitGradient.AsSpan(0, b * k);
        ReadOnlySpan<float> p = model.Parameters;
        Span<float> grad = _gradients.AsSpan(0, p.Length);
        Span<float> deltas = _deltas.AsSpan(0, activations.Length);
        ReadOnlySpan<int> widths = model.Widths, padded = model.PaddedWidths;

        // The output layer: its weight and bias gradients, and δ of the last hidden layer.
        int last = widths.Length - 1, lastWidth = padded[last], lastOffset = activations.Length - b * lastWidth;
        ReadOnlySpan<float> lastActivations = activations.Slice(lastOffset, b * lastWidth);
        int outputLayer = widths.Length;
        MlpKernels.RowsTimesMatrix<TL, TV>(g, b, k, k, p.Slice(model.WeightsOffset(outputLayer), k * lastWidth), lastWidth,
            default, lastActivations, deltas.Slice(lastOffset, b * lastWidth));
        MlpKernels.TransposeTimes<TL, TV>(g, b, k, k, lastActivations, lastWidth, grad.Slice(model.WeightsOffset(outputLayer), k * lastWidth));
        MlpKernels.NarrowColumnSums<TL, TV>(g, b, k, grad.Slice(model.BiasesOffset(outputLayer), k));

        // The hidden layers, from the last: weight and bias gradients from δ, then δ of the layer below.
        int offset = lastOffset;
        for (int l = last; l >= 0; l--)
        {
            int width = padded[l], inputCount = model.LayerInputCount(l);
            ReadOnlySpan<float> delta = deltas.Slice(offset, b * width);
            int belowWidth = l == 0 ? d : padded[l - 1], belowOffset = l == 0 ? 0 : offset - b * belowWidth;
            ReadOnlySpan<float> below = l == 0 ? inputs : activations.Slice(belowOffset, b * belowWidth);
            if (l == 0 && firstLayerStep is { } rate)
                MlpKernels.DescendTransposeTimes<TL, TV>(below, b, inputCount, belowWidth, delta, width, rate,
                    model.Parameters.Slice(model.WeightsOffset(l), inputCount * width));
            else
                MlpKernels.TransposeTimes<TL, TV>(below, b, inputCount, belowWidth, delta, width, grad.Slice(model.WeightsOffset(l), inputCount * width));
            MlpKernels.ColumnSums<TL, TV>(delta, b, width, grad.Slice(model.BiasesOffset(l), width));
            if (l > 0)
            {
                // δ·W runs along this layer's outputs, stored in lanes; a transposed copy (output-major) puts the
                // layer below's units in the lanes instead.
                Span<float> transposed = _transposed.AsSpan(0, widths[l] * belowWidth);
                MlpKernels.Transpose(p.Slice(model.WeightsOffset(l), inputCount * width), inputCount, widths[l], width, belowWidth, transposed);
                MlpKernels.RowsTimesMatrix<TL, TV>(delta, b, widths[l], width, transposed, belowWidth,
                    default, activations.Slice(belowOffset, b * belowWidth), deltas.Slice(belowOffset, b * belowWidth));
            }
            offset = belowOffset;
        }
        return lossSum;
    }

    // Where the loss runs with its rows in the lanes (CrossEntropyInLanes): the cross-entropy on 512-bit hardware.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool RunsInLanes<TLoss>()
        where TLoss : struct, ISoftmaxLoss =>
        typeof(TLoss) == typeof(CrossEntropyLoss) && CrossEntropyInLanes.IsSupported;

    /// <summary>
    /// Per row: m = max_c z_c (the first of equal largest), u_c = z_c − m, e_c = exp(u_c), s = Σ_c e_c (c in order, from
    /// +0), in double with our own exp; then <paramref name="loss"/> gives the row's loss and writes its gradient.
    /// For the cross-entropy: loss = ln s − u_y, gradient[r, c] = (float)((e_c·(1/s) − [c = y])·(1/rows)), the
    /// reciprocals rounded once each (and for c ≠ y simply (float)(e_c·(1/s)·(1/rows))). Returns the sum of the rows'
    /// losses. A loss whose row value leaves out ln s (<see cref="ISoftmaxLoss.AddsLogSum"/>, the cross-entropy among
    /// them) has it added as ln Π_r s, a logarithm per batch instead of per row, in <see cref="BatchLoss"/>'s order.
    /// <paramref name="shifted"/>,
    /// <paramref name="exponentials"/> and <paramref name="rowGradients"/> are scratch space of
    /// <see cref="SoftmaxScratchLength"/> each.
    /// </summary>
    /// <remarks>The cross-entropy on 512-bit hardware runs with its rows in the lanes (<see cref="CrossEntropyInLanes"/>);
    /// everything else runs <see cref="SoftmaxLossByRows{TLoss}"/>. Both give the same bits.</remarks>
    internal static double SoftmaxLoss<TLoss>(in TLoss loss, ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classCount,
                                              Span<float> gradient, Span<double> shifted, Span<double> exponentials, Span<double> rowGradients)
        where TLoss : struct, ISoftmaxLoss
    {
        Debug.Assert(shifted.Length >= SoftmaxScratchLength(labels.Length, classCount));
        if (RunsInLanes<TLoss>())
            return CrossEntropyInLanes.Loss(logits, labels, classCount, gradient, shifted, exponentials,
                MemoryMarshal.Cast<double, float>(rowGradients));
        return SoftmaxLossByRows(loss, logits, labels, classCount, gradient, shifted, exponentials, rowGradients);
    }

    /// <summary>The length of each of <see cref="SoftmaxLoss{TLoss}"/>'s three scratch spans for a batch of
    /// <paramref name="rows"/>: rows × (classes + 2), the rows rounded up to whole blocks of
    /// <see cref="CrossEntropyInLanes.Rows"/> (the two more per row hold its loss and its softmax denominator).</summary>
    internal static int SoftmaxScratchLength(int rows, int classCount) => CrossEntropyInLanes.ScratchLength(rows, classCount);

    /// <summary><see cref="SoftmaxLoss{TLoss}"/> one row at a time: every loss, on every instruction set (the
    /// cross-entropy's rows-in-lanes path, <see cref="CrossEntropyInLanes"/>, is tested against it bit for bit).</summary>
    /// <remarks>Done in passes over the whole batch (shift, exp, then sums and gradients) rather than row by row, so
    /// the exps run as vectors; the one logarithm per batch keeps the loss out of the hot path.</remarks>
    internal static double SoftmaxLossByRows<TLoss>(in TLoss loss, ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classCount,
                                                    Span<float> gradient, Span<double> shifted, Span<double> exponentials, Span<double> rowGradients)
        where TLoss : struct, ISoftmaxLoss
    {
        int rows = labels.Length, count = rows * classCount;
        double inverseRows = 1.0 / rows;
        // Converted to double first, a whole batch at a time: a scalar float-to-double conversion merges into its
        // destination register, which chained every conversion of the loop to the one before (a false dependency).
        MlpKernels.Widen(logits[..count], shifted);
        for (int r = 0; r < rows; r++)
        {
            Span<double> row = shifted.Slice(r * classCount, classCount);
            double max = row[0];
            for (int c = 1; c < classCount; c++)
                max = Larger(row[c], max);
            for (int c = 0; c < classCount; c++)
                row[c] -= max;
        }

        PolynomialExp.Exp(shifted[..count], exponentials);

        Span<double> rowLosses = exponentials.Slice(count, rows), sums = exponentials.Slice(count + rows, rows);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<double> e = exponentials.Slice(r * classCount, classCount);
            double sum = 0;
            for (int c = 0; c < classCount; c++)
                sum += e[c];
            sums[r] = sum;
            rowLosses[r] = loss.Row(labels[r], shifted.Slice(r * classCount, classCount), e, sum, inverseRows, rowGradients.Slice(r * classCount, classCount));
        }
        MlpKernels.RoundToFloat(rowGradients[..count], gradient); // the same false dependency, the other way
        return TLoss.AddsLogSum ? BatchLoss.SumWithLogProduct(rowLosses, sums) : BatchLoss.Sum(rowLosses);
    }

    // value > max ? value : max, without a branch where the hardware allows: which logit is largest changes from row to
    // row at random, and a mispredicted branch per row cost more than the rest of the softmax (measured: 2.2 against
    // 1.2 ms per 1,200 batches). MAXSD returns its second operand unless the first is greater, with NaNs and zeros of
    // either sign included, which is exactly the comparison.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Larger(double value, double max) =>
        Sse2.IsSupported
            ? Sse2.MaxScalar(Vector128.CreateScalarUnsafe(value), Vector128.CreateScalarUnsafe(max)).ToScalar()
            : value > max ? value : max;

    /// <summary><see cref="SoftmaxLoss{TLoss}"/> for a <see cref="LossFunction"/> (tests and benchmarks: the trainer
    /// itself picks the struct once per call).</summary>
    internal static double SoftmaxLoss(LossFunction loss, ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classCount,
                                       Span<float> gradient, Span<double> shifted, Span<double> exponentials, Span<double> rowGradients)
    {
        CheckLoss(loss, classCount);
        return loss.Name switch
        {
            LossFunction.CrossEntropyName => SoftmaxLoss(new CrossEntropyLoss(), logits, labels, classCount, gradient, shifted, exponentials, rowGradients),
            LossFunction.LabelSmoothingName => SoftmaxLoss(new LabelSmoothingLoss(loss.Parameter, classCount), logits, labels, classCount, gradient, shifted, exponentials, rowGradients),
            LossFunction.GeneralizedCrossEntropyName => SoftmaxLoss(new GeneralizedCrossEntropyLoss(loss.Parameter), logits, labels, classCount, gradient, shifted, exponentials, rowGradients),
            LossFunction.SymmetricCrossEntropyName => SoftmaxLoss(new SymmetricCrossEntropyLoss(loss.Parameter, loss.SecondParameter), logits, labels, classCount,
                gradient, shifted, exponentials, rowGradients),
            LossFunction.SoftBootstrappingName => SoftmaxLoss(new SoftBootstrappingLoss(loss.Parameter), logits, labels, classCount, gradient, shifted, exponentials, rowGradients),
            LossFunction.HardBootstrappingName => SoftmaxLoss(new HardBootstrappingLoss(loss.Parameter), logits, labels, classCount, gradient, shifted, exponentials, rowGradients),
            LossFunction.ForwardCorrectedName => SoftmaxLoss(new ForwardCorrectedLoss(loss.ForwardColumns), logits, labels, classCount, gradient, shifted, exponentials, rowGradients),
            _ => throw new UnreachableException(loss.Name),
        };
    }

    private void EnsureCapacity(Mlp model, int batchSize, bool momentum)
    {
        int d = model.InputCount, k = model.ClassCount, count = model.Parameters.Length;
        int activations = model.ActivationLength(batchSize), transposed = 0;
        for (int l = 1; l < model.HiddenLayerCount; l++)
            transposed = Math.Max(transposed, model.Widths[l] * model.PaddedWidths[l - 1]);
        Grow(ref _batchLabels, batchSize);
        Grow(ref _inputs, batchSize * d);
        Grow(ref _activations, activations);
        Grow(ref _deltas, activations);
        Grow(ref _transposed, transposed);
        Grow(ref _logits, CrossEntropyInLanes.BlocksLength(batchSize, k));
        Grow(ref _logitGradient, batchSize * k);
        int softmaxScratch = SoftmaxScratchLength(batchSize, k);
        Grow(ref _shifted, softmaxScratch);
        Grow(ref _exponentials, softmaxScratch);
        Grow(ref _rowGradients, softmaxScratch);
        Grow(ref _gradients, count);
        if (momentum)
        {
            Grow(ref _velocity, count);
            _velocity.AsSpan(0, count).Clear();
        }
    }

    // The buffers the kernels read and write in whole registers start on a cache line (see AlignedArray).
    private static void Grow<T>(ref AlignedArray<T> buffer, int length)
        where T : unmanaged
    {
        if (buffer.Length < length)
            buffer = new AlignedArray<T>(length);
    }

    private struct TrainOperation(MlpTrainer trainer, Mlp model, Dataset train, TrainingOptions options,
                                           IEpochOrder epochOrder, double[] losses, IEpochObserver? observer,
                                           CancellationToken cancellationToken) : ILaneOperation
    {
        /// <summary>The epochs trained, set by <see cref="Invoke{TL, TV}"/> (fewer than asked if the observer stopped).</summary>
        public int EpochsRun { get; private set; }

        public void Invoke<TL, TV>()
            where TL : struct, ILanes<TV>
            where TV : struct =>
            EpochsRun = trainer.TrainCore<TL, TV>(model, train, options, epochOrder, losses, observer, cancellationToken);
    }

    private ref struct GradientOperation(MlpTrainer trainer, Mlp model, Dataset data, ReadOnlySpan<int> rows, LossFunction loss) : ILaneOperation
    {
        private readonly ReadOnlySpan<int> _rows = rows;

        /// <summary>The sum of the rows' losses, set by <see cref="Invoke{TL, TV}"/>.</summary>
        public double LossSum { get; private set; }

        public void Invoke<TL, TV>()
            where TL : struct, ILanes<TV>
            where TV : struct =>
            LossSum = loss.Name switch
            {
                LossFunction.CrossEntropyName => trainer.BatchGradients<TL, TV, CrossEntropyLoss>(model, data, _rows, default),
                LossFunction.LabelSmoothingName => trainer.BatchGradients<TL, TV, LabelSmoothingLoss>(model, data, _rows, new(loss.Parameter, model.ClassCount)),
                LossFunction.GeneralizedCrossEntropyName => trainer.BatchGradients<TL, TV, GeneralizedCrossEntropyLoss>(model, data, _rows, new(loss.Parameter)),
                LossFunction.SymmetricCrossEntropyName => trainer.BatchGradients<TL, TV, SymmetricCrossEntropyLoss>(model, data, _rows,
                    new(loss.Parameter, loss.SecondParameter)),
                LossFunction.SoftBootstrappingName => trainer.BatchGradients<TL, TV, SoftBootstrappingLoss>(model, data, _rows, new(loss.Parameter)),
                LossFunction.HardBootstrappingName => trainer.BatchGradients<TL, TV, HardBootstrappingLoss>(model, data, _rows, new(loss.Parameter)),
                LossFunction.ForwardCorrectedName => trainer.BatchGradients<TL, TV, ForwardCorrectedLoss>(model, data, _rows, new(loss.ForwardColumns)),
                _ => throw new UnreachableException(loss.Name),
            };
    }
}
