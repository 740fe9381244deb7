namespace LabelFlip.Core.Experiments;

/// <summary>
/// One experiment, complete and serialisable: the data, the poison, the model, the training and the training
/// seed. Each part names the random streams it draws from, so a run's result depends on nothing else.
/// </summary>
/// <remarks>
/// <para><b>Streams</b> (<see cref="Streams"/> = "ours"). Data and split come from <c>data.seed</c> (streams "cluster-…" and "split"); the poison from
/// (<c>seed</c>, "poison", <c>poison.fraction</c>); initialisation and shuffling from (<c>seed</c>, "training").
/// Runs that differ only in width or depth therefore share their poisoned labels, as the study's did. A detector
/// (<see cref="Defence"/>) draws from (<c>seed</c>, "defence", detector name), so it changes neither the poison nor the
/// final training's streams.</para>
/// <para>In JSON a run is an object with the parts <c>data</c>, <c>poison</c>, <c>model</c>, <c>training</c>,
/// <c>defence</c> (left out when there is none) and the field <c>seed</c>; every leaf is addressed by a path such as <c>training.learning_rate</c> (see
/// <see cref="SweepConfig"/>).</para>
/// </remarks>
public sealed record RunSpec
{
    /// <summary>The data set and its split.</summary>
    public DataSpec Data { get; init; } = new();

    /// <summary>The label noise applied to the training rows.</summary>
    public PoisonSpec Poison { get; init; } = new();

    /// <summary>The network.</summary>
    public ModelSpec Model { get; init; } = new();

    /// <summary>How the network is trained.</summary>
    public TrainingSpec Training { get; init; } = new();

    /// <summary>The label-noise detector between poisoning and training; by default none.</summary>
    public DefenceSpec Defence { get; init; } = new();

    /// <summary>The training seed: poisoning, initialisation and shuffling.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Our own random streams (xoshiro256**), the default.</summary>
    public const string OurStreams = "ours";

    /// <summary>
    /// The study's own generators: NumPy's legacy <c>RandomState</c> for the data, the split and the poison, and
    /// PyTorch's CPU generator for the initialisation and the data loader's shuffles, drawn exactly as the study's code
    /// drew them (see <see cref="Data.StudyClusters"/>, <see cref="Data.StudySplit"/>,
    /// <see cref="Poisoning.StudyLabelFlip"/>, <see cref="Nn.TorchInitialization"/>, <see cref="Nn.TorchRandomSampler"/>).
    /// </summary>
    public const string StudyStreams = "study";

    /// <summary>Which family of random streams the run draws from: <see cref="OurStreams"/> or <see cref="StudyStreams"/>.</summary>
    public string Streams { get; init; } = OurStreams;
}
