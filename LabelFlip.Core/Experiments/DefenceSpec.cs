using System.Collections.Immutable;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// The defence part of a run: a label-noise detector that runs between poisoning and training; the network is then
/// trained on the rows it did not flag. The default, "none", trains on every row.
/// </summary>
/// <remarks>
/// <para>JSON paths: <c>defence.detector</c>; <c>defence.k</c> ("knn"); <c>defence.folds</c> ("confident-learning",
/// and "small-loss" with <c>defence.noise_rate</c> "confident-learning"); <c>defence.warmup_epochs</c> and
/// <c>defence.noise_rate</c> ("small-loss"). A field is only allowed with its detector; the canonical JSON leaves out a
/// detector of "none" and every field left unset, so runs without a defence keep their fingerprints.</para>
/// <para><b>Streams.</b> Every draw comes from the sub-stream (<c>seed</c>, "defence", detector name): "random" draws
/// its rows from it; "confident-learning" uses it as the seed of its folds and fold trainings
/// (<see cref="Detection.ConfidentLearning"/>); "small-loss" trains from it. The poison and the final training keep
/// their own streams, so a detector never changes which labels were flipped or how the kept rows are trained.</para>
/// <para>Detectors run on the poisoned training rows with the run's model and training settings; they need
/// <c>streams</c> "ours".</para>
/// </remarks>
public sealed record DefenceSpec
{
    /// <summary>No defence: every row trains.</summary>
    public const string NoDetector = "none";

    /// <summary>k-nearest-neighbours sanitisation (<see cref="Detection.NearestNeighbourDetector"/>).</summary>
    public const string NearestNeighboursDetector = "knn";

    /// <summary>Confident learning, pruned by noise rate (<see cref="Detection.ConfidentLearning"/>).</summary>
    public const string ConfidentLearningDetector = "confident-learning";

    /// <summary>The small-loss criterion after a short training (<see cref="Detection.SmallLossDetector"/>).</summary>
    public const string SmallLossDetector = "small-loss";

    /// <summary>As many rows as were flipped, drawn at random (<see cref="Detection.RandomDetector"/>).</summary>
    public const string RandomDetector = "random";

    /// <summary>Exactly the flipped rows (<see cref="Detection.OracleDetector"/>).</summary>
    public const string OracleDetector = "oracle";

    /// <summary>Every detector, "none" first.</summary>
    public static readonly ImmutableArray<string> Detectors =
        [NoDetector, NearestNeighboursDetector, ConfidentLearningDetector, SmallLossDetector, RandomDetector, OracleDetector];

    /// <summary>"small-loss" flags the share poison.fraction of the rows: the nominal rate, known to the experimenter only.</summary>
    public const string NominalNoiseRate = "nominal";

    /// <summary>"small-loss" flags the share that confident learning estimates: no knowledge of the poison needed.</summary>
    public const string ConfidentLearningNoiseRate = "confident-learning";

    /// <summary>The values of <see cref="NoiseRate"/>.</summary>
    public static readonly ImmutableArray<string> NoiseRates = [NominalNoiseRate, ConfidentLearningNoiseRate];

    /// <summary>The detector: one of <see cref="Detectors"/>.</summary>
    public string Detector { get; init; } = NoDetector;

    /// <summary>"knn": the neighbours; null for <see cref="Detection.NearestNeighbourDetector.DefaultNeighbourCount"/>.</summary>
    public int? K { get; init; }

    /// <summary>Confident learning's folds; null for <see cref="Detection.ConfidentLearning.DefaultFoldCount"/>.</summary>
    public int? Folds { get; init; }

    /// <summary>"small-loss": epochs of the short training; null for <see cref="Detection.SmallLossDetector.DefaultWarmupEpochs"/>.</summary>
    public int? WarmupEpochs { get; init; }

    /// <summary>"small-loss": the share of rows flagged, <see cref="NominalNoiseRate"/> (null) or <see cref="ConfidentLearningNoiseRate"/>.</summary>
    public string? NoiseRate { get; init; }
}
