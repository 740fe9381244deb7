using LabelFlip.Core.Fitting;

namespace LabelFlip.Core.Tests.Fitting;

/// <summary>
/// The plain reference for the global sigmoid fit: a dense (k, x0) grid with the bounded (L, b) solved at every
/// node by trying every candidate a convex quadratic on a box can have (the free minimiser, the four edges'
/// clipped minimisers, the four corners), then the local Levenberg–Marquardt polish from the best
/// <see cref="Polished"/> grid minima and from the study's start. Slow (about 10⁵ nodes) and simple on purpose.
/// </summary>
public static class BruteForceSigmoidFit
{
    /// <summary>Values of k, geometric over the bounds.</summary>
    public const int KCount = 241;

    /// <summary>Evenly spaced values of x0 over the bounds (data points and gap midpoints come on top).</summary>
    public const int X0Count = 401;

    /// <summary>How many of the lowest grid minima are polished.</summary>
    public const int Polished = 12;

    /// <summary>The lowest SS_res found and its parameters, for the study's default bounds.</summary>
    public static (double SsRes, SigmoidParameters Parameters) Fit(double[] x, double[] y)
    {
        SigmoidParameters lower = SigmoidFitOptions.DefaultLower, upper = SigmoidFitOptions.DefaultUpper;
        double[] ks = Enumerable.Range(0, KCount)
            .Select(j => j == KCount - 1 ? upper.K : lower.K * Math.Pow(upper.K / lower.K, j / (double)(KCount - 1))).ToArray();
        double[] sorted = x.Distinct().Order().ToArray();
        double[] x0s = Enumerable.Range(0, X0Count).Select(m => lower.X0 + (upper.X0 - lower.X0) * m / (X0Count - 1))
            .Concat(sorted)
            .Concat(sorted.Zip(sorted.Skip(1), (a, b) => (a + b) / 2))
            .Where(v => v >= lower.X0 && v <= upper.X0).Distinct().Order().ToArray();

        var cost = new double[ks.Length, x0s.Length];
        for (int j = 0; j < ks.Length; j++)
        {
            for (int m = 0; m < x0s.Length; m++)
                cost[j, m] = BestLinear(x, y, ks[j], x0s[m], lower, upper).SsRes;
        }

        var minima = new List<(double Cost, int J, int M)>();
        for (int j = 0; j < ks.Length; j++)
        {
            for (int m = 0; m < x0s.Length; m++)
            {
                bool minimum = true;
                for (int dj = -1; dj <= 1; dj++)
                {
                    for (int dm = -1; dm <= 1; dm++)
                    {
                        int jj = j + dj, mm = m + dm;
                        if ((dj != 0 || dm != 0) && jj >= 0 && jj < ks.Length && mm >= 0 && mm < x0s.Length && cost[jj, mm] < cost[j, m])
                            minimum = false;
                    }
                }
                if (minimum)
                    minima.Add((cost[j, m], j, m));
            }
        }

        var starts = new List<SigmoidParameters> { SigmoidFit.StudyInitialGuess(y, lower, upper) };
        foreach ((double _, int j, int m) in minima.OrderBy(t => t.Cost).Take(Polished))
        {
            (double _, double l, double b) = BestLinear(x, y, ks[j], x0s[m], lower, upper);
            starts.Add(new SigmoidParameters(l, ks[j], x0s[m], b));
        }

        (double SsRes, SigmoidParameters Parameters) best = (double.PositiveInfinity, default);
        foreach (SigmoidParameters start in starts)
        {
            SigmoidFitResult fit = new SigmoidFitter().Fit(x, y, new SigmoidFitOptions { InitialGuess = start, Search = SigmoidFitSearch.Local });
            if (fit.SsRes < best.SsRes)
                best = (fit.SsRes, fit.Parameters);
        }
        return best;
    }

    /// <summary>SS_res of the best (L, b) in the box for fixed k and x0: every candidate minimiser, plainly.</summary>
    public static (double SsRes, double L, double B) BestLinear(double[] x, double[] y, double k, double x0, SigmoidParameters lower, SigmoidParameters upper)
    {
        double[] sigma = x.Select(v => 1.0 / (1.0 + Math.Exp(k * (v - x0)))).ToArray();
        int n = x.Length;
        double sumS = sigma.Sum(), sumSS = sigma.Sum(s => s * s), sumY = y.Sum(), sumSY = sigma.Zip(y, (s, v) => s * v).Sum();

        var candidates = new List<(double L, double B)>();
        double det = n * sumSS - sumS * sumS;
        if (det > 1e-12 * n * sumSS)
            candidates.Add(((n * sumSY - sumS * sumY) / det, (sumSS * sumY - sumS * sumSY) / det));
        foreach (double l in new[] { lower.L, upper.L, Math.Clamp(0.0, lower.L, upper.L) })
            candidates.Add((l, Math.Clamp((sumY - l * sumS) / n, lower.B, upper.B)));
        foreach (double b in new[] { lower.B, upper.B })
            candidates.Add((sumSS > 0 ? Math.Clamp((sumSY - b * sumS) / sumSS, lower.L, upper.L) : lower.L, b));
        foreach (double l in new[] { lower.L, upper.L })
        {
            foreach (double b in new[] { lower.B, upper.B })
                candidates.Add((l, b));
        }

        (double SsRes, double L, double B) best = (double.PositiveInfinity, 0, 0);
        foreach ((double l, double b) in candidates)
        {
            if (!(l >= lower.L && l <= upper.L && b >= lower.B && b <= upper.B))
                continue;
            double ss = 0;
            for (int i = 0; i < n; i++)
                ss += (l * sigma[i] + b - y[i]) * (l * sigma[i] + b - y[i]);
            if (ss < best.SsRes)
                best = (ss, l, b);
        }
        return best;
    }
}
