#:package LabelFlip.Core@0.2.0
#:property PublishAot=false

// The building blocks of LabelFlip.Core one at a time: data, poison, one network, a sigmoid fit. The file-based twin
// of ../notebooks/poisoner-and-fitter.ipynb. Each piece draws from the same named random streams a sweep's run uses,
// so the pieces put together by hand must give exactly the run a sweep would execute; the script checks that.
//
//   dotnet pack LabelFlip.Core -c Release -o artifacts      (once, at the repository root)
//   dotnet run samples/scripts/building-blocks.cs
//
// The package comes from ../../artifacts, the local feed named in nuget.config beside this file. After packing again
// at the same version, run with `dotnet run --no-cache`, and clear ~/.nuget/packages/labelflip.core: the SDK reuses
// its cached build of this file, and NuGet its copy of the package, while their version stays the same.
// PublishAot=false: file-based programs publish natively by default, which makes every restore fetch the native
// compiler's packages as well, from a feed that has only LabelFlip.Core.

using System.Reflection;
using LabelFlip.Core.Data;
using LabelFlip.Core.Experiments;
using LabelFlip.Core.Fitting;
using LabelFlip.Core.Nn;
using LabelFlip.Core.Poisoning;
using LabelFlip.Core.Random;

const ulong DataSeed = 42, Seed = 42;
const double Fraction = 0.2;
const int HiddenWidth = 64;

string? version = typeof(RandomSource).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
Console.WriteLine($"LabelFlip.Core {version}");

// The study's Gaussian clusters: 500 points in 10 dimensions, 5 classes, centers ~ N(0, 2²I), cluster std 2, split
// 70/30 from the stream (data seed, "split"). RandomSource is xoshiro256**, never System.Random: same seed, same data.
Console.WriteLine();
Console.WriteLine("Data:");
Dataset data = GaussianClusters.Generate(seed: DataSeed);
TrainTestSplit split = TrainTestSplit.Create(data, new RandomSource(DataSeed, StreamKey.Of("split")));
Console.WriteLine($"{data.RowCount} rows × {data.FeatureCount} features, {data.ClassCount} classes; {split.Train.RowCount} train / {split.Test.RowCount} test; per class: {string.Join(", ", data.CountPerClass())}");

// UniformLabelFlip(0.2) flips exactly round(0.2 · 350) = 70 training labels, each to a uniformly random other class,
// from the stream (seed, "poison", fraction): runs that differ only in their model share their poisoned labels. The
// result keeps the ground truth: which rows were flipped and their clean labels.
Console.WriteLine();
Console.WriteLine("Poison:");
var poisonRandom = new RandomSource(RandomSource.DeriveSeed(Seed, StreamKey.Of("poison")), StreamKey.Of(Fraction));
PoisonedSplit poisoned = PoisonedSplit.Create(split, new UniformLabelFlip(Fraction), poisonRandom);
Console.WriteLine($"{poisoned.FlippedRows.Length} of {poisoned.Train.RowCount} training labels flipped; the first ten:");
foreach (int row in poisoned.FlippedRows.Take(10))
    Console.WriteLine($"  row {row,3}: class {poisoned.CleanTrainLabels[row]} → {poisoned.Train.Labels[row]}");

// Linear(10→64)–ReLU–Linear(64→5) with PyTorch's default initialisation, plain SGD (lr 0.05, batch 64, 200 epochs) on
// the poisoned labels, from the stream (seed, "training"). The kernels give the same bits on every instruction set.
Console.WriteLine();
Console.WriteLine("One network:");
var trainer = new MlpTrainer();
TrainingResult trained = trainer.Train(poisoned.Train, HiddenWidth, new TrainingOptions(), new RandomSource(Seed, StreamKey.Of("training")));
for (int epoch = 0; epoch < trained.EpochLosses.Length; epoch += 20)
    Console.WriteLine($"epoch {epoch + 1,3}: loss {trained.EpochLosses[epoch]:0.0000}");
Console.WriteLine($"final loss {trained.FinalLoss:0.0000}");
Console.WriteLine($"train accuracy (poisoned labels) {trained.Model.Accuracy(poisoned.Train):0.000}");
Console.WriteLine($"train accuracy (clean labels)    {trained.Model.Accuracy(poisoned.CleanTrain):0.000}");
Console.WriteLine($"test accuracy (clean labels)     {trained.Model.Accuracy(poisoned.Test):0.000}");

// The same run as a sweep runs it: a RunSpec's defaults are the study's data and training, so only the fraction and
// the width are set. SweepRunner.RunOne trains and scores it as a sweep does; its metrics must be the same bits.
Console.WriteLine();
Console.WriteLine("The same run, as a sweep runs it:");
var run = new RunSpec
{
    Data = new DataSpec { Seed = DataSeed },
    Poison = new PoisonSpec { Fraction = Fraction },
    Model = new ModelSpec { HiddenWidths = [HiddenWidth] },
    Seed = Seed,
};
var metrics = SweepRunner.RunOne(run);
for (int m = 0; m < RunMetrics.All.Length; m++)
    Console.WriteLine($"{RunMetrics.All[m].Name,-22} {metrics[m]?.ToString("0.####") ?? "—"}");
bool sameAccuracy = metrics[RunMetrics.IndexOf(RunMetrics.TestAccuracy)] == trained.Model.Accuracy(poisoned.Test);
bool sameLoss = metrics[RunMetrics.IndexOf(RunMetrics.FinalLoss)] == trained.FinalLoss;
Console.WriteLine($"same test accuracy as by hand: {sameAccuracy}; same final loss: {sameLoss}");

// The hand-written Levenberg–Marquardt fitter, with the study's starting point and bounds. Edit the points and rerun.
Console.WriteLine();
Console.WriteLine("A sigmoid fitted to your own points:");
double[] p = [0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5];
double[] accuracy = [0.91, 0.89, 0.85, 0.74, 0.60, 0.47, 0.40];
SigmoidFitResult fit = SigmoidFit.Fit(p, accuracy);
double target = SigmoidFit.ThresholdTarget(accuracy[0], classCount: 5);
Console.WriteLine($"L = {fit.L:0.000}, k = {fit.K:0.00}, x0 = {fit.X0:0.000}, b = {fit.B:0.000}, R² = {fit.RSquared:0.0000} ({fit.ExitReason} after {fit.Iterations} iterations)");
Console.WriteLine($"standard errors: L ± {fit.StandardErrors.L:0.000}, k ± {fit.StandardErrors.K:0.00}, x0 ± {fit.StandardErrors.X0:0.000}, b ± {fit.StandardErrors.B:0.000}");
Console.WriteLine($"threshold (accuracy {target:0.000}): {fit.ThresholdClosedForm(target) * 100:0.00}% exact, {fit.ThresholdOnGrid(target) * 100:0.00}% on the study's grid");

// A script has no notebook to show a failed check in red: it says so through its exit code.
return sameAccuracy && sameLoss ? 0 : 1;
