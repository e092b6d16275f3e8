using System;
using AutoGrad.Runtime.Tests.Support;
using Xunit;

namespace AutoGrad.Runtime.Tests.Ops;

public class LinearActivationTests
{
    [Theory]
    [InlineData(FusedActivation.Relu, 2)]
    [InlineData(FusedActivation.Tanh, 7)]
    [InlineData(FusedActivation.Sigmoid, 16)]
    public void MatchesFiniteDifferences(FusedActivation activation, int batch)
    {
        const int Inputs = 30, Outputs = 45;
        Func<double, double> f = activation switch
        {
            FusedActivation.Relu => v => Math.Max(v, 0),
            FusedActivation.Tanh => Math.Tanh,
            _ => Reference.Sigmoid,
        };
        Tensor x = TestRandom.Tensor(1, batch, Inputs), w = TestRandom.Tensor(2, 0.3f, Outputs, Inputs), b = TestRandom.Tensor(3, Outputs);
        Tensor? result = null;
        var site = new OpSite("LinearActivation", "T.cs", 1, "x", "w", "b", "activation");
        new GradientCheck
        {
            Inputs = [x, w, b],
            Reference = v => Reference.Map(Reference.MatMulNT(v[0], v[1], batch, Inputs, Outputs, v[2]), f),
            Forward = () =>
            {
                Nn.LinearActivationInto(ref result, x, w, b, activation, site);
                return result!.ToArray();
            },
            Pullback = (g, t) => Nn.LinearActivationPullback(
                x, w, b, activation, result!, Tensor.FromValues(g, batch, Outputs), t[0], t[1], t[2], site),
        }.Run();
    }

    [Fact]
    public void EqualsTheUnfusedComposition()
    {
        Tensor x = TestRandom.Tensor(1, 8, 20), w = TestRandom.Tensor(2, 12, 20), b = TestRandom.Tensor(3, 12);
        Assert.Equal(Nn.Relu(Nn.Linear(x, w, b)).ToArray(), Nn.LinearActivation(x, w, b, FusedActivation.Relu).ToArray());
        Assert.Equal(Nn.Tanh(Nn.Linear(x, w, b)).ToArray(), Nn.LinearActivation(x, w, b, FusedActivation.Tanh).ToArray());
    }
}
