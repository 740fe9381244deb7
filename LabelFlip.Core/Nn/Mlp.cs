using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LabelFlip.Core.Data;
using LabelFlip.Core.Internal;
using LabelFlip.Core.Nn.Kernels;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Nn;

/// <summary>
/// A multilayer perceptron, Linear(d→h₁) – ReLU – Linear(h₁→h₂) – ReLU – … – Linear(h_L→k), with float32
/// parameters: a⁰ = x, aˡ = relu(Wˡ·aˡ⁻¹ + bˡ) for the L ≥ 1 hidden layers, logits = W^out·a^L + b^out. With one
/// hidden layer (the study's network) this is logits = W2·relu(W1·x + b1) + b2.
/// </summary>
/// <remarks>
/// <para><b>Parameter layout (PyTorch's).</b> Linear layer l (0 ≤ l &lt; <see cref="LayerCount"/>; the last one is
/// the output layer) has <see cref="GetWeights"/>(l), out × in row-major like PyTorch's <c>weight</c>: entry
/// [o·in + i] weighs input i into output o; and <see cref="GetBiases"/>(l), its out biases. For one hidden layer,
/// layer 0 is <c>fc1</c> (h × d) and layer 1 is <c>fc2</c> (k × h).</para>
/// <para><b>Internal layout.</b> Every hidden width is padded with zeros to a multiple of 16 (its padded width; one
/// block of 16 more where rows would lie a multiple of 4 KB apart, see MlpKernels.PadWidth), so the kernels run one
/// SIMD lane per hidden unit. Hidden layer l is stored transposed (input-major): one row of
/// its padded width per input (in = d for the first layer, else the previous layer's real width hˡ⁻¹), then one
/// such row of biases. The output layer follows as k rows of the last padded width (output-major, as PyTorch),
/// then the k output biases. Padding entries are zero and stay zero in training. For one hidden layer this is the
/// layout of earlier versions, unchanged.</para>
/// <para>Evaluation gives the same bits on every instruction set (see the kernels' remarks). An instance is not
/// changed by evaluation and may be shared between threads for evaluation.</para>
/// </remarks>
public sealed class Mlp
{
    /// <summary>The largest hidden width (and input count) accepted.</summary>
    public const int MaxWidth = 1 << 16;

    /// <summary>The largest number of classes accepted.</summary>
    public const int MaxClassCount = 1 << 12;

    // Evaluation processes rows in chunks of this many, so its scratch buffers stay small.
    internal const int EvaluationChunkRows = 64;

    private readonly AlignedArray<float> _parameters; // on a cache line: the kernels load it in whole registers
    private readonly int[] _widths;          // real hidden widths, L of them
    private readonly int[] _paddedWidths;    // the same, rounded up to multiples of 16
    private readonly int[] _weightOffsets;   // L + 1: each layer's weight block in _parameters
    private readonly int[] _biasOffsets;     // L + 1: each layer's biases in _parameters

    // A network of these sizes with every parameter zero.
    internal Mlp(int inputCount, int[] hiddenWidths, int classCount)
        : this(inputCount, hiddenWidths, classCount, new AlignedArray<float>(ParameterCount(inputCount, hiddenWidths, classCount)))
    {
    }

    // A network with a copy of parameters in the internal layout.
    internal Mlp(int inputCount, int[] hiddenWidths, int classCount, ReadOnlySpan<float> parameters)
        : this(inputCount, hiddenWidths, classCount, new AlignedArray<float>(parameters))
    {
    }

    private Mlp(int inputCount, int[] hiddenWidths, int classCount, AlignedArray<float> parameters)
    {
        InputCount = inputCount;
        ClassCount = classCount;
        _widths = hiddenWidths;
        _paddedWidths = Array.ConvertAll(hiddenWidths, MlpKernels.PadWidth);
        _weightOffsets = new int[hiddenWidths.Length + 1];
        _biasOffsets = new int[hiddenWidths.Length + 1];
        int count = Layout(inputCount, hiddenWidths, classCount, _weightOffsets, _biasOffsets);
        Debug.Assert(parameters.Length == count);
        _parameters = parameters;
        HiddenWidths = ImmutableCollectionsMarshal.AsImmutableArray(hiddenWidths);
    }

