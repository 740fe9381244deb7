using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using LabelFlip.Core.Data;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Nn.Kernels;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Nn;

/// <summary>
/// A two-layer perceptron, Linear(d→h) – ReLU – Linear(h→k), with float32 parameters: logits =
/// W2·relu(W1·x + b1) + b2.
/// </summary>
/// <remarks>
/// <para><b>Parameter layout (PyTorch's).</b> <see cref="GetHiddenWeights"/> is W1 (<c>fc1.weight</c>), h × d
/// row-major: entry [j·d + i] weighs input i into hidden unit j. <see cref="GetHiddenBiases"/> is b1 (h).
/// <see cref="GetOutputWeights"/> is W2 (<c>fc2.weight</c>), k × h row-major: [c·h + j] weighs hidden unit j
/// into class c. <see cref="GetOutputBiases"/> is b2 (k).</para>
/// <para>Internally W1 is stored transposed (d × h, input-major, with b1 as an extra row) and every hidden row
/// is padded with zeros to a multiple of 16, so the kernels run one SIMD lane per hidden unit.</para>
/// <para>Evaluation gives the same bits on every instruction set (see the kernels' remarks). An instance is not
/// changed by evaluation and may be shared between threads for evaluation.</para>
/// </remarks>
public sealed class Mlp
{
    // Evaluation processes rows in chunks of this many, so its scratch buffers stay small.
    private const int EvaluationChunkRows = 64;

    private readonly float[] _parameters;

    internal Mlp(int inputCount, int hiddenWidth, int classCount, float[] parameters)
    {
        InputCount = inputCount;
        HiddenWidth = hiddenWidth;
        ClassCount = classCount;
        PaddedWidth = MlpKernels.PadWidth(hiddenWidth);
        _parameters = parameters;
    }

    /// <summary>Number of inputs d (features per row).</summary>
    public int InputCount { get; }

    /// <summary>Number of hidden units h.</summary>
    public int HiddenWidth { get; }

    /// <summary>Number of classes k (outputs).</summary>
    public int ClassCount { get; }

    /// <summary>The hidden width rounded up to a multiple of 16: the stride of every internal hidden row.</summary>
    internal int PaddedWidth { get; }

    /// <summary>
    /// All parameters in the internal layout: (d + 1) rows of <see cref="PaddedWidth"/> floats (row i &lt; d holds
    /// W1[:, i], row d holds b1), then k rows of W2, then the k entries of b2. Padding is zero.
    /// </summary>
    internal float[] Parameters => _parameters;

    /// <summary>Offset of the W1ᵀ/b1 block (rows of <see cref="PaddedWidth"/>).</summary>
    internal static int InputBlockOffset => 0;

    /// <summary>Offset of W2 (k rows of <see cref="PaddedWidth"/>).</summary>
    internal int OutputWeightsOffset => (InputCount + 1) * PaddedWidth;

    /// <summary>Offset of b2 (k floats).</summary>
    internal int OutputBiasesOffset => (InputCount + 1 + ClassCount) * PaddedWidth;

    /// <summary>Length of <see cref="Parameters"/> for these sizes.</summary>
    internal static int ParameterCount(int inputCount, int hiddenWidth, int classCount) =>
        (inputCount + 1 + classCount) * MlpKernels.PadWidth(hiddenWidth) + classCount;

    /// <summary>
    /// A network initialised like PyTorch's <c>nn.Linear</c> default: every weight and bias of a layer uniform in
    /// [−1/√fan_in, 1/√fan_in), fan_in = d for the first layer and h for the second.
    /// </summary>
    /// <remarks>
    /// The bound is (float)(1 / Math.Sqrt(fan_in)) (Math.Sqrt is correctly rounded). Draws, each
    /// <see cref="RandomSource.NextSingle(float, float)"/>(−bound, bound), in this order: W1 row-major in PyTorch's
    /// layout (j = 0..h−1, then i = 0..d−1 inside), b1 (j = 0..h−1), W2 row-major (c, then j), b2 (c).
    /// </remarks>
    /// <param name="inputCount">d, at least 1.</param>
    /// <param name="hiddenWidth">h, at least 1.</param>
    /// <param name="classCount">k, at least 2.</param>
    /// <param name="random">The run's stream; advanced by (d + 1)·h + (h + 1)·k draws.</param>
    public static Mlp CreateInitialized(int inputCount, int hiddenWidth, int classCount, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckSizes(inputCount, hiddenWidth, classCount);
        var model = new Mlp(inputCount, hiddenWidth, classCount, new float[ParameterCount(inputCount, hiddenWidth, classCount)]);
        Span<float> p = model._parameters;
        int hp = model.PaddedWidth;

        float bound1 = (float)(1.0 / Math.Sqrt(inputCount));
        for (int j = 0; j < hiddenWidth; j++)
        {
            for (int i = 0; i < inputCount; i++)
                p[i * hp + j] = random.NextSingle(-bound1, bound1);
        }
        for (int j = 0; j < hiddenWidth; j++)
            p[inputCount * hp + j] = random.NextSingle(-bound1, bound1);

        float bound2 = (float)(1.0 / Math.Sqrt(hiddenWidth));
        int w2 = model.OutputWeightsOffset;
        for (int c = 0; c < classCount; c++)
        {
            for (int j = 0; j < hiddenWidth; j++)
                p[w2 + c * hp + j] = random.NextSingle(-bound2, bound2);
        }
        for (int c = 0; c < classCount; c++)
            p[model.OutputBiasesOffset + c] = random.NextSingle(-bound2, bound2);
        return model;
    }

