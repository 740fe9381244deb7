using System.Collections;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// A sweep's run records in plan order: held in memory, or read back from run logs (<c>runs.jsonl</c>) as they are
/// enumerated, so that a sweep of any size is analysed and written in bounded memory.
/// </summary>
/// <remarks>
/// <para><b>Which form.</b> A sweep run with an output folder (<see cref="SweepRunOptions.OutputDirectory"/>), and every
/// merge of shards (<see cref="SweepRunner.Merge"/>), reads its records back from its run logs: only where each run's
/// line is (24 bytes a run) stays in memory. A sweep without an output folder has nowhere to read them from and holds
/// them in memory (<see cref="IsInMemory"/>), as does a list built from records (<see cref="Create"/>, or an
/// <see cref="ImmutableArray{T}"/>, which converts implicitly).</para>
/// <para><b>Reading back.</b> Enumerating reads each run's line once, in plan order; the indexer reads one line per call
/// (fine for a few records, slow for all: enumerate instead). Every line read is checked to be the run expected there,
/// so a log that changed after the sweep (another sweep in the same folder, an edit) is an error
/// (<see cref="RunLogException"/>), never silently other results. Keep the output folder as the sweep left it while
/// the result is in use, or copy the records out (<see cref="ToImmutableArray"/>) while it is.</para>
/// </remarks>
[CollectionBuilder(typeof(RunRecords), nameof(Create))]
public sealed class RunRecords : IReadOnlyList<RunRecord>
{
    private readonly ImmutableArray<RunRecord> _memory;
    private readonly SweepConfig? _config;
    private readonly string[] _files = [];
    private readonly RunLogLocation[] _locations = [];

    private RunRecords(ImmutableArray<RunRecord> memory)
    {
        _memory = memory.IsDefault ? [] : memory;
        AnyDynamics = _memory.Any(r => r.Dynamics is not null);
    }

    private RunRecords(SweepConfig config, string[] files, RunLogLocation[] locations, bool anyDynamics)
    {
        _config = config;
        _files = files;
        _locations = locations;
        AnyDynamics = anyDynamics;
    }

    /// <summary>Records held in memory, in the order given.</summary>
    public static RunRecords Create(ReadOnlySpan<RunRecord> records) => new(ImmutableArray.Create(records));

    /// <summary>Records held in memory, in the order given.</summary>
    public static implicit operator RunRecords(ImmutableArray<RunRecord> records) => new(records);

    /// <summary>Records held in memory, in the order given.</summary>
    public static RunRecords FromImmutableArray(ImmutableArray<RunRecord> records) => new(records);

    /// <summary>Records read back from run logs, at the places given (in plan order).</summary>
    internal static RunRecords FromLogs(SweepConfig config, string[] files, RunLogLocation[] locations, bool anyDynamics) =>
        new(config, files, locations, anyDynamics);

    /// <summary>True when the records are held in memory; false when they are read back from run logs.</summary>
    public bool IsInMemory => _config is null;

    /// <summary>The number of records.</summary>
    public int Count => IsInMemory ? _memory.Length : _locations.Length;

    /// <summary>The number of records (as <see cref="Count"/>).</summary>
    public int Length => Count;

    /// <summary>True when some record holds learning dynamics; known without reading the records.</summary>
    internal bool AnyDynamics { get; }

    /// <summary>The record at <paramref name="index"/> (read from its log when not in memory).</summary>
    /// <exception cref="RunLogException">The log changed after the sweep wrote it.</exception>
    public RunRecord this[int index]
    {
        get
        {
            if (IsInMemory)
                return _memory[index];
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _locations.Length);
            RunLogLocation at = _locations[index];
            using SafeFileHandle file = File.OpenHandle(_files[at.File]);
            byte[] buffer = [];
            return RunLog.ReadAt(file, at, _files[at.File], _config!, ref buffer);
        }
    }

    /// <summary>The plan index of the record at <paramref name="position"/>, without reading the record.</summary>
    internal long IndexAt(int position) => IsInMemory ? _memory[position].Index : _locations[position].Index;

    /// <summary>Every record, in memory.</summary>
    public ImmutableArray<RunRecord> ToImmutableArray() => IsInMemory ? _memory : [.. this];

    /// <summary>Enumerates the records in order, reading each from its log once when not in memory.</summary>
    /// <exception cref="RunLogException">A log changed after the sweep wrote it.</exception>
    public IEnumerator<RunRecord> GetEnumerator()
    {
        if (IsInMemory)
        {
            foreach (RunRecord record in _memory)
                yield return record;
            yield break;
        }
        var handles = new SafeFileHandle?[_files.Length];
        try
        {
            byte[] buffer = [];
            foreach (RunLogLocation at in _locations)
            {
                SafeFileHandle file = handles[at.File] ??= File.OpenHandle(_files[at.File]);
                yield return RunLog.ReadAt(file, at, _files[at.File], _config!, ref buffer);
            }
        }
        finally
        {
            foreach (SafeFileHandle? handle in handles)
                handle?.Dispose();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Throws unless <paramref name="records"/> are the runs of <paramref name="config"/> in plan order; reads
    /// no record from a log.</summary>
    internal static void RequirePlanOrder(SweepConfig config, IReadOnlyList<RunRecord> records, string parameter)
    {
        if (records.Count != config.RunCount)
            throw new ArgumentException($"Expected {config.RunCount} records, one per run; got {records.Count}.", parameter);
        var known = records as RunRecords;
        for (int i = 0; i < records.Count; i++)
        {
            long index = known is null ? records[i].Index : known.IndexAt(i);
            if (index != i)
                throw new ArgumentException($"Record {i} is run {index}: records must be in plan order.", parameter);
        }
    }
}
