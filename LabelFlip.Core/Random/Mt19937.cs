using System.Numerics;
using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Random;

/// <summary>
/// The 32-bit Mersenne Twister MT19937 (Matsumoto and Nishimura, "Mersenne Twister: a 623-dimensionally
/// equidistributed uniform pseudo-random number generator", ACM TOMACS 1998), as in the authors'
/// <c>mt19937ar.c</c> of 2002: the generator under NumPy's legacy <c>RandomState</c> and PyTorch's CPU
/// generator. It is here only to reproduce their streams; LabelFlip's own streams use <see cref="RandomSource"/>.
/// </summary>
/// <remarks>
/// <para><b>Seeding.</b> <see cref="Mt19937(uint)"/> is <c>init_genrand</c>: mt[0] = seed,
/// mt[i] = 1812433253·(mt[i−1] ^ (mt[i−1] ≫ 30)) + i mod 2³². NumPy's <c>mt19937_seed</c> (what
/// <c>RandomState(int)</c> calls) and PyTorch's <c>init_with_uint32</c> are this same recurrence.
/// <see cref="FromKey"/> is <c>init_by_array</c>, what NumPy uses for an array seed.</para>
/// <para><b>Outputs.</b> <see cref="NextUInt32"/> regenerates the 624-word state when it is used up and
/// returns the next word tempered (y ^= y≫11; y ^= (y≪7) &amp; 0x9D2C5680; y ^= (y≪15) &amp; 0xEFC60000;
/// y ^= y≫18). With the default seed 5489 the first outputs are 3499211612, 581869302, 3890346734, …
/// (the values C++'s <c>std::mt19937</c> is specified by: its 10000th output is 4123659995).</para>
/// <para>Not thread-safe. Not cryptographic.</para>
/// </remarks>
public sealed class Mt19937
{
    /// <summary>The reference implementation's default seed.</summary>
    public const uint DefaultSeed = 5489;

    /// <summary>Words of state (N).</summary>
    public const int StateLength = 624;

    private const int Shift = 397; // M
    private const uint MatrixA = 0x9908B0DF;
    private const uint UpperMask = 0x80000000;
    private const uint LowerMask = 0x7FFFFFFF;

    private readonly uint[] _state = new uint[StateLength];
    private int _position;

    /// <summary>Seeds with <c>init_genrand(seed)</c>.</summary>
    /// <param name="seed">Any 32-bit value.</param>
    public Mt19937(uint seed = DefaultSeed)
    {
        InitGenrand(_state, seed);
        _position = StateLength;
    }

    private Mt19937(uint[] state, int position)
    {
        state.CopyTo(_state, 0);
        _position = position;
    }

