using System;

namespace AutoGrad.Tests.Scalar;

/// <summary>Every supported Math and MathF function.</summary>
public static partial class MathFunctions
{
    [Differentiable] public static double Exp(double x) => Math.Exp(x);
    [Differentiable] public static double Log(double x) => Math.Log(x);
    [Differentiable] public static double Log10(double x) => Math.Log10(x);
    [Differentiable] public static double Log2(double x) => Math.Log2(x);
    [Differentiable] public static double Sqrt(double x) => Math.Sqrt(x);
    [Differentiable] public static double Cbrt(double x) => Math.Cbrt(x);
    [Differentiable] public static double Pow(double x, double y) => Math.Pow(x, y);
    [Differentiable] public static double PowSquare(double x) => Math.Pow(x, 2);
    [Differentiable] public static double PowZero(double x) => Math.Pow(x, 0) + x;

    /// <summary>Σ cᵢ xⁱ with the exponent a loop counter: the i = 0 term's derivative was 0 · 0⁻¹ = NaN at x = 0.</summary>
    [Differentiable]
    public static double Polynomial(double[] c, double x)
    {
        double s = 0;
        for (int i = 0; i < c.Length; i++) s += c[i] * Math.Pow(x, i);
        return s;
    }
    [Differentiable] public static double Sin(double x) => Math.Sin(x);
    [Differentiable] public static double Cos(double x) => Math.Cos(x);
    [Differentiable] public static double Tan(double x) => Math.Tan(x);
    [Differentiable] public static double Asin(double x) => Math.Asin(x);
    [Differentiable] public static double Acos(double x) => Math.Acos(x);
    [Differentiable] public static double Atan(double x) => Math.Atan(x);
    [Differentiable] public static double Atan2(double y, double x) => Math.Atan2(y, x);
    [Differentiable] public static double Sinh(double x) => Math.Sinh(x);
    [Differentiable] public static double Cosh(double x) => Math.Cosh(x);
    [Differentiable] public static double Tanh(double x) => Math.Tanh(x);
    [Differentiable] public static double Abs(double x) => Math.Abs(x) * x;
    [Differentiable] public static double Max(double x, double y) => Math.Max(x * x, y);
    [Differentiable] public static double Min(double x, double y) => Math.Min(x * x, y);
    [Differentiable] public static double Clamp(double x, double lo, double hi) => Math.Clamp(x, lo, hi) * 2;
    [Differentiable] public static double Fma(double x, double y, double z) => Math.FusedMultiplyAdd(x, y, z * z);
    [Differentiable] public static double PiecewiseConstant(double x) =>
        Math.Floor(x) + Math.Ceiling(x) + Math.Round(x) + Math.Sign(x) + Math.Truncate(x) + x;
    [Differentiable] public static double Composite(double x, double y) =>
        Math.Exp(Math.Sin(x * y)) / Math.Sqrt(1 + Math.Pow(Math.Tanh(x - y), 2)) + Math.Log(1 + Math.Exp(-x));

    [Differentiable] public static float ExpF(float x) => MathF.Exp(x) + MathF.Log(x) + MathF.Sqrt(x) + MathF.Cbrt(x);
    [Differentiable] public static float TrigF(float x) => MathF.Sin(x) * MathF.Cos(x) + MathF.Tan(x) + MathF.Atan(x) + MathF.Asin(x / 4) + MathF.Acos(x / 4);
    [Differentiable] public static double InverseHyperbolic(double x) => Math.Asinh(3 * x) + Math.Acosh(1.5 + x * x) + Math.Atanh(x / 2);
    [Differentiable] public static float InverseHyperbolicF(float x) => MathF.Asinh(3 * x) + MathF.Acosh(1.5f + x * x) + MathF.Atanh(x / 2);
    [Differentiable] public static double Asinh(double x) => Math.Asinh(x);
    [Differentiable] public static float AsinhF(float x) => MathF.Asinh(x);
    [Differentiable] public static float Atan2F(float y, float x) => MathF.Atan2(y, x);
    [Differentiable] public static double Atan2OfFloats(float y, float x) => Math.Atan2(y, x);
    [Differentiable] public static double Acosh(double x) => Math.Acosh(x);
    [Differentiable] public static float AcoshF(float x) => MathF.Acosh(x);
    [Differentiable] public static float HyperbolicF(float x, float y) => MathF.Tanh(x) + MathF.Sinh(y) * MathF.Cosh(x) + MathF.Atan2(y, x);
    [Differentiable] public static float MiscF(float x, float y) =>
        MathF.Pow(x, y) + MathF.Abs(y) + MathF.Max(x, y) + MathF.Min(x, y) + MathF.Log10(x) + MathF.Log2(x) + MathF.FusedMultiplyAdd(x, y, x);
    [Differentiable] public static double MathOnFloat(float x) => Math.Exp(x) * x;
}
