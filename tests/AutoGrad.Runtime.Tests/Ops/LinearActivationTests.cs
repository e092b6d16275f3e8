using System;
using AutoGrad.Runtime.Tests.Support;
using Xunit;

namespace AutoGrad.Runtime.Tests.Ops;

public class LinearActivationTests
{
    [Theory]
    [InlineData(FusedActivation.Relu, 2, 45)]
    [InlineData(FusedActivation.Tanh, 7, 45)]
    [InlineData(FusedActivation.Sigmoid, 16, 45)]
    [InlineData(FusedActivation.Tanh, 5, 64)] // whole vectors of outputs: the bias gradient is summed with dZ
    [InlineData(FusedActivation.Relu, 3, 32)]
    public void MatchesFiniteDifferences(FusedActivation activation, int batch, int outputs)
    {
        const int Inputs = 30;
        Func<double, double> f = activation switch
        {
            FusedActivation.Relu => v => Math.Max(v, 0),
            FusedActivation.Tanh => Math.Tanh,
            _ => Reference.Sigmoid,
        };
        Tensor x = TestRandom.Tensor(1, batch, Inputs), w = TestRandom.Tensor(2, 0.3f, outputs, Inputs), b = TestRandom.Tensor(3, outputs);
        Tensor? result = null;
        var site = new OpSite("LinearActivation", "T.cs", 1, "x", "w", "b", "activation");
        new GradientCheck
        {
            Inputs = [x, w, b],
            Reference = v => Reference.Map(Reference.MatMulNT(v[0], v[1], batch, Inputs, outputs, v[2]), f),
            Forward = () =>
            {
                Nn.LinearActivationInto(ref result, x, w, b, activation, site);
                return result!.ToArray();
            },
            Pullback = (g, t) => Nn.LinearActivationPullback(
                x, w, b, activation, result!, Tensor.FromValues(g, batch, outputs), t[0], t[1], t[2], site),
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
