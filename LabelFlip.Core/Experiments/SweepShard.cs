using System.Globalization;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// One of <see cref="Count"/> disjoint slices of a sweep's plan, numbered from 1 (<c>--shard 2/7</c>). Runs are dealt
/// to shards by expected cost, largest first, each to the shard with the least cost so far (ties to the lower run
/// index and the lower shard), so the slices are balanced and the same on every machine.
/// </summary>
/// <param name="Number">Which slice, in [1, <paramref name="Count"/>].</param>
/// <param name="Count">How many slices, in [1, <see cref="MaxCount"/>].</param>
public readonly record struct SweepShard(int Number, int Count)
{
    /// <summary>The most shards a sweep may be split into.</summary>
    public const int MaxCount = 100_000;

    /// <summary>Parses "I/N".</summary>
    /// <exception cref="ArgumentException">Not of the form I/N with 1 ≤ I ≤ N ≤ <see cref="MaxCount"/>.</exception>
    public static SweepShard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split('/');
        if (parts.Length == 2 &&
            int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int number) &&
            int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count) &&
            count is >= 1 and <= MaxCount && number >= 1 && number <= count)
            return new SweepShard(number, count);
        throw new ArgumentException($"A shard is I/N with 1 ≤ I ≤ N ≤ {MaxCount}, e.g. 2/7; got '{text}'.", nameof(text));
    }

    /// <summary>The plan indices of this shard, ascending.</summary>
    public long[] Runs(SweepConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (Count < 1 || Count > MaxCount || Number < 1 || Number > Count)
            throw new InvalidOperationException($"A shard is I/N with 1 ≤ I ≤ N ≤ {MaxCount}; got {Number}/{Count}.");
        if (Count == 1)
            return [.. LongRange(config.RunCount)];
        long[] byCost = [.. LongRange(config.RunCount)];
        double[] cost = [.. byCost.Select(i => SweepPlanCost.Of(config.RunAt(i)))];
        Array.Sort(byCost, (a, b) => cost[b].CompareTo(cost[a]) is int c && c != 0 ? c : a.CompareTo(b));
        var load = new PriorityQueue<int, (double Load, int Shard)>();
        for (int s = 0; s < Count; s++)
            load.Enqueue(s, (0, s));
        var mine = new List<long>();
        foreach (long run in byCost)
        {
            load.TryDequeue(out int shard, out var current);
            if (shard == Number - 1)
                mine.Add(run);
            load.Enqueue(shard, (current.Load + cost[run], shard));
        }
        mine.Sort();
        return [.. mine];
    }

    /// <inheritdoc />
    public override string ToString() => $"{Number}/{Count}";

    private static IEnumerable<long> LongRange(long count)
    {
        for (long i = 0; i < count; i++)
            yield return i;
    }
}
