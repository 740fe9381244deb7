using System.Globalization;
using System.Security;
using System.Text;

namespace LabelFlip.Core.Reporting;

/// <summary>A minimal SVG writer: just the shapes our charts use, with numbers in invariant culture.</summary>
internal sealed class SvgCanvas
{
    private readonly StringBuilder _body = new();

    public SvgCanvas(double width, double height)
    {
        Width = width;
        Height = height;
    }

    public double Width { get; }

    public double Height { get; }

    public void Line(double x1, double y1, double x2, double y2, string stroke, double strokeWidth = 1, string? dash = null, string? cssClass = null) =>
        _body.Append(CultureInfo.InvariantCulture,
            $"""<line x1="{F(x1)}" y1="{F(y1)}" x2="{F(x2)}" y2="{F(y2)}" stroke="{stroke}" stroke-width="{F(strokeWidth)}"{Dash(dash)}{Class(cssClass)}/>""").Append('\n');

    public void Polyline(IEnumerable<(double X, double Y)> points, string stroke, double strokeWidth = 2, string? dash = null, string? cssClass = null, string? dataWidth = null)
    {
        _body.Append("<polyline points=\"");
        bool first = true;
        foreach ((double x, double y) in points)
        {
            if (!first)
                _body.Append(' ');
            _body.Append(F(x)).Append(',').Append(F(y));
            first = false;
        }
        _body.Append('"').Append(CultureInfo.InvariantCulture,
            $""" fill="none" stroke="{stroke}" stroke-width="{F(strokeWidth)}" stroke-linejoin="round"{Dash(dash)}{Class(cssClass)}""");
        if (dataWidth is not null)
            _body.Append(CultureInfo.InvariantCulture, $" data-width=\"{dataWidth}\"");
        _body.Append("/>\n");
    }

    /// <summary>A filled shape without outline, for bands.</summary>
    public void Polygon(IEnumerable<(double X, double Y)> points, string fill, double opacity, string? cssClass = null)
    {
        _body.Append("<polygon points=\"");
        bool first = true;
        foreach ((double x, double y) in points)
        {
            if (!first)
                _body.Append(' ');
            _body.Append(F(x)).Append(',').Append(F(y));
            first = false;
        }
        _body.Append('"').Append(CultureInfo.InvariantCulture, $""" fill="{fill}" fill-opacity="{F(opacity)}" stroke="none"{Class(cssClass)}""").Append("/>\n");
    }

    public void Circle(double cx, double cy, double r, string fill, string? stroke = null, string? title = null)
    {
        _body.Append(CultureInfo.InvariantCulture, $"""<circle cx="{F(cx)}" cy="{F(cy)}" r="{F(r)}" fill="{fill}" stroke="{stroke ?? "none"}" """);
        if (title is null)
            _body.Append("/>\n");
        else
            _body.Append("><title>").Append(Escape(title)).Append("</title></circle>\n");
    }

    public void Rect(double x, double y, double width, double height, string fill, string? stroke = null) =>
        _body.Append(CultureInfo.InvariantCulture,
            $"""<rect x="{F(x)}" y="{F(y)}" width="{F(width)}" height="{F(height)}" fill="{fill}" stroke="{stroke ?? "none"}"/>""").Append('\n');

    public void Text(double x, double y, string text, double size = 12, string anchor = "start", string fill = "#222", string weight = "normal", double rotate = 0)
    {
        string transform = rotate == 0 ? "" : $" transform=\"rotate({F(rotate)} {F(x)} {F(y)})\"";
        _body.Append(CultureInfo.InvariantCulture,
            $"""<text x="{F(x)}" y="{F(y)}" font-size="{F(size)}" text-anchor="{anchor}" fill="{fill}" font-weight="{weight}"{transform}>{Escape(text)}</text>""").Append('\n');
    }

    public string Render()
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"""<svg xmlns="http://www.w3.org/2000/svg" width="{F(Width)}" height="{F(Height)}" viewBox="0 0 {F(Width)} {F(Height)}" font-family="Helvetica, Arial, sans-serif">""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<rect x="0" y="0" width="{F(Width)}" height="{F(Height)}" fill="white"/>""").Append('\n');
        svg.Append(_body);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    // Two decimals are far below a pixel and keep the files small and stable.
    private static string F(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Dash(string? dash) => dash is null ? "" : $" stroke-dasharray=\"{dash}\"";

    private static string Class(string? cssClass) => cssClass is null ? "" : $" class=\"{cssClass}\"";

    private static string Escape(string text) => SecurityElement.Escape(text);
}
