using System.Collections.Immutable;

namespace LabelFlip.Core.Detection;

/// <summary>
/// Everything confident learning estimated (Northcutt, Jiang and Chuang, "Confident Learning: Estimating Uncertainty
/// in Dataset Labels", JAIR 70, 2021), in the paper's terms with ỹ the given (possibly flipped) label and y* the
/// latent true one.
/// </summary>
/// <param name="Detection">Scores (1 − p̂(ỹ = given label; x)) and the rows pruned by noise rate, with the
/// estimated noise rate.</param>
/// <param name="Thresholds">t_j: the mean out-of-fold p̂_j over the rows labelled j (+∞ for a class with no row).</param>
/// <param name="ConfidentJoint">C[i][j]: rows labelled i whose confident true class is j (counts, before calibration).</param>
/// <param name="Joint">Q[i][j] = P̂(ỹ = i, y* = j): the calibrated confident joint divided by n; it sums to 1.</param>
/// <param name="NoiseMatrix">P̂(ỹ = i | y* = j) = Q[i][j] / Σ_i Q[i][j], indexed [i][j] (column j sums to 1).</param>
/// <param name="EstimatedNoiseRate">1 − Σ_i Q[i][i]: the estimated share of flipped labels.</param>
public sealed record ConfidentLearningResult(
    DetectionResult Detection,
    ImmutableArray<double> Thresholds,
    ImmutableArray<ImmutableArray<int>> ConfidentJoint,
    ImmutableArray<ImmutableArray<double>> Joint,
    ImmutableArray<ImmutableArray<double>> NoiseMatrix,
    double EstimatedNoiseRate);
