using BenchmarkDotNet.Attributes;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Nn;

namespace LabelFlip.Benchmarks.Nn;

/// <summary>
/// What recording the learning dynamics costs: one study run as a sweep executes it (350 training rows × 10
/// features, 5 classes, 30 % of the labels flipped, 200 epochs, batch 64; scored on train and test), without
/// recording (the baseline) and with <c>training.record_every</c> = 10 (20 evaluations of the 350 training and 150
/// test rows, with each group's loss). The target is a ratio below 1.10. The recording's own allocation is its result
/// (six arrays of 20 doubles and the epochs): an epoch it records allocates nothing. On a busy machine the two runs'
/// difference drowns in noise; the third benchmark times one recorded epoch alone (the trained network evaluated on
/// 350 + 150 rows): 20 of them against a run's time is the overhead with less noise.
/// </summary>
[MemoryDiagnoser]
public class DynamicsRecordingBenchmarks
{
    private readonly RunExecutor _executor = new();
    private RunData _data = null!;
    private RunSpec _plain = null!;
    private RunSpec _recorded = null!;
    private readonly DynamicsRecorder _recorder = new();
    private Mlp _model = null!;
    private LabelFlip.Core.Data.Dataset _noisy = null!;

    [Params(32, 64, 128)]
    public int HiddenWidth { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _plain = new RunSpec
        {
            Poison = new PoisonSpec { Fraction = 0.3 },
            Model = new ModelSpec { HiddenWidths = [HiddenWidth] },
            Streams = RunSpec.OurStreams,
        };
        _recorded = _plain with { Training = _plain.Training with { RecordEvery = 10 } };
        _data = new RunData(_plain.Data, _plain.Streams);
        _executor.ExecuteRecorded(_recorded, _data, CancellationToken.None); // grow every buffer once
        var train = new LabelFlip.Core.Data.Dataset(_data.Train.Features.AsSpan(), _data.Train.Labels.AsSpan(), _data.Train.FeatureCount, _data.Train.ClassCount);
        int[] noisy = [.. train.Labels];
        for (int i = 0; i < noisy.Length; i += 3)
            noisy[i] = (noisy[i] + 1) % train.ClassCount; // a third flipped, as the recorded groups would be
        _noisy = train.WithLabels(noisy);
        _model = new MlpTrainer().Train(_noisy, [HiddenWidth], new TrainingOptions(), new LabelFlip.Core.Random.RandomSource(1)).Model;
        RecordOneEpoch(); // grow the recorder's buffers
    }

    [Benchmark(Baseline = true, Description = "Study run")]
    public (System.Collections.Immutable.ImmutableArray<double?>, TrainingDynamics?) Plain() =>
        _executor.ExecuteRecorded(_plain, _data, CancellationToken.None);

    // Start (copying 350 labels, seven one-element arrays) is part of it: a recorder records a run's epochs once each.
    [Benchmark(Description = "One recorded epoch (350 + 150 rows)")]
    public TrainingDynamics RecordOneEpoch()
    {
        _recorder.Start(_noisy, _data.Train.Labels.AsSpan(), _data.Test, 1, 1);
        _recorder.EpochCompleted(1, _model, 0);
        return _recorder.Result();
    }

    [Benchmark(Description = "Study run, recording every 10 epochs")]
    public (System.Collections.Immutable.ImmutableArray<double?>, TrainingDynamics?) Recorded() =>
        _executor.ExecuteRecorded(_recorded, _data, CancellationToken.None);
}
