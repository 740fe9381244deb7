using System.Collections.Immutable;
using LabelFlip.Core.Data;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Poisoning;
using LabelFlip.Core.Random;

namespace LabelFlip.Core.Experiments;

/// <summary>Trains and scores runs; one per worker thread, so its trainer's buffers are reused run after run.</summary>
internal sealed class RunExecutor
{
    private static readonly ulong s_poisonKey = StreamKey.Of("poison");
    private static readonly ulong s_trainingKey = StreamKey.Of("training");
    private static readonly ulong s_matrixKey = StreamKey.Of("matrix");
    private static readonly ulong s_validationKey = StreamKey.Of("validation");

    private readonly MlpTrainer _trainer = new();
    private readonly DynamicsRecorder _recorder = new();

    // The current run's defence stage (null without a detector), set while poisoning and read when scoring.
    private DefenceOutcome? _defence;

    /// <summary>The run's metrics, in <see cref="RunMetrics.All"/> order.</summary>
    public ImmutableArray<double?> Execute(RunSpec run, RunData data, CancellationToken cancellationToken) =>
        ExecuteRecorded(run, data, cancellationToken).Metrics;

    /// <summary>The run's metrics, in <see cref="RunMetrics.All"/> order, and its learning dynamics when
    /// <c>training.record_every</c> is set (null otherwise). Recording changes no bit of the metrics.</summary>
    public (ImmutableArray<double?> Metrics, TrainingDynamics? Dynamics) ExecuteRecorded(RunSpec run, RunData data, CancellationToken cancellationToken)
    {
        DynamicsRecorder? recorder = run.Training.RecordEvery is null ? null : _recorder;
        _defence = null;
        (Dataset train, ImmutableArray<int> cleanTrainLabels, Dataset test, TrainingResult trained, EarlyStopping? stopping) =
            data.Streams == RunSpec.StudyStreams ? TrainWithStudyStreams(run, data, recorder, cancellationToken) : TrainWithOurStreams(run, data, recorder, cancellationToken);
        // Early stopping scores the network of its best validation epoch; the training metrics still cover every
        // training row, the held-out ones included.
        if (stopping is not null)
            trained = new TrainingResult(stopping.BestModel, trained.EpochLosses);

        int[] predicted = trained.Model.Predict(train);
        ReadOnlySpan<int> labels = train.LabelSpan;
        ReadOnlySpan<int> clean = cleanTrainLabels.AsSpan();
        int agreePoisoned = 0, agreeClean = 0, flipped = 0, memorised = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            agreePoisoned += predicted[i] == labels[i] ? 1 : 0;
            agreeClean += predicted[i] == clean[i] ? 1 : 0;
            // A flip always changes the label, so the flipped rows are those whose label differs from the clean one.
            if (labels[i] != clean[i])
            {
                flipped++;
                memorised += predicted[i] == labels[i] ? 1 : 0;
            }
        }

