namespace LabelFlip.Core.Tests.Sweep;

/// <summary>One edit of a text: what a careless hand, a bad merge or a crash does to a file.</summary>
public sealed record TextEdit(int Kind, int At, int Other, string Text)
{
    public const int Kinds = 7;

    public string ApplyTo(string text)
    {
        string[] lines = text.Split('\n');
        int Position(int extra) => text.Length + extra == 0 ? 0 : At % (text.Length + extra);
        switch (Kind)
        {
            case 0 when text.Length > 0:
                return text.Remove(Position(0), 1);
            case 1:
                return text.Insert(Position(1), Text);
            case 2 when text.Length > 0:
                return text.Remove(Position(0), 1).Insert(Position(0), Text);
            case 3:
                (lines[At % lines.Length], lines[Other % lines.Length]) = (lines[Other % lines.Length], lines[At % lines.Length]);
                return string.Join('\n', lines);
            case 4:
                return string.Join('\n', lines.Take(At % lines.Length + 1).Concat(lines.Skip(At % lines.Length)));
            case 5:
                return text[..Position(1)];
            default:
                return text;
        }
    }

    private static readonly string[] s_kindNames = ["delete", "insert", "replace", "swap lines", "duplicate line", "truncate", "none"];

    public override string ToString() => $"{s_kindNames[Kind]} at {At}/{Other} '{Text.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal)}'";
}
