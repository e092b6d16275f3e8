using System;
using System.Linq;
using AutoGrad.Probes;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Tensors;

/// <summary>
/// Layers from a Tensor[] in a loop too long to unroll (more than 256 layers: a run-time index), then one more by a
/// constant index: the array's one probe site records every element, and the constant read adds no second site for
/// its element.
/// </summary>
public static partial class ArraySites
{
    public const int Layers = 300;

    [Differentiable]
    public static float Loss(Tensor[] w, Tensor[] b, [NoGrad] Tensor x, [NoGrad] Tensor y)
    {
        var h = x;
        for (int l = 0; l < 300; l++) h = Nn.Tanh(Nn.Linear(h, w[l], b[l]));
        return Nn.Mse(Nn.Linear(h, w[300], b[300]), y);
    }
}

public class ArraySiteTests
{
    [Fact]
    public void EveryElementIsCountedOnceInTheGlobalNorm()
    {
        int n = ArraySites.Layers + 1;
        var w = new Tensor[n];
        var b = new Tensor[n];
        var dW = new Tensor[n];
        var dB = new Tensor[n];
        for (int l = 0; l < n; l++)
        {
            w[l] = Tensor.FromValues(GradCheck.RandomFloat(4, 500 + l), 2, 2);
            b[l] = Tensor.FromValues(GradCheck.RandomFloat(2, 600 + l, -0.1f, 0.1f), 2);
            dW[l] = Tensor.Zeros(2, 2);
            dB[l] = Tensor.Zeros(2);
        }
        Tensor x = Tensor.FromValues(GradCheck.RandomFloat(6, 700), 3, 2), y = Tensor.FromValues(GradCheck.RandomFloat(6, 701), 3, 2);
        var probes = new GradientProbes(ArraySites.LossProbeLayout);

        ArraySites.LossGradient(w, b, x, y, dW, dB, probes);

        string[] parameterSites = ArraySites.LossProbeLayout.Sites.Where(s => s.Kind == ProbeKind.Parameter).Select(s => s.Name).ToArray();
        Assert.Equal(["w", "b"], parameterSites);
        double expected = dW.Concat(dB).Sum(t => t.ToArray().Sum(v => (double)v * v));
        Assert.InRange(probes.GlobalSquaredNorm(), expected * (1 - 1e-6), expected * (1 + 1e-6));
        Assert.True(expected > 0);
    }
}
