using LabelFlip.Core.Nn;
using LabelFlip.Core.Random;
using LabelFlip.Core.Tests.Random;

namespace LabelFlip.Core.Tests.Nn;

public class TorchInitializationTests
{
    public static TheoryData<int, ulong> WidthsAndSeeds()
    {
        var data = new TheoryData<int, ulong>();
        foreach (StudyInitCase c in StudyStreams.Init)
            data.Add(c.Width, c.Seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(WidthsAndSeeds))]
    public void Initial_parameters_equal_pytorchs_bit_for_bit(int width, ulong seed)
    {
        StudyInitCase expected = StudyStreams.Init.Single(c => c.Width == width && c.Seed == seed);
        TorchLinearParameters[] layers = TorchInitialization.Sequential(seed, 10, width, 5);
        Assert.Equal(2, layers.Length);
        Assert.Equal((10, width), (layers[0].InFeatures, layers[0].OutFeatures));
        Assert.Equal((width, 5), (layers[1].InFeatures, layers[1].OutFeatures));
        AssertBits(expected.W1, layers[0].Weight.ToArray());
        AssertBits(expected.B1, layers[0].Bias.ToArray());
        AssertBits(expected.W2, layers[1].Weight.ToArray());
        AssertBits(expected.B2, layers[1].Bias.ToArray());
    }

    [Fact]
    public void Deeper_networks_draw_layer_after_layer_weight_before_bias()
    {
        TorchLinearParameters[] layers = TorchInitialization.Sequential(99, 4, 7, 3, 2);
        var generator = new TorchGenerator(99);
        int[] sizes = [4, 7, 3, 2];
        for (int l = 0; l < 3; l++)
        {
            int fanIn = sizes[l], fanOut = sizes[l + 1];
            float[] weight = new float[fanIn * fanOut], bias = new float[fanOut];
            double b = Math.Sqrt(3.0) * (Math.Sqrt(2.0 / (1 + Math.Sqrt(5.0) * Math.Sqrt(5.0))) / Math.Sqrt(fanIn));
            generator.UniformFill(weight, -b, b);
            generator.UniformFill(bias, -1 / Math.Sqrt(fanIn), 1 / Math.Sqrt(fanIn));
            AssertBits(weight, layers[l].Weight.ToArray());
            AssertBits(bias, layers[l].Bias.ToArray());
        }
    }

    [Theory]
    [InlineData(10, 0.3162277660168379)]   // Python: math.sqrt(3.0) * (math.sqrt(2.0 / (1 + math.sqrt(5) ** 2)) / math.sqrt(10))
    [InlineData(64, 0.12499999999999999)]  // one ulp below 1/8: the bound is not exactly 1/√fan_in
    [InlineData(128, 0.08838834764831842)]
    public void Weight_bound_is_pythons_double(int fanIn, double expected) =>
        Assert.Equal(expected, TorchInitialization.WeightBound(fanIn));

    [Fact]
    public void Arguments_are_checked()
    {
        Assert.Throws<ArgumentException>("layerSizes", () => TorchInitialization.Sequential(1, 10));
        Assert.Throws<ArgumentOutOfRangeException>("layerSizes", () => TorchInitialization.Sequential(1, 10, 0, 5));
        Assert.Throws<ArgumentOutOfRangeException>("fanIn", () => TorchInitialization.WeightBound(0));
        Assert.Throws<ArgumentNullException>("generator", () => TorchInitialization.Linear(null!, 1, 1));
    }

    private static void AssertBits(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"Element {i}: expected {expected[i]:R}, got {actual[i]:R}.");
        }
    }
}
