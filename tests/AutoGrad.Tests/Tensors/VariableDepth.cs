using System.Linq;
using AutoGrad.Testing;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Tensors;

/// <summary>
/// A stack whose depth is its <c>Tensor[]</c>'s length, called with arrays of different lengths in turn (a model
/// evaluated at several depths). Its slot array for the gradients was remade whenever the length changed.
/// </summary>
public static partial class VariableDepth
{
    [Differentiable]
    public static float Loss(Tensor[] w, [NoGrad] Tensor x)
    {
        var h = x;
        for (int l = 0; l < w.Length; l++)
            h = Nn.Tanh(Nn.MatMul(h, w[l]));
        return Nn.Sum(h);
    }

    /// <summary>A weight penalty over layers of different shapes: one op site, one adjoint slot, every shape in turn.</summary>
    [Differentiable]
    public static float Penalty(Tensor[] w)
    {
        float s = 0;
        for (int l = 0; l < w.Length; l++) s += Nn.Sum(Nn.Mul(w[l], w[l]));
        return s;
    }
}

public class VariableDepthTests
{
    private static Tensor[] Weights(int depth, int seed) =>
        Enumerable.Range(0, depth).Select(l => Tensor.FromValues(GradCheck.RandomFloat(16, seed + l), 4, 4)).ToArray();

    private static Tensor[] Like(Tensor[] tensors) => tensors.Select(t => Tensor.Zeros(4, 4)).ToArray();

    [Fact]
    public void AlternatingDepthsGiveEachItsGradientAndAllocateNothing()
    {
        Tensor x = Tensor.FromValues(GradCheck.RandomFloat(12, 900), 3, 4);
        Tensor[] deep = Weights(5, 910), shallow = Weights(3, 920);
        Tensor[] dDeep = Like(deep), dShallow = Like(shallow);
        VariableDepth.LossGradient(deep, x, dDeep);
        float[][] deepExpected = dDeep.Select(t => t.ToArray()).ToArray();
        GradCheck.Tensors(deep, dDeep, () => VariableDepth.Loss(deep, x));

        // The shorter call after the longer one: its gradients are right, and the longer call's last two are untouched.
        dDeep[3].Span.Fill(7f);
        dDeep[4].Span.Fill(7f);
        VariableDepth.LossGradient(shallow, x, dShallow);
        GradCheck.Tensors(shallow, dShallow, () => VariableDepth.Loss(shallow, x));
        Assert.All(dDeep[3].ToArray().Concat(dDeep[4].ToArray()), v => Assert.Equal(7f, v));

        Allocations.AssertNoneAfterWarmUp(() =>
        {
            VariableDepth.LossGradient(deep, x, dDeep);
            VariableDepth.LossGradient(shallow, x, dShallow);
        });
        for (int l = 0; l < deep.Length; l++) Assert.Equal(deepExpected[l], dDeep[l].ToArray());
    }

    /// <summary>
    /// Review helper-63: the op's adjoint slot kept two shapes' buffers, so a third reallocated every iteration
    /// (760 bytes a call).
    /// </summary>
    [Fact]
    public void AnOpInALoopOverThreeShapesAllocatesNothingOnceWarm()
    {
        Tensor[] w = [Tensor.FromValues(GradCheck.RandomFloat(9, 930), 3, 3), Tensor.FromValues(GradCheck.RandomFloat(6, 931), 2, 3),
            Tensor.FromValues(GradCheck.RandomFloat(3, 932), 1, 3)];
        Tensor[] dW = w.Select(t => Tensor.Zeros(t.Shape.ToArray())).ToArray();
        Allocations.AssertNoneAfterWarmUp(() => VariableDepth.PenaltyGradient(w, dW));
        for (int l = 0; l < w.Length; l++) Assert.Equal(w[l].ToArray().Select(v => 2 * v), dW[l].ToArray());
    }
}
