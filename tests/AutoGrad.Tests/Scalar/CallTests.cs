using System;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Scalar;

public class CallTests
{
    [Fact]
    public void CallsPassingScalarsAcrossClasses() => GradCheck.Double(
        t => Calls.CallsScalar(t[0], t[1]),
        t => (Calls.CallsScalarGradient(t[0], t[1], out double dx, out double dy), new[] { dx, dy }),
        new[] { 0.7, -1.3 });

    [Fact]
    public void CallsPassingArraysSpansSlicesAndLocalArrays()
    {
        double[] theta = GradCheck.Random(10, 20);
        GradCheck.Double(t => Calls.CallsWithArrays(t[..5], t[5..], 5),
            t =>
            {
                var gw = new double[5];
                var gv = new double[5];
                double v = Calls.CallsWithArraysGradient(t[..5], t[5..], 5, gw, gv);
                return (v, GradCheck.Concat(gw, gv));
            }, theta);
    }

    [Fact]
    public void CallsInsideLoopsIncludingCustomPullbacks()
    {
        double[] w = GradCheck.Random(6, 21);
        GradCheck.Double(t => Calls.CallsInLoop(t, t.Length),
            t => { var g = new double[t.Length]; return (Calls.CallsInLoopGradient(t, t.Length, g), g); }, w);
    }

    [Fact]
    public void InactiveArgumentsToADifferentiableCallee()
    {
        double[] data = GradCheck.Random(5, 22);
        double expected = 0;
        foreach (double d in data) expected += d * d;
        Calls.InactiveArgumentToCalleeGradient(data, 2.0, out double dScale);
        Assert.Equal(expected, dScale, 12);
    }

    [Fact]
    public void CustomPullbacksWithResultAndSpanGradients()
    {
        double[] theta = GradCheck.Concat(GradCheck.Random(3, 23), new[] { 1.7 });
        GradCheck.Double(t => Helpers.UsesCustom(t[..3], t[3]),
            t =>
            {
                var g = new double[3];
                double v = Helpers.UsesCustomGradient(t[..3], t[3], g, out double dx);
                return (v, GradCheck.Concat(g, new[] { dx }));
            }, theta);
    }

    [Fact]
    public void OmittedOptionalArgumentsTakeTheirDefaults()
    {
        // The generator crashed (AG9999) on a call that left out optional arguments.
        double value = Helpers.CallsWithDefaultsGradient(0.7, out double dx);
        Assert.Equal(Helpers.CallsWithDefaults(0.7), value);
        Assert.Equal(2 * (2.5 * 3 + 0.5 * 3) * 0.7 + 5, dx, 12); // 'a "b"' has 5 characters
    }

    [Fact]
    public void AnExtensionMethodCalledWithExtensionSyntax()
    {
        double value = Helpers.CallsExtensionGradient(0.7, out double dx);
        Assert.Equal(Helpers.CallsExtension(0.7), value);
        Assert.Equal(6 * 0.7 * 0.7, dx, 12);
    }

    [Fact]
    public void GeneratedPullbackAccumulatesScaledGradients()
    {
        double dx = 10;
        double value = Calls.SquarePullback(3.0, 0.5, ref dx);
        Assert.Equal(9.0, value);
        Assert.Equal(10 + 0.5 * 6.0, dx);
    }
}
