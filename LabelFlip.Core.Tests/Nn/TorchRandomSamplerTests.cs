using LabelFlip.Core.Nn;
using LabelFlip.Core.Random;
using LabelFlip.Core.Tests.Random;

namespace LabelFlip.Core.Tests.Nn;

public class TorchRandomSamplerTests
{
    [Theory]
    [InlineData(42UL)]
    [InlineData(123UL)]
    [InlineData(7UL)]
    public void First_epoch_orders_equal_the_dataloaders(ulong seed)
    {
        int[][] expected = StudyStreams.EpochOrders[seed];
        var sampler = new TorchRandomSampler(350, seed);
        for (int epoch = 0; epoch < expected.Length; epoch++)
            Assert.Equal(expected[epoch], sampler.NextEpoch());
        Assert.Equal(expected.Length, sampler.EpochsDrawn);
    }

    [Fact]
    public void An_epoch_is_a_base_seed_a_used_randperm_and_a_discarded_one()
    {
        var sampler = new TorchRandomSampler(20, 5);
        var generator = new TorchGenerator(5);
        for (int epoch = 0; epoch < 4; epoch++)
        {
            generator.NextInt64();
            int[] used = generator.RandPerm(20);
            generator.RandPerm(20);
            Assert.Equal(used, sampler.NextEpoch());
        }
    }

    [Fact]
    public void Arguments_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>("rowCount", () => new TorchRandomSampler(0, 1));
        Assert.Throws<ArgumentException>("order", () => new TorchRandomSampler(3, 1).NextEpoch(new int[2]));
    }
}
