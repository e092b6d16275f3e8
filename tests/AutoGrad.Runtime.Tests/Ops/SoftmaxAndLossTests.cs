using System;
using System.Linq;
using AutoGrad.Runtime.Tests.Support;
using Xunit;

namespace AutoGrad.Runtime.Tests.Ops;

public class SoftmaxAndLossTests
{
    private const int Rows = 4, Classes = 11;

    private static double[] LogSoftmaxReference(double[] x, int rows, int cols)
    {
        var y = new double[x.Length];
        for (int r = 0; r < rows; r++)
        {
            double max = Reference.Row(x, r, cols).Max();
            double logSum = max + Math.Log(Reference.Row(x, r, cols).Sum(v => Math.Exp(v - max)));
            for (int c = 0; c < cols; c++)
            {
                y[r * cols + c] = x[r * cols + c] - logSum;
            }
        }
        return y;
    }

    [Fact]
    public void SoftmaxAndLogSoftmaxMatchFiniteDifferences()
    {
        Tensor x = TestRandom.Tensor(1, 4f, Rows, Classes);
        Tensor? result = null;
        var site = new OpSite("Softmax", "T.cs", 1, "x");
        new GradientCheck
        {
            Inputs = [x],
            Reference = v => LogSoftmaxReference(v[0], Rows, Classes).Select(Math.Exp).ToArray(),
            Forward = () =>
            {
                Nn.SoftmaxInto(ref result, x, site);
                return result!.ToArray();
            },
            Pullback = (g, t) => Nn.SoftmaxPullback(x, result!, Tensor.FromValues(g, Rows, Classes), t[0], site),
        }.Run();
        Tensor? log = null;
        new GradientCheck
        {
            Inputs = [x],
            Reference = v => LogSoftmaxReference(v[0], Rows, Classes),
            Forward = () =>
            {
                Nn.LogSoftmaxInto(ref log, x, site);
                return log!.ToArray();
            },
            Pullback = (g, t) => Nn.LogSoftmaxPullback(x, log!, Tensor.FromValues(g, Rows, Classes), t[0], site),
        }.Run();
    }

    [Fact]
    public void LogSoftmaxIsStableForHugeLogits()
    {
        Tensor? y = null;
        Nn.LogSoftmaxInto(ref y, Tensor.FromValues([1000f, 0f, -1000f], 1, 3), new OpSite("LogSoftmax", "", 0));
        Assert.Equal(0f, y![0]);
        Assert.Equal(-1000f, y[1]);
    }

    [Fact]
    public void LogSoftmaxKeepsTheDigitsOfItsLargestEntries()
    {
        // The top entries' results are small next to the max; computed as x − (max + log Σ) they were rounded away.
        Tensor? y = null;
        var site = new OpSite("LogSoftmax", "", 0);
        Nn.LogSoftmaxInto(ref y, Tensor.FromValues([20f, 0f], 1, 2), site);
        Assert.Equal(-double.LogP1(Math.Exp(-20)), y![0], 1e-3 * Math.Exp(-20));
        Nn.LogSoftmaxInto(ref y, Tensor.FromValues([1000f, 990f], 1, 2), site);
        double top = -double.LogP1(Math.Exp(-10));
        Assert.Equal(top, y![0], 1e-4 * Math.Abs(top));
        Assert.Equal(top - 10, y[1], 1e-6);
    }

    [Fact]
    public void SoftmaxCrossEntropyMatchesFiniteDifferences()
    {
        Tensor logits = TestRandom.Tensor(1, 3f, Rows, Classes);
        int[] labels = TestRandom.Labels(Rows, Classes, 2);
        SoftmaxCrossEntropyState? state = null;
        var site = new OpSite("SoftmaxCrossEntropy", "T.cs", 1, "logits", "labels");
        new GradientCheck
        {
            Inputs = [logits],
            Reference = v =>
            {
                double[] ls = LogSoftmaxReference(v[0], Rows, Classes);
                return [-Enumerable.Range(0, Rows).Average(r => ls[r * Classes + labels[r]])];
            },
            Forward = () => [Nn.SoftmaxCrossEntropyInto(ref state, logits, labels, site)],
            Pullback = (g, t) => Nn.SoftmaxCrossEntropyPullback(logits, labels, 0f, state!, g[0], t[0], site),
        }.Run();
    }

