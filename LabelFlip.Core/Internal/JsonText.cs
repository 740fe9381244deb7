using System.Text;
using System.Text.Json;

namespace LabelFlip.Core.Internal;

/// <summary>
/// Strict JSON for files people write by hand: duplicate keys are errors, comments and trailing commas are not
/// allowed, and every error names its 1-based line, without .NET's internal type names.
/// </summary>
internal static class JsonText
{
    private static readonly JsonDocumentOptions s_strict = new()
    {
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64,
    };

    /// <summary>Parses <paramref name="json"/>; a syntax error or duplicate key becomes a <see cref="FormatException"/>.</summary>
    public static JsonDocument Parse(string json)
    {
        try
        {
            return JsonDocument.Parse(json, s_strict);
        }
        catch (JsonException e)
        {
            // The parser reports a duplicate key at the end of its object (or nowhere); point at the second key.
            long line = IsDuplicateKey(e) && LineOfDuplicateKey(json) is int duplicate ? duplicate : (e.LineNumber ?? 0) + 1;
            throw new FormatException($"line {line}: {Describe(e)}", e);
        }
    }

    /// <summary>The exception's message without what ArgumentException appends: " (Parameter 'x')" and, out of
    /// range, the actual value on a new line. Lets a wrapper add context without repeating the parameter.</summary>
    public static string Sentence(ArgumentException e)
    {
        string message = e.Message.Split('\n')[0].TrimEnd();
        string suffix = $" (Parameter '{e.ParamName}')";
        return e.ParamName is not null && message.EndsWith(suffix, StringComparison.Ordinal) ? message[..^suffix.Length] : message;
    }

    private static bool IsDuplicateKey(JsonException e) => e.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase);

    // The 1-based line of the first key that repeats an earlier key of the same object; null if none is found.
    private static int? LineOfDuplicateKey(string json)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 });
        var objects = new Stack<HashSet<string>?>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        objects.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.StartArray:
                        objects.Push(null);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        objects.Pop();
                        break;
                    case JsonTokenType.PropertyName when objects.Peek() is HashSet<string> keys && !keys.Add(reader.GetString()!):
                        return LineAt(utf8, reader.TokenStartIndex);
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Malformed before the duplicate: the parser's own line stands.
        }
        return null;
    }

    /// <summary>
    /// The 1-based line on which the value at <paramref name="path"/> starts (property names, and array indices
    /// as integers); 0 if the path is not in the text.
    /// </summary>
    public static int LineOf(string json, IReadOnlyList<object> path)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip });
        // The path of the value about to be read: one entry per open container.
        var current = new List<object>();
        var arrayIndex = new List<int>();
        string? pendingName = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pendingName = reader.GetString();
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        if (current.Count > 0)
                        {
                            current.RemoveAt(current.Count - 1);
                            arrayIndex.RemoveAt(arrayIndex.Count - 1);
                        }
                        continue;
                }

                // A value starts: where is it?
                object? segment = null;
                if (pendingName is not null)
                    segment = pendingName;
                else if (arrayIndex.Count > 0 && arrayIndex[^1] >= 0)
                    segment = arrayIndex[^1]++;
                pendingName = null;
                int depth = current.Count;
                if (segment is not null)
                    current.Add(segment);
                if (Matches(current, path))
                    return LineAt(utf8, reader.TokenStartIndex);
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    if (segment is null)
                        current.Add("$");
                    arrayIndex.Add(reader.TokenType == JsonTokenType.StartArray ? 0 : -1);
                }
                else if (current.Count > depth)
                {
                    current.RemoveAt(current.Count - 1);
                }
            }
        }
        catch (JsonException)
        {
            // A malformed text has already been reported by Parse.
        }
        return 0;
    }

    /// <summary>A JSON value as one line of text, for messages (cut after 60 characters).</summary>
    public static string Show(JsonElement value)
    {
        string text = value.ValueKind == JsonValueKind.String ? $"\"{value.GetString()}\"" : value.GetRawText();
        text = string.Join(' ', text.Split((char[])['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= 60 ? text : text[..57] + "...";
    }

    /// <summary>A key as it may be shown in a one-line message: control characters escaped, long keys cut.</summary>
    public static string Name(string name)
    {
        var text = new StringBuilder(Math.Min(name.Length, 60));
        foreach (char c in name.Length <= 60 ? name : name[..57] + "...")
            text.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        return text.ToString();
    }

    /// <summary>The JSON kind in words: "a number", "a string", "null", …</summary>
    public static string KindOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static bool Matches(List<object> current, IReadOnlyList<object> path)
    {
        // The root container is recorded as "$"; a path never names it.
        int offset = current.Count > 0 && current[0] is "$" ? 1 : 0;
        if (current.Count - offset != path.Count)
            return false;
        for (int i = 0; i < path.Count; i++)
        {
            if (!Equals(current[i + offset], path[i]))
                return false;
        }
        return true;
    }

    private static int LineAt(byte[] utf8, long offset)
    {
        int line = 1;
        for (long i = 0; i < offset && i < utf8.Length; i++)
            line += utf8[i] == (byte)'\n' ? 1 : 0;
        return line;
    }

    // JsonException messages end with "LineNumber: 0 | BytePositionInLine: 5." (0-based); we give the line ourselves.
    private static string Describe(JsonException e)
    {
        string message = e.Message;
        int at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (at >= 0)
            message = message[..at];
        message = message.Replace("Change the reader options.", "", StringComparison.Ordinal).Trim();
        // The parser quotes the offending text, which may span lines: keep the message on one line, and short.
        message = string.Join(' ', message.Split((char[])['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        if (message.Length > 160)
            message = message[..157] + "...";
        if (IsDuplicateKey(e))
            return $"a key appears twice in one object ({message.TrimEnd('.')})";
        return $"not valid JSON ({message.TrimEnd('.')})";
    }
}
