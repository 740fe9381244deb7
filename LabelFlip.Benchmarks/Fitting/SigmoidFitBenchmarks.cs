using BenchmarkDotNet.Attributes;
using LabelFlip.Core.Fitting;
using LabelFlip.Core.Random;

namespace LabelFlip.Benchmarks.Fitting;

/// <summary>
/// One sigmoid fit with the study's defaults through a reused <see cref="SigmoidFitter"/>: the study's three
/// published curves (hidden widths 32, 64, 128: test accuracy against poison fraction), the noisy flat
/// vector whose global optimum the local fit misses, and a noisy 50-point case; the default global search
/// against the local fit from the study's start. References on the same kind of machine (shared/fit/README.md):
/// SciPy curve_fit ≈ 1,650 µs, Math.NET Numerics' LevenbergMarquardtMinimizer ≈ 75 µs per (local) fit.
/// Targets: local ≤ 10 µs, global in tens of µs at most; 0 bytes per fit.
/// </summary>
[MemoryDiagnoser]
public class SigmoidFitBenchmarks
{
    private static readonly double[] s_studyX = [0.0, 0.01, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5];

    // The study's mean test accuracies (shared/fit/sigmoid-vectors.json, cases ref_w32, ref_w64, ref_w128).
    private static readonly double[][] s_studyY =
    [
        [0.9066666762034098, 0.9066666762034098, 0.8622222145398458, 0.8088888923327128, 0.8088888923327128,
            0.7311111092567444, 0.648888885974884, 0.5755555431048075, 0.5155555605888367],
        [0.9044444362322489, 0.9022222359975179, 0.8555555542310079, 0.7888888915379842, 0.8088888923327128,
            0.702222208182017, 0.602222224076589, 0.5377777814865112, 0.4955555597941081],
        [0.897777775923411, 0.8933333158493042, 0.853333314259847, 0.7799999912579855, 0.7577777703603109,
            0.6755555669466654, 0.5822222232818604, 0.5222222208976746, 0.47777776916821796],
    ];

    // Case pub_flat_noisy_s0.01 of shared/fit/sigmoid-vectors.json.
    private static readonly double[] s_flatNoisyY =
    [
        0.8915516731625487, 0.8908155769391076, 0.8687991976164854, 0.8819023460536157, 0.8852403909638595,
        0.8708914393603662, 0.8907921776921155, 0.888779097900984, 0.8969843769591169,
    ];

    private readonly SigmoidFitter _fitter = new();
    private SigmoidFitOptions _options = SigmoidFitOptions.Default;
    private double[] _x = [], _y = [];

    /// <summary>
    /// Which data: a study width, "flat_noisy" (the vector pub_flat_noisy_s0.01), or "noisy50" (k = 15,
    /// x0 = 0.2, σ = 0.015 on 50 points in [0, 0.5]).
    /// </summary>
    [Params("ref_w32", "ref_w64", "ref_w128", "flat_noisy", "noisy50")]
    public string Case { get; set; } = "ref_w32";

    /// <summary>The default global search, or the local fit from the study's start.</summary>
    [Params(SigmoidFitSearch.Global, SigmoidFitSearch.Local)]
    public SigmoidFitSearch Search { get; set; } = SigmoidFitSearch.Global;

    [GlobalSetup]
    public void Setup()
    {
        _options = new SigmoidFitOptions { Search = Search };
        switch (Case)
        {
            case "flat_noisy":
                _x = s_studyX;
                _y = s_flatNoisyY;
                break;
            case "noisy50":
                var random = new RandomSource(2026);
                var truth = new SigmoidParameters(0.47, 15.0, 0.2, 0.23);
                _x = Enumerable.Range(0, 50).Select(i => i * (0.5 / 49)).ToArray();
                _y = _x.Select(x => SigmoidModel.Evaluate(truth, x) + 0.015 * random.NextGaussian()).ToArray();
                break;
            default:
                _x = s_studyX;
                _y = s_studyY[Case switch { "ref_w32" => 0, "ref_w64" => 1, _ => 2 }];
                break;
        }
        _fitter.Fit(_x, _y, _options); // warm the workspace: after this, fits allocate nothing
    }

    [Benchmark]
    public double Fit()
    {
        SigmoidFitResult fit = _fitter.Fit(_x, _y, _options);
        return fit.ThresholdClosedForm(SigmoidFit.ThresholdTarget(_y[0], 5)) + fit.SsRes;
    }
}
