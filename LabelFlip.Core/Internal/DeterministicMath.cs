namespace LabelFlip.Core.Internal;

/// <summary>
/// Transcendentals written with IEEE-754 additions, multiplications and divisions only, so their results
/// are the same bits on every operating system, CPU and runtime. <see cref="Math.Log(double)"/> comes
/// from the platform's C runtime, which may round the last bit differently between systems.
/// </summary>
internal static class DeterministicMath
{
    // ln 2 split so that e * Ln2Hi is exact for |e| < 2^11 (Ln2Hi has its low 32 bits zero), as in fdlibm.
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double Sqrt2 = 1.41421356237309504880;

    /// <summary>
    /// Natural logarithm of <paramref name="x"/>, accurate to about one ulp (−∞ at 0, NaN below 0 or for NaN).
    /// </summary>
    /// <remarks>
    /// x = 2^e · m with m in [√½, √2); ln m = 2·atanh(f) with f = (m − 1)/(m + 1), |f| ≤ 0.1716, summed as
    /// the odd series f + f³/3 + … + f²⁵/25 (the next term is below 2⁻⁶⁴ of the sum).
    /// </remarks>
    public static double Log(double x)
    {
        if (!(x > 0) || double.IsPositiveInfinity(x))
            return x == 0 ? double.NegativeInfinity : x > 0 ? x : double.NaN;

        int exponentBias = 0;
        if (x < 2.2250738585072014E-308) // smallest normal double
        {
            x *= 18014398509481984.0; // 2^54, exact: brings a subnormal into the normal range
            exponentBias = -54;
        }

        long bits = BitConverter.DoubleToInt64Bits(x);
        int e = (int)((bits >> 52) & 0x7FF) - 1023 + exponentBias;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000F_FFFF_FFFF_FFFFL) | 0x3FF0_0000_0000_0000L);
        if (m > Sqrt2)
        {
            m *= 0.5;
            e++;
        }

        double f = (m - 1.0) / (m + 1.0);
        double f2 = f * f;
        // Horner form of 1/3 + f²/5 + … + f²²/25; then ln m = 2f + 2f·f²·series.
        double series = 1.0 / 25;
        series = series * f2 + 1.0 / 23;
        series = series * f2 + 1.0 / 21;
        series = series * f2 + 1.0 / 19;
        series = series * f2 + 1.0 / 17;
        series = series * f2 + 1.0 / 15;
        series = series * f2 + 1.0 / 13;
        series = series * f2 + 1.0 / 11;
        series = series * f2 + 1.0 / 9;
        series = series * f2 + 1.0 / 7;
        series = series * f2 + 1.0 / 5;
        series = series * f2 + 1.0 / 3;
        double lnM = 2.0 * f + 2.0 * f * f2 * series;
        return e * Ln2Hi + (lnM + e * Ln2Lo);
    }
}
