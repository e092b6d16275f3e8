using System;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Scalar;

public class ControlFlowTests
{
    [Theory]
    [InlineData(2.0, 1.0)]
    [InlineData(-2.0, 1.0)]
    [InlineData(0.5, 1.0)]
    public void ConditionalExpression(double x, double y) => GradCheck.Double(
        t => ControlFlow.Conditional(t[0], t[1]),
        t => (ControlFlow.ConditionalGradient(t[0], t[1], out double dx, out double dy), new[] { dx, dy }),
        new[] { x, y });

    [Theory]
    [InlineData(2.0, 1.0, 0)]
    [InlineData(-2.0, 1.0, 0)]
    [InlineData(0.5, 3.0, 1)]
    [InlineData(0.5, 1.0, 2)]
    [InlineData(0.5, 1.0, 3)]
    public void IfElseIfElse(double x, double y, int mode) => GradCheck.Double(
        t => ControlFlow.IfElseChain(t[0], t[1], mode),
        t => (ControlFlow.IfElseChainGradient(t[0], t[1], mode, out double dx, out double dy), new[] { dx, dy }),
        new[] { x, y });

    [Theory]
    [InlineData(-1.0, 2.0)]
    [InlineData(3.0, 2.0)]
    [InlineData(1.0, 2.0)]
    public void EarlyReturn(double x, double y) => GradCheck.Double(
        t => ControlFlow.EarlyReturn(t[0], t[1]),
        t => (ControlFlow.EarlyReturnGradient(t[0], t[1], out double dx, out double dy), new[] { dx, dy }),
        new[] { x, y });

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(9)]
    public void WhileLoopWithRuntimeBound(int n) => GradCheck.Double(
        t => ControlFlow.WhileLoop(t[0], n),
        t => (ControlFlow.WhileLoopGradient(t[0], n, out double dx), new[] { dx }),
        new[] { 0.9 });

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public void DoLoop(int n) => GradCheck.Double(
        t => ControlFlow.DoLoop(t[0], n),
        t => (ControlFlow.DoLoopGradient(t[0], n, out double dx), new[] { dx }),
        new[] { 1.1 });

    [Fact]
    public void NestedLoops()
    {
        double[] w = GradCheck.Random(12, 1);
        GradCheck.Double(t => ControlFlow.NestedLoops(t, 3, 4),
            t => { var g = new double[t.Length]; return (ControlFlow.NestedLoopsGradient(t, 3, 4, g), g); }, w);
    }

    [Theory]
    [InlineData(100.0)] // never breaks
    [InlineData(0.6)]   // breaks part-way
    public void BreakAndContinue(double limit)
    {
        double[] w = GradCheck.Random(10, 2);
        GradCheck.Double(t => ControlFlow.BreakAndContinue(t, t.Length, limit),
            t => { var g = new double[t.Length]; return (ControlFlow.BreakAndContinueGradient(t, t.Length, limit, g), g); }, w);
    }

    [Theory]
    [InlineData(0.9)]  // runs to the end
    [InlineData(0.05)] // returns from inside the loop
    public void ReturnFromInsideLoop(double scale)
    {
        double[] w = GradCheck.Random(6, 3, 0.5, 1.5);
        for (int i = 0; i < w.Length; i++) w[i] *= scale;
        GradCheck.Double(t => ControlFlow.ReturnFromLoop(t, t.Length),
            t => { var g = new double[t.Length]; return (ControlFlow.ReturnFromLoopGradient(t, t.Length, g), g); }, w);
    }

    [Fact]
    public void ConstantBoundLoopIsUnrolled()
    {
        double[] theta = GradCheck.Concat(GradCheck.Random(8, 4), new[] { 0.3 });
        GradCheck.Double(t => ControlFlow.UnrolledConstantLoop(t.AsSpan(0, 8), t[8]),
            t =>
            {
                var g = new double[8];
                double v = ControlFlow.UnrolledConstantLoopGradient(t.AsSpan(0, 8), t[8], g, out double dx);
                return (v, GradCheck.Concat(g, new[] { dx }));
            }, theta);
    }

    [Fact]
    public void CountingDownWithStride()
    {
        double[] w = GradCheck.Random(9, 5);
        GradCheck.Double(t => ControlFlow.CountingDown(t, t.Length),
            t => { var g = new double[t.Length]; return (ControlFlow.CountingDownGradient(t, t.Length, g), g); }, w);
    }

    [Fact]
    public void BranchInsideLoopTakesBothPaths()
    {
        double[] w = { 0.8, -0.5, 1.2, -0.9, 0.3, 0.7 };
        GradCheck.Double(t => ControlFlow.BranchInLoop(t, t.Length),
            t => { var g = new double[t.Length]; return (ControlFlow.BranchInLoopGradient(t, t.Length, g), g); }, w);
    }
}
