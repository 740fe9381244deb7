using LabelFlip.Core.Data;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Nn;

/// <summary>Shared data sets and hashing for the network tests.</summary>
public static class NnTestData
{
    /// <summary>The study's training rows: 500 clusters of 10 features and 5 classes, split 70/30 with seed 42.</summary>
    public static Dataset StudyTrain() =>
        TrainTestSplit.Create(GaussianClusters.Generate(), new RandomSource(42)).Train;

    /// <summary>FNV-1a over the bits of every parameter, layer by layer, weights then biases (PyTorch layout): for
    /// one hidden layer W1, b1, W2, b2.</summary>
    public static ulong Hash(Mlp model) => Hash(Layers(model));

    /// <summary>Every layer's weights then biases, in order: [W⁰, b⁰, W¹, b¹, …].</summary>
    public static float[][] Layers(Mlp model) =>
        [.. Enumerable.Range(0, model.LayerCount).SelectMany(l => new[] { model.GetWeights(l), model.GetBiases(l) })];

    public static ulong Hash(params float[][] blocks)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (float[] block in blocks)
        {
            foreach (float value in block)
            {
                uint bits = BitConverter.SingleToUInt32Bits(value);
                for (int shift = 0; shift < 32; shift += 8)
                    hash = (hash ^ ((bits >> shift) & 0xFF)) * 0x100000001B3UL;
            }
        }
        return hash;
    }
}
