using System;
using System.ComponentModel;
using System.Numerics;

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
    public static double ByY(double y, double x) => Scaled(x, y);

    /// <summary>∂atan2(y, x)/∂x = −y / (x² + y²).</summary>
    public static double ByX(double y, double x) => -Scaled(y, x);

    /// <summary>∂atan2(y, x)/∂y = x / (x² + y²).</summary>
    public static float ByY(float y, float x) => Scaled(x, y);

    /// <summary>∂atan2(y, x)/∂x = −y / (x² + y²).</summary>
    public static float ByX(float y, float x) => -Scaled(y, x);

    /// <summary>
    /// <paramref name="a"/> / (a² + b²), with both divided by max(|a|, |b|) first and the scale divided out last (a
    /// product of it with the sum overflowed where the result is a subnormal float). 0 with one argument infinite.
    /// </summary>
    private static T Scaled<T>(T a, T b) where T : IFloatingPointIeee754<T>
    {
        T m = T.Max(T.Abs(a), T.Abs(b));
        if (T.IsPositiveInfinity(m)) return T.IsInfinity(a) && T.IsInfinity(b) ? T.NaN : T.CopySign(T.Zero, a);
        T sa = a / m, sb = b / m;
        return sa / (sa * sa + sb * sb) / m;
    }
}
