using System;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Scalar;

public class MathFunctionTests
{
    private static void Unary(Func<double, double> f, GradientOf1 g, params double[] points)
    {
        foreach (double x in points)
        {
            GradCheck.Double(t => f(t[0]), t => (g(t[0], out double d), new[] { d }), new[] { x });
        }
    }

    private delegate double GradientOf1(double x, out double dx);

    [Fact] public void Exp() => Unary(MathFunctions.Exp, MathFunctions.ExpGradient, -1.2, 0.3, 2.5);
    [Fact] public void Log() => Unary(MathFunctions.Log, MathFunctions.LogGradient, 0.2, 1.0, 7.5);
    [Fact] public void Log10() => Unary(MathFunctions.Log10, MathFunctions.Log10Gradient, 0.2, 3.0);
    [Fact] public void Log2() => Unary(MathFunctions.Log2, MathFunctions.Log2Gradient, 0.2, 3.0);
    [Fact] public void Sqrt() => Unary(MathFunctions.Sqrt, MathFunctions.SqrtGradient, 0.3, 4.0);
    [Fact] public void Cbrt() => Unary(MathFunctions.Cbrt, MathFunctions.CbrtGradient, -2.0, 0.3, 8.0);
    [Fact] public void PowSquare() => Unary(MathFunctions.PowSquare, MathFunctions.PowSquareGradient, -1.5, 0.7);
    [Fact] public void Sin() => Unary(MathFunctions.Sin, MathFunctions.SinGradient, -2.0, 0.5, 3.0);
    [Fact] public void Cos() => Unary(MathFunctions.Cos, MathFunctions.CosGradient, -2.0, 0.5, 3.0);
    [Fact] public void Tan() => Unary(MathFunctions.Tan, MathFunctions.TanGradient, -1.0, 0.5, 1.2);
    [Fact] public void Asin() => Unary(MathFunctions.Asin, MathFunctions.AsinGradient, -0.7, 0.1, 0.9);
    [Fact] public void Acos() => Unary(MathFunctions.Acos, MathFunctions.AcosGradient, -0.7, 0.1, 0.9);
    [Fact] public void Atan() => Unary(MathFunctions.Atan, MathFunctions.AtanGradient, -3.0, 0.4, 2.0);
    [Fact] public void Sinh() => Unary(MathFunctions.Sinh, MathFunctions.SinhGradient, -1.3, 0.4, 2.0);
    [Fact] public void Cosh() => Unary(MathFunctions.Cosh, MathFunctions.CoshGradient, -1.3, 0.4, 2.0);
    [Fact] public void Tanh() => Unary(MathFunctions.Tanh, MathFunctions.TanhGradient, -1.3, 0.4, 2.0);
    [Fact] public void Abs() => Unary(MathFunctions.Abs, MathFunctions.AbsGradient, -1.3, 0.4);

    [Fact]
    public void PiecewiseConstantFunctionsHaveZeroGradient()
    {
        MathFunctions.PiecewiseConstantGradient(1.3, out double d);
        Assert.Equal(1.0, d); // only the trailing "+ x" contributes
    }

    [Fact]
    public void AbsAtZeroHasZeroSubgradient()
    {
        MathFunctions.AbsGradient(0.0, out double d);
        Assert.Equal(0.0, d);
    }

    /// <summary>Review helper-54: the README promised the inverse hyperbolic functions, and they were AG0007.</summary>
    [Theory]
    [InlineData(0.3)]
    [InlineData(-1.2)]
    [InlineData(1.1)]
    public void InverseHyperbolic(double x)
    {
        GradCheck.Double(t => MathFunctions.InverseHyperbolic(t[0]), t => (MathFunctions.InverseHyperbolicGradient(t[0], out double d), new[] { d }), new[] { x });
        GradCheck.Float(t => MathFunctions.InverseHyperbolicF(t[0]), t => (MathFunctions.InverseHyperbolicFGradient(t[0], out float d), new[] { d }), new[] { (float)x });
    }

