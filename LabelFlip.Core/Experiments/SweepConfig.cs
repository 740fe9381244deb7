using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using LabelFlip.Core.Data;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// Everything that determines a sweep's results: the grid of (poison fraction, hidden width, seed) runs, the
/// training settings and the data. The defaults are the study's. Immutable; change it with <c>with</c>.
/// </summary>
/// <remarks>
/// In JSON the properties have snake_case names (<c>poison_fractions</c>, <c>hidden_widths</c>, …); unknown
/// fields are an error. <see cref="Validate"/> names the bad field by its JSON name and gives the allowed range.
/// Two configs are equal when they serialise to the same JSON.
/// </remarks>
public sealed record SweepConfig
{
    /// <summary>The study's poison fractions.</summary>
    public static readonly ImmutableArray<double> DefaultPoisonFractions = [0.0, 0.01, 0.05, 0.10, 0.15, 0.20, 0.30, 0.40, 0.50];

    /// <summary>The study's hidden widths.</summary>
    public static readonly ImmutableArray<int> DefaultHiddenWidths = [32, 64, 128];

    /// <summary>The study's training seeds.</summary>
    public static readonly ImmutableArray<ulong> DefaultSeeds = [42, 123, 7];

    /// <summary>The largest hidden width accepted.</summary>
    public const int MaxHiddenWidth = 65_536;

    /// <summary>The largest number of epochs accepted.</summary>
    public const int MaxEpochs = 1_000_000;

    /// <summary>The largest number of samples accepted.</summary>
    public const int MaxSampleCount = 10_000_000;

    /// <summary>Fractions of training labels flipped, each in [0, 1], distinct.</summary>
    public ImmutableArray<double> PoisonFractions { get; init; } = DefaultPoisonFractions;

    /// <summary>Hidden widths of the two-layer networks, each in [1, <see cref="MaxHiddenWidth"/>], distinct.</summary>
    public ImmutableArray<int> HiddenWidths { get; init; } = DefaultHiddenWidths;

    /// <summary>Training seeds (initialisation, shuffling and poisoning), distinct.</summary>
    public ImmutableArray<ulong> Seeds { get; init; } = DefaultSeeds;

    /// <summary>Training epochs per run.</summary>
    public int Epochs { get; init; } = 200;

    /// <summary>SGD learning rate.</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>Mini-batch size.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Number of samples generated.</summary>
    public int SampleCount { get; init; } = GaussianClusters.DefaultSampleCount;

    /// <summary>Features per sample.</summary>
    public int FeatureCount { get; init; } = GaussianClusters.DefaultFeatureCount;

    /// <summary>Number of classes (Gaussian clusters).</summary>
    public int ClassCount { get; init; } = GaussianClusters.DefaultClassCount;

    /// <summary>Standard deviation of each cluster.</summary>
    public double ClusterStd { get; init; } = GaussianClusters.DefaultClusterStd;

    /// <summary>Standard deviation of the cluster centers.</summary>
    public double CenterSpread { get; init; } = GaussianClusters.DefaultCenterSpread;

    /// <summary>Share of samples used for training; the rest is the clean test set.</summary>
    public double TrainFraction { get; init; } = TrainTestSplit.DefaultTrainFraction;

    /// <summary>Seed of the data (clusters and split), shared by every run.</summary>
    public ulong DataSeed { get; init; } = GaussianClusters.DefaultSeed;

    /// <summary>Number of runs: fractions × widths × seeds.</summary>
    [JsonIgnore]
    public int RunCount => PoisonFractions.Length * HiddenWidths.Length * Seeds.Length;

    /// <summary>Checks every field.</summary>
    /// <exception cref="ArgumentException">A field is out of range; the parameter name is the field's JSON name.</exception>
    public void Validate()
    {
        RequireList(PoisonFractions, "poison_fractions", f => double.IsFinite(f) && f >= 0 && f <= 1, "each a number in [0, 1]");
        RequireList(HiddenWidths, "hidden_widths", w => w >= 1 && w <= MaxHiddenWidth, $"each an integer in [1, {MaxHiddenWidth}]");
        RequireList(Seeds, "seeds", _ => true, "each an integer in [0, 2^64)");
        Require(Epochs >= 1 && Epochs <= MaxEpochs, "epochs", Epochs, $"an integer in [1, {MaxEpochs}]");
        Require(double.IsFinite(LearningRate) && LearningRate > 0, "learning_rate", LearningRate, "a finite number > 0");
        Require(ClassCount >= 2 && ClassCount <= 1000, "class_count", ClassCount, "an integer in [2, 1000]");
        Require(FeatureCount >= 1 && FeatureCount <= 100_000, "feature_count", FeatureCount, "an integer in [1, 100000]");
        Require(SampleCount >= 2 * ClassCount && SampleCount <= MaxSampleCount, "sample_count", SampleCount,
            $"an integer in [2 × class_count = {2 * ClassCount}, {MaxSampleCount}]");
        Require(double.IsFinite(ClusterStd) && ClusterStd >= 0, "cluster_std", ClusterStd, "a finite number ≥ 0");
        Require(double.IsFinite(CenterSpread) && CenterSpread >= 0, "center_spread", CenterSpread, "a finite number ≥ 0");
        Require(double.IsFinite(TrainFraction) && TrainFraction > 0 && TrainFraction < 1, "train_fraction", TrainFraction, "a number in (0, 1)");
        int trainCount = (int)Math.Round(SampleCount * TrainFraction, MidpointRounding.ToEven);
        Require(trainCount >= 1 && trainCount < SampleCount, "train_fraction", TrainFraction,
            $"a number that leaves at least one of the {SampleCount} samples on each side");
        Require(BatchSize >= 1 && BatchSize <= MaxSampleCount, "batch_size", BatchSize, $"an integer in [1, {MaxSampleCount}]");
    }

