using System;
using System.Globalization;
using AutoGrad.Health;

namespace AutoGrad.Reports.Svg;

/// <summary>
/// A plot area whose y axis is log10 of a norm, with the vanishing band (below ‖g‖ = VanishingFirstNorm) and the
/// exploding band (above ‖g‖ = ExplodingNorm) shaded, decade gridlines labelled 1e-4, 1e+0, ..., and axis titles.
/// </summary>
internal sealed class LogPlot
{
    public const double Width = 960, Height = 460, Left = 80, Right = 180, Top = 50, Bottom = 60;

    public LogPlot(double minLog10, double maxLog10, double xMin, double xMax)
    {
        YMin = Math.Floor(minLog10);
        YMax = Math.Ceiling(maxLog10);
        if (YMax - YMin < 1) YMax = YMin + 1;
        XMin = xMin;
        // A single step spans one unit; past 2^53 (a step number that large) one unit is lost in rounding.
        XMax = xMax > xMin ? xMax : xMin + Math.Max(1, Math.Abs(xMin) * 1e-9);
    }

    public double YMin { get; }
    public double YMax { get; }
    public double XMin { get; }
    public double XMax { get; }
    public static double PlotRight => Width - Right;
    public static double PlotBottom => Height - Bottom;

    public double X(double x) => Left + (x - XMin) / (XMax - XMin) * (PlotRight - Left);

    public double Y(double log10) => Top + (YMax - Math.Clamp(log10, YMin, YMax)) / (YMax - YMin) * (PlotBottom - Top);

    /// <summary>The range to show: the data, both band edges, and a decade of margin.</summary>
    public static (double Min, double Max) Range(ReadOnlySpan<double> log10Values, HealthThresholds t)
    {
        double min = Math.Log10(t.VanishingFirstNorm) - 1, max = Math.Log10(t.ExplodingNorm) + 1;
        foreach (double v in log10Values)
        {
            if (!double.IsFinite(v) || v == HistoryFloor) continue;
            min = Math.Min(min, v - 0.5);
            max = Math.Max(max, v + 0.5);
        }
        return (min, max);
    }

    /// <summary>
    /// The site histories store log10 of an exact zero (and of anything below float's range) at -45; such points sit
    /// on the bottom edge, not stretch the axis. A report's own readings are exact (a double method's 1e-100 is -100),
    /// and the axis reaches them.
    /// </summary>
    private const double HistoryFloor = -45;

    /// <summary>Title (and an optional smaller subtitle), shaded bands, decade grid, axes and axis titles.</summary>
    public void DrawFrame(SvgBuilder svg, string title, string xTitle, string yTitle, HealthThresholds t, string? subtitle = null)
    {
        svg.Text(Left, subtitle is null ? 28 : 20, title, "title", size: 16);
        if (subtitle is not null) svg.Text(Left, 38, subtitle, "subtitle", fill: "#555555", size: 11);
        double vanish = Math.Log10(t.VanishingFirstNorm), explode = Math.Log10(t.ExplodingNorm);
        svg.Rect(Left, Y(vanish), PlotRight - Left, PlotBottom - Y(vanish), "#4a90d9", "band-vanishing", 0.15);
        svg.Rect(Left, Top, PlotRight - Left, Y(explode) - Top, "#d94a4a", "band-exploding", 0.15);
        int step = YMax - YMin > 14 ? 2 : 1;
        for (double d = YMin; d <= YMax; d += step)
        {
            svg.Line(Left, Y(d), PlotRight, Y(d), "#dddddd", "grid");
            svg.Text(Left - 8, Y(d) + 4, "1e" + d.ToString("+0;-0", CultureInfo.InvariantCulture), "tick-label", "end");
        }
        svg.Line(Left, Top, Left, PlotBottom, "#444444", "axis");
        svg.Line(Left, PlotBottom, PlotRight, PlotBottom, "#444444", "axis");
        svg.Text((Left + PlotRight) / 2, Height - 14, xTitle, "axis-title", "middle");
        svg.Text(20, (Top + PlotBottom) / 2, yTitle, "axis-title", "middle", rotate: -90);
    }

    /// <summary>The band names, drawn last so that bars and lines do not hide them.</summary>
    public static void DrawBandLabels(SvgBuilder svg, HealthThresholds t)
    {
        svg.Text(PlotRight - 6, PlotBottom - 8, $"VANISHING (‖g‖ < {HealthFormat.Number(t.VanishingFirstNorm)})", "band-label", "end", "#2c5d91", halo: true);
        svg.Text(PlotRight - 6, Top + 16, $"EXPLODING (‖g‖ > {HealthFormat.Number(t.ExplodingNorm)})", "band-label", "end", "#9b2c2c", halo: true);
    }

    /// <summary>More than the six or so round ticks <see cref="DrawXTicks"/> aims for, as a bound.</summary>
    private const int MaxXTicks = 20;

    /// <summary>About six round ticks along x.</summary>
    public void DrawXTicks(SvgBuilder svg)
    {
        double span = XMax - XMin;
        double raw = span / 6, magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double tick = raw / magnitude < 2 ? magnitude : raw / magnitude < 5 ? 2 * magnitude : 5 * magnitude;
        double first = Math.Ceiling(XMin / tick) * tick;
        // Ticks counted, not summed: near 2^53 adding a tick of 1 gives the same double, and the loop never ended.
        for (int i = 0; i <= MaxXTicks; i++)
        {
            double x = first + i * tick;
            if (x > XMax + 1e-9 || (i > 0 && x <= first + (i - 1) * tick)) break;
            svg.Line(X(x), PlotBottom, X(x), PlotBottom + 5, "#444444", "tick");
            svg.Text(X(x), PlotBottom + 18, x.ToString("0.##", CultureInfo.InvariantCulture), "tick-label", "middle");
        }
    }
}
