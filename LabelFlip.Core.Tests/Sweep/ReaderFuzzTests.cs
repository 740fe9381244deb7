using LabelFlip.Core.Tests.Detection;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LabelFlip.Core.Experiments;

namespace LabelFlip.Core.Tests.Sweep;

/// <summary>
/// The readers of hand-edited and crash-damaged files never fail in an unplanned way: any mutation of a valid config
/// gives a config or one <see cref="ArgumentException"/> in one line; any mutation of a valid run log gives its
/// contents or one <see cref="RunLogException"/> in one line.
/// </summary>
[Properties(Arbitrary = [typeof(TextEditGenerators)], MaxTest = 1000)]
public class ReaderFuzzTests
{
    private const string ValidConfig = """
        {
          "base": {
            "data": { "sample_count": 200, "feature_count": 4, "class_count": 3 },
            "training": { "epochs": 5, "learning_rate": 0.05, "momentum": 0.5 },
            "seed": 7
          },
          "axes": {
            "poison.fraction": [0, 0.25, 0.5],
            "model.hidden_widths": [[4], [8]],
            "data.seed": [1, 2]
          }
        }
        """;

    private static readonly SweepConfig s_config = SweepConfig.FromJson(ValidConfig);
    private static readonly string s_log = MakeLog();

    [Property]
    public Property A_mutated_config_is_read_or_refused_with_one_line(TextEdit[] edits)
    {
        string json = edits.Aggregate(ValidConfig, (text, edit) => edit.ApplyTo(text));
        try
        {
            SweepConfig.FromJson(json);
            return true.ToProperty();
        }
        catch (ArgumentException e)
        {
            return OneLine(e.Message).Label($"{e.GetType().Name}: {e.Message}");
        }
        catch (Exception e)
        {
            return false.Label($"{e.GetType().Name}: {e.Message}");
        }
    }

    [Property]
    public Property A_mutated_run_log_is_read_or_refused_with_one_line(TextEdit[] edits)
    {
        string log = edits.Aggregate(s_log, (text, edit) => edit.ApplyTo(text));
        using var folder = new TempFolder();
        string path = folder.File(RunLog.FileName);
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(log));
        Property read = Outcome(() => RunLog.Read(path).Records.Length).Label("Read");
        Property open = Outcome(() =>
        {
            using RunLog opened = RunLog.Open(folder.Path, s_config);
            return opened.Records.Length;
        }).Label("Open");
        return read.And(open);
    }

    private static Property Outcome(Func<int> read)
    {
        try
        {
            read();
            return true.ToProperty();
        }
        catch (RunLogException e)
        {
            return OneLine(e.Message).Label($"{e.GetType().Name}: {e.Message}");
        }
        catch (Exception e)
        {
            return false.Label($"{e.GetType().Name}: {e.Message}");
        }
    }

    private static bool OneLine(string message) => message.Length > 0 && !message.Contains('\n') && !message.Contains('\r');

    private static string MakeLog()
    {
        using var folder = new TempFolder();
        using (RunLog log = RunLog.Open(folder.Path, s_config))
        {
            for (long i = 0; i < s_config.RunCount; i++)
                log.Append(new RunRecord(i, s_config.CoordinatesAt(i), [0.9, 0.8, 0.85, 0.1, 0.3, 10 * i, i == 0 ? null : 0.5, 3, null, null, null, .. NoDefence.Metrics]));
        }
        return File.ReadAllText(folder.File(RunLog.FileName));
    }
}
