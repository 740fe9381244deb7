using System.Collections.Immutable;

namespace LabelFlip.Core.Experiments;

/// <summary>
/// The study's published table, per hidden width (32, 64, 128), as its <c>results.json</c> gives it: what a run of
/// <see cref="SweepConfig.Study"/> is compared against.
/// </summary>
public static class PublishedStudy
{
    /// <summary>The widths of the table's rows.</summary>
    public static readonly ImmutableArray<int> Widths = [32, 64, 128];

    /// <summary>Mean clean test accuracy (poison fraction 0).</summary>
    public static readonly ImmutableArray<double> CleanAccuracy = [0.9066666762034098, 0.9044444362322489, 0.897777775923411];

    /// <summary>Fitted steepness k.</summary>
    public static readonly ImmutableArray<double> K = [4.841936239708977, 8.338503431667846, 7.180614160949428];

    /// <summary>Fitted midpoint x0.</summary>
    public static readonly ImmutableArray<double> X0 = [0.18354591086533503, 0.18815325333547622, 0.13516853716743998];

    /// <summary>Critical threshold (the grid method), as a fraction.</summary>
    public static readonly ImmutableArray<double> Threshold = [0.4337168584292146, 0.3730865432716358, 0.3490745372686343];

    /// <summary>R² of each fit.</summary>
    public static readonly ImmutableArray<double> RSquared = [0.9930849056759118, 0.9848306929959247, 0.9964995683648715];

    /// <summary>Mean generalization gap at 50 % poison.</summary>
    public static readonly ImmutableArray<double> GenGapAt50 = [0.11396823326746623, 0.2387301524480184, 0.34984126687049866];
}
