using System.Linq;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Tensors;

/// <summary>
/// One tensor passed as two differentiable arguments of one op, whose pullback writes the two gradients in an order
/// of its own (Linear writes the weight gradient before the input gradient).
/// </summary>
public static partial class RepeatedArguments
{
    [Differentiable]
    public static float LinearOfItself(Tensor w, Tensor b, [NoGrad] Tensor r) => Nn.Sum(Nn.Mul(Nn.Linear(w, w, b), r));

    [Differentiable]
    public static float TanhLinearOfItself(Tensor w, Tensor b, [NoGrad] Tensor r) => Nn.Sum(Nn.Mul(Nn.Tanh(Nn.Linear(w, w, b)), r));

    [Differentiable]
    public static float RnnCellWithItsInputAsWeights(Tensor w, Tensor h, Tensor wh, Tensor b, [NoGrad] Tensor r) =>
        Nn.Sum(Nn.Mul(Nn.RnnCell(w, h, w, wh, b), r));
}

public class RepeatedArgumentTests
{
    private static Tensor Random(int seed, params int[] shape) =>
        Tensor.FromValues(GradCheck.RandomFloat(shape.Aggregate(1, (a, d) => a * d), seed), shape);

    [Theory]
    [InlineData(3)]
    [InlineData(17)]
    public void LinearOfItself(int n)
    {
        Tensor w = Random(901, n, n), b = Random(902, n), r = Random(903, n, n);
        Tensor dW = Tensor.Zeros(n, n), dB = Tensor.Zeros(n);
        RepeatedArguments.LinearOfItselfGradient(w, b, r, dW, dB);
        GradCheck.Tensors([w, b], [dW, dB], () => RepeatedArguments.LinearOfItself(w, b, r));
    }

    [Fact]
    public void TanhLinearOfItself()
    {
        Tensor w = Random(911, 3, 3), b = Random(912, 3), r = Random(913, 3, 3);
        Tensor dW = Tensor.Zeros(3, 3), dB = Tensor.Zeros(3);
        RepeatedArguments.TanhLinearOfItselfGradient(w, b, r, dW, dB);
        GradCheck.Tensors([w, b], [dW, dB], () => RepeatedArguments.TanhLinearOfItself(w, b, r));
    }

    [Fact]
    public void RnnCellWithItsInputAsWeights()
    {
        Tensor w = Random(921, 3, 3), h = Random(922, 3, 3), wh = Random(923, 3, 3), b = Random(924, 3), r = Random(925, 3, 3);
        Tensor dW = Tensor.Zeros(3, 3), dH = Tensor.Zeros(3, 3), dWh = Tensor.Zeros(3, 3), dB = Tensor.Zeros(3);
        RepeatedArguments.RnnCellWithItsInputAsWeightsGradient(w, h, wh, b, r, dW, dH, dWh, dB);
        GradCheck.Tensors([w, h, wh, b], [dW, dH, dWh, dB], () => RepeatedArguments.RnnCellWithItsInputAsWeights(w, h, wh, b, r));
    }
}
