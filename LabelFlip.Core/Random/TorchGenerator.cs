using LabelFlip.Core.Internal;

namespace LabelFlip.Core.Random;

/// <summary>
/// PyTorch's CPU generator (<c>at::CPUGeneratorImpl</c>) after <c>manual_seed(seed)</c>, bit for bit, for
/// the operations the study used: <c>random()</c>/<c>random64()</c>, <c>uniform_</c> on float32 tensors,
/// <c>random_()</c> on an int64 scalar and <c>randperm(n)</c>.
/// </summary>
/// <remarks>
/// <para><b>Seeding</b> (<c>set_current_seed</c>): the engine is <c>mt19937(seed)</c>, i.e.
/// <c>init_genrand(seed mod 2³²)</c> (<see cref="Mt19937(uint)"/>); the cached normals are cleared (this
/// type draws no normals). A negative Python seed s is taken as s + 2⁶⁴ by <c>manual_seed</c>, so pass
/// <c>unchecked((ulong)s)</c>.</para>
/// <para><b>64 bits</b> (<c>random64</c>): (u₁ ≪ 32) | u₂, the first 32-bit output the high word.</para>
/// <para><b>Float uniform</b> (<c>uniform_real_distribution&lt;float&gt;</c> in <c>DistributionsHelper.h</c>
/// and <c>transformation::uniform_real</c>): one 32-bit output u, x = (u &amp; (2²⁴ − 1))·2⁻²⁴ (the low 24
/// bits), result x·(to − from) + from in float arithmetic with from and to first rounded to float (the CPU
/// <c>uniform_kernel</c> casts them), one element at a time in memory order. The multiply-add is fused:
/// PyTorch's CPU kernels are built for AVX2 with the compiler's default contraction of a·b + c into an FMA,
/// and the study's initial weights (checked bit for bit) carry the fused results.</para>
/// <para><b>int64 <c>random_()</c></b> (<c>uniform_int_distribution&lt;int64_t&gt;</c>): random64() mod 2⁶³.</para>
/// <para><b>randperm(n)</b> (<c>randperm_cpu</c>): for n &lt; ⌊(2³² − 1)/20⌋, start from 0, 1, …, n − 1 and for
/// i from 0 to n − 2 swap items i and i + (random() mod (n − i)); otherwise the "inside-out" Fisher–Yates
/// with z = random64() mod (i + 1). The modulo is slightly biased, as in PyTorch.</para>
/// <para>Not thread-safe.</para>
/// </remarks>
public sealed class TorchGenerator
{
    /// <summary>randperm switches to its 64-bit algorithm from this n on (<c>UINT32_MAX / 20</c>).</summary>
    public const long RandPermSmallLimit = uint.MaxValue / 20;

    private Mt19937 _engine;
    private ulong[] _swapReciprocals = []; // of the divisors of the last permutation's size, see RandPermSwapForward

    /// <summary>A generator after <c>manual_seed(seed)</c>.</summary>
    /// <param name="seed">Any 64-bit seed; only its low 32 bits reach the engine, as in PyTorch.</param>
    public TorchGenerator(ulong seed)
    {
        _engine = new Mt19937((uint)seed);
        InitialSeed = seed;
    }

    private TorchGenerator(Mt19937 engine, ulong seed)
    {
        _engine = engine;
        InitialSeed = seed;
    }

    /// <summary>The seed last given (<c>initial_seed()</c>).</summary>
    public ulong InitialSeed { get; private set; }

    /// <summary><c>manual_seed(seed)</c>: restarts the generator as if newly created with <paramref name="seed"/>.</summary>
    public void ManualSeed(ulong seed)
    {
        _engine = new Mt19937((uint)seed);
        InitialSeed = seed;
    }

    /// <summary><c>random()</c>: the next 32-bit output of the engine.</summary>
    public uint NextUInt32() => _engine.NextUInt32();

    /// <summary><c>random64()</c>: two 32-bit outputs, the first the high word.</summary>
    public ulong NextUInt64()
    {
        ulong high = _engine.NextUInt32();
        return (high << 32) | _engine.NextUInt32();
    }

    /// <summary>
    /// <c>torch.empty((), dtype=torch.int64).random_(generator=g)</c>: a uniform integer in [0, 2⁶³) from
    /// <see cref="NextUInt64"/> (what a DataLoader draws as each epoch's worker base seed).
    /// </summary>
    public long NextInt64() => (long)(NextUInt64() & long.MaxValue);

