using System;
using System.Globalization;
using System.Text;

namespace AutoGrad.Reports.Svg;

/// <summary>
/// Writes SVG elements with invariant-culture numbers (a German locale must not turn 1.5 into "1,5" inside a
/// coordinate) and escaped text. Non-finite coordinates are a bug in the caller and throw.
/// </summary>
internal sealed class SvgBuilder
{
    private readonly StringBuilder _sb = new();

    public SvgBuilder(double width, double height, string title)
    {
        _sb.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(width)}\" height=\"{N(height)}\" viewBox=\"0 0 {N(width)} {N(height)}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        _sb.Append("<title>").Append(Escape(title)).Append("</title>\n");
        Rect(0, 0, width, height, "#ffffff", "background");
    }

    public static string N(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "SVG coordinates must be finite.");
        return Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);
    }

    public static string Escape(string text) =>
        WithoutControlCharacters(text).Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);

    /// <summary>XML 1.0 allows no control character but tab, line feed and carriage return, not even escaped: one in a
    /// method name made every chart unreadable to an XML parser. Each becomes U+FFFD.</summary>
    private static string WithoutControlCharacters(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\u0000', '\u001f')) return text;
        var chars = text.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (chars[i] < ' ' && chars[i] is not ('\t' or '\n' or '\r')) chars[i] = '\uFFFD';
        }
        return new string(chars);
    }

    public void Rect(double x, double y, double w, double h, string fill, string cssClass, double opacity = 1)
    {
        _sb.Append(CultureInfo.InvariantCulture,
            $"<rect class=\"{cssClass}\" x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(Math.Max(w, 0))}\" height=\"{N(Math.Max(h, 0))}\" fill=\"{fill}\" fill-opacity=\"{N(opacity)}\"/>\n");
    }

    public void Line(double x1, double y1, double x2, double y2, string stroke, string cssClass, double width = 1, string? dash = null)
    {
        string dashing = dash is null ? "" : $" stroke-dasharray=\"{dash}\"";
        _sb.Append(CultureInfo.InvariantCulture,
            $"<line class=\"{cssClass}\" x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"{stroke}\" stroke-width=\"{N(width)}\"{dashing}/>\n");
    }

    // halo: a white outline under the glyphs keeps the text readable over bars and lines.
    public void Text(double x, double y, string text, string cssClass, string anchor = "start", string fill = "#222222", double rotate = 0, double size = 12, bool halo = false)
    {
        string transform = rotate == 0 ? "" : $" transform=\"rotate({N(rotate)} {N(x)} {N(y)})\"";
        string outline = halo ? " stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\"" : "";
        _sb.Append(CultureInfo.InvariantCulture,
            $"<text class=\"{cssClass}\" x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\" fill=\"{fill}\" font-size=\"{N(size)}\"{outline}{transform}>{Escape(text)}</text>\n");
    }

    public void Circle(double cx, double cy, double r, string fill, string cssClass)
    {
        _sb.Append(CultureInfo.InvariantCulture, $"<circle class=\"{cssClass}\" cx=\"{N(cx)}\" cy=\"{N(cy)}\" r=\"{N(r)}\" fill=\"{fill}\"/>\n");
    }

    /// <summary>A polyline through the points; a run of fewer than two points is drawn as a dot.</summary>
    public void Polyline(ReadOnlySpan<(double X, double Y)> points, string stroke, string cssClass)
    {
        if (points.Length == 1)
        {
            Circle(points[0].X, points[0].Y, 2, stroke, cssClass);
            return;
        }
        _sb.Append(CultureInfo.InvariantCulture, $"<polyline class=\"{cssClass}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"1.8\" points=\"");
        for (int i = 0; i < points.Length; i++)
        {
            if (i > 0) _sb.Append(' ');
            _sb.Append(N(points[i].X)).Append(',').Append(N(points[i].Y));
        }
        _sb.Append("\"/>\n");
    }

    public override string ToString() => _sb.ToString() + "</svg>\n";
}
