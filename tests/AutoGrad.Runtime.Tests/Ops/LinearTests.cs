using AutoGrad.Runtime.Tests.Support;
using Xunit;

namespace AutoGrad.Runtime.Tests.Ops;

public class LinearTests
{
    [Theory]
    [InlineData(1, 3, 2)]   // batch 1: matrix-vector path
    [InlineData(5, 7, 4)]   // tiny: direct path
    [InlineData(12, 40, 80)] // packed GEMM with fused bias gradient
    public void PullbackMatchesFiniteDifferences(int batch, int inputs, int outputs)
    {
        Tensor x = TestRandom.Tensor(1, batch, inputs);
        Tensor w = TestRandom.Tensor(2, outputs, inputs);
        Tensor b = TestRandom.Tensor(3, outputs);
        Tensor? result = null;
        var site = new OpSite("Linear", "T.cs", 1, "x", "w", "b");
        new GradientCheck
        {
            Inputs = [x, w, b],
            Reference = v => Reference.MatMulNT(v[0], v[1], batch, inputs, outputs, v[2]),
            Forward = () =>
            {
                Nn.LinearInto(ref result, x, w, b, site);
                return result!.ToArray();
            },
            Pullback = (g, t) => Nn.LinearPullback(
                x, w, b, result!, Tensor.FromValues(g, batch, outputs), t[0], t[1], t[2], site),
        }.Run();
    }

    [Fact]
    public void FeatureMismatchNamesSiteArgumentsAndShapes()
    {
        Tensor x = Tensor.Zeros(64, 784);
        Tensor w1 = Tensor.Zeros(128, 512);
        Tensor b1 = Tensor.Zeros(128);
        Tensor? result = null;
        var site = new OpSite("Linear", "/src/Mlp.cs", 12, "x", "w1", "b1");
        var error = Assert.Throws<ShapeMismatchException>(() => Nn.LinearInto(ref result, x, w1, b1, site));
        Assert.Equal("Linear at Mlp.cs:12: x has 784 features but w1 expects 512 (x is [64, 784], w1 is [128, 512])", error.Message);
        Assert.Same(site, error.Site);
    }

    [Fact]
    public void ConvenienceMethodReportsCallerLineAndParameterNames()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => Nn.Linear(Tensor.Zeros(2, 3), Tensor.Zeros(4, 3), Tensor.Zeros(5)));
        Assert.StartsWith("Linear at LinearTests.cs:", error.Message);
        Assert.Contains("Linear's b has shape [5] but Linear's w has 4 outputs", error.Message);
    }

    [Fact]
    public void WrongGradientBufferThrowsBeforeAnyWork()
    {
        Tensor x = TestRandom.Tensor(1, 4, 3), w = TestRandom.Tensor(2, 2, 3), b = TestRandom.Tensor(3, 2);
        Tensor y = Nn.Linear(x, w, b);
        Tensor dX = Tensor.Zeros(4, 3), dW = Tensor.Zeros(3, 2);
        var site = new OpSite("Linear", "Net.cs", 7, "x", "w2", "b2");
        var error = Assert.Throws<ShapeMismatchException>(() => Nn.LinearPullback(
            x, w, b, y, TestRandom.Tensor(4, 4, 2), GradTarget.Overwrite(dX), GradTarget.Overwrite(dW), GradTarget.None, site));
        Assert.Equal("Linear at Net.cs:7: the gradient buffer for w2 has shape [3, 2] but w2 has shape [2, 3]", error.Message);
        Assert.All(dX.ToArray(), v => Assert.Equal(0f, v)); // dX was valid but nothing was written
    }

    [Fact]
    public void AnEmptyBatchGivesZeroParameterGradients()
    {
        Tensor x = Tensor.Zeros(0, 3), w = TestRandom.Tensor(1, 2, 3), b = TestRandom.Tensor(2, 2);
        Tensor y = Nn.Linear(x, w, b);
        Assert.Equal(new[] { 0, 2 }, y.Shape.ToArray());
        Tensor dW = TestRandom.Tensor(3, 2, 3), dB = TestRandom.Tensor(4, 2);
        Nn.LinearPullback(x, w, b, y, Tensor.Zeros(0, 2), GradTarget.None, GradTarget.Overwrite(dW), GradTarget.Overwrite(dB), new OpSite("Linear", "", 0));
        Assert.All(dW.ToArray(), v => Assert.Equal(0f, v));
        Assert.All(dB.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ALayerWithoutInputsGivesItsBiasAndALayerWithoutOutputsNothing()
    {
        // y = x·wᵀ + b with no input features is b on every row; dB sums dY, and dX, dW are empty.
        Tensor x = Tensor.Zeros(3, 0), w = Tensor.Zeros(2, 0), b = TestRandom.Tensor(5, 2);
        Tensor y = Nn.Linear(x, w, b);
        Assert.Equal(new[] { 3, 2 }, y.Shape.ToArray());
        for (int r = 0; r < 3; r++) Assert.Equal(b.ToArray(), y.ToArray()[(r * 2)..(r * 2 + 2)]);
        Tensor dY = TestRandom.Tensor(6, 3, 2), dB = Tensor.Zeros(2);
        Nn.LinearPullback(x, w, b, y, dY, GradTarget.Overwrite(Tensor.Zeros(3, 0)), GradTarget.Overwrite(Tensor.Zeros(2, 0)),
            GradTarget.Overwrite(dB), new OpSite("Linear", "", 0));
        float[] dy = dY.ToArray();
        Assert.Equal(new[] { dy[0] + dy[2] + dy[4], dy[1] + dy[3] + dy[5] }, dB.ToArray());

        // No outputs: an empty result, and the input gradient is zero.
        Tensor x2 = TestRandom.Tensor(7, 3, 4), w2 = Tensor.Zeros(0, 4), b2 = Tensor.Zeros(0);
        Tensor y2 = Nn.Linear(x2, w2, b2);
        Assert.Equal(new[] { 3, 0 }, y2.Shape.ToArray());
        Tensor dX2 = TestRandom.Tensor(8, 3, 4);
        Nn.LinearPullback(x2, w2, b2, y2, Tensor.Zeros(3, 0), GradTarget.Overwrite(dX2), GradTarget.None, GradTarget.None, new OpSite("Linear", "", 0));
        Assert.All(dX2.ToArray(), v => Assert.Equal(0f, v));
    }
}
