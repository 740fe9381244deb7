namespace LabelFlip.Core.Experiments;

/// <summary>Where a run's line is in a run log: which file (of a set being read together), the byte offset of the line
/// and its length without the newline. 24 bytes a run, so a sweep of 100,000 runs is indexed in 2.4 MB.</summary>
/// <param name="Index">The run's position in its sweep's plan.</param>
/// <param name="File">The file's position in the set of logs read.</param>
/// <param name="Offset">The byte offset of the line.</param>
/// <param name="Length">The line's length in bytes, without its newline.</param>
internal readonly record struct RunLogLocation(long Index, int File, long Offset, int Length);
