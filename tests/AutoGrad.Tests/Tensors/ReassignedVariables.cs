using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Tensors;

/// <summary>
/// A variable reassigned many times while older values stay in use: the generated backward keeps two adjoint slots
/// per variable and alternates them, so an older value's adjoint lands in a buffer a newer value's adjoint used before.
/// </summary>
public static partial class Reassigned
{
    [Differentiable]
    public static float Loss(Tensor w1, Tensor w2, Tensor w3, Tensor b, [NoGrad] Tensor x, [NoGrad] Tensor y)
    {
        var h = Nn.Tanh(Nn.Linear(x, w1, b));
        var skip = h;                                  // the first value, read again three assignments later
        h = Nn.Tanh(Nn.Linear(h, w2, b));
        var mixed = Nn.Add(h, skip);
        h = Nn.Tanh(Nn.Linear(mixed, w3, b));
        h = Nn.Mul(h, skip);
        h = Nn.Tanh(Nn.Linear(h, w2, b));              // w2 and b read again: their gradients accumulate
        return Nn.Mse(Nn.Add(h, mixed), y);
    }
}

/// <summary>
/// A variable copied, then reassigned with another shape by an op that reads only the copy: the copy's reverse shaped
/// the old value's adjoint like the new value ("the result's gradient has shape [2, 8] but the result has shape
/// [2, 4]", or "Destination is too short" when it shrank).
/// </summary>
public static partial class ReshapedAfterACopy
{
    [Differentiable]
    public static float Grow(Tensor x)
    {
        Tensor h = Nn.Tanh(x);
        Tensor g = h;
        h = Nn.Concat(g, g);
        return Nn.Sum(h);
    }

    [Differentiable]
    public static float Shrink(Tensor x, Tensor w)
    {
        Tensor h = Nn.Tanh(x);
        Tensor g = h;
        h = Nn.MatMul(g, w);
        return Nn.Sum(Nn.Mul(h, h));
    }
}

public class ReassignedVariableTests
{
    [Fact]
    public void AVariableReassignedWithAnotherShapeAfterACopyGetsItsGradient()
    {
        Tensor x = Random(7, 1f, 2, 4), w = Random(8, 0.8f, 4, 3);
        Tensor dX = Tensor.Zeros(2, 4), dW = Tensor.Zeros(4, 3);
        ReshapedAfterACopy.GrowGradient(x, dX);
        GradCheck.Tensors(new[] { x }, new[] { dX }, () => ReshapedAfterACopy.Grow(x));
        ReshapedAfterACopy.ShrinkGradient(x, w, dX, dW);
        GradCheck.Tensors(new[] { x, w }, new[] { dX, dW }, () => ReshapedAfterACopy.Shrink(x, w));
    }

    private static Tensor Random(int seed, float scale, params int[] shape) =>
        Tensor.FromValues(GradCheck.RandomFloat(shape.Aggregate(1, (a, d) => a * d), seed, -scale, scale), shape);

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        const int width = 5, batch = 3;
        Tensor w1 = Random(1, 0.6f, width, width), w2 = Random(2, 0.6f, width, width), w3 = Random(3, 0.6f, width, width);
        Tensor b = Random(4, 0.3f, width), x = Random(5, 1f, batch, width), y = Random(6, 1f, batch, width);
        Tensor[] parameters = { w1, w2, w3, b };
        Tensor[] gradients = parameters.Select(p => Tensor.Zeros(p.Shape.ToArray())).ToArray();
        for (int step = 0; step < 2; step++) // the second step reuses the workspace and its alternating slots
        {
            Reassigned.LossGradient(w1, w2, w3, b, x, y, gradients[0], gradients[1], gradients[2], gradients[3]);
        }

        GradCheck.Tensors(parameters, gradients, () => Reassigned.Loss(w1, w2, w3, b, x, y));
    }
}
