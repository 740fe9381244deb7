using System.Text.Json;
using System.Text.Json.Serialization;

namespace LabelFlip.Core.Experiments;

// One line per record: compact, snake_case, unknown fields rejected so a foreign file is not misread.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = false,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(CheckpointHeader))]
[JsonSerializable(typeof(RunResult))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext;