    /// <summary>
    /// Their derivatives are about 1/x for large x. Written with x^2 they overflowed to a gradient of 0 past
    /// |x| = 1.3e154 (double) and 1.8e19 (float); both sides of the switch to 1/|x| must agree with the closed form.
    /// </summary>
    [Theory]
    [InlineData(2.0)]
    [InlineData(9e4)]
    [InlineData(2e5)]
    [InlineData(9e8)]
    [InlineData(2e9)]
    [InlineData(1e17)]
    [InlineData(1e30)]
    [InlineData(1e200)]
    [InlineData(1e308)]
    public void InverseHyperbolicDerivativesHoldForLargeArguments(double x)
    {
        // Closed forms in a form that cannot overflow: 1/sqrt(x^2 ± 1) = (1/x) / sqrt(1 ± 1/x^2) for x > 1.
        double inverse = 1 / x;
        double asinh = inverse / Math.Sqrt(1 + inverse * inverse), acosh = inverse / Math.Sqrt(1 - inverse * inverse);
        foreach (double sign in new[] { 1.0, -1.0 })
        {
            MathFunctions.AsinhGradient(sign * x, out double d);
            Assert.Equal(asinh, d, asinh * 1e-15);
        }
        MathFunctions.AcoshGradient(x, out double dc);
        Assert.Equal(acosh, dc, acosh * 1e-15);
        if (x < float.MaxValue)
        {
            foreach (float sign in new[] { 1f, -1f })
            {
                MathFunctions.AsinhFGradient(sign * (float)x, out float f);
                double expected = 1 / Math.Sqrt((double)(float)x * (float)x + 1);
                Assert.Equal(expected, f, expected * 1e-6);
            }
            MathFunctions.AcoshFGradient((float)x, out float fc);
            double expectedAcosh = 1 / Math.Sqrt(((double)(float)x - 1) * ((double)(float)x + 1));
            Assert.Equal(expectedAcosh, fc, expectedAcosh * 1e-6);
        }
    }

    [Theory]
    [InlineData(1.7, 2.3)]
    [InlineData(0.4, -1.5)]
    public void Pow(double x, double y) => GradCheck.Double(
        t => MathFunctions.Pow(t[0], t[1]),
        t => (MathFunctions.PowGradient(t[0], t[1], out double dx, out double dy), new[] { dx, dy }),
        new[] { x, y });

    [Fact]
    public void PowToTheZeroHasAZeroDerivativeAtZeroAsPyTorchGives()
    {
        MathFunctions.PowZeroGradient(0.0, out double dx);
        Assert.Equal(1.0, dx);
        double[] c = { 1.0, 2.0, 3.0 }, dC = new double[3];
        MathFunctions.PolynomialGradient(c, 0.0, dC, out double dPoly);
        Assert.Equal(2.0, dPoly); // c₁
        Assert.Equal(new[] { 1.0, 0.0, 0.0 }, dC);
        GradCheck.Double(
            t => MathFunctions.Polynomial(new[] { t[0], t[1], t[2] }, t[3]),
            t =>
            {
                var d = new double[3];
                double v = MathFunctions.PolynomialGradient(new[] { t[0], t[1], t[2] }, t[3], d, out double dt);
                return (v, new[] { d[0], d[1], d[2], dt });
            },
            new[] { 1.0, 2.0, 3.0, 0.8 });
    }

    [Fact]
    public void PowExponentGradientIsZeroAtZeroBase()
    {
        MathFunctions.PowGradient(0.0, 2.0, out double dx, out double dy);
        Assert.Equal(0.0, dx);
        Assert.Equal(0.0, dy);
    }

    [Theory]
    [InlineData(0.5, 1.5)]
    [InlineData(-0.5, -1.5)]
    [InlineData(1.5, -0.5)]
    public void Atan2(double y, double x) => GradCheck.Double(
        t => MathFunctions.Atan2(t[0], t[1]),
        t => (MathFunctions.Atan2Gradient(t[0], t[1], out double dy, out double dx), new[] { dy, dx }),
        new[] { y, x });

    /// <summary>
    /// Review helper-89: the partials were x/(x²+y²) and -y/(x²+y²) written out, whose squares overflow or underflow where
    /// the partials are ordinary numbers: (1e-23, 2e-23) gave ±∞ in float for 4e22 and -2e22, (1e20, 1e20) gave 0.
    /// </summary>
    [Theory]
    [InlineData(1e-23, 2e-23)]
    [InlineData(3e-30, -1e-30)]
    [InlineData(1e-20, 1e-20)]
    [InlineData(1e20, 1e20)]
    [InlineData(-2e30, 5e29)]
    [InlineData(0.5, 1.5)]
    public void Atan2PartialsHoldAtScalesWhereTheirSquaresDoNot(double y, double x)
    {
        float yf = (float)y, xf = (float)x;
        double r2 = (double)xf * xf + (double)yf * yf; // exact enough in double at these scales
        double expectedY = xf / r2, expectedX = -yf / r2;
        MathFunctions.Atan2FGradient(yf, xf, out float dy, out float dx);
        Assert.Equal(expectedY, dy, Math.Abs(expectedY) * 1e-6);
        Assert.Equal(expectedX, dx, Math.Abs(expectedX) * 1e-6);

        double yd = y * 1e130, xd = x * 1e130; // past 1e154 squared in double too
        double scale = Math.Max(Math.Abs(xd), Math.Abs(yd));
        double ys = yd / scale, xs = xd / scale;
        MathFunctions.Atan2Gradient(yd, xd, out double ddy, out double ddx);
        Assert.Equal(xs / (xs * xs + ys * ys) / scale, ddy, Math.Abs(ddy) * 1e-14);
        Assert.Equal(-ys / (xs * xs + ys * ys) / scale, ddx, Math.Abs(ddx) * 1e-14);

        // Math.Atan2 of floats computes in double, and so do its partials.
        MathFunctions.Atan2OfFloatsGradient(yf, xf, out float fy, out float fx);
        Assert.Equal(expectedY, fy, Math.Abs(expectedY) * 1e-6);
        Assert.Equal(expectedX, fx, Math.Abs(expectedX) * 1e-6);
    }

