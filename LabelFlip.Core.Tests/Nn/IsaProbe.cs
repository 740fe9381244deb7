using System.Runtime.Intrinsics.X86;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Nn.Kernels;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Nn;

/// <summary>What a process reports about its hardware paths and the bits it trains.</summary>
public sealed record IsaReport(int Lanes, bool Vector512, bool Vector256, bool Vector128, bool Fma, ulong Hash)
{
    /// <summary>One line, for the child process's standard output.</summary>
    public override string ToString() =>
        $"lanes={Lanes} v512={Vector512} v256={Vector256} v128={Vector128} fma={Fma} hash={Hash}";

    public static IsaReport Parse(string line)
    {
        Dictionary<string, string> fields = line.Trim().Split(' ').Select(f => f.Split('=')).ToDictionary(f => f[0], f => f[1]);
        return new IsaReport(int.Parse(fields["lanes"]), bool.Parse(fields["v512"]), bool.Parse(fields["v256"]),
            bool.Parse(fields["v128"]), bool.Parse(fields["fma"]), ulong.Parse(fields["hash"]));
    }
}

/// <summary>Trains fixed networks (plain SGD, and momentum with weight decay at a width not a multiple of 16) and
/// hashes their weights, losses and logits.</summary>
public static class IsaProbe
{
    public static IsaReport Run()
    {
        var trainer = new MlpTrainer();
        var train = NnTestData.StudyTrain();
        TrainingResult plain = trainer.Train(train, 64, new TrainingOptions { Epochs = 20 }, new RandomSource(7, StreamKey.Of("training")));
        TrainingResult other = trainer.Train(train, 37, new TrainingOptions { Epochs = 5, Momentum = 0.9, WeightDecay = 1e-3, BatchSize = 50 },
            new RandomSource(8, StreamKey.Of("training")));
        float[] losses = plain.EpochLosses.Concat(other.EpochLosses).Select(l => (float)l).ToArray();
        float[] lossLowBits = plain.EpochLosses.Concat(other.EpochLosses)
            .Select(l => BitConverter.Int32BitsToSingle((int)BitConverter.DoubleToInt64Bits(l))).ToArray();
        ulong hash = NnTestData.Hash(
            plain.Model.GetHiddenWeights(), plain.Model.GetHiddenBiases(), plain.Model.GetOutputWeights(), plain.Model.GetOutputBiases(),
            other.Model.GetHiddenWeights(), other.Model.GetHiddenBiases(), other.Model.GetOutputWeights(), other.Model.GetOutputBiases(),
            losses, lossLowBits, plain.Model.Logits(train));
        return new IsaReport(MlpKernels.ActiveLaneCount, System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated,
            System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated, System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated,
            Fma.IsSupported, hash);
    }
}
