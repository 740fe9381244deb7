using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Nn;

/// <summary>
/// How <see cref="MlpTrainer"/> trains: plain mini-batch SGD with PyTorch's <c>torch.optim.SGD</c> semantics.
/// The defaults are the study's (200 epochs, learning rate 0.05, batches of 64, no momentum, no weight decay, the
/// softmax cross-entropy).
/// Every property is checked when set, so an instance is always valid.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>The study's number of epochs.</summary>
    public const int DefaultEpochs = 200;

    /// <summary>The study's learning rate.</summary>
    public const double DefaultLearningRate = 0.05;

    /// <summary>The study's batch size.</summary>
    public const int DefaultBatchSize = 64;

    private readonly int _epochs = DefaultEpochs;
    private readonly double _learningRate = DefaultLearningRate;
    private readonly int _batchSize = DefaultBatchSize;
    private readonly double _momentum;
    private readonly double _weightDecay;
    private readonly LossFunction _loss = LossFunction.CrossEntropy;

    /// <summary>Passes over the training rows, at least 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int Epochs
    {
        get => _epochs;
        init
        {
            ThrowHelper.ThrowIfLess(value, 1, nameof(Epochs));
            _epochs = value;
        }
    }

    /// <summary>SGD step size, finite and greater than 0. Applied in single precision, as PyTorch does for
    /// float32 parameters.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not finite or not positive.</exception>
    public double LearningRate
    {
        get => _learningRate;
        init
        {
            ThrowHelper.ThrowIfNotPositiveFinite(value, nameof(LearningRate));
            _learningRate = value;
        }
    }

    /// <summary>Rows per batch, at least 1. The last partial batch of an epoch is kept (350 rows at 64 = five
    /// batches of 64 and one of 30); a batch larger than the data set is one batch of all rows.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int BatchSize
    {
        get => _batchSize;
        init
        {
            ThrowHelper.ThrowIfLess(value, 1, nameof(BatchSize));
            _batchSize = value;
        }
    }

    /// <summary>Momentum in [0, 1), 0 (off) by default; PyTorch's semantics with dampening 0, no Nesterov:
    /// the buffer starts as the first gradient, then b ← momentum·b + g.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [0, 1) or not finite.</exception>
    public double Momentum
    {
        get => _momentum;
        init
        {
            if (!(value >= 0 && value < 1))
                ThrowHelper.ThrowOutOfRange(nameof(Momentum), value, "Must be a finite number in [0, 1).");
            _momentum = value;
        }
    }

    /// <summary>L2 weight decay, finite and ≥ 0, 0 (off) by default; PyTorch's semantics: g ← g + weightDecay·p,
    /// applied to every parameter, biases included.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public double WeightDecay
    {
        get => _weightDecay;
        init
        {
            ThrowHelper.ThrowIfOutside(value, 0, double.MaxValue, nameof(WeightDecay));
            _weightDecay = value;
        }
    }

    /// <summary>The loss minimised, <see cref="LossFunction.CrossEntropy"/> by default.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public LossFunction Loss
    {
        get => _loss;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Loss));
            _loss = value;
        }
    }
}