    /// <summary>A copy of W1 (PyTorch's <c>fc1.weight</c>): h × d row-major, [j·d + i].</summary>
    public float[] GetHiddenWeights()
    {
        float[] result = new float[HiddenWidth * InputCount];
        for (int j = 0; j < HiddenWidth; j++)
        {
            for (int i = 0; i < InputCount; i++)
                result[j * InputCount + i] = _parameters[i * PaddedWidth + j];
        }
        return result;
    }

    /// <summary>A copy of b1 (PyTorch's <c>fc1.bias</c>): h values.</summary>
    public float[] GetHiddenBiases() => _parameters.AsSpan(InputCount * PaddedWidth, HiddenWidth).ToArray();

    /// <summary>A copy of W2 (PyTorch's <c>fc2.weight</c>): k × h row-major, [c·h + j].</summary>
    public float[] GetOutputWeights()
    {
        float[] result = new float[ClassCount * HiddenWidth];
        for (int c = 0; c < ClassCount; c++)
            _parameters.AsSpan(OutputWeightsOffset + c * PaddedWidth, HiddenWidth).CopyTo(result.AsSpan(c * HiddenWidth));
        return result;
    }

    /// <summary>A copy of b2 (PyTorch's <c>fc2.bias</c>): k values.</summary>
    public float[] GetOutputBiases() => _parameters.AsSpan(OutputBiasesOffset, ClassCount).ToArray();

    /// <summary>An independent copy with the same parameters.</summary>
    public Mlp Clone() => new(InputCount, HiddenWidth, ClassCount, (float[])_parameters.Clone());

    /// <summary>The logits of every row of <paramref name="data"/>: rows × classes, row-major.</summary>
    /// <param name="data">Rows with <see cref="InputCount"/> features each.</param>
    public float[] Logits(Dataset data)
    {
        CheckFeatureCount(data);
        float[] logits = new float[data.RowCount * ClassCount];
        LogitsUnchecked(data.FeatureSpan, logits);
        return logits;
    }

    /// <summary>Writes the logits of the rows in <paramref name="features"/> to <paramref name="destination"/>.</summary>
    /// <param name="features">Row-major rows of <see cref="InputCount"/> finite features each.</param>
    /// <param name="destination">rows × <see cref="ClassCount"/> floats, row-major.</param>
    public void Logits(ReadOnlySpan<float> features, Span<float> destination)
    {
        int rows = CheckFeatures(features);
        if (destination.Length != rows * ClassCount)
            ThrowHelper.ThrowArgument(nameof(destination), $"Must hold rows × classes = {rows} × {ClassCount} values; got {destination.Length}.");
        LogitsUnchecked(features, destination);
    }

    /// <summary>The predicted class of every row: the index of its largest logit, ties to the lowest class.</summary>
    /// <param name="data">Rows with <see cref="InputCount"/> features each.</param>
    public int[] Predict(Dataset data)
    {
        ReadOnlySpan<float> features = CheckFeatureCount(data);
        int[] classes = new int[data.RowCount];
        PredictUnchecked(features, classes); // a Dataset's features were checked finite when it was built
        return classes;
    }

    /// <summary>Writes the predicted class of each row in <paramref name="features"/> to <paramref name="destination"/>.</summary>
    /// <param name="features">Row-major rows of <see cref="InputCount"/> finite features each.</param>
    /// <param name="destination">One class per row.</param>
    public void Predict(ReadOnlySpan<float> features, Span<int> destination)
    {
        int rows = CheckFeatures(features);
        if (destination.Length != rows)
            ThrowHelper.ThrowArgument(nameof(destination), $"Must hold one class per row ({rows}); got {destination.Length}.");
        PredictUnchecked(features, destination);
    }

