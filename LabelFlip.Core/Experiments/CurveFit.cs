using LabelFlip.Core.Fitting;

namespace LabelFlip.Core.Experiments;

/// <summary>The descending sigmoid fitted to a curve's mean test accuracy, and what it says.</summary>
/// <param name="Fit">The fit; null when the curve has too few distinct fractions to identify four parameters.</param>
/// <param name="CleanAccuracy">Mean test accuracy at the smallest fraction swept.</param>
/// <param name="ChanceAccuracy">1 / classes of the data.</param>
/// <param name="ThresholdTarget">(clean + chance) / 2: where the threshold is read.</param>
/// <param name="Threshold">The study's threshold: the first of 2,000 grid points on [0, 0.6] where the fitted curve is
/// at or below the target; null unless <paramref name="Status"/> is Reached or Extrapolated.</param>
/// <param name="ThresholdClosedForm">The exact crossing of the fitted curve, null where there is none.</param>
/// <param name="Status">Whether the threshold was reached within the data, extrapolated, or not defined.</param>
/// <param name="Sharp">Whether the transition is sharp (k above <see cref="SweepAnalysis.SharpSteepness"/>), given k's
/// standard error.</param>
/// <param name="Note">Why there is no fit or no threshold, in words; null otherwise.</param>
public sealed record CurveFit(
    SigmoidFitResult? Fit,
    double CleanAccuracy,
    double ChanceAccuracy,
    double ThresholdTarget,
    double? Threshold,
    double? ThresholdClosedForm,
    ThresholdStatus Status,
    Verdict Sharp,
    string? Note);