    /// <summary>Number of inputs d (features per row).</summary>
    public int InputCount { get; }

    /// <summary>The width of each hidden layer, h₁ … h_L, from the input side; at least one.</summary>
    public ImmutableArray<int> HiddenWidths { get; }

    /// <summary>The width of the first hidden layer: for the one-hidden-layer network, its only width h.</summary>
    public int HiddenWidth => _widths[0];

    /// <summary>Number of hidden layers L (at least 1).</summary>
    public int HiddenLayerCount => _widths.Length;

    /// <summary>Number of linear layers, L + 1: the hidden layers, then the output layer.</summary>
    public int LayerCount => _widths.Length + 1;

    /// <summary>Number of classes k (outputs).</summary>
    public int ClassCount { get; }

    /// <summary>
    /// All parameters in the internal layout (see the remarks of <see cref="Mlp"/>): per hidden layer its input
    /// rows and a bias row, each of its padded width; then the output weights, k rows of the last padded width;
    /// then the k output biases. Padding is zero.
    /// </summary>
    internal Span<float> Parameters => _parameters.Span;

    /// <summary>The padded widths of the hidden layers (multiples of 16): each hidden row's stride.</summary>
    internal ReadOnlySpan<int> PaddedWidths => _paddedWidths;

    /// <summary>The real hidden widths.</summary>
    internal ReadOnlySpan<int> Widths => _widths;

    /// <summary>Inputs of linear layer <paramref name="layer"/>: d for the first, else the previous hidden width.</summary>
    internal int LayerInputCount(int layer) => layer == 0 ? InputCount : _widths[layer - 1];

    /// <summary>Offset of layer <paramref name="layer"/>'s weights: for a hidden layer, its input rows (each of its
    /// padded width, followed by its bias row); for the output layer, k rows of the last padded width.</summary>
    internal int WeightsOffset(int layer) => _weightOffsets[layer];

    /// <summary>Offset of layer <paramref name="layer"/>'s biases: a padded row for a hidden layer, k floats for the
    /// output layer.</summary>
    internal int BiasesOffset(int layer) => _biasOffsets[layer];

    /// <summary>Floats of hidden activations for <paramref name="rows"/> rows: rows × every padded width.</summary>
    internal int ActivationLength(int rows)
    {
        int sum = 0;
        foreach (int width in _paddedWidths)
            sum += width;
        return rows * sum;
    }

    /// <summary>
    /// A one-hidden-layer network initialised like PyTorch's <c>nn.Linear</c> default: every weight and bias of a
    /// layer uniform in [−1/√fan_in, 1/√fan_in), fan_in = d for the first layer and h for the second.
    /// </summary>
    /// <remarks>
    /// The same as <see cref="CreateInitialized(int, IReadOnlyList{int}, int, RandomSource)"/> with the one width
    /// [<paramref name="hiddenWidth"/>]. The bound is (float)(1 / Math.Sqrt(fan_in)) (Math.Sqrt is correctly
    /// rounded). Draws, each <see cref="RandomSource.NextSingle(float, float)"/>(−bound, bound), in this order: W1
    /// row-major in PyTorch's layout (j = 0..h−1, then i = 0..d−1 inside), b1 (j = 0..h−1), W2 row-major (c, then
    /// j), b2 (c).
    /// </remarks>
    /// <param name="inputCount">d, in [1, <see cref="MaxWidth"/>].</param>
    /// <param name="hiddenWidth">h, in [1, <see cref="MaxWidth"/>].</param>
    /// <param name="classCount">k, in [2, <see cref="MaxClassCount"/>].</param>
    /// <param name="random">The run's stream; advanced by (d + 1)·h + (h + 1)·k draws.</param>
    public static Mlp CreateInitialized(int inputCount, int hiddenWidth, int classCount, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckSizes(inputCount, hiddenWidth, classCount);
        return CreateInitializedUnchecked(inputCount, [hiddenWidth], classCount, random);
    }

