using LabelFlip.Core.Nn;

namespace LabelFlip.Core.Experiments;

/// <summary>The training part of a run: plain mini-batch SGD on the softmax cross-entropy. The defaults are the study's.</summary>
/// <remarks>JSON paths: <c>training.epochs</c>, <c>training.learning_rate</c>, <c>training.batch_size</c>,
/// <c>training.momentum</c>, <c>training.weight_decay</c>, <c>training.loss</c>, <c>training.record_every</c>.</remarks>
public sealed record TrainingSpec
{
    /// <summary>The softmax cross-entropy, averaged over the batch.</summary>
    public const string CrossEntropyLoss = "cross-entropy";

    /// <summary>Passes over the training rows.</summary>
    public int Epochs { get; init; } = TrainingOptions.DefaultEpochs;

    /// <summary>SGD step size.</summary>
    public double LearningRate { get; init; } = TrainingOptions.DefaultLearningRate;

    /// <summary>Rows per mini-batch (the last batch of an epoch may be smaller).</summary>
    public int BatchSize { get; init; } = TrainingOptions.DefaultBatchSize;

    /// <summary>Classical momentum in [0, 1); 0 is plain SGD.</summary>
    public double Momentum { get; init; }

    /// <summary>L2 weight decay added to the gradient, ≥ 0.</summary>
    public double WeightDecay { get; init; }

    /// <summary>The loss; today only <see cref="CrossEntropyLoss"/>.</summary>
    public string Loss { get; init; } = CrossEntropyLoss;

    /// <summary>
    /// Records the learning dynamics every this many epochs (epochs m, 2m, … and the last; see
    /// <see cref="DynamicsRecorder"/>), in [1, <see cref="Epochs"/>]; null (the default) records nothing. Recording
    /// reads the network only: it changes no bit of training.
    /// </summary>
    public int? RecordEvery { get; init; }

    /// <summary>The trainer's options for this part.</summary>
    public TrainingOptions ToOptions() => new()
    {
        Epochs = Epochs,
        LearningRate = LearningRate,
        BatchSize = BatchSize,
        Momentum = Momentum,
        WeightDecay = WeightDecay,
    };
}
