using BenchmarkDotNet.Attributes;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Reporting;

namespace LabelFlip.Benchmarks.Experiments;

/// <summary>
/// The part of a large sweep that reads its records back from the run log (<see cref="RunRecords"/>): indexing the log
/// (what a merge or a resume does), the analysis (two streaming passes), and streaming results.json and runs.csv. The
/// study's design with the seed axis widened to <see cref="Runs"/> runs; the records are synthetic (no training), written
/// once in the setup. Time per run should stay flat as the runs grow (linear time), and the memory a run costs is only
/// its place in the log: see LabelFlip.Benchmarks/Scale/measure-scale.sh for the peak memory of whole sweeps.
/// </summary>
[MemoryDiagnoser]
public class RunLogReadBackBenchmarks
{
    private string _folder = "";
    private SweepConfig _config = SweepConfig.Study;
    private SweepResult? _result;

    /// <summary>Runs in the log: 27 curve points × this many seeds / 27.</summary>
    [Params(2_025, 20_007, 100_035)]
    public int Runs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int seeds = Runs / 27;
        _config = SweepConfig.Study.WithAxis(SweepAxis.Of("seed", [.. Enumerable.Range(1, seeds).Select(s => (ulong)s)]));
        _folder = Path.Combine(Path.GetTempPath(), $"labelflip-readback-{Guid.NewGuid():N}");
        int testAccuracy = RunMetrics.IndexOf(RunMetrics.TestAccuracy);
        using (RunLog log = RunLog.Open(_folder, _config))
        {
            for (long i = 0; i < _config.RunCount; i++)
            {
                // Plausible values, different per run, deterministic: a metric's range is checked when read back.
                double?[] metrics = [.. RunMetrics.All.Select(m => m.IsOptional ? (double?)null
                    : m.IsInteger ? Math.Min(Math.Max(m.Min, 2), m.Max)
                    : double.IsFinite(m.Max) ? (m.Min + m.Max) / 2 : m.Min + 1)];
                metrics[testAccuracy] = 0.5 + (i % 97) / 400.0;
                log.Append(new RunRecord(i, _config.CoordinatesAt(i), [.. metrics]));
            }
        }
        _result = SweepRunner.Merge([_folder]);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    /// <summary>Checks and indexes the log line by line, then analyses it (what <c>merge</c> does before writing).</summary>
    [Benchmark(Baseline = true)]
    public SweepSummary IndexAndAnalyze() => SweepRunner.Merge([_folder]).Summary;

    /// <summary>Streams results.json and runs.csv from the log.</summary>
    [Benchmark]
    public long WriteRunOutputs()
    {
        using var counter = new CountingStream();
        ResultsJson.WriteResults(_result!, counter);
        using (var writer = new StreamWriter(counter, leaveOpen: true))
            TidyCsv.WriteRuns(_result!, writer);
        return counter.Length;
    }

    // Counts the bytes written and keeps none.
    private sealed class CountingStream : Stream
    {
        private long _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    }
}
