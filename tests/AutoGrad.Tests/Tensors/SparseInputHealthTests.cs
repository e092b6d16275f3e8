using System;
using System.Linq;
using AutoGrad.Health;
using AutoGrad.Init;
using AutoGrad.Optim;
using AutoGrad.Probes;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Tensors;

/// <summary>A two-hidden-layer ReLU network, the layers the dead-unit rules are about.</summary>
public static partial class TwoReluLayers
{
    [Differentiable]
    public static float Loss(Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor w3, Tensor b3,
                             [NoGrad] Tensor x, [NoGrad] int[] labels)
    {
        var h1 = Nn.Relu(Nn.Linear(x, w1, b1));
        var h2 = Nn.Relu(Nn.Linear(h1, w2, b2));
        return Nn.SoftmaxCrossEntropy(Nn.Linear(h2, w3, b3), labels);
    }
}

/// <summary>
/// A ReLU layer's weight gradient is mostly zeros in two different situations: its units died (whole rows of dW are 0,
/// and so are their bias gradients) or its input is sparse (whole columns are 0: one-hot inputs, and at batch 1 the
/// zeros of the ReLU below it, with half of the layer's own units inactive for that one example). Only the first is
/// DEAD; the second read DEAD with advice to switch to leaky ReLU.
/// </summary>
public class SparseInputHealthTests
{
    private const int Inputs = 48, Hidden = 64, Classes = 10;

    private static (ParameterList Parameters, Tensor[] Values) Network(ulong seed, float firstBias = 0)
    {
        int[][] shapes = [[Hidden, Inputs], [Hidden], [Hidden, Hidden], [Hidden], [Classes, Hidden], [Classes]];
        string[] names = ["w1", "b1", "w2", "b2", "w3", "b3"];
        var parameters = new ParameterList();
        var values = new Tensor[shapes.Length];
        for (int i = 0; i < shapes.Length; i++)
        {
            values[i] = Tensor.Zeros(shapes[i]);
            if (shapes[i].Length == 2) Initializers.HeNormal(values[i], seed + (ulong)i);
            parameters.Add(names[i], values[i], Tensor.Zeros(shapes[i]));
        }
        values[1].Span.Fill(firstBias);
        return (parameters, values);
    }

    private static HealthMonitor Step(ParameterList p, Tensor[] v, Tensor x, int[] labels)
    {
        var probes = new GradientProbes(TwoReluLayers.LossProbeLayout);
        var monitor = new HealthMonitor(TwoReluLayers.LossProbeLayout);
        float loss = TwoReluLayers.LossGradient(v[0], v[1], v[2], v[3], v[4], v[5], x, labels,
            p[0].Gradient, p[1].Gradient, p[2].Gradient, p[3].Gradient, p[4].Gradient, p[5].Gradient, probes);
        monitor.Record(0, loss, probes, 0.01, p);
        return monitor;
    }

    private static double ZeroFraction(Tensor t) => t.ToArray().Count(g => g == 0) / (double)t.Length;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(9)]
    public void AtBatchOneTheSecondReluLayerIsNotDead(int seed)
    {
        (ParameterList p, Tensor[] v) = Network(seed: (ulong)seed);
        Tensor x = Tensor.FromValues(GradCheck.RandomFloat(Inputs, 7), 1, Inputs);
        HealthMonitor monitor = Step(p, v, x, [3]);

        // The situation: about three quarters of w2's gradient is 0 (a column per inactive input, a row per inactive
        // unit), while fewer than 70% of the units are inactive for the example.
        Assert.True(ZeroFraction(p[2].Gradient) >= 0.7, $"w2's gradient is {ZeroFraction(p[2].Gradient):P0} zeros");
        Assert.True(ZeroFraction(p[3].Gradient) < 0.7, $"b2's gradient is {ZeroFraction(p[3].Gradient):P0} zeros");
        HealthReport report = monitor.Report();
        Assert.Equal(HealthStatus.Ok, report.Layers[1].Status);
        Assert.DoesNotContain(report.Advice, a => a.Trigger == "DEAD");
    }

    [Fact]
    public void OneHotInputsLeaveTheFirstReluLayerAlive()
    {
        // Eight examples, each one of 48 categories: at least 40 of w1's 48 columns get no gradient (83% or more).
        (ParameterList p, Tensor[] v) = Network(seed: 11, firstBias: 0.1f);
        const int batch = 8;
        var data = new float[batch * Inputs];
        for (int r = 0; r < batch; r++) data[r * Inputs + (r * 5) % Inputs] = 1;
        Tensor x = Tensor.FromValues(data, batch, Inputs);
        HealthMonitor monitor = Step(p, v, x, Enumerable.Range(0, batch).Select(r => r % Classes).ToArray());

        Assert.True(ZeroFraction(p[0].Gradient) >= 0.8, $"w1's gradient is {ZeroFraction(p[0].Gradient):P0} zeros");
        HealthReport report = monitor.Report();
        Assert.Equal(HealthStatus.Ok, report.Layers[0].Status);
        Assert.DoesNotContain(report.Advice, a => a.Trigger == "DEAD");
    }

    [Fact]
    public void ReluUnitsPushedNegativeAreStillDead()
    {
        // The same network with its first layer's units biased far below zero: no unit is ever positive, w1's
        // gradient and b1's are 0, and the layer is DEAD with the leaky-ReLU advice.
        (ParameterList p, Tensor[] v) = Network(seed: 5, firstBias: -100);
        Tensor x = Tensor.FromValues(GradCheck.RandomFloat(8 * Inputs, 7), 8, Inputs);
        HealthMonitor monitor = Step(p, v, x, [0, 1, 2, 3, 4, 5, 6, 7]);

        // (w3 reads DEAD too: every input it has is 0.)
        HealthReport report = monitor.Report();
        Assert.Equal(HealthStatus.Dead, report.Layers[0].Status);
        Assert.Equal(HealthRule.ZeroGradients, report.Layers[0].Rule);
        Assert.Contains(report.Advice, a => a.Trigger == "DEAD" && a.Reading.Contains("of w1's gradient") && a.Suggestion.Contains("leaky ReLU"));
    }
}
