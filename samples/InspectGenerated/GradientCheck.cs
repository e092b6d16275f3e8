using System;

namespace InspectGenerated;

/// <summary>One derivative, generated and by central finite differences.</summary>
/// <param name="Name">Which derivative, e.g. <c>dLoss/dw[0]</c>.</param>
/// <param name="Generated">The generated gradient's value.</param>
/// <param name="FiniteDifference">(f(x + h) − f(x − h)) / 2h.</param>
public sealed record GradientCheck(string Name, double Generated, double FiniteDifference)
{
    /// <summary>|generated − finite difference| / max(1, |finite difference|).</summary>
    public double RelativeDifference => Math.Abs(Generated - FiniteDifference) / Math.Max(1, Math.Abs(FiniteDifference));
}
