using System;
using AutoGrad.Testing;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Scalar;

public class ProgramTests
{
    [Fact]
    public void Rosenbrock()
    {
        double[] x = GradCheck.Random(8, 30, -1.5, 1.5);
        GradCheck.Double(t => Programs.Rosenbrock(t),
            t => { var g = new double[t.Length]; return (Programs.RosenbrockGradient(t, g), g); }, x);
    }

    [Fact]
    public void RosenbrockMatchesClosedForm()
    {
        double[] x = GradCheck.Random(6, 31);
        var g = new double[6];
        Programs.RosenbrockGradient(x, g);
        for (int i = 0; i < x.Length; i++)
        {
            double expected = 0;
            if (i < x.Length - 1) expected += -400 * x[i] * (x[i + 1] - x[i] * x[i]) - 2 * (1 - x[i]);
            if (i > 0) expected += 200 * (x[i] - x[i - 1] * x[i - 1]);
            Assert.Equal(expected, g[i], 10);
        }
    }

    [Fact]
    public void LogSumExpGradientIsSoftmax()
    {
        double[] x = GradCheck.Random(9, 32, -3, 3);
        var g = new double[9];
        double lse = Programs.LogSumExpGradient(x, g);
        for (int i = 0; i < x.Length; i++) Assert.Equal(Math.Exp(x[i] - lse), g[i], 12);
        GradCheck.Double(t => Programs.LogSumExp(t),
            t => { var gg = new double[t.Length]; return (Programs.LogSumExpGradient(t, gg), gg); }, x);
    }

    [Fact]
    public void GaussianMixtureLogLikelihood()
    {
        const int n = 6, d = 3, k = 4;
        double[] x = GradCheck.Random(n * d, 33, -2, 2);
        double[] theta = GradCheck.Concat(GradCheck.Random(k, 34), GradCheck.Random(k * d, 35), GradCheck.Random(k * d, 36, -0.5, 0.5));
        GradCheck.Double(t => Programs.GaussianMixture(t[..k], t[k..(k + k * d)], t[(k + k * d)..], x, n, d, k),
            t =>
            {
                var gw = new double[k];
                var gm = new double[k * d];
                var gs = new double[k * d];
                double v = Programs.GaussianMixtureGradient(t[..k], t[k..(k + k * d)], t[(k + k * d)..], x, n, d, k, gw, gm, gs);
                return (v, GradCheck.Concat(gw, gm, gs));
            }, theta);
    }

    [Fact]
    public void LstmStyleRecurrenceOverwritingState()
    {
        const int hidden = 3, steps = 7;
        double[] inputs = GradCheck.Random(steps, 37);
        double[] weights = GradCheck.Random(2 * hidden + hidden * hidden, 38, -0.8, 0.8);
        GradCheck.Double(t => Programs.LstmRecurrence(t, inputs, steps, hidden),
            t => { var g = new double[t.Length]; return (Programs.LstmRecurrenceGradient(t, inputs, steps, hidden, g), g); }, weights);
    }

    [Fact]
    public void RungeKuttaIntegration() => GradCheck.Double(
        t => Programs.RungeKutta(t[0], t[1], t[2], 50, 0.05),
        t => (Programs.RungeKuttaGradient(t[0], t[1], t[2], 50, 0.05, out double dk, out double dc, out double dx0), new[] { dk, dc, dx0 }),
        new[] { 2.0, 0.3, 1.0 });

    [Fact]
    public void MlpWrittenWithLoops()
    {
        const int batch = 4, inputs = 5, hidden = 6, classes = 3;
        double[] x = GradCheck.Random(batch * inputs, 39);
        int[] labels = { 0, 2, 1, 2 };
        int s1 = hidden * inputs, s2 = hidden, s3 = classes * hidden;
        double[] theta = GradCheck.Random(s1 + s2 + s3 + classes, 40, -0.5, 0.5);
        GradCheck.Double(
            t => Programs.Mlp(t[..s1], t[s1..(s1 + s2)], t[(s1 + s2)..(s1 + s2 + s3)], t[(s1 + s2 + s3)..], x, labels, batch, inputs, hidden, classes),
            t =>
            {
                var g1 = new double[s1];
                var g2 = new double[s2];
                var g3 = new double[s3];
                var g4 = new double[classes];
                double v = Programs.MlpGradient(t[..s1], t[s1..(s1 + s2)], t[(s1 + s2)..(s1 + s2 + s3)], t[(s1 + s2 + s3)..], x, labels,
                    batch, inputs, hidden, classes, g1, g2, g3, g4);
                return (v, GradCheck.Concat(g1, g2, g3, g4));
            }, theta);
    }

    [Fact]
    public void SteadyStateCallsDoNotAllocate()
    {
        const int hidden = 3, steps = 20;
        double[] inputs = GradCheck.Random(steps, 41);
        double[] weights = GradCheck.Random(2 * hidden + hidden * hidden, 42);
        var g = new double[weights.Length];
        double[] x = GradCheck.Random(50, 43);
        var gx = new double[50];
        Allocations.AssertNoneAfterWarmUp(() =>
        {
            Programs.RosenbrockGradient(x, gx);
            Programs.LogSumExpGradient(x, gx);
            ControlFlow.BreakAndContinueGradient(x, 50, 3.0, gx);
        });
        // The LSTM allocates its own state arrays (user code); the generated part must not add per-call garbage
        // beyond them: three arrays of 'hidden' doubles per call.
        for (int i = 0; i < 50; i++) Programs.LstmRecurrenceGradient(weights, inputs, steps, hidden, g);
        // The least of a few calls: the runtime may allocate on this thread while re-compiling (see Allocations).
        long perCall = long.MaxValue;
        for (int i = 0; i < 5; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Programs.LstmRecurrenceGradient(weights, inputs, steps, hidden, g);
            perCall = Math.Min(perCall, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.True(perCall <= 3 * (24 + 8 * hidden + 8), $"allocated {perCall} bytes per call");
    }
}
