namespace LabelFlip.Core.Experiments;

/// <summary>How a sweep is executed; none of it changes the results.</summary>
public sealed record SweepRunOptions
{
    /// <summary>The most worker threads.</summary>
    public const int MaxThreads = 4096;

    /// <summary>Worker threads, in [1, <see cref="MaxThreads"/>]; default all cores.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Folder for the run log (<c>runs.jsonl</c>, and <c>shard.json</c> for a shard); null runs in memory only. The
    /// folder is held with an <see cref="OutputFolderLock"/> for the whole sweep unless this process holds it already.
    /// </summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Reuse the finished runs of an existing run log (true) or discard it (false).</summary>
    public bool Resume { get; init; } = true;

    /// <summary>Run only this slice of the plan; null runs all of it.</summary>
    public SweepShard? Shard { get; init; }
}
