using LabelFlip.Core.Internal;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Nn;

/// <summary>
/// PyTorch's default initialisation of <c>nn.Linear</c> layers, bit for bit, for the "study" stream mode:
/// what <c>torch.manual_seed(seed); nn.Sequential(nn.Linear(d₀, d₁), nn.ReLU(), …, nn.Linear(dₘ₋₁, dₘ))</c>
/// produces. Activations have no parameters and draw nothing.
/// </summary>
/// <remarks>
/// <c>Linear.reset_parameters</c>: first <c>kaiming_uniform_(weight, a=√5)</c>, i.e. <c>uniform_(−b, b)</c>
/// with b = √3·gain/√fan_in and gain = √(2/(1 + a²)) (<see cref="WeightBound"/>), over the weight in memory
/// order; then <c>uniform_(bias, −1/√fan_in, 1/√fan_in)</c> (<see cref="BiasBound"/>). Bounds are computed in
/// double as Python does and rounded to float by the kernel; each element takes one 32-bit output
/// (<see cref="TorchGenerator.UniformFill"/>). Layers are built, so drawn, in order.
/// </remarks>
public static class TorchInitialization
{
    /// <summary>The weight bound of <c>kaiming_uniform_(a=√5)</c> for <paramref name="fanIn"/> inputs, in double as Python computes it.</summary>
    /// <param name="fanIn">At least 1.</param>
    public static double WeightBound(int fanIn)
    {
        ThrowHelper.ThrowIfLess(fanIn, 1);
        double a = Math.Sqrt(5.0);
        // calculate_gain('leaky_relu', a) = sqrt(2 / (1 + a ** 2)); a ** 2 is 5.000000000000001 either way.
        double gain = Math.Sqrt(2.0 / (1 + a * a));
        double std = gain / Math.Sqrt(fanIn);
        return Math.Sqrt(3.0) * std;
    }

    /// <summary>The bias bound 1/√fan_in of <c>nn.Linear</c>, in double.</summary>
    /// <param name="fanIn">At least 1.</param>
    public static double BiasBound(int fanIn)
    {
        ThrowHelper.ThrowIfLess(fanIn, 1);
        return 1 / Math.Sqrt(fanIn);
    }

    /// <summary>Initialises one <c>nn.Linear(inFeatures, outFeatures)</c> from <paramref name="generator"/>'s current position.</summary>
    /// <param name="generator">The generator, advanced by (inFeatures + 1)·outFeatures outputs.</param>
    /// <param name="inFeatures">At least 1.</param>
    /// <param name="outFeatures">At least 1.</param>
    public static TorchLinearParameters Linear(TorchGenerator generator, int inFeatures, int outFeatures)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ThrowHelper.ThrowIfLess(inFeatures, 1);
        ThrowHelper.ThrowIfLess(outFeatures, 1);
        float[] weight = new float[checked(outFeatures * inFeatures)];
        float[] bias = new float[outFeatures];
        double weightBound = WeightBound(inFeatures);
        generator.UniformFill(weight, -weightBound, weightBound);
        double biasBound = BiasBound(inFeatures);
        generator.UniformFill(bias, -biasBound, biasBound);
        return new TorchLinearParameters(inFeatures, outFeatures, weight, bias);
    }

    /// <summary>
    /// <c>torch.manual_seed(seed)</c>, then one <c>nn.Linear</c> per consecutive pair of
    /// <paramref name="layerSizes"/>: for the study's network (10, h, 5), Linear(10, h) then Linear(h, 5).
    /// </summary>
    /// <param name="seed">The seed given to <c>torch.manual_seed</c>.</param>
    /// <param name="layerSizes">Input size, hidden sizes, output size: at least two, each at least 1.</param>
    public static TorchLinearParameters[] Sequential(ulong seed, params ReadOnlySpan<int> layerSizes)
    {
        if (layerSizes.Length < 2)
            ThrowHelper.ThrowArgument(nameof(layerSizes), $"Must hold at least an input and an output size; got {layerSizes.Length} sizes.");
        for (int i = 0; i < layerSizes.Length; i++)
        {
            if (layerSizes[i] < 1)
                ThrowHelper.ThrowOutOfRange(nameof(layerSizes), layerSizes[i], $"Every size must be at least 1; entry {i} is not.");
        }
        var generator = new TorchGenerator(seed);
        var layers = new TorchLinearParameters[layerSizes.Length - 1];
        for (int i = 0; i < layers.Length; i++)
            layers[i] = Linear(generator, layerSizes[i], layerSizes[i + 1]);
        return layers;
    }
}
