using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Scalar;

public class JointLoopTests
{
    [Fact]
    public void MeanSquaredError()
    {
        double[] x = GradCheck.Random(12, 60, -2, 2);
        double[] y = GradCheck.Random(12, 61, -2, 2);
        GradCheck.Double(t => JointLoops.MeanSquaredError(t, x, y, 12),
            t => { var g = new double[2]; return (JointLoops.MeanSquaredErrorGradient(t, x, y, 12, g), g); }, new[] { 0.7, -0.3 });
    }

    [Fact]
    public void ThroughIntermediate() => GradCheck.Double(
        t => JointLoops.ThroughIntermediate(t[0], t[1..], 6),
        t =>
        {
            var g = new double[6];
            double v = JointLoops.ThroughIntermediateGradient(t[0], t[1..], 6, out double da, g);
            return (v, GradCheck.Concat(new[] { da }, g));
        },
        GradCheck.Random(7, 62));

    [Fact]
    public void NonLinearTail() => Check(JointLoops.NonLinearTail, JointLoops.NonLinearTailGradient, 63);

    [Fact]
    public void CarriedCounter() => Check(JointLoops.CarriedCounter, JointLoops.CarriedCounterGradient, 64);

    [Fact]
    public void CarriedProduct() => Check(JointLoops.CarriedProduct, JointLoops.CarriedProductGradient, 65);

    [Fact]
    public void TwoLoops() => Check(JointLoops.TwoLoops, JointLoops.TwoLoopsGradient, 66);

    [Theory]
    [InlineData(7)]
    [InlineData(1)]
    public void GuardedSum(int n)
    {
        double[] w = GradCheck.Random(7, 72);
        GradCheck.Double(t => JointLoops.GuardedSum(t, n),
            t => { var g = new double[t.Length]; return (JointLoops.GuardedSumGradient(t, n, g), g); }, w);
    }

    [Fact]
    public void BranchThenNonLinear() => Check(JointLoops.BranchThenNonLinear, JointLoops.BranchThenNonLinearGradient, 73);

    [Fact]
    public void DataAndPenalty()
    {
        double[] x = GradCheck.Random(6, 74, -2, 2);
        GradCheck.Double(t => JointLoops.DataAndPenalty(t, x, 6),
            t => { var g = new double[t.Length]; return (JointLoops.DataAndPenaltyGradient(t, x, 6, g), g); }, GradCheck.Random(6, 75));
    }

    [Fact]
    public void ReassignedLocals() => Check(JointLoops.ReassignedLocals, JointLoops.ReassignedLocalsGradient, 76);

    [Fact]
    public void While() => Check(JointLoops.While, JointLoops.WhileGradient, 71);

    [Fact]
    public void DoWhile() => Check(JointLoops.DoWhile, JointLoops.DoWhileGradient, 67);

    [Fact]
    public void ReadValueOverwrittenAfter() => GradCheck.Double(
        t => JointLoops.ReadValueOverwrittenAfter(t[0], t[1..], 5),
        t =>
        {
            var g = new double[5];
            double v = JointLoops.ReadValueOverwrittenAfterGradient(t[0], t[1..], 5, out double da, g);
            return (v, GradCheck.Concat(new[] { da }, g));
        },
        GradCheck.Random(6, 68));

    [Fact]
    public void ScratchPerIteration()
    {
        const int points = 5, d = 3, k = 4;
        double[] x = GradCheck.Random(points * d, 69, -2, 2);
        GradCheck.Double(t => JointLoops.ScratchPerIteration(t, x, points, d, k),
            t => { var g = new double[t.Length]; return (JointLoops.ScratchPerIterationGradient(t, x, points, d, k, g), g); },
            GradCheck.Random(k * d, 70, -2, 2));
    }

    [Fact]
    public void FloatWithBreakStopsWhereTheForwardStopped()
    {
        float[] w = { 0.1f, -0.4f, 0.3f, 0.9f, 0.5f, -0.2f };
        GradCheck.Float(t => JointLoops.FloatWithBreak(t, t.Length),
            t => { var g = new float[t.Length]; return (JointLoops.FloatWithBreakGradient(t, t.Length, g), g); }, w);
        var gradient = new float[w.Length];
        JointLoops.FloatWithBreakGradient(w, w.Length, gradient);
        Assert.Equal(0f, gradient[4]);
        Assert.NotEqual(0f, gradient[2]);
    }

    [Fact]
    public void FloatWithBranch() => GradCheck.Float(t => JointLoops.FloatWithBranch(t, t.Length),
        t => { var g = new float[t.Length]; return (JointLoops.FloatWithBranchGradient(t, t.Length, g), g); },
        new[] { 0.1f, -0.4f, 0.3f, 0.9f, 0.5f, -0.2f });

