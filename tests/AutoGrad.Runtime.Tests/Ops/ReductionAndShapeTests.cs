using System;
using System.Linq;
using AutoGrad.Runtime.Tests.Support;
using Xunit;

namespace AutoGrad.Runtime.Tests.Ops;

public class ReductionAndShapeTests
{
    [Fact]
    public void SumAndMeanMatchFiniteDifferences()
    {
        Tensor x = TestRandom.Tensor(1, 3, 7);
        var site = new OpSite("Sum", "T.cs", 1, "x");
        new GradientCheck
        {
            Inputs = [x],
            Reference = v => [v[0].Sum()],
            Forward = () => [Nn.SumInto(x, site)],
            Pullback = (g, t) => Nn.SumPullback(x, 0f, g[0], t[0], site),
        }.Run();
        new GradientCheck
        {
            Inputs = [x],
            Reference = v => [v[0].Average()],
            Forward = () => [Nn.MeanInto(x, site)],
            Pullback = (g, t) => Nn.MeanPullback(x, 0f, g[0], t[0], site),
        }.Run();
    }

    [Fact]
    public void ReshapeAndFlattenAreViewsWithIdentityGradients()
    {
        Tensor x = TestRandom.Tensor(1, 2, 3, 4);
        Tensor? result = null;
        var site = new OpSite("Reshape", "T.cs", 1, "x", "shape");
        new GradientCheck
        {
            Inputs = [x],
            Reference = v => v[0],
            Forward = () =>
            {
                Nn.ReshapeInto(ref result, x, [4, -1], site);
                Assert.Equal(new[] { 4, 6 }, result!.Shape.ToArray());
                return result.ToArray();
            },
            Pullback = (g, t) => Nn.ReshapePullback(x, [4, -1], result!, Tensor.FromValues(g, 4, 6), t[0], site),
        }.Run();
        Assert.Same(x.Data, result!.Data);
        Tensor view = result;
        Nn.ReshapeInto(ref result, x, [4, 6], site);
        Assert.Same(view, result); // kept while x's storage and the shape are unchanged

        Tensor? flat = null;
        Nn.FlattenInto(ref flat, x, new OpSite("Flatten", "T.cs", 2, "x"));
        Assert.Equal(new[] { 2, 12 }, flat!.Shape.ToArray());
        Assert.Same(x.Data, flat.Data);
    }

    /// <summary>Review helper-91: finite values whose float sum overflows have a mean in float's range, which read ∞.</summary>
    [Fact]
    public void TheMeanOfValuesWhoseSumOverflowsIsTheirMean()
    {
        Assert.Equal(3e38f, Nn.Mean(Tensor.FromValues([3e38f, 3e38f, 3e38f], 3)));
        Assert.Equal(0f, Nn.Mean(Tensor.FromValues([3e38f, 3e38f, -3e38f, -3e38f], 4)));
        Assert.Equal(float.PositiveInfinity, Nn.Mean(Tensor.FromValues([3e38f, float.PositiveInfinity], 2)));
        Assert.True(float.IsNaN(Nn.Mean(Tensor.FromValues([3e38f, float.NaN, 3e38f], 3))));
    }