    /// <summary>Seeds with <c>init_by_array(key)</c>, the reference seeding by a key of 32-bit words.</summary>
    /// <param name="key">At least one word.</param>
    public static Mt19937 FromKey(ReadOnlySpan<uint> key)
    {
        if (key.IsEmpty)
            ThrowHelper.ThrowArgument(nameof(key), "Must hold at least one word.");
        uint[] mt = new uint[StateLength];
        InitGenrand(mt, 19650218);
        int i = 1, j = 0;
        for (int k = Math.Max(StateLength, key.Length); k > 0; k--)
        {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525)) + key[j] + (uint)j;
            i++;
            j++;
            if (i >= StateLength)
            {
                mt[0] = mt[StateLength - 1];
                i = 1;
            }
            if (j >= key.Length)
                j = 0;
        }
        for (int k = StateLength - 1; k > 0; k--)
        {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941)) - (uint)i;
            i++;
            if (i >= StateLength)
            {
                mt[0] = mt[StateLength - 1];
                i = 1;
            }
        }
        mt[0] = 0x80000000; // most significant bit set: the state is never all zero
        return new Mt19937(mt, StateLength);
    }

    /// <summary>Returns the next tempered 32-bit output (<c>genrand_int32</c>).</summary>
    public uint NextUInt32()
    {
        if (_position >= StateLength)
        {
            Twist(_state);
            _position = 0;
        }
        uint y = _state[_position++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680;
        y ^= (y << 15) & 0xEFC60000;
        y ^= y >> 18;
        return y;
    }

    /// <summary>
    /// Skips <paramref name="count"/> outputs: afterwards the generator is where <paramref name="count"/> calls
    /// of <see cref="NextUInt32"/> would have left it (C++'s <c>std::mersenne_twister_engine::discard</c>),
    /// without tempering the words it skips.
    /// </summary>
    /// <param name="count">Outputs to skip, ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public void Discard(long count)
    {
        if (count < 0)
            ThrowHelper.ThrowOutOfRange(nameof(count), count, "Must be at least 0.");
        while (count > 0)
        {
            if (_position >= StateLength)
            {
                Twist(_state);
                _position = 0;
            }
            int step = (int)Math.Min(count, StateLength - _position);
            _position += step;
            count -= step;
        }
    }

    /// <summary>Returns an independent copy that continues from this generator's current position.</summary>
    public Mt19937 Clone() => new(_state, _position);

    private static void InitGenrand(uint[] mt, uint seed)
    {
        mt[0] = seed;
        for (int i = 1; i < StateLength; i++)
            mt[i] = 1812433253u * (mt[i - 1] ^ (mt[i - 1] >> 30)) + (uint)i;
    }

    // Regenerates all N words at once, as genrand_int32 does when mti reaches N: word i becomes
    // mt[i + M] ^ Mix(mt[i], mt[i + 1]), indices mod N, in increasing i. A word depends on the new value of the
    // word N − M = 227 places before it and on old values after it, so a run of up to 227 consecutive words can
    // be computed at once: in lanes, with the same integer operations, so the same bits on every instruction set.
    internal static void Twist(uint[] mt)
    {
        int i = MixLanes(mt, 0, StateLength - Shift, Shift);
        for (; i < StateLength - Shift; i++)
            mt[i] = mt[i + Shift] ^ Mix(mt[i], mt[i + 1]);
        i = MixLanes(mt, i, StateLength - 1, Shift - StateLength);
        for (; i < StateLength - 1; i++)
            mt[i] = mt[i + Shift - StateLength] ^ Mix(mt[i], mt[i + 1]);
        mt[StateLength - 1] = mt[Shift - 1] ^ Mix(mt[StateLength - 1], mt[0]);
    }

    // Words from `start` on, a vector of them at a time while whole vectors fit before `end`: word i becomes
    // mt[i + offset] ^ Mix(mt[i], mt[i + 1]), lane by lane, the multiplication by A as a mask of the low bit. Returns
    // the first word not done (`start` where vectors are not accelerated), for the scalar loop to finish.
    private static int MixLanes(uint[] mt, int start, int end, int offset)
    {
        if (!Vector.IsHardwareAccelerated)
            return start;
        int i = start, lanes = Vector<uint>.Count;
        for (; i + lanes <= end; i += lanes)
        {
            var words = new Vector<uint>(mt, i);
            var next = new Vector<uint>(mt, i + 1);
            Vector<uint> y = (words & new Vector<uint>(UpperMask)) | (next & new Vector<uint>(LowerMask));
            Vector<uint> lowBit = y & Vector<uint>.One;
            Vector<uint> mixed = Vector.ShiftRightLogical(y, 1) ^ ((Vector<uint>.Zero - lowBit) & new Vector<uint>(MatrixA));
            (new Vector<uint>(mt, i + offset) ^ mixed).CopyTo(mt, i);
        }
        return i;
    }

    private static uint Mix(uint upper, uint lower)
    {
        uint y = (upper & UpperMask) | (lower & LowerMask);
        return (y >> 1) ^ ((0u - (y & 1)) & MatrixA); // no branch: the low bit is a coin flip, mispredicted half the time
    }
}
