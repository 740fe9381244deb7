using System.Text.Json;

namespace LabelFlip.Core.Tests.Random;

/// <summary>One (fraction, seed) of the study's poisoned labels.</summary>
public sealed record StudyPoisonCase(double Fraction, long Seed, long PoisonSeed, int[] Labels)
{
    /// <inheritdoc />
    public override string ToString() => $"p={Fraction} seed={Seed}";
}

/// <summary>The initial parameters of one (width, seed), PyTorch layout, float32.</summary>
public sealed record StudyInitCase(int Width, ulong Seed, float[] W1, float[] B1, float[] W2, float[] B2);

/// <summary>
/// <c>shared/study/study-streams.json</c> (format in <c>shared/study/README.md</c>): what NumPy 1.24 and
/// PyTorch 1.13 drew for the study. Read from <c>&lt;repo&gt;/../shared/study/</c> when present, else from
/// the committed copy in <c>Random/TestData/</c>.
/// </summary>
public static class StudyStreams
{
    private const string FileName = "study-streams.json";
    private static readonly Lazy<Loaded> s_loaded = new(Load);

    /// <summary>The file the streams were read from.</summary>
    public static string SourcePath => s_loaded.Value.Path;

    /// <summary>The 500 × 10 features as NumPy generated them, row-major.</summary>
    public static double[] Features => s_loaded.Value.Features;

    /// <summary>The 500 clean labels.</summary>
    public static int[] Labels => s_loaded.Value.Labels;

    /// <summary>The split's training rows, in the study's order.</summary>
    public static int[] TrainIndex => s_loaded.Value.TrainIndex;

    /// <summary>The split's test rows, in the study's order.</summary>
    public static int[] TestIndex => s_loaded.Value.TestIndex;

    /// <summary>Every (fraction, seed) of the study's poisoned labels.</summary>
    public static IReadOnlyList<StudyPoisonCase> Poisoned => s_loaded.Value.Poisoned;

    /// <summary>Every (width, seed) of the initial parameters.</summary>
    public static IReadOnlyList<StudyInitCase> Init => s_loaded.Value.Init;

    /// <summary>For each seed, the first epochs' row orders (indices into the training rows).</summary>
    public static IReadOnlyDictionary<ulong, int[][]> EpochOrders => s_loaded.Value.EpochOrders;

    /// <summary>The shared file if the repository has a <c>../shared/study/</c> beside it, else the fallback.</summary>
    public static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "LabelFlip.sln")))
                continue;
            string shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "study", FileName));
            if (File.Exists(shared))
                return shared;
            break;
        }
        return Path.Combine(AppContext.BaseDirectory, "Random", "TestData", FileName);
    }

    private sealed record Loaded(
        string Path, double[] Features, int[] Labels, int[] TrainIndex, int[] TestIndex,
        IReadOnlyList<StudyPoisonCase> Poisoned, IReadOnlyList<StudyInitCase> Init,
        IReadOnlyDictionary<ulong, int[][]> EpochOrders);

    private static Loaded Load()
    {
        string path = Locate();
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = document.RootElement;
        var poisoned = root.GetProperty("poisoned").EnumerateArray().Select(p => new StudyPoisonCase(
            p.GetProperty("fraction").GetDouble(),
            p.GetProperty("seed").GetInt64(),
            p.GetProperty("poison_seed").GetInt64(),
            Ints(p.GetProperty("labels")))).ToList();
        var init = root.GetProperty("init").EnumerateArray().Select(i => new StudyInitCase(
            i.GetProperty("width").GetInt32(),
            i.GetProperty("seed").GetUInt64(),
            Floats(i.GetProperty("w1")),
            Floats(i.GetProperty("b1")),
            Floats(i.GetProperty("w2")),
            Floats(i.GetProperty("b2")))).ToList();
        var orders = root.GetProperty("epoch_orders").EnumerateArray().ToDictionary(
            e => e.GetProperty("seed").GetUInt64(),
            e => e.GetProperty("orders").EnumerateArray().Select(Ints).ToArray());
        return new Loaded(
            path,
            root.GetProperty("features_float64").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
            Ints(root.GetProperty("labels")),
            Ints(root.GetProperty("train_index")),
            Ints(root.GetProperty("test_index")),
            poisoned, init, orders);
    }

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    // The values are float32s written as the shortest decimal of their double: parse as double, then the
    // conversion to float is exact.
    private static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
}