    [Fact]
    public void ReshapeToTheWrongSizeNamesTheArgument()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => Nn.Reshape(Tensor.Zeros(2, 3), [4, 2]));
        Assert.EndsWith("cannot view Reshape's x of shape [2, 3] (6 elements) as [4, 2]", error.Message);
    }

    [Fact]
    public void ConcatAndSliceMatchFiniteDifferences()
    {
        Tensor a = TestRandom.Tensor(1, 3, 4), b = TestRandom.Tensor(2, 3, 5);
        Tensor? joined = null;
        var site = new OpSite("Concat", "T.cs", 1, "a", "b");
        new GradientCheck
        {
            Inputs = [a, b],
            Reference = v => Enumerable.Range(0, 3).SelectMany(r => Reference.Row(v[0], r, 4).Concat(Reference.Row(v[1], r, 5))).ToArray(),
            Forward = () =>
            {
                Nn.ConcatInto(ref joined, a, b, site);
                return joined!.ToArray();
            },
            Pullback = (g, t) => Nn.ConcatPullback(a, b, joined!, Tensor.FromValues(g, 3, 9), t[0], t[1], site),
        }.Run();

        Tensor x = TestRandom.Tensor(3, 3, 9);
        Tensor? part = null;
        var sliceSite = new OpSite("Slice", "T.cs", 2, "x", "start", "length");
        new GradientCheck
        {
            Inputs = [x],
            Reference = v => Enumerable.Range(0, 3).SelectMany(r => Reference.Row(v[0], r, 9).Skip(2).Take(5)).ToArray(),
            Forward = () =>
            {
                Nn.SliceInto(ref part, x, 2, 5, sliceSite);
                return part!.ToArray();
            },
            Pullback = (g, t) => Nn.SlicePullback(x, 2, 5, part!, Tensor.FromValues(g, 3, 5), t[0], sliceSite),
        }.Run();
    }

    [Fact]
    public void WholeTensorSumsStayAccurateOverMillionsOfValues()
    {
        // One float chain per vector lane over 4·10⁶ copies of 0.1 drifted by 0.2–1%; the sums are now blocked.
        const int N = 4_000_000;
        float[] values = new float[N];
        Array.Fill(values, 0.1f);
        Tensor x = Tensor.FromValues(values, 1000, N / 1000), zero = Tensor.Zeros(1000, N / 1000);
        // Within 1e-5: a block's lanes chain 64 (512-bit vectors) to 256 (128-bit) additions, 1–3e-6 of drift here.
        double exact = N * (double)0.1f;
        Assert.Equal(exact, Nn.Sum(x), exact * 1e-5);
        Assert.Equal(0.1f, Nn.Mean(x), 1e-6f);
        Assert.Equal(0.1f * 0.1f, Nn.Mse(x, zero), 1e-7f);
        float dS = 0f;
        Nn.ScalePullback(x, 1f, x, x, GradTarget.None, ref dS, new OpSite("Scale", "", 0));
        Assert.Equal(exact * 0.1f, dS, exact * 0.1f * 1e-5);
    }

    [Fact]
    public void ConcatWithAZeroWidthOperandCopiesTheOther()
    {
        // A [2, 0] tensor has two rows (none of them any columns): the other operand's rows are still all copied.
        Tensor empty = Tensor.Zeros(2, 0), b = Tensor.FromValues([1, 2, 3, 4, 5, 6], 2, 3);
        var site = new OpSite("Concat", "T.cs", 1, "a", "b");
        foreach (bool emptyFirst in new[] { true, false })
        {
            Tensor left = emptyFirst ? empty : b, right = emptyFirst ? b : empty;
            Tensor? joined = null;
            Nn.ConcatInto(ref joined, left, right, site);
            Assert.Equal(new[] { 2, 3 }, joined!.Shape.ToArray());
            Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, joined.ToArray());

            Tensor dB = Tensor.FromValues([-7, -7, -7, -7, -7, -7], 2, 3), dY = Tensor.FromValues([1, 2, 3, 4, 5, 6], 2, 3);
            Tensor dEmpty = Tensor.Zeros(2, 0);
            Nn.ConcatPullback(left, right, joined, dY,
                emptyFirst ? GradTarget.Overwrite(dEmpty) : GradTarget.Overwrite(dB),
                emptyFirst ? GradTarget.Overwrite(dB) : GradTarget.Overwrite(dEmpty), site);
            Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, dB.ToArray());
        }
    }

    [Fact]
    public void LstmHiddenTakesTheLeftHalf()
    {
        Tensor state = TestRandom.Tensor(1, 2, 6);
        Tensor? h = null;
        var site = new OpSite("LstmHidden", "T.cs", 1, "state");
        new GradientCheck
        {
            Inputs = [state],
            Reference = v => Enumerable.Range(0, 2).SelectMany(r => Reference.Row(v[0], r, 6).Take(3)).ToArray(),
            Forward = () =>
            {
                Nn.LstmHiddenInto(ref h, state, site);
                return h!.ToArray();
            },
            Pullback = (g, t) => Nn.LstmHiddenPullback(state, h!, Tensor.FromValues(g, 2, 3), t[0], site),
        }.Run();
    }

    [Fact]
    public void SliceOutsideTheColumnsIsAShapeError()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => Nn.Slice(Tensor.Zeros(2, 4), 3, 2));
        Assert.EndsWith("columns [3, 5) are outside Slice's x, which has 4 ([2, 4])", error.Message);

        // Bounds whose sum overflows int are outside too, and say so.
        error = Assert.Throws<ShapeMismatchException>(() => Nn.Slice(Tensor.Zeros(2, 4), int.MaxValue, 2));
        Assert.EndsWith("columns [2147483647, 2147483649) are outside Slice's x, which has 4 ([2, 4])", error.Message);
        error = Assert.Throws<ShapeMismatchException>(() => Nn.Slice(Tensor.Zeros(2, 4), 2, int.MaxValue));
        Assert.Contains("are outside Slice's x", error.Message);
    }
}
