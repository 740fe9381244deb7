using System.Collections.Concurrent;
using LabelFlip.Core.Data;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// The reference networks of one data part (see <see cref="PoisonSpec"/>'s remarks): trained on the clean training
/// labels with the run's architecture and training settings from the stream (seed, "poison", "reference"), each once
/// for all the fractions, models and threads that ask for it. Lives as long as its <see cref="RunData"/>, so a sweep
/// holds the networks of one data draw at a time. Thread-safe.
/// </summary>
internal sealed class ReferenceNetworks
{
    private static readonly ulong s_poisonKey = StreamKey.Of("poison");
    private static readonly ulong s_referenceKey = StreamKey.Of("reference");

    private readonly ConcurrentDictionary<(ulong Seed, ModelSpec Model, TrainingSpec Training), Lazy<Mlp>> _trained = new();

    /// <summary>How many networks have been trained (for tests: each is trained once).</summary>
    public int TrainedCount => _trained.Count;

    /// <summary>The run's reference network on <paramref name="cleanTrain"/>, trained on first use.</summary>
    /// <remarks>The bits depend on the key only (the trainer is deterministic), never on which thread trains it or when.
    /// A failure (divergence, cancellation) is kept and rethrown to every run that asks, as each run would have met it.</remarks>
    public Mlp For(RunSpec run, Dataset cleanTrain, CancellationToken cancellationToken)
    {
        Lazy<Mlp> network = _trained.GetOrAdd((run.Seed, run.Model, run.Training),
            key => new Lazy<Mlp>(() => Train(key.Seed, key.Model, key.Training, cleanTrain, cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication));
        return network.Value;
    }

    /// <summary>The stream the reference network of runs with this seed is initialised and shuffled from.</summary>
    public static RandomSource Stream(ulong seed) => new(RandomSource.DeriveSeed(seed, s_poisonKey), s_referenceKey);

    private static Mlp Train(ulong seed, ModelSpec model, TrainingSpec training, Dataset cleanTrain, CancellationToken cancellationToken) =>
        // A trainer of its own: the runs waiting for this network keep theirs, and its buffers are dropped after.
        new MlpTrainer().Train(cleanTrain, model.HiddenWidths, training.ToOptions(), Stream(seed), cancellationToken: cancellationToken).Model;
}
