using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Statistics;

/// <summary>
/// The standard normal distribution function Φ, written with IEEE arithmetic and
/// <see cref="DeterministicMath.Exp"/> only, so p-values are the same bits on every platform.
/// </summary>
internal static class StandardNormal
{
    private const double TwoOverSqrtPi = 1.1283791670955125739;   // 2/√π
    private const double OneOverSqrtPi = 0.56418958354775628695;  // 1/√π
    private const double InverseSqrt2 = 0.70710678118654752440;   // 1/√2
    private const double SeriesLimit = 1.5;

    /// <summary>Φ(<paramref name="z"/>) = P(Z ≤ z), accurate to a few ulps relative, tails included.</summary>
    public static double Cdf(double z)
    {
        if (double.IsNaN(z))
            return z;
        // The small tail is computed directly, never as 1 minus something near 1.
        return z < 0 ? UpperTail(-z) : 1 - UpperTail(z);
    }

    /// <summary>Φ(−a) = P(Z ≥ a) for a ≥ 0: erfc(a/√2)/2.</summary>
    private static double UpperTail(double a)
    {
        double x = a * InverseSqrt2;
        if (x < SeriesLimit)
            return 0.5 * (1 - Erf(x));
        if (a > 38.5)
            return 0; // Φ(−38.5) < 1e-324: below the smallest double
        // Laplace's continued fraction erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))),
        // evaluated by the modified Lentz method (Numerical Recipes 3rd ed., §5.2); at x ≥ 1.5 it converges
        // to full precision within a few dozen terms. The fraction barely feels the rounding of x.
        const double Tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int k = 1; k < 500; k++)
        {
            double step = 0.5 * k;
            d = x + step * d;
            d = d == 0 ? 1 / Tiny : 1 / d;
            c = x + step / c;
            if (c == 0)
                c = Tiny;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
                break;
        }
        return 0.5 * HalfSquareExp(a) * OneOverSqrtPi / f;
    }

    // e^(−a²/2) without the rounding of a² (which would cost a relative 2⁻⁵³·a² far in the tail): split a into
    // s = ⌊16a⌋/16, whose square is exact, and the rest, as Cody does in his normal integral (ACM TOMS 715).
    private static double HalfSquareExp(double a)
    {
        double s = Math.Floor(a * 16) / 16;
        double rest = (a - s) * (a + s);
        return DeterministicMath.Exp(-0.5 * s * s) * DeterministicMath.Exp(-0.5 * rest);
    }

    // erf(x) = 2/√π · e^(−x²) · Σₖ 2ᵏ x^(2k+1) / (1·3·…·(2k+1)) (Abramowitz and Stegun 7.1.6): every term is
    // positive, so the sum has no cancellation; used for x < 1.5, where it converges within 40 terms.
    private static double Erf(double x)
    {
        double twoXSquared = 2 * x * x;
        double term = x, sum = x;
        for (int k = 1; k < 200; k++)
        {
            term *= twoXSquared / (2 * k + 1);
            double next = sum + term;
            if (next == sum)
                break;
            sum = next;
        }
        return TwoOverSqrtPi * DeterministicMath.Exp(-x * x) * sum;
    }
}
