using System.Text.Json;

namespace LabelFlip.Core.Tests.Fitting;

/// <summary>One SciPy solution of a case (the study's call, or the refined optimum).</summary>
public sealed record ScipySolution(
    double L, double K, double X0, double B, double SsRes, double RSquared, int? ThresholdGridIndex,
    double? ThresholdAnalytic, double[][]? Pcov, string[] AtBounds);

/// <summary>A case of <c>shared/fit/sigmoid-vectors.json</c> (format in <c>shared/fit/README.md</c>).</summary>
public sealed record SigmoidVectorCase(
    string Name, string Family, double[] X, double[] Y, double[] P0, double[] Lower, double[] Upper,
    double ThresholdTarget, ScipySolution Scipy, ScipySolution Refined)
{
    /// <summary>max(y) − min(y).</summary>
    public double Range => Y.Max() - Y.Min();

    /// <summary>
    /// Whether the true optimum has a descending step, decided from SciPy's refined solution (not from our
    /// fit): its L is more than 1e-3 of the data's range. The flat and increasing cases have L ≈ 1e-9 or less
    /// (L on its lower bound), every other case L ≥ 0.47.
    /// </summary>
    public bool HasTransition => Range > 0 && Refined.L > 1e-3 * Range;

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>
/// Loads the test vectors at run time from <c>&lt;repo&gt;/../shared/fit/</c> (which in CI may hold more cases
/// than the committed copy), falling back to the copy in <c>Fitting/TestData/</c> only when that is absent.
/// </summary>
public static class SigmoidVectors
{
    private const string FileName = "sigmoid-vectors.json";
    private static readonly Lazy<(string Path, IReadOnlyList<SigmoidVectorCase> Cases)> s_loaded = new(Load);

    /// <summary>The file the cases were read from.</summary>
    public static string SourcePath => s_loaded.Value.Path;

    /// <summary>Every case.</summary>
    public static IReadOnlyList<SigmoidVectorCase> Cases => s_loaded.Value.Cases;

    /// <summary>Case names for <c>[MemberData]</c>: one test per case.</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (SigmoidVectorCase c in Cases)
            data.Add(c.Name);
        return data;
    }

    /// <summary>The case called <paramref name="name"/>.</summary>
    public static SigmoidVectorCase Get(string name) => Cases.Single(c => c.Name == name);

    /// <summary>The shared file if the repository has a <c>../shared/fit/</c> beside it, else the fallback.</summary>
    public static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "LabelFlip.sln")))
                continue;
            string shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fit", FileName));
            if (File.Exists(shared))
                return shared;
            break;
        }
        return Path.Combine(AppContext.BaseDirectory, "Fitting", "TestData", FileName);
    }

    private static (string, IReadOnlyList<SigmoidVectorCase>) Load()
    {
        string path = Locate();
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        var cases = new List<SigmoidVectorCase>();
        foreach (JsonElement c in document.RootElement.EnumerateArray())
        {
            cases.Add(new SigmoidVectorCase(
                c.GetProperty("name").GetString()!,
                c.GetProperty("family").GetString()!,
                Doubles(c.GetProperty("x")),
                Doubles(c.GetProperty("y")),
                Doubles(c.GetProperty("p0")),
                Doubles(c.GetProperty("lower")),
                Doubles(c.GetProperty("upper")),
                c.GetProperty("threshold_target").GetDouble(),
                Solution(c.GetProperty("scipy")),
                Solution(c.GetProperty("scipy_refined"))));
        }
        return (path, cases);
    }

    private static ScipySolution Solution(JsonElement s) => new(
        s.GetProperty("L").GetDouble(),
        s.GetProperty("k").GetDouble(),
        s.GetProperty("x0").GetDouble(),
        s.GetProperty("b").GetDouble(),
        s.GetProperty("ss_res").GetDouble(),
        s.GetProperty("r_squared").GetDouble(),
        NullableInt(s, "threshold_grid_index"),
        NullableDouble(s, "threshold_analytic"),
        s.TryGetProperty("pcov", out JsonElement pcov) && pcov.ValueKind == JsonValueKind.Array
            ? pcov.EnumerateArray().Select(Doubles).ToArray()
            : null,
        s.GetProperty("at_bounds").EnumerateArray().Select(e => e.GetString()!).ToArray());

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private static int? NullableInt(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out JsonElement e) && e.ValueKind == JsonValueKind.Number ? e.GetInt32() : null;

    private static double? NullableDouble(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out JsonElement e) && e.ValueKind == JsonValueKind.Number ? e.GetDouble() : null;
}
