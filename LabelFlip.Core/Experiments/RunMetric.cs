namespace LabelFlip.Core.Experiments;

/// <summary>A named number that a run produces, with the range a valid record keeps it in.</summary>
/// <param name="Name">snake_case name: the JSON key and the CSV column.</param>
/// <param name="Description">What it measures, for documentation and reports.</param>
/// <param name="Min">Smallest valid value.</param>
/// <param name="Max">Largest valid value.</param>
/// <param name="IsInteger">Whether the value is a count.</param>
/// <param name="IsOptional">Whether the value may be missing (null), e.g. a rate over no rows.</param>
public sealed record RunMetric(string Name, string Description, double Min, double Max, bool IsInteger = false, bool IsOptional = false)
{
    /// <summary>Whether <paramref name="value"/> is a valid value of this metric.</summary>
    public bool Accepts(double? value) => value is double v
        ? double.IsFinite(v) && v >= Min && v <= Max && (!IsInteger || v == Math.Floor(v))
        : IsOptional;
}
