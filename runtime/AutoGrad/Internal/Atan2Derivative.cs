using System;
using System.ComponentModel;

namespace AutoGrad.Internal;

/// <summary>
/// The partial derivatives of <c>atan2(y, x)</c> for generated code: ∂/∂y = x / (x² + y²), ∂/∂x = −y / (x² + y²),
/// computed with x and y divided by max(|x|, |y|). Written out, the squares overflow or underflow long before the
/// derivatives do (below about 1e-19 or above 1e19 in float): (1e-23, 2e-23) gave ±∞ for 4e22 and −2e22, and
/// (1e20, 1e20) gave 0 for ±5e-21. With one argument infinite both are 0, their limits; at the origin and with both
/// infinite they are NaN, as the unscaled form and PyTorch give.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Atan2Derivative
{
    /// <summary>∂atan2(y, x)/∂y = x / (x² + y²).</summary>
    public static double ByY(double y, double x)
    {
        double m = Math.Max(Math.Abs(x), Math.Abs(y)), xs = x / m, ys = y / m;
        if (double.IsPositiveInfinity(m)) return double.IsInfinity(x) && double.IsInfinity(y) ? double.NaN : Math.CopySign(0.0, x);
        return xs / (xs * xs + ys * ys) / m;
    }

    /// <summary>∂atan2(y, x)/∂x = −y / (x² + y²).</summary>
    public static double ByX(double y, double x)
    {
        double m = Math.Max(Math.Abs(x), Math.Abs(y)), xs = x / m, ys = y / m;
        if (double.IsPositiveInfinity(m)) return double.IsInfinity(x) && double.IsInfinity(y) ? double.NaN : Math.CopySign(0.0, -y);
        return -ys / (xs * xs + ys * ys) / m;
    }

    /// <summary>∂atan2(y, x)/∂y = x / (x² + y²).</summary>
    public static float ByY(float y, float x)
    {
        float m = MathF.Max(MathF.Abs(x), MathF.Abs(y)), xs = x / m, ys = y / m;
        if (float.IsPositiveInfinity(m)) return float.IsInfinity(x) && float.IsInfinity(y) ? float.NaN : MathF.CopySign(0f, x);
        return xs / (xs * xs + ys * ys) / m;
    }

    /// <summary>∂atan2(y, x)/∂x = −y / (x² + y²).</summary>
    public static float ByX(float y, float x)
    {
        float m = MathF.Max(MathF.Abs(x), MathF.Abs(y)), xs = x / m, ys = y / m;
        if (float.IsPositiveInfinity(m)) return float.IsInfinity(x) && float.IsInfinity(y) ? float.NaN : MathF.CopySign(0f, -y);
        return -ys / (xs * xs + ys * ys) / m;
    }
}
