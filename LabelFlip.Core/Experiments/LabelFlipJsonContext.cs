using System.Text.Json.Serialization;

namespace LabelFlip.Core.Experiments;

// Source-generated serialisation: no reflection at run time, trimming- and AOT-safe, and one place that
// fixes the JSON conventions (snake_case names, unknown fields rejected).
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    IndentSize = 2,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(SweepConfig))]
[JsonSerializable(typeof(SweepConfigFields))]
internal sealed partial class LabelFlipJsonContext : JsonSerializerContext;
