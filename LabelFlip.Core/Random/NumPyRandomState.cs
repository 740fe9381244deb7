using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Random;

/// <summary>
/// NumPy's legacy <c>numpy.random.RandomState(seed)</c> for an integer seed, bit for bit, for the operations
/// the study used: <c>random_sample</c>, <c>randn</c>/<c>standard_normal</c>, <c>randint</c> (default
/// int64 dtype), <c>shuffle</c> and <c>permutation</c>. Its stream is frozen by NumPy's compatibility policy,
/// so these match every NumPy version since 1.17 (and <c>mtrand</c> before it).
/// </summary>
/// <remarks>
/// <para><b>Seeding</b> (<c>_MT19937._legacy_seeding</c>): an integer seed in [0, 2³² − 1] goes to
/// <c>mt19937_seed</c>, which is <c>init_genrand</c> (<see cref="Mt19937(uint)"/>); the cached normal is cleared.</para>
/// <para><b>Doubles</b> (<c>mt19937_next_double</c>): a = u₁ ≫ 5, b = u₂ ≫ 6 from two 32-bit outputs in that
/// order, (a·2²⁶ + b)/2⁵³.</para>
/// <para><b>Normals</b> (<c>legacy_gauss</c>): Marsaglia's polar method. Draw x₁ = 2·d₁ − 1, x₂ = 2·d₂ − 1
/// until 0 &lt; r² = x₁² + x₂² &lt; 1; f = √(−2·ln r²/r²); return f·x₂ and keep f·x₁ for the next call.
/// ln is glibc's <c>log</c>, reproduced from IEEE operations (see <c>GlibcLog</c>): the C library
/// NumPy ran on for the study.</para>
/// <para><b>Bounded integers</b> (<c>random_interval</c>, and <c>randint</c> through
/// <c>random_bounded_uint64</c> with <c>use_masked=True</c>): for the closed range [0, max], mask = the
/// smallest 2ᵏ − 1 ≥ max; draw (32-bit output &amp; mask) until ≤ max, or 64-bit outputs when
/// max ≥ 2³². A 64-bit output is (u₁ ≪ 32) | u₂. max = 2³² − 1 takes one 32-bit output unmasked; max = 0 draws
/// nothing.</para>
/// <para><b>Shuffle</b> (<c>_shuffle_raw</c>): for i from n − 1 down to 1, j = interval(i), swap items i
/// and j. <see cref="Permutation"/> shuffles 0, 1, …, n − 1.</para>
/// <para>Not thread-safe.</para>
/// </remarks>
public sealed class NumPyRandomState
{
    /// <summary>The largest seed NumPy accepts for a legacy integer seed, 2³² − 1.</summary>
    public const long MaxSeed = uint.MaxValue;

    private readonly Mt19937 _bits;
    private double _spareGaussian;
    private bool _hasSpareGaussian;

    /// <summary>The state <c>numpy.random.RandomState(seed)</c> starts in.</summary>
    /// <param name="seed">In [0, 2³² − 1], as NumPy requires.</param>
    public NumPyRandomState(long seed)
    {
        if (seed < 0 || seed > MaxSeed)
            ThrowHelper.ThrowOutOfRange(nameof(seed), seed, $"Must be in [0, {MaxSeed}], as numpy.random.RandomState requires.");
        _bits = new Mt19937((uint)seed);
    }

    private NumPyRandomState(Mt19937 bits, double spareGaussian, bool hasSpareGaussian)
    {
        _bits = bits;
        _spareGaussian = spareGaussian;
        _hasSpareGaussian = hasSpareGaussian;
    }

    /// <summary>The next 32-bit output of the underlying MT19937 (<c>next_uint32</c>).</summary>
    public uint NextUInt32() => _bits.NextUInt32();

    /// <summary>The next 64-bit output (<c>next_uint64</c>): the first 32-bit output is the high word.</summary>
    public ulong NextUInt64()
    {
        ulong high = _bits.NextUInt32();
        return (high << 32) | _bits.NextUInt32();
    }

