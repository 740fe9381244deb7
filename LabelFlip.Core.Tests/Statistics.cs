namespace LabelFlip.Core.Tests;

/// <summary>Small statistical helpers for tests that check distributions.</summary>
internal static class Statistics
{
    /// <summary>Pearson's chi-square statistic of observed counts against equal expected counts.</summary>
    public static double ChiSquareUniform(ReadOnlySpan<long> observed)
    {
        long total = 0;
        foreach (long o in observed)
            total += o;
        double expected = (double)total / observed.Length;
        double chi = 0;
        foreach (long o in observed)
            chi += (o - expected) * (o - expected) / expected;
        return chi;
    }

    /// <summary>
    /// The chi-square quantile with <paramref name="degreesOfFreedom"/> whose upper tail is about 1e-6
    /// (Wilson–Hilferty, z = 4.75): a statistic above it means a real bias, not bad luck.
    /// </summary>
    public static double ChiSquareCritical(int degreesOfFreedom)
    {
        const double Z = 4.75;
        double a = 2.0 / (9.0 * degreesOfFreedom);
        double cube = 1 - a + Z * Math.Sqrt(a);
        return degreesOfFreedom * cube * cube * cube;
    }
}
