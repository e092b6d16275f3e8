using System.Collections.Generic;
using System.Globalization;
using AutoGrad.Health;

namespace AutoGrad.Reports;

/// <summary>The per-layer table's columns as text, shared by the console and HTML renderers so both say the same.</summary>
internal static class ReportColumns
{
    public static readonly string[] Headers =
    [
        "layer", "line", "activation", "params", "log10‖g‖", "log10‖∂L/∂h‖", "max|g|", "ratio to last",
        "update/weight", "dead/sat", "trend /100 steps", "status", "advice",
    ];

    public static IReadOnlyList<string> Cells(LayerHealth l) =>
    [
        l.Name + (l.InRecurrence ? " ↻" : ""),
        HealthFormat.Location(l.File, l.Line),
        string.IsNullOrEmpty(l.Activation) ? "-" : l.Activation,
        l.ParameterCount.ToString(CultureInfo.InvariantCulture),
        HealthFormat.Log10(l.Log10Gradient),
        HealthFormat.Log10(l.Log10Adjoint),
        HealthFormat.Number(l.MaxAbs),
        HealthFormat.Number(l.RatioToLast),
        HealthFormat.Number(l.UpdateRatio),
        double.IsNaN(l.FlaggedFraction) ? "-" : $"{HealthFormat.Percent(l.FlaggedFraction)} {l.FlagKind}",
        Trend(l.Log10TrendPer100Steps),
        l.Status.ToReportWord(),
        l.Advice.Length == 0 ? "-" : l.Advice,
    ];

    /// <summary>"↑ ×2.0", "↓ ×0.5" or "→" (within ±0.05 decades per 100 steps).</summary>
    private static string Trend(double log10PerHundred)
    {
        if (double.IsNaN(log10PerHundred)) return "-";
        if (System.Math.Abs(log10PerHundred) < 0.05) return "→";
        string arrow = log10PerHundred > 0 ? "↑" : "↓";
        return $"{arrow} ×{HealthFormat.Number(System.Math.Pow(10, log10PerHundred))}";
    }
}
