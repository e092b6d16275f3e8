using System;
using System.Linq;
using AutoGrad.Health;
using AutoGrad.Optim;
using AutoGrad.Probes;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Tensors;

/// <summary>
/// A feed-forward stack whose depth is known only at run time (review helper-62): its sites read across iterations
/// like a recurrence's, and the advice spoke of time steps and LSTM cells, and of the gradient crossing one layer.
/// </summary>
public static partial class RunTimeDepthStack
{
    [Differentiable]
    public static float Loss(Tensor[] w, Tensor[] b, [NoGrad] Tensor x, [NoGrad] int[] labels)
    {
        var h = x;
        for (int l = 0; l < w.Length; l++)
            h = Nn.Sigmoid(Nn.Linear(h, w[l], b[l]));
        return Nn.SoftmaxCrossEntropy(h, labels);
    }

    /// <summary>Review helper-93: a tanh stack of run-time depth under a linear head.</summary>
    [Differentiable]
    public static float WithHead(Tensor[] w, Tensor[] b, Tensor wo, Tensor bo, [NoGrad] Tensor x, [NoGrad] Tensor y)
    {
        var h = x;
        for (int l = 0; l < w.Length; l++)
            h = Nn.Tanh(Nn.Linear(h, w[l], b[l]));
        return Nn.Mse(Nn.Linear(h, wo, bo), y);
    }

    /// <summary>Review helper-67: an Elman RNN whose shared weight has another name, and a bias per step.</summary>
    [Differentiable]
    public static float SharedUnderAnotherName(Tensor wsh, Tensor[] b, [NoGrad] Tensor x, int n)
    {
        var h = x;
        var ws = Nn.Scale(wsh, 1f);
        for (int l = 0; l < n; l++)
            h = Nn.Tanh(Nn.Add(Nn.MatMul(h, ws), b[l]));
        return Nn.Sum(h);
    }

    /// <summary>Review helper-69: the shared weight renamed over two statements, one of them reading itself.</summary>
    [Differentiable]
    public static float SharedInTwoSteps(Tensor wsh, Tensor[] b, [NoGrad] Tensor x, int n)
    {
        var h = x;
        var ws = wsh;
        ws = Nn.Scale(ws, 1f);
        for (int l = 0; l < n; l++)
            h = Nn.Tanh(Nn.Add(Nn.MatMul(h, ws), b[l]));
        return Nn.Sum(h);
    }

    /// <summary>Review helper-68: the shared weight renamed inside the loop.</summary>
    [Differentiable]
    public static float SharedRenamedInside(Tensor wsh, Tensor[] b, [NoGrad] Tensor x, int n)
    {
        var h = x;
        for (int l = 0; l < n; l++)
        {
            Tensor wl = wsh;
            h = Nn.Tanh(Nn.Add(Nn.MatMul(h, wl), b[l]));
        }
        return Nn.Sum(h);
    }

    /// <summary>Review helper-68: an input injected into every layer is an activation, not a shared weight.</summary>
    [Differentiable]
    public static float InputInjection(Tensor wIn, Tensor[] w, Tensor[] b, [NoGrad] Tensor x, [NoGrad] int[] labels)
    {
        var x0 = Nn.Sigmoid(Nn.MatMul(x, wIn));
        var h = x0;
        for (int l = 0; l < w.Length; l++)
            h = Nn.Add(Nn.Sigmoid(Nn.Linear(h, w[l], b[l])), x0);
        return Nn.SoftmaxCrossEntropy(h, labels);
    }

    /// <summary>A recurrence: the same weights every step.</summary>
    [Differentiable]
    public static float Recurrence(Tensor wx, Tensor wh, Tensor bh, [NoGrad] Tensor[] xs, [NoGrad] Tensor h0, int steps)
    {
        var h = h0;
        for (int t = 0; t < steps; t++)
            h = Nn.RnnCell(xs[t], h, wx, wh, bh);
        return Nn.Sum(h);
    }
}

