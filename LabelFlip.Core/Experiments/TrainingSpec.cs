using LabelFlip.Core.Nn;
using LabelFlip.Core.Poisoning;

namespace LabelFlip.Core.Experiments;

/// <summary>The training part of a run: mini-batch SGD on the softmax cross-entropy or a loss robust to label noise,
/// optionally stopped early on a validation split of the (noisy) training rows. The defaults are the study's.</summary>
/// <remarks>JSON paths: <c>training.epochs</c>, <c>training.learning_rate</c>, <c>training.batch_size</c>,
/// <c>training.momentum</c>, <c>training.weight_decay</c>, <c>training.loss</c>; the loss's parameters
/// <c>training.label_smoothing</c>, <c>training.gce_q</c>, <c>training.sce_alpha</c>, <c>training.sce_beta</c>,
/// <c>training.bootstrap_beta</c>; early stopping's <c>training.validation_fraction</c> and <c>training.patience</c>;
/// <c>training.record_every</c>. The optional fields are left out of a run's JSON when unset, so runs without them keep
/// their fingerprints.</remarks>
public sealed record TrainingSpec
{
    /// <summary>The softmax cross-entropy, averaged over the batch.</summary>
    public const string CrossEntropyLoss = LossFunction.CrossEntropyName;

    /// <summary>ε of label smoothing when <see cref="LabelSmoothing"/> is unset.</summary>
    public const double DefaultLabelSmoothing = 0.1;

    /// <summary>q of the generalized cross-entropy when <see cref="GceQ"/> is unset (Zhang and Sabuncu 2018).</summary>
    public const double DefaultGceQ = 0.7;

    /// <summary>α of the symmetric cross-entropy when <see cref="SceAlpha"/> is unset (Wang et al. 2019, CIFAR-10).</summary>
    public const double DefaultSceAlpha = 0.1;

    /// <summary>β of the symmetric cross-entropy when <see cref="SceBeta"/> is unset (Wang et al. 2019).</summary>
    public const double DefaultSceBeta = 1.0;

    /// <summary>β of soft bootstrapping when <see cref="BootstrapBeta"/> is unset (Reed et al. 2015).</summary>
    public const double DefaultSoftBootstrapBeta = 0.95;

    /// <summary>β of hard bootstrapping when <see cref="BootstrapBeta"/> is unset (Reed et al. 2015).</summary>
    public const double DefaultHardBootstrapBeta = 0.8;

    /// <summary>Epochs without a better validation accuracy before training stops, when <see cref="Patience"/> is unset.</summary>
    public const int DefaultPatience = 10;

    /// <summary>Every loss <see cref="Loss"/> may name.</summary>
    public static readonly IReadOnlyList<string> Losses =
    [
        LossFunction.CrossEntropyName, LossFunction.LabelSmoothingName, LossFunction.GeneralizedCrossEntropyName,
        LossFunction.SymmetricCrossEntropyName, LossFunction.SoftBootstrappingName, LossFunction.HardBootstrappingName,
        LossFunction.ForwardCorrectedName,
    ];

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

    /// <summary>The loss, one of <see cref="Losses"/> (see <see cref="LossFunction"/>). <c>forward-corrected</c> uses the
    /// run's true noise matrix: <see cref="TransitionMatrix.Symmetric"/> for uniform flips, the class-conditional
    /// models' own matrix otherwise (boundary noise has none).</summary>
    public string Loss { get; init; } = CrossEntropyLoss;

    /// <summary>
    /// Records the learning dynamics every this many epochs (epochs m, 2m, … and the last; see
    /// <see cref="DynamicsRecorder"/>), in [1, <see cref="Epochs"/>]; null (the default) records nothing. Recording
    /// reads the network only: it changes no bit of training.
    /// </summary>
    public int? RecordEvery { get; init; }

