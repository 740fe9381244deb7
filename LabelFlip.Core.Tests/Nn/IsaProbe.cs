using System.Runtime.Intrinsics.X86;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Nn.Kernels;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Nn;

/// <summary>What a process reports about its hardware paths and the bits it trains.</summary>
public sealed record IsaReport(int Lanes, bool Vector512, bool Vector256, bool Vector128, bool Fma, ulong Hash, ulong LossHash)
{
    /// <summary>One line, for the child process's standard output.</summary>
    public override string ToString() =>
        $"lanes={Lanes} v512={Vector512} v256={Vector256} v128={Vector128} fma={Fma} hash={Hash} losses={LossHash}";

    public static IsaReport Parse(string line)
    {
        Dictionary<string, string> fields = line.Trim().Split(' ').Select(f => f.Split('=')).ToDictionary(f => f[0], f => f[1]);
        return new IsaReport(int.Parse(fields["lanes"]), bool.Parse(fields["v512"]), bool.Parse(fields["v256"]),
            bool.Parse(fields["v128"]), bool.Parse(fields["fma"]), ulong.Parse(fields["hash"]), ulong.Parse(fields["losses"]));
    }
}

/// <summary>Trains fixed networks (plain SGD; momentum with weight decay at a width not a multiple of 16; two and
/// three hidden layers, one of them from a given network with a given epoch order; Fashion-MNIST-shaped networks of
/// 784–2048–10 and 784–1000–10; one run on the study's own streams; one whose learning dynamics are recorded) and hashes their weights,
/// losses, logits, metrics and recorded dynamics, and the study's data. Apart from that hash, one run per loss, with its own hash.</summary>
public static class IsaProbe
{
    // Every loss but the cross-entropy (hashed above), 4 epochs of two hidden layers (37 and 20 units, not multiples of
    // 16) with momentum, batches of 50; forward correction with pair noise's matrix.
    private static ulong LossHash(LabelFlip.Core.Data.Dataset train)
    {
        LossFunction[] losses =
        [
            LossFunction.LabelSmoothing(0.1), LossFunction.GeneralizedCrossEntropy(0.7), LossFunction.SymmetricCrossEntropy(0.1, 1.0),
            LossFunction.SoftBootstrapping(0.95), LossFunction.HardBootstrapping(0.8),
            LossFunction.ForwardCorrected(LabelFlip.Core.Poisoning.TransitionMatrix.Pair(train.ClassCount, 0.3)),
        ];
        var trainer = new MlpTrainer();
        var blocks = new List<float[]>();
        foreach (LossFunction loss in losses)
        {
            TrainingResult run = trainer.Train(train, [37, 20], new TrainingOptions { Epochs = 4, Momentum = 0.9, BatchSize = 50, Loss = loss },
                new RandomSource(13, StreamKey.Of("training")));
            blocks.AddRange(NnTestData.Layers(run.Model));
            blocks.Add([.. run.EpochLosses.SelectMany(l => new[] { (float)l, BitConverter.Int32BitsToSingle((int)BitConverter.DoubleToInt64Bits(l)) })]);
            blocks.Add(run.Model.Logits(train));
        }
        return NnTestData.Hash([.. blocks]);
    }

    public static IsaReport Run()
    {
        var trainer = new MlpTrainer();
        var train = NnTestData.StudyTrain();
        TrainingResult plain = trainer.Train(train, 64, new TrainingOptions { Epochs = 20 }, new RandomSource(7, StreamKey.Of("training")));
        TrainingResult other = trainer.Train(train, 37, new TrainingOptions { Epochs = 5, Momentum = 0.9, WeightDecay = 1e-3, BatchSize = 50 },
            new RandomSource(8, StreamKey.Of("training")));
        TrainingResult two = trainer.Train(train, [48, 37], new TrainingOptions { Epochs = 5, Momentum = 0.9, BatchSize = 50 },
            new RandomSource(9, StreamKey.Of("training")));
        var random = new RandomSource(10, StreamKey.Of("training"));
        Mlp initial = Mlp.CreateInitialized(train.FeatureCount, [33, 64, 20], train.ClassCount, random);
        TrainingResult three = trainer.Train(train, initial, new TrainingOptions { Epochs = 5, WeightDecay = 1e-3 }, new ShuffledEpochOrder(random));
        // Fashion-MNIST's shape at the widest width the real-data study uses: 784 inputs, 10 classes, 2,048 units (and
        // 1,000, not a multiple of any lane count), batches of 64 with a short last one.
        var images = LabelFlip.Core.Data.GaussianClusters.Generate(200, 784, 10, seed: 3);
        TrainingResult wide = trainer.Train(images, 2048, new TrainingOptions { Epochs = 2 }, new RandomSource(11, StreamKey.Of("training")));
        TrainingResult oddWide = trainer.Train(images, 1000, new TrainingOptions { Epochs = 1, Momentum = 0.9 }, new RandomSource(12, StreamKey.Of("training")));
        TrainingResult[] runs = [plain, other, two, three, wide, oddWide];

        // The study's streams too: NumPy's data draw (with its glibc log), PyTorch's fused uniform init and shuffles.
        RunSpec studyRun = SweepConfig.Study.RunAt(79);
        double?[] study = [.. SweepRunner.RunOne(studyRun with { Training = studyRun.Training with { Epochs = 10 } })];
        float[] studyBits = [.. study.Select(m => m ?? double.NaN).SelectMany(m => new[] { (float)m, BitConverter.Int32BitsToSingle((int)BitConverter.DoubleToInt64Bits(m)) })];
        float[] studyData = [.. LabelFlip.Core.Data.StudyClusters.Generate().Features];

        // Learning dynamics: a quarter of the labels flipped, recorded every 4 epochs (accuracies and both groups' losses).
        int[] flipped = [.. train.Labels.Select((y, i) => i % 4 == 0 ? (y + 1) % train.ClassCount : y)];
        var recorder = new DynamicsRecorder();
        recorder.Start(train.WithLabels(flipped), train.Labels.AsSpan(), train, 4, 10);
        trainer.Train(train.WithLabels(flipped), 37, new TrainingOptions { Epochs = 10 }, new RandomSource(13, StreamKey.Of("training")), recorder);
        TrainingDynamics d = recorder.Result();
        float[] dynamicsBits = [.. new[] { d.TestAccuracy, d.CleanAccuracy, d.MemorizationRate, d.FlippedTrueAccuracy, d.CleanLoss, d.FlippedLoss }
            .SelectMany(q => q).SelectMany(v => new[] { (float)v, BitConverter.Int32BitsToSingle((int)BitConverter.DoubleToInt64Bits(v)) })];

        float[] losses = runs.SelectMany(run => run.EpochLosses).Select(l => (float)l).ToArray();
        float[] lossLowBits = runs.SelectMany(run => run.EpochLosses)
            .Select(l => BitConverter.Int32BitsToSingle((int)BitConverter.DoubleToInt64Bits(l))).ToArray();
        ulong hash = NnTestData.Hash([.. runs.SelectMany(run => NnTestData.Layers(run.Model)), losses, lossLowBits,
            plain.Model.Logits(train), two.Model.Logits(train), three.Model.Logits(train), studyBits, studyData, dynamicsBits]);
        return new IsaReport(MlpKernels.ActiveLaneCount, System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated,
            System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated, System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated,
            Fma.IsSupported, hash, LossHash(train));
    }
}
