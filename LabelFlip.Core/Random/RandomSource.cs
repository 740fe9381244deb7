using System.Numerics;
using System.Runtime.CompilerServices;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Random;

/// <summary>
/// A reproducible pseudo-random source owned by LabelFlip: xoshiro256** 1.0 (Blackman and Vigna,
/// "Scrambled linear pseudorandom number generators", ACM TOMS 2021), seeded through SplitMix64.
/// The same seed gives the same sequence on every operating system, CPU and .NET runtime.
/// </summary>
/// <remarks>
/// <para><b>Seeding.</b> The four 64-bit state words are the first four outputs of SplitMix64 started at
/// the seed (z += 0x9E3779B97F4A7C15; z = (z ^ z≫30)·0xBF58476D1CE4E5B9; z = (z ^ z≫27)·0x94D049BB133111EB;
/// output z ^ z≫31), exactly as the xoshiro authors recommend.</para>
/// <para><b>Independent streams.</b> <see cref="RandomSource(ulong, ulong)"/> seeds from
/// <see cref="DeriveSeed"/>(seed, key), so each run of a sweep draws from a stream named by its own key
/// whatever order the runs are scheduled in.</para>
/// <para><b>Outputs.</b> <see cref="NextUInt64"/> is the raw xoshiro256** word. <see cref="NextDouble()"/> is
/// its top 53 bits times 2⁻⁵³; <see cref="NextSingle()"/> its top 24 bits times 2⁻²⁴. <see cref="NextInt(int)"/>
/// uses Lemire's multiply-and-reject method on the top 32 bits, which is exactly unbiased.
/// <see cref="NextGaussian()"/> uses Marsaglia's polar method with LabelFlip's own logarithm (IEEE arithmetic
/// only) and <see cref="Math.Sqrt"/> (correctly rounded by IEEE-754), so normals are bit-identical across
/// platforms too; the second normal of each pair is kept for the next call.</para>
/// <para>Not thread-safe: give each thread its own stream. Not cryptographic.</para>
/// </remarks>
public sealed class RandomSource
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian;
    private bool _hasSpareGaussian;

    /// <summary>Creates a stream seeded from <paramref name="seed"/>.</summary>
    /// <param name="seed">Any 64-bit value; equal seeds give equal sequences.</param>
    public RandomSource(ulong seed)
    {
        ulong z = seed;
        _s0 = SplitMix64(ref z);
        _s1 = SplitMix64(ref z);
        _s2 = SplitMix64(ref z);
        _s3 = SplitMix64(ref z);
    }

    /// <summary>Creates the stream named <paramref name="streamKey"/> under <paramref name="seed"/>.</summary>
    /// <param name="seed">The experiment's seed.</param>
    /// <param name="streamKey">Names the stream, for example <see cref="StreamKey.Of(string)"/>.</param>
    public RandomSource(ulong seed, ulong streamKey)
        : this(DeriveSeed(seed, streamKey))
    {
    }

    /// <summary>
    /// The seed of the stream named <paramref name="streamKey"/> under <paramref name="seed"/>:
    /// Mix(Mix(seed) ^ Mix(streamKey ^ 0xD1B54A32D192ED03)), where Mix is SplitMix64's finaliser.
    /// Chain it to derive streams several levels deep.
    /// </summary>
    public static ulong DeriveSeed(ulong seed, ulong streamKey) =>
        Mix(Mix(seed) ^ Mix(streamKey ^ 0xD1B54A32D192ED03UL));

    /// <summary>Returns the next 64 uniformly distributed bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Returns a uniform double in [0, 1), a multiple of 2⁻⁵³.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Returns a uniform double in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double NextDouble(double min, double max)
    {
        CheckRange(min, max);
        return min + (max - min) * NextDouble();
    }

    /// <summary>Returns a uniform float in [0, 1), a multiple of 2⁻²⁴.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>Returns a uniform float in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    /// <remarks>Computed as min + (max − min)·u in single precision; rounding can reach max when the
    /// interval is very wide relative to its ends, as with every float generator of this form.</remarks>
    public float NextSingle(float min, float max)
    {
        CheckRange(min, max);
        return min + (max - min) * NextSingle();
    }

    /// <summary>Returns a uniform integer in [0, <paramref name="exclusiveMax"/>), exactly unbiased.</summary>
    /// <param name="exclusiveMax">At least 1.</param>
    public int NextInt(int exclusiveMax)
    {
        ThrowHelper.ThrowIfLess(exclusiveMax, 1);
        return (int)NextBounded((uint)exclusiveMax);
    }

    /// <summary>Returns a uniform integer in [<paramref name="min"/>, <paramref name="exclusiveMax"/>).</summary>
    public int NextInt(int min, int exclusiveMax)
    {
        if (exclusiveMax <= min)
            ThrowHelper.ThrowOutOfRange(nameof(exclusiveMax), exclusiveMax, $"Must be greater than min ({min}).");
        return (int)(min + NextBounded((uint)((long)exclusiveMax - min)));
    }

    /// <summary>Returns a standard normal deviate (mean 0, variance 1).</summary>
    public double NextGaussian()
    {
        if (_hasSpareGaussian)
        {
            _hasSpareGaussian = false;
            return _spareGaussian;
        }

        double u, v, s;
        do
        {
            u = 2.0 * NextDouble() - 1.0;
            v = 2.0 * NextDouble() - 1.0;
            s = u * u + v * v;
        }
        while (s >= 1.0 || s == 0.0);

        double factor = Math.Sqrt(-2.0 * DeterministicMath.Log(s) / s);
        _spareGaussian = v * factor;
        _hasSpareGaussian = true;
        return u * factor;
    }

    /// <summary>Returns a normal deviate with the given <paramref name="mean"/> and <paramref name="standardDeviation"/>.</summary>
    public double NextGaussian(double mean, double standardDeviation)
    {
        if (!double.IsFinite(mean))
            ThrowHelper.ThrowOutOfRange(nameof(mean), mean, "Must be a finite number.");
        if (!(double.IsFinite(standardDeviation) && standardDeviation >= 0))
            ThrowHelper.ThrowOutOfRange(nameof(standardDeviation), standardDeviation, "Must be a finite number ≥ 0.");
        return mean + standardDeviation * NextGaussian();
    }

    /// <summary>
    /// Shuffles <paramref name="items"/> in place with the Fisher–Yates algorithm (Durstenfeld's form: for
    /// i from n − 1 down to 1, swap item i with item <see cref="NextInt(int)"/>(i + 1)).
    /// </summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = (int)NextBounded((uint)(i + 1));
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>
    /// Draws <paramref name="count"/> distinct integers from [0, <paramref name="populationSize"/>), each
    /// subset equally likely, in the order drawn (a partial Fisher–Yates shuffle of 0, 1, …, n − 1:
    /// for i from 0, swap item i with item i + NextInt(n − i)).
    /// </summary>
    /// <param name="populationSize">n ≥ 0.</param>
    /// <param name="count">k in [0, n].</param>
    public int[] SampleWithoutReplacement(int populationSize, int count)
    {
        ThrowHelper.ThrowIfLess(populationSize, 0);
        ThrowHelper.ThrowIfOutside(count, 0, populationSize);

        int[] pool = new int[populationSize];
        for (int i = 0; i < pool.Length; i++)
            pool[i] = i;
        for (int i = 0; i < count; i++)
        {
            int j = i + (int)NextBounded((uint)(populationSize - i));
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool.AsSpan(0, count).ToArray();
    }

    /// <summary>Returns an independent copy that continues from this stream's current position.</summary>
    public RandomSource Clone() => (RandomSource)MemberwiseClone();

    // Lemire, "Fast random integer generation in an interval", ACM TOMS 2019: the high word of x·range
    // is uniform once the low word is outside the short first [0, 2^32 mod range) band.
    private uint NextBounded(uint range)
    {
        ulong product = (NextUInt64() >> 32) * range;
        uint low = (uint)product;
        if (low < range)
        {
            uint threshold = (0u - range) % range;
            while (low < threshold)
            {
                product = (NextUInt64() >> 32) * range;
                low = (uint)product;
            }
        }
        return (uint)(product >> 32);
    }

    private static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    // SplitMix64's output function (Stafford's Mix13 variant), a bijection on 64-bit words.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static void CheckRange(double min, double max)
    {
        if (!double.IsFinite(min))
            ThrowHelper.ThrowOutOfRange(nameof(min), min, "Must be a finite number.");
        if (!(double.IsFinite(max) && max > min))
            ThrowHelper.ThrowOutOfRange(nameof(max), max, $"Must be a finite number greater than min ({min}).");
    }
}