public class RunTimeDepthStackTests
{
    [Fact]
    public void ALoopOverLayersIsMarkedAsSuchAndARecurrenceIsNot()
    {
        Assert.All(RunTimeDepthStack.LossProbeLayout.Sites.Where(s => s.InRecurrence), s => Assert.True(s.AcrossLayers, s.Name));
        Assert.Contains(RunTimeDepthStack.LossProbeLayout.Sites, s => s.InRecurrence);
        Assert.All(RunTimeDepthStack.RecurrenceProbeLayout.Sites, s => Assert.False(s.AcrossLayers, s.Name));
        Assert.All(RunTimeDepthStack.SharedUnderAnotherNameProbeLayout.Sites, s => Assert.False(s.AcrossLayers, s.Name));
        Assert.All(RunTimeDepthStack.SharedRenamedInsideProbeLayout.Sites, s => Assert.False(s.AcrossLayers, s.Name));
        Assert.All(RunTimeDepthStack.SharedInTwoStepsProbeLayout.Sites, s => Assert.False(s.AcrossLayers, s.Name));
        Assert.All(RunTimeDepthStack.InputInjectionProbeLayout.Sites.Where(s => s.InRecurrence), s => Assert.True(s.AcrossLayers, s.Name));
        Assert.Contains(RunTimeDepthStack.RecurrenceProbeLayout.Sites, s => s.InRecurrence);
    }

    [Fact]
    public void AVanishingLoopOverLayersGetsADeepStacksAdvice()
    {
        // Ten sigmoid layers with small weights: the gradient fades from layer to layer.
        const int depth = 10, width = 8, batch = 16;
        Tensor[] w = Enumerable.Range(0, depth).Select(l => Tensor.FromValues(GradCheck.RandomFloat(width * width, 40 + l, -0.1f, 0.1f), width, width)).ToArray();
        Tensor[] b = Enumerable.Range(0, depth).Select(l => Tensor.Zeros(width)).ToArray();
        Tensor[] dW = w.Select(t => Tensor.Zeros(width, width)).ToArray(), dB = b.Select(t => Tensor.Zeros(width)).ToArray();
        Tensor x = Tensor.FromValues(GradCheck.RandomFloat(batch * width, 60), batch, width);
        int[] labels = Enumerable.Range(0, batch).Select(i => i % width).ToArray();
        var probes = new GradientProbes(RunTimeDepthStack.LossProbeLayout);
        var monitor = new HealthMonitor(RunTimeDepthStack.LossProbeLayout);
        for (int step = 0; step < 20; step++)
        {
            float loss = RunTimeDepthStack.LossGradient(w, b, x, labels, dW, dB, probes);
            monitor.Record(step, loss, probes, 0.01);
        }
        HealthReport report = monitor.Report();
        HealthAdvice advice = Assert.Single(report.Advice, a => a.Trigger == "VANISHING");
        Assert.DoesNotContain("LSTM", advice.Suggestion);
        Assert.DoesNotContain("time step", advice.Suggestion);
        Assert.Contains("run-time depth", advice.Suggestion);
        Assert.Contains("ReLU", advice.Suggestion);
        Assert.Contains("per iteration toward the input", advice.Reading);
        Assert.DoesNotContain("time step", advice.Reading + advice.Threshold);
    }

