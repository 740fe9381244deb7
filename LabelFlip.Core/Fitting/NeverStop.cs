namespace LabelFlip.Core.Fitting;

/// <summary>The watch of a plain solve: never stops.</summary>
internal struct NeverStop : IStepWatch
{
    /// <inheritdoc />
    public readonly bool ShouldStop(ReadOnlySpan<double> parameters, double sumOfSquares) => false;
}
