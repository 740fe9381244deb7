using System.Globalization;
using System.Text;
using LabelFlip.Core.Data;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Random;
using LabelFlip.Core.Reporting;
using LabelFlip.Core.Tests.Data;

namespace LabelFlip.Core.Tests.Experiments;

/// <summary>Data parts read from files (Fashion-MNIST, CSV) and held-out test sets, through the real sweep.</summary>
public class FileSourceTests
{
    [Fact]
    public void A_file_source_left_without_a_sample_count_trains_on_the_whole_pool_and_its_canonical_json_has_only_its_own_fields()
    {
        SweepConfig config = SweepConfig.FromJson("""{ "base": { "data": { "source": "fashion-mnist", "standardize": true }, "streams": "ours" } }""");
        Assert.Equal(DataSpec.WholePool, config.Base.Data.SampleCount);
        Assert.True(config.Base.Data.Standardize);
        string canonical = config.ToJson(indented: false);
        Assert.Contains("\"data\":{\"source\":\"fashion-mnist\",\"seed\":42,\"sample_count\":0,\"standardize\":true}", canonical, StringComparison.Ordinal);
        // Read back, it is the same config.
        Assert.Equal(config, SweepConfig.FromJson(config.ToJson()));
        Assert.Equal(DataSpec.FashionMnist(), config.Base.Data with { Standardize = false });
    }

    [Fact]
    public void Optional_fields_left_unset_change_no_fingerprint_of_a_generated_sweep()
    {
        // The study's fingerprint, as pinned in the example output before file sources existed.
        Assert.Equal("139baeeb57abcf77", SweepConfig.Study.Fingerprint);
        SweepConfig held = SweepConfig.FromJson("""{ "base": { "data": { "test_count": 2000 } }, "axes": { "data.test_count": [null, 1000] } }""");
        Assert.Null(held.Base.Data.TestCount);
        Assert.Equal([null, 1000], Enumerable.Range(0, 2).Select(i => held.RunAt(i).Data.TestCount));
    }

    public static TheoryData<string, string> WrongCombinations => new()
    {
        { """{ "base": { "data": { "source": "csv" }, "streams": "ours" } }""", "data.source \"csv\" needs data.path" },
        { """{ "base": { "data": { "source": "fashion-mnist", "class_count": 3 }, "streams": "ours" } }""", "data.class_count applies to data.source \"gaussian-clusters\" only" },
        { """{ "base": { "data": { "source": "fashion-mnist" }, "streams": "study" } }""", "needs streams \"ours\"" },
        { """{ "base": { "data": { "source": "fashion-mnist", "train_fraction": 0.5 }, "streams": "ours" } }""", "data.train_fraction does not apply to Fashion-MNIST" },
        { """{ "base": { "data": { "source": "fashion-mnist", "test_path": "t.csv" }, "streams": "ours" } }""", "apply to data.source \"csv\" only" },
        { """{ "base": { "data": { "source": "csv", "path": "a.csv", "label_column": "y", "label_index": 2 }, "streams": "ours" } }""", "not both" },
        { """{ "base": { "data": { "source": "csv", "path": "a.csv", "sample_count": 3 }, "streams": "ours" } }""", "base.data.sample_count must be an integer in [4, 10000000], or 0 for the whole pool of a file" },
        { """{ "base": { "data": { "path": "a.csv" } } }""", "data.path applies to a file source" },
        { """{ "base": { "data": { "standardize": true } } }""", "data.standardize applies to a file source" },
        { """{ "base": { "data": { "test_count": 100 }, "streams": "study" } }""", "data.test_count draws a separate test set" },
        { """{ "base": { "data": { "test_count": 100, "train_fraction": 0.5 } } }""", "data.train_fraction does not apply with data.test_count" },
        { """{ "base": { "data": { "sample_count": 0 } } }""", "data.sample_count must be at least 2 × data.class_count" },
    };