    /// <summary>Review helper-92: with one argument infinite the scaled partials read ∞/∞ = NaN where their limits, and
    /// the unscaled formula's values, are 0.</summary>
    [Fact]
    public void Atan2PartialsAreZeroWhereOneArgumentIsInfinite()
    {
        foreach (double inf in new[] { double.PositiveInfinity, double.NegativeInfinity })
        {
            MathFunctions.Atan2Gradient(inf, 1.0, out double dy, out double dx);
            Assert.Equal(0.0, dy);
            Assert.Equal(0.0, dx);
            MathFunctions.Atan2Gradient(1.0, inf, out dy, out dx);
            Assert.Equal(0.0, dy);
            Assert.Equal(0.0, dx);
            MathFunctions.Atan2FGradient((float)inf, 2f, out float fy, out float fx);
            Assert.Equal(0f, fy);
            Assert.Equal(0f, fx);
        }
        MathFunctions.Atan2Gradient(double.PositiveInfinity, double.NegativeInfinity, out double both, out _);
        Assert.True(double.IsNaN(both));

        // Review helper-95: m·(xs² + ys²) overflowed where the partials are subnormal floats (±1.67e-39 at 3e38).
        MathFunctions.Atan2FGradient(3e38f, 3e38f, out float sy, out float sx);
        Assert.Equal(1.0 / 6e38, sy, 1e-43);
        Assert.Equal(-1.0 / 6e38, sx, 1e-43);
        Assert.NotEqual(0f, sy);
    }

    [Theory]
    [InlineData(1.5, 0.7)]   // first argument larger
    [InlineData(0.5, 0.7)]   // second larger
    public void MaxAndMin(double x, double y)
    {
        GradCheck.Double(t => MathFunctions.Max(t[0], t[1]),
            t => (MathFunctions.MaxGradient(t[0], t[1], out double dx, out double dy), new[] { dx, dy }), new[] { x, y });
        GradCheck.Double(t => MathFunctions.Min(t[0], t[1]),
            t => (MathFunctions.MinGradient(t[0], t[1], out double dx, out double dy), new[] { dx, dy }), new[] { x, y });
    }

    [Theory]
    [InlineData(0.3, -1.0, 1.0)]  // inside
    [InlineData(-2.0, -1.0, 1.0)] // below: the lower bound takes the gradient
    [InlineData(2.0, -1.0, 1.0)]  // above
    public void Clamp(double x, double lo, double hi) => GradCheck.Double(
        t => MathFunctions.Clamp(t[0], t[1], t[2]),
        t => (MathFunctions.ClampGradient(t[0], t[1], t[2], out double dx, out double dlo, out double dhi), new[] { dx, dlo, dhi }),
        new[] { x, lo, hi });

    [Fact]
    public void FusedMultiplyAdd() => GradCheck.Double(
        t => MathFunctions.Fma(t[0], t[1], t[2]),
        t => (MathFunctions.FmaGradient(t[0], t[1], t[2], out double dx, out double dy, out double dz), new[] { dx, dy, dz }),
        new[] { 0.3, -1.2, 2.2 });

    [Theory]
    [InlineData(0.3, 0.9)]
    [InlineData(-1.1, 0.2)]
    public void Composite(double x, double y) => GradCheck.Double(
        t => MathFunctions.Composite(t[0], t[1]),
        t => (MathFunctions.CompositeGradient(t[0], t[1], out double dx, out double dy), new[] { dx, dy }),
        new[] { x, y });

    [Fact]
    public void MathFFunctions()
    {
        GradCheck.Float(t => MathFunctions.ExpF(t[0]), t => (MathFunctions.ExpFGradient(t[0], out float d), new[] { d }), new[] { 1.3f });
        GradCheck.Float(t => MathFunctions.TrigF(t[0]), t => (MathFunctions.TrigFGradient(t[0], out float d), new[] { d }), new[] { 0.6f });
        GradCheck.Float(t => MathFunctions.HyperbolicF(t[0], t[1]),
            t => (MathFunctions.HyperbolicFGradient(t[0], t[1], out float dx, out float dy), new[] { dx, dy }), new[] { 0.6f, -0.4f });
        GradCheck.Float(t => MathFunctions.MiscF(t[0], t[1]),
            t => (MathFunctions.MiscFGradient(t[0], t[1], out float dx, out float dy), new[] { dx, dy }), new[] { 1.6f, 0.7f });
    }

    [Fact]
    public void DoubleMathOnFloatParameter()
    {
        float x = 0.8f;
        MathFunctions.MathOnFloatGradient(x, out float dx);
        Assert.Equal((Math.Exp(x) * x + Math.Exp(x)), dx, 5);
    }
}
