namespace LabelFlip.Core.Experiments;

/// <summary>One conclusion of a sweep, with the evidence it rests on.</summary>
/// <param name="Key">Stable snake_case name, the key in <c>results.json</c>.</param>
/// <param name="Claim">The question, e.g. "Larger models more sensitive (threshold falls as model.hidden_widths grows)".</param>
/// <param name="Verdict">The answer.</param>
/// <param name="Evidence">The numbers behind it, with how many runs they rest on, in one line.</param>
public sealed record Finding(string Key, string Claim, Verdict Verdict, string Evidence);
