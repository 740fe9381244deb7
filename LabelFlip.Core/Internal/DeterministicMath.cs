namespace LabelFlip.Core.Internal;

/// <summary>
/// Transcendentals written with IEEE-754 additions, multiplications and divisions only, so their results
/// are the same bits on every operating system, CPU and runtime. <see cref="Math.Log(double)"/> comes
/// from the platform's C runtime, which may round the last bit differently between systems.
/// </summary>
internal static class DeterministicMath
{
    /// <summary>The high part of ln 2 (fdlibm's split): its low 32 bits are zero, so n·Ln2Hi is exact for |n| &lt; 2²⁰.
    /// Shared with the softmax's exp (<see cref="Nn.Kernels.PolynomialExp"/>).</summary>
    internal const double Ln2Hi = 6.93147180369123816490e-01;

    /// <summary>ln 2 − <see cref="Ln2Hi"/>, rounded.</summary>
    internal const double Ln2Lo = 1.90821492927058770002e-10;

    /// <summary>1 / ln 2, rounded (the range reduction's n = round(x·InvLn2)).</summary>
    internal const double InvLn2 = 1.44269504088896338700e+00;

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

    // fdlibm e_exp.c: the overflow and underflow limits and the Remez coefficients of
    // R(r²) ≈ r·(e^r + 1)/(e^r − 1) on |r| ≤ ln2/2 (error below 2^-59).
    private const double ExpOverflow = 7.09782712893383973096e+02;
    private const double ExpUnderflow = -7.45133219101941108420e+02;
    private const double P1 = 1.66666666666666019037e-01;
    private const double P2 = -2.77777777770155933842e-03;
    private const double P3 = 6.61375632143793436117e-05;
    private const double P4 = -1.65339022054652515390e-06;
    private const double P5 = 4.13813679705723846039e-08;

    /// <summary>
    /// e raised to <paramref name="x"/>, accurate to under one ulp (+∞ above about 709.78, 0 below about
    /// −745.13, NaN for NaN).
    /// </summary>
    /// <remarks>
    /// <para>fdlibm's algorithm: x = n·ln 2 + r with |r| ≤ ½ln 2 (ln 2 split in two so n·Ln2Hi is exact), then
    /// e^r = 1 + r + r·c/(2 − c) with c = r − r²·P(r²), and the result is 2ⁿ·e^r, the power of two applied to
    /// the exponent bits (in two exact steps near the subnormal range).</para>
    /// <para>The MLP's softmax uses another exp, <see cref="Nn.Kernels.PolynomialExp"/> (the same range reduction,
    /// a Taylor polynomial instead of the rational form, and a lane-wise vector twin). The two are not merged
    /// because they are not the same function: they differ in the last bit on about 6 % of arguments (50,902 of
    /// 800,000 random ones over [−745, 709.7], [−40, 0], [−20, 0] and [−1, 1]), and their underflow limits differ
    /// by one ulp. Each one's bits are pinned by results (this one by the fitted sigmoids of the study's example
    /// output, the other by the trained weights), so choosing one would be a deliberate change of results.</para>
    /// </remarks>
    public static double Exp(double x)
    {
        if (double.IsNaN(x))
            return x;
        if (x > ExpOverflow)
            return double.PositiveInfinity;
        if (x < ExpUnderflow)
            return 0.0;

        // n = round(x / ln 2), written as a truncation of x/ln2 ± ½ as in fdlibm.
        int n = (int)(x * InvLn2 + (x < 0 ? -0.5 : 0.5));
        double hi = x - n * Ln2Hi; // exact: n·Ln2Hi has at most 32 significant bits
        double lo = n * Ln2Lo;
        double r = hi - lo;

        double r2 = r * r;
        double c = r - r2 * (P1 + r2 * (P2 + r2 * (P3 + r2 * (P4 + r2 * P5))));
        double y = 1.0 - ((lo - r * c / (2.0 - c)) - hi);
        if (n == 0)
            return y;

        // y is in [½, 2]: add n to its exponent. Below 2^-1021 go through 2^-1000 so the last multiplication
        // rounds once into the subnormal range.
        if (n >= -1021)
            return BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(y) + ((long)n << 52));
        double scaled = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(y) + ((long)(n + 1000) << 52));
        return scaled * 9.33263618503218878990e-302; // 2^-1000
    }

    /// <summary>p_c = exp(z_c − max z) / Σ exp(z − max z), in double, with <see cref="Exp"/>: the class posterior of a
    /// network's logits, the same bits everywhere (the boundary and adversarial poisoners and confident learning share it).</summary>
    public static void Softmax(ReadOnlySpan<float> logits, Span<double> destination)
    {
        double max = double.NegativeInfinity;
        foreach (float z in logits)
            max = Math.Max(max, z);
        double sum = 0;
        for (int c = 0; c < logits.Length; c++)
        {
            destination[c] = Exp(logits[c] - max);
            sum += destination[c];
        }
        for (int c = 0; c < logits.Length; c++)
            destination[c] /= sum;
    }
}