    [Theory]
    [MemberData(nameof(WrongCombinations))]
    public void A_field_that_does_not_fit_the_source_is_refused_naming_it(string json, string says)
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(() => SweepConfig.FromJson(json));
        Assert.Contains(says, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_held_out_test_set_comes_from_the_same_clusters_and_leaves_every_generated_row_for_training()
    {
        RunSpec run = new() { Data = new DataSpec { TestCount = 1000 }, Model = new ModelSpec { HiddenWidths = [8] }, Training = new TrainingSpec { Epochs = 2 } };
        var data = new RunData(run.Data, run.Streams);
        Assert.Equal(500, data.Train.RowCount);
        Assert.Equal(1000, data.Test.RowCount);
        Assert.Equal(GaussianClusters.Generate().Features.ToArray(), data.Train.Features.ToArray());
        Assert.Equal(GaussianClusters.GenerateHeldOut(1000).Features.ToArray(), data.Test.Features.ToArray());
        Assert.Equal([200, 200, 200, 200, 200], data.Test.CountPerClass());

        // Same centers: each class's held-out mean is within 4 standard errors (2 / √200 per feature) of its center.
        double[] centers = GaussianClusters.Centers();
        for (int c = 0; c < 5; c++)
        {
            for (int f = 0; f < 10; f++)
            {
                double mean = Enumerable.Range(0, 1000).Where(r => data.Test.Labels[r] == c).Average(r => (double)data.Test.GetRow(r)[f]);
                Assert.InRange(mean - centers[c * 10 + f], -4 * 2 / Math.Sqrt(200), 4 * 2 / Math.Sqrt(200));
            }
        }
        // The metrics use it: 1000 test rows make accuracies in steps of 1/1000.
        double test = SweepRunner.RunOne(run)[RunMetrics.IndexOf(RunMetrics.TestAccuracy)]!.Value;
        Assert.Equal(Math.Round(test * 1000) / 1000, test, 12);
    }

    [Fact]
    public void A_csv_file_pair_of_the_generated_split_trains_to_the_same_bits_as_the_generated_data()
    {
        // The generated study split, written to CSV (floats in round-trip form, labels as their numbers), then read
        // back as a csv source with a test file: the rows, the classes and so every run must be identical.
        using var folder = new TempFolder();
        RunSpec generated = new() { Model = new ModelSpec { HiddenWidths = [16] }, Training = new TrainingSpec { Epochs = 20 }, Seed = 5 };
        var data = new RunData(generated.Data, generated.Streams);
        WriteCsv(folder.File("train.csv"), data.Train, header: true);
        WriteCsv(folder.File("test.csv"), data.Test, header: true);

        var csv = SweepConfig.FromJson($$"""
            { "base": { "data": { "source": "csv", "path": {{Json(folder.File("train.csv"))}}, "test_path": {{Json(folder.File("test.csv"))}}, "label_column": "label" },
                        "model": { "hidden_widths": [16] }, "training": { "epochs": 20 }, "seed": 5, "streams": "ours" },
              "axes": { "poison.fraction": [0, 0.3] } }
            """);
        var same = new SweepConfig(generated, [SweepAxis.Of("poison.fraction", [0.0, 0.3])]);
        SweepResult fromCsv = SweepRunner.Run(csv);
        SweepResult fromMemory = SweepRunner.Run(same);
        Assert.Equal(fromMemory.Runs.Select(r => r.Metrics), fromCsv.Runs.Select(r => r.Metrics));
        // The class order is kept in the results: numeric labels in ascending order.
        Assert.Contains("\"classes\": \"0: 0, 1: 1, 2: 2, 3: 3, 4: 4\"", ResultsJson.Results(fromCsv), StringComparison.Ordinal);
    }

    [Fact]
    public void A_csv_file_without_a_test_file_is_split_by_the_data_seed_and_standardised_from_its_training_rows()
    {
        using var folder = new TempFolder();
        Dataset rows = GaussianClusters.Generate(200, 3, 4, seed: 9);
        WriteCsv(folder.File("all.csv"), rows, header: false);
        var spec = DataSpec.Csv(folder.File("all.csv")) with { TrainFraction = 0.75, Standardize = true, SampleCount = 100, Seed = 3 };

        var data = new RunData(spec, RunSpec.OurStreams);
        Assert.Equal(100, data.Train.RowCount);
        Assert.Equal(50, data.Test.RowCount);
        // Stratified: each class's share of the 150 training rows of the split (50 per class less its test rows).
        int[] pool = [.. data.Test.CountPerClass().Select(test => 50 - test)];
        Assert.Equal(150, pool.Sum());
        Assert.Equal(StratifiedSample.Quotas(pool, 100), data.Train.CountPerClass());
        // Standardised with the training rows' statistics: their means are 0 (to float rounding), the test rows' are not.
        for (int f = 0; f < 3; f++)
            Assert.InRange(Enumerable.Range(0, 100).Average(r => (double)data.Train.GetRow(r)[f]), -1e-6, 1e-6);
        // The same seed gives the same rows; another seed other rows.
        Assert.Equal(data.Train.Features.ToArray(), new RunData(spec, RunSpec.OurStreams).Train.Features.ToArray());
        Assert.NotEqual(data.Train.Features.ToArray(), new RunData(spec with { Seed = 4 }, RunSpec.OurStreams).Train.Features.ToArray());
        // A subset of another size leaves the split (and so the test rows) alone.
        Assert.Equal(data.Test.Labels.ToArray(), new RunData(spec with { SampleCount = 60 }, RunSpec.OurStreams).Test.Labels.ToArray());
    }

    [Fact]
    public void Asking_a_file_for_more_rows_than_it_has_fails_before_any_run_naming_the_field()
    {
        using var folder = new TempFolder();
        WriteCsv(folder.File("small.csv"), GaussianClusters.Generate(40, 2, 2, seed: 1), header: false);
        SweepConfig config = new(new RunSpec { Data = DataSpec.Csv(folder.File("small.csv")) with { SampleCount = 100 }, Training = new TrainingSpec { Epochs = 1 } }, []);
        DataSourceException e = Assert.Throws<DataSourceException>(() => SweepRunner.Run(config));
        Assert.Equal("data.source \"csv\": data.sample_count is 100, but the file has only 28 training rows", e.Message);

        SweepConfig missing = new(new RunSpec { Data = DataSpec.Csv(folder.File("none.csv")) }, []);
        Assert.Contains("none.csv", Assert.Throws<DataSourceException>(() => SweepRunner.Run(missing)).Message, StringComparison.Ordinal);
    }

    [FashionMnistFact]
    public void Draws_of_Fashion_MNIST_are_stratified_subsets_that_every_machine_draws_alike()
    {
        var spec = DataSpec.FashionMnist() with { SampleCount = 1000, TestCount = 500, Seed = 7 };
        var pools = new DataPools();
        var data = new RunData(spec, RunSpec.OurStreams, pools);
        Assert.Equal((1000, 784, 10), (data.Train.RowCount, data.Train.FeatureCount, data.Train.ClassCount));
        Assert.All(data.Train.CountPerClass(), n => Assert.Equal(100, n));
        Assert.All(data.Test.CountPerClass(), n => Assert.Equal(50, n));
        Assert.Equal(FashionMnist.ClassNames.ToArray(), data.ClassNames.ToArray());

        // The rows are fixed by the seed alone, on every machine: pinned by the SHA-256 of the drawn rows' indices
        // into the pool, recomputed with the sampler the data part uses.
        int[] rows = StratifiedSample.DrawRows(FashionMnist.Load().Train, 1000, new RandomSource(7, StreamKey.Of("train-subset")));
        LabelledData pool = FashionMnist.Load();
        Assert.Equal(pool.Train.SelectRows(rows).Features.ToArray(), data.Train.Features.ToArray());
        Assert.Equal(PinnedTrainRowsHash, Hash(rows));

        // Another seed is another draw; the pool is read once for both.
        var other = new RunData(spec with { Seed = 8 }, RunSpec.OurStreams, pools);
        Assert.NotEqual(data.Train.Labels.ToArray(), other.Train.Labels.ToArray());
    }

    [FashionMnistFact]
    public void A_tiny_Fashion_MNIST_sweep_runs_end_to_end_with_the_same_bits_on_one_thread_and_two()
    {
        SweepConfig config = SweepConfig.FromJson("""
            { "base": { "data": { "source": "fashion-mnist", "sample_count": 600, "test_count": 300 },
                        "model": { "hidden_widths": [32] }, "training": { "epochs": 10 }, "streams": "ours" },
              "axes": { "poison.fraction": [0, 0.5], "data.seed": [1, 2], "seed": [1, 2] } }
            """);
        SweepResult two = SweepRunner.Run(config, new SweepRunOptions { MaxDegreeOfParallelism = 2 });
        SweepResult one = SweepRunner.Run(config, new SweepRunOptions { MaxDegreeOfParallelism = 1 });
        Assert.Equal(ResultsJson.Results(one), ResultsJson.Results(two));
        Assert.Equal(8, two.Runs.Length);
        // Clean runs learn something in 10 epochs on 600 images (chance is 0.1); half the labels flipped costs accuracy.
        double Mean(double fraction) => two.Runs.Where(r => r.Coordinates[0] == (fraction == 0 ? "0" : "0.5"))
            .Average(r => r.Metrics[RunMetrics.IndexOf(RunMetrics.TestAccuracy)]!.Value);
        Assert.InRange(Mean(0), 0.5, 1.0);
        Assert.True(Mean(0.5) < Mean(0), $"{Mean(0.5)} vs {Mean(0)}");
        Assert.All(two.Runs, r => Assert.Equal(10, r.Metrics[RunMetrics.IndexOf(RunMetrics.ClassCount)]));
        Assert.Contains("0: T-shirt/top, 1: Trouser", ResultsJson.Results(two), StringComparison.Ordinal);
    }

    // The SHA-256 (first 16 hex digits) of the 1,000 row indices drawn from Fashion-MNIST's training pool by data
    // seed 7, as little-endian int32s.
    private const string PinnedTrainRowsHash = "4662cbda8aedcc3e";

    private static string Hash(int[] rows) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(rows.AsSpan())))[..16];

    private static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private static void WriteCsv(string path, Dataset data, bool header)
    {
        var text = new StringBuilder();
        if (header)
            text.Append(string.Join(",", Enumerable.Range(0, data.FeatureCount).Select(f => $"x{f}"))).Append(",label\n");
        for (int r = 0; r < data.RowCount; r++)
        {
            foreach (float value in data.GetRow(r))
                text.Append(value.ToString("R", CultureInfo.InvariantCulture)).Append(',');
            text.Append(data.Labels[r].ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        File.WriteAllText(path, text.ToString());
    }
}
