using System.Globalization;
using System.Text;
using LabelFlip.Core.Data;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Poisoning;
using LabelFlip.Core.Random;
using LabelFlip.Core.Reporting;

namespace LabelFlip.Core.Tests.Experiments;

/// <summary>The models that rank rows by a reference network: adversarial, and boundary noise on a file source.</summary>
public class ReferenceNetworkTests
{
    private static readonly RunSpec s_base = new()
    {
        Data = new DataSpec { SampleCount = 90, ClassCount = 3, FeatureCount = 4, Seed = 1 },
        Training = new TrainingSpec { Epochs = 3 },
        Model = new ModelSpec { HiddenWidths = [6] },
        Seed = 7,
    };

    private static RandomSource ReferenceStream(ulong seed) =>
        new(RandomSource.DeriveSeed(seed, StreamKey.Of("poison")), StreamKey.Of("reference"));

    // A CSV file of rows like the generated ones, so that a file source has a known shape and size.
    private static string WriteCsv(TempFolder folder, int rows = 120)
    {
        Dataset data = GaussianClusters.Generate(rows, 3, 3, 1.5, 2.0, 5);
        var text = new StringBuilder("a,b,c,label\n");
        for (int r = 0; r < data.RowCount; r++)
        {
            foreach (float value in data.GetRow(r))
                text.Append(value.ToString("R", CultureInfo.InvariantCulture)).Append(',');
            text.Append(data.Labels[r].ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        string path = folder.File("rows.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static RunSpec CsvRun(string path) => s_base with { Data = DataSpec.Csv(path) with { Seed = 1 } };

    [Fact]
    public void The_reference_network_is_the_runs_recipe_trained_on_the_clean_labels_from_its_own_stream()
    {
        RunSpec run = s_base with { Poison = new PoisonSpec { Model = PoisonSpec.AdversarialModel, Fraction = 0.3 } };
        var data = new RunData(run.Data, run.Streams);
        int[] clean = data.Train.Labels.ToArray();
        (ILabelPoisoner poisoner, RandomSource _) = RunExecutor.CreatePoisoner(run, data);
        Mlp expected = new MlpTrainer().Train(data.Train, [6], run.Training.ToOptions(), ReferenceStream(7)).Model;
        Mlp reference = Assert.IsType<AdversarialLabelFlip>(poisoner).Reference;
        for (int layer = 0; layer < expected.LayerCount; layer++)
        {
            Assert.Equal(expected.GetWeights(layer), reference.GetWeights(layer));
            Assert.Equal(expected.GetBiases(layer), reference.GetBiases(layer));
        }
        Assert.Equal(clean, data.Train.Labels.ToArray());
    }

    [Fact]
    public void One_reference_network_serves_every_fraction_and_model_of_a_data_part_and_seed()
    {
        using var folder = new TempFolder();
        RunSpec run = CsvRun(WriteCsv(folder));
        var data = new RunData(run.Data, run.Streams);
        var networks = new List<Mlp>();
        foreach (string model in new[] { PoisonSpec.AdversarialModel, PoisonSpec.BoundaryModel, PoisonSpec.SoftBoundaryModel })
        {
            foreach (double p in new[] { 0.0, 0.1, 0.4 })
            {
                (ILabelPoisoner poisoner, RandomSource _) = RunExecutor.CreatePoisoner(run with { Poison = new PoisonSpec { Model = model, Fraction = p } }, data);
                networks.Add(poisoner is AdversarialLabelFlip a ? a.Reference : Assert.IsType<NetworkPosterior>(((BoundaryLabelFlip)poisoner).PosteriorModel).Network);
            }
        }
        Assert.Equal(1, data.References.TrainedCount);
        Assert.All(networks, n => Assert.Same(networks[0], n));
        RunExecutor.CreatePoisoner(run with { Seed = 8, Poison = new PoisonSpec { Model = PoisonSpec.AdversarialModel, Fraction = 0.1 } }, data);
        RunExecutor.CreatePoisoner(run with { Model = new ModelSpec { HiddenWidths = [3] }, Poison = new PoisonSpec { Model = PoisonSpec.AdversarialModel, Fraction = 0.1 } }, data);
        Assert.Equal(3, data.References.TrainedCount);
    }

    [Theory]
    [InlineData(PoisonSpec.BoundaryModel, 0.25)]
    [InlineData(PoisonSpec.SoftBoundaryModel, 0.25)]
    [InlineData(PoisonSpec.AdversarialModel, 0.25)]
    [InlineData(PoisonSpec.AdversarialModel, 0.5)]
    public void On_a_csv_file_the_reference_models_flip_exactly_round_n_p_rows_and_report_them(string model, double p)
    {
        using var folder = new TempFolder();
        RunSpec run = CsvRun(WriteCsv(folder)) with { Poison = new PoisonSpec { Model = model, Fraction = p } };
        var data = new RunData(run.Data, run.Streams);
        int n = data.Train.RowCount;
        int expected = (int)Math.Round(n * p, MidpointRounding.ToEven);

        (ILabelPoisoner poisoner, RandomSource random) = RunExecutor.CreatePoisoner(run, data);
        PoisonResult result = poisoner.Poison(data.Train, random);
        Assert.Equal(expected, result.FlippedCount);
        Assert.Equal(Enumerable.Range(0, n).Where(r => result.Labels[r] != data.Train.Labels[r]), result.FlippedRows);
        Assert.Equal(expected, SweepRunner.RunOne(run)[RunMetrics.IndexOf(RunMetrics.FlippedCount)]);

        // The boundary models rank by the reference network's softmax: the same flips as a plain BoundaryLabelFlip on it.
        if (model == PoisonSpec.BoundaryModel)
        {
            Mlp reference = new MlpTrainer().Train(data.Train, [6], run.Training.ToOptions(), ReferenceStream(7)).Model;
            PoisonResult again = new BoundaryLabelFlip(p, new NetworkPosterior(reference)).Poison(data.Train, new RandomSource(1));
            Assert.Equal(again.Labels.ToArray(), result.Labels.ToArray()); // ImmutableArray's own Equals compares references
        }
    }

    [Fact]
    public void The_reference_models_give_the_same_bytes_on_one_or_two_threads_and_in_shards()
    {
        using var folder = new TempFolder();
        string path = WriteCsv(folder);
        SweepConfig csv = SweepConfig.FromJson($$"""
            { "base": { "data": { "source": "csv", "path": {{System.Text.Json.JsonSerializer.Serialize(path)}}, "sample_count": 60 },
                        "training": { "epochs": 3 }, "model": { "hidden_widths": [5] } },
              "axes": { "poison.model": ["boundary", "boundary-soft", "adversarial"], "poison.fraction": [0.1, 0.4],
                        "data.seed": [1, 2], "seed": [7, 8] } }
            """);
        SweepConfig generated = SweepConfig.FromJson("""
            { "base": { "data": { "sample_count": 80, "class_count": 3, "feature_count": 4 }, "training": { "epochs": 3 }, "model": { "hidden_widths": [5] } },
              "axes": { "poison.model": ["boundary-soft", "adversarial"], "poison.fraction": [0.1, 0.4], "data.seed": [1, 2], "seed": [7, 8] } }
            """);
        foreach (SweepConfig config in new[] { csv, generated })
        {
            string one = ResultsJson.Results(SweepRunner.Run(config, new SweepRunOptions { MaxDegreeOfParallelism = 1 }));
            string two = ResultsJson.Results(SweepRunner.Run(config, new SweepRunOptions { MaxDegreeOfParallelism = 2 }));
            Assert.Equal(one, two);
            using var shards = new TempFolder();
            string[] directories = [shards.File("a"), shards.File("b")];
            for (int i = 2; i >= 1; i--)
                SweepRunner.Execute(config, new SweepRunOptions { Shard = new SweepShard(i, 2), OutputDirectory = directories[i - 1], MaxDegreeOfParallelism = i });
            Assert.Equal(one, ResultsJson.Results(SweepRunner.Merge(directories)));
            Assert.Contains("(seed, \\u0022poison\\u0022, \\u0022reference\\u0022)", one);
        }
    }
}
