using System.Globalization;

namespace LabelFlip.Core.Reporting;

/// <summary>A rectangle of a canvas with data ranges on both axes: maps data to pixels and draws axes.</summary>
internal sealed class PlotArea(SvgCanvas canvas, double left, double top, double width, double height,
    double xMin, double xMax, double yMin, double yMax)
{
    public SvgCanvas Canvas { get; } = canvas;

    public double Left { get; } = left;

    public double Top { get; } = top;

    public double Right => Left + Width;

    public double Bottom => Top + Height;

    public double Width { get; } = width;

    public double Height { get; } = height;

    public double X(double value) => Left + (value - xMin) / (xMax - xMin) * Width;

    public double Y(double value) => Bottom - (value - yMin) / (yMax - yMin) * Height;

    public bool ContainsX(double value) => value >= xMin && value <= xMax;

    /// <summary>Frame, grid lines, ticks with labels, axis titles and a panel title.</summary>
    public void DrawAxes(string title, string xTitle, string yTitle, double xStep, double yStep,
        Func<double, string> xLabel, Func<double, string> yLabel)
    {
        foreach (double x in Ticks(xMin, xMax, xStep))
        {
            Canvas.Line(X(x), Top, X(x), Bottom, "#e6e6e6");
            Canvas.Line(X(x), Bottom, X(x), Bottom + 5, "#444");
            Canvas.Text(X(x), Bottom + 18, xLabel(x), 11, "middle", "#444");
        }
        foreach (double y in Ticks(yMin, yMax, yStep))
        {
            Canvas.Line(Left, Y(y), Right, Y(y), "#e6e6e6");
            Canvas.Line(Left - 5, Y(y), Left, Y(y), "#444");
            Canvas.Text(Left - 8, Y(y) + 4, yLabel(y), 11, "end", "#444");
        }
        Canvas.Line(Left, Bottom, Right, Bottom, "#444");
        Canvas.Line(Left, Top, Left, Bottom, "#444");
        Canvas.Text(Left + Width / 2, Bottom + 38, xTitle, 12, "middle");
        Canvas.Text(Left - 46, Top + Height / 2, yTitle, 12, "middle", rotate: -90);
        Canvas.Text(Left + Width / 2, Top - 10, title, 14, "middle", weight: "bold");
    }

    /// <summary>A data point with a ±<paramref name="spread"/> error bar (none when null or zero).</summary>
    public void PointWithErrorBar(double x, double y, double? spread, string color, string tooltip)
    {
        if (spread is double s && s > 0)
        {
            Canvas.Line(X(x), Y(y - s), X(x), Y(y + s), color, 1.5);
            Canvas.Line(X(x) - 4, Y(y - s), X(x) + 4, Y(y - s), color, 1.5);
            Canvas.Line(X(x) - 4, Y(y + s), X(x) + 4, Y(y + s), color, 1.5);
        }
        Canvas.Circle(X(x), Y(y), 4, color, "white", tooltip);
    }

    /// <summary>Legend rows in a corner of the plot (top right unless told otherwise): a swatch and a text each.</summary>
    public void Legend(IReadOnlyList<(string Color, string Text, string? Dash)> rows, double boxWidth, bool bottom = false, bool left = false)
    {
        const double RowHeight = 18;
        double x = left ? Left + 8 : Right - boxWidth - 8;
        double y = bottom ? Bottom - rows.Count * RowHeight - 14 : Top + 8;
        Canvas.Rect(x, y, boxWidth, rows.Count * RowHeight + 8, "white", "#bbb");
        for (int i = 0; i < rows.Count; i++)
        {
            double rowY = y + 4 + RowHeight * i + RowHeight / 2;
            Canvas.Line(x + 8, rowY, x + 32, rowY, rows[i].Color, 2.5, rows[i].Dash);
            Canvas.Text(x + 38, rowY + 4, rows[i].Text, 11);
        }
    }

    public static string Percent(double value) => (value * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    public static string Decimal(double value) => value.ToString("0.0#", CultureInfo.InvariantCulture);

    private static IEnumerable<double> Ticks(double min, double max, double step)
    {
        // Integer multiples of the step, so 0.1 · 3 does not print as 0.30000000000000004.
        for (long i = (long)Math.Ceiling(min / step - 1e-9); i * step <= max + step * 1e-9; i++)
            yield return i * step;
    }
}