    /// <summary>The config as indented JSON with snake_case names.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, LabelFlipJsonContext.Default.SweepConfig);

    /// <summary>Reads and validates a config from JSON; missing fields take the study's defaults.</summary>
    /// <exception cref="ArgumentException">The JSON is malformed, has an unknown field, or a field is out of range.</exception>
    public static SweepConfig FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        SweepConfigFields? fields;
        try
        {
            fields = JsonSerializer.Deserialize(json, LabelFlipJsonContext.Default.SweepConfigFields);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Not a valid sweep config: {e.Message}", nameof(json), e);
        }
        if (fields is null)
            throw new ArgumentException("Not a valid sweep config: the JSON is null.", nameof(json));
        SweepConfig config = fields.ToConfig();
        config.Validate();
        return config;
    }

    /// <summary>Reads and validates a config file.</summary>
    public static SweepConfig Load(string path) => FromJson(File.ReadAllText(path, Encoding.UTF8));

    /// <summary>Writes the config to <paramref name="path"/> atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson() + "\n");

    /// <inheritdoc />
    public bool Equals(SweepConfig? other) => other is not null && ToJson() == other.ToJson();

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToJson());

    private static void RequireList<T>(ImmutableArray<T> values, string field, Func<T, bool> valid, string rule)
    {
        if (values.IsDefaultOrEmpty)
            throw new ArgumentException($"{field} must be a non-empty list, {rule}.", field);
        for (int i = 0; i < values.Length; i++)
        {
            if (!valid(values[i]))
                throw new ArgumentOutOfRangeException(field, values[i], $"{field} must be a list {rule}; entry {i} is {values[i]}.");
        }
        if (values.Distinct().Count() != values.Length)
            throw new ArgumentException($"{field} must not repeat a value.", field);
    }

    private static void Require(bool ok, string field, object value, string rule)
    {
        if (!ok)
            throw new ArgumentOutOfRangeException(field, value, $"{field} must be {rule}; got {value}.");
    }
}

// The JSON form of a config for reading: every field optional, so what a file leaves out keeps the study's
// default. (Generated serialisers assign every init-only property, present in the JSON or not, so the
// record itself cannot be read directly without losing its defaults.)
internal sealed class SweepConfigFields
{
    public double[]? PoisonFractions { get; set; }
    public int[]? HiddenWidths { get; set; }
    public ulong[]? Seeds { get; set; }
    public int? Epochs { get; set; }
    public double? LearningRate { get; set; }
    public int? BatchSize { get; set; }
    public int? SampleCount { get; set; }
    public int? FeatureCount { get; set; }
    public int? ClassCount { get; set; }
    public double? ClusterStd { get; set; }
    public double? CenterSpread { get; set; }
    public double? TrainFraction { get; set; }
    public ulong? DataSeed { get; set; }

    public SweepConfig ToConfig()
    {
        var defaults = new SweepConfig();
        return new SweepConfig
        {
            PoisonFractions = PoisonFractions is null ? defaults.PoisonFractions : [.. PoisonFractions],
            HiddenWidths = HiddenWidths is null ? defaults.HiddenWidths : [.. HiddenWidths],
            Seeds = Seeds is null ? defaults.Seeds : [.. Seeds],
            Epochs = Epochs ?? defaults.Epochs,
            LearningRate = LearningRate ?? defaults.LearningRate,
            BatchSize = BatchSize ?? defaults.BatchSize,
            SampleCount = SampleCount ?? defaults.SampleCount,
            FeatureCount = FeatureCount ?? defaults.FeatureCount,
            ClassCount = ClassCount ?? defaults.ClassCount,
            ClusterStd = ClusterStd ?? defaults.ClusterStd,
            CenterSpread = CenterSpread ?? defaults.CenterSpread,
            TrainFraction = TrainFraction ?? defaults.TrainFraction,
            DataSeed = DataSeed ?? defaults.DataSeed,
        };
    }
}
