using System;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Scalar;

public class BufferTests
{
    [Fact]
    public void ComputedIndicesAccumulateIntoTheRightElements()
    {
        int[] index = { 3, 0, 3, 1, 4, 2, 0 };
        double[] w = GradCheck.Random(5, 6);
        GradCheck.Double(t => Buffers.ComputedIndices(t, index, index.Length),
            t => { var g = new double[t.Length]; return (Buffers.ComputedIndicesGradient(t, index, index.Length, g), g); }, w);
    }

    [Fact]
    public void LocalArrayOverwrittenInLoops()
    {
        double[] w = GradCheck.Random(7, 7);
        GradCheck.Double(t => Buffers.LocalArray(t, t.Length),
            t => { var g = new double[t.Length]; return (Buffers.LocalArrayGradient(t, t.Length, g), g); }, w);
    }

    [Fact]
    public void StackAllocatedSpan()
    {
        double[] w = GradCheck.Random(4, 8);
        GradCheck.Double(t => Buffers.StackAllocated(t),
            t => { var g = new double[t.Length]; return (Buffers.StackAllocatedGradient(t, g), g); }, w);
    }

    [Fact]
    public void CompoundAssignmentOnElements()
    {
        double[] w = GradCheck.Random(6, 9);
        GradCheck.Double(t => Buffers.CompoundOnElements(t, t.Length),
            t => { var g = new double[t.Length]; return (Buffers.CompoundOnElementsGradient(t, t.Length, g), g); }, w);
    }

    [Fact]
    public void InactiveSpanHelpersAndLength()
    {
        double[] xs = GradCheck.Random(10, 10);
        double[] w = GradCheck.Random(4, 11);
        GradCheck.Double(t => Buffers.InactiveHelpers(t, xs, 3, 4),
            t => { var g = new double[t.Length]; return (Buffers.InactiveHelpersGradient(t, xs, 3, 4, g), g); }, w);
    }

    [Fact]
    public void ActiveViewsShareTheirBuffersGradient()
    {
        double[] w = GradCheck.Random(5, 12);
        GradCheck.Double(t => Buffers.ActiveViews(t, t.Length),
            t => { var g = new double[t.Length]; return (Buffers.ActiveViewsGradient(t, t.Length, g), g); }, w);
    }

    [Fact]
    public void FloatArraysAndSpans()
    {
        float[] theta = GradCheck.RandomFloat(8, 13);
        GradCheck.Float(t => Buffers.FloatBuffers(t[..4], t.AsSpan(4, 4), 4),
            t =>
            {
                var gw = new float[4];
                var gv = new float[4];
                float v = Buffers.FloatBuffersGradient(t[..4], t.AsSpan(4, 4), 4, gw, gv);
                var all = new float[8];
                gw.CopyTo(all, 0);
                gv.CopyTo(all, 4);
                return (v, all);
            }, theta);
    }

    [Fact]
    public void GradientBuffersAreOverwrittenNotAccumulated()
    {
        double[] w = GradCheck.Random(4, 14);
        var g = new double[4];
        Array.Fill(g, 123.0);
        Buffers.StackAllocatedGradient(w, g);
        var fresh = new double[4];
        Buffers.StackAllocatedGradient(w, fresh);
        Assert.Equal(fresh, g);
    }

    [Fact]
    public void WrongGradientLengthThrowsNamingTheParameter()
    {
        double[] w = GradCheck.Random(4, 15);
        var ex = Assert.Throws<ArgumentException>(() => Buffers.StackAllocatedGradient(w, new double[3]));
        Assert.Equal("dW", ex.ParamName);
        Assert.Contains("'w'", ex.Message);
    }

    [Fact]
    public void ANullArrayThrowsNamingTheParameter()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => Buffers.CompoundOnElementsGradient(null!, 3, new double[3]));
        Assert.Equal("w", ex.ParamName);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AccumulationsIntoRewrittenScratch(bool fullyRewritten)
    {
        double[] w = GradCheck.Random(6, 16);
        Func<double[], double> f = fullyRewritten ? t => Buffers.FullyRewrittenScratch(t, 6, 3) : t => Buffers.PartlyRewrittenScratch(t, 6, 3);
        GradCheck.Double(f, t =>
        {
            var g = new double[t.Length];
            double v = fullyRewritten ? Buffers.FullyRewrittenScratchGradient(t, 6, 3, g) : Buffers.PartlyRewrittenScratchGradient(t, 6, 3, g);
            return (v, g);
        }, w);
    }

    [Fact]
    public void StaticTablesReadInPlace()
    {
        // d/dx (0.75 Σ c_i x^i + 3x) and d/dw_i (0.75 · 2 a_i w_i) against finite differences.
        GradCheck.Double(t => Buffers.StaticTables(t[0], t.AsSpan(1)),
            t =>
            {
                var g = new double[4];
                double v = Buffers.StaticTablesGradient(t[0], t.AsSpan(1), out double dx, g);
                return (v, GradCheck.Concat(new[] { dx }, g));
            }, GradCheck.Random(5, 90));
    }

    [Fact]
    public void StaticTablesNamedLikeGradientsOrPassedToOtherMethods()
    {
        GradCheck.Double(t => StaticTablesAsArguments.NamedLikeAGradient(t[0]),
            t => (StaticTablesAsArguments.NamedLikeAGradientGradient(t[0], out double d), new[] { d }), new[] { 0.7 });
        GradCheck.Double(t => StaticTablesAsArguments.WithTable(t),
            t => { var g = new double[3]; return (StaticTablesAsArguments.WithTableGradient(t, g), g); }, GradCheck.Random(3, 91));
        double[] c = { 9, 2, -1, 0.5 };
        GradCheck.Double(t => StaticTablesAsArguments.WithView(t, c),
            t => { var g = new double[3]; return (StaticTablesAsArguments.WithViewGradient(t, c, g), g); }, GradCheck.Random(3, 92));
    }

    [Fact]
    public void AnAdditionThatReadsAScalarAdjointIsNotMovedPastAChangeToIt()
    {
        // dA[0] += (clamp in range) ? dX : 0 must read dX before line 1's reverse adds to it.
        double[] a = { 0.3, 0.1, -0.2, 0.4 };
        GradCheck.Double(t => CoalescedAdditions.ClampAfterUse(t[0], t[1..]),
            t =>
            {
                var g = new double[4];
                double v = CoalescedAdditions.ClampAfterUseGradient(t[0], t[1..], out double dx, g);
                return (v, GradCheck.Concat(new[] { dx }, g));
            }, GradCheck.Concat(new[] { 0.5 }, a));
    }
}
