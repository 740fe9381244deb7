namespace LabelFlip.Core.Statistics;

/// <summary>
/// One resample of a two-level sample (draws, each with its seeds), as <see cref="ClusterBootstrap"/> hands it
/// to a <see cref="ClusterStatistic"/>: which original draw sits at each position, and which of that draw's
/// seeds were picked. It views buffers the bootstrap reuses, so it lives only for the call it is passed to.
/// </summary>
/// <remarks>
/// Position k holds original draw <see cref="DrawIndices"/>[k]; its seeds are <see cref="SeedIndices(int)"/>(k),
/// indices into that draw's own seeds, as many as the draw has. The same draw can fill several positions, and
/// the same seed can appear several times in a position: both are multisets.
/// </remarks>
public readonly ref struct ClusterResample
{
    private readonly ReadOnlySpan<int> _drawIndices;
    private readonly ReadOnlySpan<int> _seedIndices;
    private readonly ReadOnlySpan<int> _seedOffsets;

    internal ClusterResample(int index, ReadOnlySpan<int> drawIndices, ReadOnlySpan<int> seedIndices, ReadOnlySpan<int> seedOffsets)
    {
        Index = index;
        _drawIndices = drawIndices;
        _seedIndices = seedIndices;
        _seedOffsets = seedOffsets;
    }

    /// <summary>The resample's number, 0 to resampleCount − 1; −1 for the original sample.</summary>
    public int Index { get; }

    /// <summary>True for the original sample (every draw once, every seed once, in order), which gives the estimate.</summary>
    public bool IsOriginal => Index < 0;

    /// <summary>The number of positions: the number of draws in the original sample.</summary>
    public int DrawCount => _drawIndices.Length;

    /// <summary>The original draw at each position.</summary>
    public ReadOnlySpan<int> DrawIndices => _drawIndices;

    /// <summary>Every position's seed indices, concatenated in position order.</summary>
    public ReadOnlySpan<int> AllSeedIndices => _seedIndices;

    /// <summary>The seeds picked for <paramref name="position"/>: indices into the seeds of draw <see cref="DrawIndices"/>[position].</summary>
    /// <param name="position">In [0, <see cref="DrawCount"/>).</param>
    public ReadOnlySpan<int> SeedIndices(int position)
    {
        if ((uint)position >= (uint)_drawIndices.Length)
            throw new ArgumentOutOfRangeException(nameof(position), position, $"Must be in [0, {_drawIndices.Length - 1}].");
        return _seedIndices[_seedOffsets[position].._seedOffsets[position + 1]];
    }
}
