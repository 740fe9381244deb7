namespace LabelFlip.Core.Fitting;

/// <summary>Asked by <see cref="LevenbergMarquardt"/> after every accepted step whether to stop there.</summary>
internal interface IStepWatch
{
    /// <summary>Whether to stop at <paramref name="parameters"/>, whose SS_res is <paramref name="sumOfSquares"/>.</summary>
    bool ShouldStop(ReadOnlySpan<double> parameters, double sumOfSquares);
}