    [Theory]
    [InlineData(0.3)]
    [InlineData(1.0)]
    public void CodeAfterTheReverseSweepReadsNoRestoredValue(double x)
    {
        // Each of these took another path in the gradient's forward sweep than the primal (50.8 for 2.27, 1.71 for 4.69).
        double[] a = { 0.5, 0.2, -0.4, 0.7, 0.9 };
        foreach (var (primal, gradient) in new (System.Func<double[], double, double>, ArrayAndScalar)[]
        {
            (JointLoops.StepAfterRestore, JointLoops.StepAfterRestoreGradient),
            (JointLoops.ConditionOnPrivateArray, JointLoops.ConditionOnPrivateArrayGradient),
            (JointLoops.StepAfterInnerLoop, JointLoops.StepAfterInnerLoopGradient),
        })
        {
            GradCheck.Double(t => primal(t[..5], t[5]),
                t =>
                {
                    var g = new double[5];
                    double v = gradient(t[..5], t[5], g, out double dx);
                    return (v, GradCheck.Concat(g, new[] { dx }));
                },
                GradCheck.Concat(a, new[] { x }));
        }
    }

    private delegate double ArrayAndScalar(double[] a, double x, System.Span<double> dA, out double dX);

    private static void Check(System.Func<double[], int, double> primal, GradientOf gradient, int seed)
    {
        double[] w = GradCheck.Random(7, seed);
        GradCheck.Double(t => primal(t, t.Length),
            t => { var g = new double[t.Length]; return (gradient(t, t.Length, g), g); }, w);
    }

    private delegate double GradientOf(double[] w, int n, System.Span<double> dW);

    [Fact]
    public void AnAccumulatorAnEarlierLoopUpdatesKeepsItsSum()
    {
        // s = 1 + x + x² after the first loop (n = 3), then + 3x: with x = 0.5, 3.25.
        Assert.Equal(3.25, JointLoops.AccumulatorAfterARecurrence(0.5, 3), 12);
        Assert.Equal(3.25, JointLoops.AccumulatorAfterARecurrenceGradient(0.5, 3, out _), 12);
        GradCheck.Double(t => JointLoops.AccumulatorAfterARecurrence(t[0], 3),
            t => (JointLoops.AccumulatorAfterARecurrenceGradient(t[0], 3, out double d), new[] { d }), new[] { 0.5 });
    }

    [Fact]
    public void AValueTheLoopReadsAddedToAfterwardsPassesNothingOn()
    {
        double value = JointLoops.ReadThenIncrementedGradient(0.5, 0.25, 3, out double dX, out double dA);
        Assert.Equal(1.5, value, 12);
        Assert.Equal(3.0, dX, 12);
        Assert.Equal(0.0, dA);
    }

    /// <summary>
    /// Writes through another name of an array the loop reads, after the loop: the gradient with respect to w and y
    /// (found by review helper-50: dW = [1, 0, 4] and dY = -1 against [1, -2, 4] and 1 for the first).
    /// </summary>
    [Theory]
    [InlineData(nameof(JointLoops.SliceWrittenAfter))]
    [InlineData(nameof(JointLoops.ViewIncrementedAfter))]
    [InlineData(nameof(JointLoops.AliasIncrementedAfter))]
    [InlineData(nameof(JointLoops.ViewReadArrayWrittenAfter))]
    [InlineData(nameof(JointLoops.CoefficientChangedThroughView))]
    public void WritesThroughAnotherNameAfterTheLoop(string method)
    {
        (System.Func<double[], double, int, double> primal, ArrayScalarCount gradient) = method switch
        {
            nameof(JointLoops.SliceWrittenAfter) => ((System.Func<double[], double, int, double>)JointLoops.SliceWrittenAfter, (ArrayScalarCount)JointLoops.SliceWrittenAfterGradient),
            nameof(JointLoops.ViewIncrementedAfter) => (JointLoops.ViewIncrementedAfter, JointLoops.ViewIncrementedAfterGradient),
            nameof(JointLoops.AliasIncrementedAfter) => (JointLoops.AliasIncrementedAfter, JointLoops.AliasIncrementedAfterGradient),
            nameof(JointLoops.ViewReadArrayWrittenAfter) => (JointLoops.ViewReadArrayWrittenAfter, JointLoops.ViewReadArrayWrittenAfterGradient),
            _ => (JointLoops.CoefficientChangedThroughView, JointLoops.CoefficientChangedThroughViewGradient),
        };
        double[] start = { 0.5, -1.0, 2.0, 3.0 }; // w[0..2], then y (or x)
        GradCheck.Double(t => primal(t[..3], t[3], 3), t =>
        {
            var g = new double[3];
            double value = gradient(t[..3], t[3], 3, g, out double dScalar);
            return (value, new[] { g[0], g[1], g[2], dScalar });
        }, start);
    }

    private delegate double ArrayScalarCount(double[] w, double y, int n, System.Span<double> dW, out double dY);
}