    /// <summary>
    /// A network with hidden layers of <paramref name="hiddenWidths"/>, initialised like PyTorch's <c>nn.Linear</c>
    /// default: every weight and bias of a layer uniform in [−1/√fan_in, 1/√fan_in), fan_in being the layer's
    /// input count (d for the first layer, then each hidden width in turn).
    /// </summary>
    /// <remarks>
    /// Layer by layer from the input side, each layer's weights row-major in PyTorch's layout (output o, then input
    /// i inside), then its biases; each draw <see cref="RandomSource.NextSingle(float, float)"/>(−bound, bound) with
    /// bound = (float)(1 / Math.Sqrt(fan_in)) (Math.Sqrt is correctly rounded). This is the order in which PyTorch
    /// creates the layers of an <c>nn.Sequential</c>; with one width it is
    /// <see cref="CreateInitialized(int, int, int, RandomSource)"/>, bit for bit.
    /// </remarks>
    /// <param name="inputCount">d, in [1, <see cref="MaxWidth"/>].</param>
    /// <param name="hiddenWidths">h₁ … h_L: at least one, each in [1, <see cref="MaxWidth"/>].</param>
    /// <param name="classCount">k, in [2, <see cref="MaxClassCount"/>].</param>
    /// <param name="random">The run's stream; advanced by one draw per weight and bias.</param>
    public static Mlp CreateInitialized(int inputCount, IReadOnlyList<int> hiddenWidths, int classCount, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        int[] widths = CheckSizes(inputCount, hiddenWidths, classCount);
        return CreateInitializedUnchecked(inputCount, widths, classCount, random);
    }

