using System;
using System.Linq;
using AutoGrad.Runtime.Tests.Support;
using Xunit;

namespace AutoGrad.Runtime.Tests.Ops;

public class ActivationTests
{
    private delegate void Into(ref Tensor? result, Tensor x, OpSite site);

    private delegate void Pullback(Tensor x, Tensor result, Tensor dResult, GradTarget dX, OpSite site);

    private const double SeluScale = 1.0507009873554804934193349852946;
    private const double SeluAlpha = 1.6732632423543772848170429916717;

    private static (Into Into, Pullback Pullback, Func<double, double> Reference) Op(string name) => name switch
    {
        "Sigmoid" => (Nn.SigmoidInto, Nn.SigmoidPullback, Reference.Sigmoid),
        "Tanh" => ((ref Tensor? r, Tensor x, OpSite s) => Nn.TanhInto(ref r, x, s), Nn.TanhPullback, Math.Tanh),
        "Relu" => (Nn.ReluInto, Nn.ReluPullback, v => Math.Max(v, 0)),
        "Elu" => (Nn.EluInto, Nn.EluPullback, v => v > 0 ? v : Math.Exp(v) - 1),
        "Selu" => (Nn.SeluInto, Nn.SeluPullback, v => SeluScale * (v > 0 ? v : SeluAlpha * (Math.Exp(v) - 1))),
        "Gelu" => (Nn.GeluInto, Nn.GeluPullback, v => v * 0.5 * (1 + Reference.Erf(v / Math.Sqrt(2)))),
        "Softplus" => (Nn.SoftplusInto, Nn.SoftplusPullback, Reference.Softplus),
        "Silu" => (Nn.SiluInto, Nn.SiluPullback, v => v * Reference.Sigmoid(v)),
        "LeakyRelu" => (
            (ref Tensor? r, Tensor x, OpSite s) => Nn.LeakyReluInto(ref r, x, 0.1f, s),
            (x, r, dr, dx, s) => Nn.LeakyReluPullback(x, 0.1f, r, dr, dx, s),
            v => v > 0 ? v : 0.1 * v),
        _ => throw new ArgumentException(name),
    };

    public static TheoryData<string> Names => new() { "Sigmoid", "Tanh", "Relu", "LeakyRelu", "Elu", "Selu", "Gelu", "Softplus", "Silu" };