    /// <summary>ε of <c>label-smoothing</c>, in [0, 1]; null for <see cref="DefaultLabelSmoothing"/>.</summary>
    public double? LabelSmoothing { get; init; }

    /// <summary>q of <c>generalized-cross-entropy</c>, in (0, 1]; null for <see cref="DefaultGceQ"/>.</summary>
    public double? GceQ { get; init; }

    /// <summary>α of <c>symmetric-cross-entropy</c>, ≥ 0; null for <see cref="DefaultSceAlpha"/>.</summary>
    public double? SceAlpha { get; init; }

    /// <summary>β of <c>symmetric-cross-entropy</c>, ≥ 0; null for <see cref="DefaultSceBeta"/>.</summary>
    public double? SceBeta { get; init; }

    /// <summary>β of <c>soft-bootstrapping</c> and <c>hard-bootstrapping</c>, in [0, 1]; null for their defaults.</summary>
    public double? BootstrapBeta { get; init; }

    /// <summary>The share of the (noisy) training rows held out to pick the epoch, in (0, 1); null for no early
    /// stopping (every row trains, every epoch runs).</summary>
    public double? ValidationFraction { get; init; }

    /// <summary>Epochs without a better validation accuracy before training stops, ≥ 1; null for
    /// <see cref="DefaultPatience"/>. Only with <see cref="ValidationFraction"/>.</summary>
    public int? Patience { get; init; }

    /// <summary>The trainer's options for this part, with the cross-entropy or a loss that needs no noise matrix.</summary>
    /// <exception cref="InvalidOperationException">The loss is <c>forward-corrected</c>: use <see cref="ToOptions(TransitionMatrix)"/>.</exception>
    public TrainingOptions ToOptions() => SgdOptions() with { Loss = ToLoss(null) };

    /// <summary>The trainer's options for this part; <paramref name="noiseMatrix"/> is the matrix a
    /// <c>forward-corrected</c> loss corrects with (ignored by the other losses).</summary>
    /// <param name="noiseMatrix">T, T[i, j] = P(label j reported | clean class i): the true one or an estimate.</param>
    public TrainingOptions ToOptions(TransitionMatrix noiseMatrix)
    {
        ArgumentNullException.ThrowIfNull(noiseMatrix);
        return SgdOptions() with { Loss = ToLoss(noiseMatrix) };
    }

    private TrainingOptions SgdOptions() => new()
    {
        Epochs = Epochs,
        LearningRate = LearningRate,
        BatchSize = BatchSize,
        Momentum = Momentum,
        WeightDecay = WeightDecay,
    };

    private LossFunction ToLoss(TransitionMatrix? noiseMatrix) => Loss switch
    {
        LossFunction.CrossEntropyName => LossFunction.CrossEntropy,
        LossFunction.LabelSmoothingName => LossFunction.LabelSmoothing(LabelSmoothing ?? DefaultLabelSmoothing),
        LossFunction.GeneralizedCrossEntropyName => LossFunction.GeneralizedCrossEntropy(GceQ ?? DefaultGceQ),
        LossFunction.SymmetricCrossEntropyName => LossFunction.SymmetricCrossEntropy(SceAlpha ?? DefaultSceAlpha, SceBeta ?? DefaultSceBeta),
        LossFunction.SoftBootstrappingName => LossFunction.SoftBootstrapping(BootstrapBeta ?? DefaultSoftBootstrapBeta),
        LossFunction.HardBootstrappingName => LossFunction.HardBootstrapping(BootstrapBeta ?? DefaultHardBootstrapBeta),
        LossFunction.ForwardCorrectedName => noiseMatrix is null
            ? throw new InvalidOperationException($"training.loss \"{Loss}\" needs the noise's transition matrix: call ToOptions(TransitionMatrix).")
            : LossFunction.ForwardCorrected(noiseMatrix),
        _ => throw new InvalidOperationException($"training.loss \"{Loss}\" is not one of {string.Join(", ", Losses)}."),
    };
}
