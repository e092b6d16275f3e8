using AutoGrad.Health;

namespace AutoGrad.Reports.Svg;

/// <summary>Colors shared by the charts and the HTML table.</summary>
internal static class Palette
{
    private static readonly string[] Series =
    [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ];

    public static string ForSeries(int index) => Series[index % Series.Length];

    public static string ForStatus(HealthStatus status) => status switch
    {
        HealthStatus.Ok => "#2e8b57",
        HealthStatus.Vanishing => "#2c6fbb",
        HealthStatus.Exploding => "#c62828",
        HealthStatus.NonFinite => "#6a1b9a",
        HealthStatus.Saturated => "#ef6c00",
        _ => "#616161",
    };
}