    /// <summary>
    /// The stack's one site 'w' stands for the ParameterList's entries 'w[0]' … 'w[9]': n_in·Var(W) and the update ratio
    /// were missing from its row and from the advice (the entries' names matched no site). The row reads their geometric
    /// means (review helper-70: the arithmetic mean of ratios 3e-4 … 0.5 read 0.16 and was called a geometric one).
    /// </summary>
    [Fact]
    public void AStacksRowReadsItsLayersInitializationAndUpdateRatio()
    {
        const int depth = 10, width = 8, batch = 16;
        Tensor[] w = Enumerable.Range(0, depth).Select(l => Tensor.FromValues(GradCheck.RandomFloat(width * width, 40 + l, -0.1f, 0.1f), width, width)).ToArray();
        Tensor[] b = Enumerable.Range(0, depth).Select(l => Tensor.Zeros(width)).ToArray();
        var parameters = new ParameterList();
        for (int l = 0; l < depth; l++) parameters.Add($"w[{l}]", w[l], Tensor.Zeros(width, width));
        for (int l = 0; l < depth; l++) parameters.Add($"b[{l}]", b[l], Tensor.Zeros(width));
        Tensor[] dW = Enumerable.Range(0, depth).Select(l => parameters[l].Gradient).ToArray();
        Tensor[] dB = Enumerable.Range(0, depth).Select(l => parameters[depth + l].Gradient).ToArray();
        // The independent computation: each layer's n_in·Var(W) from its values, then their geometric mean.
        double expectedScale = Math.Exp(w.Average(t =>
        {
            double mean = t.ToArray().Average(v => (double)v);
            return Math.Log(width * t.ToArray().Average(v => ((double)v - mean) * ((double)v - mean)));
        }));
        Tensor x = Tensor.FromValues(GradCheck.RandomFloat(batch * width, 60), batch, width);
        int[] labels = Enumerable.Range(0, batch).Select(i => i % width).ToArray();
        var probes = new GradientProbes(RunTimeDepthStack.LossProbeLayout);
        var monitor = new HealthMonitor(RunTimeDepthStack.LossProbeLayout);
        var optimizer = new Sgd(parameters);
        for (int step = 0; step <= 20; step++)
        {
            float loss = RunTimeDepthStack.LossGradient(w, b, x, labels, dW, dB, probes);
            monitor.Record(step, loss, probes, 0.5, parameters);
            if (step < 20) optimizer.Step(0.5f); // the last record reads the ratios of the step before it
        }
        HealthReport report = monitor.Report();
        LayerHealth row = Assert.Single(report.Layers, l => l.Name.Split(',').Contains("w"));
        Assert.Equal(expectedScale, row.InitScale, 9);
        Assert.InRange(expectedScale, 0.01, 0.05); // ±0.1 on 8 inputs: far below the 1 a sigmoid stack needs
        Assert.Equal(Math.Exp(Enumerable.Range(0, depth).Average(l => Math.Log(parameters[l].UpdateRatio))), row.UpdateRatio, 12);
        Assert.True(row.UpdateRatio > 0);
        Assert.Contains(report.Advice, a => a.Suggestion.Contains("n_in·Var(W) of w,b was 0.0271 at initialization"));
    }
    /// <summary>
    /// Review helper-88: a list reaching the stack's site 'w' through 'w[k]' entries was taken for the method's
    /// parameters whatever entries it held, and clipped by the probes' norm: a list of some of the layers was
    /// over-clipped, and one with an unused extra entry was not clipped at all. Such a list is clipped by its own norm.
    /// </summary>
    [Fact]
    public void AListOfSomeOfAStacksLayersIsClippedByItsOwnNorm()
    {
        const int depth = 3, width = 8, batch = 16;
        Tensor[] w = Enumerable.Range(0, depth).Select(l => Tensor.FromValues(GradCheck.RandomFloat(width * width, 70 + l, -0.6f, 0.6f), width, width)).ToArray();
        Tensor[] b = Enumerable.Range(0, depth).Select(l => Tensor.Zeros(width)).ToArray();
        Tensor[] dW = Enumerable.Range(0, depth).Select(l => Tensor.Zeros(width, width)).ToArray();
        Tensor[] dB = Enumerable.Range(0, depth).Select(l => Tensor.Zeros(width)).ToArray();
        Tensor x = Tensor.FromValues(GradCheck.RandomFloat(batch * width, 80), batch, width);
        int[] labels = Enumerable.Range(0, batch).Select(i => i % width).ToArray();
        var probes = new GradientProbes(RunTimeDepthStack.LossProbeLayout);
        RunTimeDepthStack.LossGradient(w, b, x, labels, dW, dB, probes);
        // Every bias, and the weights of two of the three layers (the third frozen).
        var some = new ParameterList { { "w[0]", w[0], dW[0] }, { "w[1]", w[1], dW[1] } };
        for (int l = 0; l < depth; l++) some.Add($"b[{l}]", b[l], dB[l]);
        double own = Math.Sqrt(some.Sum(p => p.Gradient.ToArray().Sum(v => (double)v * v)));
        double all = Math.Sqrt(probes.GlobalSquaredNorm());
        Assert.True(all > 1.05 * own, $"{all} against {own}"); // the probes' norm counts w[2] too
        var monitor = new HealthMonitor(RunTimeDepthStack.LossProbeLayout, new HealthOptions { ClipGlobalNorm = own / 2 });

        monitor.Record(0, 1.0, probes, 0.1, some);

        double after = Math.Sqrt(some.Sum(p => p.Gradient.ToArray().Sum(v => (double)v * v)));
        Assert.Equal(1.0, after / (own * (own / 2) / (own + 1e-6)), 5); // clip_grad_norm_ divides by the norm + 1e-6
    }
    /// <summary>Review helper-90: the message for a list named otherwise said to name each entry as the parameter, 'w';
    /// a list then refuses the second entry named 'w'. It names the entries w[0], w[1], ….</summary>
    [Fact]
    public void AListNamedOtherwiseIsToldTheStacksEntryNames()
    {
        Tensor[] w = { Tensor.Zeros(4, 4), Tensor.Zeros(4, 4) };
        Tensor[] b = { Tensor.Zeros(4), Tensor.Zeros(4) };
        Tensor[] dW = { Tensor.Zeros(4, 4), Tensor.Zeros(4, 4) };
        Tensor[] dB = { Tensor.Zeros(4), Tensor.Zeros(4) };
        var probes = new GradientProbes(RunTimeDepthStack.LossProbeLayout);
        RunTimeDepthStack.LossGradient(w, b, Tensor.Zeros(3, 4), new[] { 0, 1, 2 }, dW, dB, probes);
        var list = new ParameterList { { "layer0.w", w[0], dW[0] }, { "layer1.w", w[1], dW[1] } };

        var e = Assert.Throws<ArgumentException>(() => new HealthMonitor(RunTimeDepthStack.LossProbeLayout).Record(0, 1.0, probes, 0.1, list));

        Assert.Contains("w (a Tensor[]: entries w[0], w[1], …)", e.Message);
    }
    /// <summary>Review helper-93: the depth fit took the stack's one pooled site as one layer at depth 0 against the head,
    /// and a healthy 16-layer stack read "grows ×4.1 per layer"; a pooled site is no layer's reading.</summary>
    [Fact]
    public void AStackOfRunTimeDepthIsLeftOutOfTheDepthFit()
    {
        const int depth = 16, width = 8, batch = 4;
        Tensor[] w = Enumerable.Range(0, depth).Select(l => Tensor.FromValues(GradCheck.RandomFloat(width * width, 90 + l, -0.6f, 0.6f), width, width)).ToArray();
        Tensor[] b = Enumerable.Range(0, depth).Select(_ => Tensor.Zeros(width)).ToArray();
        Tensor[] dW = Enumerable.Range(0, depth).Select(_ => Tensor.Zeros(width, width)).ToArray();
        Tensor[] dB = Enumerable.Range(0, depth).Select(_ => Tensor.Zeros(width)).ToArray();
        Tensor wo = Tensor.FromValues(GradCheck.RandomFloat(width * 2, 7, -0.5f, 0.5f), 2, width), bo = Tensor.Zeros(2);
        Tensor x = Tensor.FromValues(GradCheck.RandomFloat(batch * width, 8), batch, width), y = Tensor.Zeros(batch, 2);
        var probes = new GradientProbes(RunTimeDepthStack.WithHeadProbeLayout);
        RunTimeDepthStack.WithHeadGradient(w, b, wo, bo, x, y, dW, dB, Tensor.Zeros(2, width), Tensor.Zeros(2), probes);
        var monitor = new HealthMonitor(RunTimeDepthStack.WithHeadProbeLayout);

        monitor.Record(0, 1.0, probes, 0.1);

        Assert.Contains("no depth fit", monitor.Report().DepthProfile.Describe());
    }
}
