using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Tensors;

/// <summary>Binary ops with the vector first: <c>v − h</c> row by row, as PyTorch broadcasts.</summary>
public static partial class VectorFirst
{
    [Differentiable]
    public static float Loss(Tensor v, Tensor h, Tensor s)
    {
        var d = Nn.Sub(v, Nn.Tanh(h));
        var g = Nn.Mul(s, Nn.Add(v, d));
        return Nn.Sum(Nn.Mul(g, g));
    }
}

public class VectorFirstBroadcastTests
{
    private static Tensor Random(int seed, params int[] shape) =>
        Tensor.FromValues(GradCheck.RandomFloat(shape.Aggregate(1, (a, d) => a * d), seed, -0.8f, 0.8f), shape);

    [Fact]
    public void AVectorFirstOperandBroadcastsOverTheRowsOfTheSecond()
    {
        Tensor v = Random(1, 5), h = Random(2, 3, 5), s = Random(3, 5);
        Tensor dV = Tensor.Zeros(5), dH = Tensor.Zeros(3, 5), dS = Tensor.Zeros(5);
        float loss = VectorFirst.LossGradient(v, h, s, dV, dH, dS);
        double expected = 0;
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 5; c++)
            {
                double g = s[c] * (v[c] + (v[c] - System.Math.Tanh(h[r * 5 + c])));
                expected += g * g;
            }
        }
        Assert.Equal(expected, loss, 4);
        GradCheck.Tensors([v, h, s], [dV, dH, dS], () => VectorFirst.Loss(v, h, s));
    }
}