    [Fact]
    public void BadLabelsAreReportedWithTheSite()
    {
        var shape = Assert.Throws<ShapeMismatchException>(() => Nn.SoftmaxCrossEntropy(Tensor.Zeros(3, 4), new[] { 0, 1 }));
        Assert.EndsWith("labels has 2 labels but SoftmaxCrossEntropy's logits has 3 rows (SoftmaxCrossEntropy's logits is [3, 4])", shape.Message);
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => Nn.SoftmaxCrossEntropy(Tensor.Zeros(2, 4), new[] { 0, 4 }));
        Assert.Contains("labels[1] is 4 but SoftmaxCrossEntropy's logits has 4 classes", range.Message);
    }

    [Fact]
    public void MseMatchesFiniteDifferences()
    {
        Tensor pred = TestRandom.Tensor(1, Rows, 3), target = TestRandom.Tensor(2, Rows, 3);
        var site = new OpSite("Mse", "T.cs", 1, "pred", "target");
        new GradientCheck
        {
            Inputs = [pred, target],
            Reference = v => [v[0].Zip(v[1], (p, t) => (p - t) * (p - t)).Average()],
            Forward = () => [Nn.MseInto(pred, target, site)],
            Pullback = (g, t) => Nn.MsePullback(pred, target, 0f, g[0], t[0], t[1], site),
        }.Run();
    }

    [Fact]
    public void BinaryCrossEntropyWithLogitsMatchesFiniteDifferences()
    {
        Tensor logits = TestRandom.Tensor(1, 5f, Rows, 3);
        Tensor targets = Tensor.FromValues(TestRandom.Floats(Rows * 3, 2).Select(v => (v + 1) / 2).ToArray(), Rows, 3);
        var site = new OpSite("BinaryCrossEntropyWithLogits", "T.cs", 1, "logits", "targets");
        new GradientCheck
        {
            Inputs = [logits, targets],
            Reference = v => [v[0].Zip(v[1], (x, t) => Reference.Softplus(x) - x * t).Average()],
            Forward = () => [Nn.BinaryCrossEntropyWithLogitsInto(logits, targets, site)],
            Pullback = (g, t) => Nn.BinaryCrossEntropyWithLogitsPullback(logits, targets, 0f, g[0], t[0], t[1], site),
        }.Run();
    }

    /// <summary>
    /// Large logits, right or wrong, against the loss summed element by element in double (review helper-52: the
    /// batch's terms summed separately gave 0 for the first, NaN for the third and fourth, 1.5244 for the last).
    /// </summary>
    [Theory]
    [InlineData(new[] { 1e8f, 0.5f }, new[] { 1f, 1f })]
    [InlineData(new[] { 1e38f, -1e38f, 0.5f, -0.5f }, new[] { 1f, 0f, 1f, 0f })]
    [InlineData(new[] { 3e38f, 3e38f, 0.5f }, new[] { 1f, 1f, 1f })]
    [InlineData(new[] { 2e38f, 2e38f, -2e38f, -2e38f }, new[] { 1f, 1f, 0f, 0f })]
    [InlineData(new[] { 1e4f, 3f }, new[] { 1f, 0f })]
    [InlineData(new[] { 20f, -30f, 4f }, new[] { 1f, 0f, 0.25f })]
    // Review helper-56: confident logits, whose loss is log(1 + e^(−|x|)) alone (0 from 17 on, 75% high at 16.5).
    [InlineData(new[] { 9f, 12f, -15f, 16.5f }, new[] { 1f, 1f, 0f, 1f })]
    [InlineData(new[] { 16.5f, 16.5f }, new[] { 1f, 1f })]
    [InlineData(new[] { 20f, -30f, 88f }, new[] { 1f, 0f, 1f })]
    [InlineData(new[] { 3e38f, 3e38f }, new[] { 0f, 0f })]
    public void BinaryCrossEntropyWithLogitsKeepsEachElementsLoss(float[] x, float[] t)
    {
        static double LogOnePlus(double e) { double u = 1 + e; return u == 1 ? e : Math.Log(u) * e / (u - 1); }
        double expected = x.Zip(t, (xi, ti) => Math.Max(xi, 0.0) - (double)xi * ti + LogOnePlus(Math.Exp(-Math.Abs((double)xi)))).Average();
        float actual = Nn.BinaryCrossEntropyWithLogits(Tensor.FromValues(x, x.Length), Tensor.FromValues(t, t.Length));
        Assert.Equal(expected, actual, 2e-6 * Math.Abs(expected) + 1e-45);
    }

    [Fact]
    public void LossesPropagateNaNWithoutThrowing()
    {
        Tensor logits = Tensor.FromValues([float.NaN, 1f, 2f, 3f], 2, 2);
        Assert.True(float.IsNaN(Nn.SoftmaxCrossEntropy(logits, new[] { 0, 1 })));
        Assert.True(float.IsNaN(Nn.Mse(logits, Tensor.Zeros(2, 2))));
        Assert.True(float.IsNaN(Nn.BinaryCrossEntropyWithLogits(logits, Tensor.Zeros(2, 2))));
    }

    [Fact]
    public void SoftmaxKeepsEveryProbabilityFloatCanHold()
    {
        // A user's loss may take the log of a probability: a gap of 72 gives 5.4e-32, whose log must be −72 (it was
        // flushed to 0, and the loss was ∞). A gap of 100 gives e^-100 ≈ 3.7e-44, subnormal but not 0, as in PyTorch.
        Tensor? y = null;
        var site = new OpSite("Softmax", "", 0);
        Nn.SoftmaxInto(ref y, Tensor.FromValues([0f, 72f], 1, 2), site);
        Assert.Equal(-72f, MathF.Log(y![0]), 1e-4f);
        foreach (int width in new[] { 4, 40 }) // the one-register row and the general path
        {
            float[] values = new float[width];
            values[0] = 100f;
            values[2] = 50f;
            Nn.SoftmaxInto(ref y, Tensor.FromValues(values, 1, width), site);
            Assert.Equal(1f, y![0]);
            Assert.Equal(MathF.Exp(-50f), y[2], 1e-6f * MathF.Exp(-50f));
            Assert.Equal(Math.Exp(-100), y[1], 0.05 * Math.Exp(-100));
        }
    }

    [Fact]
    public void UnderflowingCrossEntropyProbabilitiesAreFlushedToZeroNotSubnormal()
    {
        // A gap of 100 between logits gives e^-100 ≈ 3.7e-44: subnormal in float, and slow in every later op. Only the
        // gradient reads the cross-entropy's probabilities, and these carry no weight there.
        Tensor logits = Tensor.FromValues([100f, 0f, 50f, 0f], 1, 4);
        Tensor dLogits = Tensor.Zeros(1, 4);
        SoftmaxCrossEntropyState? state = null;
        var site = new OpSite("SoftmaxCrossEntropy", "", 0);
        float loss = Nn.SoftmaxCrossEntropyInto(ref state, logits, new[] { 1 }, site);
        Assert.Equal(100f, loss, 1e-4f);
        Nn.SoftmaxCrossEntropyPullback(logits, new[] { 1 }, loss, state!, 1f, GradTarget.Overwrite(dLogits), site);
        AssertClose(new[] { 1f, -1f, MathF.Exp(-50f), 0f }, dLogits.ToArray());
        Assert.All(dLogits.ToArray(), v => Assert.False(float.IsSubnormal(v)));
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-6f * Math.Abs(expected[i]));
        }
    }
}
