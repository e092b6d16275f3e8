using AutoGrad.Testing;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Tensors;

/// <summary>Shapes written as lists in the call (<c>[rows, cols]</c>, <c>new[] { 2, 6 }</c>), read from locals and loop variables.</summary>
public static partial class ShapeLists
{
    [Differentiable]
    public static float Loss(Tensor w, [NoGrad] Tensor x, [NoGrad] int cols)
    {
        var h = Nn.Tanh(Nn.MatMul(x, w));
        var r = Nn.Reshape(h, [-1, cols]);
        var s = Nn.Reshape(h, new[] { 2, 6 });
        return Nn.Sum(Nn.Mul(r, r)) + Nn.Sum(Nn.Mul(Nn.Reshape(s, new int[] { 12 }), Nn.Reshape(Nn.Flatten(h), [12])));
    }

    /// <summary>A run-time loop whose reshapes read the loop's locals.</summary>
    [Differentiable]
    public static float Steps(Tensor w, [NoGrad] Tensor x, [NoGrad] int steps)
    {
        var h = x;
        int rows = 3;
        for (int t = 0; t < steps; t++)
        {
            int n = rows * 4;
            var flat = Nn.Reshape(Nn.MatMul(h, w), [n]);
            h = Nn.Reshape(Nn.Tanh(flat), [rows, n / rows]);
        }
        return Nn.Sum(Nn.Mul(h, h));
    }
}

public class ShapeListTests
{
    private static (Tensor W, Tensor X) Inputs(int seed)
    {
        Tensor w = Tensor.Zeros(4, 4), x = Tensor.Zeros(3, 4);
        double[] v = GradCheck.Random(w.Length + x.Length, seed);
        int k = 0;
        foreach (Tensor t in new[] { w, x }) for (int i = 0; i < t.Length; i++) t[i] = (float)v[k++];
        return (w, x);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void ListShapesMatchFiniteDifferences(int cols)
    {
        (Tensor w, Tensor x) = Inputs(11);
        Tensor dW = Tensor.Zeros(4, 4);
        float value = ShapeLists.LossGradient(w, x, cols, dW);
        Assert.Equal(ShapeLists.Loss(w, x, cols), value);
        GradCheck.Tensors([w], [dW], () => ShapeLists.Loss(w, x, cols));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void ListShapesInARunTimeLoopMatchFiniteDifferences(int steps)
    {
        (Tensor w, Tensor x) = Inputs(12);
        Tensor dW = Tensor.Zeros(4, 4);
        ShapeLists.StepsGradient(w, x, steps, dW);
        GradCheck.Tensors([w], [dW], () => ShapeLists.Steps(w, x, steps));
    }

    [Fact]
    public void ListShapesAllocateNothingOnceWarm()
    {
        (Tensor w, Tensor x) = Inputs(13);
        Tensor dW = Tensor.Zeros(4, 4);
        Allocations.AssertNoneAfterWarmUp(() => ShapeLists.LossGradient(w, x, 6, dW));
    }
}
