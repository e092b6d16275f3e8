using System.Linq;
using AutoGrad.Health;
using AutoGrad.Optim;
using AutoGrad.Probes;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Tensors;

/// <summary>
/// Layers written with MatMul and Add rather than Linear (review helper-62): a bias added to x·W started a layer of
/// its own (with a batch normalization after it, the bias alone read VANISHING), and n_in·Var(W) of a MatMul weight,
/// which is [in, out], was computed as if it were [out, in].
/// </summary>
public static partial class MatMulLayers
{
    [Differentiable]
    public static float Loss(Tensor w1, Tensor b1, Tensor w2, Tensor b2, [NoGrad] Tensor x, [NoGrad] int[] labels)
    {
        var h = Nn.Relu(Nn.Add(Nn.MatMul(x, w1), b1));
        return Nn.SoftmaxCrossEntropy(Nn.Add(Nn.MatMul(h, w2), b2), labels);
    }

    [Differentiable]
    public static float Split(Tensor w1, Tensor b1, Tensor w2, [NoGrad] Tensor x, [NoGrad] Tensor y)
    {
        var z = Nn.MatMul(x, w1);
        var a = Nn.Sub(z, b1);
        var h = Nn.Tanh(a);
        var o = Nn.Add(Nn.MatMul(h, w2), h); // a residual add reads no parameter: no layer of its own
        return Nn.Mse(o, y);
    }

    /// <summary>Review helper-65: in a loop with a run-time bound the bias was still a layer of its own.</summary>
    [Differentiable]
    public static float RunTimeStack(Tensor[] w, Tensor[] b, [NoGrad] Tensor x, [NoGrad] Tensor y)
    {
        var h = x;
        for (int l = 0; l < w.Length; l++)
            h = Nn.Tanh(Nn.Add(Nn.MatMul(h, w[l]), b[l]));
        return Nn.Mse(h, y);
    }

    /// <summary>Review helper-66: the same, written over several statements.</summary>
    [Differentiable]
    public static float RunTimeStackSplit(Tensor[] w, Tensor[] b, [NoGrad] Tensor x, [NoGrad] Tensor y)
    {
        var h = x;
        for (int l = 0; l < w.Length; l++)
        {
            var z = Nn.MatMul(h, w[l]);
            z = Nn.Add(z, b[l]);
            h = Nn.Tanh(z);
        }
        return Nn.Mse(h, y);
    }

    [Differentiable]
    public static float BiasAfterActivation(Tensor w1, Tensor b1, [NoGrad] Tensor x, [NoGrad] Tensor y) =>
        Nn.Mse(Nn.Add(Nn.Tanh(Nn.MatMul(x, w1)), b1), y);
}

public class MatMulLayerTests
{
    private static ProbeSite Site(ProbeLayout layout, string name) => layout.Sites.Single(s => s.Name == name && s.Kind == ProbeKind.Parameter);

    [Fact]
    public void ABiasAddedToAProductIsInItsLayerAndAMatMulWeightCountsItsRowsAsInputs()
    {
        ProbeLayout layout = MatMulLayers.LossProbeLayout;
        Assert.Equal(0, Site(layout, "w1").Depth);
        Assert.Equal(0, Site(layout, "b1").Depth);
        Assert.Equal("Relu", Site(layout, "b1").Activation);
        Assert.Equal(1, Site(layout, "w2").Depth);
        Assert.Equal(1, Site(layout, "b2").Depth);
        Assert.Equal(0, Site(layout, "w1").FanInAxis);
        Assert.Equal(1, Site(layout, "b1").FanInAxis);

        ProbeLayout split = MatMulLayers.SplitProbeLayout;
        Assert.Equal(new[] { 0, 0, 1 }, new[] { "w1", "b1", "w2" }.Select(n => Site(split, n).Depth));
        Assert.Equal("Tanh", Site(split, "b1").Activation);

        ProbeLayout stack = MatMulLayers.RunTimeStackProbeLayout;
        Assert.Equal(Site(stack, "w").Depth, Site(stack, "b").Depth);
        Assert.Equal("Tanh", Site(stack, "w").Activation);
        Assert.Equal(0, Site(stack, "w").FanInAxis);

        ProbeLayout loopSplit = MatMulLayers.RunTimeStackSplitProbeLayout;
        Assert.Equal(Site(loopSplit, "w").Depth, Site(loopSplit, "b").Depth);
        Assert.Equal("Tanh", Site(loopSplit, "w").Activation);

        ProbeLayout after = MatMulLayers.BiasAfterActivationProbeLayout;
        Assert.Equal(1, Site(after, "b1").Depth);
    }

    [Fact]
    public void TheMonitorReadsTheFanInOfAMatMulWeight()
    {
        // w1 is [in = 4, out = 64] with Var = 1/4: n_in·Var(W) = 1. Counted as [out, in] it read 64 · 1/4 = 16.
        const int inputs = 4, hidden = 64, classes = 3, batch = 8;
        Tensor w1 = Tensor.FromValues(GradCheck.RandomFloat(inputs * hidden, 31).Select(v => v * 1.7320508f).ToArray(), inputs, hidden);
        Tensor b1 = Tensor.Zeros(hidden), w2 = Tensor.FromValues(GradCheck.RandomFloat(hidden * classes, 32), hidden, classes), b2 = Tensor.Zeros(classes);
        Tensor x = Tensor.FromValues(GradCheck.RandomFloat(batch * inputs, 33), batch, inputs);
        int[] labels = Enumerable.Range(0, batch).Select(i => i % classes).ToArray();
        var parameters = new ParameterList();
        foreach ((string name, Tensor t) in new[] { ("w1", w1), ("b1", b1), ("w2", w2), ("b2", b2) }) parameters.Add(name, t, Tensor.Zeros(t.Shape.ToArray()));
        var probes = new GradientProbes(MatMulLayers.LossProbeLayout);
        var monitor = new HealthMonitor(MatMulLayers.LossProbeLayout);
        float loss = MatMulLayers.LossGradient(w1, b1, w2, b2, x, labels, parameters[0].Gradient, parameters[1].Gradient, parameters[2].Gradient, parameters[3].Gradient, probes);
        monitor.Record(0, loss, probes, 0.01, parameters);

        double variance = w1.ToArray().Select(v => (double)v * v).Average() - System.Math.Pow(w1.ToArray().Average(v => (double)v), 2);
        Assert.Equal(2, monitor.Report().Layers.Count);
        Assert.Equal(inputs * variance, monitor.Report().Layers[0].InitScale, 6);
    }
}