    /// <summary>
    /// A network with the given parameters, layer by layer in PyTorch's layout (for example the initial weights of
    /// a PyTorch model, to train from the same start). Layer l's output count is biases[l].Length; its input count
    /// is <paramref name="inputCount"/> for the first layer, else the previous layer's output count; the last layer
    /// is the output layer.
    /// </summary>
    /// <param name="inputCount">d, in [1, <see cref="MaxWidth"/>].</param>
    /// <param name="weights">Per linear layer (at least two: one hidden, one output), out × in row-major floats.</param>
    /// <param name="biases">Per linear layer, its out biases: hidden widths in [1, <see cref="MaxWidth"/>], the last
    /// (the class count) in [2, <see cref="MaxClassCount"/>].</param>
    /// <returns>A new network holding copies of the values.</returns>
    /// <exception cref="ArgumentException">Counts that disagree, a non-finite value, or a size out of range.</exception>
    public static Mlp FromLayers(int inputCount, IReadOnlyList<float[]> weights, IReadOnlyList<float[]> biases)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(biases);
        ThrowHelper.ThrowIfOutside(inputCount, 1, MaxWidth);
        if (biases.Count < 2)
            ThrowHelper.ThrowArgument(nameof(biases), $"Must hold at least two layers (one hidden, one output); holds {biases.Count}.");
        if (weights.Count != biases.Count)
            ThrowHelper.ThrowArgument(nameof(weights), $"Must hold one array per layer, as biases ({biases.Count}); holds {weights.Count}.");
        int layers = biases.Count;
        int[] widths = new int[layers - 1];
        for (int l = 0; l < layers; l++)
        {
            float[] b = biases[l] ?? throw new ArgumentException($"Layer {l} is null.", nameof(biases));
            bool output = l == layers - 1;
            int min = output ? 2 : 1, max = output ? MaxClassCount : MaxWidth;
            if (b.Length < min || b.Length > max)
                ThrowHelper.ThrowOutOfRange(nameof(biases), b.Length, $"Layer {l} must have between {min} and {max} outputs; has {b.Length}.");
            if (!output)
                widths[l] = b.Length;
        }
        int classCount = biases[layers - 1].Length;
        CheckParameterCount(inputCount, widths, classCount, nameof(biases));
        var model = new Mlp(inputCount, widths, classCount);
        for (int l = 0; l < layers; l++)
        {
            int outputs = biases[l].Length, inputs = model.LayerInputCount(l);
            float[] w = weights[l] ?? throw new ArgumentException($"Layer {l} is null.", nameof(weights));
            if (w.Length != outputs * inputs)
                ThrowHelper.ThrowArgument(nameof(weights), $"Layer {l} must hold out × in = {outputs} × {inputs} values; holds {w.Length}.");
            if (!MlpKernels.AllFinite(w))
                ThrowHelper.ThrowArgument(nameof(weights), $"Layer {l} must be finite.");
            if (!MlpKernels.AllFinite(biases[l]))
                ThrowHelper.ThrowArgument(nameof(biases), $"Layer {l} must be finite.");
            model.SetLayer(l, w, biases[l]);
        }
        return model;
    }

    /// <summary>
    /// A copy of linear layer <paramref name="layer"/>'s weights in PyTorch's layout: out × in row-major, [o·in + i].
    /// Layer 0 is the first hidden layer, layer <see cref="LayerCount"/> − 1 the output layer.
    /// </summary>
    /// <param name="layer">In [0, <see cref="LayerCount"/> − 1].</param>
    public float[] GetWeights(int layer)
    {
        ThrowHelper.ThrowIfOutside(layer, 0, LayerCount - 1);
        int inputs = LayerInputCount(layer), offset = _weightOffsets[layer];
        if (layer == _widths.Length)
        {
            int hp = _paddedWidths[^1];
            float[] output = new float[ClassCount * inputs];
            for (int c = 0; c < ClassCount; c++)
                _parameters.AsSpan(offset + c * hp, inputs).CopyTo(output.AsSpan(c * inputs));
            return output;
        }
        int width = _widths[layer], stride = _paddedWidths[layer];
        float[] result = new float[width * inputs];
        ReadOnlySpan<float> p = _parameters.Span;
        for (int j = 0; j < width; j++)
        {
            for (int i = 0; i < inputs; i++)
                result[j * inputs + i] = p[offset + i * stride + j];
        }
        return result;
    }

    /// <summary>A copy of linear layer <paramref name="layer"/>'s biases (its out values).</summary>
    /// <param name="layer">In [0, <see cref="LayerCount"/> − 1].</param>
    public float[] GetBiases(int layer)
    {
        ThrowHelper.ThrowIfOutside(layer, 0, LayerCount - 1);
        return _parameters.AsSpan(_biasOffsets[layer], LayerOutputCount(layer)).ToArray();
    }

    /// <summary>A copy of the first hidden layer's weights, <see cref="GetWeights"/>(0) (PyTorch's <c>fc1.weight</c>
    /// for one hidden layer): h₁ × d row-major, [j·d + i].</summary>
    public float[] GetHiddenWeights() => GetWeights(0);

    /// <summary>A copy of the first hidden layer's biases, <see cref="GetBiases"/>(0) (<c>fc1.bias</c>): h₁ values.</summary>
    public float[] GetHiddenBiases() => GetBiases(0);

    /// <summary>A copy of the output layer's weights, <see cref="GetWeights"/>(<see cref="LayerCount"/> − 1)
    /// (<c>fc2.weight</c> for one hidden layer): k × h_L row-major, [c·h_L + j].</summary>
    public float[] GetOutputWeights() => GetWeights(LayerCount - 1);

    /// <summary>A copy of the output layer's biases (<c>fc2.bias</c> for one hidden layer): k values.</summary>
    public float[] GetOutputBiases() => GetBiases(LayerCount - 1);

    /// <summary>An independent copy with the same parameters.</summary>
    public Mlp Clone() => new(InputCount, _widths, ClassCount, _parameters.Span);

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
        ThrowHelper.ThrowIfOutside(inputCount, 1, MaxWidth);
        ThrowHelper.ThrowIfOutside(hiddenWidth, 1, MaxWidth);
        ThrowHelper.ThrowIfOutside(classCount, 2, MaxClassCount);
        CheckParameterCount(inputCount, [hiddenWidth], classCount, nameof(hiddenWidth));
    }

    /// <summary>Checks the sizes and returns a private copy of the widths.</summary>
    internal static int[] CheckSizes(int inputCount, IReadOnlyList<int> hiddenWidths, int classCount)
    {
        ArgumentNullException.ThrowIfNull(hiddenWidths);
        ThrowHelper.ThrowIfOutside(inputCount, 1, MaxWidth);
        if (hiddenWidths.Count == 0)
            ThrowHelper.ThrowArgument(nameof(hiddenWidths), "Must hold at least one hidden width.");
        int[] widths = [.. hiddenWidths];
        for (int l = 0; l < widths.Length; l++)
        {
            if (widths[l] < 1 || widths[l] > MaxWidth)
                ThrowHelper.ThrowOutOfRange(nameof(hiddenWidths), widths[l], $"Each width must be in [1, {MaxWidth}]; width {l} is {widths[l]}.");
        }
        ThrowHelper.ThrowIfOutside(classCount, 2, MaxClassCount);
        CheckParameterCount(inputCount, widths, classCount, nameof(hiddenWidths));
        return widths;
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

    /// <summary>Length of <see cref="Parameters"/> for these sizes (which must have passed the checks).</summary>
    internal static int ParameterCount(int inputCount, ReadOnlySpan<int> hiddenWidths, int classCount) =>
        Layout(inputCount, hiddenWidths, classCount, default, default);

    // Fills the offsets (when given room) and returns the parameter count, in long so that oversized shapes are
    // caught by CheckParameterCount before any int overflows.
    private static int Layout(int inputCount, ReadOnlySpan<int> hiddenWidths, int classCount, Span<int> weightOffsets, Span<int> biasOffsets)
    {
        long count = LayoutLength(inputCount, hiddenWidths, classCount, weightOffsets, biasOffsets);
        Debug.Assert(count <= Array.MaxLength);
        return (int)count;
    }

    private static long LayoutLength(int inputCount, ReadOnlySpan<int> hiddenWidths, int classCount, Span<int> weightOffsets, Span<int> biasOffsets)
    {
        long offset = 0;
        int inputs = inputCount;
        for (int l = 0; l <= hiddenWidths.Length; l++)
        {
            bool output = l == hiddenWidths.Length;
            if (!weightOffsets.IsEmpty)
                weightOffsets[l] = (int)offset;
            long stride = output ? MlpKernels.PadWidth(hiddenWidths[^1]) : MlpKernels.PadWidth(hiddenWidths[l]);
            offset += (output ? classCount : inputs) * stride;
            if (!biasOffsets.IsEmpty)
                biasOffsets[l] = (int)offset;
            offset += output ? classCount : stride;
            if (offset > Array.MaxLength)
                return offset; // too large; the offsets are not used
            if (!output)
                inputs = hiddenWidths[l];
        }
        return offset;
    }

    private static void CheckParameterCount(int inputCount, ReadOnlySpan<int> hiddenWidths, int classCount, string paramName)
    {
        long count = LayoutLength(inputCount, hiddenWidths, classCount, default, default);
        if (count > Array.MaxLength)
            ThrowHelper.ThrowOutOfRange(paramName, count, $"The network would need {count} parameters (with padding); at most {Array.MaxLength} fit.");
    }

    private static Mlp CreateInitializedUnchecked(int inputCount, int[] hiddenWidths, int classCount, RandomSource random)
    {
        var model = new Mlp(inputCount, hiddenWidths, classCount);
        Span<float> p = model.Parameters;
        for (int l = 0; l <= hiddenWidths.Length; l++)
        {
            int inputs = model.LayerInputCount(l), outputs = model.LayerOutputCount(l);
            float bound = (float)(1.0 / Math.Sqrt(inputs));
            int w = model._weightOffsets[l], b = model._biasOffsets[l];
            if (l < hiddenWidths.Length)
            {
                int stride = model._paddedWidths[l];
                for (int j = 0; j < outputs; j++)
                {
                    for (int i = 0; i < inputs; i++)
                        p[w + i * stride + j] = random.NextSingle(-bound, bound);
                }
            }
            else
            {
                int stride = model._paddedWidths[^1];
                for (int c = 0; c < outputs; c++)
                {
                    for (int j = 0; j < inputs; j++)
                        p[w + c * stride + j] = random.NextSingle(-bound, bound);
                }
            }
            for (int j = 0; j < outputs; j++)
                p[b + j] = random.NextSingle(-bound, bound);
        }
        return model;
    }

    private int LayerOutputCount(int layer) => layer == _widths.Length ? ClassCount : _widths[layer];

    // Writes PyTorch-layout weights (out × in) and biases of one layer into the internal layout.
    private void SetLayer(int layer, ReadOnlySpan<float> weights, ReadOnlySpan<float> biases)
    {
        int inputs = LayerInputCount(layer), outputs = LayerOutputCount(layer), offset = _weightOffsets[layer];
        Span<float> p = _parameters.Span;
        bool output = layer == _widths.Length;
        int stride = output ? _paddedWidths[^1] : _paddedWidths[layer];
        for (int o = 0; o < outputs; o++)
        {
            for (int i = 0; i < inputs; i++)
            {
                int index = output ? offset + o * stride + i : offset + i * stride + o;
                p[index] = weights[o * inputs + i];
            }
        }
        biases.CopyTo(p.Slice(_biasOffsets[layer], outputs));
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

    private void LogitsUnchecked(ReadOnlySpan<float> features, Span<float> destination) =>
        LogitsUnchecked(features, destination, default);

    /// <summary>Floats of scratch that <see cref="LogitsUnchecked(ReadOnlySpan{float}, Span{float}, Span{float})"/>
    /// needs to allocate nothing.</summary>
    internal int EvaluationScratchLength => ActivationLength(EvaluationChunkRows);

    /// <summary>
    /// The logits of finite, whole rows, the same bits as <see cref="Logits(ReadOnlySpan{float}, Span{float})"/>
    /// (the same chunks, the same kernels), without its checks; with <paramref name="scratch"/> of at least
    /// <see cref="EvaluationScratchLength"/> floats it allocates nothing (empty: it allocates its own).
    /// </summary>
    internal void LogitsUnchecked(ReadOnlySpan<float> features, Span<float> destination, Span<float> scratch)
    {
        Debug.Assert(scratch.IsEmpty || scratch.Length >= EvaluationScratchLength);
        var operation = new LogitsOperation(this, features, destination, scratch);
        LaneDispatch.Run(ref operation);
    }

    /// <summary>
    /// The forward pass for <paramref name="rows"/> input rows (d features each, contiguous): each hidden layer's
    /// relu(W·a + b) into its block of <paramref name="activations"/> (layer l at rows × the padded widths of the
    /// layers before it, rows × its padded width long), then the logits: row-major, or with
    /// <paramref name="logitsInBlocks"/> in CrossEntropyInLanes's blocks (see MlpKernels.Logits).
    /// </summary>
    internal void Forward<TL, TV>(ReadOnlySpan<float> inputs, int rows, Span<float> activations, Span<float> logits, bool logitsInBlocks = false)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        ReadOnlySpan<float> p = _parameters.Span;
        ReadOnlySpan<float> a = inputs;
        int inner = InputCount, stride = InputCount, offset = 0;
        for (int l = 0; l < _widths.Length; l++)
        {
            int width = _paddedWidths[l];
            Span<float> output = activations.Slice(offset, rows * width);
            MlpKernels.RowsTimesMatrix<TL, TV>(a, rows, inner, stride, p.Slice(_weightOffsets[l], inner * width), width,
                p.Slice(_biasOffsets[l], width), default, output);
            a = output;
            inner = _widths[l];
            stride = width;
            offset += rows * width;
        }
        int last = _widths.Length;
        MlpKernels.Logits<TL, TV>(a, rows, stride, p.Slice(_weightOffsets[last], ClassCount * stride),
            p.Slice(_biasOffsets[last], ClassCount), ClassCount, logits, logitsInBlocks);
    }

    private readonly ref struct LogitsOperation(Mlp model, ReadOnlySpan<float> features, Span<float> destination, Span<float> scratch) : ILaneOperation
    {
        private readonly ReadOnlySpan<float> _features = features;
        private readonly Span<float> _destination = destination;
        private readonly Span<float> _scratch = scratch;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<TL, TV>()
            where TL : struct, ILanes<TV>
            where TV : struct
        {
            int d = model.InputCount, k = model.ClassCount, rows = _features.Length / d;
            Span<float> activations = _scratch.IsEmpty ? new float[model.ActivationLength(EvaluationChunkRows)] : _scratch;
            for (int start = 0; start < rows; start += EvaluationChunkRows)
            {
                int count = Math.Min(EvaluationChunkRows, rows - start);
                model.Forward<TL, TV>(_features.Slice(start * d, count * d), count, activations, _destination.Slice(start * k, count * k));
            }
        }
    }
}