    /// <summary>One element of <c>uniform_(from, to)</c> on a float32 tensor: fma(x, to − from, from).</summary>
    /// <param name="from">Lower end, already a float as the kernel makes it.</param>
    /// <param name="to">Upper end, at least <paramref name="from"/>.</param>
    public float NextSingle(float from, float to)
    {
        float x = (_engine.NextUInt32() & 0xFFFFFF) * (1.0f / 16777216.0f);
        return MathF.FusedMultiplyAdd(x, to - from, from);
    }

    /// <summary>
    /// <c>tensor.uniform_(from, to)</c> for a contiguous float32 tensor: fills <paramref name="destination"/>
    /// in memory order, one 32-bit output per element.
    /// </summary>
    /// <param name="destination">The tensor's elements in memory order.</param>
    /// <param name="from">Lower end (a Python float); rounded to float as PyTorch does.</param>
    /// <param name="to">Upper end (a Python float), at least <paramref name="from"/>; rounded to float.</param>
    public void UniformFill(Span<float> destination, double from, double to)
    {
        if (!double.IsFinite(from) || Math.Abs(from) > float.MaxValue)
            ThrowHelper.ThrowOutOfRange(nameof(from), from, "Must be a finite number within the float range.");
        if (!(double.IsFinite(to) && Math.Abs(to) <= float.MaxValue && to >= from))
            ThrowHelper.ThrowOutOfRange(nameof(to), to, $"Must be a finite float-range number ≥ from ({from}).");
        float lower = (float)from, upper = (float)to;
        for (int i = 0; i < destination.Length; i++)
            destination[i] = NextSingle(lower, upper);
    }

    /// <summary><c>torch.randperm(n, generator=g)</c> on the CPU.</summary>
    /// <param name="n">At least 0.</param>
    public int[] RandPerm(int n)
    {
        ThrowHelper.ThrowIfLess(n, 0);
        int[] items = new int[n];
        RandPerm(items);
        return items;
    }

    /// <summary><c>torch.randperm(destination.Length, generator=g)</c> written into <paramref name="destination"/>.</summary>
    public void RandPerm(Span<int> destination)
    {
        if (destination.Length < RandPermSmallLimit)
            RandPermSwapForward(destination);
        else
            RandPermInsideOut(destination);
    }

    /// <summary>
    /// Advances the generator exactly as <see cref="RandPerm(Span{int})"/> of <paramref name="n"/> items would,
    /// without computing the permutation: for a permutation drawn only to keep a stream in step.
    /// </summary>
    /// <param name="n">Items of the skipped permutation, ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative.</exception>
    public void SkipRandPerm(int n)
    {
        ThrowHelper.ThrowIfLess(n, 0);
        // Below the limit one 32-bit draw per swap (n − 1 of them), from it one 64-bit draw (two words) per item.
        _engine.Discard(n < RandPermSmallLimit ? Math.Max(n - 1, 0) : 2L * n);
    }

    // randperm_cpu for n below the limit: from the identity, swap i with i + random() mod (n − i). The divisors
    // n, n − 1, …, 2 are the same for every permutation of n items (a sampler draws one per epoch), so their
    // reciprocals are kept and each remainder costs two multiplications instead of a division.
    internal void RandPermSwapForward(Span<int> destination)
    {
        int n = destination.Length;
        for (int i = 0; i < n; i++)
            destination[i] = i;
        if (n < 2)
            return;
        if (_swapReciprocals.Length != n - 1)
        {
            _swapReciprocals = new ulong[n - 1];
            for (int i = 0; i < n - 1; i++)
                _swapReciprocals[i] = FastRemainder.Reciprocal((uint)(n - i));
        }
        ReadOnlySpan<ulong> reciprocals = _swapReciprocals;
        for (int i = 0; i < n - 1; i++)
        {
            int z = (int)FastRemainder.Remainder(_engine.NextUInt32(), reciprocals[i], (uint)(n - i));
            (destination[i], destination[i + z]) = (destination[i + z], destination[i]);
        }
    }

    // randperm_cpu from the limit on: the inside-out Fisher–Yates, item i starting as i and trading places
    // with item random64() mod (i + 1). Separate so it can be tested on small n.
    internal void RandPermInsideOut(Span<int> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            int z = (int)(NextUInt64() % (ulong)(i + 1));
            destination[i] = destination[z];
            destination[z] = i;
        }
    }

    /// <summary>Returns an independent copy that continues from this generator's current position.</summary>
    public TorchGenerator Clone() => new(_engine.Clone(), InitialSeed);
}
