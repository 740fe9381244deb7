using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace LabelFlip.Core.Nn;

/// <summary>
/// The parameters of one PyTorch <c>nn.Linear(inFeatures, outFeatures)</c> in PyTorch's layout: the weight
/// is outFeatures × inFeatures, row-major (row j holds the weights into output j), then one bias per output.
/// </summary>
public sealed class TorchLinearParameters
{
    internal TorchLinearParameters(int inFeatures, int outFeatures, float[] weight, float[] bias)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = ImmutableCollectionsMarshal.AsImmutableArray(weight);
        Bias = ImmutableCollectionsMarshal.AsImmutableArray(bias);
    }

    /// <summary>Inputs of the layer (fan-in).</summary>
    public int InFeatures { get; }

    /// <summary>Outputs of the layer.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight, OutFeatures × InFeatures, row-major: W[j, i] at j·InFeatures + i.</summary>
    public ImmutableArray<float> Weight { get; }

    /// <summary>The bias, one per output.</summary>
    public ImmutableArray<float> Bias { get; }
}
