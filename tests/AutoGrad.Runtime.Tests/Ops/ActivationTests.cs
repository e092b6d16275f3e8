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
}
