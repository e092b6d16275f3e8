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

    [Theory]
    [InlineData(FusedActivation.Relu)]
    [InlineData(FusedActivation.Tanh)]
    [InlineData(FusedActivation.Sigmoid)]
    public void AnEmptyBatchGivesAnEmptyResultAndZeroParameterGradients(FusedActivation activation)
    {
        Tensor x = Tensor.Zeros(0, 5), w = TestRandom.Tensor(2, 3, 5), b = TestRandom.Tensor(3, 3);
        Tensor y = Nn.LinearActivation(x, w, b, activation);
        Assert.Equal(new[] { 0, 3 }, y.Shape.ToArray());
        Tensor dW = Tensor.FromValues(new float[15], 3, 5), dB = Tensor.FromValues([9, 9, 9], 3);
        dW.Span.Fill(9);
        Nn.LinearActivationPullback(x, w, b, activation, y, Tensor.Zeros(0, 3), GradTarget.Overwrite(Tensor.Zeros(0, 5)),
            GradTarget.Overwrite(dW), GradTarget.Overwrite(dB), new OpSite("LinearActivation", "T.cs", 1));
        Assert.All(dW.ToArray(), v => Assert.Equal(0f, v));
        Assert.All(dB.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void EqualsTheUnfusedComposition()
    {
        Tensor x = TestRandom.Tensor(1, 8, 20), w = TestRandom.Tensor(2, 12, 20), b = TestRandom.Tensor(3, 12);
        Assert.Equal(Nn.Relu(Nn.Linear(x, w, b)).ToArray(), Nn.LinearActivation(x, w, b, FusedActivation.Relu).ToArray());
        Assert.Equal(Nn.Tanh(Nn.Linear(x, w, b)).ToArray(), Nn.LinearActivation(x, w, b, FusedActivation.Tanh).ToArray());
    }
}
