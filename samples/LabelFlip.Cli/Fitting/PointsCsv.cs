using System.Globalization;

namespace LabelFlip.Cli.Fitting;

/// <summary>
/// (x, y) points from two columns of a CSV file. A first line that is not all numbers is a header, and columns are
/// then named by it; without one they are numbered from 1. Blank lines and lines starting with # are skipped.
/// </summary>
internal static class PointsCsv
{
    /// <summary>Header names tried for x when no column is given: the sweep's curves.csv and runs.csv, then plain names.</summary>
    public static readonly string[] XNames = ["poison.fraction", "poison_fraction", "fraction"];

    /// <summary>Header names tried for y when no column is given.</summary>
    public static readonly string[] YNames = ["test_accuracy_mean", "test_accuracy", "accuracy"];

    /// <summary>A mistake in the file: its message names the file and line.</summary>
    public sealed class FormatError(string message) : Exception(message);

    /// <summary>Reads the points; <paramref name="xColumn"/>, <paramref name="yColumn"/> are header names or 1-based numbers.</summary>
    public static (double[] X, double[] Y, string XName, string YName) Read(string path, string? xColumn, string? yColumn)
    {
        var lines = File.ReadAllLines(path)
            .Select((text, index) => (Text: text.Trim(), Number: index + 1))
            .Where(l => l.Text.Length > 0 && !l.Text.StartsWith('#'))
            .ToList();
        if (lines.Count == 0)
            throw new FormatError($"{path} holds no points");
        string[] first = Split(lines[0].Text);
        string[]? header = first.All(f => TryNumber(f, out _)) ? null : first;
        int x = Column(path, header, xColumn, XNames, fallback: 0, "x");
        int y = Column(path, header, yColumn, YNames, fallback: 1, "y");
        var xs = new List<double>();
        var ys = new List<double>();
        foreach ((string text, int number) in lines.Skip(header is null ? 0 : 1))
        {
            string[] fields = Split(text);
            xs.Add(Number(path, number, fields, x));
            ys.Add(Number(path, number, fields, y));
        }
        if (xs.Count == 0)
            throw new FormatError($"{path} holds a header but no points");
        return ([.. xs], [.. ys], header?[x] ?? $"column {x + 1}", header?[y] ?? $"column {y + 1}");
    }

    private static int Column(string path, string[]? header, string? given, string[] names, int fallback, string axis)
    {
        if (given is null)
        {
            int named = header is null ? -1 : Array.FindIndex(header, h => names.Contains(h, StringComparer.OrdinalIgnoreCase));
            return named >= 0 ? named : fallback;
        }
        if (int.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number >= 1)
            return number - 1;
        int index = header is null ? -1 : Array.FindIndex(header, h => string.Equals(h, given, StringComparison.Ordinal));
        return index >= 0
            ? index
            : throw new FormatError(header is null
                ? $"{path} has no header line, so its {axis} column is a number from 1, not '{given}'"
                : $"{path} has no column '{given}' for {axis}; its columns: {string.Join(", ", header)}");
    }

    private static double Number(string path, int line, string[] fields, int column)
    {
        if (column >= fields.Length)
            throw new FormatError($"{path} line {line}: no column {column + 1} (the line has {fields.Length})");
        return TryNumber(fields[column], out double value) && double.IsFinite(value)
            ? value
            : throw new FormatError($"{path} line {line} column {column + 1}: '{fields[column]}' is not a finite number");
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    // Commas inside double quotes belong to the field (the sweep writes widths such as "[64,64]").
    private static string[] Split(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        foreach (char c in line)
        {
            if (c == '"')
                quoted = !quoted;
            else if (c == ',' && !quoted)
            {
                fields.Add(field.ToString().Trim());
                field.Clear();
            }
            else
                field.Append(c);
        }
        fields.Add(field.ToString().Trim());
        return [.. fields];
    }
}
