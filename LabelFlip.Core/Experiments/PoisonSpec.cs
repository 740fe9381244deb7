namespace LabelFlip.Core.Experiments;

/// <summary>The poison part of a run: the noise model and its strength. The defaults flip nothing.</summary>
/// <remarks>JSON paths: <c>poison.model</c>, <c>poison.fraction</c>.</remarks>
public sealed record PoisonSpec
{
    /// <summary>Uniform label flips: round(n·p) training labels, each to a uniformly drawn other class.</summary>
    public const string UniformModel = "uniform";

    /// <summary>The noise model; today only <see cref="UniformModel"/>.</summary>
    public string Model { get; init; } = UniformModel;

    /// <summary>The fraction of training labels flipped, in [0, 1].</summary>
    public double Fraction { get; init; }
}