    [Theory]
    [MemberData(nameof(Names))]
    public void PullbackMatchesFiniteDifferences(string name)
    {
        var (into, pullback, reference) = Op(name);
        // 7×37 = 259 elements: every vector width runs, plus a scalar tail.
        Tensor x = TestRandom.Tensor(5, 3f, 7, 37);
        Tensor? result = null;
        var site = new OpSite(name, "Act.cs", 3, "h");
        new GradientCheck
        {
            Inputs = [x],
            Reference = v => Reference.Map(v[0], reference),
            Forward = () =>
            {
                into(ref result, x, site);
                return result!.ToArray();
            },
            Pullback = (g, t) => pullback(x, result!, Tensor.FromValues(g, 7, 37), t[0], site),
            Tolerance = 2e-4,
        }.Run();
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void NonFiniteInputsPropagateWithoutThrowing(string name)
    {
        var (into, pullback, _) = Op(name);
        Tensor x = Tensor.FromValues([float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1f, -1f, 0f, 2f, -2f, 50f], 9);
        Tensor? result = null;
        var site = new OpSite(name, "Act.cs", 3);
        into(ref result, x, site);
        Assert.True(float.IsNaN(result![0]), $"{name}(NaN) should be NaN");
        Tensor dX = Tensor.Zeros(9);
        pullback(x, result, Tensor.FromValues(Enumerable.Repeat(1f, 9).ToArray(), 9), GradTarget.Overwrite(dX), site);
        Assert.All(dX.ToArray().Skip(3), v => Assert.True(float.IsFinite(v)));
    }

    /// <summary>
    /// Review helper-76: GELU and SiLU gave NaN at −∞ (x·Φ(x) is −∞·0) and NaN gradients at ±∞, where every other
    /// activation gives its limits. Lengths 1 and 37 take the scalar path and the vector paths with a tail.
    /// </summary>
    [Theory]
    [InlineData("Gelu", 1)]
    [InlineData("Gelu", 37)]
    [InlineData("Silu", 1)]
    [InlineData("Silu", 37)]
    public void GeluAndSiluHaveTheirLimitsAtInfinity(string name, int length)
    {
        var (into, pullback, _) = Op(name);
        foreach (float value in new[] { float.NegativeInfinity, float.PositiveInfinity })
        {
            float[] values = Enumerable.Range(0, length).Select(i => i % 2 == 0 ? value : 0.5f).ToArray();
            Tensor x = Tensor.FromValues(values, length);
            Tensor? result = null;
            var site = new OpSite(name, "Act.cs", 3);
            into(ref result, x, site);
            Tensor dX = Tensor.Zeros(length);
            pullback(x, result!, Tensor.FromValues(Enumerable.Repeat(1f, length).ToArray(), length), GradTarget.Overwrite(dX), site);
            for (int i = 0; i < length; i += 2)
            {
                Assert.Equal(value > 0 ? float.PositiveInfinity : 0f, result![i]);
                Assert.Equal(value > 0 ? 1f : 0f, dX[i]);
            }
            for (int i = 1; i < length; i += 2) Assert.True(float.IsFinite(result![i]) && float.IsFinite(dX[i]));
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void AnEmptyBatchGivesAnEmptyResultAndGradient(string name)
    {
        // TensorPrimitives.Sigmoid refuses empty spans; a zero-row batch is still valid input, as in PyTorch.
        var (into, pullback, _) = Op(name);
        Tensor x = Tensor.Zeros(0, 4);
        Tensor? result = null;
        var site = new OpSite(name, "Act.cs", 3);
        into(ref result, x, site);
        Assert.Equal(new[] { 0, 4 }, result!.Shape.ToArray());
        Tensor dX = Tensor.Zeros(0, 4);
        pullback(x, result, Tensor.Zeros(0, 4), GradTarget.Overwrite(dX), site);
        Assert.Equal(0, dX.Length);
    }

    [Fact]
    public void GeluKeepsItsRelativeAccuracyInTheLowerTail()
    {
        // (1 + erf(x/√2)) / 2 kept erf's absolute accuracy only: GELU read 4% off at x = −5 and −0 from x = −6.
        // x² of -11.336, -9.37 and -7.77 are not floats: exp(−x²/2) of the rounded square was 9e-6 off at -11.336 (helper-91).
        float[] xs = [-2f, -2.5f, -3f, -4f, -5f, -5.5f, -6f, -7.77f, -8f, -9.37f, -10f, -11.336f, -12f, -30f, -1e20f, -3e38f];
        // Every vector width and the scalar tail: 16 copies and one more.
        float[] values = Enumerable.Range(0, 17).SelectMany(_ => xs).ToArray();
        Tensor? y = null;
        Nn.GeluInto(ref y, Tensor.FromValues(values, values.Length), new OpSite("Gelu", "", 0));
        for (int i = 0; i < values.Length; i++)
        {
            double x = values[i], exact = x * LowerTailCdf(-x);
            Assert.True(Math.Abs(y![i] - exact) <= 1e-6 * Math.Abs(exact) + 1.5e-45, $"GELU({x}) = {y[i]}, exactly {exact}");
        }

        // Φ(−t) = φ(t)·m(t), Mills' ratio by its continued fraction to 200 terms, in double.
        static double LowerTailCdf(double t)
        {
            double fraction = t;
            for (int k = 200; k >= 1; k--) fraction = t + k / fraction;
            return Math.Exp(-t * t / 2) / Math.Sqrt(2 * Math.PI) / fraction;
        }
    }

    [Fact]
    public void ResultIsReusedWhenTheShapeMatches()
    {
        Tensor x = TestRandom.Tensor(1, 4, 5);
        Tensor? result = null;
        var site = new OpSite("Tanh", "Act.cs", 1);
        Nn.TanhInto(ref result, x, site);
        Tensor first = result!;
        Nn.TanhInto(ref result, x, site);
        Assert.Same(first, result);
        Nn.TanhInto(ref result, TestRandom.Tensor(1, 2, 5), site);
        Assert.NotSame(first, result);
    }

    [Fact]
    public void SeluAndEluAtAndNearZeroHaveTheirValuesAndTheLeftDerivativeAtZero()
    {
        // 48 values, so the vector paths run: TensorPrimitives.ExpM1 gave +1.19e-7 at 0, and SELU's pullback, which
        // reads the output's sign, then used λ instead of λα (as PyTorch does at 0).
        float[] values = [0f, -0f, -1e-8f, 1e-8f, -1e-6f, -1e-3f, -0.02f, 0.02f, -0.5f, 0.5f, -3f, 3f];
        float[] x = Enumerable.Range(0, 48).Select(i => values[i % values.Length]).ToArray();
        var site = new OpSite("Selu", "Act.cs", 1);
        foreach (string name in new[] { "Selu", "Elu" })
        {
            var (into, pullback, reference) = Op(name);
            Tensor input = Tensor.FromValues(x, 48);
            Tensor? result = null;
            into(ref result, input, site);
            for (int i = 0; i < 48; i++)
            {
                double expected = reference(x[i]);
                Assert.True(Math.Abs(result![i] - expected) <= 1e-6 * Math.Abs(expected) + 1e-30, $"{name}({x[i]}) = {result[i]}, expected {expected}");
            }
            Tensor dX = Tensor.Zeros(48);
            pullback(input, result!, Tensor.FromValues(Enumerable.Repeat(1f, 48).ToArray(), 48), GradTarget.Overwrite(dX), site);
            double left = name == "Selu" ? SeluScale * SeluAlpha : 1.0;
            Assert.Equal(left, dX[0], 1e-6);
            Assert.Equal(left, dX[1], 1e-6);
        }
    }

    [Fact]
    public void SoftplusKeepsItsDigitsForLargeNegativeInputs()
    {
        // log(1 + t) as it stands loses t when t = e^(−|x|) is small: softplus(−17) was 0 and softplus(−12) 0.9% off.
        float[] values = [-30f, -20f, -17f, -15f, -12f, -10f, -6f, -1f, 0f, 1f, 6f, 20f];
        float[] x = Enumerable.Range(0, 48).Select(i => values[i % values.Length]).ToArray();
        Tensor? result = null;
        Nn.SoftplusInto(ref result, Tensor.FromValues(x, 48), new OpSite("Softplus", "Act.cs", 1));
        for (int i = 0; i < 48; i++)
        {
            double t = Math.Exp(-Math.Abs((double)x[i]));
            double expected = Math.Max(x[i], 0) + (t < 1e-5 ? t - t * t / 2 : Math.Log(1 + t));
            Assert.True(Math.Abs(result![i] - expected) <= 2e-7 * expected, $"softplus({x[i]}) = {result[i]}, expected {expected}");
        }
    }

    [Fact]
    public void EluFamilyIsAccurateOverTheNegativeRangeAndItsDerivativeDoesNotCancel()
    {
        // Every 1/1024 from −20 to 0, so each vector width and the series' bound at ln 2 are crossed.
        float[] x = Enumerable.Range(0, 20 * 1024 + 1).Select(i => -20f + i / 1024f).ToArray();
        int n = x.Length;
        foreach (string name in new[] { "Selu", "Elu" })
        {
            var (into, pullback, _) = Op(name);
            double scale = name == "Selu" ? SeluScale : 1, alpha = name == "Selu" ? SeluAlpha : 1;
            Tensor input = Tensor.FromValues(x, n);
            Tensor? result = null;
            var site = new OpSite(name, "Act.cs", 1);
            into(ref result, input, site);
            Tensor dX = Tensor.Zeros(n);
            pullback(input, result!, Tensor.FromValues(Enumerable.Repeat(1f, n).ToArray(), n), GradTarget.Overwrite(dX), site);
            for (int i = 0; i < n; i++)
            {
                // expm1 in double: exp(x) − 1 loses nothing in double at float inputs' magnitudes that matter here.
                double v = x[i], expm1 = Math.Abs(v) < 1e-5 ? v + v * v / 2 : Math.Exp(v) - 1;
                double y = scale * alpha * expm1, dy = scale * alpha * Math.Exp(v);
                Assert.True(Math.Abs(result![i] - y) <= 3e-7 * Math.Abs(y) + 1e-45, $"{name}({v}) = {result[i]}, expected {y}");
                Assert.True(Math.Abs(dX[i] - dy) <= 3e-7 * dy, $"{name}'({v}) = {dX[i]}, expected {dy}");
                if (i > 0) Assert.True(result[i] >= result[i - 1], $"{name} decreases between {x[i - 1]} and {v}");
            }
        }
    }
}
