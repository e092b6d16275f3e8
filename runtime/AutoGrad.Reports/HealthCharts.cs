using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AutoGrad.Health;
using AutoGrad.Reports.Svg;

namespace AutoGrad.Reports;

/// <summary>
/// Self-contained SVG charts of a <see cref="HealthReport"/>: per-layer gradient norms over steps, the gradient-flow
/// bar chart by depth, and the global norm with the clip threshold. Norms are on a log10 axis with the vanishing and
/// exploding bands shaded (docs/probes.md explains how to read them).
/// </summary>
public static class HealthCharts
{
    /// <summary>Each layer's gradient norm (its weight gradient, else ∂L/∂h) over the kept steps.</summary>
    public static string GradientNormsOverSteps(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        HealthHistory h = report.History;
        var all = h.Layers.SelectMany(l => l.Log10Norms).ToArray();
        var (min, max) = LogPlot.Range(all, report.Options.Thresholds);
        var plot = new LogPlot(min, max, h.Steps.FirstOrDefault(), h.Steps.LastOrDefault());
        var svg = new SvgBuilder(LogPlot.Width, LogPlot.Height, $"{report.Method}: gradient norm per layer");
        plot.DrawFrame(svg, $"{report.Method}: gradient norm per layer over steps", "step", "‖g‖ (log10 scale)", report.Options.Thresholds);
        plot.DrawXTicks(svg);
        // The legend holds as many rows as the plot is tall; past that (200 layers put 177 entries below the canvas)
        // its last row says how many layers it leaves out.
        int legendRows = (int)((LogPlot.PlotBottom - LogPlot.Top) / LegendRowHeight);
        for (int l = 0; l < h.Layers.Count; l++)
        {
            string color = Palette.ForSeries(l);
            DrawSeries(svg, plot, h.Steps, h.Layers[l].Log10Norms, color, "series layer-" + l.ToString(System.Globalization.CultureInfo.InvariantCulture));
            double y = LogPlot.Top + 10 + LegendRowHeight * l;
            if (l < legendRows - 1 || h.Layers.Count <= legendRows)
            {
                svg.Line(LogPlot.PlotRight + 14, y - 4, LogPlot.PlotRight + 34, y - 4, color, "legend", 3);
                svg.Text(LogPlot.PlotRight + 40, y, $"{h.Layers[l].Name} (depth {h.Layers[l].Depth})", "legend-label");
            }
            else if (l == legendRows - 1)
            {
                svg.Text(LogPlot.PlotRight + 14, y, $"… and {h.Layers.Count - l} more layers", "legend-label");
            }
        }
        LogPlot.DrawBandLabels(svg, report.Options.Thresholds);
        return svg.ToString();
    }

    /// <summary>Bars of log10 ‖g‖ per layer in depth order, colored by status, with ‖∂L/∂h‖ as dots.</summary>
    public static string GradientFlow(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        IReadOnlyList<LayerHealth> layers = report.Layers;
        var values = layers.SelectMany(l => new[] { l.Log10Gradient, l.Log10Adjoint }).ToArray();
        var (min, max) = LogPlot.Range(values, report.Options.Thresholds);
        var plot = new LogPlot(min, max, -0.5, layers.Count - 0.5);
        var svg = new SvgBuilder(LogPlot.Width, LogPlot.Height, $"{report.Method}: gradient flow by depth");
        plot.DrawFrame(svg, $"{report.Method}: gradient flow by depth at step {report.Step}",
            "layer (input → output)", "‖∂L/∂W‖ bars, ‖∂L/∂h‖ dots (log10)", report.Options.Thresholds, report.DepthProfile.Describe());
        double slot = (LogPlot.PlotRight - LogPlot.Left) / Math.Max(layers.Count, 1);
        // With many layers (a 20-layer stack leaves 35 px per bar) the status words would run into each other: then
        // they are left out for every bar alike, and the bar colors with the legend carry the status.
        bool statusWordsFit = layers.All(l => l.Status.ToReportWord().Length * StatusCharWidth <= slot);
        // Too narrow a slot for any label (200 layers leave 3.5 px): every k-th layer is labelled, k as needed.
        int labelEvery = (int)Math.Max(1, Math.Ceiling(MinimumLabelWidth / slot));
        for (int i = 0; i < layers.Count; i++)
        {
            LayerHealth layer = layers[i];
            double cx = plot.X(i);
            if (i % labelEvery == 0)
            {
                svg.Text(cx, LogPlot.PlotBottom + 18, FitLabel(layer.Name, slot * labelEvery), "tick-label", "middle");
            }
            // No readings yet: the default OK rows are no verdict, so no bars and no status words.
            if (report.Step < 0) continue;
            if (double.IsFinite(layer.Log10Gradient))
            {
                double top = plot.Y(layer.Log10Gradient);
                svg.Rect(cx - slot * 0.3, top, slot * 0.6, LogPlot.PlotBottom - top, Palette.ForStatus(layer.Status), "bar");
            }
            if (double.IsFinite(layer.Log10Adjoint))
            {
                svg.Circle(cx, plot.Y(layer.Log10Adjoint), 5, "#222222", "adjoint");
            }
            if (statusWordsFit)
            {
                svg.Text(cx, LogPlot.PlotBottom + 32, layer.Status.ToReportWord(), "status-label", "middle", Palette.ForStatus(layer.Status), size: 10);
            }
        }
        int row = 0;
        foreach (HealthStatus status in Enum.GetValues<HealthStatus>())
        {
            double y = LogPlot.Top + 10 + 18 * row++;
            svg.Rect(LogPlot.PlotRight + 14, y - 10, 12, 12, Palette.ForStatus(status), "legend");
            svg.Text(LogPlot.PlotRight + 32, y, status.ToReportWord(), "legend-label");
        }
        LogPlot.DrawBandLabels(svg, report.Options.Thresholds);
        return svg.ToString();
    }

