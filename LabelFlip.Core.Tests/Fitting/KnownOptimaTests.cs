using LabelFlip.Core.Fitting;

namespace LabelFlip.Core.Tests.Fitting;

public class KnownOptimaTests
{
    private static readonly double[] s_x = FittingGenerators.StudyX;
    private static readonly double[] s_lower = [0, 0.1, 0, 0], s_upper = [1.5, 100, 1, 1];

    private static KnownOptima WithOne(double[] optimum, double sumOfSquares)
    {
        var known = new KnownOptima(4);
        known.Reset(s_x, s_lower, s_upper);
        known.Add(optimum, sumOfSquares);
        return known;
    }

    [Fact]
    public void A_polish_is_stopped_near_a_known_optimum_it_has_not_beaten()
    {
        KnownOptima known = WithOne([0.7, 5.0, 0.2, 0.3], 1e-3);
        // Exponent moved by |Δk|·0.3 + 5·|Δx0| = 0.03 + 0.05 ≤ 0.1; L and b by 0.0093 and 0.005 of their box.
        Assert.True(known.ShouldStop([0.714, 5.1, 0.21, 0.305], 1.2e-3));
        Assert.True(known.Stopped);
    }

    [Fact]
    public void A_polish_is_not_stopped_far_from_every_known_optimum_or_below_it()
    {
        KnownOptima known = WithOne([0.7, 5.0, 0.2, 0.3], 1e-3);
        Assert.False(known.ShouldStop([0.7, 5.0, 0.23, 0.3], 1.2e-3));   // x0 by 0.03: exponent by 0.15
        Assert.False(known.ShouldStop([0.7, 5.4, 0.2, 0.3], 1.2e-3));    // k by 0.4: exponent by 0.12
        Assert.False(known.ShouldStop([0.72, 5.0, 0.2, 0.3], 1.2e-3));   // L by 0.02 of 1.5
        Assert.False(known.ShouldStop([0.7, 5.0, 0.2, 0.3], 0.999e-3));  // lower than the optimum: a new one
        Assert.False(known.Stopped);
        // A steep step one gap away (k = 100, x0 from 0.075 to 0.125): the exponent moves by 5.
        known.Add([0.3, 100, 0.075, 0.5], 2e-3);
        Assert.False(known.ShouldStop([0.3, 100, 0.125, 0.5], 2e-3));
    }

    [Fact]
    public void A_watch_that_never_stops_gives_the_plain_solves_bits()
    {
        double[] y = s_x.Select((v, i) => 0.8 / (1 + Math.Exp(12 * (v - 0.2))) + 0.1 + (i % 3 - 1) * 0.01).ToArray();
        var problem = new SigmoidLeastSquares(s_x, y);
        double[] plain = [0.5, 10, 0.3, 0.2], watched = [0.5, 10, 0.3, 0.2];
        var tolerances = new LeastSquaresTolerances();
        LeastSquaresResult a = new LevenbergMarquardt(4).Minimize(ref problem, s_lower, s_upper, plain, tolerances);
        var never = default(NeverStop);
        LeastSquaresResult b = new LevenbergMarquardt(4).Minimize(ref problem, s_lower, s_upper, watched, tolerances, ref never);
        Assert.Equal(a, b);
        Assert.Equal(plain, watched);
    }
}
