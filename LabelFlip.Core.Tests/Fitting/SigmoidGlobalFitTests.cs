using LabelFlip.Core.Fitting;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Tests.Fitting;


public class SigmoidGlobalFitTests
{
    // The guarantee: SS_res within 1e-9 relative of the best optimum any method finds. Sums of squares at the
    // rounding level of the data (~1e-31) are noise and are compared absolutely.
    private const double Relative = 1e-9;
    private const double RoundOffFloor = 1e-28;

    public static TheoryData<string> CaseNames() => SigmoidVectors.Names();

    private static bool NoWorseThan(double actual, double best) => actual <= best * (1 + Relative) + RoundOffFloor;

    private static SigmoidFitResult Local(double[] x, double[] y) =>
        SigmoidFit.Fit(x, y, new SigmoidFitOptions { Search = SigmoidFitSearch.Local });

    /// <summary>Noisy curves as <see cref="FittingGenerators.NoisyCurves"/>, drawn from a named stream.</summary>
    private static IEnumerable<NoisyCurveCase> SeededCurves(int count, string stream)
    {
        var random = new RandomSource(2026, StreamKey.Of(stream));
        double[] noises = [0.0, 0.005, 0.02, 0.05];
        for (int c = 0; c < count; c++)
        {
            bool flat = random.NextInt(4) == 0;
            double l = random.NextDouble(0.05, 1.0);
            double k = Math.Exp(random.NextDouble(Math.Log(0.5), Math.Log(100.0)));
            double x0 = random.NextDouble(-0.2, 0.8), b = random.NextDouble(0.0, 0.5);
            double noise = noises[random.NextInt(4)];
            var truth = new SigmoidParameters(flat ? 0.0 : l, k, x0, b);
            double[] x = random.NextInt(2) == 0
                ? FittingGenerators.StudyX
                : Enumerable.Range(0, random.NextInt(5, 51)).Select(_ => random.NextDouble(0.0, 0.5)).Order().ToArray();
            double[] y = x.Select(v => SigmoidModel.Evaluate(truth, v) + noise * random.NextGaussian()).ToArray();
            yield return new NoisyCurveCase(truth, noise, x, y);
        }
    }
}