        double trainAccuracy = (double)agreePoisoned / predicted.Length;
        double testAccuracy = trained.Model.Accuracy(test);
        var metrics = new double?[RunMetrics.All.Length];
        metrics[RunMetrics.IndexOf(RunMetrics.TrainAccuracy)] = trainAccuracy;
        metrics[RunMetrics.IndexOf(RunMetrics.TestAccuracy)] = testAccuracy;
        metrics[RunMetrics.IndexOf(RunMetrics.TrainCleanAccuracy)] = (double)agreeClean / predicted.Length;
        metrics[RunMetrics.IndexOf(RunMetrics.GeneralizationGap)] = trainAccuracy - testAccuracy;
        metrics[RunMetrics.IndexOf(RunMetrics.FinalLoss)] = trained.FinalLoss;
        metrics[RunMetrics.IndexOf(RunMetrics.FlippedCount)] = flipped;
        metrics[RunMetrics.IndexOf(RunMetrics.MemorizationRate)] = flipped == 0 ? null : (double)memorised / flipped;
        metrics[RunMetrics.IndexOf(RunMetrics.ClassCount)] = train.ClassCount;
        if (run.Poison.Model == PoisonSpec.TargetedModel && run.Poison.SourceClass is int source)
            metrics[RunMetrics.IndexOf(RunMetrics.SourceClassRecall)] = Recall(trained.Model.Predict(test), test.LabelSpan, source);
        if (stopping is not null)
        {
            metrics[RunMetrics.IndexOf(RunMetrics.StoppedEpoch)] = stopping.LastEpoch;
            metrics[RunMetrics.IndexOf(RunMetrics.BestEpoch)] = stopping.BestEpoch;
        }
        _defence?.WriteTo(metrics);
        return ([.. metrics], recorder?.Result());
    }

    // Null when the test set has no row of the class: there is nothing to recall.
    private static double? Recall(int[] predicted, ReadOnlySpan<int> labels, int label)
    {
        int rows = 0, recalled = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] == label)
            {
                rows++;
                recalled += predicted[i] == label ? 1 : 0;
            }
        }
        return rows == 0 ? null : (double)recalled / rows;
    }

    // Ours: poison from (seed, "poison", fraction), initialisation and shuffles from (seed, "training").
    private (Dataset, ImmutableArray<int>, Dataset, TrainingResult, EarlyStopping?) TrainWithOurStreams(RunSpec run, RunData data, DynamicsRecorder? recorder, CancellationToken cancellationToken)
    {
        CheckModelSize(run, data); // before a reference network of that size is trained too
        (ILabelPoisoner poisoner, RandomSource poisonRandom) = CreatePoisoner(run, data, cancellationToken);
        PoisonResult poison = poisoner.Poison(data.Train, poisonRandom);
        // The poisoned set shares the clean set's features: only the labels are copied, so a run of 60,000 images
        // costs 240 kB of its own, not 188 MB.
        Dataset train = data.Train.WithLabels(poison.Labels.AsSpan());
        // A detector between poisoning and training: the network trains on the rows it kept (early stopping holds its
        // validation rows out of those), while train_accuracy and the other training metrics (and the recorded dynamics)
        // stay over every training row.
        _defence = DefenceStage.Run(run, train, poison, _trainer, cancellationToken);
        StartRecording(recorder, run, train, data);
        TrainingOptions options = Options(run, NoiseMatrix(poisoner, train.ClassCount));
        (Dataset fit, EarlyStopping? stopping) = HoldOutValidation(run, _defence?.Kept ?? train);
        IEpochObserver? observer = (IEpochObserver?)stopping ?? recorder;
        TrainingResult trained;
        if (ReferenceEquals(fit, train))
        {
            // Every training row trains, so the start is that of every run of this seed and shape (SharedTrainingStarts).
            (Mlp initial, IEpochOrder order) = data.Starts.Ours(run.Seed, fit.FeatureCount, run.Model.HiddenWidths, fit.ClassCount,
                fit.RowCount, options.Epochs, () => new RandomSource(run.Seed, s_trainingKey));
            trained = _trainer.Train(fit, initial, options, order, observer, cancellationToken);
        }
        else
        {
            trained = _trainer.Train(fit, run.Model.HiddenWidths, options, new RandomSource(run.Seed, s_trainingKey), observer, cancellationToken);
        }
        return (train, data.Train.Labels, data.Test, trained, stopping);
    }

    // Forward correction's matrix is the noise's own: uniform flips are symmetric noise; boundary noise has none (the
    // config check refuses forward correction with it).
    internal static TransitionMatrix? NoiseMatrix(ILabelPoisoner poisoner, int classCount) => poisoner switch
    {
        UniformLabelFlip uniform => TransitionMatrix.Symmetric(classCount, uniform.Fraction),
        ClassConditionalLabelFlip conditional => conditional.Matrix,
        _ => null,
    };

    private static TrainingOptions Options(RunSpec run, TransitionMatrix? noiseMatrix) =>
        run.Training.Loss == Nn.LossFunction.ForwardCorrectedName
            ? run.Training.ToOptions(noiseMatrix ?? throw new ArgumentException(
                $"training.loss \"{run.Training.Loss}\" needs a noise model with a transition matrix; poison.model \"{run.Poison.Model}\" has none", nameof(run)))
            : run.Training.ToOptions();

    /// <summary>
    /// With training.validation_fraction f: round(n·f) of the n noisy training rows, drawn uniformly without
    /// replacement (not stratified by label) from the stream (seed, "validation"), are held out; the rest train, in
    /// their original order. Returns the rows that train and the observer that scores the held-out ones.
    /// </summary>
    internal static (Dataset Fit, EarlyStopping? Stopping) HoldOutValidation(RunSpec run, Dataset train)
    {
        if (RunFields.ValidationCount(run, train.RowCount) is not int count)
            return (train, null);
        int[] held = new RandomSource(run.Seed, s_validationKey).SampleWithoutReplacement(train.RowCount, count);
        Array.Sort(held);
        int[] fit = new int[train.RowCount - count];
        for (int row = 0, h = 0, f = 0; row < train.RowCount; row++)
        {
            if (h < held.Length && held[h] == row)
                h++;
            else
                fit[f++] = row;
        }
        return (train.SelectRows(fit), new EarlyStopping(train.SelectRows(held), run.Training.Patience ?? TrainingSpec.DefaultPatience));
    }

    // The study's: labels of the whole set flipped from RandomState(seed + int(1000·p)), then the split's training rows
    // in the study's order; torch.manual_seed(seed) for the layers; a torch.Generator seeded with seed for the shuffles.
    private (Dataset, ImmutableArray<int>, Dataset, TrainingResult, EarlyStopping?) TrainWithStudyStreams(RunSpec run, RunData data, DynamicsRecorder? recorder, CancellationToken cancellationToken)
    {
        Dataset all = data.All!;
        StudySplit split = data.StudySplit!;
        PoisonResult poison = StudyLabelFlip.Poison(all.LabelSpan, all.ClassCount, run.Poison.Fraction, (long)run.Seed);
        Dataset train = split.SelectTrain(all.WithLabels(poison.Labels.AsSpan()));

        int[] sizes = [all.FeatureCount, .. run.Model.HiddenWidths, all.ClassCount];
        TorchLinearParameters[] layers = TorchInitialization.Sequential(run.Seed, sizes);
        Mlp initial = Mlp.FromLayers(all.FeatureCount, [.. layers.Select(l => l.Weight.ToArray())], [.. layers.Select(l => l.Bias.ToArray())]);
        StartRecording(recorder, run, train, data);
        TrainingOptions options = Options(run, TransitionMatrix.Symmetric(all.ClassCount, run.Poison.Fraction));
        TrainingResult trained = _trainer.Train(train, initial, options, data.Starts.Study(run.Seed, train.RowCount, options.Epochs), recorder, cancellationToken);
        return (train, data.Train.Labels, data.Test, trained, null);
    }

    // The recorder reads the poisoned training rows against their clean labels (data.Train's, row for row) and the test rows.
    private static void StartRecording(DynamicsRecorder? recorder, RunSpec run, Dataset train, RunData data) =>
        recorder?.Start(train, data.Train.LabelSpan, data.Test, run.Training.RecordEvery!.Value, run.Training.Epochs);

    /// <summary>
    /// The run's noise model and the stream it draws from. Uniform flips draw from (seed, "poison", poison.fraction), as
    /// they always have; every other model from its own sub-stream (seed, "poison", model, poison.fraction), so adding
    /// models changed no uniform bit. Random asymmetric noise draws its full-strength matrix from
    /// (seed, "poison", model, "matrix"), the same at every fraction, so a curve follows one matrix from p = 0 to 1.
    /// "adversarial", and the boundary models on a file source, read the reference network of the data part
    /// (<see cref="ReferenceNetworks"/>), trained on first use from (seed, "poison", "reference").
    /// </summary>
    internal static (ILabelPoisoner Poisoner, RandomSource Random) CreatePoisoner(RunSpec run, RunData data, CancellationToken cancellationToken = default)
    {
        PoisonSpec p = run.Poison;
        ulong poisonSeed = RandomSource.DeriveSeed(run.Seed, s_poisonKey);
        if (p.Model == PoisonSpec.UniformModel)
            return (new UniformLabelFlip(p.Fraction), new RandomSource(poisonSeed, StreamKey.Of(p.Fraction)));

        if (RunFields.CheckPoisonClasses(run, data.Train.ClassCount) is string problem)
            throw new ArgumentException(problem, nameof(run));
        ulong modelSeed = RandomSource.DeriveSeed(poisonSeed, StreamKey.Of(p.Model));
        var random = new RandomSource(modelSeed, StreamKey.Of(p.Fraction));
        int k = data.Train.ClassCount;
        ILabelPoisoner poisoner = p.Model switch
        {
            PoisonSpec.SymmetricModel => new ClassConditionalLabelFlip(TransitionMatrix.Symmetric(k, p.Fraction)),
            PoisonSpec.PairModel => new ClassConditionalLabelFlip(TransitionMatrix.Pair(k, p.Fraction)),
            PoisonSpec.RandomAsymmetricModel => new ClassConditionalLabelFlip(TransitionMatrix.Towards(
                TransitionMatrix.RandomOffDiagonal(k, new RandomSource(modelSeed, s_matrixKey)), p.Fraction)),
            PoisonSpec.MatrixModel => new ClassConditionalLabelFlip(TransitionMatrix.Towards(
                new TransitionMatrix([.. p.Matrix.Select(row => (IReadOnlyList<double>)row)]), p.Fraction)),
            PoisonSpec.TargetedModel => new ClassConditionalLabelFlip(TransitionMatrix.Targeted(k, p.Fraction, p.TargetClass!.Value, p.SourceClass)),
            PoisonSpec.BoundaryModel => new BoundaryLabelFlip(p.Fraction, BoundaryPosterior(run, data, cancellationToken)),
            PoisonSpec.SoftBoundaryModel => BoundaryLabelFlip.Soft(p.Fraction, BoundaryPosterior(run, data, cancellationToken)),
            PoisonSpec.AdversarialModel => new AdversarialLabelFlip(p.Fraction, data.References.For(run, data.Train, cancellationToken)),
            _ => throw new ArgumentException($"poison.model \"{p.Model}\" is not one of {string.Join(", ", PoisonSpec.Models)}", nameof(run)),
        };
        return (poisoner, random);
    }

    // Gaussian clusters have their exact posterior; a file's is unknown, so the reference network's softmax stands in.
    private static IClassPosterior BoundaryPosterior(RunSpec run, RunData data, CancellationToken cancellationToken)
    {
        DataSpec d = data.Spec;
        return d.IsFile
            ? new NetworkPosterior(data.References.For(run, data.Train, cancellationToken))
            : GaussianClusterPosterior.ForGaussianClusters(d.FeatureCount, d.ClassCount, d.ClusterStd, d.CenterSpread, d.Seed);
    }

    // A file's shape is known only once it is read: the config's size check runs here for file sources.
    internal static void CheckModelSize(RunSpec run, RunData data)
    {
        Dataset train = data.Train;
        if (RunFields.CheckNetworkSize(train.FeatureCount, run.Model.HiddenWidths, train.ClassCount) is string problem)
            throw new ArgumentException($"{problem} (model.hidden_widths)", nameof(run));
    }
}