    /// <summary>The global gradient norm over the kept steps, with the clip threshold as a dashed line and
    /// non-finite steps marked on the axis.</summary>
    public static string GlobalNormOverSteps(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        HealthHistory h = report.History;
        double[] log = h.GlobalNorm.Select(n => n > 0 && double.IsFinite(n) ? Math.Log10(n) : double.NaN).ToArray();
        double? clip = report.Options.ClipGlobalNorm;
        var withClip = clip is { } c ? log.Append(Math.Log10(c)).ToArray() : log;
        var (min, max) = LogPlot.Range(withClip, report.Options.Thresholds);
        var plot = new LogPlot(min, max, h.Steps.FirstOrDefault(), h.Steps.LastOrDefault());
        var svg = new SvgBuilder(LogPlot.Width, LogPlot.Height, $"{report.Method}: global gradient norm");
        plot.DrawFrame(svg, $"{report.Method}: global gradient norm over steps", "step", "‖g‖ global (log10 scale)", report.Options.Thresholds);
        plot.DrawXTicks(svg);
        DrawSeries(svg, plot, h.Steps, log, "#1f77b4", "series global-norm");
        if (clip is { } limit)
        {
            double y = plot.Y(Math.Log10(limit));
            svg.Line(LogPlot.Left, y, LogPlot.PlotRight, y, "#000000", "clip-threshold", 1.5, "6 4");
            svg.Text(LogPlot.PlotRight + 6, y + 4, $"clip at {HealthFormat.Number(limit)}", "clip-label");
        }
        for (int i = 0; i < h.Steps.Length; i++)
        {
            if (h.Status[i] == HealthStatus.NonFinite)
            {
                svg.Line(plot.X(h.Steps[i]), LogPlot.PlotBottom, plot.X(h.Steps[i]), LogPlot.PlotBottom - 12, Palette.ForStatus(HealthStatus.NonFinite), "non-finite-step", 2);
            }
        }
        LogPlot.DrawBandLabels(svg, report.Options.Thresholds);
        return svg.ToString();
    }

    /// <summary>Writes the three charts as <c>gradient-norms.svg</c>, <c>gradient-flow.svg</c> and
    /// <c>global-norm.svg</c> in <paramref name="directory"/>; returns their paths.</summary>
    public static IReadOnlyList<string> WriteAll(HealthReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        var files = new (string Name, string Svg)[]
        {
            ("gradient-norms.svg", GradientNormsOverSteps(report)),
            ("gradient-flow.svg", GradientFlow(report)),
            ("global-norm.svg", GlobalNormOverSteps(report)),
        };
        var paths = new List<string>();
        foreach (var (name, content) in files)
        {
            string path = Path.Combine(directory, name);
            File.WriteAllText(path, content);
            paths.Add(path);
        }
        return paths;
    }

    /// <summary>Approximate advance of one character of the 12 px tick labels and the 10 px status words.</summary>
    private const double TickCharWidth = 6.5, StatusCharWidth = 6.5;

    /// <summary>The room a tick label needs at least (a short name such as <c>w12</c>), and a legend row's height.</summary>
    private const double MinimumLabelWidth = 30, LegendRowHeight = 18;

    /// <summary>The layer's name when it fits its slot, else its first parameter's (<c>w[3],b[3]</c> → <c>w[3]</c>,
    /// the weight whose gradient the bar shows).</summary>
    private static string FitLabel(string name, double slot)
    {
        if (name.Length * TickCharWidth <= slot) return name;
        int comma = name.IndexOf(',', StringComparison.Ordinal);
        return comma > 0 ? name[..comma] : name;
    }

    /// <summary>Draws a series as polylines broken wherever a value is missing (NaN).</summary>
    private static void DrawSeries(SvgBuilder svg, LogPlot plot, long[] steps, double[] log10, string color, string cssClass)
    {
        var run = new List<(double X, double Y)>();
        for (int i = 0; i <= log10.Length; i++)
        {
            if (i < log10.Length && double.IsFinite(log10[i]))
            {
                run.Add((plot.X(steps[i]), plot.Y(log10[i])));
                continue;
            }
            if (run.Count > 0) svg.Polyline(run.ToArray(), color, cssClass);
            run.Clear();
        }
    }
}