    /// <summary><c>random_sample()</c>: a uniform double in [0, 1), a multiple of 2⁻⁵³, from two 32-bit outputs.</summary>
    public double RandomSample()
    {
        uint a = _bits.NextUInt32() >> 5;
        uint b = _bits.NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /// <summary><c>standard_normal()</c> / <c>randn()</c>: one standard normal by the legacy polar method.</summary>
    public double StandardNormal()
    {
        if (_hasSpareGaussian)
        {
            _hasSpareGaussian = false;
            double spare = _spareGaussian;
            _spareGaussian = 0.0;
            return spare;
        }

        double x1, x2, r2;
        do
        {
            x1 = 2.0 * RandomSample() - 1.0;
            x2 = 2.0 * RandomSample() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        }
        while (r2 >= 1.0 || r2 == 0.0);

        double f = Math.Sqrt(-2.0 * GlibcLog.Log(r2) / r2);
        _spareGaussian = f * x1;
        _hasSpareGaussian = true;
        return f * x2;
    }

    /// <summary><c>randn(…)</c> of any shape: fills <paramref name="destination"/> in row-major order.</summary>
    public void StandardNormal(Span<double> destination)
    {
        for (int i = 0; i < destination.Length; i++)
            destination[i] = StandardNormal();
    }

    /// <summary><c>randn(count)</c>: <paramref name="count"/> standard normals (row-major for a shape of that size).</summary>
    /// <param name="count">At least 0.</param>
    public double[] Randn(int count)
    {
        ThrowHelper.ThrowIfLess(count, 0);
        double[] values = new double[count];
        StandardNormal(values);
        return values;
    }

    /// <summary>
    /// <c>randint(low, high)</c> with the default int64 dtype: a uniform integer in [<paramref name="low"/>,
    /// <paramref name="high"/>) by masked rejection on the closed range [0, high − 1 − low].
    /// </summary>
    /// <param name="low">Smallest value.</param>
    /// <param name="high">One above the largest value; greater than <paramref name="low"/>.</param>
    public long RandInt(long low, long high)
    {
        if (high <= low)
            ThrowHelper.ThrowOutOfRange(nameof(high), high, $"Must be greater than low ({low}).");
        ulong range = (ulong)(high - 1) - (ulong)low; // closed range, may exceed long.MaxValue
        return (long)((ulong)low + BoundedMasked(range));
    }

    /// <summary>
    /// <c>random_interval(max)</c>: a uniform integer in [0, <paramref name="max"/>] by masked rejection, the
    /// draw <see cref="Shuffle{T}"/> uses.
    /// </summary>
    public ulong Interval(ulong max)
    {
        if (max == 0)
            return 0;
        ulong mask = SmallestMaskAtLeast(max);
        ulong value;
        if (max <= uint.MaxValue)
        {
            do
                value = _bits.NextUInt32() & mask;
            while (value > max);
        }
        else
        {
            do
                value = NextUInt64() & mask;
            while (value > max);
        }
        return value;
    }

    /// <summary><c>shuffle(x)</c> of a one-dimensional array: Fisher–Yates from the end with <see cref="Interval"/>.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = (int)Interval((ulong)i);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary><c>permutation(n)</c>: 0, 1, …, n − 1 shuffled by <see cref="Shuffle{T}"/>.</summary>
    /// <param name="n">At least 0.</param>
    public int[] Permutation(int n)
    {
        ThrowHelper.ThrowIfLess(n, 0);
        int[] items = new int[n];
        for (int i = 0; i < n; i++)
            items[i] = i;
        Shuffle(items.AsSpan());
        return items;
    }

    /// <summary>Returns an independent copy that continues from this state, cached normal included.</summary>
    public NumPyRandomState Clone() => new(_bits.Clone(), _spareGaussian, _hasSpareGaussian);

    // random_bounded_uint64(off = 0, rng, mask, use_masked = true).
    private ulong BoundedMasked(ulong range)
    {
        if (range == 0)
            return 0;
        if (range == uint.MaxValue)
            return _bits.NextUInt32();
        ulong mask = SmallestMaskAtLeast(range);
        ulong value;
        if (range < uint.MaxValue)
        {
            do
                value = _bits.NextUInt32() & mask;
            while (value > range);
            return value;
        }
        if (range == ulong.MaxValue)
            return NextUInt64();
        do
            value = NextUInt64() & mask;
        while (value > range);
        return value;
    }

    private static ulong SmallestMaskAtLeast(ulong max)
    {
        ulong mask = max;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        mask |= mask >> 32;
        return mask;
    }
}