    /// <summary>The share of rows of <paramref name="data"/> whose prediction equals their label (0 for no rows).</summary>
    /// <param name="data">Rows with <see cref="InputCount"/> features and labels below <see cref="ClassCount"/>.</param>
    public double Accuracy(Dataset data)
    {
        ReadOnlySpan<float> features = CheckFeatureCount(data);
        Dataset.ValidateLabels(data.LabelSpan, ClassCount, nameof(data));
        if (data.RowCount == 0)
            return 0;
        int[] predicted = new int[data.RowCount];
        PredictUnchecked(features, predicted);
        ReadOnlySpan<int> labels = data.LabelSpan;
        int correct = 0;
        for (int r = 0; r < predicted.Length; r++)
        {
            if (predicted[r] == labels[r])
                correct++;
        }
        return (double)correct / predicted.Length;
    }

    internal static void CheckSizes(int inputCount, int hiddenWidth, int classCount)
    {
        // The upper bounds only keep the parameter count far from int overflow.
        ThrowHelper.ThrowIfOutside(inputCount, 1, 1 << 16);
        ThrowHelper.ThrowIfOutside(hiddenWidth, 1, 1 << 16);
        ThrowHelper.ThrowIfOutside(classCount, 2, 1 << 12);
    }

    internal static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int c = 1; c < values.Length; c++)
        {
            if (values[c] > values[best])
                best = c;
        }
        return best;
    }

    private ReadOnlySpan<float> CheckFeatureCount(Dataset? data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != InputCount)
            ThrowHelper.ThrowArgument(nameof(data), $"Must have {InputCount} features per row, as the network; has {data.FeatureCount}.");
        return data.FeatureSpan;
    }

    private int CheckFeatures(ReadOnlySpan<float> features)
    {
        if (features.Length % InputCount != 0)
            ThrowHelper.ThrowArgument(nameof(features), $"Must hold whole rows of {InputCount} features; got {features.Length} values.");
        for (int i = 0; i < features.Length; i++)
        {
            if (!float.IsFinite(features[i]))
                ThrowHelper.ThrowArgument(nameof(features), $"Must be finite; row {i / InputCount}, feature {i % InputCount} is {features[i]}.");
        }
        return features.Length / InputCount;
    }

    private void PredictUnchecked(ReadOnlySpan<float> features, Span<int> destination)
    {
        float[] logits = new float[destination.Length * ClassCount];
        LogitsUnchecked(features, logits);
        for (int r = 0; r < destination.Length; r++)
            destination[r] = ArgMax(logits.AsSpan(r * ClassCount, ClassCount));
    }

    private void LogitsUnchecked(ReadOnlySpan<float> features, Span<float> destination)
    {
        if (Vector512.IsHardwareAccelerated)
            LogitsCore<Lanes512, Vector512<float>>(features, destination);
        else if (Vector256.IsHardwareAccelerated)
            LogitsCore<Lanes256, Vector256<float>>(features, destination);
        else if (Vector128.IsHardwareAccelerated)
            LogitsCore<Lanes128, Vector128<float>>(features, destination);
        else
            LogitsCore<Lanes1, float>(features, destination);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LogitsCore<TL, TV>(ReadOnlySpan<float> features, Span<float> destination)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        int d = InputCount, hp = PaddedWidth, rows = features.Length / d;
        float[] inputs = new float[EvaluationChunkRows * (d + 1)];
        float[] hidden = new float[EvaluationChunkRows * hp];
        for (int start = 0; start < rows; start += EvaluationChunkRows)
        {
            int count = Math.Min(EvaluationChunkRows, rows - start);
            MlpTrainer.AugmentRows(features.Slice(start * d, count * d), d, inputs);
            Forward<TL, TV>(inputs, count, hidden, destination.Slice(start * ClassCount, count * ClassCount));
        }
    }

    /// <summary>
    /// hidden = relu([x, 1]·[W1ᵀ; b1]) and logits = hidden·W2ᵀ + b2 for <paramref name="rows"/> augmented input rows
    /// (d features then a 1).
    /// </summary>
    internal void Forward<TL, TV>(ReadOnlySpan<float> augmentedInputs, int rows, Span<float> hidden, Span<float> logits)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        int hp = PaddedWidth;
        ReadOnlySpan<float> p = _parameters;
        MlpKernels.RowsTimesMatrix<TL, TV>(augmentedInputs, rows, InputCount + 1, p[..OutputWeightsOffset], hp, default, hidden);
        MlpKernels.Logits<TL, TV>(hidden, rows, hp, p.Slice(OutputWeightsOffset, ClassCount * hp),
            p.Slice(OutputBiasesOffset, ClassCount), ClassCount, logits);
    }
}
