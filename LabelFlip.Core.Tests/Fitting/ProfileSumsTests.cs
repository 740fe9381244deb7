using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Fitting;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Tests.Fitting;

public class ProfileSumsTests
{
    public static TheoryData<int> Widths() => [8, 4, 2, 1];

    // The plain loop the kernel promises the bits of: σ = 1/(1 + f·v), three sums in point order from +0.
    private static (double S, double Ss, double Sy) Plain(double[] factor, double[] y, double v)
    {
        double s = 0.0, ss = 0.0, sy = 0.0;
        for (int i = 0; i < factor.Length; i++)
        {
            double sigma = 1.0 / (1.0 + factor[i] * v);
            s += sigma;
            ss += sigma * sigma;
            sy += sigma * y[i];
        }
        return (s, ss, sy);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Every_path_gives_the_plain_loops_bits_for_every_count_of_x0_and_points(int lanes)
    {
        var random = new LabelFlip.Core.Random.RandomSource(11);
        for (int points = 0; points <= 12; points++)
        {
            for (int count = 0; count <= 19; count++)
            {
                // Factors and v as the grid makes them: e^{±a} over many orders of magnitude; y centred.
                double[] factor = Enumerable.Range(0, points).Select(_ => Math.Exp(40 * random.NextDouble() - 20)).ToArray();
                double[] y = Enumerable.Range(0, points).Select(_ => random.NextDouble() - 0.5).ToArray();
                double[] v = Enumerable.Range(0, count).Select(_ => Math.Exp(80 * random.NextDouble() - 40)).ToArray();
                double[] s = new double[count], ss = new double[count], sy = new double[count];
                ProfileSums.Compute(factor, y, v, s, ss, sy, lanes);
                for (int j = 0; j < count; j++)
                {
                    (double es, double ess, double esy) = Plain(factor, y, v[j]);
                    Assert.Equal(BitConverter.DoubleToInt64Bits(es), BitConverter.DoubleToInt64Bits(s[j]));
                    Assert.Equal(BitConverter.DoubleToInt64Bits(ess), BitConverter.DoubleToInt64Bits(ss[j]));
                    Assert.Equal(BitConverter.DoubleToInt64Bits(esy), BitConverter.DoubleToInt64Bits(sy[j]));
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Every_path_of_the_exponentials_gives_DeterministicMath_Exps_bits(int lanes)
    {
        // Random arguments over the whole range, small ones, the ends, ±0, and the points where n changes.
        var random = new LabelFlip.Core.Random.RandomSource(12);
        double[] special = [0.0, -0.0, ProfileSums.MaxExponent, -ProfileSums.MaxExponent, 0.5 * Math.Log(2), -0.5 * Math.Log(2),
            1.5 * Math.Log(2), -1.5 * Math.Log(2), 1e-300, -1e-300, 3.4657359027997265, -3.4657359027997265];
        double[] arguments = special
            .Concat(Enumerable.Range(0, 20_000).Select(_ => (2 * random.NextDouble() - 1) * ProfileSums.MaxExponent))
            .Concat(Enumerable.Range(0, 20_000).Select(_ => 2 * random.NextDouble() - 1))
            .Concat(Enumerable.Range(0, 2_000).Select(i => Math.BitIncrement((i - 1000) * 0.5 * Math.Log(2))))
            .Concat(Enumerable.Range(0, 2_000).Select(i => Math.BitDecrement((i - 1000) * 0.5 * Math.Log(2))))
            .Where(a => Math.Abs(a) <= ProfileSums.MaxExponent).ToArray();
        for (int count = 0; count <= 17; count++)
        {
            var destination = new double[count];
            ProfileSums.Exponentials(arguments.AsSpan(0, count), destination, lanes);
            for (int j = 0; j < count; j++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(DeterministicMath.Exp(arguments[j])), BitConverter.DoubleToInt64Bits(destination[j]));
        }
        var all = new double[arguments.Length];
        ProfileSums.Exponentials(arguments, all, lanes);
        for (int j = 0; j < arguments.Length; j++)
        {
            if (BitConverter.DoubleToInt64Bits(DeterministicMath.Exp(arguments[j])) != BitConverter.DoubleToInt64Bits(all[j]))
                Assert.Fail($"exp({arguments[j]:R}): {all[j]:R}, expected {DeterministicMath.Exp(arguments[j]):R}");
        }
    }

    [Property(MaxTest = 60, Arbitrary = [typeof(FittingGenerators)])]
    public Property Grid_search_proposes_the_same_starts_with_every_lane_width(NoisyCurveCase c)
    {
        // The whole search (grid, refinement of the steepest row) with the kernel at each width and scalar.
        double[] lower = [0, 0.1, 0, 0], upper = [1.5, 100, 1, 1];
        string Starts(int lanes)
        {
            var starts = new double[4 * SigmoidGridSearch.MaxStarts];
            int found = new SigmoidGridSearch(lanes).FindStarts(c.X, c.Y, lower, upper, starts);
            return string.Join(",", starts.Take(4 * found).Select(BitConverter.DoubleToInt64Bits));
        }
        string scalar = Starts(1);
        return (Starts(8) == scalar).Label("8 lanes")
            .And((Starts(4) == scalar).Label("4 lanes"))
            .And((Starts(2) == scalar).Label("2 lanes"));
    }
}
