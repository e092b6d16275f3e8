using System;

namespace AutoGrad.Health;

/// <summary>The words reports print for each <see cref="HealthStatus"/>.</summary>
public static class HealthStatusExtensions
{
    /// <summary><c>OK</c>, <c>VANISHING</c>, <c>EXPLODING</c>, <c>NON-FINITE</c>, <c>SATURATED</c> or <c>DEAD</c>.</summary>
    public static string ToReportWord(this HealthStatus status) => status switch
    {
        HealthStatus.Ok => "OK",
        HealthStatus.Saturated => "SATURATED",
        HealthStatus.Dead => "DEAD",
        HealthStatus.Vanishing => "VANISHING",
        HealthStatus.Exploding => "EXPLODING",
        HealthStatus.NonFinite => "NON-FINITE",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>The more severe of two statuses.</summary>
    public static HealthStatus Worst(this HealthStatus a, HealthStatus b) => a >= b ? a : b;
}
