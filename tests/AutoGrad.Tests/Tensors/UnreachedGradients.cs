using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Tensors;

/// <summary>
/// A parameter whose gradient the call never reaches (a branch not taken): the generated backward pass writes no
/// contribution to it, so it must clear the caller's buffer, which still holds the last step's gradient.
/// </summary>
public static partial class OptionalLayer
{
    [Differentiable]
    public static float Loss(Tensor w1, Tensor w2, [NoGrad] Tensor x, [NoGrad] bool second)
    {
        var h = Nn.Tanh(Nn.MatMul(x, w1));
        if (second)
        {
            h = Nn.Tanh(Nn.MatMul(h, w2));
        }
        return Nn.Sum(h);
    }
}

/// <summary>A <c>Tensor[]</c> whose last element only a branch reads: calls that skip the branch need not pass it.</summary>
public static partial class OptionalArrayLayer
{
    [Differentiable]
    public static float Loss(Tensor[] w, [NoGrad] Tensor x, [NoGrad] bool third)
    {
        var h = x;
        for (int l = 0; l < 2; l++)
        {
            h = Nn.Tanh(Nn.MatMul(h, w[l]));
        }
        if (third)
        {
            h = Nn.Tanh(Nn.MatMul(h, w[2]));
        }
        return Nn.Sum(h);
    }
}

public class UnreachedGradientTests
{
    private static Tensor Random(int seed, params int[] shape) =>
        Tensor.FromValues(GradCheck.RandomFloat(shape.Aggregate(1, (a, d) => a * d), seed, -0.8f, 0.8f), shape);

    [Fact]
    public void AGradientNothingFlowsIntoIsZeroEvenAfterAStepThatWroteIt()
    {
        Tensor w1 = Random(1, 3, 3), w2 = Random(2, 3, 3), x = Random(3, 2, 3);
        Tensor dW1 = Tensor.Zeros(3, 3), dW2 = Tensor.Zeros(3, 3);
        OptionalLayer.LossGradient(w1, w2, x, true, dW1, dW2);
        Assert.Contains(dW2.Span.ToArray(), v => v != 0);
        GradCheck.Tensors([w1, w2], [dW1, dW2], () => OptionalLayer.Loss(w1, w2, x, true));

        // The same tensors again (the step a training loop repeats), now without the second layer.
        OptionalLayer.LossGradient(w1, w2, x, false, dW1, dW2);
        Assert.All(dW2.Span.ToArray(), v => Assert.Equal(0f, v));
        GradCheck.Tensors([w1], [dW1], () => OptionalLayer.Loss(w1, w2, x, false));

        dW2.Span.Fill(7f);
        OptionalLayer.LossGradient(w1, w2, x, false, dW1, dW2);
        Assert.All(dW2.Span.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void OnlyTensorArrayReadsEveryCallMakesAreRequiredUpFront()
    {
        Tensor[] w = [Random(4, 3, 3), Random(5, 3, 3)];
        Tensor x = Random(6, 2, 3);
        Tensor[] dW = [Tensor.Zeros(3, 3), Tensor.Zeros(3, 3)];
        OptionalArrayLayer.LossGradient(w, x, false, dW);
        GradCheck.Tensors(w, dW, () => OptionalArrayLayer.Loss(w, x, false));

        var ex = Assert.Throws<System.ArgumentException>(() => OptionalArrayLayer.LossGradient(w[..1], x, false, dW[..1]));
        Assert.StartsWith("Loss at UnreachedGradients.cs:34 reads w[1], but 'w' has 1 tensor; pass at least 2.", ex.Message);
    }
}
