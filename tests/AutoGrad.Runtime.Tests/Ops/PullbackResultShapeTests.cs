using System;
using Xunit;

namespace AutoGrad.Runtime.Tests.Ops;

/// <summary>
/// Review helper-76: the public pullbacks compared dResult with result but never result with the op's output, so a
/// hand-written call with a [4, 6] result and gradient read them as [4, 5] (the first 20 of 24 values) without a word,
/// or failed inside the GEMM naming neither the op nor the line.
/// </summary>
public class PullbackResultShapeTests
{
    private static readonly OpSite Site = new("Op", "f.cs", 7, "x", "w", "b");

    private static void Refused(Action call, string expected)
    {
        var e = Assert.Throws<ShapeMismatchException>(call);
        Assert.Contains("Op at f.cs:7", e.Message);
        Assert.Contains("the result passed to the pullback has shape", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void LinearLayersAndProductsRefuseAResultOfAnotherShape()
    {
        Tensor x = Tensor.Zeros(4, 3), w = Tensor.Zeros(5, 3), b = Tensor.Zeros(5);
        foreach (int[] wrong in new[] { new[] { 4, 6 }, new[] { 2, 10 }, new[] { 4, 4 } })
        {
            Tensor r = Tensor.Zeros(wrong), d = Tensor.Zeros(wrong);
            Refused(() => Nn.LinearPullback(x, w, b, r, d, GradTarget.None, GradTarget.Overwrite(Tensor.Zeros(5, 3)), GradTarget.None, Site), "[4, 5]");
            Refused(() => Nn.LinearActivationPullback(x, w, b, FusedActivation.Tanh, r, d, GradTarget.None, GradTarget.Overwrite(Tensor.Zeros(5, 3)), GradTarget.None, Site), "[4, 5]");
        }
        Refused(() => Nn.MatMulPullback(Tensor.Zeros(4, 3), Tensor.Zeros(3, 2), Tensor.Zeros(4, 3), Tensor.Zeros(4, 3), GradTarget.Overwrite(Tensor.Zeros(4, 3)), GradTarget.None, Site), "[4, 2]");
        // The right shape passes.
        Nn.LinearPullback(x, w, b, Tensor.Zeros(4, 5), Tensor.Zeros(4, 5), GradTarget.None, GradTarget.Overwrite(Tensor.Zeros(5, 3)), GradTarget.None, Site);
    }

    [Fact]
    public void ShapeOpsRefuseAResultOfAnotherShape()
    {
        Tensor a = Tensor.Zeros(2, 3), b = Tensor.Zeros(2, 4);
        Refused(() => Nn.ConcatPullback(a, b, Tensor.Zeros(2, 6), Tensor.Zeros(2, 6), GradTarget.Overwrite(Tensor.Zeros(2, 3)), GradTarget.None, Site), "[2, 7]");
        Refused(() => Nn.SlicePullback(b, 1, 2, Tensor.Zeros(2, 3), Tensor.Zeros(2, 3), GradTarget.Overwrite(Tensor.Zeros(2, 4)), Site), "[2, 2]");
        Nn.SlicePullback(b, 1, 2, Tensor.Zeros(2, 2), Tensor.Zeros(2, 2), GradTarget.Overwrite(Tensor.Zeros(2, 4)), Site);
    }

    [Fact]
    public void ARecurrentCellRefusesAResultOfAnotherShape()
    {
        Tensor x = Tensor.Zeros(2, 3), h = Tensor.Zeros(2, 4), wx = Tensor.Zeros(4, 3), wh = Tensor.Zeros(4, 4), bias = Tensor.Zeros(4);
        Refused(() => Nn.RnnCellPullback(x, h, wx, wh, bias, Tensor.Zeros(2, 5), Tensor.Zeros(2, 5),
            GradTarget.Overwrite(Tensor.Zeros(2, 3)), GradTarget.None, GradTarget.None, GradTarget.None, GradTarget.None, Site), "[2, 4]");
    }

    /// <summary>Review helper-79: a null entry of a Tensor[] passed to a cell threw "Value cannot be null (Parameter 'x')"
    /// with neither the op nor the line.</summary>
    [Fact]
    public void ANullTensorArgumentNamesTheOpAndLine()
    {
        var e = Assert.Throws<ArgumentNullException>(() => Nn.Linear(null!, Tensor.Zeros(5, 3), Tensor.Zeros(5), "Mlp.cs", 12, "xs[3]"));
        Assert.Contains("Linear at Mlp.cs:12", e.Message);
        Assert.Contains("xs[3] is null", e.Message);
        e = Assert.Throws<ArgumentNullException>(() => Nn.RnnCell(null!, Tensor.Zeros(2, 4), Tensor.Zeros(4, 3), Tensor.Zeros(4, 4), Tensor.Zeros(4), "Rnn.cs", 7, "xs[t]"));
        Assert.Contains("RnnCell at Rnn.cs:7", e.Message);
        // Review helper-80: the other ops said only "Value cannot be null. (Parameter 'x')".
        foreach (Action call in new Action[]
        {
            () => Nn.Relu(null!, "Net.cs", 9, "h"),
            () => Nn.Add(Tensor.Zeros(2), null!, "Net.cs", 9, "a", "h"),
            () => Nn.LayerNorm(null!, Tensor.Zeros(2), Tensor.Zeros(2), "Net.cs", 9, "h"),
            () => Nn.Concat(null!, Tensor.Zeros(2, 2), "Net.cs", 9, "h"),
            () => Nn.Slice(null!, 0, 1, "Net.cs", 9, "h"),
            () => Nn.Mse(Tensor.Zeros(2), null!, "Net.cs", 9, "p", "h"),
        })
        {
            e = Assert.Throws<ArgumentNullException>(call);
            Assert.Contains("at Net.cs:9", e.Message);
            Assert.Contains("h is null", e.Message);
        }
    }
}
